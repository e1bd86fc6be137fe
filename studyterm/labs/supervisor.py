"""The lab's first process: it starts the lab and, once the lab's main process has ended, ends
every process the lab started, then exits the way the lab did.

It runs as a plain script (standard library only, so it starts in a few milliseconds):
`python supervisor.py GRACE_S COMMAND...`. On Linux it makes itself a child subreaper
(PR_SET_CHILD_SUBREAPER), so a process the lab leaves behind, even one that double-forked into
a session of its own with setsid(), is re-parented here instead of to init, and is killed. Where
that is not available it kills the lab's process group, which a setsid() escapes. SIGTERM,
SIGINT or SIGHUP stop the lab: SIGTERM to it and its group, SIGKILL after GRACE_S seconds.
Labs are not sandboxed: this only makes sure that nothing a run started outlives it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
CLEANUP_S = 5.0
"""How long ending the leftovers may take before this gives up on a process that will not die
(one stuck in the kernel)."""


def main(argv: list[str]) -> int:
    grace_s, command = float(argv[0]), argv[1:]
    subreaper = become_subreaper()
    stopping = Stopping(grace_s)
    # A stop that comes while the lab is being started waits until its pid is known.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    for number in STOP_SIGNALS:
        signal.signal(number, stopping.stop)
    signal.signal(signal.SIGALRM, stopping.kill)
    lab = stopping.lab = os.posix_spawn(
        command[0], command, os.environ, setpgroup=0, setsigmask=(),
        setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),  # as subprocess restores them
    )
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    status = wait_for(lab)
    signal.setitimer(signal.ITIMER_REAL, 0)
    end_everything(lab, subreaper)
    return status


class Stopping:
    """Stop the lab when asked: SIGTERM now, SIGKILL once the grace period is over."""

    def __init__(self, grace_s: float) -> None:
        self.lab = 0
        self.grace_s = grace_s
        self.asked = False

    def stop(self, _number: int, _frame: object) -> None:
        if self.asked:
            return
        self.asked = True
        signal_lab(self.lab, signal.SIGTERM)
        signal.setitimer(signal.ITIMER_REAL, self.grace_s)

    def kill(self, _number: int, _frame: object) -> None:
        signal_lab(self.lab, signal.SIGKILL)


def become_subreaper() -> bool:
    """Adopt the lab's orphans (Linux 3.4+); False where the kernel or libc cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def wait_for(lab: int) -> int:
    """Wait for the lab's main process, reaping adopted orphans that end meanwhile; its exit
    status as subprocess gives it (-N when signal N killed it)."""
    while True:
        pid, status = os.waitpid(-1, 0)
        if pid == lab:
            return os.waitstatus_to_exitcode(status)


def signal_lab(lab: int, number: int) -> None:
    """The lab's main process (it may have left its group) and its process group."""
    if lab <= 0:  # not started: 0 would mean this process's own group
        return
    for send, target in ((os.kill, lab), (os.killpg, lab)):
        try:
            send(target, number)
        except (ProcessLookupError, PermissionError):
            pass


def end_everything(lab: int, subreaper: bool) -> None:
    """SIGKILL the lab's group and every process re-parented here, until none is left."""
    signal_lab(lab, signal.SIGKILL)
    if not subreaper:
        return
    deadline = time.monotonic() + CLEANUP_S
    while time.monotonic() < deadline:
        for pid in children(os.getpid()):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if not reap():
            return
        time.sleep(0.005)


def reap() -> bool:
    """Reap every child that has ended; False once there are no children left at all."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True


def children(parent: int) -> list[int]:
    """The processes whose parent is `parent`, from /proc."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rpartition(b")")[2].split()
        except OSError:
            continue
        if len(fields) > 1 and int(fields[1]) == parent:
            found.append(int(entry.name))
    return found


def exit_like(status: int) -> None:
    """Exit with the lab's status, or die of the same signal, so the runner sees what it did."""
    if status < 0:
        try:
            signal.signal(-status, signal.SIG_DFL)
        except (OSError, ValueError):  # SIGKILL and SIGSTOP keep their default anyway
            pass
        os.kill(os.getpid(), -status)
        sys.exit(128 - status)  # not reached for a signal that terminates
    sys.exit(status)


if __name__ == "__main__":
    exit_like(main(sys.argv[1:]))
