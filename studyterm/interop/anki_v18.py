"""Note types, decks and day settings of a schema-18 Anki collection (Anki's current format).

The legacy collection keeps these as JSON in the `col` row; since schema 15 they have their own
tables, with settings as protobuf (rslib/src/storage/*/schema*.sql, proto/anki/notetypes.proto):

* `notetypes(id, name, config)`: config field 1 is the kind (1: cloze);
* `fields(ntid, ord, name)`; `templates(ntid, ord, name, config)`: config field 1 is the
  question format, 2 the answer format;
* `decks(id, name)`: the name's parts are separated by \\x1f, not '::';
* `config(KEY, val)`: JSON values; `rollover` and `creationOffset` count days as col.conf did.

Every query runs under the caller's deadline (foreign_db) and every value is checked: a blob
that is not a protobuf message raises protobuf.WireError, which the reader reports as damage.
"""

from __future__ import annotations

import json
import sqlite3

from studyterm.interop import protobuf
from studyterm.interop.anki_notetypes import NoteType

TABLES = ("notetypes", "fields", "templates", "decks", "config")
_KIND_CLOZE = 1
_MAX_SETTING_BYTES = 10_000
"""A day setting is a small number; anything longer is ignored."""


def has_tables(conn: sqlite3.Connection) -> bool:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return set(TABLES) <= names


def note_types(conn: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for ntid, name in conn.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(str(name))
    templates: dict[int, list[tuple[str, str]]] = {}
    for ntid, config in conn.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
        message = protobuf.parse(_blob(config))
        templates.setdefault(ntid, []).append((protobuf.text(message, 1), protobuf.text(message, 2)))
    found = {}
    for ntid, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
        kind = protobuf.integer(protobuf.parse(_blob(config)), 1)
        found[int(ntid)] = NoteType(
            int(ntid), str(name), kind == _KIND_CLOZE, tuple(fields.get(ntid, ())), tuple(templates.get(ntid, ()))
        )
    return found


def deck_names(conn: sqlite3.Connection) -> dict[int, str]:
    return {int(did): str(name).replace("\x1f", "::") for did, name in conn.execute("SELECT id, name FROM decks")}


def day_settings(conn: sqlite3.Connection) -> dict[str, object]:
    """`rollover` and `creationOffset` from the config table, as col.conf held them."""
    settings: dict[str, object] = {}
    rows = conn.execute("SELECT KEY, val FROM config WHERE KEY IN ('rollover', 'creationOffset')")
    for key, value in rows:
        raw = _blob(value)
        if len(raw) <= _MAX_SETTING_BYTES:
            try:
                settings[str(key)] = json.loads(raw)
            except ValueError:
                continue
    return settings


def _blob(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    if value is None:
        return b""
    raise protobuf.WireError(f"expected a blob, found {type(value).__name__}")
