"""A card's text, its schedule and its whole review history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Markdown, Static

from studyterm.collection import card_state
from studyterm.render.card import answer_markdown, question_markdown
from studyterm.render.text import interval
from studyterm.scheduling import Recall
from studyterm.shapes import review_dict
from studyterm.store import ReviewEntry
from studyterm.store.reports import LEECH_LAPSES
from studyterm.tui.widgets.pictures import OpensPictures, PictureStrip, show_card_pictures


class CardInfoScreen(OpensPictures, ModalScreen):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("i", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
        Binding("v", "view_picture", "Open picture", show=False),
    ]

    def __init__(self, card_id: str) -> None:
        super().__init__()
        self.card_id = card_id

    def compose(self) -> ComposeResult:
        collection = self.app.collection
        card = collection.card(self.card_id)
        history = collection.history(card.id)
        schedule = card.schedule
        with Vertical(id="info-dialog"):
            with VerticalScroll():
                yield Static(
                    f"[b]Card {card.id}[/b] · {card.deck} · {card_state(card, collection.today())}\n"
                    f"[dim]{card.note_path}:{card.line}[/dim]"
                    + (f" · lab [b]{card.lab}[/b]" if card.lab else "")
                    + (f" · tags {', '.join(card.tags)}" if card.tags else ""),
                    id="info-title",
                )
                if card.lab:
                    from studyterm.tui.widgets.lab_holes import card_lab_markup

                    yield Static(card_lab_markup(self.app.labs, card.lab), id="info-lab")
                yield Markdown(question_markdown(card), id="info-question")
                yield PictureStrip(id="question-pictures")
                yield Markdown(answer_markdown(card), id="info-answer")
                yield PictureStrip(id="answer-pictures")
                flags = [
                    name
                    for name, on in (
                        ("suspended", card.suspended),
                        ("flagged", card.flagged),
                        ("retired", card.retired),
                        ("leech", schedule.lapses >= LEECH_LAPSES),
                    )
                    if on
                ]
                yield Static(
                    f"EF [b]{schedule.sm2.ef:.2f}[/b] · interval [b]{interval(schedule.sm2.interval_days)}[/b]"
                    f" · repetitions {schedule.sm2.repetitions} · lapses {schedule.lapses}"
                    f" · due [b]{schedule.due or 'new'}[/b]" + (f" · {', '.join(flags)}" if flags else ""),
                    id="info-schedule",
                )
                yield Static(recall_markup(collection.scheduling.recall(card, collection.today())),
                             id="info-recall")
                yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
                yield Static(f"[dim]{len(history)} log entries · Esc closes[/dim]")

    async def on_mount(self) -> None:
        await show_card_pictures(self, self.app.collection.card(self.card_id), revealed=True)
        table = self.query_one("#history", DataTable)
        for column in ("When", "Source", "Grade", "EF", "Interval", "Due", "Note"):
            table.add_column(column)
        history = self.app.collection.history(self.card_id)
        undone = {entry.undoes for entry in history if entry.undoes is not None}
        for entry in reversed(history):
            table.add_row(*history_cells(entry, entry.id in undone))


def recall_markup(recall: Recall) -> str:
    """Predicted recall today under each scheduler; the one setting due dates comes first."""
    if recall.fsrs_recall is None:
        fsrs = "FSRS: not reviewed yet"
    else:
        fsrs = (f"FSRS: recall [b]{recall.fsrs_recall:.0%}[/b] today · stability "
                f"{recall.fsrs_stability:.1f}d · difficulty {recall.fsrs_difficulty:.1f}/10")
    sm2 = "SM-2: no prediction yet" if recall.sm2_recall is None else (
        f"SM-2: recall [b]{recall.sm2_recall:.0%}[/b] today (read as 90% at its {interval(recall.sm2_interval)} "
        f"interval) · due {recall.sm2_due}")
    lines = [fsrs, sm2] if recall.scheduler == "fsrs" else [sm2, fsrs]
    return f"{lines[0]}  [dim](schedules)[/dim]\n[dim]{lines[1]}[/dim]"


def history_cells(entry: ReviewEntry, undone: bool) -> tuple[str, ...]:
    when = entry.ts.strftime("%Y-%m-%d %H:%M")
    if entry.kind == "undo":
        return (when, "undo", "", f"{entry.ef_after:.2f}", interval(entry.interval_after),
                str(entry.due_after or "new"), f"undid #{entry.undoes}")
    note = "undone" if undone else {"repeat": "same-day repeat", "reschedule": "due date set"}.get(entry.kind, "")
    if entry.source == "lab":
        from studyterm.labs.feedback import lab_event_line

        note = lab_event_line(review_dict(entry)) + (" (undone)" if undone else "")
    return (
        when,
        entry.source,
        "" if entry.grade is None else str(entry.grade),
        f"{entry.ef_before:.2f}→{entry.ef_after:.2f}",
        f"{interval(entry.interval_before)}→{interval(entry.interval_after)}",
        str(entry.due_after or "-"),
        note,
    )
