"""Commands about cards: due, answer, card, undo, suspend, unsuspend, bury, unbury, flag, unflag."""

from __future__ import annotations

import click

from studyterm.cli.context import Context, Seconds, json_option, pass_context
from studyterm.cli.output import echo, emit_json, one_line, plural
from studyterm.collection import front_and_back
from studyterm.render.text import GRADE_NAMES
from studyterm.schedule.review import AnswerKind
from studyterm.shapes import card_dict, counts_dict, history_list, review_dict
from studyterm.sync import SyncReport


def _quiet_sync(context: Context) -> None:
    report: SyncReport = context.collection.sync()
    if report.errors:
        echo(
            f"warning: {plural(len(report.errors), 'problem')} in your notes; "
            "run `studyterm sync` to see them",
            err=True,
        )


@click.command()
@click.option("--deck", help="Only this deck and its sub-decks (e.g. dlfs2 or dlfs2/ch01).")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many cards.")
@click.option("--no-sync", is_flag=True, help="Do not read changed notes first.")
@json_option
@pass_context
def due(context: Context, deck: str | None, limit: int | None, no_sync: bool, as_json: bool) -> None:
    """List today's queue in order: due reviews, new cards, then same-day repeats."""
    if not no_sync:
        _quiet_sync(context)
    collection = context.collection
    day = collection.today()
    entries = collection.queue(deck, limit)
    cards = collection.cards([e.card_id for e in entries])
    counts = collection.counts(deck)
    if as_json:
        emit_json({
            "day": day.isoformat(),
            "deck": deck,
            "counts": counts_dict(counts),
            "cards": [
                {
                    "id": card.id,
                    "queue": entry.kind.value,
                    "deck": card.deck,
                    "question": front_and_back(card)[0],
                    "due": card.schedule.due.isoformat() if card.schedule.due else None,
                    "overdue_days": (day - card.schedule.due).days if card.schedule.due else None,
                }
                for entry, card in zip(entries, cards, strict=True)
            ],
        })
        return
    echo(
        f"{day}: {plural(counts.review, 'review')}, {counts.new} new, "
        f"{plural(counts.repeat, 'repeat')}"
    )
    for entry, card in zip(entries, cards, strict=True):
        echo(f"{card.id}  {entry.kind.value:<6}  {card.deck:<16}  {one_line(front_and_back(card)[0])}")


@click.command()
@click.argument("card_id", metavar="CARD")
@click.argument("grade", type=click.IntRange(0, 5))
@click.option("--duration", type=Seconds(min=0, max=86_400), help="Seconds spent on the card.")
@click.option("--source", type=click.Choice(["review", "quiz"]), default="review", show_default=True)
@click.option("--force", is_flag=True, help="Review a card that is not due yet (review ahead).")
@json_option
@pass_context
def answer(context: Context, card_id: str, grade: int, duration: float | None, source: str,
           force: bool, as_json: bool) -> None:
    """Grade CARD (an id or unique prefix) 0-5 on SM-2's scale and reschedule it.

    0 blackout, 1 wrong but recognised, 2 wrong but easy to recall once seen, 3 right with
    difficulty, 4 right after hesitation, 5 perfect. Below 4, the card comes back later today.
    """
    collection = context.collection
    duration_ms = round(duration * 1000) if duration is not None else None
    result = collection.answer(card_id, grade, duration_ms=duration_ms, source=source, force=force)
    if as_json:
        emit_json({"card": card_dict(result.card, collection.today()), "review": review_dict(result.entry)})
        return
    entry = result.entry
    label = f"{result.card.id} graded {grade} ({GRADE_NAMES[grade]})"
    if entry.kind == AnswerKind.REPEAT:
        again = result.card.schedule.owes_repeat(entry.day)
        echo(f"{label}: same-day repeat, " + ("again later today" if again else "done for today"))
        return
    if collection.scheduling.uses_fsrs:
        days = (entry.due_after - entry.day).days
        echo(f"{label}: FSRS: due {entry.due_after} (in {plural(days, 'day')})"
             + (", and again later today" if result.card.schedule.owes_repeat(entry.day) else ""))
        return
    echo(
        f"{label}: EF {entry.ef_before:.2f} -> {entry.ef_after:.2f}, "
        f"interval {plural(entry.interval_after, 'day')}, due {entry.due_after}"
        + (", and again later today" if result.card.schedule.owes_repeat(entry.day) else "")
    )


