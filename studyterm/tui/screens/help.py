"""Keys, grades and quiz modes on one page."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from studyterm.quiz import CHOICE_RIGHT_GRADE, CHOICE_WRONG_GRADE, TYPED_GRADES
from studyterm.render.text import GRADE_NAMES
from studyterm.schedule.sm2 import GRADE_LABELS


def help_markdown() -> str:
    grades = "\n".join(
        f"| **{g}** | {GRADE_NAMES[g]} | {meaning} |" for g, meaning in GRADE_LABELS.items()
    )
    typed = ", ".join(f"≥ {minimum}% → {grade}" for minimum, grade in TYPED_GRADES)
    return f"""\
# studyterm keys

| Home | |
|---|---|
| **Enter** | review the selected deck (flash cards) |
| **t** / **c** | typed quiz / multiple-choice quiz on that deck |
| **r** | resume today's latest unfinished session |
| **b** | browse and search cards |
| **s** | read changed notes now (also happens on start, and whenever a file under concepts/ changes) |
| **n** | new note from a template, in the selected deck, opened in the in-app editor |
| **l** | labs |
| **x** | export the selected deck (Anki package, CSV, TSV, Markdown, JSON) |
| **o** | settings: daily limits, per-deck limits, the day's start, theme |
| **ctrl+p** | command palette: every action, any note to edit (drafts and broken notes first), themes |

| Review | |
|---|---|
| **space** | show the answer |
| **0-5** | grade (below) |
| **u** | undo the last action: an answer (exactly), suspend, bury, flag, lab feedback, quick add |
| **^z** | the same, also while typing an answer |
| **s** | suspend the card |
| **b** | bury it until tomorrow |
| **f** | flag it (again: unflag) |
| **i** | card info and history |
| **e** | edit the card's note in $EDITOR, then re-read it |
| **E** | edit the card's note in the in-app editor, with the live card preview |
| **a** | add a Q/A card to the card's note without leaving the review |
| **l** | open the card's lab |
| **v** | open the card's picture in the system viewer |
| **Esc** | end the session (asks first if an answer is typed) |

| Browse | |
|---|---|
| **Down** / **Enter** | from the search box to the results; **/** back to the search |
| **space** | mark a card (actions work on the marked cards, or the one under the cursor) |
| **s** / **u** / **b** | suspend / unsuspend / unbury |
| **f** | flag (or unflag when all are flagged) |
| **d** | set the due date (a date, or +N days) |
| **e** / **E** | the card's note at its line, in $EDITOR / in the app |
| **o** | sort by the next column; click a header to sort by it |

| Lab | |
|---|---|
| **s** | start an exercise lab: your copy in workspace/LAB/ |
| **e** / **E** | edit the selected hole in $EDITOR / in the app, at its line (or where its checks failed) |
| **h** | reveal the selected hole's next hint (hints lower the grade a passing hole gives) |
| **c** | run the checks of every hole only |
| **ctrl+r** | run (your code; tick *Run the reference solution* to explore with it); a changed parameter may ask a prediction first |
| **d** | your code of a passing hole beside the reference |
| **u** | undo the selected run's changes to cards |
| **Esc** | stop a running lab, else back |

| Note editor | |
|---|---|
| **ctrl+s** | save (atomic; asks first if the file changed on disk since it was opened) |
| **f8** | go to the next problem; **tab** to the preview, **enter** on a card or problem goes to its line |
| **Esc** | close (unsaved text: save, keep as a draft, or discard) |

Unsaved text is kept as a draft every few seconds and when the app closes, and offered back the
next time the note is opened.

## Grades (SM-2)

| grade | name | meaning |
|---|---|---|
{grades}

Below 4, a card comes back later in the same session; below 3, it is a lapse and starts over.

## Quiz modes

* **Typed**: type the answer and press Enter. Case, spacing, punctuation, how math is written
  (LaTeX, Unicode, `ceil(N/B)`) and how a number is written (`.5`, `1/2`) do not count. The
  similarity suggests a grade ({typed}, else 0); Enter accepts it, 0-5 changes it, and a failing
  one takes Enter twice. A card with a long answer is yours to grade. For a cloze card, type the
  hidden text (several holes: separate them with `;`).
* **Multiple choice**: press 1-4. Right is grade {CHOICE_RIGHT_GRADE} (recognising is easier than
  recalling), wrong is {CHOICE_WRONG_GRADE}. Distractors come from other cards of the same deck.

Quiz answers are logged with source `quiz`, flash-card answers with source `review`.
"""


class HelpScreen(ModalScreen):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"), VerticalScroll():
            yield Markdown(help_markdown())
