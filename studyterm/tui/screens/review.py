"""The review screen: question, reveal, grade; typed and multiple-choice quizzes on the same
card view. All scheduling goes through ReviewSession and the Collection."""

from __future__ import annotations

from enum import Enum, auto
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Markdown, Rule, Static

from studyterm.authoring.files import NoteError
from studyterm.notes.model import CardKind
from studyterm.quiz import (
    ChoiceQuestion,
    Mode,
    TypedVerdict,
    choice_question,
    grade_typed,
    plain_text,
)
from studyterm.render.card import answer_markdown, question_markdown
from studyterm.render.text import duration, plural
from studyterm.schedule.queue import QueueKind
from studyterm.session import CardChangedError, ReviewSession
from studyterm.store import StoreError
from studyterm.tui.errors import background
from studyterm.tui.widgets.grade_bar import GradeBar
from studyterm.tui.widgets.pictures import OpensPictures, PictureStrip, show_card_pictures
from studyterm.tui.widgets.verdict import verdict_markup


class Phase(Enum):
    QUESTION = auto()  # flash: waiting for space
    TYPING = auto()  # typed: the input has focus
    CHOOSING = auto()  # choice: waiting for 1-4
    ANSWER = auto()  # answer shown: waiting for a grade (typed: Enter accepts the suggestion)
    CHOSEN = auto()  # choice: answer logged, feedback shown; any key goes on
    DONE = auto()


_CARD_ACTIONS = {"undo", "suspend", "bury", "flag", "info", "edit", "edit_here", "quick_add", "lab", "end"}
_PHASE_ACTIONS = {
    Phase.QUESTION: _CARD_ACTIONS | {"reveal", "accept"},
    Phase.TYPING: {"undo", "undo_typing", "end"},
    Phase.CHOOSING: _CARD_ACTIONS | {"pick"},
    Phase.ANSWER: _CARD_ACTIONS | {"key", "accept"},
    Phase.CHOSEN: {"next", "accept", "undo", "end"},
    Phase.DONE: set(),
}
"""In the typed quiz's box only ctrl+z and Esc reach the screen; once a choice is logged the
session has moved on, so card actions wait for the next question."""
_SCREEN_ACTIONS = set().union(*_PHASE_ACTIONS.values())

QUEUE_NAMES = {QueueKind.REVIEW: "review", QueueKind.NEW: "new", QueueKind.REPEAT: "again today"}


