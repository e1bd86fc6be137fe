"""Commands that open the review app, and the session log."""

from __future__ import annotations

import gc

import click

from studyterm.cli.context import Context, json_option, pass_context
from studyterm.cli.output import echo, emit_json
from studyterm.layout import CollectionNotFoundError, Layout, init_collection, sample_home
from studyterm.render.text import duration, plural
from studyterm.session import WORKSHEET
from studyterm.store.records import SessionRow


def open_app(context: Context, start=None, as_json: bool = False) -> None:
    """Run the Textual app (imported only here: the other commands never load Textual)."""
    notices = []
    try:
        layout = context.layout
    except CollectionNotFoundError:
        if context.collection_dir:
            raise
        layout = _sample_layout()
        notices.append(f"No collection here, so this is the sample collection in {layout.root}.")
    context.collection_dir = str(layout.root)
    from studyterm.tui import preferences
    from studyterm.tui.app import make_app

    app = make_app(
        context.collection, start=start, notices=notices, preferences_path=preferences.default_path()
    )
    if context.collection.store.has_pictures():
        from studyterm.tui.widgets.pictures import ask_terminal

        ask_terminal()  # Kitty or Sixel? Asked before Textual owns the terminal.
    # What is loaded now lives as long as the app: keep the garbage collector from rescanning it
    # during start-up (about 30 ms to the first question on this project's machine).
    gc.freeze()
    app.run()
    _exit_like_the_app(app)
    if as_json:
        summary = app.last_summary
        emit_json({"session": summary.to_dict() if summary else None})


def _exit_like_the_app(app) -> None:
    """A signal that ended the app gives 128 + its number; an unexpected error one line (its
    traceback is in the error log) and status 1. Textual itself would exit 0 after printing a
    long traceback."""
    if app.ending.exit_status is not None:
        click.get_current_context().exit(app.ending.exit_status)
    if app.return_code:
        failure = app.failure
        if failure is None:
            raise click.ClickException("the review app stopped on an unexpected error")
        raise click.ClickException(
            f"the review app stopped on an unexpected error: {failure.summary} ({failure.details()})"
        )


def _sample_layout() -> Layout:
    home = sample_home()
    if not (home / "concepts").is_dir():
        init_collection(home, sample=True)
    return Layout(home)


@click.command()
@click.option("--deck", help="Only this deck and its sub-decks.")
@click.option(
    "--mode",
    type=click.Choice(["flash", "typed", "choice"]),
    default="flash",
    show_default=True,
    help="flash: reveal and grade yourself; typed: type the answer; choice: pick among four.",
)
@json_option
@pass_context
def review(context: Context, deck: str | None, mode: str, as_json: bool) -> None:
    """Open the review app straight into a session (with --json, print its summary after)."""
    from studyterm.quiz import Mode
    from studyterm.tui.app import StartSession

    if deck:
        _check_deck(context, deck)
    open_app(context, StartSession(deck, Mode(mode)), as_json)


def _check_deck(context: Context, deck: str) -> None:
    """An unknown deck is an error that names it, not an empty session ("Nothing due")."""
    try:
        collection = context.collection
    except CollectionNotFoundError:
        return  # the sample collection is opened later; its decks are known then
    if not collection.store.ever_synced():
        collection.sync()
    names = collection.deck_names()
    if deck.strip("/") not in names:
        known = ", ".join(name for name in names if "/" not in name) or "none yet"
        raise click.ClickException(f"no deck named {deck!r} in {collection.layout.root} (decks: {known})")


@click.command()
@click.option("--limit", type=click.IntRange(min=1), help="Only the newest N sessions.")
@json_option
@pass_context
def log(context: Context, limit: int | None, as_json: bool) -> None:
    """Print the study-session log as Markdown (newest first), as learners keep one by hand."""
    sessions = context.collection.sessions(limit)
    if as_json:
        emit_json([session_dict(s) for s in sessions])
        return
    echo(log_markdown(sessions))


def session_dict(session: SessionRow) -> dict:
    """A session as `log --json` documents it (docs/cli.md): every key, finished or not."""
    return {
        "id": session.id,
        "started_at": session.started_at.isoformat(timespec="seconds"),
        "ended_at": session.ended_at.isoformat(timespec="seconds") if session.ended_at else None,
        "mode": session.mode,
        "deck": session.deck,
        "complete": False,
        **session.summary,
    }


def log_markdown(sessions: list[SessionRow]) -> str:
    lines = ["# Study log", ""]
    if not sessions:
        lines.append("No sessions yet: run `studyterm` and review a few cards.")
    for session in sessions:
        lines += _session_markdown(session)
    return "\n".join(lines).rstrip() + "\n"


def _session_markdown(session: SessionRow) -> list[str]:
    summary = session.summary
    start = session.started_at
    end = session.ended_at
    span = f"{start:%Y-%m-%d %a %H:%M}" + (f"–{end:%H:%M}" if end else " (not finished)")
    minutes = f" ({duration(round((end - start).total_seconds() * 1000))})" if end else ""
    early = " · ended early" if end and summary and not summary.get("complete", True) else ""
    lines = [f"## {span}{minutes} · {session.mode} · {session.deck or 'all decks'}{early}", ""]
    if summary:
        lines.append(
            f"- {plural(summary.get('answers', 0), 'answer')} on {plural(summary.get('cards', 0), 'card')}, "
            f"{summary.get('accuracy', 0):.0%} graded 3 or more, {duration(summary.get('time_ms', 0))} on cards"
        )
        if summary.get("decks"):
            lines.append(f"- decks: {', '.join(summary['decks'])}")
        if summary.get("notes"):
            lines.append(f"- notes: {', '.join(summary['notes'])}")
        watch = summary.get("watchlist") or []
        if watch:
            items = "; ".join(f"{' '.join(w['question'].split())} (failed {w['failures']}×)" for w in watch)
            lines.append(f"- watchlist: {items}")
        worksheet = summary.get("worksheet") or {}
        if worksheet:
            lines += ["", "Worksheet:", ""]
            lines += [f"- {question}{'' if question.endswith('?') else ':'} {' '.join(str(worksheet[key]).split())}"
                      for key, question in WORKSHEET if worksheet.get(key)]
    lines.append("")
    return lines


COMMANDS = [review, log]
