from pathlib import Path

import pytest

from studyterm.layout import (
    CollectionNotFoundError,
    find_collection,
    init_collection,
    resolve_collection,
    sample_source,
)


def test_find_walks_up_to_the_folder_holding_concepts(collection_root):
    deep = collection_root / "concepts" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_collection(deep) == collection_root.resolve()
    assert find_collection(Path("/")) is None or (Path("/") / "concepts").is_dir()


def test_explicit_folder_must_be_a_collection(tmp_path):
    with pytest.raises(CollectionNotFoundError, match="studyterm init"):
        resolve_collection(tmp_path, environ={})


def test_init_never_overwrites_existing_files(tmp_path):
    (tmp_path / "labs").mkdir()
    (tmp_path / "labs" / "mine.txt").write_text("keep me")
    (tmp_path / ".gitignore").write_text("*.log")
    init_collection(tmp_path, sample=True)
    assert (tmp_path / "labs" / "mine.txt").read_text() == "keep me"
    assert (tmp_path / ".gitignore").read_text() == "*.log\n# studyterm's scheduling state and drafts: local to this machine\n.studyterm/\n"


def test_the_sample_is_bundled_with_real_notes():
    notes = list((sample_source() / "concepts").rglob("*.md"))
    assert notes, "the sample collection has no notes"
