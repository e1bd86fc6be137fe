"""The note editor's questions: overwrite a changed file? recover a draft? leave unsaved text?"""

from __future__ import annotations

from datetime import datetime

from textual.markup import escape

from studyterm.tui.screens.choice import Choice, ChoiceDialog


def conflict(path: str) -> ChoiceDialog:
    message = (
        f"{escape(path)} changed on disk since you opened it (another editor, or git). "
        "Overwrite it with your text, reload it from disk (dropping your changes), or go back "
        "to editing?"
    )
    choices = [
        Choice("overwrite", "Overwrite", "o", "error"),
        Choice("reload", "Reload", "r"),
        Choice("cancel", "Cancel", "c", "primary"),
    ]
    return ChoiceDialog("Changed on disk", message, choices, cancel="cancel")


def draft(path: str, saved_at: datetime, file_changed: bool) -> ChoiceDialog:
    changed = (
        " The file has changed on disk since; if you recover the draft, saving will ask before "
        "overwriting."
        if file_changed
        else ""
    )
    message = (
        f"Text typed into {escape(path)} on {saved_at:%a %d %b %H:%M} was never saved.{changed} "
        "(Not now closes the note and keeps the draft.)"
    )
    choices = [
        Choice("recover", "Recover it", "r", "primary"),
        Choice("discard", "Discard it", "d", "error"),
        Choice("later", "Not now", "n"),
    ]
    return ChoiceDialog("Unsaved draft", message, choices, cancel="later")


def unsaved(path: str) -> ChoiceDialog:
    choices = [
        Choice("save", "Save", "s", "primary"),
        Choice("draft", "Keep as draft", "k"),
        Choice("discard", "Discard", "d", "error"),
        Choice("cancel", "Keep editing", "c"),
    ]
    return ChoiceDialog("Unsaved changes", f"{escape(path)} has changes that are not saved.", choices, cancel="cancel")
