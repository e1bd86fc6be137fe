"""A whole review from the keyboard, checked against the store afterwards."""

from studyterm.quiz import Mode
from studyterm.tui.app import StartSession
from studyterm.tui.screens.home import HomeScreen
from studyterm.tui.screens.review import Phase, ReviewScreen
from studyterm.tui.screens.summary import SummaryScreen


async def settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_full_review_open_reveal_grade_undo_suspend_finish(app_factory, tui_collection, timer):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.phase is Phase.QUESTION
        first = screen.session.current.card
        before = tui_collection.card(first.id).schedule

        timer.seconds += 6
        await pilot.press("space")
        assert screen.phase is Phase.ANSWER
        await pilot.press("4")
        await settle(pilot)
        logged = tui_collection.history(first.id)
        assert [(e.grade, e.source, e.duration_ms, e.kind) for e in logged] == [(4, "review", 6000, "scheduled")]
        assert tui_collection.card(first.id).schedule.due is not None

        await pilot.press("u")
        await settle(pilot)
        assert screen.session.current.card.id == first.id
        assert tui_collection.card(first.id).schedule == before
        assert [e.kind for e in tui_collection.history(first.id)] == ["scheduled", "undo"]

        await pilot.press("s")
        await settle(pilot)
        assert tui_collection.card(first.id).suspended
        second = screen.session.current.card

        await pilot.press("space", "1")  # a lapse: it comes back at the end
        await settle(pilot)
        while screen.session.current is not None:
            await pilot.press("space", "5")
            await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        summary = app.screen.summary
        effective = tui_collection.store.query(
            "SELECT count(*) FROM reviews WHERE session_id IS NOT NULL AND kind != 'undo' "
            "AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)"
        )[0][0]
        assert summary.answers == effective == 19  # 19 cards; one suspended, one answered twice
        assert [item.card_id for item in summary.watchlist] == [second.id]
        assert tui_collection.sessions(1)[0].summary["answers"] == summary.answers

        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)


async def test_bury_and_flag_from_the_review(app_factory, tui_collection):
    app = app_factory(start=StartSession())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        card = screen.session.current.card
        await pilot.press("f")
        assert tui_collection.card(card.id).flagged
        await pilot.press("b")
        await settle(pilot)
        assert tui_collection.card(card.id).buried_until is not None
        assert screen.session.current.card.id != card.id


async def test_typed_quiz_suggests_a_grade_that_can_be_overridden(app_factory, tui_collection):
    app = app_factory(start=StartSession(deck="pytorch", mode=Mode.TYPED))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        card = screen.session.current.card
        assert card.question == "What is an epoch?"
        await pilot.press(*"one full pass over every sample of the training set")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase is Phase.ANSWER and screen.verdict.grade == 5
        await pilot.press("enter")  # accept the suggestion
        await settle(pilot)
        assert [(e.grade, e.source) for e in tui_collection.history(card.id)] == [(5, "quiz")]

        second = screen.session.current.card  # a long answer: not graded for the learner
        await pilot.press(*"no idea", "enter")
        await settle(pilot)
        assert screen.verdict.grade is None
        await pilot.press("enter")  # no suggestion to accept: nothing is recorded
        await settle(pilot)
        assert tui_collection.history(second.id) == []
        await pilot.press("3")
        await settle(pilot)
        assert [(e.grade, e.source) for e in tui_collection.history(second.id)] == [(3, "quiz")]


async def test_multiple_choice_logs_right_and_wrong_picks(app_factory, tui_collection):
    app = app_factory(start=StartSession(deck="pytorch", mode=Mode.CHOICE))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        card = screen.session.current.card
        right = screen.choice.correct
        await pilot.press(str(right + 1))
        await settle(pilot)
        assert screen.phase is Phase.CHOSEN
        assert [(e.grade, e.source) for e in tui_collection.history(card.id)] == [(4, "quiz")]
        await pilot.press("space")
        await settle(pilot)
        second = screen.session.current.card
        wrong = (screen.choice.correct + 1) % len(screen.choice.options)
        await pilot.press(str(wrong + 1))
        await settle(pilot)
        assert [(e.grade, e.source) for e in tui_collection.history(second.id)] == [(1, "quiz")]


async def test_edit_reopens_the_note_and_keeps_the_schedule(app_factory, tui_collection, editor):
    def fix_typo(path):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("What is an epoch?", "What exactly is an epoch?"), encoding="utf-8")

    editor.edit = fix_typo
    app = app_factory(start=StartSession(deck="pytorch"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        card = screen.session.current.card
        await pilot.press("e")
        await settle(pilot)
        path, line = editor.calls[0]
        assert (path.name, line) == ("training-loop.md", card.line)
        assert screen.session.current.card.id == card.id
        assert screen.session.current.card.question == "What exactly is an epoch?"


async def test_lab_key_without_a_lab_says_so(app_factory):
    app = app_factory(start=StartSession(deck="pytorch"))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert any("No lab linked" in n.message for n in app._notifications)


async def test_nothing_due_goes_back_home(app_factory, tui_collection):
    for card in tui_collection.search():
        tui_collection.suspend([card.id])
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert tui_collection.sessions() == []
