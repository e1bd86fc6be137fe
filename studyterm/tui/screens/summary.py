"""End of session: what was done, what lapsed, what comes next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown

from studyterm.render.card import escape_markdown
from studyterm.render.text import duration, plural
from studyterm.session import SessionSummary


def summary_markdown(summary: SessionSummary) -> str:
    total = duration(round(summary.duration_s * 1000))
    lines = [
        "# Session done",
        "",
        f"**{plural(summary.cards, 'card')}** reviewed ({plural(summary.answers, 'answer')}) · "
        f"**{summary.accuracy:.0%}** graded 3 or more · **{duration(summary.time_ms)}** on cards, "
        f"{total} in all",
        "",
        f"Decks: {', '.join(summary.decks) or '-'}",
        "",
    ]
    if summary.watchlist:
        lines += ["## Watchlist: lapsed today", ""]
        for item in summary.watchlist:
            leech = " · **leech**" if item.leech else ""
            lines.append(f"- {escape_markdown(item.question)} (failed {item.failures}× today, {plural(item.lapses, 'lapse')} in all{leech})")
        lines.append("")
    else:
        lines += ["Nothing lapsed today.", ""]
    if summary.session_id is not None:
        lines += ["Press **w** to write the session worksheet (what you thought, what failed, what helped, "
                  "an idea, your next action).", ""]
    lines += ["## Coming up", ""]
    lines.append(" · ".join(f"{day:%a %d} **{count}**" for day, count in summary.forecast))
    return "\n".join(lines)


class SummaryScreen(Screen):
    BINDINGS = [
        Binding("enter", "home", "Home"),
        Binding("w", "worksheet", "Worksheet"),
        Binding("escape", "home", "Home", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Markdown(summary_markdown(self.summary), id="summary")
        yield Footer()

    def action_home(self) -> None:
        self.app.pop_screen()

    def action_worksheet(self) -> None:
        if self.summary.session_id is None:
            self.notify("Nothing was answered: there is no session to write a worksheet for.")
            return
        from studyterm.tui.screens.worksheet import WorksheetScreen

        def saved(answers: dict[str, str] | None) -> None:
            if answers is not None:
                self.notify("Worksheet saved with the session (studyterm log shows it).")

        self.app.push_screen(WorksheetScreen(self.summary.session_id), saved)
