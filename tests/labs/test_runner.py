"""The real runner, driven by tiny lab scripts run with sys.executable."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from studyterm.labs import (
    Finished,
    LogLine,
    MetricPoint,
    Progress,
    RunRequest,
    RunStatus,
    Started,
    SubprocessRunner,
)
from studyterm.labs.capture import OutputLimits

pytestmark = pytest.mark.real_timers  # real lab processes / file watching (pyproject.toml says why)

FAST = SubprocessRunner(kill_grace_s=0.5, poll_s=0.02)


def lab(tmp_path: Path, body: str, params=None, time_limit_s=20.0) -> RunRequest:
    script = tmp_path / "lab.py"
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    return RunRequest("tiny", script, tmp_path, params or {}, time_limit_s)


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped by init is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_until_dead(pid: int, within_s: float = 3.0) -> bool:
    end = time.monotonic() + within_s
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.02)
    return False


def test_success_streams_events_in_order_and_returns_metrics(tmp_path):
    request = lab(tmp_path, """
        from studyterm import labkit
        p = labkit.params()
        print("training with", p["lr"], type(p["lr"]).__name__, labkit.quick())
        for step in range(1, 4):
            labkit.metric("loss", step, 1.0 / step)
            labkit.progress(step, 3)
        labkit.result(accuracy=0.97)
        labkit.result({"final_loss": 0.25})
        """, params={"lr": 0.5})
    events = []
    caller = threading.get_ident()
    threads = set()

    def record(event):
        threads.add(threading.get_ident())
        events.append(event)

    result = FAST.run(request, record)
    assert result.status is RunStatus.COMPLETED and result.exit_code == 0
    assert result.metrics == {"accuracy": 0.97, "final_loss": 0.25}
    assert result.series == {"loss": [(1, 1.0), (2, 0.5), (3, 1 / 3)]}
    assert result.log == "training with 0.5 float False"
    assert result.traceback is None and result.reason is None
    assert isinstance(events[0], Started) and events[0].params == {"lr": 0.5}
    assert events[-1] == Finished(result)
    assert [e for e in events if isinstance(e, MetricPoint)] == [
        MetricPoint("loss", 1, 1.0), MetricPoint("loss", 2, 0.5), MetricPoint("loss", 3, 1 / 3)]
    assert [e for e in events if isinstance(e, Progress)][-1] == Progress(3, 3)
    assert LogLine("training with 0.5 float False", "stdout") in events
    assert threads == {caller}  # events arrive on the calling thread


def test_crash_keeps_the_traceback_and_the_metrics_reported_before(tmp_path):
    request = lab(tmp_path, """
        from studyterm import labkit
        labkit.result(accuracy=0.5)
        def train():
            raise ValueError("weights exploded")
        train()
        """)
    result = FAST.run(request)
    assert result.status is RunStatus.CRASHED and result.exit_code == 1
    assert result.reason == "exited with status 1"
    assert result.traceback.startswith("Traceback (most recent call last):")
    assert result.traceback.endswith("ValueError: weights exploded")
    assert "in train" in result.traceback
    assert result.metrics == {"accuracy": 0.5}
    assert "! ValueError: weights exploded" in result.log


def test_killed_by_a_signal_is_a_crash(tmp_path):
    result = FAST.run(lab(tmp_path, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"))
    assert result.status is RunStatus.CRASHED
    assert result.exit_code == -signal.SIGKILL and result.reason == "killed by SIGKILL"


def test_a_lab_reading_stdin_gets_end_of_file_instead_of_hanging(tmp_path):
    result = FAST.run(lab(tmp_path, "input()\n", time_limit_s=10))
    assert result.status is RunStatus.CRASHED and "EOFError" in result.traceback


def test_time_limit_kills_the_lab(tmp_path):
    request = lab(tmp_path, """
        import os, time
        print(os.getpid(), flush=True)
        time.sleep(60)
        """, time_limit_s=3)  # room for Python to start and print on a busy machine
    started = time.monotonic()
    result = FAST.run(request)
    assert time.monotonic() - started < 15  # far from the lab's 60 s sleep
    assert result.status is RunStatus.TIMED_OUT
    assert result.reason == "ran past its time limit of 3 s"
    assert not alive(int(result.log.splitlines()[0]))


def cancel_when(line: str, cancel: threading.Event, seen: list):
    """An event callback that, on seeing `line`, cancels from another thread."""

    def on_event(event):
        seen.append(event)
        if isinstance(event, LogLine) and event.text.startswith(line):
            threading.Timer(0.05, cancel.set).start()

    return on_event


def test_cancel_from_another_thread_kills_the_whole_process_group(tmp_path):
    request = lab(tmp_path, """
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        print("child", child.pid, flush=True)
        time.sleep(60)
        """)
    cancel, seen = threading.Event(), []
    started = time.monotonic()
    result = FAST.run(request, cancel_when("child", cancel, seen), cancel)
    assert time.monotonic() - started < 10
    assert result.status is RunStatus.CANCELLED and result.reason == "cancelled"
    child = int(next(e.text for e in seen if isinstance(e, LogLine)).split()[1])
    lab_pid = next(e.pid for e in seen if isinstance(e, Started))
    assert wait_until_dead(child) and wait_until_dead(lab_pid)
    assert isinstance(seen[-1], Finished)


def test_a_lab_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path):
    request = lab(tmp_path, """
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("stubborn", flush=True)
        time.sleep(60)
        """)
    cancel, seen = threading.Event(), []
    started = time.monotonic()
    result = FAST.run(request, cancel_when("stubborn", cancel, seen), cancel)
    assert result.status is RunStatus.CANCELLED
    assert time.monotonic() - started < 5


def test_a_child_left_running_after_exit_is_killed_and_does_not_block(tmp_path):
    request = lab(tmp_path, """
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        print(child.pid)
        """)
    started = time.monotonic()
    result = FAST.run(request)
    assert time.monotonic() - started < 5
    assert result.status is RunStatus.COMPLETED
    assert wait_until_dead(int(result.log))


def test_an_exception_in_the_callback_kills_the_lab_and_propagates(tmp_path):
    request = lab(tmp_path, """
        import os, time
        print(os.getpid(), flush=True)
        time.sleep(60)
        """)
    pids = []

    def interrupted(event):
        if isinstance(event, LogLine):
            pids.append(int(event.text))
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        FAST.run(request, interrupted)
    assert wait_until_dead(pids[0])


def test_garbage_on_stdout_is_log_output_and_never_stops_the_run(tmp_path):
    request = lab(tmp_path, r"""
        import sys
        from studyterm import labkit
        sys.stdout.buffer.write(b"\xff\xfe binary \x00 junk\n")
        print("{not json")
        print('{"studyterm": 1, "type": "progress", "step": "three"}')
        print('{"studyterm": 99, "type": "result", "metrics": {"accuracy": 1.0}}')
        print('{"studyterm": 1, "type": "launch_rockets"}')
        print('{"studyterm": 1, "type": "result", "metrics": {"accuracy": "high"}}')
        print('[1, 2, 3]')
        print('{"other": "json"}')
        sys.stdout.write("no newline at the end ")
        sys.stdout.flush()
        labkit.result(accuracy=0.9)
        """)
    result = FAST.run(request)
    assert result.status is RunStatus.COMPLETED
    assert result.metrics == {"accuracy": 0.9}
    assert "# protocol error: step must be a whole number >= 0, got 'three'" in result.log
    assert "# protocol error: protocol version 99 is not supported" in result.log
    assert "# protocol error: unknown message type 'launch_rockets'" in result.log
    assert "# protocol error: accuracy must be a number, got 'high'" in result.log
    assert "{not json" in result.log and '{"other": "json"}' in result.log
    assert "\ufffd" in result.log  # undecodable bytes are replaced, not fatal
    assert result.log.endswith("no newline at the end ")  # and the message after it still counts


def test_huge_output_is_capped_but_the_traceback_survives(tmp_path):
    request = lab(tmp_path, """
        import sys
        line = "x" * 100
        for i in range(50_000):
            print(line)
            print(line, file=sys.stderr)
        sys.stdout.write("y" * 300_000 + "\\n")
        raise RuntimeError("after the flood")
        """)
    limits = OutputLimits(log_bytes=20_000, stderr_tail_bytes=4_000, line_bytes=1_000)
    events = []
    result = SubprocessRunner(limits=limits, poll_s=0.02).run(request, events.append)
    assert result.status is RunStatus.CRASHED
    assert len(result.log) < 21_000
    assert result.log.endswith("# output beyond 19 KiB is not kept")
    assert result.traceback.endswith("RuntimeError: after the flood")
    assert sum(isinstance(e, LogLine) for e in events) < 300


def test_series_are_thinned_evenly_past_the_point_limit(tmp_path):
    request = lab(tmp_path, """
        from studyterm import labkit
        for step in range(20_000):
            labkit.metric("loss", step, step * 0.5)
        """)
    events = []
    limits = OutputLimits(points_per_series=1_000)
    result = SubprocessRunner(limits=limits).run(request, events.append)
    points = result.series["loss"]
    assert 500 <= len(points) < 1_000
    steps = [step for step, _value in points]
    assert steps[0] == 0 and steps[-1] >= 19_000
    assert len({b - a for a, b in zip(steps, steps[1:], strict=False)}) == 1  # evenly spaced
    assert sum(isinstance(e, MetricPoint) for e in events) < 5_000  # not 20,000


def test_progress_bursts_collapse(tmp_path):
    request = lab(tmp_path, """
        for step in range(1, 5001):
            print('{"studyterm": 1, "type": "progress", "step": %d, "total": 5000}' % step)
        """)
    events = []
    FAST.run(request, events.append)
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress[-1] == Progress(5000, 5000)
    assert len(progress) < 1000


def test_a_missing_package_makes_the_lab_unavailable(tmp_path):
    request = lab(tmp_path, """
        from studyterm import labkit
        labkit.require("no_such_package_for_studyterm_tests")
        print("never printed")
        """)
    result = FAST.run(request)
    assert result.status is RunStatus.UNAVAILABLE and result.exit_code == 0
    assert result.reason.startswith("no_such_package_for_studyterm_tests is not installed")
    assert "never printed" not in result.log


def test_an_interpreter_that_cannot_start_is_a_crash_not_an_exception(tmp_path):
    request = lab(tmp_path, "print('hi')\n")
    events = []
    result = SubprocessRunner(python=str(tmp_path / "no-python")).run(request, events.append)
    assert result.status is RunStatus.CRASHED and result.exit_code is None
    assert result.traceback.startswith(f"could not start {request.script}")
    assert events == [Finished(result)]


def test_the_lab_runs_in_a_scratch_folder_that_is_removed(tmp_path):
    request = lab(tmp_path, """
        import os
        from pathlib import Path
        print(os.getcwd())
        print(os.environ["STUDYTERM_LAB_CONTEXT"])
        Path("scratch.txt").write_text("written by the lab")
        """)
    result = FAST.run(request)
    cwd, context = result.log.splitlines()
    assert Path(cwd) != tmp_path and not Path(cwd).exists() and not Path(context).exists()
    assert not (tmp_path / "scratch.txt").exists()


def test_nan_and_infinity_are_results_too(tmp_path):
    request = lab(tmp_path, """
        from studyterm import labkit
        labkit.metric("loss", 1, float("inf"))
        labkit.result(final_loss=float("nan"))
        """)
    result = FAST.run(request)
    assert result.series["loss"] == [(1, float("inf"))]
    assert result.metrics["final_loss"] != result.metrics["final_loss"]  # NaN


def test_the_lab_inherits_the_interpreter(tmp_path):
    result = FAST.run(lab(tmp_path, "import sys\nprint(sys.executable)\n"))
    assert os.path.realpath(result.log) == os.path.realpath(sys.executable)


ESCAPE_INTO_ITS_OWN_SESSION = """
    import os, sys, time
    if os.fork() == 0:  # a daemon, the classic way: fork, setsid, fork again
        os.setsid()
        if os.fork() == 0:
            print("escaped", os.getpid(), flush=True)
            time.sleep(60)  # holding the lab's stdout and stderr
        os._exit(0)
    os.wait()
    time.sleep(0.3)  # the daemon has printed its pid
    print("main done", flush=True)
    """


def escaped_pid(result_or_events) -> int:
    text = result_or_events if isinstance(result_or_events, str) else result_or_events.log
    return int(next(line.split()[1] for line in text.splitlines() if line.startswith("escaped")))


def test_a_daemon_that_left_the_lab_session_is_ended_and_the_run_judged_by_the_exit(tmp_path):
    request = lab(tmp_path, ESCAPE_INTO_ITS_OWN_SESSION, time_limit_s=10)
    started = time.monotonic()
    result = FAST.run(request)
    assert time.monotonic() - started < 5  # not held until the time limit by the daemon's pipes
    assert result.status is RunStatus.COMPLETED and result.exit_code == 0, result
    assert "main done" in result.log
    assert wait_until_dead(escaped_pid(result), within_s=1.0)


def test_a_daemon_left_by_a_lab_that_is_cancelled_is_ended_too(tmp_path):
    request = lab(tmp_path, ESCAPE_INTO_ITS_OWN_SESSION.replace('print("main done", flush=True)',
                                                              'print("main done", flush=True)\n    time.sleep(60)'))
    cancel, seen = threading.Event(), []
    result = FAST.run(request, cancel_when("main done", cancel, seen), cancel)
    assert result.status is RunStatus.CANCELLED
    log = "\n".join(e.text for e in seen if isinstance(e, LogLine))
    assert wait_until_dead(escaped_pid(log), within_s=1.0)


def test_a_lab_that_closes_its_output_and_runs_on_is_judged_by_its_exit(tmp_path):
    request = lab(tmp_path, """
        import os, sys, time
        from studyterm import labkit
        labkit.result(accuracy=0.99)
        sys.stdout.flush()
        os.close(1)
        os.close(2)
        time.sleep(1.0)
        os._exit(3)
        """, time_limit_s=10)
    result = FAST.run(request)
    assert result.status is RunStatus.CRASHED and result.exit_code == 3
    assert result.reason == "exited with status 3" and result.metrics == {"accuracy": 0.99}
    assert result.duration_s >= 1.0


def test_a_deeply_nested_protocol_line_is_a_protocol_error_not_an_exception(tmp_path):
    request = lab(tmp_path, """
        from studyterm import labkit
        depth = 30_000  # a 60 KB line: within the line limit, so the parser gets it whole
        print('{"studyterm": 1, "type": "result", "metrics": ' + "[" * depth + "]" * depth + "}")
        print('{"studyterm": 1, "type": "metric", "name": "loss", "step": 1, "value": ' + "9" * 400 + "}")
        print('{"studyterm": 1, "type": "metric", "name": "loss", "step": ' + "9" * 40 + ', "value": 1}')
        labkit.result(accuracy=0.9)
        """)
    result = FAST.run(request)
    assert result.status is RunStatus.COMPLETED
    assert result.metrics == {"accuracy": 0.9} and result.series == {}
    assert "# protocol error: a message may nest at most" in result.log
    assert "# protocol error: value is too large" in result.log
    assert "# protocol error: step must be a whole number" in result.log


def test_a_huge_line_without_newline_and_invalid_utf8_are_log_output(tmp_path):
    request = lab(tmp_path, """
        import sys
        from studyterm import labkit
        out = sys.stdout.buffer
        for _ in range(16):  # 16 MiB on one line
            out.write(b"\\xff\\xc3" + b"x" * (1024 * 1024 - 2))
        out.write(b"\\n")
        out.flush()
        labkit.result(accuracy=0.5)
        """, time_limit_s=60)
    result = FAST.run(request)
    assert result.status is RunStatus.COMPLETED and result.metrics == {"accuracy": 0.5}
    assert result.log.startswith("\ufffd\ufffdxxx") and result.log.endswith("is not kept")


def test_a_pipe_held_by_a_process_outside_the_lab_does_not_hold_the_run(tmp_path):
    """No process tracking can reach a process the lab did not start: here the lab hands its
    stdout to an unrelated one over a Unix socket. The run still ends with the lab's exit."""
    address = str(tmp_path / "holder.sock")
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import socket, time
        server = socket.socket(socket.AF_UNIX)
        server.bind({address!r})
        server.listen()
        print("ready", flush=True)
        connection, _ = server.accept()
        message, fds, _flags, _address = socket.recv_fds(connection, 16, 4)
        time.sleep(30)  # holding the lab's stdout
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "ready\n"
        request = lab(tmp_path, f"""
            import socket
            from studyterm import labkit
            labkit.result(accuracy=1.0)
            client = socket.socket(socket.AF_UNIX)
            client.connect({address!r})
            socket.send_fds(client, [b"fd"], [1])
            """, time_limit_s=20)
        started = time.monotonic()
        result = FAST.run(request)
        assert time.monotonic() - started < 5
        assert result.status is RunStatus.COMPLETED and result.metrics == {"accuracy": 1.0}
        assert result.log.endswith("# output after the lab ended is not read: a process it left running holds it")
    finally:
        holder.kill()
        holder.communicate()
