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
