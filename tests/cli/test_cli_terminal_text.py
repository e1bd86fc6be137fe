"""Text from notes and packages never reaches a terminal with its control sequences (CLI side;
the review app's side is tests/tui/test_hostile_text.py). JSON keeps the text exact."""

import json
import re
from pathlib import Path

from studyterm.render.text import visible, without_controls
from tests.conftest import write_note

TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J\x1b[H"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
LINK = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"
CSI_8BIT = "\x9b31m"
HOSTILE = f"Plain {TITLE}{CLEAR}{CLIPBOARD}{LINK}{CSI_8BIT}\x7f\x08 end"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_visible_shows_every_control_character_but_newline_and_tab():
    text = "".join(chr(c) for c in range(0x00, 0xA0)) + "é→"
    shown = visible(text)
    assert not RAW_CONTROL.search(shown)
    assert "\n" in shown and "\t" in shown
    assert "\\x1b" in shown and "\\x9b" in shown and "\\x7f" in shown and "\\x00" in shown
    assert shown.endswith("~\\x7f\\x80" + "".join(f"\\x{c:02x}" for c in range(0x81, 0xA0)) + "é→")
    assert visible("no controls: ok\n\tindented") == "no controls: ok\n\tindented"


def test_without_controls_removes_them_and_keeps_the_rest():
    assert without_controls(HOSTILE + "\r") == "Plain ]0;pwned[2J[H]52;c;cm0gLXJmIH4=]8;;https://evil.example\\click]8;;\\31m end"
    assert without_controls("a\tb") == "ab"  # a terminal cell never holds a tab or a newline


def hostile_collection(root: Path) -> None:
    write_note(root, "concepts/evil.md", f"Q: What {HOSTILE}?\nA: An answer {TITLE} here.\n")
    folder = root / "concepts" / f"deck{CLEAR}"
    folder.mkdir()
    (folder / f"name{TITLE}.md").write_text("---\n---\nbroken :: \n\nQ: plain?\nA: yes\n", encoding="utf-8")


def test_cli_output_shows_escapes_instead_of_sending_them(run, collection_root):
    hostile_collection(collection_root)
    for args in (("sync",), ("due",), ("check",)):
        result = run(*args)
        assert not RAW_CONTROL.search(result.stdout), args
        assert not RAW_CONTROL.search(result.stderr), args
    shown = run("due").stdout
    assert "\\x1b]0;pwned\\x07" in shown and "deck\\x1b[2J" in shown
    cards = run("due", "--json", json_out=True)["cards"]
    card_id = next(card["id"] for card in cards if card["question"].startswith("What"))
    out = run("card", card_id).stdout
    assert "Q: What Plain \\x1b]0;pwned" in out and not RAW_CONTROL.search(out)


def test_json_keeps_the_text_exact_and_escaped(run, collection_root):
    hostile_collection(collection_root)
    result = run("due", "--json")
    assert not RAW_CONTROL.search(result.stdout)  # C1 and DEL too: json.dumps leaves those raw
    cards = json.loads(result.stdout)["cards"]
    evil = next(card for card in cards if card["question"].startswith("What"))
    assert evil["question"] == f"What {HOSTILE}?"
    assert any(card["deck"] == f"deck{CLEAR}" for card in cards)


def test_error_messages_show_escapes_too(run, tmp_path):
    package = tmp_path / f"deck{TITLE}.doc"
    package.write_text("not a package", encoding="utf-8")
    result = run("import", str(package))
    assert result.exit_code == 1
    assert "deck\\x1b]0;pwned\\x07.doc" in result.output
    assert not RAW_CONTROL.search(result.output)


def test_cli_modules_print_only_through_the_output_layer():
    """One boundary: every human-readable line goes through cli.output.echo (which calls
    visible); JSON through emit_json."""
    cli = Path(__file__).resolve().parents[1] / "studyterm" / "cli"
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(cli.glob("*.py")) if path.name != "output.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bclick\.echo\(|\bclick\.secho\(|(?<![\w.])print\(", line)
    ]
    assert offenders == []
