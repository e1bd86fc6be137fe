"""The cards a note will make and what is wrong with it, one option each: choosing one jumps the
editor to its line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text
from textual.markup import escape
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from studyterm.authoring.preview import CardPreview, NotePreview, Status
from studyterm.notes.model import CardKind, Problem, Severity
from studyterm.render.pictures import Picture, mark_pictures, resolve
from studyterm.tui.widgets.pictures import caption, picture_renderable

STATUS_STYLES = {
    Status.NEW: ("new", "green"),
    Status.SAME: ("unchanged", "dim"),
    Status.EDITED: ("edited: keeps its schedule", "yellow"),
}
EMPTY_HINT = (
    "No cards yet. Write a question on a line starting with Q: and its answer on the next, "
    "starting with A:, or term :: definition, or a {{c1::cloze}}."
)


class NotePreviewList(OptionList):
    DEFAULT_CSS = """
    NotePreviewList {
        height: 1fr;
        border: none;
        padding: 0;
    }
    NotePreviewList > .option-list--option {
        padding: 0 1;
    }
    """

    @dataclass
    class Jump(Message):
        """The learner chose a card or a problem: go to its line."""

        line: int

    def show(self, preview: NotePreview) -> None:
        highlighted = self.highlighted
        entries: list[tuple[RenderableType, int | None]] = [
            (problem_text(problem), problem.line) for problem in preview.problems
        ]
        root = self.app.collection.layout.root
        entries += [
            (card_renderable(card, [resolve(root, preview.path, *link) for link in card.pictures]), card.line)
            for card in preview.cards
        ]
        if not preview.cards and preview.readable:
            entries.append((Text(EMPTY_HINT, style="dim"), None))
        if preview.vanished:
            entries.append((vanished_text(preview), None))
        options: list[Option | None] = []
        for index, (prompt, line) in enumerate(entries):
            if index:
                options.append(None)  # a separator line
            options.append(Option(prompt, id=f"line-{line}-{index}" if line else None, disabled=line is None))
        self.set_options(options)
        if highlighted is not None and self.option_count:
            self.highlighted = min(highlighted, self.option_count - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Jump(int(event.option.id.split("-")[1])))


def problem_text(problem: Problem) -> Text:
    error = problem.severity is Severity.ERROR
    text = Text()
    text.append("✗ " if error else "! ", style="bold red" if error else "bold yellow")
    text.append(f"line {problem.line}: ", style="bold")
    text.append(problem.message)
    return text


def card_renderable(card: CardPreview, pictures: Sequence[Picture] = ()) -> RenderableType:
    label, style = STATUS_STYLES[card.status]
    kind = f"cloze c{card.cloze_group}" if card.kind == CardKind.CLOZE else "Q/A"
    header = Text()
    header.append(f"#{card.number} ", style="bold")
    header.append(f"{kind} · line {card.line} · ")
    header.append(label, style=style)
    if card.lab:
        header.append(f" · lab {card.lab}", style="cyan")
    body = Table.grid(padding=(0, 1), expand=True)
    body.add_column(width=1)
    body.add_column(ratio=1)
    body.add_row(Text("Q", style="bold"), Markdown(mark_pictures(card.front)))
    body.add_row(Text("A", style="bold"), Markdown(mark_pictures(card.back)))
    drawn: list[RenderableType] = []
    for picture in pictures:
        if picture.path is not None:
            drawn.append(picture_renderable(picture.path))
        drawn.append(Text.from_markup(caption(picture, hint="drawn as in the review")))
    return Group(header, body, *drawn)


def vanished_text(preview: NotePreview) -> Text:
    count = preview.vanished
    cards = "card" if count == 1 else "cards"
    if preview.errors:
        fate = "kept, with their schedule, until the errors above are fixed"
    else:
        fate = "retired when you save (their history stays; they return if the text does)"
    return Text(f"{count} saved {cards} no longer in the text: {fate}.", style="italic")


def summary_markup(preview: NotePreview) -> str:
    """Two lines: how many cards and what they are to the store; the deck and the problems."""
    cards = len(preview.cards)
    counts = [
        f"{preview.count(status)} {name}"
        for status, name in ((Status.NEW, "new"), (Status.EDITED, "edited"), (Status.SAME, "unchanged"))
        if preview.count(status)
    ]
    first = f"[b]{cards}[/b] card{'s' if cards != 1 else ''}" + (f": {', '.join(counts)}" if counts else "")
    second = [f"deck [b]{escape(preview.deck)}[/b]"]
    if preview.lab:
        second.append(f"lab [b]{escape(preview.lab)}[/b]")
    if preview.errors:
        second.append(f"[b $error]{_plural(preview.errors, 'error')}[/]")
    if preview.warnings:
        second.append(f"[$warning]{_plural(preview.warnings, 'warning')}[/]")
    return first + "\n" + " · ".join(second)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def saved_message(preview: NotePreview) -> str:
    new = preview.count(Status.NEW)
    text = f"{_plural(len(preview.cards), 'card')} in this note"
    if new:
        text += f", {new} of them new"
    if preview.errors:
        text += f". {_plural(preview.errors, 'error')} to fix: f8 goes there"
    return text + "."
