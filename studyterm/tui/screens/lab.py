"""A lab: its description and parameters, a Run action with live progress, log and loss curve,
the metrics against the targets when it ends, and the previous runs to compare with.

The lab runs in its own process through the labs API, from a thread worker; its events come
back as messages, and metric points are batched so a fast lab cannot flood the screen."""

from __future__ import annotations

import threading

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Log,
    Markdown,
    ProgressBar,
    Static,
)

from studyterm.labs import (
    Finished,
    LabError,
    LabParamError,
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
from studyterm.shapes import review_dict
from studyterm.store.labs import LabRun

PLOT_REFRESH_S = 0.25


class LabEvent(Message):
    def __init__(self, event: RunEvent) -> None:
        super().__init__()
        self.event = event


class LabFinished(Message):
    def __init__(self, report: RunReport | None, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error


class LabScreen(Screen):
    BINDINGS = [
        Binding("ctrl+r", "run", "Run", priority=True),
        Binding("escape", "cancel_or_back", "Stop / back"),
    ]

    def __init__(self, lab_id: str, card_id: str | None = None) -> None:
        super().__init__()
        self.lab_id = lab_id
        self.card_id = card_id
        self.labs = None
        self.spec: LabSpec | None = None
        self.cancel: threading.Event | None = None
        self.series: dict[str, list[tuple[int, float]]] = {}
        self.plot_dirty = False

    @property
    def running(self) -> bool:
        return self.cancel is not None

    def compose(self) -> ComposeResult:
        self.labs = self.app.labs
        self.spec = self.labs.spec(self.lab_id)
        spec = self.spec
        yield Header()
        with Horizontal(id="lab"):
            with VerticalScroll(id="lab-setup"):
                yield Static(f"[b]{spec.title}[/b]\n[dim]lab {spec.id}[/dim]", id="lab-title")
                yield Markdown(spec.description, id="lab-description")
                targets = " · ".join(target.display for target in spec.targets) or "none (no feedback)"
                yield Static(f"[b]Targets[/b]  {targets}", id="lab-targets")
                yield Label("[b]Parameters[/b] (edit, then ctrl+r to run)")
                for name, param in spec.params.items():
                    yield Label(f"{name}  [dim]{param.help}[/dim]", classes="param-label")
                    yield Input(str(param.default), id=f"param-{name}", classes="param")
            with Vertical(id="lab-run"):
                yield Static(self._status_idle(), id="lab-status")
                yield ProgressBar(id="lab-progress", show_eta=False)
                yield self._plot()
                yield Static(id="lab-result")
                yield Log(id="lab-log", max_lines=2000)
                yield DataTable(id="lab-runs", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def _plot(self):
        from textual_plotext import PlotextPlot

        return PlotextPlot(id="lab-plot")

    def on_mount(self) -> None:
        self.sub_title = f"lab {self.lab_id}" + (f" · from card {self.card_id}" if self.card_id else "")
        self.set_interval(PLOT_REFRESH_S, self._redraw_plot)
        self._draw_plot()
        self._fill_runs()

    def _status_idle(self) -> str:
        linked = len(self.labs.linked_cards(self.lab_id))
        cards = f"{linked} card{'s' if linked != 1 else ''}"
        return f"Ready. A run that misses a target makes its {cards} due today; one that meets them all eases them."

    # -- running ----------------------------------------------------------------------------

    def action_run(self) -> None:
        if self.running:
            self.notify("The lab is already running (Esc stops it).", timeout=3)
            return
        try:
            params = self._params()
        except LabParamError as error:
            self.notify(str(error), severity="error")
            return
        self.cancel = threading.Event()
        self.series = {}
        self.query_one("#lab-log", Log).clear()
        self.query_one("#lab-result", Static).update("")
        self.query_one("#lab-progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#lab-status", Static).update("[b]Running…[/b] Esc stops it.")
        self._draw_plot()
        self.run_lab(params, self.cancel)

    def _params(self) -> dict[str, object]:
        return {
            name: param.coerce(self.query_one(f"#param-{name}", Input).value)
            for name, param in self.spec.params.items()
        }

    @work(thread=True, exclusive=True, exit_on_error=False, group="lab")
    def run_lab(self, params: dict, cancel: threading.Event) -> None:
        try:
            report = self.labs.run(
                self.lab_id, params, card_id=self.card_id,
                on_event=lambda event: self.post_message(LabEvent(event)), cancel=cancel,
            )
        except LabError as error:
            self.post_message(LabFinished(None, str(error)))
            return
        self.post_message(LabFinished(report))

    def on_lab_event(self, message: LabEvent) -> None:
        event = message.event
        if isinstance(event, MetricPoint):
            self.series.setdefault(event.name, []).append((event.step, event.value))
            self.plot_dirty = True
        elif isinstance(event, Progress):
            self.query_one("#lab-progress", ProgressBar).update(total=event.total, progress=event.step)
        elif isinstance(event, LogLine):
            self.query_one("#lab-log", Log).write_line(event.text)
        elif isinstance(event, Started):
            self.query_one("#lab-log", Log).write_line(f"started (pid {event.pid}) with {event.params}")
        elif isinstance(event, Finished):
            self.query_one("#lab-progress", ProgressBar).update(
                total=self.query_one("#lab-progress", ProgressBar).total or 1,
                progress=self.query_one("#lab-progress", ProgressBar).total or 1,
            )

    def on_lab_finished(self, message: LabFinished) -> None:
        self.cancel = None
        if message.error:
            self.query_one("#lab-status", Static).update(f"[b $error]Could not run:[/] {message.error}")
            return
        report = message.report
        run = report.run
        if run.series:
            self.series = {name: list(points) for name, points in run.series.items()}
        self._draw_plot()
        self.query_one("#lab-status", Static).update(self._verdict(run))
        self.query_one("#lab-result", Static).update(self._result_text(report))
        if run.traceback:
            log = self.query_one("#lab-log", Log)
            for line in run.traceback.splitlines():
                log.write_line(line)
        self._fill_runs()

    def action_cancel_or_back(self) -> None:
        if self.running:
            self.cancel.set()
            self.query_one("#lab-status", Static).update("[b]Stopping…[/b]")
        else:
            self.app.pop_screen()

    # -- drawing ----------------------------------------------------------------------------

    def _verdict(self, run: LabRun) -> str:
        style = "$success" if run.passed else "$error"
        word = "Passed" if run.passed else run.status.capitalize() if run.status != "completed" else "Missed"
        return f"[b {style}]{word}[/]: {verdict_of(run)} · {_seconds(run.duration_s)} · run #{run.id}"

    def _result_text(self, report: RunReport) -> str:
        run = report.run
        lines = []
        for check in run.targets:
            mark = "[$success]✓[/]" if check.get("met") else "[$error]✗[/]"
            lines.append(f"{mark} {target_text(check)}  [b]{format_value(check.get('value'))}[/b]")
        others = [name for name in run.metrics if name not in {c.get("metric") for c in run.targets}]
        if others:
            lines.append("[dim]" + " · ".join(f"{n} {format_value(run.metrics[n])}" for n in others) + "[/dim]")
        for entry in report.feedback:
            lines.append(f"card {entry.card_id}: {escape(lab_event_line(review_dict(entry)))}")
        if run.quick or (run.targets and not report.feedback and run.status == "completed"):
            lines.append("[dim]No card was changed by this run.[/dim]")
        return "\n".join(lines)

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
        names = [name for name, metric in self.spec.metrics.items() if metric.series]
        plt.title(", ".join(names) + " per step" if names else "no metric series in this lab")
        if not plotted:
            plt.xlim(0, 1)
            plt.ylim(0, 1)
        plot.refresh()

    def _fill_runs(self) -> None:
        table = self.query_one("#lab-runs", DataTable)
        table.clear(columns=True)
        params = list(self.spec.params)
        metrics = [name for name, metric in self.spec.metrics.items() if not metric.series]
        for column in ("run", "when", *params, *metrics, "result"):
            table.add_column(column)
        for run in self.labs.runs(self.lab_id, limit=50):
            table.add_row(
                f"#{run.id}",
                run.started_at.strftime("%m-%d %H:%M"),
                *[str(run.params.get(name, "")) for name in params],
                *[format_value(run.metrics.get(name)) for name in metrics],
                "passed" if run.passed else (run.status if run.status != "completed" else "missed"),
            )

    @on(Input.Submitted, ".param")
    def run_from_input(self) -> None:
        self.action_run()




def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 60 else f"{value / 60:.1f} min"
