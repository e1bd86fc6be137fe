"""Read an Anki package (.apkg, .colpkg) in the legacy format, refusing anything unsafe.

Everything is read and checked before an import writes a byte: a corrupt zip or database, the
newer zstd format (collection.anki21b), a media name that is a path (`../../x`), JSON nested to
crash a parser, a table that is a view, a read that runs past its deadline, or a package over
the size limit is refused with one clear error; notes of a type studyterm cannot represent are
skipped one by one, each with its reason.
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
from dataclasses import dataclass
from pathlib import Path

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
"""Unpacked contents may be at most this many times the size limit (a zip bomb is refused)."""
NEWER_FORMAT = (
    "{path} uses Anki's newer package format (collection.anki21b, Anki 2.1.50 and later), which "
    "studyterm cannot read yet; in Anki, export it again with \"Support older Anki versions\" "
    "ticked (File > Export, Anki Deck Package or Collection Package), then import that file"
)
_LEGACY_VERSIONS = {1: "collection.anki2", 2: "collection.anki21"}
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


def read_package(path: Path, max_bytes: int = MAX_PACKAGE_BYTES,
                 deadline_s: float = READ_DEADLINE_S) -> AnkiPackage:
    size = path.stat().st_size
    if size > max_bytes:
        raise too_big(path, size, max_bytes)
    try:
        with zipfile.ZipFile(path) as archive:
            member = _collection_member(archive, path)
            media = _media_map(archive, path)
            _check_expansion(archive, [member, *media.values()], path, max_bytes)
            with tempfile.TemporaryDirectory(prefix="studyterm-import-") as scratch:
                database = Path(scratch) / "collection.sqlite"
                with archive.open(member) as source, database.open("wb") as copy:
                    shutil.copyfileobj(source, copy)
                package = _read_collection(database, path, deadline_s)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise InteropError(f"{path} is not a valid Anki package: the zip is corrupt or truncated ({error})") from None
    except OSError as error:
        raise InteropError(f"cannot unpack {path} into a temporary folder: {error.strerror or error}") from None
    package.media = media
    return package


def _collection_member(archive: zipfile.ZipFile, path: Path) -> str:
    names = set(archive.namelist())
    if "meta" in names:
        version = _meta_version(archive.read("meta"))
        if version not in _LEGACY_VERSIONS:
            raise InteropError(NEWER_FORMAT.format(path=path))
        if _LEGACY_VERSIONS[version] in names:
            return _LEGACY_VERSIONS[version]
    for name in ("collection.anki21", "collection.anki2"):
        if name in names:
            return name
    if "collection.anki21b" in names:
        raise InteropError(NEWER_FORMAT.format(path=path))
    raise InteropError(f"{path} is not an Anki package: it holds no collection.anki2 or collection.anki21")


def _meta_version(data: bytes) -> int:
    """The `version` field (1) of the protobuf PackageMetadata message; 0 when absent."""
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        if key >> 3 == 1 and key & 7 == 0:
            return _varint(data, position)[0]
        if key & 7 != 0:
            return 0
        _, position = _varint(data, position)
    return 0


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value, shift = 0, 0
    while position < len(data):
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
        shift += 7
    return value, position


def _media_map(archive: zipfile.ZipFile, path: Path) -> dict[str, str]:
    if "media" not in archive.namelist():
        return {}
    try:
        listing = json.loads(archive.read("media") or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InteropError(f"{path}: its media list is not valid JSON (corrupt package)") from None
    except RecursionError:
        raise InteropError(f"{path}: its media list is JSON nested too deeply (corrupt or hostile package)") from None
    if not isinstance(listing, dict):
        raise InteropError(f"{path}: its media list is not a mapping (corrupt package)")
    names: dict[str, str] = {}
    for member, name in listing.items():
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
            odd = not_a_table(conn, _TABLES)
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
    if version > 11:
        raise InteropError(NEWER_FORMAT.format(path=path))
    try:
        conf, models, decks = json.loads(conf_text), json.loads(models_text), json.loads(decks_text)
    except (ValueError, TypeError):
        raise InteropError(f"{path}: the collection's settings are not valid JSON (corrupt package)") from None
    except RecursionError:
        raise InteropError(f"{path}: the collection's settings are JSON nested too deeply (corrupt or hostile package)") from None
    note_types = {int(mid): NoteType.from_json(model) for mid, model in models.items()}
    deck_names = {int(did): deck.get("name", "Default") for did, deck in decks.items()}
    cards = _cards(conn, deck_names)
    notes, skipped = [], []
    for note_row in conn.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"):
        result = foreign_note(note_row, note_types.get(note_row[2]), cards.get(note_row[0], []))
        if isinstance(result, Skip):
            skipped.append(result)
        else:
            notes.append(result)
    revlog: dict[int, list[RevlogRow]] = defaultdict(list)
    for revlog_row in conn.execute(
        "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
    ):
        revlog[revlog_row[1]].append(RevlogRow(*revlog_row))
    days = AnkiDays(crt, _int_or_none(conf.get("rollover", 4)), _int_or_none(conf.get("creationOffset")))
    has_scheduling = bool(revlog) or any(card.type != 0 for group in cards.values() for card in group)
    return AnkiPackage(path, notes, skipped, dict(revlog), {}, days, has_scheduling)


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
