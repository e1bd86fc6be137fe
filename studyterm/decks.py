"""The deck tree and the study streak: pure functions over counts the store reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from studyterm.store.records import DeckCounts


@dataclass
class DeckNode:
    """A deck with its sub-decks; counts include every sub-deck."""

    name: str  # the last path part, e.g. "ch01"
    path: str  # the full deck, e.g. "dlfs2/ch01"
    total: int = 0
    due: int = 0
    new: int = 0
    mastered: int = 0
    children: list[DeckNode] = field(default_factory=list)

    @property
    def mastery(self) -> float:
        """Share of cards with an interval of 21 days or more."""
        return self.mastered / self.total if self.total else 0.0

    def add(self, counts: DeckCounts) -> None:
        self.total += counts.total
        self.due += counts.due
        self.new += counts.new
        self.mastered += counts.mastered


def deck_tree(rows: list[DeckCounts]) -> DeckNode:
    """A root node (path "") whose children follow the `a/b/c` deck paths."""
    root = DeckNode("All decks", "")
    index: dict[str, DeckNode] = {"": root}
    for row in sorted(rows, key=lambda r: r.deck):
        parts = row.deck.split("/")
        parent = root
        root.add(row)
        for depth in range(1, len(parts) + 1):
            path = "/".join(parts[:depth])
            node = index.get(path)
            if node is None:
                node = DeckNode(parts[depth - 1], path)
                index[path] = node
                parent.children.append(node)
            node.add(row)
            parent = node
    return root


def streak(study_days: set[date], today: date) -> int:
    """Consecutive study days up to today; today not studied yet does not break the streak."""
    day = today if today in study_days else today - timedelta(days=1)
    count = 0
    while day in study_days:
        count += 1
        day -= timedelta(days=1)
    return count
