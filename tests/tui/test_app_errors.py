"""A background task that fails is reported (a notice, its traceback in .studyterm/errors.log)
and the app goes on; Textual alone would drop it silently."""

import sqlite3

from studyterm.tui.errors import LOG_NAME
from studyterm.tui.screens.home import HomeScreen


async def test_a_failing_background_task_is_a_notice_and_a_log_entry(app_factory, sample_root):
    with sqlite3.connect(sample_root / ".studyterm" / "studyterm.db") as other:
        other.execute("DROP TABLE sessions")  # the home screen's counts read it
    app = app_factory()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        (notice,) = [n for n in app._notifications if n.severity == "error"]
        log = sample_root / ".studyterm" / LOG_NAME
        assert "no such table: sessions" in notice.message and str(log) in notice.message
        text = log.read_text(encoding="utf-8")
        assert text.startswith("--- 2026-11-21T10:00:00+00:00 ") and "Traceback (most recent call last)" in text
        assert "in refresh_data" in text
        assert isinstance(app.screen, HomeScreen) and app.return_code is None
        await pilot.press("question_mark")  # and it still answers keys
        assert not isinstance(app.screen, HomeScreen)
