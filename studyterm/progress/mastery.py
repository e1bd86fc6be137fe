"""Mastery, derived from the review log and the learner's lab runs (docs/progress.md).

- A card earns credit as it grows: nothing while new, 0.2 once learned, then up to 1.0 as its
  interval reaches 21 days (mature). So progress moves in the first week, not only after three.
- A topic's progress is its cards' mean credit; with milestones, 70% cards and 30% the share of
  milestones met. A topic is mastered when 90% of its active cards are mature (or it has only
  milestones) and every milestone is met by the learner's own code.
- A domain's progress is the mean of its topics'; overall progress weighs domains by weight.
- Confidence: the share of the last 30 days' answers graded 3 or more, and the mean E-Factor.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from studyterm.progress.plan import Milestone, StudyPlan, Topic
from studyterm.store.progress import CardFact, LearnerRun, RecentAnswers

MATURE_DAYS = 21
LEARNED_CREDIT = 0.2
CARDS_SHARE_WITH_MILESTONES = 0.7
MASTERED_SHARE = 0.9
LEECH_LAPSES = 6
LOW_EF = 1.7
"""An E-Factor at or below this (SM-2 starts at 2.5 and never goes below 1.3) is a gap."""


@dataclass(frozen=True)
class CardShares:
    """Active (not suspended) cards by stage."""

    total: int = 0
    new: int = 0
    young: int = 0
    mature: int = 0

    @property
    def learned(self) -> int:
        return self.young + self.mature

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0


@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    met: bool
    run_id: int | None = None
    """The learner's run that completed it."""
    day: date | None = None
    missing: tuple[str, ...] = ()
    """Holes not passed yet (and "targets" while the lab's targets are not met)."""


@dataclass(frozen=True)
class TopicProgress:
    topic: Topic
    cards: CardShares
    credit: float
    milestones: tuple[MilestoneStatus, ...]
    progress: float
    mastered: bool
    due: int
    confidence: float | None
    """Share of the last 30 days' answers graded 3+; None without answers."""
    mean_ef: float | None


@dataclass(frozen=True)
class DomainProgress:
    id: str
    name: str
    weight: float
    topics: tuple[TopicProgress, ...]
    progress: float

    @property
    def mastered(self) -> int:
        return sum(topic.mastered for topic in self.topics)


GAP_LABELS = {"leech": "leech", "low_ef": "low E-Factor", "failing_hole": "failing hole", "empty_topic": "no cards"}


@dataclass(frozen=True)
class Gap:
    kind: str
    """`leech`, `low_ef`, `failing_hole` or `empty_topic` (GAP_LABELS names them for people)."""
    text: str
    card_id: str | None = None
    topic: str | None = None
    lab: str | None = None


@dataclass(frozen=True)
class NextStep:
    topic: str
    why: str
    action: str


@dataclass(frozen=True)
class Progress:
    domains: tuple[DomainProgress, ...]
    overall: float
    cards: CardShares
    gaps: tuple[Gap, ...]
    next_step: NextStep | None
    plan_source: str | None
    topics: tuple[TopicProgress, ...] = field(default=())

    @property
    def mastered(self) -> int:
        return sum(topic.mastered for topic in self.topics)


def card_credit(fact: CardFact) -> float:
    if not fact.introduced:
        return 0.0
    return LEARNED_CREDIT + (1 - LEARNED_CREDIT) * min(fact.interval_days, MATURE_DAYS) / MATURE_DAYS


def compute_progress(plan: StudyPlan, facts: list[CardFact], recent: list[RecentAnswers],
                     runs: list[LearnerRun], today: date) -> Progress:
    members = _topic_members(plan, facts)
    recent_by_card = {row.card_id: row for row in recent}
    topics = tuple(
        _topic_progress(topic, members[topic.id], recent_by_card, runs, plan.milestones_of(topic.id), today)
        for topic in plan.topics
    )
    by_id = {progress.topic.id: progress for progress in topics}
    domains = tuple(
        DomainProgress(domain.id, domain.name, domain.weight,
                       tuple(by_id[t.id] for t in plan.topics_of(domain.id)),
                       _mean([by_id[t.id].progress for t in plan.topics_of(domain.id)]))
        for domain in plan.domains
    )
    weight = sum(domain.weight for domain in domains)
    overall = sum(d.weight * d.progress for d in domains) / weight if weight else 0.0
    active = [fact for fact in facts if not fact.suspended]
    return Progress(domains, overall, _shares(active), _gaps(plan, topics, facts, runs),
                    _next_step(plan, domains), plan.source, topics)


def _topic_members(plan: StudyPlan, facts: list[CardFact]) -> dict[str, list[CardFact]]:
    """Cards per topic, matching each distinct (deck, tags, note) once: 100,000 cards share a
    few thousand of them."""
    members: dict[str, list[CardFact]] = {topic.id: [] for topic in plan.topics}
    groups: dict[tuple, list[CardFact]] = defaultdict(list)
    for fact in facts:
        groups[(fact.deck, fact.tags, fact.note_path)].append(fact)
    for (deck, tags, note_path), cards in groups.items():
        for topic in plan.topics:
            if topic.holds(deck, tags, note_path):
                members[topic.id].extend(cards)
    return members


