"""The review app as a real process in a pseudo-terminal: an editor that is missing or held
open, SIGTERM, a closed terminal, and an error nobody expected. Each ends (or goes on) as it
should, with the exit status a script can rely on and the answers kept."""

import shlex
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.tui.conftest import NOW
from tests.tui.terminal import Terminal, error_log

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX"),
    pytest.mark.real_timers,  # the app in a real terminal: Textual's timers (pyproject.toml says why)
]

QUESTION = "What is the derivative of the sigmoid"
"""The first card of the sample's queue."""


@pytest.fixture
def studyterm(sample_root, tui_collection):
    """Start `studyterm review` on the (synced) sample; every one is ended after the test."""
    started = []

    def start(*, env=None, program=None, args=("review",)) -> Terminal:
        options = {"program": program} if program else {}
        terminal = Terminal(["--collection", str(sample_root), "--now", NOW, *args],
                            env={"VISUAL": "", **(env or {})}, **options)
        started.append(terminal)
        assert terminal.wait_for(QUESTION), terminal.text[-2000:]
        return terminal

    yield start
    for terminal in started:
        terminal.close()


def slow_editor(tmp_path: Path) -> tuple[dict, Path]:
    """$EDITOR as a program that writes its pid and then stays open for a minute."""
    pidfile = tmp_path / "editor.pid"
    code = f"import os, pathlib, time; pathlib.Path({str(pidfile)!r}).write_text(str(os.getpid())); time.sleep(60)"
    return {"EDITOR": shlex.join([sys.executable, "-c", code])}, pidfile


def wait_for_file(path: Path, within_s: float = 20.0) -> str:
    end = time.monotonic() + within_s
    while time.monotonic() < end:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written")


def gone(pid: int, within_s: float = 5.0) -> bool:
    end = time.monotonic() + within_s
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def answered(collection) -> list[int]:
    return [row[0] for row in collection.store.query("SELECT grade FROM reviews ORDER BY id")]


def test_a_missing_editor_gives_a_notice_and_the_app_goes_on(studyterm):
    app = studyterm(env={"EDITOR": "nosuchedit"})
    app.press("e")
    assert app.wait_for("editor not found: nosuchedit", within_s=10), app.text[-2000:]
    app.press(" ")
    assert app.wait_for("5 perfect", within_s=10)  # keys work: the answer and the grades show
    app.press("\x11")  # ctrl+q
    assert app.exit_status() == 0


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_ends_the_app_and_keeps_the_answers(studyterm, tui_collection, number):
    app = studyterm()
    app.press(" ", "4")
    end = time.monotonic() + 10
    while not answered(tui_collection) and time.monotonic() < end:
        time.sleep(0.05)
    app.process.send_signal(number)
    assert app.exit_status() == 128 + number
    assert answered(tui_collection) == [4]
    assert "Traceback" not in app.text


def test_sigterm_while_the_editor_is_open_ends_the_editor_and_the_app(studyterm, tmp_path):
    env, pidfile = slow_editor(tmp_path)
    app = studyterm(env=env)
    app.press("e")
    editor = int(wait_for_file(pidfile))
    app.process.send_signal(signal.SIGTERM)
    assert app.exit_status() == 128 + signal.SIGTERM
    assert gone(editor)


def test_ctrl_c_typed_in_the_editor_is_the_editor_s_not_the_app_s(studyterm, tmp_path):
    env, pidfile = slow_editor(tmp_path)
    app = studyterm(env=env)
    app.press("e")
    editor = int(wait_for_file(pidfile))
    app.press("\x03")  # the terminal is the editor's: Ctrl+C is SIGINT to its process group
    assert gone(editor)
    assert app.wait_for("SIGINT", within_s=10), app.text[-2000:]  # "... was ended by SIGINT"
    app.press(" ")
    assert app.wait_for("5 perfect", within_s=10)
    app.press("\x11")
    assert app.exit_status() == 0


