"""The study plan: `<collection>/studyplan.toml` (docs/progress.md).

Domains carry weights; topics name the cards that belong to them (decks, tags, notes);
milestones name the lab checks that prove a topic (holes passing, or a lab's targets met, by
the learner's own code); sessions are optional planned dates. A collection without the file
gets a plan with one topic per top-level deck, so progress works before anyone writes a plan.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from studyterm.layout import PLAN_FILE


class PlanError(ValueError):
    """The plan file cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    weight: float


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    domain: str
    decks: tuple[str, ...] = ()
    """A deck and its sub-decks (`dlfs2` holds `dlfs2/ch01`)."""
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """Note paths relative to the collection (`concepts/dlfs2/ch01-neural-networks.md`)."""

    def holds(self, deck: str, tags: tuple[str, ...], note_path: str) -> bool:
        return (any(deck == d or deck.startswith(d + "/") for d in self.decks)
                or any(tag in tags for tag in self.tags) or note_path in self.notes)


@dataclass(frozen=True)
class Milestone:
    id: str
    name: str
    topic: str
    lab: str
    holes: tuple[str, ...] = ()
    """Met when each of these holes passed in one of the learner's runs."""
    targets: bool = False
    """Met when a graded full run of the learner's code met every target of the lab."""


@dataclass(frozen=True)
class PlannedSession:
    day: date
    topic: str
    what: str = ""


@dataclass(frozen=True)
class StudyPlan:
    domains: tuple[Domain, ...]
    topics: tuple[Topic, ...]
    milestones: tuple[Milestone, ...] = ()
    sessions: tuple[PlannedSession, ...] = ()
    source: str | None = None
    """The file it came from; None for the plan derived from the decks."""

    def topics_of(self, domain: str) -> list[Topic]:
        return [topic for topic in self.topics if topic.domain == domain]

    def milestones_of(self, topic: str) -> list[Milestone]:
        return [milestone for milestone in self.milestones if milestone.topic == topic]


def load_plan(root: Path, top_decks: list[str]) -> StudyPlan:
    """The collection's plan, or one topic per top-level deck when it has no studyplan.toml."""
    path = root / PLAN_FILE
    if not path.is_file():
        return deck_plan(top_decks)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PlanError(f"{path}: {error}") from None
    except OSError as error:
        raise PlanError(f"{path}: cannot read it ({error.strerror})") from None
    return parse_plan(data, str(path))


def deck_plan(top_decks: list[str]) -> StudyPlan:
    domain = Domain("decks", "Decks", 1.0)
    topics = tuple(Topic(deck, deck, domain.id, decks=(deck,)) for deck in sorted(top_decks))
    return StudyPlan((domain,), topics)


def parse_plan(data: dict, source: str) -> StudyPlan:
    reader = _Reader(source)
    domains = tuple(
        Domain(reader.ident(entry, "domain"), reader.text(entry, "name", "domain"),
               reader.weight(entry))
        for entry in reader.tables(data, "domain")
    )
    if not domains:
        raise PlanError(f"{source}: no [[domain]]: a plan needs at least one")
    known_domains = reader.unique([d.id for d in domains], "domain")
    topics = tuple(reader.topic(entry, known_domains) for entry in reader.tables(data, "topic"))
    known_topics = reader.unique([t.id for t in topics], "topic")
    milestones = tuple(reader.milestone(entry, known_topics) for entry in reader.tables(data, "milestone"))
    reader.unique([m.id for m in milestones], "milestone")
    sessions = tuple(reader.session(entry, known_topics) for entry in reader.tables(data, "session"))
    return StudyPlan(domains, topics, milestones, sessions, source)


class _Reader:
    """Checks each value as it is read, so every error names the file, the table and the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, message: str) -> PlanError:
        return PlanError(f"{self.source}: {message}")

    def tables(self, data: dict, name: str) -> list[dict]:
        entries = data.get(name, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise self.fail(f"{name} must be written as [[{name}]] tables")
        return entries

    def ident(self, entry: dict, table: str) -> str:
        value = entry.get("id")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"every [[{table}]] needs an id (text)")
        return value.strip()

    def text(self, entry: dict, key: str, table: str, default: str | None = None) -> str:
        value = entry.get(key, default if default is not None else entry.get("id"))
        if not isinstance(value, str):
            raise self.fail(f"[[{table}]] {entry.get('id')!r}: {key} must be text")
        return value

    def texts(self, entry: dict, key: str, table: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"[[{table}]] {entry.get('id')!r}: {key} must be a list of text")
        return tuple(v.strip("/") if key == "decks" else v for v in value)

    def weight(self, entry: dict) -> float:
        value = entry.get("weight", 1)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1e6:
            raise self.fail(f"[[domain]] {entry.get('id')!r}: weight must be a number from 0")
        return float(value)

    def unique(self, ids: list[str], table: str) -> set[str]:
        seen: set[str] = set()
        for ident in ids:
            if ident in seen:
                raise self.fail(f"two [[{table}]] tables have the id {ident!r}")
            seen.add(ident)
        return seen

    def reference(self, entry: dict, key: str, known: set[str], table: str) -> str:
        value = entry.get(key)
        if value not in known:
            raise self.fail(f"[[{table}]] {entry.get('id')!r}: {key} {value!r} is not one of the plan's "
                            f"{key}s ({', '.join(sorted(known)) or 'none'})")
        return value

    def topic(self, entry: dict, domains: set[str]) -> Topic:
        ident = self.ident(entry, "topic")
        return Topic(ident, self.text(entry, "name", "topic"), self.reference(entry, "domain", domains, "topic"),
                     self.texts(entry, "decks", "topic"), self.texts(entry, "tags", "topic"),
                     self.texts(entry, "notes", "topic"))

    def milestone(self, entry: dict, topics: set[str]) -> Milestone:
        ident = self.ident(entry, "milestone")
        lab = entry.get("lab")
        if not isinstance(lab, str) or not lab:
            raise self.fail(f"[[milestone]] {ident!r}: lab must name a lab")
        holes = self.texts(entry, "holes", "milestone")
        targets = entry.get("targets", False)
        if not isinstance(targets, bool) or (not holes and not targets):
            raise self.fail(f"[[milestone]] {ident!r}: give holes = [...] or targets = true (or both)")
        return Milestone(ident, self.text(entry, "name", "milestone"),
                         self.reference(entry, "topic", topics, "milestone"), lab, holes, targets)

    def session(self, entry: dict, topics: set[str]) -> PlannedSession:
        day = entry.get("date")
        if isinstance(day, datetime):
            day = day.date()
        if not isinstance(day, date):
            raise self.fail("every [[session]] needs a date (2026-12-07, no quotes)")
        return PlannedSession(day, self.reference(entry, "topic", topics, "session"),
                              self.text(entry, "what", "session", ""))
