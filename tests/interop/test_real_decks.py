"""Real decks in, real decks out: packages built by Anki itself, one per problem real shared decks
showed (a note's cards in two decks, notes sharing a question, audio, ruby, template
conditionals, comments, image occlusion, the current anki21b format). Each is imported into
studyterm, exported again and imported back into Anki; counts, decks, media and progress are
checked on both sides, and every card the import leaves out is named with its reason."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from studyterm.interop import export_deck, import_file
from studyterm.render.card import question_markdown
from studyterm.store.exchange import deck_cards
from tests.interop.conftest import anki_day_start, import_into_anki

pytest.importorskip("anki")

SOUND = b"ID3 a short sound"
PICTURE = b"\x89PNG\r\n\x1a\n occluded picture"


def media_file(anki, name: str, data: bytes) -> None:
    with open(os.path.join(anki.media.dir(), name), "wb") as out:
        out.write(data)


def add(anki, kind: str, deck: str, tags: tuple[str, ...] = (), **fields: str):
    note = anki.new_note(anki.models.by_name(kind))
    for name, value in fields.items():
        note[name] = value
    note.tags = list(tags)
    anki.add_note(note, anki.decks.id(deck))
    return note


def export(anki, out: Path, *, legacy: bool) -> Path:
    from anki.collection import ExportAnkiPackageOptions

    options = ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=legacy)
    anki.export_anki_package(out_path=str(out), options=options, limit=None)
    return out


def fresh_anki(tmp_path: Path, name: str):
    from anki.collection import Collection

    folder = tmp_path / name
    folder.mkdir()
    return Collection(str(folder / "collection.anki2"))


def counts_add_up(result) -> None:
    assert result.found == result.cards + result.skipped_cards, (result.found, result.cards, result.skipped)


def build_real_deck(anki) -> dict:
    """One package with every problem: returns what the test needs to look at."""
    media_file(anki, "hello.mp3", SOUND)
    media_file(anki, "io.png", PICTURE)
    reversed_note = add(anki, "Basic (and reversed card)", "Chinese::Reading", Front="好", Back="good")
    writing = reversed_note.cards()[1]
    writing.did = anki.decks.id("Chinese::Writing")
    anki.update_card(writing)
    add(anki, "Basic", "Chinese::Reading", Front="行", Back="to walk")
    add(anki, "Basic", "Chinese::Reading", Front="行", Back="a row")
    add(anki, "Basic", "Chinese::Reading", Front="行", Back="a row")  # the same card twice
    add(anki, "Basic", "Chinese::Reading", Front="hello [sound:hello.mp3]", Back="你好")
    add(anki, "Basic", "Japanese", Front="<ruby>将<rt>しょう</rt></ruby>棋", Back="shogi <!-- editor's note -->")
    hinted = anki.models.copy(anki.models.by_name("Basic"))
    hinted["name"] = "Hinted"
    for name in ("Hint", "Extra", "Secret"):
        anki.models.add_field(hinted, anki.models.new_field(name))
    template = hinted["tmpls"][0]
    template["qfmt"] = "{{Front}}{{#Hint}}<br>{{Hint}}{{/Hint}}{{^Hint}}<br>{{Extra}}{{/Hint}}<!-- {{Secret}} -->"
    anki.models.update_dict(hinted)
    add(anki, "Hinted", "Japanese", Front="犬", Back="dog", Hint="", Extra="wan", Secret="bark")
    add(anki, "Hinted", "Japanese", Front="猫", Back="cat", Hint="meow", Extra="nyan", Secret="purr")
    occlusion = add(anki, "Image Occlusion", "Japanese",
                    Occlusion="{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2:oi=1}}",
                    Image='<img src="io.png">')
    reading = reversed_note.cards()[0]
    reading.start_timer()
    anki.sched.answerCard(reading, 4)
    return {"reading": reading, "writing": writing, "occlusion": occlusion}


@pytest.mark.parametrize("legacy", [False, True], ids=["anki21b", "legacy"])
def test_every_card_of_a_real_deck_arrives_or_is_named(anki, other, tmp_path, clock, legacy):
    made = build_real_deck(anki)
    package = export(anki, tmp_path / "real.apkg", legacy=legacy)
    clock.set((anki_day_start(anki) + timedelta(hours=1)).isoformat())

    result = import_file(other, package)

    counts_add_up(result)
    assert result.found == anki.card_count() == 10
    assert [(s.reason, s.cards) for s in result.skipped] == [
        ("an image occlusion note: studyterm cannot hide parts of an image, so it has nothing to ask", 1),
        ("the same question with the same answer is already in this deck (duplicate note)", 1),
    ]
    assert str(made["occlusion"].id) in result.skipped[0].what
    assert result.cards == 8
    cards = {(c.question, c.answer): c for c in deck_cards(other.store, None)}
    assert cards[("好", "good")].deck == "Chinese/Reading"
    assert cards[("good", "好")].deck == "Chinese/Writing"
    assert {answer for question, answer in cards if question == "行"} == {"to walk", "a row"}
    assert not cards[("好", "good")].schedule.is_new and cards[("good", "好")].schedule.is_new
    sound = next(c for q, c in cards.items() if q[0].startswith("hello"))
    assert sound.question == "hello [sound:hello.mp3](../media/hello.mp3)"
    assert (other.layout.root / "concepts/media/hello.mp3").read_bytes() == SOUND
    assert result.media == ["concepts/media/hello.mp3"]  # not io.png: its note was skipped
    ruby = cards[("<ruby>将<rt>しょう</rt></ruby>棋", "shogi")]
    assert question_markdown(ruby) == "将(しょう)棋"
    assert ("犬\n\nwan", "dog") in cards and ("猫\n\nmeow", "cat") in cards  # {{#Hint}}, {{^Hint}}
    assert not any(word in q + a for q, a in cards for word in ("nyan", "bark", "purr"))  # hidden, commented out
    assert other.problems() == []


def test_a_real_deck_goes_back_to_anki_with_its_decks_sounds_and_ruby(anki, other, tmp_path, clock):
    build_real_deck(anki)
    clock.set((anki_day_start(anki) + timedelta(hours=1)).isoformat())
    import_file(other, export(anki, tmp_path / "real.apkg", legacy=False))
    again = export_deck(other, "apkg", tmp_path / "back.apkg", with_scheduling=True)
    assert again.warnings == ()
    assert "hello.mp3" in again.media

    second = fresh_anki(tmp_path, "second")
    try:
        import_into_anki(second, Path(again.path))
        assert second.card_count() == 8
        decks = {name for name in second.decks.all_names() if name != "Default"}
        assert {"Chinese::Reading", "Chinese::Writing", "Japanese"} <= decks
        fields = [second.get_note(nid).fields for nid in second.find_notes("")]
        assert any("[sound:hello.mp3]" in f[0] for f in fields)
        assert any("<ruby>将<rt>しょう</rt></ruby>" in f[0] for f in fields)
        with open(os.path.join(second.media.dir(), "hello.mp3"), "rb") as played:
            assert played.read() == SOUND
        writing = second.find_cards('"deck:Chinese::Writing"')
        assert len(writing) == 1
        answered = [cid for cid in second.find_cards("") if second.get_card(cid).type == 2 or second.get_card(cid).reps]
        assert len(answered) == 1
    finally:
        second.close()


def test_the_current_format_and_the_legacy_one_give_the_same_cards(anki, tmp_path, clock):
    from studyterm.collection import Collection
    from studyterm.layout import Layout

    build_real_deck(anki)
    clock.set((anki_day_start(anki) + timedelta(hours=1)).isoformat())
    seen = []
    for legacy in (False, True):
        root = tmp_path / f"c{legacy}"
        (root / "concepts").mkdir(parents=True)
        collection = Collection.open(Layout(root), clock)
        try:
            import_file(collection, export(anki, tmp_path / f"p{legacy}.apkg", legacy=legacy))
            seen.append(sorted((c.question, c.answer, c.deck, c.schedule.due, c.schedule.sm2.interval_days)
                               for c in deck_cards(collection.store, None)))
        finally:
            collection.close()
    assert seen[0] == seen[1] and len(seen[0]) == 8

