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
    lines += ["## Coming up", ""]
    lines.append(" · ".join(f"{day:%a %d} **{count}**" for day, count in summary.forecast))
    return "\n".join(lines)


class SummaryScreen(Screen):
    BINDINGS = [
        Binding("enter", "home", "Home"),
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
