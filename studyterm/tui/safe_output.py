"""The review app's boundary with the terminal: no control character from a note, a deck name,
a file name or a lab's output is ever written to it.

Textual passes ESC and the C1 controls of widget text straight to the terminal (Rich drops only
BEL, BS, CR, VT and FF), so a note could clear the screen, retitle the window, plant a hidden
link or write the clipboard. Every character Textual writes for a widget goes through
`Strip.render`; `install()` wraps it to drop those characters first. They were measured as zero
width, so the layout does not move. Textual is pinned (pyproject.toml), and
tests/tui/test_hostile_text.py checks the real output path.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip

from studyterm.render.text import without_controls

_original_render = Strip.render


def _render_without_controls(self: Strip, console) -> str:
    if self._render_cache is None and any(
        control is None and without_controls(text) != text for text, _style, control in self
    ):
        clean = Strip(
            [
                Segment(without_controls(text), style, control) if control is None else Segment(text, style, control)
                for text, style, control in self
            ],
            self.cell_length,
        )
        self._render_cache = _original_render(clean, console)
    return _original_render(self, console)


def install() -> None:
    """Make every strip Textual renders drop control characters (idempotent)."""
    Strip.render = _render_without_controls
