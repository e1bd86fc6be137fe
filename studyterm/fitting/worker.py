"""The FSRS optimizer's own process: `python -m studyterm.fitting.worker`.

Reads `{"reviews": [[card, "YYYY-MM-DD", grade], ...]}` on stdin and writes one JSON object a
line on stdout: `{"event": "epoch", "done": k, "total": n}` as training goes, then
`{"event": "done", "parameters": [...]}`, or `{"event": "error", "message": "..."}` and exit 1.
This is the only studyterm module that imports torch (through `fsrs[optimizer]`).
"""

from __future__ import annotations

import json
import sys
from datetime import date

INSTALL_HINT = 'the FSRS optimizer needs torch and pandas: pip install "studyterm[optimizer]"'


def emit(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def epochs_reported(iterable, **_options):
    """Stands in for tqdm around the optimizer's epoch loop: one progress line per epoch."""
    items = list(iterable)
    for done, item in enumerate(items):
        emit("epoch", done=done, total=len(items))
        yield item
    emit("epoch", done=len(items), total=len(items))


def review_logs(reviews: list) -> list:
    from fsrs import ReviewLog

    from studyterm.schedule.fsrs import moment, rating

    numbers: dict[str, int] = {}
    return [
        ReviewLog(
            card_id=numbers.setdefault(str(card), len(numbers) + 1),
            rating=rating(int(grade)),
            review_datetime=moment(date.fromisoformat(day)),
            review_duration=None,
        )
        for card, day, grade in reviews
    ]


def main() -> int:
    try:
        import fsrs.optimizer as optimizer_module
        import pandas  # noqa: F401  (the optimizer needs it; say so before any work)
        import torch  # noqa: F401
    except ImportError:
        emit("error", message=INSTALL_HINT)
        return 1
    try:
        request = json.load(sys.stdin)
        logs = review_logs(request["reviews"])
    except (ValueError, KeyError, TypeError) as error:
        emit("error", message=f"unreadable request: {error}")
        return 1
    optimizer_module.tqdm = epochs_reported  # the library reports epochs through tqdm only
    emit("start", reviews=len(logs))
    parameters = optimizer_module.Optimizer(logs).compute_optimal_parameters(verbose=True)
    emit("done", parameters=[float(p) for p in parameters])
    return 0


if __name__ == "__main__":
    sys.exit(main())
