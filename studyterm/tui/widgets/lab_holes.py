"""The holes of an exercise lab, with their state, and the selected hole's task, result and
the hints revealed so far. It only draws; the lab screen owns the actions (e, h, d, ...)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import DataTable, Static

from studyterm.labs import ExerciseState, HoleChecked, LabSpec

MARKS = {"passing": Text("✓", style="bold green"), "failing": Text("✗", style="bold red"),
         "not_started": Text("·", style="dim")}
WORDS = {"passing": "passing", "failing": "failing", "not_started": "not started"}
STATE_OF = {"passed": "passing", "failed": "failing", "not_started": "not_started"}


class HolesPanel(Vertical):
    def __init__(self, spec: LabSpec, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.states: dict[str, str] = dict.fromkeys(spec.holes, "not_started")
        self.results: dict[str, dict] = {}
        """Per hole, its newest result (HoleChecked.as_dict() shape)."""
        self.hints: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="lab-exercise")
        yield DataTable(id="lab-holes", cursor_type="row", zebra_stripes=True)
        yield Static(id="lab-hole-detail")

    def on_mount(self) -> None:
        table = self.query_one("#lab-holes", DataTable)
        for column in ("", "hole", "state", "checks"):
            table.add_column(column, key=column or "mark")
        for name, hole in self.spec.holes.items():
            table.add_row(MARKS["not_started"], hole.title, WORDS["not_started"], "", key=name)

    def show(self, state: ExerciseState, results: dict[str, dict], hints: dict[str, int]) -> None:
        """The learner's standing: started or not, each hole's newest result, changed holes."""
        self.results = dict(results)
        self.hints = dict(hints)
        self.states = dict(state.holes)
        for name in self.spec.holes:
            self._draw_row(name)
        if not state.started:
            text = ("[b]Not started.[/b] Press [b]s[/b] to copy the exercise into "
                    f"workspace/{self.spec.id}/ and write the holes yourself.")
        else:
            text = (f"[b]Your copy[/b] workspace/{self.spec.id}/ · "
                    f"[b]{state.passing}/{len(self.spec.holes)}[/b] holes passing")
        for change in state.changed:
            text += f"\n[$warning]{escape(change.text(self.spec.id))}[/]"
        self.query_one("#lab-exercise", Static).update(text)
        self.show_detail()

    def checked(self, hole: HoleChecked) -> None:
        """A hole's checks just ran (an event of the running lab)."""
        self.results[hole.name] = hole.as_dict()
        self.states[hole.name] = STATE_OF.get(hole.status, "not_started")
        self._draw_row(hole.name)
        if hole.name == self.selected:
            self.show_detail()

    @property
    def selected(self) -> str | None:
        table = self.query_one("#lab-holes", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def select(self, name: str) -> None:
        table = self.query_one("#lab-holes", DataTable)
        if name in self.spec.holes:
            table.move_cursor(row=table.get_row_index(name))
            self.show_detail()

    def first_failing(self) -> str | None:
        """The first hole whose checks fail, else the first not started."""
        for state in ("failing", "not_started"):
            for name in self.spec.holes:
                if self.states.get(name) == state:
                    return name
        return None

    def show_detail(self) -> None:
        name = self.selected
        if name is None:
            return
        hole = self.spec.holes[name]
        lines = [f"[b]{escape(hole.title)}[/b] [dim]{name} · {hole.file}[/dim]", escape(hole.task)]
        result = self.results.get(name)
        if result and result["status"] == "failed":
            where = f"{result['where']}: " if result.get("where") else ""
            lines.append(f"[$error]✗ {result['passed']}/{result['total']} checks[/] "
                         f"{escape(where + result['message'])}")
        elif result and result["status"] == "not_started":
            lines.append(f"[dim]Not started: write your code at {escape(result.get('where', ''))}.[/dim]")
        elif result and result["status"] == "passed":
            lines.append(f"[$success]✓ all {result['total']} checks pass[/] · [b]d[/b] compares "
                         "your code with the reference")
        shown = self.hints.get(name, 0)
        for number, hint in enumerate(hole.hints[:shown], start=1):
            lines.append(f"[b]Hint {number}[/b] {escape(hint)}")
        left = len(hole.hints) - shown
        keys = "[b]e[/b] edit in $EDITOR · [b]E[/b] edit here"
        lines.append(f"[dim]{keys} · [b]h[/b] hint ({left} left)[/dim]" if left else f"[dim]{keys}[/dim]")
        self.query_one("#lab-hole-detail", Static).update("\n".join(lines))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail()

    def _draw_row(self, name: str) -> None:
        table = self.query_one("#lab-holes", DataTable)
        state = self.states.get(name, "not_started")
        result = self.results.get(name)
        checks = f"{result['passed']}/{result['total']}" if result and state != "not_started" else ""
        table.update_cell(name, "mark", MARKS[state])
        table.update_cell(name, "state", WORDS[state])
        table.update_cell(name, "checks", checks)


def card_lab_markup(labs, link: str) -> str:
    """What tests a card, for its info screen: `Tested by hole affine_backward of lab
    ch01_spiral (Affine.backward): failing, 1/2 checks`, or the lab's holes for a card that
    links the whole lab."""
    from studyterm.labs import LabError
    from studyterm.notes.frontmatter import split_lab_link

    lab_id, name = split_lab_link(link)
    try:
        spec = labs.spec(lab_id)
    except LabError:
        return f"[$warning]Links lab {escape(link)}, which is not in labs/.[/]"
    if not spec.is_exercise:
        return f"Links the demo lab [b]{lab_id}[/b] (its runs never change a card)."
    state = labs.exercise_state(lab_id)
    results = labs.hole_results(lab_id)
    if name in spec.holes:
        return f"Tested by hole [b]{name}[/b] of lab {lab_id}: " + _hole_state(name, state, results)
    if name in spec.predictions:
        return (f"Asked as prediction [b]{name}[/b] of lab {lab_id}: "
                f"{escape(spec.predictions[name].question)}")
    if name is not None:
        return f"[$warning]Links {escape(link)}: lab {lab_id} has no hole or prediction {escape(name)}.[/]"
    holes = "\n".join(f"  {name}: {_hole_state(name, state, results)}" for name in spec.holes)
    started = "" if state.started else " (not started)"
    return (f"Tested by lab [b]{lab_id}[/b]{started}: {state.passing}/{len(spec.holes)} holes "
            f"passing, and its targets\n{holes}")


def _hole_state(name: str, state: ExerciseState, results: dict[str, dict]) -> str:
    word = state.holes.get(name, "not_started")
    result = results.get(name)
    checks = f", {result['passed']}/{result['total']} checks" if result and word != "not_started" else ""
    style = {"passing": "$success", "failing": "$error"}.get(word, "dim")
    return f"[{style}]{WORDS[word]}[/]{checks}"
