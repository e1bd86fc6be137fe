"""Switching between SM-2 and FSRS on a real collection: nothing lost, deterministic, undo exact."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from studyterm.collection import Collection
from studyterm.config import ConfigError, load_config
from studyterm.layout import Layout
from studyterm.schedule.fsrs import FsrsSettings, replay
from studyterm.schedule.log import LogEvent
from studyterm.store.scheduling import DUES_BY, get_setting
from tests.conftest import write_note

PLAN = [(0, [4, 4, 2, 5]), (1, [5, 3, 4, 1]), (2, [4, 4, 4, 4]), (6, [2, 5, 4, 3]), (9, [4, 1, 5, 4])]
"""(day, grade per card): the same answers given on the same days, whatever the scheduler."""


def configure(root: Path, scheduler: str, retention: float = 0.9) -> None:
    (root / "studyterm.toml").write_text(
        f'[review]\nscheduler = "{scheduler}"\ndesired_retention = {retention}\n', encoding="utf-8")


@pytest.fixture
def four_cards(collection_root: Path) -> Path:
    write_note(collection_root, "concepts/a.md", "\n\n".join(f"q{i} :: a{i}" for i in range(4)) + "\n")
    return collection_root


def reopen(root: Path, clock, scheduler: str, retention: float = 0.9) -> Collection:
    configure(root, scheduler, retention)
    return Collection.open(Layout(root), clock)


def schedules(collection: Collection) -> dict[str, object]:
    return {card.id: card.schedule for card in collection.search(limit=100)}


def review_plan(root: Path, clock, scheduler: str) -> list[str]:
    """Answer the plan (repeats settled with a 5) and return the card ids in note order."""
    start = clock.moment
    collection = reopen(root, clock, scheduler)
    collection.sync()
    ids = [c.card_id for c in collection.queue()]
    for offset, grades in PLAN:
        clock.moment = start + timedelta(days=offset)
        for card_id, grade in zip(ids, grades, strict=True):
            collection.answer(card_id, grade, force=True)
        while (entry := collection.next_card()) is not None and entry.kind.value == "repeat":
            collection.answer(entry.card_id, 5)
    collection.close()
    clock.moment = start + timedelta(days=12)
    return ids


def test_switching_sm2_to_fsrs_and_back_leaves_sm2_exactly_as_before(four_cards, clock):
    review_plan(four_cards, clock, "sm2")
    with reopen(four_cards, clock, "sm2") as collection:
        before = schedules(collection)
    with reopen(four_cards, clock, "fsrs") as collection:
        under_fsrs = schedules(collection)
        assert get_setting(collection.store, DUES_BY).startswith("fsrs:")
    assert any(under_fsrs[i].due != before[i].due for i in before)
    assert all(under_fsrs[i].sm2 == before[i].sm2 and under_fsrs[i].sm2_due == before[i].sm2_due for i in before)
    with reopen(four_cards, clock, "sm2") as collection:
        assert schedules(collection) == before
        assert get_setting(collection.store, DUES_BY) == "sm2"


def test_fsrs_due_dates_are_the_replay_of_the_log(four_cards, clock):
    review_plan(four_cards, clock, "sm2")
    with reopen(four_cards, clock, "fsrs") as collection:
        for card_id, schedule in schedules(collection).items():
            events = [LogEvent(e.id, e.day, e.grade, e.source, e.kind, e.undoes)
                      for e in collection.history(card_id)]
            assert schedule.due == replay(events, FsrsSettings()).due


def test_reviewing_under_fsrs_keeps_sm2_state_as_if_sm2_had_been_on(four_cards, clock, tmp_path):
    """The same answers on the same days, one collection under FSRS and one under SM-2: after
    switching the FSRS one back, every card's schedule is the same."""
    twin = tmp_path / "twin"
    (twin / "concepts").mkdir(parents=True)
    (twin / "concepts" / "a.md").write_bytes((four_cards / "concepts" / "a.md").read_bytes())
    start = clock.moment
    review_plan(four_cards, clock, "fsrs")
    clock.moment = start
    review_plan(twin, clock, "sm2")
    with reopen(four_cards, clock, "sm2") as switched, reopen(twin, clock, "sm2") as always:
        assert schedules(switched) == schedules(always)


def test_fsrs_answers_use_fsrs_intervals_and_the_preview_matches(four_cards, clock):
    with reopen(four_cards, clock, "fsrs") as collection:
        collection.sync()
        card = collection.card(collection.next_card().card_id)
        preview = collection.preview(card)
        result = collection.answer(card.id, 5)
        assert result.card.schedule.due == preview[5].after.due
        # A new card answered Easy: FSRS's first stability for Easy (8.2956 days) -> 8 days.
        assert result.card.schedule.due == collection.today() + timedelta(days=8)
        assert result.card.schedule.sm2_due == collection.today() + timedelta(days=1)


