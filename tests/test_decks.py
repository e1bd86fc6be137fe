from datetime import date

from studyterm.decks import deck_tree, streak
from studyterm.store.records import DeckCounts


def test_tree_sums_sub_decks_into_parents():
    root = deck_tree([
        DeckCounts("dlfs2/ch01", 10, 3, 2, 5),
        DeckCounts("dlfs2/ch02", 4, 1, 4, 0),
        DeckCounts("pytorch", 6, 0, 6, 0),
    ])
    assert (root.total, root.due, root.new, root.mastered) == (20, 4, 12, 5)
    dlfs2 = root.children[0]
    assert (dlfs2.path, dlfs2.total, dlfs2.due) == ("dlfs2", 14, 4)
    assert [c.path for c in dlfs2.children] == ["dlfs2/ch01", "dlfs2/ch02"]
    assert dlfs2.children[0].mastery == 0.5


def test_streak_counts_back_from_today_or_yesterday():
    days = {date(2026, 11, d) for d in (15, 18, 19, 20)}
    assert streak(days, date(2026, 11, 20)) == 3
    assert streak(days, date(2026, 11, 21)) == 3  # not studied yet today: still a streak
    assert streak(days, date(2026, 11, 22)) == 0
    assert streak(days | {date(2026, 11, 21)}, date(2026, 11, 21)) == 4
