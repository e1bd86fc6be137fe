"""LaTeX math -> readable Unicode for the terminal, with flatlatex.

flatlatex turns `\\sigma(x)=\\frac{1}{1+e^{-x}}` into `σ(x)=1/(1+e⁻ˣ)`, with real super- and
subscripts. It lacks some commands common in deep-learning notes; those are taught to it below as
LaTeX macros (`\\newcommand`), not patched with regexes. Anything it cannot read is shown as the
original LaTeX, never as an error.
"""

from __future__ import annotations

import re
from functools import cache

from studyterm.notes.mask import inline_spans

# Commands flatlatex does not know, defined in LaTeX itself.
_MACROS = {
    r"\lceil": "⌈", r"\rceil": "⌉", r"\lfloor": "⌊", r"\rfloor": "⌋", r"\top": "⊤",
    r"\ldots": "…", r"\lim": "lim", r"\max": "max", r"\min": "min", r"\arg": "arg",
    r"\argmax": "argmax", r"\argmin": "argmin", r"\sup": "sup", r"\inf": "inf",
    # operator names that take no limits read better with a thin space after them
    r"\log": r"log\,", r"\ln": r"ln\,", r"\exp": r"exp\,", r"\sin": r"sin\,",
    r"\cos": r"cos\,", r"\tan": r"tan\,", r"\tanh": r"tanh\,", r"\det": r"det\,",
    r"\dim": r"dim\,", r"\Pr": "Pr", r"\mid": "∣",
    r"\le": "≤", r"\ge": "≥", r"\ne": "≠",
    r"\left": "", r"\right": "", r"\bigl": "", r"\bigr": "", r"\Bigl": "", r"\Bigr": "",
    r"\big": "", r"\Big": "", r"\displaystyle": "", r"\textstyle": "", r"\limits": "",
    r"\nonumber": "",
}
_ONE_ARGUMENT = {
    r"\text": "#1", r"\textrm": "#1", r"\mathrm": "#1", r"\operatorname": "#1",
    r"\textbf": "#1", r"\boldsymbol": r"\mathbf{#1}", r"\bm": r"\mathbf{#1}",
}
_TWO_ARGUMENTS = {r"\dfrac": r"\frac{#1}{#2}", r"\tfrac": r"\frac{#1}{#2}"}
_UNKNOWN_COMMAND = re.compile(r"\\[A-Za-z]+")
# Unicode has these super- and subscripts, flatlatex's tables lack them (it writes y[k], W^⊤).
_MORE_SUBSCRIPTS = {"h": "ₕ", "k": "ₖ", "l": "ₗ", "m": "ₘ", "n": "ₙ", "p": "ₚ", "s": "ₛ", "t": "ₜ"}
_MORE_SUPERSCRIPTS = {"⊤": "ᵀ"}


@cache
def _converter():
    import flatlatex
    from flatlatex import data

    for table, more in ((data.subscript, _MORE_SUBSCRIPTS), (data.superscript, _MORE_SUPERSCRIPTS)):
        for char, script in more.items():
            table.setdefault(char, script)
    converter = flatlatex.converter()
    for command, text in _MACROS.items():
        converter.add_newcommand(rf"\newcommand{{{command}}}{{{text}}}")
    for command, body in _ONE_ARGUMENT.items():
        converter.add_newcommand(rf"\newcommand{{{command}}}[1]{{{body}}}")
    for command, body in _TWO_ARGUMENTS.items():
        converter.add_newcommand(rf"\newcommand{{{command}}}[2]{{{body}}}")
    return converter


def latex_to_unicode(latex: str) -> str:
    """One line of Unicode for a LaTeX formula, or the formula itself if it cannot be read."""
    try:
        text = _converter().convert(latex.strip())
    except Exception:  # flatlatex raises several kinds of error on input it cannot parse
        return latex.strip()
    if _UNKNOWN_COMMAND.search(text):
        return latex.strip()
    return _drop_derivative_parentheses(text)


_DERIVATIVE = re.compile(
    r"\((∂[^\s()+\-=/*·×]{1,3})\)/\((∂[^\s()+\-=/*·×]{1,3})\)(?=$|[\s=+\-−,;:)\]·×<>≤≥≈])"
)


def _drop_derivative_parentheses(text: str) -> str:
    """flatlatex writes (∂L)/(∂W); a derivative standing alone reads better as ∂L/∂W. Where
    something follows it directly, as in (∂L)/(∂h)Wᵀ, the parentheses stay: they disambiguate."""
    return _DERIVATIVE.sub(r"\1/\2", text)


def render_math(markdown: str, wrap_inline=lambda text: text, wrap_display=lambda text: text) -> str:
    """Replace every `$...$` and `$$...$$` outside code with its Unicode rendering."""
    pieces: list[str] = []
    position = 0
    for start, end, kind in math_spans(markdown):
        pieces.append(markdown[position:start])
        if kind == "display":
            pieces.append(wrap_display(latex_to_unicode(markdown[start + 2 : end - 2])))
        else:
            pieces.append(wrap_inline(latex_to_unicode(markdown[start + 1 : end - 1])))
        position = end
    pieces.append(markdown[position:])
    return "".join(pieces)


def math_spans(markdown: str) -> list[tuple[int, int, str]]:
    """(start, end, "inline" | "display") of every math span outside code fences and spans."""
    spans = []
    offset = 0
    for chunk, in_fence in _fence_chunks(markdown):
        if not in_fence:
            spans += [
                (offset + start, offset + end, kind)
                for start, end, kind in inline_spans(chunk)
                if kind in ("inline", "display")
            ]
        offset += len(chunk)
    return spans


_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


def _fence_chunks(markdown: str) -> list[tuple[str, bool]]:
    """Split Markdown into alternating (text, False) and (fenced code, True) chunks."""
    chunks: list[tuple[str, bool]] = []
    current: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is None and match:
            chunks.append(("".join(current), False))
            current, fence = [line], match.group(1)
        elif fence is not None and match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
            current.append(line)
            chunks.append(("".join(current), True))
            current, fence = [], None
        else:
            current.append(line)
    chunks.append(("".join(current), fence is not None))
    return [chunk for chunk in chunks if chunk[0]]
