"""The front-matter fast path reads simple blocks exactly as YAML does, and declines the rest."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import note_text
from studyterm.notes.frontmatter import (
    FrontMatterError,
    _load_yaml,
    _read_front_matter,
    _simple_mapping,
    read_front_matter,
)

ROOT = Path(__file__).resolve().parents[2]
LOADERS = [loader for loader in (getattr(yaml, "CSafeLoader", None), yaml.SafeLoader) if loader]
"""libyaml's loader (what `_load_yaml` uses when it is there) and the pure-Python one."""

TRAP_KEYS = [
    "title", "deck", "tags", "lab", "date", "aliases", "Title", "TAGS", "x", "key_with-dash", "a1",
    "y", "Y", "n", "N", "yes", "No", "ON", "off", "True", "false", "null", "Null", "~", "",
    "1", "0x1f", "1:30", "1.5", ".inf", "2024-01-02", "<<", "=", "?", "-", "- a", "? a", "&a a",
    "*a", "!t a", "'q'", '"q"', "a b", "a:b", "é", "k\t", " title", "title ", "[a]", "{a}",
    "k" * 64, "k" * 65, "k" * 1025,
]
TRAP_SEPARATORS = [": ", ":", ":  ", " : ", ":\t", ": \t", ":: ", ": : "]
TRAP_ENDINGS = ["", " ", "   ", "\t", " # c", "#c", " #", "\r", "\xa0", " x", "]", ",", ":", ": x", "'", '"']
TRAP_VALUES = [
    "", "softmax", "Synthetic note 12 on softmax", "dlfs2/ch01", "ch01_spiral", "ch01_spiral#sgd",
    "yes", "Yes", "YES", "yEs", "y", "Y", "n", "N", "no", "NO", "on", "On", "off", "OFF", "true",
    "True", "FALSE", "null", "Null", "NULL", "nULL", "~", "0", "12", "-1", "+1", "0x1F", "0o17",
    "017", "0b101", "1_000", "1:30", "190:20:30", "-1:30", ".5", "1.", "1e3", "1.0e+3", "6.8523015e+5",
    "685.230_15e+03", ".inf", "-.Inf", "+.INF", ".NaN", ".nan", "2024-01-02", "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5", "=", "<<", "&a x", "&a", "*a", "!tag x", "!!str x", "!!int 3", "|",
    "|-", ">", ">+", "- a", "-a", "? a", "?a", ":a", "%x", "@x", "`x`", "a: b", "a:b", "a:", "a :b",
    "a #c", "a#b", "a# b", "a#", "a #", "a##", "C# x", "http://x/y", "a, b", "a [b]", "a {b}", "a] b", "Bayes' rule", "it''s",
    "'it''s'", "'a'b'", "'a", "''", '""', '"q"', '"a: b # c"', '"a\\nb"', '"a\\"b"', '"a" b', "'a' b",
    '"a"', "'a'", "x  y", "x \t y", "café", "über", "中文", "😀 emoji", "\xa0x", "x\xa0", "x\u2028y",
    "x\u2029", "\ufeffx", "x\x85y", "\x00", "x\x7f", "x\x9f", "\ud800", "x\r", "(Optional) x", "_x",
    "/x", "$x", "\\x", "^x", ";x", "{{title}}", "{a: b}", "{}", "[", "]", "[]", "[ ]", "[,]",
    "[a, b]", "[a,b]", "[ a , b ]", "[a,]", "[a, ]", "[a,,b]", "[, a]", "[[a]]", "[a, [b]]", "[a]]", "[\xa0]", "[ \u3000 ]",
    "[a] x", "[a] #c", '["a, b", \'c\'\'d\']', "[yes, no]", "[On]", "[1, 2]", "[a: b]", "[a:b]",
    "[a?b]", "[? a]", "[a #b]", "[a#b]", "[a# b]", "[a #]", "[#a]", "[a b c]", "[it's]", '[a"b]', "[&a a]", "[*a]", "[!t a]",
    "[-a]", "[- a]", "[~]", "[null]", "[\"a\" b]", "['a' b]", '["a"b]', "[a\u2028b]", "[\ta]",
]
TRAP_LINES = [
    "", " ", "   ", "\t", "# comment", "#", "  # indented comment", "- a", "-", "  nested: x",
    "  continuation", "? complex", "key", "[a, b]", "{a: b}", "%YAML 1.1", "---x", "...x", "--- x",
    "&a title: x", "*a", "!!map", "title: x\ty", "\ufeff", "\ufefftitle: x", "\x85", "\xa0", " \u3000 ",
]
FRAGMENTS = list("abcyYnNoOtTfF019 _-.:,#[]{}'\"&*!|>%@`?~<=+/\\\t\r") + [
    "é", "中", "😀", "\xa0", "\x85", "\u2028", "\u2029", "\ufeff", "\x00", "\x7f", "\x9f", ": ", " #",
    "''", "\\n", "on", "yes", "null", "1:30", ".inf",
]
TEXT = st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join)
"""Random text from pieces that matter to YAML."""
NOT_TEXT = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}
WORDS = st.from_regex(r"[a-z][a-z0-9_ -]{0,12}[a-z0-9]", fullmatch=True).filter(lambda word: word not in NOT_TEXT)
KEYS = st.from_regex(r"[a-z]{2,8}", fullmatch=True).filter(lambda key: key not in NOT_TEXT)