@pytest.mark.parametrize("editing", [False, True], ids=["reviewing", "editor open"])
def test_closing_the_terminal_ends_the_app(studyterm, tmp_path, editing):
    env, pidfile = slow_editor(tmp_path)
    app = studyterm(env=env)
    if editing:
        app.press("e")
        wait_for_file(pidfile)
    app.hang_up()
    assert app.exit_status() == 128 + signal.SIGHUP


def test_an_unexpected_error_exits_1_with_one_line_and_the_traceback_in_the_log(studyterm, sample_root):
    broken_help = (
        "import sys\n"
        "from studyterm.tui.app import StudytermApp\n"
        "def broken(self):\n    raise ZeroDivisionError('a bug in the help screen')\n"
        "StudytermApp.action_help = broken\n"
    )
    app = studyterm(program=broken_help + "from studyterm.cli.main import main; main()")
    app.press("?")
    assert app.exit_status() == 1
    log = error_log(sample_root)
    assert app.wait_for(
        "Error: the review app stopped on an unexpected error: ZeroDivisionError: a bug in the help "
        f"screen (the details are in {log})"
    ), app.text[-2000:]
    assert "Traceback" not in app.text
    text = log.read_text(encoding="utf-8")
    assert text.startswith("--- 2026-11-21T10:00:00+00:00 ZeroDivisionError: a bug in the help screen\n")
    assert "Traceback (most recent call last):" in text and "in broken" in text



@pytest.mark.parametrize("how", ["hang up", "SIGTERM"])
def test_text_typed_in_the_note_editor_is_kept_as_a_draft_when_the_app_is_ended(studyterm, sample_root, how):
    app = studyterm()
    app.press("E")
    assert app.wait_for("Next problem", within_s=10), app.text[-2000:]
    app.press(*"XYZZY typed but not saved")
    time.sleep(0.3)
    if how == "hang up":
        app.hang_up()
    else:
        app.process.send_signal(signal.SIGTERM)
    assert app.exit_status() == 128 + (signal.SIGHUP if how == "hang up" else signal.SIGTERM)
    drafts = [path.read_text(encoding="utf-8") for path in (sample_root / ".studyterm").rglob("*") if path.is_file()
              and "drafts" in path.parts]
    assert any("XYZZY typed but not saved" in text for text in drafts)


def test_textual_giving_up_on_its_input_exits_1_not_0(studyterm, sample_root):
    """Textual's input thread ends the app with App.panic when it fails: that path set no exit
    status, so studyterm exited 0 after printing a traceback."""
    input_failed = (
        "import sys\n"
        "from studyterm.tui.app import StudytermApp\n"
        "def input_failed(self):\n    self.panic('OSError: [Errno 5] Input/output error')\n"
        "StudytermApp.action_help = input_failed\n"
    )
    app = studyterm(program=input_failed + "from studyterm.cli.main import main; main()")
    app.press("?")
    assert app.exit_status() == 1
    assert app.wait_for("Error: the review app stopped on an unexpected error: OSError: [Errno 5] "
                        f"Input/output error (the details are in {error_log(sample_root)})"), app.text[-2000:]


@pytest.mark.parametrize("how", ["hang up", "SIGTERM", "ctrl+q"])
def test_a_session_ended_from_outside_keeps_its_record(studyterm, tui_collection, how):
    app = studyterm()
    assert app.wait_for("Answer", within_s=30), app.text[-2000:]
    app.press(" ")
    assert app.wait_for("5 perfect", within_s=10)
    app.press("4")
    end = time.monotonic() + 10
    while not answered(tui_collection) and time.monotonic() < end:
        time.sleep(0.1)
    if how == "hang up":
        app.hang_up()
    elif how == "SIGTERM":
        app.process.send_signal(signal.SIGTERM)
    else:
        app.press("\x11")
    assert app.exit_status() is not None
    (session,) = tui_collection.sessions()
    assert session.ended_at is not None
    assert (session.summary["answers"], session.summary["complete"]) == (1, False)