class ReviewScreen(OpensPictures, Screen):
    AUTO_FOCUS = None  # focus is given explicitly: the answer input in typed mode, else nothing

    BINDINGS = [
        # The footer shows only the keys that work in the phase on screen (check_action).
        Binding("space", "reveal", "Answer"),
        Binding("space", "next", "Next"),
        Binding("enter", "accept", "Accept", show=False),
        Binding("1", "pick(0)", "Pick", key_display="1-4"),
        *[Binding(str(n + 1), f"pick({n})", str(n + 1), show=False) for n in range(1, 4)],
        Binding("0", "key(0)", "Grade", key_display="0-5"),
        *[Binding(str(n), f"key({n})", str(n), show=False) for n in range(1, 6)],
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo_typing", "Undo", key_display="^z", priority=True),  # u is a letter there
        Binding("ctrl+z", "undo", "Undo", show=False, priority=True),
        Binding("s", "suspend", "Suspend", show=False),
        Binding("b", "bury", "Bury", show=False),
        Binding("f", "flag", "Flag", show=False),
        Binding("i", "info", "Info"),
        Binding("e", "edit", "Edit"),
        Binding("E", "edit_here", "Edit here", show=False),
        Binding("a", "quick_add", "Add", show=False),
        Binding("l", "lab", "Lab"),
        Binding("v", "view_picture", "Picture", show=False),
        Binding("escape", "end", "End"),
    ]

    def __init__(self, deck: str | None = None, mode: Mode = Mode.FLASH) -> None:
        super().__init__()
        self.deck = deck
        self.mode = mode
        self._phase = Phase.QUESTION
        self.session: ReviewSession | None = None
        self.verdict: TypedVerdict | None = None
        self.choice: ChoiceQuestion | None = None
        self.confirming = False
        """Enter was pressed once on a failing suggested grade."""
        self._lab_before: tuple[str, int] | None = None
        """The lab opened from here and its latest run then (its new runs can be undone)."""
        self.left = None

    @property
    def phase(self) -> Phase:
        return self._phase

    @phase.setter
    def phase(self, phase: Phase) -> None:
        self._phase = phase
        if self.is_mounted:
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys work, and show in the footer, only where they do something."""
        allowed = _PHASE_ACTIONS.get(self._phase)
        if allowed is None or action not in _SCREEN_ACTIONS:
            return True
        return action in allowed

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="progress")
        with VerticalScroll(id="card"):
            yield Static(id="card-meta")
            yield Markdown(id="question")
            yield PictureStrip(id="question-pictures")
            yield Input(id="typed", placeholder="Type your answer, then Enter (several holes: a; b)")
            yield Static(id="verdict")
            yield Vertical(id="choices")
            yield Rule(id="divider")
            yield Markdown(id="answer")
            yield PictureStrip(id="answer-pictures")
        yield GradeBar(id="grades")
        yield Footer()

    async def on_mount(self) -> None:
        app = self.app
        source = "review" if self.mode is Mode.FLASH else "quiz"
        self.session = ReviewSession(app.collection, self.deck, self.mode.value, app.monotonic, source)
        self.sub_title = f"{self.deck or 'all decks'} · {self.mode.value}"
        # A choice is graded by the pick: no grade bar, and its rows go to the options.
        self.query_one("#grades", GradeBar).display = self.mode is not Mode.CHOICE
        self.set_interval(1.0, self.update_progress)
        await app.wait_for_first_sync()
        self.session.start()
        await self.show_current()

    # -- drawing ---------------------------------------------------------------------------

    async def show_current(self) -> None:
        """Draw the session's current card in its first phase, or finish the session."""
        shown = self.session.current
        if shown is None:
            self.finish()
            return
        card = shown.card
        self.verdict = self.choice = None
        self.confirming = False
        self.query_one("#card-meta", Static).update(self._meta(shown))
        await self.query_one("#question", Markdown).update(question_markdown(card))
        await show_card_pictures(self, card, revealed=False)
        for widget_id in ("#answer", "#divider", "#verdict"):
            self.query_one(widget_id).display = False
        self.query_one("#grades", GradeBar).hide()
        await self._show_quiz_widgets(card)
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self.update_progress()
        self.refresh_counts()
        self.call_after_refresh(self.app.content_shown)
        if self.app.question_shown is not None:
            self.call_after_refresh(self.app.question_shown, card.id)

    async def _show_quiz_widgets(self, card) -> None:
        typed = self.query_one("#typed", Input)
        choices = self.query_one("#choices", Vertical)
        if choices.children:
            await choices.remove_children()
        typed.display = self.mode is Mode.TYPED
        choices.display = self.mode is Mode.CHOICE
        if self.mode is Mode.TYPED:
            self.phase = Phase.TYPING
            typed.value = ""
            typed.disabled = False
            self.call_after_refresh(typed.focus)
        elif self.mode is Mode.CHOICE:
            self.phase = Phase.CHOOSING
            self.choice = choice_question(
                card, self.app.collection.distractor_pool(card), seed=f"{card.id}:{self.app.collection.today()}"
            )
            await choices.mount_all(
                Static(f"[b]{n + 1}[/b]  {escape(_option_text(option))}", classes="option", id=f"option-{n}")
                for n, option in enumerate(self.choice.options)
            )
        else:
            self.phase = Phase.QUESTION
            self.set_focus(None)

    async def reveal_answer(self, suggested: int | None = None) -> None:
        card = self.session.current.card
        if card.kind == CardKind.CLOZE:
            await self.query_one("#question", Markdown).update(answer_markdown(card))
        else:
            answer = self.query_one("#answer", Markdown)
            await answer.update(answer_markdown(card))
            answer.display = True
            self.query_one("#divider").display = True
        await show_card_pictures(self, card, revealed=True)
        self.query_one("#grades", GradeBar).show(self.session.preview(), self.app.collection.today(), suggested)
        self.phase = Phase.ANSWER

    def _meta(self, shown) -> str:
        card = shown.card
        flags = " · [b $warning]flagged[/]" if card.flagged else ""
        lab = f" · lab [b]{card.lab}[/b]" if card.lab else ""
        return f"[dim]{card.deck} · {QUEUE_NAMES[shown.queue_kind]}{lab}{flags}[/dim]"

    def update_progress(self) -> None:
        """Redraw the progress line; queue counts are refreshed off the UI thread after answers."""
        if self.session is None:
            return
        left = self.left
        done = len(self.session.answered)
        timer = duration(self.session.elapsed_ms()) if self.session.current else "-"
        counts = (
            f"[b]{left.total}[/b] left ({left.review} review, {left.new} new, {left.repeat} again)"
            if left is not None
            else "counting…"
        )
        self.query_one("#progress", Static).update(f"[b]{done}[/b] done · {counts} · {timer}")

    @background(group="counts")
    def refresh_counts(self) -> None:
        left = self.session.left()
        self.app.call_from_thread(self._show_counts, left)

    def _show_counts(self, left) -> None:
        self.left = left
        self.update_progress()

    # -- keys ------------------------------------------------------------------------------

    async def action_reveal(self) -> None:
        if self.phase is Phase.QUESTION:
            await self.reveal_answer()
        elif self.phase is Phase.CHOSEN:
            await self.show_current()

    async def action_accept(self) -> None:
        if self.phase is Phase.ANSWER and self.verdict is not None:
            await self._accept_suggestion()
        elif self.phase in (Phase.QUESTION, Phase.CHOSEN):
            await self.action_reveal()

    async def _accept_suggestion(self) -> None:
        """Enter takes a passing suggestion; a failing one only when pressed again (a lapse is
        never recorded by one key meant for "next"); no suggestion: the learner grades."""
        verdict = self.verdict
        if not verdict.graded:
            self.notify("Grade it yourself: 0-5.", timeout=3)
        elif verdict.failing and not self.confirming:
            self.confirming = True
            self.notify(f"Enter again records grade {verdict.grade}, a lapse; or press 0-5.", timeout=4)
        else:
            await self.grade(verdict.grade)

    async def action_next(self) -> None:
        await self.action_reveal()

    async def action_pick(self, index: int) -> None:
        if self.phase is Phase.CHOOSING and self.choice and index < len(self.choice.options):
            await self.pick(index)

    async def action_undo_typing(self) -> None:
        await self.action_undo()

    async def action_key(self, number: int) -> None:
        if self.phase is Phase.ANSWER:
            await self.grade(number)

    async def grade(self, grade: int) -> None:
        try:
            self.session.answer(grade)
        except CardChangedError as changed:
            self._changed_elsewhere(changed)
        await self.show_current()

    def _changed_elsewhere(self, changed: CardChangedError) -> None:
        """Another terminal got there first: say so; the session already moved on."""
        self.notify(str(changed), title="Changed elsewhere", severity="warning", timeout=6)

    async def pick(self, index: int) -> None:
        """Log a multiple-choice answer at once and show which option was right."""
        grade = self.choice.grade(index)
        card = self.session.current.card
        try:
            self.session.answer(grade)
        except CardChangedError as changed:
            self._changed_elsewhere(changed)
            await self.show_current()
            return
        for n in range(len(self.choice.options)):
            option = self.query_one(f"#option-{n}", Static)
            option.set_class(n == self.choice.correct, "right")
            option.set_class(n == index and index != self.choice.correct, "wrong")
        verdict = self.query_one("#verdict", Static)
        verdict.update(
            f"[b $success]Right[/] → grade {grade}" if index == self.choice.correct
            else f"[b $error]Not quite[/] → grade {grade}. The answer:"
        )
        verdict.display = True
        if card.kind != CardKind.CLOZE:
            answer = self.query_one("#answer", Markdown)
            await answer.update(answer_markdown(card))
            right = self.choice.options[self.choice.correct]
            answer.display = index != self.choice.correct or _option_text(right) != plain_text(right)
        self.phase = Phase.CHOSEN
        self.update_progress()
        self.refresh_counts()

    @on(Input.Submitted, "#typed")
    async def check_typed(self, event: Input.Submitted) -> None:
        if self.phase is not Phase.TYPING:
            return
        self.verdict = grade_typed(self.session.current.card, event.value)
        typed = self.query_one("#typed", Input)
        typed.disabled = True
        self.set_focus(None)
        verdict = self.query_one("#verdict", Static)
        verdict.update(verdict_markup(self.verdict))
        verdict.display = True
        await self.reveal_answer(suggested=self.verdict.grade)

    async def action_undo(self) -> None:
        """Take back the session's last action, whatever it was (Anki's ctrl+z)."""
        if self.phase is Phase.DONE or self.session is None:
            return
        try:
            undone = self.session.undo()
        except CardChangedError as changed:
            self._changed_elsewhere(changed)
        except (NoteError, StoreError) as error:
            self.notify(f"Not undone: {error}", severity="warning", timeout=6)
            return
        else:
            if undone is None:
                self.notify("Nothing to undo.", timeout=2)
                return
            self.notify(f"Undone: {undone}.", timeout=3)
        await self.show_current()

    async def action_suspend(self) -> None:
        if self.session.current is not None:
            self.session.suspend_current()
            self.notify("Suspended (unsuspend it from Browse).", timeout=2)
            await self.show_current()

    async def action_bury(self) -> None:
        if self.session.current is not None:
            self.session.bury_current()
            self.notify("Buried until tomorrow.", timeout=2)
            await self.show_current()

    def action_flag(self) -> None:
        if self.session.current is not None:
            flagged = self.session.toggle_flag()
            self.query_one("#card-meta", Static).update(self._meta(self.session.current))
            self.notify("Flagged." if flagged else "Flag removed.", timeout=2)

    def unhide(self, what: str) -> None:
        """Bring back this session's deck's buried or suspended cards (palette), undoably."""
        collection = self.app.collection
        today = collection.today()
        if what == "buried":
            ids = [c.id for c in collection.search(deck=self.deck, limit=100_000) if c.is_buried(today)]
            collection.unbury(ids)
            redo = partial(collection.bury, ids)
        else:
            ids = [c.id for c in collection.search(deck=self.deck, state="suspended", limit=100_000)]
            collection.suspend(ids, False)
            redo = partial(collection.suspend, ids)
        self.notify(f"{plural(len(ids), 'card')} no longer {what}.", timeout=3)
        if ids:
            self.session.record(what, f"bringing back {plural(len(ids), what + ' card')}", redo)
        self.refresh_counts()

    def action_info(self) -> None:
        from studyterm.tui.screens.card_info import CardInfoScreen

        if self.session.current is not None:
            self.app.push_screen(CardInfoScreen(self.session.current.card.id))

    def action_edit(self) -> None:
        if self.session.current is None:
            return
        card = self.session.current.card
        error = self.app.editor(self.app, self.app.collection.layout.root / card.note_path, card.line)
        if error:
            self.notify(error, severity="error")
            return
        self.resync()

    def action_edit_here(self) -> None:
        """The in-app editor, with the live card preview, at the card's line."""
        from studyterm.tui.screens.note_editor import open_note_editor

        if self.session.current is not None:
            card = self.session.current.card
            open_note_editor(self.app, card.note_path, card.line, on_close=self._edited_here)

    def _edited_here(self, saved: bool | None) -> None:
        if saved:
            self.resync()

    def action_quick_add(self) -> None:
        from studyterm.tui.screens.quick_add import QuickAddScreen

        if self.session.current is not None:
            self.app.push_screen(QuickAddScreen(self.session.current.card.note_path), self._added)

    def _added(self, added) -> None:
        if added is not None:
            self.notify(f"Added to {added.relative} (line {added.line}) as a new card.", timeout=4)
            self.session.record("add", f"the card added to {added.relative}", lambda: self._remove_added(added))
            self.app.sync_notes()  # the card on screen is unchanged: no redraw, only counts

    def _remove_added(self, added) -> None:
        from studyterm.authoring.quick_add import remove_added

        remove_added(self.app.collection.layout.root, added)
        self.app.sync_notes()

    @background(group="sync")
    def resync(self) -> None:
        report = self.app.collection.sync()
        self.app.call_from_thread(self.after_edit, report)

    async def after_edit(self, report) -> None:
        shown = self.session.reload_current()
        if shown is not None and shown.card.retired:
            self.notify("That card's text is gone from the note: it is retired.", timeout=4)
            self.session.advance()
        if report.errors:
            path, problem = report.errors[0]
            self.notify(problem.format(path), title="Problems in your notes", severity="warning")
        await self.show_current()

    async def notes_changed(self) -> None:
        """A background sync changed cards: redraw the question if its text changed."""
        self.refresh_counts()
        current = self.session.current if self.session else None
        if current is None or self.phase is not Phase.QUESTION:
            return
        fresh = self.session.reload_current()
        if fresh.card.retired:
            self.session.advance()
            await self.show_current()
        elif fresh.card.question != current.card.question:
            await self.show_current()

    def action_lab(self) -> None:
        if self.session.current is None:
            return
        card = self.session.current.card
        if not card.lab:
            self.notify("No lab linked to this card (add `lab: <id>` under it in its note).", timeout=4)
        else:
            self._lab_before = (card.lab.split("#")[0], self._latest_run(card.lab.split("#")[0]))
            self.app.open_lab(card.lab, card_id=card.id)

    def _latest_run(self, lab_id: str) -> int:
        runs = self.app.labs.runs(lab_id, 1)
        return runs[0].id if runs else 0

    async def on_screen_resume(self) -> None:
        """Back from the lab: each run made there that moved cards can be undone from here."""
        if self._lab_before is None:
            return
        lab_id, before = self._lab_before
        self._lab_before = None
        labs = self.app.labs
        for run in sorted(labs.runs(lab_id), key=lambda run: run.id):
            if run.id > before and labs.feedback(run.id):
                self.session.record("lab", f"the feedback of lab run {run.id}", partial(_undo_run, labs, run.id))
        self.session.reload_current()

    def action_end(self) -> None:
        """Esc ends the session; with an answer typed but not checked, it asks first."""
        from studyterm.tui.screens.choice import Choice, ChoiceDialog

        if self.phase is Phase.TYPING and self.query_one("#typed", Input).value.strip():
            # The safe choice first: it has the focus, so Enter keeps the answer.
            choices = [Choice("stay", "Keep answering", "k", "primary"), Choice("end", "End the session", "e", "error")]
            message = "What you typed is not checked yet. End the session anyway?"
            self.app.push_screen(ChoiceDialog("End the session?", message, choices, cancel="stay"), self._end_confirmed)
            return
        self.finish()

    def _end_confirmed(self, choice: str | None) -> None:
        if choice == "end":
            self.finish()

    def on_unmount(self) -> None:
        self.keep_record()

    def autosave(self) -> None:
        """The app is being ended from outside (a signal, a closed terminal): keep the record
        first, in case the normal way out gets stuck (app.keep_unsaved_work calls this)."""
        self.keep_record()

    def keep_record(self) -> None:
        """The app quits (ctrl+q, a closed terminal, a signal) in the middle of the session: its
        record is written all the same, as a session that can be resumed."""
        if self.session is not None and self.session.session_id is not None and self.phase is not Phase.DONE:
            self.phase = Phase.DONE
            self.session.finish()

    def finish(self) -> None:
        if self.phase is Phase.DONE:
            return
        self.phase = Phase.DONE
        summary = self.session.finish()
        self.app.last_summary = summary if summary.answers else self.app.last_summary
        if not summary.answers:
            self.app.pop_screen()
            if self.session.current is None:
                self.app.notify("Nothing due: you are done for today.", timeout=4)
            return
        from studyterm.tui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(summary))


def _undo_run(labs, run_id: int) -> None:
    """Undo a lab run's feedback; a card answered since keeps it (and the notice says so)."""
    from studyterm.labs import LabError

    try:
        report = labs.undo_run(run_id)
    except LabError as error:
        raise StoreError(str(error)) from error
    if report.kept:
        raise StoreError(f"{len(report.kept)} of the run's changes stay: those cards were answered since")


OPTION_CHARACTERS = 150
"""An option longer than this is cut (about two lines at 80 columns): four of them and the
question must fit an 80×24 terminal; the whole answer is shown once an option is picked."""


def _option_text(option: str) -> str:
    text = plain_text(option)
    if len(text) <= OPTION_CHARACTERS:
        return text
    return text[: OPTION_CHARACTERS].rsplit(" ", 1)[0] + " …"
