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

from dataclasses import dataclass, field
from datetime import date

from studyterm.progress.plan import Milestone, StudyPlan, Topic
from studyterm.store.progress import LEARNED_CREDIT, MATURE_DAYS, CardGroup, LearnerRun, WeakCard

CARDS_SHARE_WITH_MILESTONES = 0.7
MASTERED_SHARE = 0.9
LEECH_LAPSES = 6
LOW_EF = 1.7
"""An E-Factor at or below this (SM-2 starts at 2.5 and never goes below 1.3) is a gap."""
WEAK_SHOWN = 50


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
    weak_total: int = 0
    """All leeches and low-E-Factor cards; `gaps` names the worst WEAK_SHOWN."""

    @property
    def mastered(self) -> int:
        return sum(topic.mastered for topic in self.topics)

    @property
    def gap_total(self) -> int:
        """Every gap, counting the weak cards `gaps` leaves out."""
        listed = sum(1 for gap in self.gaps if gap.kind in ("leech", "low_ef"))
        return len(self.gaps) - listed + max(listed, self.weak_total)


def card_credit(introduced: bool, interval_days: int) -> float:
    """What one card adds to its topic (the store sums the same expression in SQL)."""
    if not introduced:
        return 0.0
    return LEARNED_CREDIT + (1 - LEARNED_CREDIT) * min(interval_days, MATURE_DAYS) / MATURE_DAYS


def compute_progress(plan: StudyPlan, groups: list[CardGroup], weak: list[WeakCard],
                     runs: list[LearnerRun], today: date, weak_total: int | None = None) -> Progress:
    """`groups`: active cards grouped by deck, tags and note (store.progress.card_groups);
    `weak`: the worst leeches and low-E-Factor cards."""
    members = _topic_members(plan, groups)
    topics = tuple(
        _topic_progress(topic, members[topic.id], runs, plan.milestones_of(topic.id))
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
    return Progress(domains, overall, _shares(groups), _gaps(topics, weak, runs),
                    _next_step(domains), plan.source, topics,
                    len(weak) if weak_total is None else weak_total)


def _topic_members(plan: StudyPlan, groups: list[CardGroup]) -> dict[str, list[CardGroup]]:
    members: dict[str, list[CardGroup]] = {topic.id: [] for topic in plan.topics}
    for group in groups:
        for topic in plan.topics:
            if topic.holds(group.deck, group.tags, group.note_path):
                members[topic.id].append(group)
    return members


def _topic_progress(topic: Topic, groups: list[CardGroup], runs: list[LearnerRun],
                    milestones: list[Milestone]) -> TopicProgress:
    shares = _shares(groups)
    credit = sum(group.credit for group in groups) / shares.total if shares.total else 0.0
    statuses = tuple(milestone_status(milestone, runs) for milestone in milestones)
    met = sum(status.met for status in statuses)
    if statuses and shares.total:
        progress = CARDS_SHARE_WITH_MILESTONES * credit + (1 - CARDS_SHARE_WITH_MILESTONES) * met / len(statuses)
    elif statuses:
        progress = met / len(statuses)
    else:
        progress = credit
    cards_done = shares.share(shares.mature) >= MASTERED_SHARE if shares.total else bool(statuses)
    answers = sum(group.recent_answers for group in groups)
    return TopicProgress(
        topic, shares, credit, statuses, progress,
        mastered=cards_done and met == len(statuses),
        due=sum(group.due for group in groups),
        confidence=sum(group.recent_passed for group in groups) / answers if answers else None,
        mean_ef=sum(group.ef_sum for group in groups) / shares.learned if shares.learned else None,
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


def _shares(groups: list[CardGroup]) -> CardShares:
    return CardShares(sum(g.total for g in groups), sum(g.new for g in groups),
                      sum(g.young for g in groups), sum(g.mature for g in groups))


def _gaps(topics: tuple[TopicProgress, ...], weak: list[WeakCard], runs: list[LearnerRun]) -> tuple[Gap, ...]:
    gaps = [Gap("empty_topic", f"{p.topic.name}: no cards yet", topic=p.topic.id)
            for p in topics if not p.cards.total and not p.milestones]
    ranked = sorted(weak, key=lambda card: (-card.lapses, card.ef))
    gaps += [Gap("leech", f"{c.question} ({c.lapses} lapses)", card_id=c.id) for c in ranked if c.lapses >= LEECH_LAPSES]
    gaps += [Gap("low_ef", f"{c.question} (E-Factor {c.ef:.2f})", card_id=c.id)
             for c in ranked if c.lapses < LEECH_LAPSES and c.ef <= LOW_EF]
    latest: dict[tuple[str, str], str] = {}
    for run in runs:
        for hole in run.holes:
            if hole.get("status") in ("passed", "failed"):
                latest[(run.lab_id, str(hole.get("name")))] = hole["status"]
    gaps += [Gap("failing_hole", f"lab {lab}: hole {hole} fails in your code", lab=lab)
             for (lab, hole), status in sorted(latest.items()) if status == "failed"]
    return tuple(gaps)


def _next_step(domains: tuple[DomainProgress, ...]) -> NextStep | None:
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
