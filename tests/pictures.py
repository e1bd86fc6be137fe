"""A small picture for tests: drawn with Pillow (textual-image's own dependency), the same
pixels every time, so snapshots of it are stable."""

from pathlib import Path


def draw_diagram(path: Path) -> Path:
    """Two boxes joined by an arrow, like a computational-graph node diagram, 120x60 pixels."""
    from PIL import Image, ImageDraw

    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (120, 60), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 16, 40, 44), fill=(40, 90, 200))
    draw.rectangle((80, 16, 116, 44), fill=(220, 120, 30))
    draw.line((40, 30, 80, 30), fill=(0, 0, 0), width=3)
    draw.polygon([(80, 30), (72, 24), (72, 36)], fill=(0, 0, 0))
    image.save(path)
    return path


PICTURE_NOTE = """\
---
deck: graphs
---
Q: What does this node compute? ![a multiply node](../media/node.png)
A: The product of its two inputs; backward, each input's gradient is the other input times the
upstream gradient.

Q: Which picture is missing?
A: This one: ![gone](../media/missing.png)
"""


def add_picture_note(root: Path) -> Path:
    """concepts/graphs/node.md with a drawn picture in concepts/media/ (and a missing one)."""
    draw_diagram(root / "concepts" / "media" / "node.png")
    note = root / "concepts" / "graphs" / "node.md"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(PICTURE_NOTE, encoding="utf-8")
    return note
