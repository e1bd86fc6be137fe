"""A question with a few answers as buttons (save over a changed file? recover a draft?)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, Static


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    key: str
    variant: str = "default"


class ChoiceDialog(ModalScreen[str]):
    """Dismissed with the chosen value; each choice's key picks it, Esc picks `cancel`."""

    def __init__(self, title: str, message: str, choices: list[Choice], cancel: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = choices
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog"):
            yield Static(f"[b]{self.title_text}[/b]", id="choice-title")
            yield Static(self.message, id="choice-message")
            with Horizontal(id="choice-buttons"):
                for choice in self.choices:
                    yield Button(
                        f"{choice.label} ({choice.key})", id=f"choice-{choice.value}", variant=choice.variant
                    )

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed)
    def chosen(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id.removeprefix("choice-"))

    def on_key(self, event: Key) -> None:
        if event.key == "escape":
            event.stop()
            self.dismiss(self.cancel)
            return
        for choice in self.choices:
            if event.key == choice.key:
                event.stop()
                self.dismiss(choice.value)
                return
