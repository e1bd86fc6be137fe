"""The six SM-2 grade keys, each with its name and the interval it would give."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from studyterm.render.text import GRADE_NAMES, outcome_hint
from studyterm.schedule.review import Outcome


class GradeBar(Horizontal):
    def compose(self) -> ComposeResult:
        for grade in range(6):
            yield Static(id=f"grade-{grade}", classes=f"grade grade-{grade}")

    def show(self, preview: dict[int, Outcome], today: date, suggested: int | None = None) -> None:
        for grade in range(6):
            cell = self.query_one(f"#grade-{grade}", Static)
            hint = outcome_hint(preview[grade], today) if grade in preview else ""
            cell.update(f"[b]{grade}[/b] {GRADE_NAMES[grade]}\n[dim]{hint}[/dim]")
            cell.set_class(grade == suggested, "suggested")
        self.visible = True

    def hide(self) -> None:
        # Invisible rather than removed from the layout: the screen then needs no new layout
        # between two questions, which keeps grade-to-next-question fast.
        self.visible = False
