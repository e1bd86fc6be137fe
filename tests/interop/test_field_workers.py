"""When an export renders fields in forked workers, and that a cancelled one stops them.
(That workers render the same package: test_export_equivalence.py.)"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from pathlib import Path

import pytest

from studyterm.interop import export_deck, fields


@pytest.fixture
def linux_with_four_cores(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(fields.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)


def test_workers_take_every_core_but_the_one_that_writes_the_cards(linux_with_four_cores):
    assert fields._worker_count(fields.PARALLEL_THRESHOLD) == 3


def test_few_notes_render_here(linux_with_four_cores):
    assert fields._worker_count(fields.PARALLEL_THRESHOLD - 1) == 0


def test_nothing_forks_off_linux(linux_with_four_cores, monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert fields._worker_count(10**6) == 0


def test_nothing_forks_while_other_threads_run(linux_with_four_cores):
    seen: list[int] = []
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        seen.append(fields._worker_count(10**6))
    finally:
        release.set()
        other.join()
    assert seen == [0]


def test_one_core_renders_here(linux_with_four_cores, monkeypatch):
    monkeypatch.setattr(fields.os, "sched_getaffinity", lambda pid: {0})
    assert fields._worker_count(10**6) == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fields render in forked workers on Linux only")
def test_a_cancelled_export_stops_its_workers_and_leaves_no_file(sample, monkeypatch):
    monkeypatch.setattr(fields, "_worker_count", lambda notes: 2)
    monkeypatch.setattr(fields, "_CHUNK", 2)
    before = set(multiprocessing.active_children())

    def cancel(done: int, total: int) -> None:
        if done > 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_deck(sample, "apkg", progress=cancel)
    assert set(multiprocessing.active_children()) == before
    assert not list(Path(sample.layout.decks).iterdir())