def test_undo_under_fsrs_restores_the_due_date_even_after_a_switch(four_cards, clock):
    review_plan(four_cards, clock, "sm2")
    with reopen(four_cards, clock, "fsrs") as collection:
        card_id = collection.search(limit=1)[0].id
        before = collection.card(card_id).schedule
        answered = collection.answer(card_id, 1, force=True)
        assert answered.card.schedule.due != before.due
    with reopen(four_cards, clock, "sm2") as collection:  # switched in between
        pass
    with reopen(four_cards, clock, "fsrs") as collection:
        restored = collection.undo(answered.entry.id).card.schedule
        assert restored == before


def test_changing_desired_retention_redates_the_cards(four_cards, clock):
    review_plan(four_cards, clock, "sm2")
    with reopen(four_cards, clock, "fsrs", 0.9) as collection:
        usual = schedules(collection)
    with reopen(four_cards, clock, "fsrs", 0.8) as collection:
        lenient = schedules(collection)
    assert all(lenient[i].due >= usual[i].due for i in usual)
    assert any(lenient[i].due > usual[i].due for i in usual)


def test_an_sm2_collection_never_loads_the_fsrs_library(four_cards, clock):
    import subprocess
    import sys

    configure(four_cards, "sm2")
    code = (
        "import sys; from studyterm.collection import Collection; "
        f"c = Collection.open({str(four_cards)!r}); c.sync(); "
        "e = c.next_card(); c.preview(c.card(e.card_id)); c.answer(e.card_id, 4); "
        "print('fsrs' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("text, message", [
    ('[review]\nscheduler = "anki"\n', 'review.scheduler must be "sm2" or "fsrs"'),
    ("[review]\ndesired_retention = 0.5\n", "desired_retention must be a number from 0.7 to 0.97"),
    ("[review]\ndesired_retention = true\n", "desired_retention must be a number"),
])
def test_bad_scheduler_settings_are_refused_in_one_line(tmp_path, text, message):
    path = tmp_path / "studyterm.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_default_settings_are_sm2_at_ninety_percent(tmp_path):
    config = load_config(tmp_path / "missing.toml")
    assert (config.scheduler, config.desired_retention) == ("sm2", 0.9)


def test_set_review_option_keeps_comments_and_other_tables(tmp_path):
    from studyterm.config import DEFAULT_CONFIG_TEXT, set_review_option

    path = tmp_path / "studyterm.toml"
    path.write_text(DEFAULT_CONFIG_TEXT, encoding="utf-8")
    config = set_review_option(path, "scheduler", '"fsrs"')
    text = path.read_text(encoding="utf-8")
    assert config.scheduler == "fsrs" and 'scheduler = "fsrs"' in text and 'scheduler = "sm2"' not in text
    assert text.replace('scheduler = "fsrs"', 'scheduler = "sm2"') == DEFAULT_CONFIG_TEXT
    with pytest.raises(ConfigError):
        set_review_option(path, "desired_retention", "2")
    assert path.read_text(encoding="utf-8") == text  # refused: untouched


@pytest.mark.parametrize("before", ["", "[backups]\nkeep = 3\n", "[review]\nnew_cards_per_day = 5\n\n[backups]\nkeep = 3"])
def test_set_review_option_adds_the_key_where_it_belongs(tmp_path, before):
    from studyterm.config import set_review_option

    path = tmp_path / "studyterm.toml"
    path.write_text(before, encoding="utf-8")
    config = set_review_option(path, "desired_retention", "0.85")
    assert config.desired_retention == 0.85
    assert load_config(path).backups_kept == (3 if "keep" in before else 7)
    assert load_config(path).new_cards_per_day == (5 if "new_cards" in before else 20)


def test_use_scheduler_switches_in_place_and_back(four_cards, clock):
    review_plan(four_cards, clock, "sm2")
    with reopen(four_cards, clock, "sm2") as collection:
        before = schedules(collection)
        assert collection.use_scheduler("fsrs") is True
        assert load_config(four_cards / "studyterm.toml").scheduler == "fsrs"
        assert schedules(collection) != before
        assert collection.use_scheduler("fsrs") is False
        assert collection.use_scheduler("sm2") is True
        assert schedules(collection) == before
        with pytest.raises(ConfigError):
            collection.use_scheduler("anki")
        assert collection.scheduling.name == "sm2"
