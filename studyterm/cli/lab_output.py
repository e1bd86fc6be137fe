"""How lab runs look in a terminal: a live progress bar, metric tables, sparklines, sweeps."""

from __future__ import annotations

import math
import shutil
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from studyterm.cli.output import echo, plural
from studyterm.labs import (
    Finished,
    LabSpec,
    LogLine,
    MetricPoint,
    Progress,
    RunEvent,
    lab_event_line,
)
from studyterm.labs.feedback import target_text, verdict_of
from studyterm.labs.targets import format_value
from studyterm.render.text import visible
from studyterm.shapes import review_dict
from studyterm.store import ReviewEntry
from studyterm.store.labs import LabRun

SPARKS = "▁▂▃▄▅▆▇█"
_REDRAW_S = 0.1


class TerminalProgress:
    """Draws `[#####-----] 120/300  loss 0.53` on one line of stderr while a lab runs, only
    when stderr is a terminal; with `echo_log` the lab's output lines scroll above it."""

    def __init__(self, label: str, stream: TextIO | None = None, echo_log: bool = False,
                 force: bool = False) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.live = force or self.stream.isatty()
        self.echo_log = echo_log
        self.step, self.total = 0, None
        self.last_metric: tuple[str, float] | None = None
        self._drawn_at = 0.0

    def __call__(self, event: RunEvent) -> None:
        if isinstance(event, Progress):
            self.step, self.total = event.step, event.total
        elif isinstance(event, MetricPoint):
            self.last_metric = (event.name, event.value)
        elif isinstance(event, LogLine) and self.echo_log:
            self._clear()
            prefix = "" if event.stream == "stdout" else f"[{event.stream}] "
            self.stream.write(visible(prefix + event.text) + "\n")
            self.stream.flush()
        if isinstance(event, Finished):
            self._clear()
        elif (self.live and isinstance(event, Progress | MetricPoint)
              and time.monotonic() - self._drawn_at >= _REDRAW_S):
            self._draw()

    def _draw(self) -> None:
        self._drawn_at = time.monotonic()
        width = shutil.get_terminal_size((80, 24)).columns
        line = progress_line(self.label, self.step, self.total, self.last_metric, width)
        self.stream.write("\r" + visible(line))
        self.stream.flush()

    def _clear(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def progress_line(label: str, step: int, total: int | None, metric: tuple[str, float] | None,
                  width: int = 80) -> str:
    tail = f" {step}/{total}" if total else f" step {step}"
    if metric is not None:
        tail += f"  {metric[0]} {format_value(metric[1])}"
    bar_width = max(10, min(40, width - len(label) - len(tail) - 4))
    filled = round(bar_width * min(step, total) / total) if total else 0
    return f"{label} [{'#' * filled}{'-' * (bar_width - filled)}]{tail}"[: max(1, width - 1)]


def sparkline(values: Sequence[float], width: int = 32) -> str:
    """The shape of a series in `width` characters (bucket means); gaps for NaN/inf."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return ""
    low, high = min(finite), max(finite)
    buckets = [values[i * len(values) // width : (i + 1) * len(values) // width] for i in range(width)]
    chars = []
    for bucket in (b for b in buckets if b):
        good = [v for v in bucket if math.isfinite(v)]
        if not good:
            chars.append(" ")
            continue
        level = 0 if high == low else (sum(good) / len(good) - low) / (high - low)
        chars.append(SPARKS[min(len(SPARKS) - 1, int(level * len(SPARKS)))])
    return "".join(chars)


def run_lines(run: LabRun, spec: LabSpec | None, feedback: list[ReviewEntry]) -> list[str]:
    """A finished run for people: header, holes, metrics against targets, series, verdict,
    feedback."""
    params = " ".join(f"{k}={v}" for k, v in run.params.items())
    head = f"lab {run.lab_id}, run {run.id}: {run.status} in {run.duration_s:.2f} s"
    lines = [head + _run_kind(run), f"  {params}"]
    if run.holes or (spec is not None and spec.holes and run.mode != "check"):
        lines += hole_lines(run.holes, spec)
    lines += _metric_lines(run, spec)
    lines.append(verdict_line(run))
    lines += prediction_lines(run)
    for entry in feedback:
        lines.append(f"  card {entry.card_id}: {lab_event_line(review_dict(entry))}")
    if run.traceback:
        lines += ["", run.traceback]
    return lines


HOLE_MARKS = {"passed": "✓", "failed": "✗", "not_started": "-"}


def hole_lines(holes: list[dict], spec: LabSpec | None = None) -> list[str]:
    """`holes: 3/5 passed`, then one line per hole: its checks, and where and why it fails."""
    passed = sum(hole["status"] == "passed" for hole in holes)
    total = len(spec.holes) if spec is not None and spec.holes else len(holes)
    lines = [f"holes: {passed}/{total} passed"]
    width = max((len(hole["name"]) for hole in holes), default=0)
    for hole in holes:
        mark = HOLE_MARKS.get(hole["status"], "?")
        if hole["status"] == "not_started":
            detail = (f"not started  {hole['where']}: write your code in place of its "
                      "`raise NotImplementedError`")
        else:
            detail = f"{hole['passed']}/{hole['total']} checks"
            if hole["status"] != "passed":
                where = f"{hole['where']}: " if hole["where"] else ""
                detail += f"  {where}{hole['message']}"
        lines.append(f"  {mark} {hole['name']:<{width}}  {detail}")
    missing = [name for name in (spec.holes if spec else []) if name not in {h["name"] for h in holes}]
    if missing:
        lines.append(f"  ? not checked (the run ended first): {', '.join(missing)}")
    return lines


def _run_kind(run: LabRun) -> str:
    kinds = []
    if run.mode == "check":
        kinds.append("checks only")
    elif run.quick:
        kinds.append("quick")
    if run.holes or run.mode == "check":
        kinds.append("your code" if run.learner else "reference")
    if run.graded:
        kinds.append("graded")
    return f"  ({', '.join(kinds)})" if kinds else ""


def verdict_line(run: LabRun) -> str:
    if run.mode == "check":
        if run.status != "completed":
            return f"{run.status} ({run.reason}); checks never change a card"
        passed = sum(hole["status"] == "passed" for hole in run.holes)
        return f"{passed} of {plural(len(run.holes), 'hole')} passed; checks never change a card"
    if run.grade is None:
        why = {"cancelled": "cancelled", "unavailable": f"unavailable: {run.reason}"}
        if run.status in why:
            return why[run.status] + "; no feedback"
        if any(hole["status"] == "not_started" for hole in run.holes):
            return f"{run.reason}; a hole not started gives no feedback"
        return "no targets to check; no feedback"
    word = "passed" if run.passed else "failed"
    line = f"{word}: {verdict_of(run)} (grade {run.grade})"
    if run.quick:
        line += "; a quick run gives no feedback"
    elif run.sweep:
        line += "; sweep runs give no feedback"
    elif not run.graded:
        line += "; " + exploration_reason(run)
    return line


def exploration_reason(run: LabRun) -> str:
    """Why a run that could have a grade changed no card."""
    if not run.learner and not run.holes:
        return "a demo lab (no holes) never changes a card"
    if not run.learner:
        return "a run of the reference solution never changes a card"
    return "exploration: only a run of your code at the lab's defaults is graded"


def _metric_lines(run: LabRun, spec: LabSpec | None) -> list[str]:
    checks = {check["metric"]: check for check in run.targets}
    units = {name: m.unit for name, m in spec.metrics.items()} if spec else {}
    names = list(run.metrics)
    width = max((len(n) for n in [*names, *run.series]), default=0)
    lines = []
    for name in names:
        line = f"  {name:<{width}}  {format_value(run.metrics[name]):>9} {units.get(name, ''):<9}"
        if name in checks:
            check = checks[name]
            line += f"  {target_text(check):<24} {'met' if check['met'] else 'MISSED'}"
        lines.append(line.rstrip())
    for name, points in run.series.items():
        values = [value for _step, value in points]
        if values:
            lines.append(
                f"  {name:<{width}}  {sparkline(values)}  {plural(len(values), 'point')}, "
                f"{format_value(values[0])} → {format_value(values[-1])}"
            )
    for check in run.targets:
        if check["metric"] not in run.metrics:
            lines.append(f"  {check['metric']:<{width}}  {'-':>9}            {target_text(check)}  MISSED")
    return lines


def sweep_table(runs: list[LabRun], swept: Sequence[str]) -> list[str]:
    """One row per run: its swept parameters, its final metrics, and pass or fail."""
    metrics = list(dict.fromkeys(name for run in runs for name in run.metrics))
    headers = ["run", *swept, *metrics, "result"]
    rows = [
        [str(run.id), *(str(run.params.get(p)) for p in swept),
         *(format_value(run.metrics.get(m)) for m in metrics), _result_word(run)]
        for run in runs
    ]
    return table(headers, rows)


def runs_table(runs: list[LabRun]) -> list[str]:
    headers = ["run", "day", "status", "code", "params", "result"]
    rows = [
        [str(run.id), run.day.isoformat(),
         run.status + (f" ({run.mode})" if run.mode != "full" else ""),
         ("yours" if run.learner else "reference" if run.holes else "lab")
         + (", graded" if run.graded else ""),
         " ".join(f"{k}={v}" for k, v in run.params.items()), _result_word(run)]
        for run in runs
    ]
    return table(headers, rows)


def _result_word(run: LabRun) -> str:
    if run.mode == "check":
        passed = sum(hole["status"] == "passed" for hole in run.holes)
        return f"{passed}/{len(run.holes)} holes passed"
    if run.reason and run.reason.startswith("not run"):
        return run.reason
    if run.passed:
        return "passed"
    if run.passed is None:
        return run.status
    if run.status != "completed":
        return run.status
    return "missed " + ", ".join(c["metric"] for c in run.targets if not c["met"])


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [headers, *rows]
    ]


def echo_lines(lines: list[str], err: bool = False) -> None:
    """Print lines that may hold a lab's own text (messages, logs, tracebacks): through `echo`,
    which shows control characters instead of sending them."""
    for line in lines:
        echo(line, err=err)


def asked_lines(asked: list, predicted: dict[str, int]) -> list[str]:
    """Before a run: the predictions it asks that were not answered with --predict."""
    lines = []
    for prediction in asked:
        if prediction.id in predicted:
            continue
        lines.append(f"this run asks prediction {prediction.id}: {prediction.question}")
        lines += [f"  {number}. {outcome.answer}"
                  for number, outcome in enumerate(prediction.outcomes, start=1)]
        lines.append(f"  (answer with --predict {prediction.id}=N before the run; skipped now)")
    return lines


def prediction_lines(run: LabRun) -> list[str]:
    lines = []
    for p in run.predictions:
        if p["correct"] is None:
            lines.append(f"prediction {p['id']}: you said \"{p['chosen_answer']}\"; the run showed "
                         "no answer (it did not complete)")
        else:
            verdict = "right" if p["correct"] else f"wrong; the run showed \"{p['actual_answer']}\""
            lines.append(f"prediction {p['id']}: you said \"{p['chosen_answer']}\": {verdict}")
    return lines
