"""Pictures drawn in the terminal with textual-image: Kitty's graphics protocol or Sixel where
the terminal answered that it has them (asked once, before the app starts), coloured half-cell
blocks everywhere else (and always in tests, so snapshots do not depend on the terminal)."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import RenderableType
from rich.text import Text
from textual.containers import Vertical
from textual.markup import escape
from textual.widget import Widget
from textual.widgets import Static

from studyterm.render.pictures import Picture, card_pictures

PICTURE_ROWS = 10
"""Terminal rows a picture takes in the review and card info (its width follows its shape)."""
PREVIEW_COLUMNS = 36

_best_widget: type[Widget] | None = None


def ask_terminal() -> None:
    """Find what the terminal can draw. Must run before Textual starts reading the terminal
    (textual-image asks with escape sequences and reads the answer from stdin)."""
    global _best_widget
    if sys.__stdout__ is not None and sys.__stdout__.isatty():
        from textual_image.widget import Image

        _best_widget = Image


@contextmanager
def _terminal_not_asked() -> Iterator[None]:
    """textual-image asks the terminal when first imported; once Textual runs, the answer would
    be lost to Textual's input thread. Imported late, it is told there is no terminal."""
    real = sys.__stdout__
    sys.__stdout__ = io.StringIO()
    try:
        yield
    finally:
        sys.__stdout__ = real


def _widget_class() -> type[Widget]:
    if _best_widget is not None:
        return _best_widget
    with _terminal_not_asked():
        from textual_image.widget import HalfcellImage
    return HalfcellImage


def picture_renderable(path: Path, width: int = PREVIEW_COLUMNS) -> RenderableType:
    """A Rich renderable of the picture in half-cell blocks (for lists drawn as Rich text)."""
    with _terminal_not_asked():
        from textual_image.renderable.halfcell import Image
    try:
        return Image(path, width=width)
    except OSError as error:  # not a readable picture after all
        return Text(f"(cannot draw {path.name}: {error})", style="dim")


def caption(picture: Picture, hint: str = "v opens it") -> str:
    """One line of markup under (or instead of) a picture."""
    name = escape(picture.alt or picture.source)
    if picture.path is None:
        return f"[dim]▣ {name} · {escape(picture.problem)} ({escape(picture.source)})[/dim]"
    return f"[dim]▣ {name} · {hint}[/dim]"


class PictureStrip(Vertical):
    """The pictures of one side of a card, one below the other."""

    DEFAULT_CSS = f"""
    PictureStrip {{
        height: auto;
    }}
    PictureStrip .picture {{
        height: {PICTURE_ROWS};
        width: auto;
        margin: 1 0 0 0;
    }}
    PictureStrip .picture-caption {{
        height: auto;
    }}
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pictures: list[Picture] = []

    async def show(self, pictures: Iterable[Picture]) -> None:
        self.pictures = list(pictures)
        await self.remove_children()
        self.display = bool(self.pictures)
        widgets: list[Widget] = []
        for picture in self.pictures:
            if picture.path is not None:
                try:
                    widgets.append(_widget_class()(picture.path, classes="picture"))
                except OSError as error:
                    picture = Picture(picture.alt, picture.source, None, f"cannot be read: {error}")
            widgets.append(Static(caption(picture), classes="picture-caption"))
        await self.mount_all(widgets)


def openable(strips: Iterable[PictureStrip]) -> list[Path]:
    """The files of the pictures on screen, in order (what the viewer key opens)."""
    return [picture.path for strip in strips if strip.display for picture in strip.pictures
            if picture.path is not None]


class OpensPictures:
    """For screens that show PictureStrips: `v` opens their pictures in the system's viewer,
    the next one on each press."""

    picture_index = 0

    def action_view_picture(self) -> None:
        paths = openable(self.query(PictureStrip))
        if not paths:
            self.notify("No picture on screen.", timeout=2)
            return
        path = paths[self.picture_index % len(paths)]
        self.picture_index += 1
        error = self.app.viewer(path)
        if error:
            self.notify(error, severity="warning", timeout=6)
        else:
            self.notify(f"Opened {path.name} in the picture viewer.", timeout=2)


async def show_card_pictures(screen, card, revealed: bool) -> None:
    """Fill the screen's #question-pictures and #answer-pictures strips for `card`."""
    front, back = card_pictures(screen.app.collection.layout.root, card.note_path, card.question,
                                card.answer, card.kind, revealed)
    await screen.query_one("#question-pictures", PictureStrip).show(front)
    await screen.query_one("#answer-pictures", PictureStrip).show(back)
