"""Optional YAML front matter between `---` lines at the top of a note."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from studyterm.notes.model import FrontMatter, Problem

LAB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
LAB_LINK = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(?:#[a-z][a-z0-9_]*)?")
"""What a `lab:` link holds: a lab id, or `LAB#NAME` for one hole or prediction of the lab."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_FENCE = "---"
_CLOSERS = ("---", "...")


@dataclass(frozen=True)
class FrontMatterBlock:
    front: FrontMatter
    end_line: int  # 0-based index of the closing line; body starts after it (-1: no front matter)


class FrontMatterError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_front_matter(lines: list[str]) -> FrontMatterBlock:
    """Parse the front matter at the top of `lines`; raise FrontMatterError when it is broken."""
    return _read_front_matter(lines, _load_simple_or_yaml)


def _read_front_matter(lines: list[str], load: Callable[[list[str]], object]) -> FrontMatterBlock:
    """`load` reads the block's YAML; tests pass `_load_yaml` to compare the fast path with it."""
    if not lines or lines[0].rstrip() != _FENCE:
        return FrontMatterBlock(FrontMatter(), -1)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _CLOSERS), None)
    if end is None:
        raise FrontMatterError(Problem(1, "front matter opened with '---' is never closed"))
    data = load(lines[1:end])
    return FrontMatterBlock(_to_front_matter(data, lines[1:end]), end)


def _load_simple_or_yaml(lines: list[str]) -> object:
    simple = _simple_mapping(lines)
    return simple if simple is not None else _load_yaml(lines)


def _load_yaml(lines: list[str]) -> object:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load("\n".join(lines), Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        # YAML may point just past the last line (an unclosed bracket); keep inside the block.
        line = min(mark.line, max(len(lines) - 1, 0)) + 2 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FrontMatterError(Problem(line, f"front matter is not valid YAML: {reason}")) from None


# The fast path reads only line shapes whose YAML meaning is certain, under PyYAML's YAML 1.1
# resolver (yaml/resolver.py) with libyaml or without it. A plain scalar that starts with an ASCII
# letter or a non-ASCII character can only resolve to a bool or a null (numbers, timestamps, `~`,
# `<<` and `=` start otherwise), and only as one of the words below; the rest are indicators.
_PRINTABLE_LINE = re.compile(
    r"[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
"""Characters YAML reads as themselves: no tab, control, BOM or Unicode line break."""
_KEY_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]{0,63}):(?: +(.*))?")
"""A short word key (YAML refuses keys over 1,024 characters), `:`, and a value or nothing."""
_PLAIN = re.compile(r"[A-Za-z\x80-\U0010ffff][^#:]*(?:(?:(?<! )#|:(?=[^ ]))[^#:]*)*")
"""A block plain scalar on one line: no ` #` comment, no `key: ` inside, not ending in `:`."""
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_FLOW_ITEM = re.compile(
    r""" *(?:"([^"\\]*)"|'((?:[^']|'')*)'|([A-Za-z\x80-\U0010ffff][^,\[\]{}#:?]*(?:(?<! )#[^,\[\]{}#:?]*)*)) *([,\]])"""
)
"""One item of a one-line flow list (a plain one keeps its trailing spaces) and what follows it:
`,` or the closing `]`."""
_NOT_TEXT = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})
"""Words that may resolve to a bool or a null in some case variant (a superset: y/n stay text)."""


class _NotSimple(Exception):
    """A line the fast path cannot vouch for: YAML reads the block."""


def _simple_mapping(lines: list[str]) -> dict[str, object] | None:
    """The mapping a block of one-line `key: value` entries means, read without YAML; None when a
    line has any other shape (or no key at all), so that YAML decides."""
    data: dict[str, object] = {}
    try:
        for line in lines:
            if not _PRINTABLE_LINE.fullmatch(line):
                return None
            if line.startswith("#") or not line.strip(" "):
                continue
            match = _KEY_LINE.fullmatch(line)
            if match is None or match[1].lower() in _NOT_TEXT:
                return None
            value = match[2].rstrip(" ") if match[2] else None
            data[match[1]] = _simple_value(value) if value else None
    except _NotSimple:
        return None
    return data or None


