"""A lab: its description, its holes with their state (an exercise lab), its parameters, a Run
action with live progress, log and loss curve, the result against the targets, and the
previous runs.

The lab runs in its own process through the labs API, from a thread worker; its events come
back as messages. Keys: ctrl+r runs (asking a prediction first when the parameters call for
one), c runs the checks only, s starts the exercise, e / E edit the selected hole, h reveals a
hint, d compares a passing hole with the reference, u undoes a run's feedback."""

from __future__ import annotations

import threading

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Header, Input, Label, Markdown, Select, Static

from studyterm.authoring.files import NoteError
from studyterm.labs import HoleChecked, LabError, LabParamError, LabSpec, RunEvent, RunReport
from studyterm.tui.widgets.lab_holes import HolesPanel
from studyterm.tui.widgets.lab_run_panel import RunPanel
from studyterm.tui.widgets.more_below import MoreBelow


def param_field(name: str, param) -> Input | Select:
    """A parameter's field: its choices in a Select when it has them, else free text."""
    if param.choices:
        options = [(str(choice), str(choice)) for choice in param.choices]
        return Select(options, value=str(param.default), allow_blank=False, id=f"param-{name}",
                      classes="param", compact=True)
    return Input(str(param.default), id=f"param-{name}", classes="param")


def param_value(field: Input | Select) -> str:
    return str(field.value)


class LabEvent(Message):
    def __init__(self, event: RunEvent) -> None:
        super().__init__()
        self.event = event


