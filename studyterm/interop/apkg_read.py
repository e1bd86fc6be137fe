"""Read an Anki package (.apkg, .colpkg), refusing anything unsafe.

Both formats are read: the legacy one (`collection.anki21` or `.anki2`, a schema-11 SQLite file,
a JSON media map, media stored as they are) and Anki's current default (`collection.anki21b`:
a schema-18 collection, the media map a protobuf message, every member zstd-compressed; see
anki_v18, protobuf and zstd). Everything is read and checked before an import writes a byte: a
corrupt zip, zstd stream or database, a media name that is a path (`../../x`), JSON nested to
crash a parser, a table that is a view, a read that runs past its deadline, a package over the
size limit, or contents unpacking past EXPANSION_LIMIT times it (a zip or zstd bomb) is refused
with one clear error; notes of a type studyterm cannot represent are skipped one by one, each
with its reason.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from studyterm.interop import anki_v18, protobuf, zstd
from studyterm.interop.anki_notetypes import NoteType, foreign_note
from studyterm.interop.anki_sched import AnkiDays
from studyterm.interop.foreign_db import ForeignQueryTimeout, not_a_table, open_read_only
from studyterm.interop.model import (
    MAX_PACKAGE_BYTES,
    AnkiCard,
    ForeignNote,
    InteropError,
    RevlogRow,
    Skip,
    too_big,
)

EXPANSION_LIMIT = 8
"""Unpacked contents may be at most this many times the size limit (a zip or zstd bomb is refused)."""
NEWER_FORMAT = (
    "{path} uses an Anki package format newer than studyterm knows ({what}); in Anki, export it "
    "again with \"Support older Anki versions\" ticked (File > Export), then import that file"
)
_COLLECTIONS = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
"""PackageMetadata.version -> the collection member (rslib import_export/package/meta.rs)."""
_LATEST = 3
_NEWEST_SCHEMA = 18
_SAFE_MEDIA_NAME = re.compile(r"[^/\\\x00]+")
READ_DEADLINE_S = 120.0
"""Reading the collection inside a package (every query together) must finish within this."""
_TABLES = ("col", "notes", "cards", "revlog")


@dataclass
class AnkiPackage:
    path: Path
    notes: list[ForeignNote]
    skipped: list[Skip]
    revlog: dict[int, list[RevlogRow]]
    """Anki card id -> its answers."""
    media: dict[str, str]
    """Media file name -> its member in the zip."""
    days: AnkiDays
    has_scheduling: bool
    warnings: list[str] = field(default_factory=list)
    """What was read in a way the learner should know (a cloze note whose cards were in several decks)."""
    compressed: bool = False
    """Members are zstd-compressed (the current format)."""
    budget: zstd.Budget = field(default_factory=lambda: zstd.Budget(MAX_PACKAGE_BYTES * EXPANSION_LIMIT))
    """What may still be unpacked from this package, media included."""

    def open_media(self, archive: zipfile.ZipFile, member: str, target: BinaryIO) -> None:
        """Copy one media member, unpacked, into `target`."""
        with archive.open(member) as source:
            if self.compressed:
                _unpack(source, target, self.budget, self.path)
            else:
                shutil.copyfileobj(source, target)

    def read_media(self, archive: zipfile.ZipFile, member: str) -> bytes:
        import io

        out = io.BytesIO()
        self.open_media(archive, member, out)
        return out.getvalue()


def read_package(path: Path, max_bytes: int = MAX_PACKAGE_BYTES,
                 deadline_s: float = READ_DEADLINE_S) -> AnkiPackage:
    size = path.stat().st_size
    if size > max_bytes:
        raise too_big(path, size, max_bytes)
    budget = zstd.Budget(max_bytes * EXPANSION_LIMIT)
    try:
        with zipfile.ZipFile(path) as archive:
            member = _collection_member(archive, path)
            compressed = member == _COLLECTIONS[_LATEST]
            media = _media_map(archive, path, compressed, budget)
            _check_expansion(archive, [member, *media.values()], path, max_bytes)
            with tempfile.TemporaryDirectory(prefix="studyterm-import-") as scratch:
                database = Path(scratch) / "collection.sqlite"
                with archive.open(member) as source, database.open("wb") as copy:
                    if compressed:
                        _unpack(source, copy, budget, path)
                    else:
                        shutil.copyfileobj(source, copy)
                package = _read_collection(database, path, deadline_s)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise InteropError(f"{path} is not a valid Anki package: the zip is corrupt or truncated ({error})") from None
    except OSError as error:
        raise InteropError(f"cannot unpack {path} into a temporary folder: {error.strerror or error}") from None
    package.media = media
    package.compressed = compressed
    package.budget = budget
    return package


def _unpack(source: BinaryIO, target: BinaryIO, budget: zstd.Budget, path: Path) -> None:
    try:
        zstd.copy(source, target, budget)
    except zstd.TooLarge:
        raise InteropError(
            f"{path} unpacks to more than {budget.limit / 1e6:g} MB ({EXPANSION_LIMIT} times the import "
            "limit); refusing it (pass a larger --max-size if you trust it)"
        ) from None
    except zstd.ZstdError as error:
        raise InteropError(f"{path} is not a valid Anki package: a zstd-compressed member is corrupt ({error})") from None


def _collection_member(archive: zipfile.ZipFile, path: Path) -> str:
    names = set(archive.namelist())
    if "meta" in names:
        version = _meta_version(archive.read("meta"), path)
        if version not in _COLLECTIONS:
            raise InteropError(NEWER_FORMAT.format(path=path, what=f"package version {version}"))
        if _COLLECTIONS[version] in names:
            return _COLLECTIONS[version]
        raise InteropError(f"{path} is not a valid Anki package: it lacks {_COLLECTIONS[version]}")
    for name in ("collection.anki21", "collection.anki2"):
        if name in names:
            return name
    raise InteropError(f"{path} is not an Anki package: it holds no collection.anki21b, collection.anki21 or collection.anki2")


def _meta_version(data: bytes, path: Path) -> int:
    """The `version` field (1) of the protobuf PackageMetadata message; 0 when absent."""
    try:
        return protobuf.integer(protobuf.parse(data[:1024]), 1)
    except protobuf.WireError as error:
        raise InteropError(f"{path} is not a valid Anki package: its meta member is corrupt ({error})") from None


def _media_map(archive: zipfile.ZipFile, path: Path, compressed: bool, budget: zstd.Budget) -> dict[str, str]:
    if "media" not in archive.namelist():
        return {}
    if compressed:
        return _checked_names(_protobuf_media(archive.read("media"), path, budget), path)
    try:
        listing = json.loads(archive.read("media") or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InteropError(f"{path}: its media list is not valid JSON (corrupt package)") from None
    except RecursionError:
        raise InteropError(f"{path}: its media list is JSON nested too deeply (corrupt or hostile package)") from None
    if not isinstance(listing, dict):
        raise InteropError(f"{path}: its media list is not a mapping (corrupt package)")
    return _checked_names(list(listing.items()), path)


def _protobuf_media(data: bytes, path: Path, budget: zstd.Budget) -> list[tuple[str, object]]:
    """MediaEntries{repeated MediaEntry entries = 1}, MediaEntry{name = 1, size = 2, sha1 = 3,
    legacy_zip_filename = 255}: the n-th entry is zip member "n" unless it names another."""
    try:
        listing = protobuf.parse(_unpacked(data, path, budget))
        entries = []
        for index, raw in enumerate(protobuf.blobs(listing, 1)):
            entry = protobuf.parse(raw)
            member = protobuf.integer(entry, 255, index) if 255 in entry else index
            entries.append((str(member), protobuf.text(entry, 1) if protobuf.blobs(entry, 1) else None))
    except protobuf.WireError as error:
        raise InteropError(f"{path}: its media list is not a valid protobuf message ({error}; corrupt package)") from None
    return entries


def _unpacked(data: bytes, path: Path, budget: zstd.Budget) -> bytes:
    import io

    out = io.BytesIO()
    _unpack(io.BytesIO(data), out, budget, path)
    return out.getvalue()


def _checked_names(listing: list[tuple[str, object]], path: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    for member, name in listing:
        if not isinstance(name, str) or not _safe_media_name(name):
            raise InteropError(
                f"{path}: media entry {member!r} is named {name!r}, a path that would escape the "
                "media folder; refusing the whole package"
            )
        names[name] = str(member)
    return names


def _safe_media_name(name: str) -> bool:
    return bool(_SAFE_MEDIA_NAME.fullmatch(name)) and name not in (".", "..") and not name.startswith(".")


def _check_expansion(archive: zipfile.ZipFile, members: list[str], path: Path, max_bytes: int) -> None:
    infos = {info.filename: info for info in archive.infolist()}
    unpacked = sum(infos[m].file_size for m in members if m in infos)
    if unpacked > max_bytes * EXPANSION_LIMIT:
        raise InteropError(
            f"{path} unpacks to {unpacked / 1e6:.1f} MB, more than {EXPANSION_LIMIT} times the "
            f"{max_bytes / 1e6:g} MB import limit; refusing it (pass a larger --max-size if you trust it)"
        )


def _read_collection(database: Path, path: Path, deadline_s: float) -> AnkiPackage:
    try:
        with open_read_only(database, deadline_s) as conn:
            odd = not_a_table(conn, _TABLES + anki_v18.TABLES)
            if odd:
                raise InteropError(
                    f"{path}: the collection inside is not an Anki database: `{odd[0]}` is a {odd[1]}, "
                    "not a table (a package built to hang whoever reads it?); refusing it"
                )
            return _read_tables(conn, path)
    except ForeignQueryTimeout as timeout:
        raise InteropError(
            f"{path}: reading the collection inside {timeout} (a package built never to finish?); refusing it"
        ) from None
    except sqlite3.DatabaseError as error:
        raise InteropError(f"{path}: the collection inside is not a readable Anki database ({error})") from None
    except RecursionError:
        raise InteropError(f"{path}: the collection inside holds JSON nested too deeply (corrupt or hostile package)") from None
    except (AttributeError, TypeError, ValueError, KeyError, OverflowError) as error:
        raise InteropError(f"{path}: the collection inside is damaged ({type(error).__name__}: {error})") from None


def _read_tables(conn: sqlite3.Connection, path: Path) -> AnkiPackage:
    row = conn.execute("SELECT ver, crt, conf, models, decks FROM col").fetchone()
    if row is None:
        raise InteropError(f"{path}: the collection inside has no col row (corrupt package)")
    version, crt, conf_text, models_text, decks_text = row
    if version > _NEWEST_SCHEMA:
        raise InteropError(NEWER_FORMAT.format(path=path, what=f"collection schema {version}"))
    if models_text:
        conf, note_types, deck_names = _legacy_settings(path, conf_text, models_text, decks_text)
    elif anki_v18.has_tables(conn):
        note_types, deck_names, conf = anki_v18.note_types(conn), anki_v18.deck_names(conn), anki_v18.day_settings(conn)
    else:
        raise InteropError(f"{path}: the collection inside has no note types (corrupt package)")
    cards = _cards(conn, deck_names)
    notes, skipped, warnings = [], [], []
    for note_row in conn.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"):
        for result in foreign_note(note_row, note_types.get(note_row[2]), cards.get(note_row[0], []), warnings):
            (skipped if isinstance(result, Skip) else notes).append(result)
    revlog: dict[int, list[RevlogRow]] = defaultdict(list)
    for revlog_row in conn.execute(
        "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
    ):
        revlog[revlog_row[1]].append(RevlogRow(*revlog_row))
    days = AnkiDays(crt, _int_or_none(conf.get("rollover", 4)), _int_or_none(conf.get("creationOffset")))
    has_scheduling = bool(revlog) or any(card.type != 0 for group in cards.values() for card in group)
    return AnkiPackage(path, notes, skipped, dict(revlog), {}, days, has_scheduling, warnings=warnings)


def _legacy_settings(path: Path, conf_text: str, models_text: str, decks_text: str):
    """(conf, note types, deck names) from the JSON of a schema-11 `col` row."""
    try:
        conf, models, decks = json.loads(conf_text), json.loads(models_text), json.loads(decks_text)
    except (ValueError, TypeError):
        raise InteropError(f"{path}: the collection's settings are not valid JSON (corrupt package)") from None
    except RecursionError:
        raise InteropError(f"{path}: the collection's settings are JSON nested too deeply (corrupt or hostile package)") from None
    note_types = {int(mid): NoteType.from_json(model) for mid, model in models.items()}
    deck_names = {int(did): deck.get("name", "Default") for did, deck in decks.items()}
    return conf, note_types, deck_names


def _cards(conn: sqlite3.Connection, deck_names: dict[int, str]) -> dict[int, list[AnkiCard]]:
    """Each note's cards; a card in a filtered deck counts in its home deck, with its home due."""
    cards: dict[int, list[AnkiCard]] = defaultdict(list)
    for row in conn.execute(
        "SELECT id, nid, did, odid, ord, type, queue, CASE WHEN odid != 0 AND odue != 0 THEN odue "
        "ELSE due END, ivl, factor, reps, lapses, flags FROM cards ORDER BY nid, ord"
    ):
        card_id, note_id, deck, original_deck, ordinal, *schedule = row
        name = deck_names.get(original_deck or deck) or deck_names.get(deck, "Default")
        cards[note_id].append(AnkiCard(card_id, ordinal, name, *schedule))
    return dict(cards)


def _int_or_none(value: object) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
