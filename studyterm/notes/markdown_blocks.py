"""markdown-it's block parse of a note, for the notes the simple reader declines: the parser,
without the rules that cannot match in the text, and the problems where the parse stopped early
(nesting too deep, a fence or HTML block left open)."""

from __future__ import annotations

import re
from functools import cache

from studyterm.notes.blocks import Block, group_blocks
from studyterm.notes.model import Problem


def read_markdown_blocks(body: str, body_lines: list[str], lines: list[str]) -> tuple[list[Block], list[Problem]]:
    """The blocks of `body` (its lines `body_lines`, front matter blanked; `lines` the whole
    note's), and the problems where markdown-it stopped reading it."""
    tokens = markdown_for(body).parse(body)
    return group_blocks(tokens, 0, len(tokens), lines), stopped_early(tokens, body_lines)


MAX_NESTING = 64
"""markdown-it's nesting limit (lists count two a level): past it the parse stops, which
`stopped_early` reports, so cards after that point are kept rather than retired."""
_HTML_BLOCK_ENDS = (
    (re.compile(r"<(?:script|pre|style|textarea)(?:\s|>|$)", re.I), re.compile(r"</(?:script|pre|style|textarea)>", re.I)),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
)
"""CommonMark's HTML blocks that end only at their closing text, not at a blank line."""


_RULE_MARKS = (
    ("table", ("|",)),
    ("blockquote", (">",)),
    ("html_block", ("<",)),
    ("reference", ("[",)),
    ("math_block", ("$$",)),
    ("heading", ("#",)),
    ("fence", ("```", "~~~")),
)
"""Block rules that return False at once unless their line starts with one of these marks (a
table also needs `|` in its header row): where the text holds none of them, the rule can match
nowhere, so leaving it out gives the same tokens and spares a call per line (markdown-it tries
every rule, as a block and as a paragraph terminator, on every line)."""


_UNDERLINE_END = re.compile(r"[-=][ \t]*$", re.MULTILINE)
"""A setext heading needs a line of `=` or `-`: without a line that ends in one, `lheading` (tried
on every paragraph, scanning its lines for an underline) can match nowhere either."""


def markdown_for(text: str):
    """The block parser for `text`, without the rules that cannot match anywhere in it
    (tests/notes/test_parser_rules.py proves the tokens the same)."""
    absent = {rule for rule, marks in _RULE_MARKS if not any(mark in text for mark in marks)}
    if not _UNDERLINE_END.search(text):
        absent.add("lheading")
    return block_parser(frozenset(absent))


@cache
def block_parser(absent: frozenset[str] = frozenset()):
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    # Only the block structure is needed: inline parsing is the slow half and card syntax is
    # found on masked paragraph text instead.
    md = (
        MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
        .enable("table").use(dollarmath_plugin).disable("inline")
    )
    return md.disable(sorted(absent)) if absent else md


def stopped_early(tokens: list, lines: list[str]) -> list[Problem]:
    """Where the block parse swallowed or dropped the rest of the note, as errors: an error keeps
    the cards whose text vanished (sync retires nothing from a note with errors)."""
    problems = []
    deepest = next((t for t in tokens if t.nesting == 1 and t.level >= MAX_NESTING - 1), None)
    if deepest is not None:
        line = (deepest.map[0] + 1) if deepest.map else 1
        problems.append(Problem(line, f"nested more than {MAX_NESTING // 2} levels deep: nothing after "
                                f"line {line} is read (its cards are kept); flatten the list or quote"))
    content_end = next((i + 1 for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), 0)
    for token in tokens:
        if token.map and token.map[1] >= content_end and not _closed(token, lines):
            what = "code fence" if token.type == "fence" else "HTML block"
            problems.append(Problem(token.map[0] + 1, f"unclosed {what}: it runs to the end of the file, "
                                    "so cards after it are not read (they are kept); close it"))
    return problems


def _closed(token, lines: list[str]) -> bool:
    """Whether a fence or HTML block that reaches the end of the file has its closing line."""
    start, end = token.map
    if token.type == "fence":
        last = lines[end - 1].lstrip(" \t>")
        marker = token.markup[0]
        return end - start >= 2 and last.rstrip().startswith(token.markup) and not last.strip(marker).strip()
    if token.type == "html_block":
        first = lines[start].lstrip(" \t>")
        for opening, closing in _HTML_BLOCK_ENDS:
            if opening.match(first):
                return closing.search("\n".join(lines[start:end]), len(opening.match(first).group())) is not None
    return True