def _topic_progress(topic: Topic, cards: list[CardFact], recent: dict[str, RecentAnswers],
                    runs: list[LearnerRun], milestones: list[Milestone], today: date) -> TopicProgress:
    active = [card for card in cards if not card.suspended]
    shares = _shares(active)
    credit = _mean([card_credit(card) for card in active])
    statuses = tuple(milestone_status(milestone, runs) for milestone in milestones)
    met = sum(status.met for status in statuses)
    if statuses and active:
        progress = CARDS_SHARE_WITH_MILESTONES * credit + (1 - CARDS_SHARE_WITH_MILESTONES) * met / len(statuses)
    elif statuses:
        progress = met / len(statuses)
    else:
        progress = credit
    cards_done = shares.share(shares.mature) >= MASTERED_SHARE if active else bool(statuses)
    answers = [recent[card.id] for card in cards if card.id in recent]
    total_answers = sum(row.answers for row in answers)
    introduced = [card.ef for card in active if card.introduced]
    return TopicProgress(
        topic, shares, credit, statuses, progress,
        mastered=cards_done and met == len(statuses),
        due=sum(1 for card in active if card.due is not None and card.due <= today),
        confidence=sum(row.passed for row in answers) / total_answers if total_answers else None,
        mean_ef=_mean(introduced) if introduced else None,
    )


def milestone_status(milestone: Milestone, runs: list[LearnerRun]) -> MilestoneStatus:
    """Met at the first of the learner's runs by which every named hole has passed (in any run)
    and, for `targets`, a graded full run met every target."""
    passed: set[str] = set()
    targets_met = False
    for run in runs:
        if run.lab_id != milestone.lab:
            continue
        passed |= {hole.get("name") for hole in run.holes if hole.get("status") == "passed"}
        targets_met = targets_met or (run.graded and run.mode == "full" and bool(run.passed))
        missing = _missing(milestone, passed, targets_met)
        if not missing:
            return MilestoneStatus(milestone, True, run.id, run.day)
    return MilestoneStatus(milestone, False, missing=_missing(milestone, passed, targets_met))


def _missing(milestone: Milestone, passed: set[str], targets_met: bool) -> tuple[str, ...]:
    missing = tuple(hole for hole in milestone.holes if hole not in passed)
    return missing + (("targets",) if milestone.targets and not targets_met else ())


def _shares(cards: list[CardFact]) -> CardShares:
    young = sum(1 for c in cards if c.introduced and c.interval_days < MATURE_DAYS)
    mature = sum(1 for c in cards if c.introduced and c.interval_days >= MATURE_DAYS)
    return CardShares(len(cards), len(cards) - young - mature, young, mature)


def _gaps(plan: StudyPlan, topics: tuple[TopicProgress, ...], facts: list[CardFact],
          runs: list[LearnerRun]) -> tuple[Gap, ...]:
    gaps = [Gap("empty_topic", f"{p.topic.name}: no cards yet", topic=p.topic.id)
            for p in topics if not p.cards.total and not p.milestones]
    hard = sorted((f for f in facts if not f.suspended and f.introduced), key=lambda f: (-f.lapses, f.ef))
    gaps += [Gap("leech", f"{f.question} ({f.lapses} lapses)", card_id=f.id) for f in hard if f.lapses >= LEECH_LAPSES]
    gaps += [Gap("low_ef", f"{f.question} (E-Factor {f.ef:.2f})", card_id=f.id)
             for f in hard if f.lapses < LEECH_LAPSES and f.ef <= LOW_EF]
    latest: dict[tuple[str, str], str] = {}
    for run in runs:
        for hole in run.holes:
            if hole.get("status") in ("passed", "failed"):
                latest[(run.lab_id, str(hole.get("name")))] = hole["status"]
    gaps += [Gap("failing_hole", f"lab {lab}: hole {hole} fails in your code", lab=lab)
             for (lab, hole), status in sorted(latest.items()) if status == "failed"]
    return tuple(gaps)


def _next_step(plan: StudyPlan, domains: tuple[DomainProgress, ...]) -> NextStep | None:
    """The weakest topic where it weighs most: domain weight shared among its topics, times
    what is left to do."""
    best: tuple[float, TopicProgress] | None = None
    for domain in domains:
        for topic in domain.topics:
            if topic.mastered:
                continue
            score = domain.weight / len(domain.topics) * (1 - topic.progress)
            if best is None or score > best[0]:
                best = (score, topic)
    if best is None:
        return None
    topic = best[1]
    why = f"{topic.topic.name} is at {topic.progress:.0%}"
    return NextStep(topic.topic.id, why, _action(topic))


def _action(topic: TopicProgress) -> str:
    deck = topic.topic.decks[0] if topic.topic.decks else None
    where = f" (studyterm review --deck {deck})" if deck else ""
    if topic.due:
        return f"review its {_count(topic.due, 'due card')}{where}"
    if topic.cards.new:
        return f"learn its {_count(topic.cards.new, 'new card')}{where}"
    open_milestone = next((status for status in topic.milestones if not status.met), None)
    if open_milestone is not None:
        lab = open_milestone.milestone.lab
        holes = [h for h in open_milestone.missing if h != "targets"]
        what = f"make {', '.join(holes)} pass" if holes else "meet its targets with your code"
        return f"lab {lab}: {what} (studyterm lab start {lab})"
    if not topic.cards.total:
        return "write a concept note with recall cards for it"
    return "keep reviewing: its cards are not mature yet"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
