"""Export a deck to a file: the one function the CLI and the TUI call.

The file is written next to its target and moved into place only when complete, so a failed or
cancelled export (raise from the progress callback) never leaves half a package behind and
never clobbers the previous export.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from studyterm.collection import Collection
from studyterm.interop import text_export
from studyterm.interop.apkg_write import write_apkg
from studyterm.interop.deckdata import gather
from studyterm.interop.model import EXPORT_FORMATS, ExportResult, InteropError, Progress
from studyterm.layout import Layout
from studyterm.notes.frontmatter import normalize_deck
from studyterm.store import exchange

ALL_DECKS = "all"
"""The file name of an export of every deck: decks/all.<format>."""


def default_export_path(layout: Layout, deck: str | None, fmt: str) -> Path:
    """decks/<deck>.<format>; a sub-deck's export sits in its parent's folder
    (decks/dlfs2/ch01.apkg), as its notes do under concepts/."""
    return layout.decks / f"{deck or ALL_DECKS}.{fmt}"


def export_deck(
    collection: Collection,
    fmt: str,
    path: str | os.PathLike | None = None,
    *,
    deck: str | None = None,
    with_scheduling: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Export `deck` and its sub-decks (every card when None) as `fmt` to `path`.

    `progress(done, total)` is called about a hundred times with the number of cards done; it
    may run on a worker thread. `with_scheduling` puts intervals, ease, due dates and the
    review log into an .apkg (a JSON export always has them)."""
    if fmt not in EXPORT_FORMATS:
        raise InteropError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if with_scheduling and fmt != "apkg":
        raise InteropError("--with-scheduling only applies to apkg (a json export always has the scheduling)")
    deck = normalize_deck(deck) if deck else None
    target = Path(path) if path else default_export_path(collection.layout, deck, fmt)
    if target.is_dir():
        raise InteropError(f"{target} is a folder; give a file name such as {target / 'deck'}.{fmt}")
    data = gather(collection, deck, with_history=with_scheduling or fmt == "json")
    if deck and not data.cards:
        raise InteropError(f"deck {deck!r} has no cards; decks: {_deck_list(collection)}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")[1])
    try:
        result = _write(fmt, data, partial, with_scheduling, progress)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return ExportResult(format=fmt, path=str(target), deck=deck, **result)


def _write(fmt: str, data, partial: Path, with_scheduling: bool, progress: Progress | None) -> dict:
    counts = {"notes": len(data.notes), "cards": len(data.cards)}
    if fmt == "apkg":
        stats = write_apkg(data, partial, with_scheduling=with_scheduling, progress=progress)
        return {**counts, "reviews": stats.reviews, "media": stats.media, "warnings": stats.warnings}
    if fmt in ("csv", "tsv"):
        media = text_export.write_csv(data, partial, "\t" if fmt == "tsv" else ",", progress)
        warnings = list(media.missing)
        if media.files():
            warnings.append(f"{len(media.files())} image(s) referenced: a {fmt} file cannot carry them; export apkg to include images")
        return {**counts, "warnings": tuple(warnings)}
    if fmt == "json":
        text_export.write_json(data, partial, progress)
        return {**counts, "reviews": data.review_count}
    text_export.write_markdown(data, partial, progress)
    return counts


def _deck_list(collection: Collection) -> str:
    return ", ".join(exchange.deck_names(collection.store)) or "none yet (run studyterm sync)"
