"""Home: today's counts, the streak, the last session, and the deck tree to start from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from studyterm.decks import DeckNode
from studyterm.quiz import Mode
from studyterm.render.text import plural
from studyterm.tui.errors import background
from studyterm.tui.widgets.bars import mastery_bar

ALL_DECKS = "*"
COLUMNS = (
    ("Deck", "deck"),
    ("Due", "due"),
    ("New", "new"),
    ("Cards", "total"),
    ("Mastery (interval ≥ 21 days)", "mastery"),
)


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter", "review", "Review", priority=True),
        Binding("t", "quiz('typed')", "Typed"),
        Binding("c", "quiz('choice')", "Choice"),
        Binding("n", "new_note", "New"),
        Binding("b", "browse", "Browse"),
        Binding("l", "labs", "Labs"),
        Binding("o", "settings", "Settings", show=False),
        Binding("q", "app.quit", "Quit"),
        # In the help screen and the palette; the resume line says "press r".
        Binding("x", "export", "Export", show=False),
        Binding("r", "resume", "Resume", show=False),
        Binding("s", "sync", "Sync", show=False),
        Binding("S", "statistics('statistics')", "Stats", show=False),
        Binding("P", "statistics('progress')", "Progress", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="today"):
            yield Static(id="counts")
            yield Static(id="streak")
        yield Static(id="resume")
        yield Static(id="progress-line")
        yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)  # compact: every home key fits in 80 columns

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def notes_changed(self) -> None:
        if self.is_current:
            self.refresh_data()

    @background(group="home")
    def refresh_data(self) -> None:
        """Counting every deck reads every card (~50 ms on 100,000): off the UI thread."""
        collection = self.app.collection
        overview = (collection.counts(), collection.streak(), collection.sessions(1), collection.deck_tree())
        self.app.call_from_thread(self.show_data, *overview)

    def show_data(self, counts, days, last, tree: DeckNode) -> None:
        self.query_one("#counts", Static).update(
            f"[b]Today[/b]  [b $accent]{counts.review}[/] due · [b]{counts.new}[/] new · "
            f"[b]{counts.repeat}[/] again"
        )
        self.query_one("#streak", Static).update(f"Streak {days} day{'s' if days != 1 else ''}")
        self.query_one("#resume", Static).update(self._resume_text(last))
        self._fill_decks(tree)
        self.call_after_refresh(self.app.content_shown)
        self.refresh_progress()

    def _resume_text(self, last) -> Text:
        if not last:
            return Text("No study session yet: press Enter to start today's review.")
        session = last[0]
        answers = session.summary.get("answers", 0)
        where = session.deck or "all decks"
        when = session.started_at.strftime("%a %d %b %H:%M")
        done = "done" if session.summary.get("complete") else "ended early"
        text = Text(
            f"Last session {when}: {plural(answers, 'answer')}, {session.mode} on {where}, {done}. "
            "Press r to resume today's unfinished one."
        )
        notes = session.summary.get("notes") or []
        if notes:
            text.append(f"\nLast note: {notes[-1]}", style="dim")
        following = (session.summary.get("worksheet") or {}).get("next")
        if following:
            text.append("\nNext action (your worksheet): ", style="bold")
            text.append(" ".join(str(following).split()))
        return text

    @background(group="home-progress")
    def refresh_progress(self) -> None:
        """Progress reads every card grouped (~0.1 s on 100,000): after the first paint, off the UI thread."""
        from studyterm.progress import service
        from studyterm.progress.plan import PlanError

        try:
            progress = service.progress(self.app.collection)
        except PlanError as error:
            line = Text(str(error), style="red")
        else:
            line = Text("Progress ", style="bold")
            line.append_text(mastery_bar(progress.overall))
            line.append(f"  {progress.mastered}/{len(progress.topics)} topics mastered")
            if progress.next_step:
                line.append(f" · next: {progress.next_step.why}: {progress.next_step.action}")
            line.append("  (P: progress, S: statistics)", style="dim")
        self.app.call_from_thread(self.query_one("#progress-line", Static).update, line)

    def _fill_decks(self, root: DeckNode) -> None:
        table = self.query_one("#decks", DataTable)
        selected = self._selected_deck()
        rows = [(ALL_DECKS, self._cells(root, 0))]
        rows += [(node.path, self._cells(node, depth)) for node, depth in _walk(root)]
        # Explicit widths: DataTable's automatic ones can keep a stale narrow render when rows
        # are replaced after the first paint.
        widths = [
            max(len(label), *(len(str(cells[index])) for _, cells in rows))
            for index, (label, _key) in enumerate(COLUMNS)
        ]
        table.clear(columns=True)
        for (label, key), width in zip(COLUMNS, widths, strict=True):
            table.add_column(label, key=key, width=width)
        for key, cells in rows:
            table.add_row(*cells, key=key)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))

    def _cells(self, node: DeckNode, depth: int) -> tuple:
        label = ("  " * (depth - 1) + ("└ " if depth > 1 else "") + node.name) if depth else node.name
        return (
            Text(label, style="bold" if depth <= 1 else ""),
            Text(str(node.due), style="bold" if node.due else "dim"),
            Text(str(node.new), style="" if node.new else "dim"),
            str(node.total),
            mastery_bar(node.mastery),
        )

    def _selected_deck(self) -> str | None:
        table = self.query_one("#decks", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key

    def _deck(self) -> str | None:
        key = self._selected_deck()
        return None if key in (None, ALL_DECKS) else key

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review()

    def action_review(self) -> None:
        self.app.start_review(self._deck(), Mode.FLASH)

    def action_quiz(self, mode: str) -> None:
        self.app.start_review(self._deck(), Mode(mode))

    def action_resume(self) -> None:
        """Continue today's latest session that ended before its queue did; none: today's review."""
        session = self.app.collection.resumable_session()
        if session is None:
            self.notify("No unfinished session today: starting today's review.", timeout=3)
            self.action_review()
            return
        self.app.start_review(session.deck, Mode(session.mode))

    def action_browse(self) -> None:
        from studyterm.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen())

    def action_export(self) -> None:
        from studyterm.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self._deck()))

    def action_statistics(self, tab: str) -> None:
        from studyterm.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(tab))

    def action_labs(self) -> None:
        self.app.open_lab()

    def action_new_note(self) -> None:
        self.app.new_note(self._deck())

    def action_settings(self) -> None:
        from studyterm.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen(self._deck()))

    def action_sync(self) -> None:
        self.notify("Reading changed notes…", timeout=2)
        self.app.sync_notes()


def _walk(node: DeckNode, depth: int = 1):
    for child in node.children:
        yield child, depth
        yield from _walk(child, depth + 1)
