"""Generate a synthetic collection: 10,000 notes with 10 cards each (100,000 cards) by default.

Notes look like real concept notes: front matter, prose, a code block, math, Q/A pairs with
multi-line answers, one-line cards and cloze deletions, spread over 50 deck folders.

    python benchmarks/synthetic.py OUT_DIR [--notes 10000]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

TOPICS = ["affine", "sigmoid", "softmax", "embedding", "attention", "dropout", "batchnorm",
          "adam", "momentum", "word2vec", "rnn", "lstm", "seq2seq", "transformer", "conv"]


def note_text(index: int, rng: random.Random) -> str:
    topic = rng.choice(TOPICS)
    lines = [
        "---",
        f"title: Synthetic note {index} on {topic}",
        f"tags: [synthetic, {topic}]",
        "---",
        "",
        f"# {topic.title()} {index}",
        "",
        f"Some prose about {topic} with `code` and $x_{{{index}}}^2$ inline math.",
        "",
        "```python",
        f"def forward_{index}(x):",
        "    return x @ W + b  # Q: this is code, not a card",
        "```",
        "",
        "## Recall",
        "",
    ]
    for card in range(7):
        lines += [
            f"Q: In note {index}, what does {topic} step {card} compute?",
            f"A: It computes value {card} of note {index}: $\\frac{{\\partial L}}{{\\partial w_{card}}}$",
            f"summed over the batch, then scaled by {rng.random():.4f}.",
            "",
        ]
    lines += [
        f"{topic} fact {index}a :: answer {index}a",
        "",
        f"- The {{{{c1::{topic} {index}}}}} layer keeps {{{{c2::its shape {index}}}}}.",
        "",
    ]
    return "\n".join(lines)


def generate(out: Path, notes: int = 10_000, seed: int = 7) -> Path:
    rng = random.Random(seed)
    for sub in ("labs", "decks"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for index in range(notes):
        folder = out / "concepts" / f"course{index % 5}" / f"deck{index % 50:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"note{index:05d}.md").write_text(note_text(index, rng), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", type=int, default=10_000)
    args = parser.parse_args()
    generate(args.out, args.notes)
    print(f"wrote {args.notes} notes to {args.out}")


if __name__ == "__main__":
    main()
