"""The running side of the lab screen: status, progress, the loss curve, the result against
the targets and predictions, the log, and the previous runs to compare with.

It only draws: the screen runs the lab and hands it the events and the finished report.
Metric points are batched and the plot redrawn at most every PLOT_REFRESH_S."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Log, ProgressBar, Static

from studyterm.labs import (
    Finished,
    HoleChecked,
    LabSpec,
    LogLine,
    MetricPoint,
    Progress,
    RunEvent,
    RunReport,
    Started,
)
from studyterm.labs.feedback import lab_event_line, target_text, verdict_of
from studyterm.labs.targets import format_value
from studyterm.render.card import question_line
from studyterm.shapes import review_dict
from studyterm.store.labs import LabRun

PLOT_REFRESH_S = 0.25


QUESTION_WIDTH = 48


class RunPanel(VerticalScroll):
    def __init__(self, spec: LabSpec, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.series: dict[str, list[tuple[int, float]]] = {}
        self.plot_dirty = False

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield Static(id="lab-status")
        yield ProgressBar(id="lab-progress", show_eta=False)
        yield PlotextPlot(id="lab-plot")
        yield Static(id="lab-result")
        yield Log(id="lab-log", max_lines=2000)
        yield DataTable(id="lab-runs", cursor_type="row", zebra_stripes=True)
        from studyterm.tui.widgets.more_below import MoreBelow

        yield MoreBelow("log and runs")

    def on_mount(self) -> None:
        self.set_interval(PLOT_REFRESH_S, self._redraw_plot)
        # An empty bar with no total is Textual's "working" animation: shown only while running.
        self.query_one("#lab-progress", ProgressBar).display = False
        self._draw_plot()

    def status(self, markup: str) -> None:
        self.query_one("#lab-status", Static).update(markup)

    def starting(self, what: str) -> None:
        self.series = {}
        self.query_one("#lab-log", Log).clear()
        self.query_one("#lab-result", Static).update("")
        bar = self.query_one("#lab-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.status(f"[b]{what}…[/b] Esc stops it.")
        self._draw_plot()

    def event(self, event: RunEvent) -> None:
        if isinstance(event, MetricPoint):
            self.series.setdefault(event.name, []).append((event.step, event.value))
            self.plot_dirty = True
        elif isinstance(event, Progress):
            self.query_one("#lab-progress", ProgressBar).update(total=event.total, progress=event.step)
        elif isinstance(event, LogLine):
            self.query_one("#lab-log", Log).write_line(event.text)
        elif isinstance(event, HoleChecked):
            self.query_one("#lab-log", Log).write_line(f"hole {event.name}: {event.status}")
        elif isinstance(event, Started):
            self.query_one("#lab-log", Log).write_line(f"started (pid {event.pid}) with {event.params}")
        elif isinstance(event, Finished):
            bar = self.query_one("#lab-progress", ProgressBar)
            bar.update(total=bar.total or 1, progress=bar.total or 1)

    def finished(self, report: RunReport) -> None:
        run = report.run
        if run.series:
            self.series = {name: list(points) for name, points in run.series.items()}
        self._draw_plot()
        self.status(verdict_markup(run))
        bar = self.query_one("#lab-progress", ProgressBar)
        if bar.total is None:  # nothing counted the steps: no bar left animating
            bar.display = False
        cards = self.app.collection.cards([entry.card_id for entry in report.feedback])
        questions = {card.id: question_line(card) for card in cards}
        self.query_one("#lab-result", Static).update(result_markup(report, questions))
        if run.traceback:
            log = self.query_one("#lab-log", Log)
            for line in run.traceback.splitlines():
                log.write_line(line)

    # -- previous runs ------------------------------------------------------------------------

    def fill_runs(self, runs: list[LabRun]) -> None:
        table = self.query_one("#lab-runs", DataTable)
        table.clear(columns=True)
        params = list(self.spec.params)
        metrics = [name for name, metric in self.spec.metrics.items() if not metric.series]
        for column in ("run", "when", "code", *params, *metrics, "result"):
            table.add_column(column)
        for run in runs:
            table.add_row(
                f"#{run.id}",
                run.started_at.strftime("%m-%d %H:%M"),
                ("yours" if run.learner else "reference" if run.holes else "lab")
                + (" (graded)" if run.graded else ""),
                *[str(run.params.get(name, "")) for name in params],
                *[format_value(run.metrics.get(name)) for name in metrics],
                result_word(run),
                key=str(run.id),
            )

    def selected_run(self) -> int | None:
        table = self.query_one("#lab-runs", DataTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    # -- the plot -------------------------------------------------------------------------------

    def _redraw_plot(self) -> None:
        if self.plot_dirty:
            self.plot_dirty = False
            self._draw_plot()

    def _draw_plot(self) -> None:
        plot = self.query_one("#lab-plot")
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plotted = False
        for name, points in self.series.items():
            if points:
                steps, values = zip(*points, strict=True)
                plt.plot(list(steps), list(values), label=name)
                plotted = True
        last_step = max((points[-1][0] for points in self.series.values() if points), default=0)
        if plotted:
            ticks = step_ticks(last_step)
            plt.xticks(ticks, [str(tick) for tick in ticks])
        names = [name for name, metric in self.spec.metrics.items() if metric.series]
        plt.title(", ".join(names) + " per step" if names else "no metric series in this lab")
        if not plotted:
            plt.xlim(0, 1)
            plt.ylim(0, 1)
        plot.refresh()


def result_word(run: LabRun) -> str:
    if run.mode == "check":
        passed = sum(hole["status"] == "passed" for hole in run.holes)
        return f"checks {passed}/{len(run.holes)}"
    if run.passed:
        return "passed"
    return run.status if run.status != "completed" else "missed"


def verdict_markup(run: LabRun) -> str:
    if run.mode == "check":
        passed = sum(hole["status"] == "passed" for hole in run.holes)
        style = "$success" if run.passed else "$error"
        return f"[b {style}]Checks: {passed}/{len(run.holes)} holes passing[/] · run #{run.id}"
    style = "$success" if run.passed else "$error"
    word = "Passed" if run.passed else run.status.capitalize() if run.status != "completed" else "Missed"
    return f"[b {style}]{word}[/]: {escape(verdict_of(run))} · {_seconds(run.duration_s)} · run #{run.id}"


def step_ticks(last: int, most: int = 6) -> list[int]:
    """Whole-number ticks for the step axis at a round stride (1, 2, 5, 10, 20, 50, ...):
    steps are counts, and 12.5 on that axis reads as a bug."""
    stride = 1
    while last // stride >= most:
        stride = stride * 5 // 2 if str(stride)[0] == "2" else stride * 2
    return list(range(0, last + 1, stride))


def result_markup(report: RunReport, questions: dict[str, str] | None = None) -> str:
    """What the run showed; a card it changed is named by its question (the id as well)."""
    questions = questions or {}
    run = report.run
    lines = []
    for check in run.targets:
        mark = "[$success]✓[/]" if check.get("met") else "[$error]✗[/]"
        lines.append(f"{mark} {target_text(check)}  [b]{format_value(check.get('value'))}[/b]")
    others = [name for name in run.metrics if name not in {c.get("metric") for c in run.targets}]
    if others:
        lines.append("[dim]" + " · ".join(f"{n} {format_value(run.metrics[n])}" for n in others) + "[/dim]")
    for prediction in run.predictions:
        lines.append(prediction_markup(prediction))
    for entry in report.feedback:
        question = questions.get(entry.card_id)
        if question is None:
            name = f"card {entry.card_id}"
        else:
            cut = question if len(question) <= QUESTION_WIDTH else question[: QUESTION_WIDTH - 1] + "…"
            name = f"“{escape(cut)}” [dim]{entry.card_id}[/dim]"
        lines.append(f"{name}: {escape(lab_event_line(review_dict(entry)))}")
    if not report.feedback:
        lines.append(f"[dim]{no_change_reason(run)}[/dim]")
    elif run.graded and any(hole["status"] == "not_started" for hole in run.holes):
        lines.append("[dim]Cards that link the whole lab wait: a hole not started gives no feedback.[/dim]")
    return "\n".join(lines)


def prediction_markup(prediction: dict) -> str:
    said = escape(str(prediction.get("chosen_answer")))
    if prediction.get("correct") is None:
        return f"[b]Prediction[/b] you said “{said}”; the run showed nothing to compare"
    if prediction["correct"]:
        return f"[b $success]Prediction right[/]: “{said}”"
    actual = escape(str(prediction.get("actual_answer")))
    return f"[b $error]Prediction wrong[/]: you said “{said}”, the run showed “{actual}”"


def no_change_reason(run: LabRun) -> str:
    if run.mode == "check":
        return "Checks never change a card."
    if run.graded:
        if any(hole["status"] == "not_started" for hole in run.holes):
            return "No card was changed: a hole not started gives no feedback."
        return "No card links this lab, its holes or its predictions."
    if not run.holes and not run.learner:
        return "No card was changed: a demo lab never changes a card."
    if not run.learner:
        return "No card was changed: a run of the reference solution is exploration."
    return "No card was changed: only your code at the lab's defaults is graded (this is exploration)."


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 60 else f"{value / 60:.1f} min"
