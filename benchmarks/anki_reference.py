"""Anki's own importers (the `anki` package: Anki's Rust backend) as the reference that
bench_core.py and bench_export.py measure studyterm against, side by side in one run."""

from __future__ import annotations

import shutil
import time
from pathlib import Path


def anki_import(kind: str, path: Path, scratch: Path) -> tuple[float, int]:
    """Seconds for Anki's own importer to take `path` (a CSV, or an .apkg for any other `kind`)
    into a new, empty collection, and the number of cards it holds afterwards."""
    from anki.collection import Collection as AnkiCollection
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest, ImportCsvRequest

    folder = scratch / f"anki-{kind}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    col = AnkiCollection(str(folder / "collection.anki2"))
    try:
        start = time.perf_counter()
        if kind == "csv":
            col.import_csv(ImportCsvRequest(path=str(path), metadata=col.get_csv_metadata(str(path), None)))
        else:
            request = ImportAnkiPackageRequest(
                package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=True)
            )
            col.import_anki_package(request)
        return time.perf_counter() - start, col.card_count()
    finally:
        col.close()
        shutil.rmtree(folder, ignore_errors=True)
