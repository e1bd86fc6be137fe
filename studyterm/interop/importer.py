"""Import an Anki package or text file as concept notes, with the package's progress.

Order of work, so that bad input never touches the collection: read and check the whole file;
plan every note file and parse it back; merge the notes into files an earlier import wrote
(reimport.py; any other existing file is left alone); only then write the new note files and
media (exclusively: an existing file is never replaced, and everything written is undone if any
write fails) and the updated files; sync; give each card the schedule and review log of the
Anki card it came from, in one transaction: a new card takes it whole, a card you already have
takes the package's answers newer than its own last answer.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import zipfile
import zlib
from collections import defaultdict
from contextlib import nullcontext
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from studyterm.collection import Collection
from studyterm.interop.anki_sched import ProgressContext, imported_progress
from studyterm.interop.apkg_read import AnkiPackage, read_package
from studyterm.interop.concepts_out import PlannedCard, PlannedFile, plan_files
from studyterm.interop.markdown import MediaPath
from studyterm.interop.model import MAX_PACKAGE_BYTES, AnkiCard, ImportResult, InteropError, Skip
from studyterm.interop.reimport import ImportRecord, MergedFile, merge
from studyterm.interop.text_import import read_text_file
from studyterm.layout import CONCEPTS
from studyterm.notes.frontmatter import deck_problem, normalize_deck
from studyterm.store import exchange
from studyterm.store.exchange import ImportedProgress

PACKAGE_SUFFIXES = (".apkg", ".colpkg")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
MEDIA_FOLDER = f"{CONCEPTS}/media"


def import_file(
    collection: Collection,
    path: str | os.PathLike,
    *,
    deck: str | None = None,
    with_scheduling: bool = True,
    max_bytes: int = MAX_PACKAGE_BYTES,
) -> ImportResult:
    """Turn the notes in `path` into concept notes under concepts/ and sync them.

    `deck` replaces the top-level deck of what is imported (`Lang::Vocab` -> `deck/Vocab`);
    `with_scheduling` keeps each Anki card's ease, interval, due date and review log."""
    source = Path(path)
    target = normalize_deck(deck) if deck else None
    if deck and (problem := deck_problem(target)):
        raise InteropError(f"--deck {deck!r} is not a deck name: {problem}")
    result = ImportResult(path=str(source), format=source.suffix.lower().lstrip("."))
    notes, result.skipped, package = _read(source, max_bytes, target)
    result.found = sum(note.card_count for note in notes) + sum(skip.cards for skip in result.skipped)
    if package is not None:
        result.warnings.extend(package.warnings)
    root = collection.layout.root
    with zipfile.ZipFile(package.path) if package else nullcontext() as archive:
        media = _MediaPlacer(root, archive, package)
        planned = plan_files(
            notes, target_deck=target, media_for=media.resolver, skipped=result.skipped,
            header=f"imported from {source.name} on {collection.today().isoformat()}",
        )
        record = ImportRecord.load(collection.layout.state_dir)
        files, merges = _new_and_merged(root, planned, record, result.skipped)
        result.skipped.extend(Skip(f"media {name}", "listed in the package but missing from it") for name in media.missing)
        media.keep_used([(f.path, f.text) for f in files] + [(m.path, m.text) for m in merges])
        if not files and not merges:
            return result
        _write_all(root, files, [merged for merged in merges if merged.changed], media)
        for planned_file in files:
            record.remember(planned_file)
        for merged in merges:
            record.files[merged.path] = merged.record
        record.save(collection.layout.state_dir)
    result.created = [planned.path for planned in files]
    result.updated = [merged.path for merged in merges if merged.changed]
    result.added_notes = sum(merged.added for merged in merges)
    result.updated_notes = sum(merged.updated for merged in merges)
    result.media = [copy.relative_to(root).as_posix() for _, copy in media.copies]
    collection.sync()
    targets = [(planned.path, planned.cards) for planned in files] + [(m.path, m.cards) for m in merges]
    _attach_cards(collection, targets, package if with_scheduling else None, result)
    return result


