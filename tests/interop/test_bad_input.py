"""Bad packages get one clear error or a clear skip, and the collection is left exactly as it was."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from studyterm.interop import InteropError, export_deck, import_file
from studyterm.interop import importer as importer_module
from studyterm.store.exchange import deck_cards
from tests.conftest import write_note
from tests.interop.conftest import database_dump, tree


@pytest.fixture
def package(sample, tmp_path) -> Path:
    """A good package (the sample collection with scheduling) to break in various ways."""
    sample.answer(sample.next_card().card_id, 4)
    return Path(export_deck(sample, "apkg", tmp_path / "good.apkg", with_scheduling=True).path)


@pytest.fixture
def lived_in(other):
    """The collection imported into already has a note and some history."""
    write_note(other.layout.root, "concepts/mine.md", "Q: Mine?\nA: Yes.\n")
    other.sync()
    other.answer(other.next_card().card_id, 5)
    return other


def rewrite(source: Path, target: Path, *, media: dict | None = None, sql: str | None = None,
            drop: tuple[str, ...] = (), add: dict[str, bytes] | None = None) -> Path:
    """A copy of a package with its media map, collection (SQL run on it) or members changed."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename in drop:
                continue
            if info.filename == "media" and media is not None:
                data = json.dumps(media).encode()
            if info.filename == "collection.anki21" and sql:
                scratch = target.with_suffix(".sqlite")
                scratch.write_bytes(data)
                with sqlite3.connect(scratch) as conn:
                    conn.executescript(sql)
                data = scratch.read_bytes()
            copy.writestr(info, data)
        for name, data in (add or {}).items():
            copy.writestr(name, data)
    return target


def refused(collection, path: Path, **options) -> str:
    """Import `path`, expect a clear error, and prove the collection did not change."""
    root = collection.layout.root
    files, database = tree(root), database_dump(collection)
    with pytest.raises(InteropError) as raised:
        import_file(collection, path, **options)
    assert tree(root) == files
    assert database_dump(collection) == database
    return str(raised.value)


def test_a_corrupt_zip_is_refused(lived_in, package, tmp_path):
    truncated = tmp_path / "truncated.apkg"
    truncated.write_bytes(package.read_bytes()[: package.stat().st_size // 2])
    assert "not a valid Anki package" in refused(lived_in, truncated)
    garbage = tmp_path / "garbage.apkg"
    garbage.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert "corrupt or truncated" in refused(lived_in, garbage)


def test_a_corrupt_collection_inside_is_refused(lived_in, package, tmp_path):
    broken = tmp_path / "broken.apkg"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("collection.anki21", b"SQLite format 3\x00" + b"\x07" * 4000)
        archive.writestr("media", "{}")
    assert "not a readable Anki database" in refused(lived_in, broken)
    odd_json = rewrite(package, tmp_path / "odd.apkg", sql="UPDATE col SET models = '[1, 2]'")
    assert "the collection inside is damaged" in refused(lived_in, odd_json)
    empty = tmp_path / "empty.apkg"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("media", "{}")
    assert "holds no collection" in refused(lived_in, empty)


def test_the_newer_anki_format_is_refused_with_what_to_do(lived_in, package, tmp_path):
    meta_latest = rewrite(package, tmp_path / "latest.apkg", drop=("meta",), add={"meta": b"\x08\x03"})
    message = refused(lived_in, meta_latest)
    assert "newer package format" in message and "Support older Anki versions" in message
    only_b = rewrite(package, tmp_path / "b.apkg", drop=("meta", "collection.anki21"),
                     add={"collection.anki21b": b"(zstd data)"})
    assert "newer package format" in refused(lived_in, only_b)
    schema_18 = rewrite(package, tmp_path / "v18.apkg", sql="UPDATE col SET ver = 18")
    assert "newer package format" in refused(lived_in, schema_18)


def test_anki_own_new_format_export_is_refused(lived_in, tmp_path, anki):
    from tests.interop.test_anki_import import build_anki_package

    build_anki_package(anki, tmp_path / "new.apkg", legacy=False)
    assert "Support older Anki versions" in refused(lived_in, tmp_path / "new.apkg")


@pytest.mark.parametrize("name", ["../../escaped.png", "/etc/passwd", "sub/dir.png", "..", ".hidden"])
def test_a_media_path_that_escapes_the_folder_is_refused(lived_in, package, tmp_path, name):
    evil = rewrite(package, tmp_path / "evil.apkg", media={"0": name})
    assert "escape the media folder" in refused(lived_in, evil)
    assert not list(tmp_path.rglob("escaped.png"))


def test_an_unknown_note_type_is_skipped_and_the_rest_imported(other, package, tmp_path):
    odd = rewrite(package, tmp_path / "odd.apkg",
                  sql="UPDATE notes SET mid = 4242 WHERE id = (SELECT min(id) FROM notes)")
    result = import_file(other, odd)
    (skip,) = result.skipped
    assert skip.what.startswith("note ") and skip.reason.startswith("unknown note type 4242")
    assert result.cards == 18 and len(deck_cards(other.store, None)) == 18


def test_a_package_over_the_size_limit_is_refused(lived_in, package, tmp_path):
    message = refused(lived_in, package, max_bytes=1000)
    assert "over the 0.001 MB import limit" in message
    assert "--max-size 1 " in message


def test_a_package_that_unpacks_far_beyond_the_limit_is_refused(lived_in, package, tmp_path):
    bomb = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, zipfile.ZipFile(package) as good:
        archive.writestr("collection.anki21", good.read("collection.anki21"))
        archive.writestr("media", json.dumps({"0": "huge.png"}))
        archive.writestr("0", b"\x00" * 3_000_000)
    assert "unpacks to" in refused(lived_in, bomb, max_bytes=bomb.stat().st_size + 1)


def test_a_failed_write_removes_everything_it_created(lived_in, package, tmp_path, monkeypatch):
    def disk_full(*_args, **_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(importer_module.shutil, "copyfileobj", disk_full)
    root = lived_in.layout.root
    files, database = tree(root), database_dump(lived_in)
    with pytest.raises(InteropError, match="No space left on device"):
        import_file(lived_in, package)
    assert tree(root) == files
    assert database_dump(lived_in) == database
    assert sorted(p.name for p in (root / "concepts").iterdir()) == ["mine.md"]


def test_other_files_are_refused_by_name(lived_in, tmp_path):
    note = tmp_path / "deck.md"
    note.write_text("Q: a\nA: b\n", encoding="utf-8")
    assert "studyterm imports .apkg, .colpkg, .csv, .tsv, .txt" in refused(lived_in, note)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("caf\xe9,coffee\n".encode("latin-1"))
    assert "not UTF-8" in refused(lived_in, latin)
    assert "no such file" in refused(lived_in, tmp_path / "missing.apkg")
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"front,back\x00\n")
    assert "not a CSV/TSV text file" in refused(lived_in, nul)
