"""Card Markdown -> the HTML Anki shows: math as MathJax, code as code, images as media.

markdown-it-py renders CommonMark with tables and `$...$` / `$$...$$` math (the same dollarmath
rules the note parser masks with); math comes out as MathJax's `\\(...\\)` and `\\[...\\]`,
which Anki typesets itself. Image paths are resolved against the note they were written in and
replaced by the flat media names Anki stores files under; a link to a sound or video file in
the collection (`[sound:a.mp3](../media/a.mp3)`, as an import writes it) is packed the same way
and becomes Anki's `[sound:a.mp3]`, which plays. Inline HTML (ruby) passes through.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import unquote

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:?'\"()/%=+-]*")
"""Text that renders to itself (HTML-escaped): no Markdown syntax can hide in it."""
_SINGLE_PARAGRAPH = re.compile(r"<p>((?:(?!<p>).)*)</p>\n", re.DOTALL)
_INLINE_ONLY = re.compile(r"(?:[ \t]*(?!\d{1,9}[.)](?:[ \t\n]|$))[A-Za-z0-9][^\n]*(?:\n|$))+")
"""Lines that each start with a letter or digit (not an ordered-list marker), no blank line: no
block can start here, so the text is one paragraph and only the inline parser is needed."""
_INLINE_MATH = re.compile(r"\$([^$\n]+)\$")
"""`$...$` on one line; split on it, the even parts are the text around the math."""
_PLAIN_RUN = re.compile(r"[A-Za-z0-9 ,.;:?'\"()/%=+{}\n-]*")
"""Text between math that renders to itself, HTML-escaped (a newline is a soft break)."""
_CLOSE_BRACES = re.compile(r"\}(?=\})")
_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
SOUND_SUFFIXES = frozenset(
    ".mp3 .ogg .oga .opus .wav .flac .m4a .aac .spx .webm .mp4 .m4v .mkv .mov .mpg .mpeg .avi .3gp".split()
)
"""What Anki plays with [sound:...] (rslib's AV tags: audio and video)."""

MediaName = Callable[[str], "str | None"]
"""An image `src` as written in a note -> the media name to use instead (None: leave it)."""


class MediaIndex:
    """The image files a set of notes reference, under flat names unique in one package.

    A file outside the collection folder is never packaged (a note cannot smuggle
    `../../.ssh/id_rsa` into a deck); remote images (`https://...`) stay links."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.names: dict[Path, str] = {}
        self._taken: set[str] = set()
        self.missing: list[str] = []

    def resolver(self, note_path: str) -> MediaName:
        return lambda src: self.name_for((self.root / note_path).parent, src, note_path)

    def name_for(self, folder: Path, src: str, note_path: str) -> str | None:
        if not src or _REMOTE.match(src) or src.startswith("//"):
            return None
        target = (folder / unquote(src)).resolve()
        if target in self.names:
            return self.names[target]
        if not target.is_relative_to(self.root) or not target.is_file():
            kind = "media file" if _is_sound(src) else "image"
            self.missing.append(f"{note_path}: {kind} {src!r} is not a file inside the collection; left as a link")
            return None
        name = target.name
        if name in self._taken:
            digest = hashlib.blake2b(str(target.relative_to(self.root)).encode(), digest_size=4).hexdigest()
            name = f"{target.stem}-{digest}{target.suffix}"
        self._taken.add(name)
        self.names[target] = name
        return name

    def files(self) -> list[tuple[str, Path]]:
        """(media name, file) for every referenced image and sound, in the order first seen."""
        return [(name, path) for path, name in self.names.items()]


def render_field(markdown: str, *, cloze: bool = False, media: MediaName | None = None) -> str:
    """One Anki field's HTML. In a cloze field, `}}` inside math becomes `} }` so Anki's cloze
    parser does not end a deletion inside a formula (TeX ignores the space)."""
    text = markdown.strip()
    if not text:
        return ""
    if _PLAIN.fullmatch(text):
        return html.escape(text)
    inline = _INLINE_ONLY.fullmatch(text)
    if inline and (fast := _text_and_math(text, cloze)) is not None:
        return fast
    env = {"media": media, "cloze": cloze}
    md = _markdown()
    if inline:
        return md.renderer.renderInline(md.parseInline(text, env)[0].children, md.options, env)
    rendered = md.render(text, env)
    single = _SINGLE_PARAGRAPH.fullmatch(rendered)
    return single.group(1) if single else rendered.rstrip("\n")


def _text_and_math(text: str, cloze: bool) -> str | None:
    """Plain words with `$...$` math, rendered as markdown-it renders them, or None for
    anything else (a card's answer is mostly this; the inline parser costs ~0.1 ms a field).
    tests/interop/test_html_fast_path.py proves it the same as markdown-it's output.

    A space beside a line break (a hard break, or one markdown-it trims) can only sit in the
    text between math (math holds no line break and ends at a `$`), so the field is checked whole."""
    if " \n" in text or "\n " in text:
        return None
    parts = _INLINE_MATH.split(text)
    texts, maths = parts[::2], parts[1::2]
    if not all(map(_PLAIN_RUN.fullmatch, texts)) or any(math.endswith("\\") for math in maths):
        return None  # a Markdown character, or a closing $ that is escaped
    if '"' in text:
        parts[::2] = [part.replace('"', "&quot;") for part in texts]  # the one character to escape
    parts[1::2] = [_math_html(math, cloze, "\\(", "\\)") for math in maths]
    return "".join(parts)


def plain_text(field_html: str) -> str:
    """A field without tags, as Anki's sort field and duplicate checksum want it."""
    if "<" not in field_html and "&" not in field_html:
        return field_html.strip()  # no tag to remove, nothing to unescape: most fields
    return html.unescape(re.sub(r"<[^>]*>", " ", field_html)).strip()


@cache
def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, double_inline=True)
    md.add_render_rule("math_inline", lambda self, tokens, i, options, env: _math(tokens[i], env, "\\(", "\\)"))
    md.add_render_rule("math_inline_double", lambda self, tokens, i, options, env: _math(tokens[i], env, "\\[", "\\]"))
    md.add_render_rule("math_block", lambda self, tokens, i, options, env: _math(tokens[i], env, "\\[", "\\]") + "\n")
    md.add_render_rule("math_block_label", lambda self, tokens, i, options, env: _math(tokens[i], env, "\\[", "\\]") + "\n")
    md.add_render_rule("image", _image)
    md.core.ruler.push("studyterm_sound", _sounds)
    return md


def _is_sound(src: str) -> bool:
    return Path(unquote(src.split("?")[0].split("#")[0])).suffix.lower() in SOUND_SUFFIXES


def _sounds(state) -> None:
    """A link to a local sound file -> Anki's [sound:name], with the file packed."""
    media = state.env.get("media") if isinstance(state.env, dict) else None
    if media is None:
        return
    from markdown_it.token import Token

    for block in state.tokens:
        children = block.children
        if block.type != "inline" or not children:
            continue
        index = 0
        while index < len(children):
            token = children[index]
            href = str(token.attrGet("href") or "") if token.type == "link_open" else ""
            name = media(href) if href and _is_sound(href) else None
            if name is None:
                index += 1
                continue
            close = next((i for i in range(index + 1, len(children)) if children[i].type == "link_close"), index)
            sound = Token("html_inline", "", 0)
            sound.content = f"[sound:{html.escape(name, quote=False)}]"
            children[index : close + 1] = [sound]
            index += 1


def _math(token, env: dict, opening: str, closing: str) -> str:
    return _math_html(token.content, bool(env.get("cloze")), opening, closing)


def _math_html(content: str, cloze: bool, opening: str, closing: str) -> str:
    content = content.strip()
    if cloze and "}}" in content:
        content = _CLOSE_BRACES.sub("} ", content)
    return opening + html.escape(content, quote=False) + closing


def _image(self, tokens, index, options, env) -> str:
    from markdown_it.renderer import RendererHTML

    token = tokens[index]
    media = env.get("media")
    src = str(token.attrGet("src") or "")
    name = media(src) if media else None
    if name is not None:
        token.attrSet("src", name)
    return RendererHTML.image(self, tokens, index, options, env)