def _new_and_merged(root: Path, planned: list[PlannedFile], record: ImportRecord,
                    skipped: list[Skip]) -> tuple[list[PlannedFile], list[MergedFile]]:
    """Planned files whose path is free, and merges into the files an earlier import wrote."""
    files, merges = [], []
    for planned_file in planned:
        target = root / planned_file.path
        cards = sum(len(block.cards) for block in planned_file.blocks)
        if not target.exists():
            files.append(planned_file)
            continue
        written = record.files.get(planned_file.path)
        if written is None:
            skipped.append(Skip(planned_file.path, f"already exists and was not written by an import "
                                f"({planned_file.notes} note(s) not imported); an import never overwrites your notes",
                                cards))
            continue
        try:
            current = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            skipped.append(Skip(planned_file.path, f"cannot be read to update it ({error})", cards))
            continue
        if (merged := merge(planned_file, current, written, skipped)) is not None:
            merges.append(merged)
    return files, merges


def _read(source: Path, max_bytes: int, target: str | None) -> tuple[list, list[Skip], AnkiPackage | None]:
    """The notes in the file, what was skipped reading it, and the package (None for text)."""
    if not source.is_file():
        raise InteropError(f"no such file: {source}")
    suffix = source.suffix.lower()
    if suffix in PACKAGE_SUFFIXES:
        package = read_package(source, max_bytes)
        return package.notes, list(package.skipped), package
    if suffix in TEXT_SUFFIXES:
        notes, skipped = read_text_file(source, max_bytes, target or source.stem.replace("::", "/"))
        return notes, skipped, None
    raise InteropError(
        f"cannot import {source.name}: studyterm imports {', '.join(PACKAGE_SUFFIXES + TEXT_SUFFIXES)} files"
    )


class _MediaPlacer:
    """Package media the notes use -> files in concepts/media/, never over a different file:
    an identical file is reused, a different one with the same name gets a new name."""

    def __init__(self, root: Path, archive: zipfile.ZipFile | None, package: AnkiPackage | None) -> None:
        self.root = root
        self.folder = root / MEDIA_FOLDER
        self.archive = archive
        self.package = package
        self.members = package.media if package else {}
        self.placed: dict[str, str | None] = {}
        self.copies: list[tuple[str, Path]] = []
        self.missing: list[str] = []

    def resolver(self, note_folder: str) -> MediaPath | None:
        if self.archive is None:
            return None

        def resolve(src: str) -> str | None:
            name = src if src in self.members else unquote(src)
            placed = self.place(name) if name in self.members else None
            return posixpath.relpath(f"{MEDIA_FOLDER}/{placed}", note_folder) if placed else None

        return resolve

    def keep_used(self, files: list[tuple[str, str]]) -> None:
        """Copy only media a written note links: a skipped note's pictures and sounds stay out.
        `files` holds (path, text) of every note file written or updated."""
        def used(target: Path) -> bool:
            relative = target.relative_to(self.root).as_posix()
            for path, text in files:
                link = posixpath.relpath(relative, path.rpartition("/")[0])
                if f"]({link})" in text or f"](<{link}>)" in text:
                    return True
            return False

        self.copies = [(member, target) for member, target in self.copies if used(target)]

    def place(self, name: str) -> str | None:
        if name not in self.placed:
            try:
                data = self.package.read_media(self.archive, self.members[name])
            except KeyError:
                self.missing.append(name)
                self.placed[name] = None
                return None
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise InteropError(f"media file {name!r} in the package is corrupt ({error})") from None
            digest = hashlib.blake2b(data, digest_size=4).hexdigest()
            stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
            for candidate in (name, f"{stem}-{digest}{suffix}"):
                target = self.folder / candidate
                if not target.exists():
                    self.copies.append((self.members[name], target))
                    break
                if target.read_bytes() == data:
                    break
            self.placed[name] = candidate
        return self.placed.get(name)


