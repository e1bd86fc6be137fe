"""Export benchmark on the synthetic 100,000-card collection (figures go in docs/benchmarks.md).

    pip install -e ".[bench]"
    python benchmarks/bench_export.py [--notes 10000] [--repeat 3]

Side by side, in one run, on the same cards:

* studyterm's .apkg export (`export_deck`), whole and by phase (read the cards, Markdown -> HTML,
  build the rows, write the SQLite collection and zip it; each timed with the cyclic collector
  paused, as the export runs them), with and without --with-scheduling;
* the same package built with genanki (same GUIDs, fields, tags, decks and note types; the
  fields are rendered by studyterm beforehand, so genanki's column is packaging only);
* studyterm's CSV export, and Anki's own CSV import of it (the `anki` package: Anki's Rust
  backend), plus Anki's import of studyterm's .apkg, each into a fresh Anki collection.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from anki_reference import anki_import
from bench_core import seed_history
from synthetic import generate

from studyterm.clock import fixed_clock, parse_now
from studyterm.collection import Collection
from studyterm.interop import anki_schema, export_deck
from studyterm.interop.apkg_write import anki_deck_name, anki_tags, fields_of, write_apkg
from studyterm.interop.deckdata import PackageData, gather_package
from studyterm.interop.grouping import GUID_PREFIX
from studyterm.interop.html import MediaIndex
from studyterm.layout import Layout
from studyterm.notes.model import CardKind
from studyterm.store.rows import tags_from_json

NOW = "2026-11-21T10:00:00+00:00"


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def median_of(repeat: int, action) -> float:
    return statistics.median(timed(action)[0] for _ in range(repeat))


def collector_paused(action):
    """`action` run as export_deck runs its phases: with the cyclic collector paused."""
    def run():
        gc.disable()
        try:
            return action()
        finally:
            gc.enable()

    return run


def rendered_fields(data: PackageData, root: Path) -> list[list[str]]:
    """Every note's fields, as the export renders them."""
    media = MediaIndex(root)
    firsts = (data.cards[group[0]] for group in data.notes)
    return [fields_of(card.kind == CardKind.CLOZE, card.question, card.answer, card.note_path, card.lab,
                      media.resolver(card.note_path))
            for card in firsts]


def genanki_package(data: PackageData, fields: list[list[str]], target: Path) -> None:
    """The package studyterm writes, built with genanki from the same rendered fields."""
    import genanki

    def model(model_id: int, name: str, names: tuple[str, ...], qfmt: str, afmt: str, kind: int):
        return genanki.Model(
            model_id, name, fields=[{"name": n} for n in names],
            templates=[{"name": "Card 1", "qfmt": qfmt, "afmt": afmt}], css=anki_schema.CSS, model_type=kind,
        )

    basic = model(anki_schema.BASIC_MODEL_ID, "studyterm Basic", anki_schema.BASIC_FIELDS,
                  "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}", genanki.Model.FRONT_BACK)
    cloze = model(anki_schema.CLOZE_MODEL_ID, "studyterm Cloze", anki_schema.CLOZE_FIELDS,
                  "{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}", genanki.Model.CLOZE)
    decks: dict[str, genanki.Deck] = {}
    for group, values in zip(data.notes, fields, strict=True):
        first = data.cards[group[0]]
        name = anki_deck_name(first.deck)
        deck = decks.setdefault(name, genanki.Deck(anki_schema.deck_id(name), name))
        deck.add_note(genanki.Note(
            model=cloze if first.kind == CardKind.CLOZE else basic, fields=values, guid=GUID_PREFIX + first.id,
            tags=anki_tags(tags_from_json(first.tags)).split(),
        ))
    genanki.Package(list(decks.values())).write_to_file(str(target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Build the collection here and keep it.")
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="studyterm-bench-export-"))
    root = workdir / "collection"
    shutil.rmtree(root, ignore_errors=True)
    generate(root, args.notes)
    print(f"collection: {args.notes} notes in {root}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")

    with Collection.open(Layout(root), fixed_clock(parse_now(NOW))) as collection:
        sync_s, report = timed(collection.sync)
        print(f"cold sync: {sync_s:.1f} s ({report.created} cards)")
        decks = root / "decks"
        apkg = decks / "all.apkg"
        export_s = median_of(args.repeat, lambda: export_deck(collection, "apkg", apkg, force=True))
        print(f"studyterm .apkg export:            {export_s:.2f} s ({apkg.stat().st_size / 1e6:.1f} MB)")

        data = gather_package(collection, None, with_scheduling=False)
        gather_s = median_of(args.repeat, collector_paused(lambda: gather_package(collection, None, with_scheduling=False)))
        fields: list[list[str]] = []

        def render() -> None:
            fields[:] = rendered_fields(data, root)

        render_s = median_of(args.repeat, collector_paused(render))
        write_s = median_of(args.repeat, collector_paused(lambda: write_apkg(data, apkg, with_scheduling=False)))
        print(f"  read cards {gather_s:.2f} s, Markdown -> HTML {render_s:.2f} s, "
              f"rows + SQLite + zip {write_s - render_s:.2f} s ({len(data.notes)} notes, {len(data.cards)} cards)")

        genanki_path = decks / "genanki.apkg"
        genanki_s = median_of(args.repeat, lambda: genanki_package(data, fields, genanki_path))
        print(f"genanki, same package from the rendered fields: {genanki_s:.2f} s "
              f"({genanki_path.stat().st_size / 1e6:.1f} MB); plus the rendering: {genanki_s + render_s:.2f} s")
        print(f"studyterm export / genanki:        {export_s / genanki_s:.2f}x (goal <= 1.0); "
              f"against genanki plus the rendering: {export_s / (genanki_s + render_s):.2f}x")

        seed_history(collection)
        scheduled = decks / "scheduled.apkg"
        scheduled_s = median_of(args.repeat, lambda: export_deck(collection, "apkg", scheduled, with_scheduling=True, force=True))
        print(f"studyterm .apkg --with-scheduling: {scheduled_s:.2f} s (70% of cards with a schedule)")

        csv_path = decks / "all.csv"
        csv_s = median_of(args.repeat, lambda: export_deck(collection, "csv", csv_path, force=True))
        print(f"studyterm .csv export:             {csv_s:.2f} s ({csv_path.stat().st_size / 1e6:.1f} MB)")

    csv_import_s, csv_cards = anki_import("csv", csv_path, workdir)
    print(f"Anki's CSV import of it:           {csv_import_s:.2f} s ({csv_cards} cards)")
    apkg_import_s, apkg_cards = anki_import("apkg", scheduled, workdir)
    print(f"Anki's .apkg import of studyterm's package: {apkg_import_s:.2f} s ({apkg_cards} cards)")
    genanki_import_s, genanki_cards = anki_import("genanki", genanki_path, workdir)
    print(f"Anki's .apkg import of genanki's package:   {genanki_import_s:.2f} s ({genanki_cards} cards)")
    if not args.keep:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
