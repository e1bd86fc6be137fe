"""Progress and statistics: mastery per domain and topic, milestones, gaps and the next step;
then the figures Anki users look for, drawn as terminal plots (textual-plotext)."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from studyterm.progress.mastery import GAP_LABELS, Progress
from studyterm.progress.plan import PLAN_FILE, PlanError
from studyterm.progress.stats import Statistics
from studyterm.tui.errors import background
from studyterm.tui.widgets.bars import mastery_bar

HEAT = " ░▒▓█"
"""Answers per day, from none to the year's busiest fifth."""
WEEKS_SHOWN = 26
MAX_LABELS = 8
"""Labels under a bar chart's axis, at most (every day of 30 would not fit)."""


class StatsScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("p", "show('progress')", "Progress"),
        Binding("s", "show('statistics')", "Statistics"),
    ]

    def __init__(self, tab: str = "progress") -> None:
        super().__init__()
        self.initial_tab = tab

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=f"{self.initial_tab}-pane"):
            with TabPane("Progress", id="progress-pane", classes="stats-pane"), VerticalScroll():
                yield Static("Reading your history…", id="progress-text")
            with TabPane("Statistics", id="statistics-pane", classes="stats-pane"), VerticalScroll():
                yield Static(id="stats-summary")
                yield Static(id="calendar")
                with Horizontal(classes="plots"):
                    yield PlotextPlot(id="forecast")
                    yield PlotextPlot(id="minutes")
                with Horizontal(classes="plots"):
                    yield PlotextPlot(id="ef")
                    yield PlotextPlot(id="buttons")
                yield Static("Hardest cards", classes="section")
                yield DataTable(id="hardest", cursor_type="row", zebra_stripes=True)
                yield Static("Which scheduler predicts you better", classes="section")
                yield Static("Comparing SM-2 and FSRS on your reviews…", id="evidence")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.load_evidence()

    @background(group="stats-evidence")
    def load_evidence(self) -> None:
        from studyterm.fitting.service import NotEnoughReviewsError
        from studyterm.progress import service

        try:
            shape = service.scheduler_evidence(self.app.collection)
        except NotEnoughReviewsError as error:
            text = Text(f"Not yet: {error}", style="dim")
        else:
            text = evidence_text(shape)
        self.app.call_from_thread(self.query_one("#evidence", Static).update, text)

    def action_show(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"{tab}-pane"

    @background(group="stats")
    def load(self) -> None:
        from studyterm.progress import service

        collection = self.app.collection
        try:
            progress = service.progress(collection)
        except PlanError as error:
            self.app.call_from_thread(self.show_plan_error, str(error))
            progress = None
        statistics = service.statistics(collection)
        self.app.call_from_thread(self.show, progress, statistics)

    def show_plan_error(self, message: str) -> None:
        self.query_one("#progress-text", Static).update(Text(message, style="bold red"))

    def show(self, progress: Progress | None, statistics: Statistics) -> None:
        if progress is not None:
            self.query_one("#progress-text", Static).update(progress_text(progress))
        self.query_one("#stats-summary", Static).update(summary_text(statistics))
        self.query_one("#calendar", Static).update(calendar_text(statistics.calendar, statistics.today))
        self._bars("#forecast", "Due in the next 30 days",
                   [f"{day:%d}" for day, _ in statistics.forecast], [n for _, n in statistics.forecast])
        self._bars("#minutes", "Minutes a day (30 days)",
                   [f"{day:%d}" for day, _ in statistics.minutes], [m for _, m in statistics.minutes],
                   whole=False)
        self._bars("#ef", "E-Factors of learned cards",
                   [f"{low:.1f}" for low, _ in statistics.ef_histogram], [n for _, n in statistics.ef_histogram])
        self._bars("#buttons", "Answers by grade (a year)",
                   [str(grade) for grade, _ in statistics.buttons], [n for _, n in statistics.buttons])
        table = self.query_one("#hardest", DataTable)
        table.clear(columns=True)
        table.add_columns("Lapses", "E-Factor", "Question")
        for fact in statistics.hardest:
            table.add_row(str(fact.lapses), f"{fact.ef:.2f}", Text(" ".join(fact.question.split())[:70]))

    def _bars(self, selector: str, title: str, labels: list[str], values: list[float],
              whole: bool = True) -> None:
        widget = self.query_one(selector, PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.title(title)
        plt.bar(labels, values, marker="hd")
        step = max(1, -(-len(labels) // MAX_LABELS))
        plt.xticks(list(range(1, len(labels) + 1, step)), labels[::step])  # plotext's own pick varies run to run
        if whole:
            plt.yticks(whole_ticks(max(values, default=0)))
        widget.refresh(layout=True)


def whole_ticks(top: float) -> list[int]:
    """Counts get whole-number ticks (plotext's own would read 0.5 answers), at most 5."""
    step = max(1, -(-int(top) // 4))
    return list(range(0, max(int(top), 1) + 1, step))


def progress_text(progress: Progress) -> Text:
    text = Text()
    text.append("Overall  ", style="bold")
    text.append_text(mastery_bar(progress.overall, 20))
    text.append(f"   {progress.mastered}/{len(progress.topics)} topics mastered\n")
    cards = progress.cards
    text.append(f"Cards    {cards.learned} learned of {cards.total}: {cards.young} young, {cards.mature} mature\n\n")
    for domain in progress.domains:
        text.append(f"{domain.name}\n", style="bold")
        for topic in domain.topics:
            text.append("  ✓ " if topic.mastered else "    ", style="green")
            text.append_text(mastery_bar(topic.progress))
            text.append(f"  {topic.topic.name}")
            if topic.due:
                text.append(f"  {topic.due} due", style="bold")
            text.append("\n")
            for status in topic.milestones:
                mark = "■" if status.met else "□"
                when = f" (met {status.day})" if status.met else f" (to pass: {', '.join(status.missing)})"
                text.append("       ")
                text.append(f"{mark} {status.milestone.name}{when}\n", style="" if status.met else "dim")
    if progress.next_step:
        text.append("\nNext  ", style="bold")
        text.append(f"{progress.next_step.why}: {progress.next_step.action}\n")
    if progress.gaps:
        text.append(f"\nGaps ({progress.gap_total})\n", style="bold")
        for gap in progress.gaps[:12]:
            text.append("  ")
            text.append(f"{GAP_LABELS[gap.kind]}: {' '.join(gap.text.split())[:90]}\n")
    source = PLAN_FILE if progress.plan_source else "one topic per deck (write studyplan.toml to plan: docs/progress.md)"
    text.append(f"\nPlan: {source}", style="dim")
    return text


def summary_text(stats: Statistics) -> Text:
    text = Text()
    week = sum(count for _, count in stats.calendar[-7:])
    text.append(f"{stats.answers} answers in a year, {week} in the last 7 days.  ")
    for name, retention in (("young", stats.young), ("mature", stats.mature)):
        rate = "–" if retention.rate is None else f"{retention.rate:.0%} of {retention.total}"
        text.append(f"Retention {name}: {rate}.  ")
    if stats.lab_checks:
        runs = sum(total for _, total, _ in stats.lab_checks)
        passed = sum(ok for _, _, ok in stats.lab_checks)
        text.append(f"Your lab runs: {runs}, every hole passing in {passed}.")
    return text


def calendar_text(calendar: tuple[tuple[date, int], ...], today: date) -> Text:
    """A heatmap of the last 26 weeks: one column a week, Monday at the top."""
    counts = dict(calendar)
    busiest = max(counts.values(), default=0)
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS_SHOWN - 1)
    text = Text("Answers a day, last 26 weeks\n", style="bold")
    for weekday, name in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
        text.append(f"{name:<4}")
        for week in range(WEEKS_SHOWN):
            day = start + timedelta(weeks=week, days=weekday)
            if day > today:
                text.append(" ")
                continue
            count = counts.get(day, 0)
            level = 0 if not count or not busiest else 1 + min(3, int(4 * count / (busiest + 1)))
            text.append(HEAT[level], style="green" if count else "dim")
        text.append("\n")
    text.append(f"    busiest day: {busiest} answers", style="dim")
    return text


def evidence_text(shape: dict | None) -> Text:
    """`fsrs evaluate --no-optimize`'s comparison, in words (docs/scheduling.md)."""
    if shape is None:
        return Text("Your log is long: run `studyterm fsrs evaluate` to compare (it also fits FSRS to you).",
                    style="dim")
    names = {"sm2": "SM-2", "fsrs_default": "FSRS (default parameters)"}
    text = Text(f"Scored on your reviews since {shape['train_until']} (lower log loss is better):\n")
    for key, name in names.items():
        scores = shape["models"].get(key)
        if scores:
            auc = "–" if scores["auc"] is None else f"{scores['auc']:.2f}"
            text.append(f"  {name:<26} log loss {scores['log_loss']:.3f}  RMSE {scores['rmse_bins']:.3f}  "
                        f"AUC {auc}  ({scores['reviews']} reviews)\n")
    text.append(f"Better here: {names.get(shape['best'], shape['best'])}. ", style="bold")
    text.append("`studyterm fsrs evaluate` adds FSRS fitted to you; `fsrs use fsrs` switches.", style="dim")
    return text
