"""The core and CLI stay light: no torch (labs run in their own process), no Textual for the CLI."""

import subprocess
import sys


def imported_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(output.stdout.split())


def test_cli_imports_neither_torch_nor_textual():
    modules = imported_after("import studyterm.cli")
    assert "torch" not in modules
    assert "textual" not in modules


def test_core_modules_import_no_ui_and_no_torch():
    modules = imported_after(
        "import studyterm.collection, studyterm.sync, studyterm.store, studyterm.schedule.sm2"
    )
    assert not {"torch", "textual", "click"} & modules


def test_scheduler_is_pure():
    modules = imported_after("import studyterm.schedule.sm2, studyterm.schedule.review, studyterm.schedule.queue")
    assert not {m for m in modules if m.startswith("studyterm.store") or m == "sqlite3"}


def test_the_lab_runner_side_imports_neither_torch_nor_numpy_nor_textual():
    """torch (and numpy) are only ever imported inside a lab's own process."""
    modules = imported_after("import studyterm.labs, studyterm.labs.shapes, studyterm.cli.lab_commands")
    assert not {"torch", "numpy", "textual"} & modules


def test_the_cli_loads_the_labs_package_only_for_lab_commands():
    assert not {m for m in imported_after("import studyterm.cli") if m.startswith("studyterm.labs")}


def test_labkit_is_standard_library_only():
    """What a lab script imports, and what runs first in every lab process (the bootstrap that
    runs the checks): no numpy until a check helper needs it, nothing of studyterm's core."""
    modules = imported_after("from studyterm import labkit; import studyterm.labkit.bootstrap")
    assert not {m for m in modules if m.startswith("studyterm.") and not m.startswith("studyterm.labkit")}
    assert not {"torch", "numpy", "textual", "click", "sqlite3"} & modules


def test_writing_notes_is_core_code_without_textual():
    """Templates, saves, drafts, the preview, checks and the watcher: the CLI and the TUI share
    them, so none may import Textual (or load watchfiles before a watch starts)."""
    modules = imported_after(
        "import studyterm.authoring.files, studyterm.authoring.templates, studyterm.authoring.drafts, "
        "studyterm.authoring.preview, studyterm.authoring.check, studyterm.authoring.quick_add, "
        "studyterm.authoring.watch, studyterm.cli.authoring"
    )
    assert not {"torch", "textual", "watchfiles"} & modules


def test_a_plain_command_loads_only_its_own_module():
    modules = imported_after(
        "from click.testing import CliRunner; from studyterm.cli import cli; "
        "CliRunner().invoke(cli, ['sync', '--help'])"
    )
    assert "studyterm.cli.notes" in modules
    assert not {"studyterm.cli.interop", "studyterm.cli.authoring", "studyterm.cli.lab_commands"} & modules


def test_fsrs_scheduling_and_its_commands_never_import_torch():
    """The optimizer (torch) runs only in its own process (studyterm.fitting.worker)."""
    modules = imported_after(
        "import studyterm.scheduling, studyterm.schedule.fsrs, studyterm.schedule.evaluate, "
        "studyterm.fitting.service, studyterm.fitting.runner, studyterm.cli.fsrs"
    )
    assert not {"torch", "pandas", "textual", "fsrs.optimizer"} & modules


def test_fsrs_scheduling_is_pure():
    modules = imported_after("import studyterm.schedule.fsrs, studyterm.schedule.evaluate")
    assert not {m for m in modules if m.startswith("studyterm.store") or m == "sqlite3"}