@click.command()
@click.argument("card_id", metavar="CARD")
@json_option
@pass_context
def card(context: Context, card_id: str, as_json: bool) -> None:
    """Show CARD's text, schedule and full review history."""
    collection = context.collection
    record = collection.card(card_id)
    history = collection.history(record.id)
    shape = card_dict(record, collection.today(), history)
    recall = collection.scheduling.recall(record, collection.today())
    shape["memory"] = recall.to_dict()
    if as_json:
        emit_json(shape)
        return
    echo(f"card {record.id}  [{shape['state']}]  deck {record.deck}")
    echo(f"note {record.note_path}:{record.line}" + (f"  lab {record.lab}" if record.lab else ""))
    echo(f"Q: {shape['question']}")
    echo(f"A: {shape['answer']}")
    flags = [name for name in ("suspended", "flagged", "retired") if shape[name]]
    echo(
        f"EF {shape['ef']:.2f}  interval {plural(shape['interval_days'], 'day')}  "
        f"repetitions {shape['repetitions']}  lapses {shape['lapses']}  due {shape['due'] or '-'}"
        + (f"  ({', '.join(flags)})" if flags else "")
    )
    echo(_recall_line(recall))
    if not history:
        echo("no reviews yet")
    for item in history_list(history):
        echo(_history_line(item))


def _recall_line(recall) -> str:
    fsrs = "FSRS -" if recall.fsrs_recall is None else (
        f"FSRS recall {recall.fsrs_recall:.0%}  stability {recall.fsrs_stability:.1f}d  "
        f"difficulty {recall.fsrs_difficulty:.1f}  due {recall.fsrs_due}")
    sm2 = "SM-2 -" if recall.sm2_recall is None else f"SM-2 recall {recall.sm2_recall:.0%}  due {recall.sm2_due}"
    first, second = (fsrs, sm2) if recall.scheduler == "fsrs" else (sm2, fsrs)
    return f"{first} (schedules)  |  {second}"


def _history_line(item: dict) -> str:
    when = item["ts"][:16].replace("T", " ")
    if item["kind"] == "undo":
        return f"  {item['id']:>5}  {when}  undo of review {item['undoes']}"
    undone = "  (undone)" if item["undone"] else ""
    if item["source"] == "lab":
        from studyterm.labs.feedback import lab_event_line  # the labs package loads only here

        return f"  {item['id']:>5}  {when}  {lab_event_line(item)}{undone}"
    return (
        f"  {item['id']:>5}  {when}  {item['source']:<6} {item['kind']:<9} grade {item['grade']}  "
        f"EF {item['ef_before']:.2f}->{item['ef_after']:.2f}  "
        f"interval {item['interval_before']}->{item['interval_after']}{undone}"
    )


@click.command()
@click.argument("card_id", metavar="CARD")
@json_option
@pass_context
def undo(context: Context, card_id: str, as_json: bool) -> None:
    """Undo CARD's latest answer, restoring its schedule exactly (the log keeps both entries)."""
    collection = context.collection
    record = collection.card(card_id)
    latest = collection.store.latest_effective_review(record.id)
    if latest is None:
        raise click.ClickException(f"card {record.id} has no answer to undo")
    result = collection.undo(latest)
    if as_json:
        emit_json({"card": card_dict(result.card, collection.today()), "review": review_dict(result.entry)})
        return
    echo(f"undid review {latest} of card {record.id}: due {result.card.schedule.due or 'as new'}")


def _bulk(name: str, help_text: str, action) -> click.Command:
    @click.command(name=name, help=help_text)
    @click.argument("card_ids", metavar="CARD...", nargs=-1, required=True)
    @json_option
    @pass_context
    def command(context: Context, card_ids: tuple[str, ...], as_json: bool) -> None:
        ids = action(context.collection, list(card_ids))
        if as_json:
            emit_json({name: ids})
        else:
            echo(f"{name}: {', '.join(ids)}")

    return command


COMMANDS = [
    due,
    answer,
    card,
    undo,
    _bulk("suspend", "Take cards out of every queue until unsuspended.", lambda c, ids: c.suspend(ids)),
    _bulk("unsuspend", "Put suspended cards back in the queue.", lambda c, ids: c.suspend(ids, False)),
    _bulk("bury", "Hide cards until tomorrow's study day starts.", lambda c, ids: c.bury(ids)),
    _bulk("unbury", "Bring buried cards back today.", lambda c, ids: c.unbury(ids)),
    _bulk("flag", "Mark cards for attention (browse and export can filter on it).", lambda c, ids: c.flag(ids)),
    _bulk("unflag", "Clear the flag.", lambda c, ids: c.flag(ids, False)),
]
