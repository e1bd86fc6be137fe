"""Nothing is written outside the collection unless the user named the path, and a named path
never replaces what is not a plain file, nor a file without --force."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyterm.cli import cli
from studyterm.interop import InteropError, export_deck, import_file
from tests.conftest import write_note
from tests.limits import read_only

NOW = "2026-11-21T10:00:00+00:00"


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--collection", str(root), "--now", NOW, *args])


@pytest.fixture
def climbing(collection_root: Path) -> Path:
    """A note whose front matter names a deck that climbs out of decks/."""
    write_note(collection_root, "concepts/a.md", "---\ntitle: A\ndeck: ../../x\n---\nQ: one?\nA: yes\n")
    write_note(collection_root, "concepts/b.md", "Q: two?\nA: yes\n")
    return collection_root


def test_a_deck_name_that_climbs_out_is_a_problem_with_its_line(climbing):
    result = run(climbing, "sync")
    assert "concepts/a.md:3: front matter deck '../../x'" in result.output
    assert run(climbing, "due", "--json").exit_code == 0
    export = run(climbing, "export")
    assert export.exit_code == 0, export.output
    assert sorted(p.name for p in climbing.parent.iterdir()) == ["collection"]
    assert (climbing / "decks/all.apkg").is_file()


def test_the_export_deck_argument_is_checked_too(climbing):
    run(climbing, "sync")
    result = run(climbing, "export", "../../x")
    assert result.exit_code == 1 and "not a deck name" in result.output
    assert sorted(p.name for p in climbing.parent.iterdir()) == ["collection"]


def test_an_export_path_is_proven_inside_decks(collection, collection_root, tmp_path):
    """Even a deck name that is fine as text cannot lead outside: decks/sub is a link out."""
    write_note(collection_root, "concepts/sub/x/n.md", "Q: q?\nA: a\n")
    collection.sync()
    outside = tmp_path / "outside"
    outside.mkdir()
    (collection_root / "decks" / "sub").symlink_to(outside)
    with pytest.raises(InteropError, match="outside"):
        export_deck(collection, "apkg", deck="sub/x")
    assert list(outside.iterdir()) == []


def test_import_refuses_a_deck_option_that_climbs_out(collection_root, tmp_path):
    source = tmp_path / "cards.csv"
    source.write_text("front,back\nQ one,A one\n", encoding="utf-8")
    result = run(collection_root, "import", str(source), "--deck", "../..")
    assert result.exit_code == 1 and "not a deck name" in result.output
    assert list((collection_root / "concepts").iterdir()) == []


def test_import_of_a_package_deck_named_dot_dot_stays_inside(collection, collection_root, tmp_path):
    source = tmp_path / "..csv"
    source.write_text("front,back\nQ one,A one\n", encoding="utf-8")
    result = import_file(collection, source)
    assert all(not Path(p).is_absolute() and ".." not in Path(p).parts for p in result.created)
    decks = {card.deck for card in collection.search()}
    assert all(".." not in deck.split("/") for deck in decks)


@pytest.fixture
def exportable(collection_root: Path) -> Path:
    write_note(collection_root, "concepts/a.md", "Q: one?\nA: yes\n")
    assert run(collection_root, "sync").exit_code == 0
    return collection_root


def test_export_o_never_overwrites_a_file_without_force(exportable, tmp_path):
    target = tmp_path / "mine.csv"
    target.write_text("precious", encoding="utf-8")
    result = run(exportable, "export", "--format", "csv", "-o", str(target))
    assert result.exit_code == 1 and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "precious"
    assert run(exportable, "export", "--format", "csv", "-o", str(target), "--force").exit_code == 0
    assert "one?" in target.read_text(encoding="utf-8")


def test_exporting_again_to_the_default_place_replaces_the_old_export(exportable):
    assert run(exportable, "export").exit_code == 0
    assert run(exportable, "export").exit_code == 0


def test_export_o_never_replaces_a_link_or_a_fifo(exportable, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("precious", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for target in (link, fifo):
        result = run(exportable, "export", "--format", "csv", "-o", str(target), "--force")
        assert result.exit_code == 1, target
        assert "not a regular file" in result.output or "symbolic link" in result.output
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "precious"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_export_o_never_replaces_a_device_node(exportable, tmp_path):
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs root")
    result = run(exportable, "export", "--format", "csv", "-o", str(device), "--force")
    assert result.exit_code == 1 and "not a regular file" in result.output
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_exported_files_get_the_umasks_permissions(exportable, tmp_path):
    previous = os.umask(0o022)
    try:
        assert run(exportable, "export", "--format", "md", "-o", str(tmp_path / "a.md")).exit_code == 0
        assert run(exportable, "export").exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o644
    assert stat.S_IMODE((exportable / "decks/all.apkg").stat().st_mode) == 0o644


def test_export_into_a_read_only_folder_is_one_line(exportable, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        result = run(exportable, "export", "-o", str(folder / "x.apkg"))
    assert result.exit_code == 1
    assert "cannot write" in result.output and str(folder) in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert list(folder.iterdir()) == []
