"""Hostile file systems for tests: a read-only folder or file, and a disk that fills up.

Read-only: `chmod` for a normal user (CI); root ignores file modes, so as root the path is
bind-mounted read-only over itself instead, and the test is skipped where that is not allowed.
A full disk: RLIMIT_FSIZE in a child process (every platform, any user): a write past the limit
fails with EFBIG, as a write to a full disk fails with ENOSPC.
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (a file or folder) cannot be written while the block runs."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(stat.S_IMODE(mode) & ~0o222)
        try:
            yield
        finally:
            path.chmod(stat.S_IMODE(mode))
        return
    bound = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
    if bound.returncode != 0:
        pytest.skip(f"running as root and cannot bind-mount read-only: {bound.stderr.decode().strip()}")
    try:
        remounted = subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], capture_output=True)
        if remounted.returncode != 0:
            pytest.skip(f"running as root and cannot remount read-only: {remounted.stderr.decode().strip()}")
        yield
    finally:
        subprocess.run(["umount", str(path)], check=True)


def studyterm(*args: str, file_size_limit: int | None = None, env: dict | None = None,
              timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the real `studyterm` command in a child process (optionally unable to grow any file
    past `file_size_limit` bytes: a full disk)."""

    def limit() -> None:
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "studyterm", *args],
        capture_output=True, text=True, timeout=timeout, preexec_fn=limit,
        env={**os.environ, "STUDYTERM_DEBUG": "", **(env or {})},
    )


def one_line_error(result: subprocess.CompletedProcess) -> str:
    """The error of a failed command: exit status 1, one line on stderr, no traceback."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1, result.stderr
    return lines[0]
