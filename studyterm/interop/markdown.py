"""Anki's HTML -> Markdown that studyterm's note parser reads back as the same card.

The HTML is parsed into a small tree (html.parser, tolerant of Anki's loose markup; comments
dropped) and written out as CommonMark: emphasis, code, lists, tables, images and links;
`[sound:x.mp3]` becomes a link to the file, ruby stays `<ruby>` HTML. MathJax (`\\(...\\)`,
`\\[...\\]`, and the older `[$]...[/$]` / `[latex]`) becomes `$...$` / `$$...$$`.

Card syntax must not appear by accident, so plain text is escaped: `Q:`/`A:`/`lab:` at a line
start, ` :: ` and `{{c1::` in question/answer text, and anything at a line start that would open
a heading, rule, list, quote or fence (a heading would end an answer). In cloze mode the result
is one paragraph (a blank line would split the note into two cloze units): block breaks become
hard line breaks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from studyterm.interop.html_tree import Node, parse_html

_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "main", "center", "figure", "figcaption",
    "address", "dl", "dt", "dd", "ul", "ol", "li", "pre", "blockquote", "table", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6",
}
_RAW_INLINE = {"sub", "sup", "u", "s", "del", "strike", "mark", "kbd", "small", "big", "ins"}
_HARD_BREAK = "\ue002"
_MATH = re.compile(
    r"\\\((?P<i>.*?)\\\)|\\\[(?P<d>.*?)\\\]|\[\$\](?P<i2>.*?)\[/\$\]|\[\$\$\](?P<d2>.*?)\[/\$\$\]"
    r"|\[latex\](?P<d3>.*?)\[/latex\]",
    re.DOTALL | re.IGNORECASE,
)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_SEPARATOR = re.compile(r"(?<=\S)([ \t]+)::(?=[ \t]+\S)")
_CLOZE_OPEN = re.compile(r"\{\{(?=c\d+::)")
_LINE_START = re.compile(
    r"^(?P<lead>[ \t]*)(?:"
    r"(?P<card>(?:\*\*)?(?:Q|A|lab)(?=:))"
    r"|(?P<mark>#|>|[-+*](?=[ \t]|$)|=+[ \t]*$|-{2,}|~~~)"
    r"|(?P<digits>\d{1,9})(?P<dot>[.)])(?=[ \t]|$)"
    r")"
)
_BLOCK_START = re.compile(r"(?:```|~~~|[-+*][ \t]|\d{1,9}[.)][ \t]|>|\||\$\$[ \t]*$)")

MediaPath = Callable[[str], "str | None"]
"""An Anki media name -> the path to write in the note (None: keep the name)."""


def to_markdown(text: str, *, cloze: bool = False, media: MediaPath | None = None,
                is_html: bool = True) -> str:
    """An Anki field as Markdown. `cloze` keeps `{{cN::...}}` and returns a single paragraph."""
    maths: list[_Math] = []
    prepared = _MATH.sub(lambda m: _stash(m, maths), text)
    if is_html:
        root = parse_html(_SOUND.sub(lambda m: _sound_link(m.group(1)), prepared))
    else:
        root = Node("div", {})
        for number, line in enumerate(prepared.split("\n")):
            root.children += [Node("br", {}), line] if number else [line]
    writer = _Writer(cloze=cloze, media=media, maths=maths)
    blocks = writer.blocks(root.children)
    body = ("\\\n" if cloze else "\n\n").join(block for block in blocks if block.strip())
    if cloze:
        body = re.sub(r"\n\s*\n", "\\\n", body)
    return _PLACEHOLDER.sub(lambda m: maths[int(m.group(1))].markdown(cloze), body).strip()


def starts_with_block(markdown: str) -> bool:
    """Whether the first line opens a block (fence, list, quote, table, math block) and so
    cannot follow `Q: ` or `A: ` on the same line."""
    return bool(_BLOCK_START.match(markdown.lstrip(" ")))


@dataclass
class _Math:
    tex: str
    display: bool
    source: str

    def markdown(self, cloze: bool) -> str:
        tex = self.tex.strip()
        if cloze:  # undo the "} }" that keeps Anki's cloze parser out of formulas
            tex = re.sub(r"\} (?=\})", "}", tex)
        if not tex:
            return ""
        return f"$${tex}$$" if self.display else f"${tex}$"


def _stash(match: re.Match, maths: list[_Math]) -> str:
    inline = match.group("i") if match.group("i") is not None else match.group("i2")
    body = inline if inline is not None else next(g for g in match.group("d", "d2", "d3") if g is not None)
    tex = html.unescape(re.sub(r"<br\s*/?>", " ", re.sub(r"<(?!br)[^>]*>", "", body)))
    maths.append(_Math(tex, inline is None, html.unescape(match.group(0))))
    return f"\ue000{len(maths) - 1}\ue001"


def _sound_link(name: str) -> str:
    return f'<a href="{html.escape(name)}">sound:{html.escape(name)}</a>'


class _Writer:
    def __init__(self, cloze: bool, media: MediaPath | None, maths: list[_Math]) -> None:
        self.cloze = cloze
        self.media = media
        self.maths = maths

    def raw(self, text: str) -> str:
        """Code keeps `\\(...\\)` literally: the math stash must not turn it into `$...$`."""
        return _PLACEHOLDER.sub(lambda m: self.maths[int(m.group(1))].source, text)

    # -- blocks -------------------------------------------------------------------------

    def blocks(self, nodes: list) -> list[str]:
        out: list[str] = []
        run: list = []
        for node in nodes:
            if isinstance(node, str) or node.tag not in _BLOCKS:
                run.append(node)
                continue
            out.extend(self.paragraphs(run))
            run = []
            out.extend(self.block(node))
        out.extend(self.paragraphs(run))
        return out

    def block(self, node: Node) -> list[str]:
        tag = node.tag
        if tag == "hr":
            return []
        if tag in ("ul", "ol"):
            return self.lines_of(node) if self.cloze else [self.list(node)]
        if tag == "pre":
            return self.code_lines(node) if self.cloze else [self.fence(node)]
        if tag == "table":
            return self.table_lines(node) if self.cloze else [self.table(node)]
        if tag == "blockquote" and not self.cloze:
            inner = "\n\n".join(self.blocks(node.children))
            return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = self.inline(node.children).replace(_HARD_BREAK, " ").strip()
            return [f"**{text}**"] if text else []
        return self.blocks(node.children)

    def paragraphs(self, run: list) -> list[str]:
        text = self.inline(run)
        text = re.sub(r"[ \t\r\f]+", " ", text)
        text = re.sub(r" ?\n[ \n]*", "\n", text)
        text = re.sub(f"[ \n]*{_HARD_BREAK}[ \n]*", _HARD_BREAK, text).strip(f" \n{_HARD_BREAK}")
        if not text:
            return []
        separator = "\\\n" if self.cloze else "\n\n"
        text = re.sub(f"{_HARD_BREAK}{{2,}}", separator, text).replace(_HARD_BREAK, "\\\n")
        return ["\n".join(_escape_line_start(line) for line in text.split("\n"))]

    def list(self, node: Node) -> str:
        ordered = node.tag == "ol"
        number = _start(node)
        items = []
        for item in node.children:
            if isinstance(item, str):
                if item.strip():
                    items.append(("- ", self.paragraphs([item])))
                continue
            marker = f"{number}. " if ordered else "- "
            number += 1
            items.append((marker, self.blocks(item.children if item.tag == "li" else [item])))
        lines = []
        for marker, blocks in items:
            body = "".join(
                ("" if index == 0 else "\n" if _BLOCK_START.match(block) else "\n\n") + block
                for index, block in enumerate(blocks)
            )
            indent = " " * len(marker)
            lines.append(marker + "\n".join(
                (indent + line if line and index else line) for index, line in enumerate(body.split("\n"))
            ))
        return "\n".join(lines)

    def lines_of(self, node: Node) -> list[str]:
        lines = []
        for item in node.children:
            if isinstance(item, Node):
                lines.extend(self.blocks(item.children if item.tag == "li" else [item]))
        return lines

    def fence(self, node: Node) -> str:
        code = self.raw(node.text()).rstrip("\n")
        language = _language(node)
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}{language}\n{code}\n{fence}"

    def code_lines(self, node: Node) -> list[str]:
        return [_code_span(line) for line in self.raw(node.text()).split("\n") if line.strip()]

    def table(self, node: Node) -> str:
        rows = [self.cells(row) for row in _rows(node)]
        rows = [row for row in rows if row]
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        padded = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(padded[0]) + " |", "|" + "|".join(" --- " for _ in range(width)) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in padded[1:]]
        return "\n".join(lines)

    def table_lines(self, node: Node) -> list[str]:
        return [" | ".join(cells) for cells in (self.cells(row) for row in _rows(node)) if cells]

    def cells(self, row: Node) -> list[str]:
        cells = []
        for cell in row.children:
            if isinstance(cell, Node) and cell.tag in ("td", "th"):
                text = self.inline(cell.children).replace(_HARD_BREAK, " ")
                cells.append(" ".join(text.split()).replace("|", "\\|"))
        return cells

    # -- inline -------------------------------------------------------------------------

    def inline(self, nodes: list) -> str:
        return "".join(self.inline_node(node) for node in nodes)

    def inline_node(self, node) -> str:
        if isinstance(node, str):
            return _escape_text(node.replace("\xa0", " "), self.cloze)
        tag = node.tag
        if tag == "br":
            return _HARD_BREAK
        if tag in _BLOCKS:
            return _HARD_BREAK + self.inline(node.children) + _HARD_BREAK
        if tag in ("b", "strong"):
            return _wrap(self.inline(node.children), "**")
        if tag in ("i", "em"):
            return _wrap(self.inline(node.children), "*")
        if tag in ("code", "tt", "samp"):
            return _code_span(self.raw(node.text()))
        if tag == "img":
            return self.image(node)
        if tag == "ruby":
            return self.ruby(node)
        if tag == "a":
            return self.link(node)
        if tag in _RAW_INLINE:
            inner = self.inline(node.children)
            return f"<{tag}>{inner}</{tag}>" if inner.strip() else inner
        return self.inline(node.children)

    def image(self, node: Node) -> str:
        src = node.attrs.get("src", "")
        if not src:
            return ""
        path = self.media(src) if self.media else None
        alt = _escape_text(node.attrs.get("alt", ""), cloze=True).replace("\n", " ")
        return f"![{alt}]({_destination(path or src)})"

    def ruby(self, node: Node) -> str:
        """Ruby stays HTML (`<ruby>将<rt>しょう</rt></ruby>`): Anki gets it back as ruby, and the
        terminal shows 将(しょう) (render.inline_html)."""
        parts = []
        for child in node.children:
            if isinstance(child, Node) and child.tag == "rp":
                continue
            if isinstance(child, Node) and child.tag == "rt":
                parts.append(f"<rt>{self.inline(child.children).replace(_HARD_BREAK, ' ').strip()}</rt>")
            else:
                parts.append(self.inline_node(child))
        inner = "".join(parts)
        return f"<ruby>{inner}</ruby>" if "<rt>" in inner else inner

    def link(self, node: Node) -> str:
        inner = self.inline(node.children)
        href = node.attrs.get("href", "")
        if not href:
            return inner
        if self.media and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#", href):
            href = self.media(href) or href
        return f"[{inner.strip() or _escape_text(href, True)}]({_destination(href)})"


def _escape_text(text: str, cloze: bool) -> str:
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*\[<$])", r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY_LIKE.sub(r"\\&", text)
    text = text.replace("~~", "\\~\\~")
    if not cloze:
        text = _CLOZE_OPEN.sub(r"\\{{", text)
        text = _SEPARATOR.sub(r"\1\\::", text)
    return text


def _escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if match is None:
        return line.lstrip(" \t")
    if match.group("card"):
        end = match.end("card")
        return line[:end].lstrip(" \t") + "\\" + line[end:]
    if match.group("mark"):
        return "\\" + line[match.end("lead"):]
    return line[match.end("lead"):match.start("dot")] + "\\" + line[match.start("dot"):]


def _wrap(inner: str, marker: str) -> str:
    stripped = inner.strip(f" \n{_HARD_BREAK}")
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(f" \n{_HARD_BREAK}"))]
    trail = inner[len(inner.rstrip(f" \n{_HARD_BREAK}")):]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _code_span(code: str) -> str:
    code = code.replace("\n", " ")
    if not code.strip():
        return ""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _destination(target: str) -> str:
    if re.search(r"[\s()<>]", target):
        return "<" + target.replace("<", "%3C").replace(">", "%3E") + ">"
    return target


def _language(node: Node) -> str:
    classes = [node.attrs.get("class", "")]
    classes += [c.attrs.get("class", "") for c in node.children if isinstance(c, Node) and c.tag == "code"]
    for value in classes:
        if found := re.search(r"(?:language|lang)-([\w+#.-]+)", value):
            return found.group(1)
    return ""


def _rows(table: Node) -> list[Node]:
    rows = []
    for child in table.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows.extend(_rows(child))
    return rows


def _start(node: Node) -> int:
    try:
        return int(node.attrs.get("start", "1"))
    except ValueError:
        return 1
