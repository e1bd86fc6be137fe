"""Bounded capture: series thinning, progress throttling, log limits, traceback extraction."""

import time

from studyterm.labs.capture import Collector, OutputLimits, ProgressThrottle, ThinnedSeries
from studyterm.labs.events import LogLine, MetricPoint, Progress, RunStatus


def test_thinned_series_keeps_an_even_spread_within_its_limit():
    series = ThinnedSeries(limit=8)
    kept = [step for step in range(100) if series.add(step, float(step))]
    assert [step for step, _ in series.points] == [0, 16, 32, 48, 64, 80, 96]
    assert kept[:8] == [0, 1, 2, 3, 4, 5, 6, 7] and len(kept) < 30


def test_progress_throttle_holds_back_and_flushes_the_newest():
    throttle = ProgressThrottle(interval_s=60)
    assert throttle([Progress(1, 9)]) == [Progress(1, 9)]
    assert throttle([Progress(2, 9), LogLine("x", "stdout"), Progress(3, 9)]) == [LogLine("x", "stdout")]
    assert throttle.flush() == [Progress(3, 9)] and throttle.flush() == []
    fast = ProgressThrottle(interval_s=0.01)
    fast([Progress(1, 2)])
    time.sleep(0.02)
    assert fast([Progress(2, 2)]) == [Progress(2, 2)]


def test_collector_turns_lines_into_events_and_a_result():
    collector = Collector(OutputLimits())
    assert collector.stdout_line("hello") == [LogLine("hello", "stdout")]
    assert collector.stdout_line('{"studyterm": 1, "type": "metric", "name": "loss", "step": 2, "value": 0.5}') == [
        MetricPoint("loss", 2, 0.5)]
    assert collector.stdout_line('{"studyterm": 1, "type": "result", "metrics": {"accuracy": 1}}') == []
    collector.stderr_line("Traceback (most recent call last):")
    collector.stderr_line("ValueError: boom")
    result = collector.result(RunStatus.CRASHED, 1, 0.5, "exited with status 1")
    assert result.metrics == {"accuracy": 1.0} and result.series == {"loss": [(2, 0.5)]}
    assert result.log == "hello\n! Traceback (most recent call last):\n! ValueError: boom"
    assert result.traceback == "Traceback (most recent call last):\nValueError: boom"
    assert collector.result(RunStatus.COMPLETED, 0, 0.5, None).traceback is None


def test_without_a_python_traceback_the_end_of_stderr_is_kept():
    collector = Collector(OutputLimits())
    for i in range(30):
        collector.stderr_line(f"line {i}")
    assert collector.traceback().splitlines() == [f"line {i}" for i in range(10, 30)]


def test_the_number_of_series_is_bounded():
    collector = Collector(OutputLimits(series=2))
    events = [collector.stdout_line(f'{{"studyterm": 1, "type": "metric", "name": "m{i}", "step": 0, "value": 1}}')
              for i in range(4)]
    assert [len(e) for e in events] == [1, 1, 0, 0] and list(collector.series) == ["m0", "m1"]