def _simple_value(text: str) -> str | list[str]:
    if text[0] == "[":
        return _simple_flow_list(text)
    if quoted := _DOUBLE_QUOTED.fullmatch(text):
        return quoted[1]
    if quoted := _SINGLE_QUOTED.fullmatch(text):
        return quoted[1].replace("''", "'")
    if _PLAIN.fullmatch(text) and text.lower() not in _NOT_TEXT:
        return text
    raise _NotSimple


def _simple_flow_list(text: str) -> list[str]:
    """`[a, "b c", 'd']` on one line: no empty item, no trailing comma, nothing nested."""
    if text[1:].strip(" ") == "]":
        return []
    items: list[str] = []
    at = 1
    while match := _FLOW_ITEM.match(text, at):
        items.append(_flow_item(*match.groups()[:3]))
        at = match.end()
        if match[4] == "]":
            if at != len(text):
                raise _NotSimple
            return items
    raise _NotSimple


def _flow_item(double: str | None, single: str | None, plain: str | None) -> str:
    if double is not None:
        return double
    if single is not None:
        return single.replace("''", "'")
    text = (plain or "").rstrip(" ")
    if not text or text.lower() in _NOT_TEXT:
        raise _NotSimple
    return text


def _to_front_matter(data: object, lines: list[str]) -> FrontMatter:
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict):
        raise FrontMatterError(Problem(2, "front matter must be a mapping of keys to values"))
    title = _optional_text(data, "title", lines)
    deck = _optional_text(data, "deck", lines)
    lab = _optional_text(data, "lab", lines)
    if deck is not None and (problem := deck_problem(normalize_deck(deck))):
        raise FrontMatterError(
            Problem(_key_line(lines, "deck"), f"front matter deck {deck!r} is not a deck name: {problem}")
        )
    if lab is not None and not LAB_LINK.fullmatch(lab):
        raise FrontMatterError(
            Problem(_key_line(lines, "lab"), f"front matter lab {lab!r} is not a lab id")
        )
    return FrontMatter(
        title=title,
        deck=normalize_deck(deck) if deck else None,
        tags=_tags(data.get("tags"), lines),
        lab=lab,
    )


def _key_line(lines: list[str], key: str) -> int:
    """The 1-based file line of `key:` in the front matter (which starts on line 2)."""
    for index, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            return index + 2
    return 2


def _optional_text(data: dict, key: str, lines: list[str]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    raise FrontMatterError(Problem(_key_line(lines, key), f"front matter {key!r} must be text"))


def _tags(value: object, lines: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        raw = value.replace(",", " ").split()
    elif isinstance(value, list) and all(isinstance(t, (str, int)) for t in value):
        raw = [str(t) for t in value]
    else:
        raise FrontMatterError(
            Problem(_key_line(lines, "tags"), "front matter 'tags' must be a list or a string")
        )
    seen: dict[str, None] = {}
    for tag in raw:
        tag = tag.strip().lstrip("#")
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


def deck_problem(deck: str) -> str | None:
    """Why a normalized deck name cannot be used, or None. A deck is also a path (its export
    is decks/<deck>.<format>), so no part may be '.' or '..', nor hold a control character."""
    if not deck:
        return "it is empty"
    for part in deck.split("/"):
        if part in (".", ".."):
            return f"a part {part!r} would lead out of its folder"
        if _CONTROL.search(part):
            return "it holds a control character"
    return None


def normalize_deck(deck: str) -> str:
    """`dlfs2::ch01`, `/dlfs2/ch01/` and `dlfs2//ch01` all become `dlfs2/ch01`."""
    parts = [part.strip() for part in deck.replace("::", "/").split("/")]
    return "/".join(part for part in parts if part)


def split_lab_link(link: str) -> tuple[str, str | None]:
    """`ch01_spiral#sgd_update` -> ("ch01_spiral", "sgd_update"); `ch01_spiral` -> (it, None)."""
    lab, _, name = link.partition("#")
    return lab, name or None