def _mostly(usual: st.SearchStrategy, *traps: st.SearchStrategy) -> st.SearchStrategy:
    """`usual` three times as often as each of `traps`."""
    return st.one_of(usual, usual, usual, *traps)


QUOTED_TEXT = st.lists(
    st.sampled_from(
        ["a", "b c", " ", "é", "\\", "\\n", "\\x41", "\\u00e9", "\\", "\\n", "\\x41", "\\u00e9",
         "''", "''", "#", " #", ": ", "'", '"', '\\"', "\t"]
    ),
    max_size=4,
).map("".join)
"""What may sit between quotes: escapes, doubled quotes, lone quotes, comments, tabs."""


def _quoted(quote: str) -> st.SearchStrategy:
    return QUOTED_TEXT.map(lambda text: quote + text + quote)


def _with_one(items: list[str], trap: str, at: int) -> list[str]:
    at %= len(items) + 1
    return [*items[:at], trap, *items[at:]]


SIMPLE_VALUES = st.one_of(
    WORDS,
    st.text(st.characters(blacklist_characters='"\\', codec="utf-8", min_codepoint=0x20, max_codepoint=0x7e)).map(
        lambda text: f'"{text}"'
    ),
    st.lists(WORDS, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
)
SIMPLE_KEYS = st.sampled_from(["title", "deck", "tags", "lab"]) | KEYS
SIMPLE_ENTRIES = st.builds(lambda key, value: f"{key}: {value}", SIMPLE_KEYS, SIMPLE_VALUES)
SIMPLE_BLOCKS = st.lists(SIMPLE_ENTRIES, min_size=1, max_size=5)

PLAIN_WITH_A_TRAP = st.builds(
    lambda head, trap, tail: head + trap + tail, WORDS, st.sampled_from(FRAGMENTS) | TEXT, st.just("") | WORDS
)
"""A word, then one fragment or some text, then maybe another word."""
RESOLVED_WORDS = st.builds(
    lambda word, upper: "".join(c.upper() if up else c for c, up in zip(word, upper, strict=False)),
    st.sampled_from(sorted(NOT_TEXT)),
    st.lists(st.booleans(), min_size=5, max_size=5),
)
"""yes/no/on/off/true/false/null/y/n in every case variant: some are bools or nulls, some text."""
NUMBERISH = st.one_of(
    st.from_regex(r"[-+]?(0x|0o|0b|0|\.)?[0-9_]{1,4}(:[0-5]?[0-9]){0,2}(\.[0-9_]*)?([eE][-+]?[0-9]+)?", fullmatch=True),
    st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?( ?Z| ?[-+][0-9]{1,2})?)?", fullmatch=True),
    st.sampled_from(["~", "<<", "=", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", ".NAN", "0", "-0", "1_0"]),
)
"""Numbers, timestamps and the other plain scalars YAML does not read as text."""
TRAP_ITEMS = st.one_of(
    RESOLVED_WORDS, RESOLVED_WORDS, NUMBERISH, st.sampled_from(TRAP_VALUES), st.sampled_from(TRAP_VALUES),
    TEXT, PLAIN_WITH_A_TRAP, PLAIN_WITH_A_TRAP, _quoted('"'), _quoted('"'), _quoted("'"), _quoted("'"),
)
TRAP_FLOW_LISTS = st.builds(
    lambda items, trap, at, comma, trailing: "[" + comma.join(_with_one(items, trap, at)) + trailing + "]",
    st.lists(WORDS, max_size=2),
    TRAP_ITEMS,
    st.integers(0, 3),
    _mostly(st.just(", "), st.sampled_from([",", " , ", ",  ", " ,", ",\t"])),
    _mostly(st.just(""), st.sampled_from([",", ", ", " ", " ,"])),
)
TRAP_VALUES_ANY = st.one_of(TRAP_ITEMS, TRAP_FLOW_LISTS)
TRAP_ENTRIES = st.one_of(
    st.builds(lambda key, value: f"{key}: {value}", st.sampled_from(TRAP_KEYS) | TEXT, SIMPLE_VALUES),
    st.builds(lambda key, sep, value: key + sep + value, SIMPLE_KEYS, st.sampled_from(TRAP_SEPARATORS), SIMPLE_VALUES),
    st.builds(lambda key, value: f"{key}: {value}", SIMPLE_KEYS, TRAP_ITEMS),
    st.builds(lambda key, value: f"{key}: {value}", SIMPLE_KEYS, TRAP_ITEMS),
    st.builds(lambda key, value: f"{key}: {value}", SIMPLE_KEYS, TRAP_FLOW_LISTS),
    st.builds(lambda key, value: f"{key}: {value}", SIMPLE_KEYS, TRAP_FLOW_LISTS),
    st.builds(lambda entry, ending: entry + ending, SIMPLE_ENTRIES, st.sampled_from(TRAP_ENDINGS)),
)
ONE_TRAP_BLOCKS = st.builds(
    _with_one,
    st.lists(SIMPLE_ENTRIES, max_size=4),
    st.one_of(TRAP_ENTRIES, TRAP_ENTRIES, TRAP_ENTRIES, st.sampled_from(TRAP_LINES), TEXT),
    st.integers(0, 4),
)
"""Simple entries and one trap: a trap line, or an entry with a trap in its key, separator, value
(or one item of its list), or ending. Each trap is tested beside lines the fast path takes."""
RANDOM_ENTRIES = st.builds(
    lambda key, separator, value, ending: key + separator + value + ending,
    _mostly(SIMPLE_KEYS, st.sampled_from(TRAP_KEYS), TEXT),
    _mostly(st.just(": "), st.sampled_from(TRAP_SEPARATORS)),
    st.one_of(SIMPLE_VALUES, TRAP_VALUES_ANY),
    _mostly(st.just(""), st.sampled_from(TRAP_ENDINGS)),
)
BLOCKS = st.one_of(
    ONE_TRAP_BLOCKS, ONE_TRAP_BLOCKS, st.lists(_mostly(RANDOM_ENTRIES, st.sampled_from(TRAP_LINES), TEXT), max_size=6)
)


def _outcome(lines: list[str], forced_yaml: bool) -> tuple:
    """What reading the note's front matter gives: its block, the problem, or the exception."""
    try:
        if forced_yaml:
            return ("block", _read_front_matter(lines, _load_yaml))
        return ("block", read_front_matter(lines))
    except FrontMatterError as error:
        return ("problem", error.problem)
    except Exception as error:  # e.g. a lone surrogate that libyaml cannot encode
        return ("raised", type(error).__name__, str(error))


def _typed(value: object) -> object:
    """`value` with each scalar's type beside it, so that True and 1 (or 1 and 1.0) differ."""
    if isinstance(value, dict):
        return {_typed(key): _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


def _assert_same_as_yaml(block: list[str]) -> dict | None:
    lines = ["---", *block, "---", "body"]
    assert _outcome(lines, forced_yaml=False) == _outcome(lines, forced_yaml=True)
    simple = _simple_mapping(block)
    if simple is not None:
        for loader in LOADERS:
            assert _typed(simple) == _typed(yaml.load("\n".join(block), Loader=loader)), loader
    return simple


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(BLOCKS)
def test_the_fast_path_declines_or_reads_exactly_what_yaml_reads(block):
    event("fast path" if _assert_same_as_yaml(block) is not None else "yaml")


@settings(max_examples=300, deadline=None)
@given(SIMPLE_BLOCKS)
def test_the_fast_path_takes_every_simple_block(block):
    assert _assert_same_as_yaml(block) is not None


@pytest.mark.parametrize("value", TRAP_VALUES)
def test_each_trap_value_is_declined_or_read_as_yaml_reads_it(value):
    for entry in (f"title: {value}", f"tags: [x, {value}]", f"tags: [{value}, x]", f"tags: [{value}]"):
        _assert_same_as_yaml(["deck: a", entry])


@pytest.mark.parametrize("key", TRAP_KEYS)
def test_each_trap_key_is_declined_or_read_as_yaml_reads_it(key):
    _assert_same_as_yaml([f"{key}: x", "deck: a"])


@pytest.mark.parametrize("separator", TRAP_SEPARATORS)
@pytest.mark.parametrize("ending", TRAP_ENDINGS)
def test_each_separator_and_ending_is_declined_or_read_as_yaml_reads_it(separator, ending):
    for value in ("x", "[x, y]", '"x"', "'x'", ""):
        _assert_same_as_yaml([f"title{separator}{value}{ending}", "deck: a"])


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_each_fragment_inside_a_value_is_declined_or_read_as_yaml_reads_it(fragment):
    for value in (f"a{fragment}b", f"a{fragment}", f"a {fragment} b", f"{fragment}a"):
        for entry in (f"title: {value}", f"tags: [{value}]", f"tags: [x, {value}, y]", f'title: "{value}"', f"title: '{value}'"):
            _assert_same_as_yaml(["deck: a", entry])


@pytest.mark.parametrize("line", TRAP_LINES)
def test_each_trap_line_is_declined_or_read_as_yaml_reads_it(line):
    _assert_same_as_yaml(["title: x", line, "deck: a"])


@pytest.mark.parametrize(
    "block, expected",
    [
        (["title: The training loop", "tags: [training, basics]"], {"title": "The training loop", "tags": ["training", "basics"]}),
        (['title: "Week 1: optimizers"', "# lab: x", ""], {"title": "Week 1: optimizers"}),
        (["title: 'it''s'", "tags: ['a, b', \"c\"]"], {"title": "it's", "tags": ["a, b", "c"]}),
        (["tags: []", "deck:", "lab: ch01_spiral#sgd_update"], {"tags": [], "deck": None, "lab": "ch01_spiral#sgd_update"}),
        (["title: a", "title: b"], {"title": "b"}),
        (["source: http://x/y", "title: Bayes' rule [intro]"], {"source": "http://x/y", "title": "Bayes' rule [intro]"}),
    ],
)
def test_simple_blocks_read_without_yaml(block, expected):
    assert _simple_mapping(block) == expected
    assert _assert_same_as_yaml(block) == expected


@pytest.mark.parametrize(
    "block",
    [
        ["title: yes"], ["title: 12"], ["title: 1:30"], ["title: x # c"], ["title: a: b"], ["tags:", "- a"],
        ["title: >", "  folded"], ["title: &a x", "deck: *a"], ["tags: [a,]"], ["title:\tx"], [],
        ["", "# only a comment"], ["tags: [a, [b]]"], ['title: "a\\tb"'], ["{{title}}: x"],
    ],
)
def test_anything_else_is_left_to_yaml(block):
    assert _simple_mapping(block) is None
    _assert_same_as_yaml(block)


def _corpus() -> list[Path]:
    return sorted(path for folder in ("concepts", "tests/fixtures") for path in (ROOT / folder).rglob("*.md"))


def _block(lines: list[str]) -> list[str] | None:
    """The lines between the front matter's fences, or None when the note has none (or it is unclosed)."""
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    return None if end is None else lines[1:end]


def test_every_corpus_note_reads_the_same_and_most_take_the_fast_path():
    notes = _corpus()
    fast = 0
    with_front_matter = 0
    for path in notes:
        lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert _outcome(lines, forced_yaml=False) == _outcome(lines, forced_yaml=True), path
        if (block := _block(lines)) is not None:
            with_front_matter += 1
            fast += _simple_mapping(block) is not None
    assert len(notes) >= 30 and with_front_matter >= 28
    assert fast >= 24  # all but the four `{{title}}` templates


def test_the_benchmark_note_takes_the_fast_path():
    block = _block(note_text(12, random.Random(7)).split("\n"))
    assert block is not None
    simple = _assert_same_as_yaml(block)
    assert simple is not None and simple["title"].startswith("Synthetic note 12 on ")
