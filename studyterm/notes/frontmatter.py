"""Optional YAML front matter between `---` lines at the top of a note."""

from __future__ import annotations

import re
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
    if not lines or lines[0].rstrip() != _FENCE:
        return FrontMatterBlock(FrontMatter(), -1)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _CLOSERS), None)
    if end is None:
        raise FrontMatterError(Problem(1, "front matter opened with '---' is never closed"))
    data = _load_yaml(lines[1:end])
    return FrontMatterBlock(_to_front_matter(data, lines[1:end]), end)


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