def _write_all(root: Path, files: list[PlannedFile], merges: list[MergedFile], media: _MediaPlacer) -> None:
    """Create every note and media file and update every merged file, or none: a failure
    removes what was created and puts the updated files back as they were."""
    created: list[Path] = []
    folders: list[Path] = []
    replaced: list[MergedFile] = []
    try:
        for merged in merges:
            _replace_file(root / merged.path, merged.text)
            replaced.append(merged)
        for planned in files:
            target = root / planned.path
            _make_folders(target.parent, folders)
            with target.open("x", encoding="utf-8") as out:
                created.append(target)
                out.write(planned.text)
        for member, target in media.copies:
            _make_folders(target.parent, folders)
            with target.open("xb") as out:
                created.append(target)
                _copy_media(media, member, out)
    except BaseException as error:
        for path in reversed(created):
            path.unlink(missing_ok=True)
        for merged in replaced:
            _replace_file(root / merged.path, merged.old_text)
        for folder in reversed(folders):
            _remove_if_empty(folder)
        if isinstance(error, FileExistsError):
            raise InteropError(f"{error.filename} appeared while importing; nothing was imported") from None
        if isinstance(error, OSError):
            where = f" {error.filename}" if error.filename else ""
            raise InteropError(f"cannot write{where}: {error.strerror or error}; nothing was imported") from None
        raise


def _replace_file(target: Path, text: str) -> None:
    """Write a whole new version beside the file, then rename it over: never half a note."""
    temporary = target.with_name(f".{target.name}.import.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _copy_media(media: _MediaPlacer, member: str, out) -> None:
    media.package.open_media(media.archive, member, out)


def _make_folders(folder: Path, made: list[Path]) -> None:
    missing = [f for f in (folder, *folder.parents) if not f.exists()]
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _attach_cards(collection: Collection, targets: list[tuple[str, list[PlannedCard]]],
                  package: AnkiPackage | None, result: ImportResult) -> None:
    """Find each planned card after the sync and give it its Anki card's progress: all of it to
    a card never answered, the package's newer answers to a card that has some already."""
    stored = exchange.cards_of_notes(collection.store, [path for path, _ in targets])
    context = None
    if package is not None:
        context = ProgressContext(package.days, collection.boundary, collection.now(), collection.today(),
                                  Path(result.path).name)
    fresh: list[ImportedProgress] = []
    newer: list[ImportedProgress] = []
    for path, cards in targets:
        by_key = defaultdict(list)
        for card in stored.get(path, []):
            by_key[card.key].append(card)
        for item in cards:
            if not by_key[item.key]:
                result.skipped.append(Skip(f"{item.note.ref} in {path}", "its card was not found after the sync", 1))
                continue
            card = by_key[item.key].pop(0)
            result.cards += 1
            anki = item.note.cards.get(item.ordinal)
            if context is None or anki is None or not _has_progress(anki, package):
                continue
            progress = imported_progress(card.id, anki, package.revlog.get(anki.id, []), context)
            (fresh if card.untouched else newer).append(progress)
    if context is not None:
        result.warnings.extend(context.warnings)
    written = set(exchange.write_imported_progress(collection.store, fresh)) if fresh else set()
    result.with_progress = len(written)
    result.reviews = sum(len(item.reviews) for item in fresh if item.card_id in written)
    if newer:
        updated = exchange.write_newer_progress(collection.store, newer)
        result.with_progress += len(updated.written)
        result.reviews += sum(updated.written.values())
        for card_id in sorted(updated.own_newer):
            result.skipped.append(Skip(f"card {card_id}", "answered here after the package's last answer: "
                                       "it keeps its own progress"))
        written |= set(updated.written)
    collection.scheduling.redate(sorted(written))  # under FSRS, the imported log sets the dates


def _has_progress(card: AnkiCard, package: AnkiPackage) -> bool:
    """Whether the Anki card brings anything beyond "new": answers, suspension or a flag."""
    return card.type != 0 or card.queue == -1 or bool(card.flags & 0b111) or bool(package.revlog.get(card.id))
