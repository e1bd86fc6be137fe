"""Anki's legacy collection format (schema 11): the tables and the JSON the `col` row holds.

This is what Anki writes when "Support older Anki versions" is ticked, and what every Anki since
2.1 imports: one SQLite file (`collection.anki21`) in a zip, note types and decks as JSON in the
single `col` row. Field names of the two note types and their ids must never change: Anki
matches re-imported note types by id and by a hash of their field and template names, and a
mismatch makes it file updated notes under a copy of the note type. Bump MODEL_MOD when the
templates or CSS change, so Anki takes the new version.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

TABLES = """
CREATE TABLE col (
    id integer primary key, crt integer not null, mod integer not null, scm integer not null,
    ver integer not null, dty integer not null, usn integer not null, ls integer not null,
    conf text not null, models text not null, decks text not null, dconf text not null,
    tags text not null
);
CREATE TABLE notes (
    id integer primary key, guid text not null, mid integer not null, mod integer not null,
    usn integer not null, tags text not null, flds text not null, sfld integer not null,
    csum integer not null, flags integer not null, data text not null
);
CREATE TABLE cards (
    id integer primary key, nid integer not null, did integer not null, ord integer not null,
    mod integer not null, usn integer not null, type integer not null, queue integer not null,
    due integer not null, ivl integer not null, factor integer not null, reps integer not null,
    lapses integer not null, left integer not null, odue integer not null, odid integer not null,
    flags integer not null, data text not null
);
CREATE TABLE revlog (
    id integer primary key, cid integer not null, usn integer not null, ease integer not null,
    ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null,
    type integer not null
);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
"""
INDEXES = """
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
"""
"""An export creates them once the rows are in: one sort each instead of an update per row."""
SCHEMA = TABLES + INDEXES

SCHEMA_VERSION = 11
PACKAGE_META = b"\x08\x02"
"""The `meta` member: protobuf PackageMetadata{version: LEGACY_2}, as Anki's legacy export writes."""
COLLECTION_MEMBER = "collection.anki21"

BASIC_MODEL_ID = 1731000000101
CLOZE_MODEL_ID = 1731000000102
MODEL_MOD = 1731000000
BASIC_FIELDS = ("Front", "Back", "Source", "Lab")
CLOZE_FIELDS = ("Text", "Back Extra", "Source", "Lab")
DEFAULT_DECK_ID = 1
DEFAULT_CONF_ID = 1

_FOOTER = (
    '{{#Lab}}<div class="studyterm-lab">lab: {{Lab}}</div>{{/Lab}}\n'
    '{{#Source}}<div class="studyterm-source">{{Source}}</div>{{/Source}}'
)
CSS = """\
.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background: white; }
.cloze { font-weight: bold; color: blue; }
.nightMode .cloze { color: lightblue; }
pre { background: #f4f4f4; padding: 0.5em; overflow-x: auto; font-size: 16px; }
.nightMode pre { background: #2b2b2b; }
code { font-family: monospace; }
.studyterm-lab, .studyterm-source { margin-top: 1em; font-size: 14px; color: grey; }
"""


def models_json() -> str:
    basic = _model(
        BASIC_MODEL_ID, "studyterm Basic", 0, BASIC_FIELDS,
        "{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}\n" + _FOOTER,
    )
    cloze = _model(
        CLOZE_MODEL_ID, "studyterm Cloze", 1, CLOZE_FIELDS,
        "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}\n" + _FOOTER,
    )
    return json.dumps({str(BASIC_MODEL_ID): basic, str(CLOZE_MODEL_ID): cloze})


def _model(model_id: int, name: str, kind: int, fields: tuple[str, ...], qfmt: str, afmt: str) -> dict:
    return {
        "id": model_id,
        "name": name,
        "type": kind,
        "mod": MODEL_MOD,
        "usn": -1,
        "sortf": 0,
        "did": None,
        "tmpls": [{
            "name": "Cloze" if kind else "Card 1", "ord": 0, "qfmt": qfmt, "afmt": afmt,
            "bqfmt": "", "bafmt": "", "did": None, "bfont": "", "bsize": 0,
        }],
        "flds": [
            {"name": field, "ord": ord_, "sticky": False, "rtl": False, "font": "Arial", "size": 20, "media": []}
            for ord_, field in enumerate(fields)
        ],
        "css": CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage{amssymb,amsmath}\n"
                    "\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": False,
        "req": [[0, "any", [0]]],
        "tags": [],
        "vers": [],
    }


@lru_cache(maxsize=1024)
def deck_id(name: str) -> int:
    """A stable id for an Anki deck name (Anki matches decks by name on import; the id only has
    to be unique in the package)."""
    digest = hashlib.blake2b(name.encode(), digest_size=6).digest()
    return 10**12 + int.from_bytes(digest, "big") % (9 * 10**12)


def decks_json(names: list[str], mod: int) -> str:
    decks = {str(DEFAULT_DECK_ID): _deck(DEFAULT_DECK_ID, "Default", mod)}
    for name in names:
        decks[str(deck_id(name))] = _deck(deck_id(name), name, mod)
    return json.dumps(decks)


def _deck(identifier: int, name: str, mod: int) -> dict:
    return {
        "id": identifier, "name": name, "mod": mod, "usn": -1, "desc": "", "dyn": 0,
        "conf": DEFAULT_CONF_ID, "collapsed": False, "browserCollapsed": False,
        "extendNew": 0, "extendRev": 0,
        "newToday": [0, 0], "revToday": [0, 0], "lrnToday": [0, 0], "timeToday": [0, 0],
    }


def dconf_json() -> str:
    return json.dumps({str(DEFAULT_CONF_ID): {
        "id": DEFAULT_CONF_ID, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60,
        "autoplay": True, "timer": 0, "replayq": True, "dyn": False,
        "new": {"bury": False, "delays": [1, 10], "initialFactor": 2500, "ints": [1, 4, 0],
                "order": 1, "perDay": 20},
        "lapse": {"delays": [10], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0},
        "rev": {"bury": False, "ease4": 1.3, "ivlFct": 1, "maxIvl": 36500, "perDay": 200,
                "hardFactor": 1.2},
    }})


def conf_json(rollover_hour: int, minutes_west: int, next_position: int) -> str:
    """Collection settings. `rollover` and `creationOffset` make Anki count days the way
    studyterm does (calendar days in the learner's time zone, rolling over at that hour), so
    due dates written as "days since crt" land on the same dates."""
    return json.dumps({
        "activeDecks": [DEFAULT_DECK_ID], "curDeck": DEFAULT_DECK_ID, "curModel": BASIC_MODEL_ID,
        "newSpread": 0, "collapseTime": 1200, "timeLim": 0, "estTimes": True, "dueCounts": True,
        "sortType": "noteFld", "sortBackwards": False, "addToCur": True, "nextPos": next_position,
        "schedVer": 2, "rollover": rollover_hour, "creationOffset": minutes_west,
    })
