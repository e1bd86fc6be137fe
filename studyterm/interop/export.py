"""Export a deck to a file: the one function the CLI and the TUI call.

The file is written next to its target and moved into place only when complete, so a failed or
cancelled export (raise from the progress callback) never leaves half a package behind and
never clobbers the previous export. The default target is proven to lie inside decks/; a target
that is a link, a device, a FIFO or a socket is never replaced, and a named (`-o`) file only
with `force`. The file gets the permissions the umask gives, as any new file.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import uuid
from pathlib import Path

from studyterm.collection import Collection
from studyterm.gc_pause import paused_gc
from studyterm.interop import text_export
from studyterm.interop.apkg_write import write_apkg
from studyterm.interop.deckdata import gather, gather_package
from studyterm.interop.model import EXPORT_FORMATS, ExportResult, InteropError, Progress
from studyterm.layout import Layout
from studyterm.notes.frontmatter import deck_problem, normalize_deck
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
    force: bool = False,
) -> ExportResult:
    """Export `deck` and its sub-decks (every card when None) as `fmt` to `path`.

    `progress(done, total)` is called about a hundred times with the number of cards done; it
    may run on a worker thread. `with_scheduling` puts intervals, ease, due dates and the
    review log into an .apkg (a JSON export always has them). A `path` that exists is replaced
    only with `force`; the default path (decks/) is always refreshed."""
    if fmt not in EXPORT_FORMATS:
        raise InteropError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if with_scheduling and fmt != "apkg":
        raise InteropError("--with-scheduling only applies to apkg (a json export always has the scheduling)")
    deck = normalize_deck(deck) if deck else None
    if deck and (problem := deck_problem(deck)):
        raise InteropError(f"{deck!r} is not a deck name: {problem}")
    if path:
        target = Path(path)
    else:
        target = _inside_decks(collection.layout, default_export_path(collection.layout, deck, fmt))
    _check_target(target, fmt, replace=force or not path)
    with paused_gc():  # an export makes no cycles; the passes were a tenth of an .apkg export
        result = _gather_and_write(collection, fmt, deck, target, with_scheduling, progress)
    return ExportResult(format=fmt, path=str(target), deck=deck, **result)


def _gather_and_write(collection: Collection, fmt: str, deck: str | None, target: Path,
                      with_scheduling: bool, progress: Progress | None) -> dict:
    """The export's counts; its cards are let go on return, while the collector is paused."""
    if fmt == "apkg":
        data = gather_package(collection, deck, with_scheduling=with_scheduling)
    else:
        data = gather(collection, deck, with_history=fmt == "json")
    if deck and not data.cards:
        raise InteropError(f"deck {deck!r} has no cards; decks: {_deck_list(collection)}")
    try:
        return _write_into_place(target, lambda partial: _write(fmt, data, partial, with_scheduling, progress))
    except OSError as error:
        raise InteropError(f"cannot write {target}: {error.strerror or error}; nothing was exported") from None
    except sqlite3.OperationalError as error:
        raise InteropError(f"cannot write {target}: {error}; nothing was exported") from None


def _inside_decks(layout: Layout, target: Path) -> Path:
    """`target`, proven to lie inside decks/ once links are followed."""
    decks = layout.decks.resolve()
    if not target.resolve().is_relative_to(decks):
        raise InteropError(f"{target} would be outside {decks}; refusing to export there (use -o to name a file)")
    return target


def _check_target(target: Path, fmt: str, replace: bool) -> None:
    """Only a regular file may be replaced, and an existing one only when `replace`."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise InteropError(f"cannot write {target}: {error.strerror or error}") from None
    if stat.S_ISDIR(mode):
        raise InteropError(f"{target} is a folder; give a file name such as {target / 'deck'}.{fmt}")
    if stat.S_ISLNK(mode):
        raise InteropError(f"{target} is a symbolic link; export writes only regular files: give the file it points to")
    if not stat.S_ISREG(mode):
        raise InteropError(f"{target} is not a regular file (a device, FIFO or socket); refusing to replace it")
    if not replace:
        raise InteropError(f"{target} already exists; pass --force to replace it")


def _write_into_place(target: Path, write) -> dict:
    """Write through `write(partial)` to a new file beside `target`, then move it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    # Created with 0o666 so the umask decides the permissions, as for any new file.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        result = write(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return result


def _write(fmt: str, data, partial: Path, with_scheduling: bool, progress: Progress | None) -> dict:
    counts = {"notes": len(data.notes), "cards": len(data.cards)}
    if fmt == "apkg":
        stats = write_apkg(data, partial, with_scheduling=with_scheduling, progress=progress)
        return {**counts, "reviews": stats.reviews, "media": stats.media, "warnings": stats.warnings}
    if fmt in ("csv", "tsv"):
        media = text_export.write_csv(data, partial, "\t" if fmt == "tsv" else ",", progress)
        warnings = list(media.missing)
        if media.files():
            warnings.append(f"{len(media.files())} media file(s) referenced: a {fmt} file cannot carry them; export apkg to include images and sounds")
        return {**counts, "warnings": tuple(warnings)}
    if fmt == "json":
        text_export.write_json(data, partial, progress)
        return {**counts, "reviews": data.review_count}
    text_export.write_markdown(data, partial, progress)
    return counts


def _deck_list(collection: Collection) -> str:
    return ", ".join(exchange.deck_names(collection.store)) or "none yet (run studyterm sync)"
