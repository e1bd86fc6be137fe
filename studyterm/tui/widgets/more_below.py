"""A line at the foot of a scrolling pane that says what is hidden below, while something is:
a pane that scrolls is not obvious in a terminal (its scrollbar is one column of shading)."""

from __future__ import annotations

from textual.widgets import Static


class MoreBelow(Static):
    DEFAULT_CSS = """
    MoreBelow {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $boost;
        color: $text-muted;
        text-align: center;
    }
    """

    def __init__(self, what: str, *, id: str | None = None) -> None:
        super().__init__(f"↓ {what} below · scroll", id=id)

    def on_mount(self) -> None:
        pane = self.parent
        self.watch(pane, "scroll_y", self.update_shown, init=False)
        self.watch(pane, "virtual_size", self.update_shown, init=False)
        self.call_after_refresh(self.update_shown)

    def on_resize(self) -> None:
        self.update_shown()

    def update_shown(self, *_changed) -> None:
        pane = self.parent
        if pane is not None:
            self.display = pane.max_scroll_y > 0 and pane.scroll_y < pane.max_scroll_y