class LabFinished(Message):
    def __init__(self, report: RunReport | None, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error


class LabScreen(Screen):
    BINDINGS = [
        Binding("ctrl+r", "run", "Run", priority=True),
        Binding("c", "check", "Check"),
        Binding("s", "start", "Start", show=False),
        Binding("e", "edit", "Edit hole"),
        Binding("E", "edit_here", "Edit here", show=False),
        Binding("h", "hint", "Hint"),
        Binding("d", "diff", "Diff"),
        Binding("f", "first_failing", "First failing", show=False),
        Binding("u", "undo", "Undo run"),
        Binding("escape", "cancel_or_back", "Stop / back"),
    ]

    def __init__(self, lab_id: str, card_id: str | None = None, hole: str | None = None) -> None:
        super().__init__()
        self.lab_id = lab_id
        self.card_id = card_id
        self.hole = hole
        self.labs = None
        self.spec: LabSpec | None = None
        self.cancel: threading.Event | None = None

    @property
    def running(self) -> bool:
        return self.cancel is not None

    @property
    def series(self) -> dict[str, list[tuple[int, float]]]:
        return self.query_one(RunPanel).series

    def compose(self) -> ComposeResult:
        self.labs = self.app.labs
        self.spec = self.labs.spec(self.lab_id)
        spec = self.spec
        yield Header()
        with Horizontal(id="lab"):
            with VerticalScroll(id="lab-setup"):
                yield Static(f"[b]{spec.title}[/b]\n[dim]lab {spec.id}"
                             + (" · an exercise" if spec.is_exercise else " · a demo lab")
                             + "[/dim]", id="lab-title")
                if spec.is_exercise:
                    yield HolesPanel(spec, id="lab-holes-panel")
                targets = " · ".join(target.display for target in spec.targets) or "none"
                yield Static(f"[b]Targets[/b]  {targets}", id="lab-targets")
                yield Label("[b]Parameters[/b] (change, then ctrl+r to run)")
                for name, param in spec.params.items():
                    yield Label(f"{name}  [dim]{param.help}[/dim]", classes="param-label")
                    yield param_field(name, param)
                if spec.is_exercise:
                    yield Checkbox("Run the reference solution (exploration)", id="lab-reference")
                yield Markdown(spec.description, id="lab-description")
                yield MoreBelow("parameters", id="lab-setup-more")
            yield RunPanel(spec, id="lab-run")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"lab {self.lab_id}" + (f" · from card {self.card_id}" if self.card_id else "")
        self.query_one(RunPanel).status(self._idle_text())
        self.refresh_state()
        if self.spec.is_exercise:
            self.query_one("#lab-holes").focus()
            if self.hole:
                self.query_one(HolesPanel).select(self.hole)

    def _idle_text(self) -> str:
        linked = len(self.labs.linked_cards(self.lab_id))
        cards = f"{linked} card{'s' if linked != 1 else ''}"
        if not self.spec.is_exercise:
            return f"Ready. A demo lab: its runs never change a card ({cards} link it)."
        return (f"Ready. Only a run of your code at the default parameters changes its {cards}; "
                "anything else is exploration.")

    def refresh_state(self) -> None:
        """Redraw the holes' states and the previous runs from the store."""
        if self.spec.is_exercise:
            self.query_one(HolesPanel).show(self.labs.exercise_state(self.lab_id),
                                            self.labs.hole_results(self.lab_id),
                                            self.labs.hints_revealed(self.lab_id))
        self.query_one(RunPanel).fill_runs(self.labs.runs(self.lab_id, limit=50))

    # -- running ----------------------------------------------------------------------------

    def action_run(self) -> None:
        if self.running:
            self.notify("The lab is already running (Esc stops it).", timeout=3)
            return
        try:
            params = self._params()
        except LabParamError as error:
            self.notify(str(error), severity="error")
            return
        if self.spec.is_exercise and not self._reference() and not self.labs.workspace(self.lab_id).exists:
            self.notify("Start the exercise first (s), or tick “Run the reference solution”.", timeout=5)
            return
        self._ask(self.labs.predictions_for(self.lab_id, params), params, {})

    def _ask(self, asked: list, params: dict, predicted: dict[str, int]) -> None:
        """Ask each prediction the run calls for, one after another, then run."""
        from studyterm.tui.screens.lab_dialogs import PredictionDialog

        if not asked:
            self._start("Running", params, predicted=predicted)
            return
        first, rest = asked[0], asked[1:]

        def answered(choice: int | None) -> None:
            self._ask(rest, params, predicted if choice is None else {**predicted, first.id: choice})

        warning = ""
        holes = self.query_one(HolesPanel).states if self.spec.is_exercise else {}
        if not self._reference() and any(state != "passing" for state in holes.values()):
            warning = ("Your holes do not all pass yet, so the lab will not train and this run "
                       "cannot answer: tick “Run the reference solution” to explore with it.")
        self.app.push_screen(PredictionDialog(first, warning), answered)

    def action_check(self) -> None:
        if not self.spec.is_exercise:
            self.notify("A demo lab has no holes to check.", timeout=3)
        elif not self.running:
            self._start("Checking", None, check=True)

    def _start(self, what: str, params: dict | None, check: bool = False,
               predicted: dict[str, int] | None = None) -> None:
        self.cancel = threading.Event()
        self.query_one(RunPanel).starting(what)
        self.run_lab(params, self.cancel, check, self._reference(), predicted or {})

    def _params(self) -> dict[str, object]:
        return {name: param.coerce(param_value(self.query_one(f"#param-{name}")))
                for name, param in self.spec.params.items()}

    def _reference(self) -> bool:
        return self.spec.is_exercise and self.query_one("#lab-reference", Checkbox).value

    @work(thread=True, exclusive=True, exit_on_error=False, group="lab")
    def run_lab(self, params: dict | None, cancel: threading.Event, check: bool, reference: bool,
                predicted: dict[str, int]) -> None:
        def post(event: RunEvent) -> None:
            self.post_message(LabEvent(event))

        try:
            if check:
                report = self.labs.check(self.lab_id, reference=reference, on_event=post, cancel=cancel)
            else:
                report = self.labs.run(self.lab_id, params, reference=reference, card_id=self.card_id,
                                       on_event=post, cancel=cancel, predicted=predicted)
        except LabError as error:
            self.post_message(LabFinished(None, str(error)))
            return
        self.post_message(LabFinished(report))

    def on_lab_event(self, message: LabEvent) -> None:
        if isinstance(message.event, HoleChecked) and self.spec.is_exercise and not self._reference():
            self.query_one(HolesPanel).checked(message.event)
        self.query_one(RunPanel).event(message.event)

    def on_lab_finished(self, message: LabFinished) -> None:
        self.cancel = None
        panel = self.query_one(RunPanel)
        if message.error:
            panel.status(f"[b $error]Could not run:[/] {message.error}")
            return
        panel.finished(message.report)
        self.refresh_state()
        if self.spec.is_exercise and message.report.run.learner:
            self.action_first_failing()

    def action_cancel_or_back(self) -> None:
        if self.running:
            self.cancel.set()
            self.query_one(RunPanel).status("[b]Stopping…[/b]")
        else:
            self.app.pop_screen()

    @on(Input.Submitted, ".param")
    def run_from_input(self) -> None:
        self.action_run()

    # -- the exercise -------------------------------------------------------------------------

    def action_start(self) -> None:
        if not self.spec.is_exercise or self.labs.workspace(self.lab_id).exists:
            return
        try:
            workspace, files = self.labs.start(self.lab_id)
        except LabError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"Wrote workspace/{self.lab_id}/ ({', '.join(files)}). Select a hole and "
                    "press e to write it.", timeout=6)
        self.refresh_state()

    def _hole(self) -> str | None:
        """The selected hole, with a word to the learner when there is none to act on."""
        if not self.spec.is_exercise:
            self.notify("A demo lab has no holes.", timeout=3)
            return None
        if not self.labs.workspace(self.lab_id).exists:
            self.notify("Start the exercise first: press s.", timeout=4)
            return None
        return self.query_one(HolesPanel).selected

    def _place(self, name: str) -> tuple[str, int]:
        """Where to open a hole: the failing line its checks reported, else its first line."""
        workspace = self.labs.workspace(self.lab_id)
        result = self.query_one(HolesPanel).results.get(name) or {}
        where = result.get("where", "")
        file, _, line = where.rpartition(":")
        if result.get("status") != "passed" and file and line.isdigit() and (workspace.path / file).is_file():
            return file, int(line)
        hole = workspace.hole(name)
        if hole is not None:
            return hole.file, hole.code_line
        return self.spec.holes[name].file, 1

    def action_edit(self) -> None:
        name = self._hole()
        if name is None:
            return
        file, line = self._place(name)
        error = self.app.editor(self.app, self.labs.workspace(self.lab_id).path / file, line)
        if error:
            self.notify(error, severity="error")
        self.refresh_state()

    def action_edit_here(self) -> None:
        from studyterm.tui.screens.code_editor import CodeEditorScreen

        name = self._hole()
        if name is None:
            return
        file, line = self._place(name)
        root = self.app.collection.layout.root
        relative = (self.labs.workspace(self.lab_id).path / file).relative_to(root).as_posix()
        try:
            editor = CodeEditorScreen(root, relative, line)
        except NoteError as error:
            self.notify(str(error), title="Cannot open the file", severity="error")
            return
        self.app.push_screen(editor, lambda _saved: self.refresh_state())

    def action_hint(self) -> None:
        name = self._hole()
        if name is None:
            return
        shown, hints = self.labs.hint(self.lab_id, name)
        panel = self.query_one(HolesPanel)
        if panel.hints.get(name, 0) == shown:
            self.notify("That was the last hint.", timeout=3)
        panel.hints[name] = shown
        panel.show_detail()

    def action_diff(self) -> None:
        from studyterm.tui.screens.lab_dialogs import HoleDiffScreen

        name = self._hole()
        if name is None:
            return
        if self.query_one(HolesPanel).states.get(name) != "passing":
            self.notify("The reference stays hidden until this hole passes.", timeout=4)
            return
        self.app.push_screen(HoleDiffScreen(self.labs.diff(self.lab_id, name)))

    def action_first_failing(self) -> None:
        panel = self.query_one(HolesPanel)
        name = panel.first_failing()
        if name is not None:
            panel.select(name)

    def action_undo(self) -> None:
        run_id = self.query_one(RunPanel).selected_run()
        if run_id is None or self.running:
            return
        report = self.labs.undo_run(run_id)
        if not report.undone and not report.kept:
            self.notify(f"Run #{run_id} changed no card (or its changes are undone).", timeout=4)
        else:
            kept = f"; {len(report.kept)} kept (answered since)" if report.kept else ""
            self.notify(f"Undid run #{run_id} on {len(report.undone)} card"
                        f"{'s' if len(report.undone) != 1 else ''}{kept}.", timeout=5)
        self.refresh_state()
