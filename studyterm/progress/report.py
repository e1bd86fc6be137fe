"""Progress and statistics as text: the Markdown report a learner commits, and the JSON shapes
of `progress --json` and `stats --json` (docs/cli.md)."""

from __future__ import annotations

from datetime import date

from studyterm.progress.mastery import GAP_LABELS, MilestoneStatus, Progress, TopicProgress
from studyterm.progress.stats import Statistics
from studyterm.store.records import SessionRow

BAR_WIDTH = 20
GAPS_SHOWN = 15


def bar(share: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, share)) * width)
    return "█" * filled + "░" * (width - filled)


def progress_markdown(progress: Progress, today: date, sessions: list[SessionRow] = ()) -> str:
    cards = progress.cards
    lines = [
        f"# Study progress, {today.isoformat()}",
        "",
        f"**Overall** `{bar(progress.overall)}` {progress.overall:.0%} · "
        f"{progress.mastered}/{len(progress.topics)} topics mastered · "
        f"cards: {cards.learned} learned of {cards.total} ({cards.young} young, {cards.mature} mature)",
        "",
        "## Domains",
        "",
        "| Domain | Weight | Progress | Topics mastered |",
        "|---|---:|---|---:|",
    ]
    total_weight = sum(domain.weight for domain in progress.domains) or 1.0
    for domain in progress.domains:
        lines.append(f"| {_cell(domain.name)} | {domain.weight / total_weight:.0%} | "
                     f"`{bar(domain.progress, 10)}` {domain.progress:.0%} | {domain.mastered}/{len(domain.topics)} |")
    lines += ["", "## Topics", ""]
    lines += [_topic_line(topic) for topic in progress.topics] or ["(none in the plan)"]
    milestones = [status for topic in progress.topics for status in topic.milestones]
    if milestones:
        lines += ["", "## Milestones", ""]
        lines += [_milestone_line(status) for status in milestones]
    lines += ["", "## Gaps", ""]
    lines += [f"- {GAP_LABELS[gap.kind]}: {_inline(gap.text)}" for gap in progress.gaps[:GAPS_SHOWN]] or ["None."]
    shown = min(len(progress.gaps), GAPS_SHOWN)
    if progress.gap_total > shown:
        lines.append(f"- … and {progress.gap_total - shown} more (`studyterm progress --json` lists the worst 50)")
    if progress.next_step:
        step = progress.next_step
        lines += ["", "## Next", "", f"{_inline(step.why)}: {_inline(step.action)}."]
    if sessions:
        lines += ["", "## Recent sessions", ""]
        lines += [_session_line(row) for row in sessions]
    source = progress.plan_source or "the decks (no studyplan.toml)"
    lines += ["", f"_Derived by studyterm from the review log and your lab runs; plan: {source}._", ""]
    return "\n".join(lines)


def _session_line(row: SessionRow) -> str:
    answers = row.summary.get("answers")
    done = f"{answers} answers" if isinstance(answers, int) else "not finished"
    deck = f" in {_inline(row.deck)}" if row.deck else ""
    return f"- {row.started_at:%Y-%m-%d %H:%M} {row.mode}{deck}: {done}"


def _topic_line(topic: TopicProgress) -> str:
    mark = "x" if topic.mastered else " "
    detail = f"{topic.cards.learned}/{topic.cards.total} cards learned, {topic.cards.mature} mature"
    if topic.confidence is not None:
        detail += f", {topic.confidence:.0%} recalled lately"
    return f"- [{mark}] {_inline(topic.topic.name)}: {topic.progress:.0%} ({detail})"


def _milestone_line(status: MilestoneStatus) -> str:
    milestone = status.milestone
    if status.met:
        return f"- [x] {_inline(milestone.name)}: lab {milestone.lab}, met {status.day} (run {status.run_id})"
    return f"- [ ] {_inline(milestone.name)}: lab {milestone.lab}, still to pass: {', '.join(status.missing)}"


def _inline(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")


def progress_dict(progress: Progress) -> dict:
    return {
        "overall": round(progress.overall, 4),
        "mastered_topics": progress.mastered,
        "topics_total": len(progress.topics),
        "cards": _shares(progress.cards),
        "plan": progress.plan_source,
        "domains": [
            {"id": d.id, "name": d.name, "weight": d.weight, "progress": round(d.progress, 4),
             "topics": [t.topic.id for t in d.topics]}
            for d in progress.domains
        ],
        "topics": [_topic_dict(topic) for topic in progress.topics],
        "gaps_total": progress.gap_total,
        "gaps": [{"kind": g.kind, "text": g.text, "card": g.card_id, "topic": g.topic, "lab": g.lab}
                 for g in progress.gaps],
        "next": None if progress.next_step is None else {
            "topic": progress.next_step.topic, "why": progress.next_step.why, "action": progress.next_step.action},
    }


def _topic_dict(topic: TopicProgress) -> dict:
    return {
        "id": topic.topic.id, "name": topic.topic.name, "domain": topic.topic.domain,
        "progress": round(topic.progress, 4), "mastered": topic.mastered, "cards": _shares(topic.cards),
        "due": topic.due,
        "confidence": None if topic.confidence is None else round(topic.confidence, 4),
        "mean_ef": None if topic.mean_ef is None else round(topic.mean_ef, 2),
        "milestones": [
            {"id": s.milestone.id, "name": s.milestone.name, "lab": s.milestone.lab, "met": s.met,
             "run": s.run_id, "day": s.day.isoformat() if s.day else None, "missing": list(s.missing)}
            for s in topic.milestones
        ],
    }


def _shares(shares) -> dict:
    return {"total": shares.total, "new": shares.new, "young": shares.young, "mature": shares.mature}


def statistics_dict(stats: Statistics) -> dict:
    return {
        "today": stats.today.isoformat(),
        "answers": stats.answers,
        "calendar": [[day.isoformat(), count] for day, count in stats.calendar if count],
        "forecast": [[day.isoformat(), count] for day, count in stats.forecast],
        "retention": {
            "young": {"passed": stats.young.passed, "total": stats.young.total, "rate": _rate(stats.young.rate)},
            "mature": {"passed": stats.mature.passed, "total": stats.mature.total, "rate": _rate(stats.mature.rate)},
        },
        "ef_histogram": [[low, count] for low, count in stats.ef_histogram],
        "minutes": [[day.isoformat(), minutes] for day, minutes in stats.minutes],
        "buttons": {str(grade): count for grade, count in stats.buttons},
        "hardest": [{"card": f.id, "question": f.question, "lapses": f.lapses, "ef": f.ef} for f in stats.hardest],
        "lab_checks": [[day.isoformat(), runs, passed] for day, runs, passed in stats.lab_checks],
    }


def _rate(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)
