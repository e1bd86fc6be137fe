"""Text on its way to a terminal: control characters made harmless, and short human forms for
intervals and durations."""

from __future__ import annotations

import re
from datetime import date

from studyterm.schedule.review import AnswerKind, Outcome

GRADE_NAMES = {0: "blackout", 1: "wrong", 2: "almost", 3: "hard", 4: "good", 5: "perfect"}
"""One word per SM-2 grade, for keys and buttons; schedule.sm2.GRADE_LABELS has the long forms."""

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but newline and tab, DEL and C1 controls: what starts or is a terminal escape
sequence (ESC, 8-bit CSI/OSC/DCS, BEL, CR, BS...). Text from notes, packages and file names
may hold them: shown raw they could clear the screen, retitle the window, plant hidden links
or write the clipboard."""


def visible(text: str) -> str:
    """`text` with every control character shown as an escape (ESC becomes the four characters
    `\\x1b`), newline and tab kept: what the command line prints."""
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def without_controls(text: str) -> str:
    """`text` with every control character (newline and tab too) removed: what one cell of the
    review app's screen may hold (it measured them as zero width)."""
    return _ANY_CONTROL.sub("", text)


_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 card`, `2 cards`, `0 cards` (`many` for irregular words: `1 entry`, `2 entries`)."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"


def interval(days: int) -> str:
    if days < 60:
        return f"{days}d"
    if days < 365:
        return f"{days / 30.4:.0f}mo"
    return f"{days / 365:.1f}y"


def duration(milliseconds: int) -> str:
    seconds = round(milliseconds / 1000)
    if seconds < 3600:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}"


def outcome_hint(outcome: Outcome, today: date) -> str:
    """What a grade would do: the next interval, and whether the card comes back today."""
    after = outcome.after
    if outcome.kind is AnswerKind.REPEAT:
        done = "again today" if after.owes_repeat(today) else "done today"
        # SM-2 leaves the due date alone on a repeat; FSRS counts the repeat as a review.
        moved = after.due != outcome.before.due and after.due is not None
        return f"{done} · {interval((after.due - today).days)}" if moved else done
    # The due date, not SM-2's interval: under FSRS the two differ (SM-2: due = today + interval).
    text = interval((after.due - today).days) if after.due else interval(after.sm2.interval_days)
    return f"{text} · again" if after.owes_repeat(today) else text
