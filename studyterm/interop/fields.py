"""A package's note fields (Markdown -> HTML) in note order; for many notes, rendered by forked
workers while this process writes the cards.

Images and sounds are resolved in this process only: MediaIndex names files, and warns about
missing ones, in the order it meets them. A worker hands back None for a note whose Markdown
links to any, and that note is rendered here, in its turn, so the package comes out the same
whichever way its fields were rendered. Forking follows studyterm.notes.parallel: Linux only,
past a threshold, and never while other threads run (the TUI exports from a worker thread).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from studyterm.interop.deckdata import PackageData
from studyterm.interop.html import MediaIndex, MediaName, render_field
from studyterm.notes.model import CardKind
from studyterm.notes.typed_answer import shown_answer

PARALLEL_THRESHOLD = 10_000
"""Below this many notes (~0.1 s of rendering) a worker's start costs more than it saves."""
_CHUNK = 1_000
"""Notes a worker renders per task: few enough tasks to cost nothing, many for a steady stream."""

_adopted: PackageData | None = None
"""In a worker: the package data it inherited from the fork (never pickled)."""


class _LinksMedia(Exception):
    """Raised in a worker by a note that links to an image or sound."""


def fields_of(cloze: bool, question: str, answer: str, note_path: str, lab: str | None,
              resolve: MediaName) -> list[str]:
    """The four fields of a studyterm note type (Front/Text, Back/Back Extra, Source, Lab) from
    its first card's values; a cloze note shows no answer."""
    if cloze:
        return [render_field(question, cloze=True, media=resolve), "", note_path, lab or ""]
    if "typed:" in answer:
        answer = shown_answer(answer)
    return [render_field(question, media=resolve), render_field(answer, media=resolve), note_path, lab or ""]


@contextmanager
def rendered_fields(data: PackageData, media: MediaIndex) -> Iterator[Iterator[list[str]]]:
    """Each note's fields, in note order. Rendering may start on entering, in other processes;
    leaving stops them."""
    workers = _worker_count(len(data.notes))
    if not workers:
        yield (_fields(data, index, media.resolver) for index in range(len(data.notes)))
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_adopt, initargs=(data,)) as pool:
        bounds = [(start, min(start + _CHUNK, len(data.notes))) for start in range(0, len(data.notes), _CHUNK)]
        yield _merged(data, media, pool.imap(_render_chunk, bounds))


def _fields(data: PackageData, index: int, resolver) -> list[str]:
    first = data.cards[data.notes[index][0]]
    return fields_of(first.kind == CardKind.CLOZE, first.question, first.answer, first.note_path,
                     first.lab, resolver(first.note_path))


def _merged(data: PackageData, media: MediaIndex,
            chunks: Iterable[list[tuple[str, str] | None]]) -> Iterator[list[str]]:
    index = 0
    for chunk in chunks:
        for rendered in chunk:
            if rendered is None:
                yield _fields(data, index, media.resolver)
            else:
                first = data.cards[data.notes[index][0]]
                yield [*rendered, first.note_path, first.lab or ""]
            index += 1


def _adopt(data: PackageData) -> None:
    global _adopted
    _adopted = data


def _render_chunk(bounds: tuple[int, int]) -> list[tuple[str, str] | None]:
    """In a worker: the two rendered fields of each note in range, None for one with media."""
    data = _adopted
    assert data is not None
    rendered: list[tuple[str, str] | None] = []
    for index in range(*bounds):
        try:
            first, second, _, _ = _fields(data, index, _refusing)
        except _LinksMedia:
            rendered.append(None)
        else:
            rendered.append((first, second))
    return rendered


def _refusing(note_path: str) -> MediaName:
    def refuse(src: str) -> str | None:
        raise _LinksMedia(src)

    return refuse


def _worker_count(notes: int) -> int:
    """Workers beside this process, which writes the cards meanwhile: one core is its own."""
    if notes < PARALLEL_THRESHOLD or not sys.platform.startswith("linux"):
        return 0
    if threading.active_count() > 1:
        return 0  # forking a threaded process (the TUI's workers) can deadlock the child
    return max(0, min(len(os.sched_getaffinity(0)) - 1, 7))
