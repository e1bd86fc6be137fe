"""The `studyterm fsrs` group: the scheduler in use, fitting FSRS to the learner's log, and the
evidence to choose between SM-2 and FSRS (docs/scheduling.md)."""

from __future__ import annotations

import click

from studyterm.cli.context import Context, json_option, pass_context
from studyterm.cli.output import echo, emit_json


class FsrsGroup(click.Group):
    """Turns the fitting errors (too few reviews, the optimizer failing) into one-line messages."""

    def invoke(self, ctx: click.Context):
        from studyterm.fitting.runner import FitError
        from studyterm.fitting.service import NotEnoughReviewsError
        from studyterm.scheduling import FsrsParametersError

        try:
            return super().invoke(ctx)
        except (FitError, NotEnoughReviewsError, FsrsParametersError) as error:
            raise click.ClickException(str(error)) from None


@click.group(name="fsrs", cls=FsrsGroup)
def fsrs() -> None:
    """FSRS, the optional second scheduler: fit it to your reviews and compare it with SM-2.

    Choose the scheduler with `[review] scheduler = "fsrs"` in studyterm.toml; switching either
    way keeps all history.
    """


def _progress(done: int, total: int) -> None:
    """Epoch progress on stderr (stdout stays clean for --json)."""
    echo(f"optimizing: epoch {done}/{total}", err=True)


def _cards(context: Context) -> list:
    from studyterm.store.scheduling import all_events

    return list(all_events(context.collection.store))


@fsrs.command()
@json_option
@pass_context
def status(context: Context, as_json: bool) -> None:
    """Which scheduler sets due dates, the FSRS settings, and the last fit."""
    scheduling = context.collection.scheduling
    settings = scheduling.fsrs_settings()
    shape = {
        "scheduler": scheduling.name,
        "desired_retention": settings.desired_retention,
        "parameters": "default" if settings.is_default else "optimized",
        "values": list(settings.parameters),
        "last_fit": scheduling.last_fit(),
    }
    if as_json:
        emit_json(shape)
        return
    echo(f"scheduler {shape['scheduler']}; FSRS desired retention {settings.desired_retention:.2f}, "
         f"{shape['parameters']} parameters")
    fit = shape["last_fit"]
    if fit:
        echo(f"last fit {fit['fitted_at']} on {fit['train_reviews']} reviews before {fit['train_until']}: "
             f"held-out log loss {fit['log_loss_before']:.4f} -> {fit['log_loss_after']:.4f}")


@fsrs.command()
@json_option
@pass_context
def optimize(context: Context, as_json: bool) -> None:
    """Fit FSRS's parameters to your reviews (py-fsrs's optimizer, in its own process).

    The newest fifth of the reviews is held out: the fit learns from the rest, and the log loss
    on the held-out reviews is shown with the default parameters and with the fitted ones. The
    fitted parameters are kept in the collection (`fsrs reset` forgets them)."""
    from studyterm.fitting.service import evaluate

    collection = context.collection
    result = evaluate(_cards(context), collection.config.desired_retention, _progress)
    if result.fitted_parameters is None:
        raise click.ClickException(f"not optimized: {result.not_fitted}")
    before, after = result.fsrs_default, result.fsrs_fitted
    report = {
        "fitted_at": collection.now().isoformat(timespec="seconds"),
        "train_until": result.split.start.isoformat(),
        "train_reviews": len(result.split.train),
        "held_out_reviews": after.reviews,
        "log_loss_before": round(before.log_loss, 4),
        "log_loss_after": round(after.log_loss, 4),
        "rmse_bins_before": round(before.rmse_bins, 4),
        "rmse_bins_after": round(after.rmse_bins, 4),
        "optimizer_seconds": round(result.fit_seconds or 0, 1),
    }
    collection.scheduling.set_parameters(result.fitted_parameters, report)
    if as_json:
        emit_json({**report, "parameters": list(result.fitted_parameters)})
        return
    echo(f"fitted on {report['train_reviews']} reviews before {report['train_until']} "
         f"in {report['optimizer_seconds']} s")
    echo(f"held-out log loss ({after.reviews} reviews): default {before.log_loss:.4f}, "
         f"fitted {after.log_loss:.4f} (lower is better)")
    echo("the fitted parameters are kept in the collection"
         + ("" if collection.scheduling.uses_fsrs else "; FSRS schedules once `[review] scheduler = \"fsrs\"`"))


@fsrs.command()
@click.option("--no-optimize", is_flag=True, help="Skip fitting (the slow part): SM-2 and default FSRS only.")
@json_option
@pass_context
def evaluate(context: Context, no_optimize: bool, as_json: bool) -> None:
    """Which scheduler predicts your memory better: SM-2, FSRS with default parameters, and
    FSRS fitted to your past reviews, each scored on your newest fifth of reviews (log loss,
    RMSE (bins) and AUC, as srs-benchmark defines them)."""
    from studyterm.fitting.service import evaluate as run_evaluation

    collection = context.collection
    result = run_evaluation(_cards(context), collection.config.desired_retention,
                            _progress, optimize=not no_optimize)
    shape = result.to_dict()
    if as_json:
        emit_json(shape)
        return
    echo(f"trained on {shape['train_reviews']} reviews before {shape['train_until']}; "
         f"scored on the reviews since")
    echo(f"{'model':<16} {'reviews':>7} {'log loss':>9} {'RMSE(bins)':>10} {'AUC':>6}")
    for name, scores in shape["models"].items():
        if scores is None:
            echo(f"{name:<16} not fitted: {shape['not_optimized']}")
            continue
        auc = "-" if scores["auc"] is None else f"{scores['auc']:.4f}"
        echo(f"{name:<16} {scores['reviews']:>7} {scores['log_loss']:>9.4f} "
             f"{scores['rmse_bins']:>10.4f} {auc:>6}")
    echo(f"best (lowest log loss): {shape['best']}")


@fsrs.command()
@click.argument("scheduler", type=click.Choice(["sm2", "fsrs"]))
@click.option("--retention", type=click.FloatRange(0.7, 0.97), help="FSRS's desired retention (0.7-0.97).")
@json_option
@pass_context
def use(context: Context, scheduler: str, retention: float | None, as_json: bool) -> None:
    """Schedule with SCHEDULER from now on (sets `[review] scheduler` in studyterm.toml).

    Every card's due date is rewritten at once: SM-2's own, or FSRS's from replaying the log.
    Nothing is lost either way; switching back restores the other scheduler's dates exactly."""
    collection = context.collection
    redated = collection.use_scheduler(scheduler, retention)
    shape = {"scheduler": scheduler, "desired_retention": collection.config.desired_retention,
             "redated": redated, "due_today": collection.counts().review}
    if as_json:
        emit_json(shape)
        return
    echo(f"scheduling with {scheduler}" + (" (due dates rewritten)" if redated else " (already in use)")
         + f"; {shape['due_today']} reviews due today")


@fsrs.command()
@json_option
@pass_context
def reset(context: Context, as_json: bool) -> None:
    """Forget the fitted parameters: FSRS goes back to py-fsrs's defaults."""
    scheduling = context.collection.scheduling
    had = scheduling.has_fitted_parameters()
    scheduling.set_parameters(None, None)
    if as_json:
        emit_json({"reset": had})
        return
    echo("FSRS parameters reset to the defaults" if had else "FSRS already uses the default parameters")


COMMANDS = [fsrs]
