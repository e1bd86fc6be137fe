"""LaTeX math as one line of Unicode: the commands learners write, and every formula shipped."""

import re
from pathlib import Path

import pytest

from studyterm.render.math import latex_to_unicode

REPO = Path(__file__).resolve().parents[2]
FORMULA = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)


@pytest.mark.parametrize(("latex", "shown"), [
    (r"\sigma'(z) \le 1/4", "σ'(z)≤1/4"),
    (r"a \ge b \ne c", "a≥b≠c"),
    (r"\dfrac{dh}{dz} = 1 - h^2", "(dh)/(dz)=1-h²"),
    (r"\sqrt{\textstyle\sum_t g_t^2}", "√(∑ₜ(gₜ)²)"),
    (r"\lceil N/B \rceil", "⌈N/B⌉"),
])
def test_commands_learners_write_become_unicode(latex, shown):
    assert latex_to_unicode(latex) == shown


def test_every_formula_in_the_shipped_notes_renders():
    raw = []
    for note in sorted((REPO / "concepts").rglob("*.md")):
        for match in FORMULA.finditer(note.read_text(encoding="utf-8")):
            latex = match.group(1) or match.group(2)
            if re.search(r"\\[A-Za-z]+", latex_to_unicode(latex)):
                raw.append(f"{note.relative_to(REPO)}: {latex}")
    assert raw == []
