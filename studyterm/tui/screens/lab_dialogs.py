"""The lab screen's dialogs: predict before an exploratory run, and a passing hole's code
beside the reference."""

from __future__ import annotations

from rich.syntax import Syntax
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from studyterm.labs.exercise_spec import PredictionSpec
from studyterm.labs.workspace import HoleDiff

SKIP = "skip"


class PredictionDialog(ModalScreen[int | None]):
    """Asks a prediction's question; dismissed with the answer's index, or None (skipped)."""

    def __init__(self, prediction: PredictionSpec, warning: str = "") -> None:
        super().__init__()
        self.prediction = prediction
        self.warning = warning

    def compose(self) -> ComposeResult:
        with Vertical(id="prediction-dialog"):
            yield Static("[b]Predict, then run[/b]", id="prediction-title")
            yield Static(escape(self.prediction.question), id="prediction-question")
            if self.warning:
                yield Static(f"[$warning]{escape(self.warning)}[/]", id="prediction-warning")
            for number, outcome in enumerate(self.prediction.outcomes, start=1):
                yield Button(f"{number}. {outcome.answer}", id=f"answer-{number - 1}",
                             classes="prediction-answer")
            yield Button("Skip: run without predicting (s)", id=f"answer-{SKIP}", variant="default")
            yield Static("[dim]The run's metrics decide which answer was right; the cards that "
                         f"link {self.prediction.id} get the grade. Skipping logs nothing.[/dim]")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed)
    def answered(self, event: Button.Pressed) -> None:
        event.stop()
        value = event.button.id.removeprefix("answer-")
        self.dismiss(None if value == SKIP else int(value))

    def on_key(self, event: Key) -> None:
        if event.key in ("escape", "s"):
            event.stop()
            self.dismiss(None)
        elif event.key.isdigit() and 1 <= int(event.key) <= len(self.prediction.outcomes):
            event.stop()
            self.dismiss(int(event.key) - 1)


class HoleDiffScreen(ModalScreen):
    """Your code of a hole beside the lab's reference solution."""

    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("d", "dismiss", "Close", show=False)]

    def __init__(self, diff: HoleDiff) -> None:
        super().__init__()
        self.diff = diff

    def compose(self) -> ComposeResult:
        diff = self.diff
        with Vertical(id="diff-dialog"):
            yield Static(f"[b]{escape(diff.title)}[/b] · {escape(diff.task)}", id="diff-title")
            if diff.changed:
                yield Static("[$warning]The lab changed this hole since you started.[/]")
            with Horizontal(id="diff-panes"):
                with VerticalScroll(classes="diff-pane"):
                    yield Static(f"[b]Your code[/b] [dim]{diff.learner_where}[/dim]")
                    yield Static(_code(diff.learner or "(the hole's markers are gone from your copy)"),
                                 id="diff-learner")
                with VerticalScroll(classes="diff-pane"):
                    yield Static(f"[b]Reference[/b] [dim]{diff.reference_where}[/dim]")
                    yield Static(_code(diff.reference), id="diff-reference")
            yield Static("[dim]Esc closes[/dim]")


def _code(text: str) -> Syntax:
    return Syntax(text.rstrip("\n"), "python", theme="ansi_dark", line_numbers=False, word_wrap=True)
