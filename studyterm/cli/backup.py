"""Commands that keep the review history safe: backup, restore (store/backups.py does the work)."""

from __future__ import annotations

import click

from studyterm.cli.context import Context, json_option, pass_context
from studyterm.cli.output import echo, emit_json, plural
from studyterm.store import backups
from studyterm.store.backups import Backup, BackupError


@click.command()
@json_option
@pass_context
def backup(context: Context, as_json: bool) -> None:
    """Back the database up now, into .studyterm/backups/.

    One is also made automatically on the first use of each study day; the newest
    `[backups] keep` (studyterm.toml, 7 by default) are kept. `studyterm restore` lists them."""
    collection = context.collection
    before = {b.path for b in backups.list_backups(collection.layout.db_path, replaced=False)}
    made = context.auto_backup or collection.backup()  # the day's first use just made one
    removed = sorted(before - {b.path for b in backups.list_backups(collection.layout.db_path, replaced=False)})
    if as_json:
        emit_json({"backup": backup_dict(made), "removed": [path.name for path in removed]})
        return
    echo(f"Backed up to {made.path} ({made.size / 1e6:.1f} MB)")
    if removed:
        echo(f"removed the oldest: {', '.join(path.name for path in removed)}")


@click.command()
@click.argument("name", metavar="[BACKUP]", required=False)
@json_option
@pass_context
def restore(context: Context, name: str | None, as_json: bool) -> None:
    """List the backups, or put BACKUP (a name from the list, or a file) in place of the database.

    The backup is checked in full first (PRAGMA integrity_check); the database it replaces is
    kept beside the backups as replaced-<time>.db, so a restore can be undone the same way.
    Refused while the review app or another studyterm has the collection open."""
    db = context.layout.db_path
    try:
        if name is None:
            _list(db, as_json)
            return
        restored = backups.restore(db, backups.find(db, name), context.clock())
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot restore into {db.parent}: {error.strerror or error}") from None
    if as_json:
        emit_json({
            "restored": backup_dict(restored.backup),
            "cards": restored.contents.cards,
            "reviews": restored.contents.reviews,
            "kept_aside": str(restored.kept_aside) if restored.kept_aside else None,
        })
        return
    echo(
        f"Restored {restored.backup.name} ({plural(restored.contents.cards, 'card')}, "
        f"{plural(restored.contents.reviews, 'review')}) as {db}"
    )
    if restored.kept_aside:
        echo(f"The database it replaced is kept as {restored.kept_aside}")
    echo("Run `studyterm sync` to bring in note edits made since the backup.")


def _list(db, as_json: bool) -> None:
    found = backups.list_backups(db)
    contents = {backup.path: backups.describe(backup.path) for backup in found}
    if as_json:
        emit_json({
            "database": str(db),
            "backups": [
                {**backup_dict(b), **({"cards": c.cards, "reviews": c.reviews} if (c := contents[b.path]) else
                                      {"cards": None, "reviews": None})}
                for b in found
            ],
        })
        return
    if not found:
        echo(f"No backups yet in {backups.folder(db)} (`studyterm backup` makes one).")
        return
    echo(f"Backups of {db}, newest first (`studyterm restore NAME` puts one back):")
    for backup in found:
        held = contents[backup.path]
        what = (f"{plural(held.cards, 'card')}, {plural(held.reviews, 'review')}" if held
                else "unreadable")
        note = "  (the database a restore replaced)" if backup.replaced else ""
        echo(f"  {backup.name}  {backup.size / 1e6:6.1f} MB  {what}{note}")


def backup_dict(backup: Backup) -> dict:
    return {
        "name": backup.name,
        "path": str(backup.path),
        "taken": backup.taken.isoformat(timespec="seconds"),
        "size": backup.size,
        "replaced": backup.replaced,
    }


COMMANDS = [backup, restore]
