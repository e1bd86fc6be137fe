"""Migrations import sqlite-utils without the pandas and numpy it would pull in."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

_CHILD = textwrap.dedent(
    """
    import importlib.util, json, sys
    from pathlib import Path
    from studyterm.store import Store

    installed = [name for name in ("pandas", "numpy") if importlib.util.find_spec(name)]
    Store.open(Path(sys.argv[1]) / "studyterm.db").close()
    loaded = [name for name in ("pandas", "numpy") if name in sys.modules]
    importable = [name for name in installed if __import__(name)]
    import sqlite_utils.db
    print(json.dumps({"loaded": loaded, "installed": installed, "importable": importable,
                      "sqlite_utils_pd": sqlite_utils.db.pd is None}))
    """
)


def test_creating_a_database_does_not_import_pandas_or_numpy(tmp_path):
    """A fresh interpreter, as on a first start: sqlite-utils would import both when they are
    installed (~0.5 s); afterwards both still import normally."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tmp_path)], capture_output=True, text=True, timeout=120, check=True
    )
    found = json.loads(done.stdout)
    assert found["loaded"] == []
    assert found["importable"] == found["installed"]
    assert found["sqlite_utils_pd"] is True
    assert (tmp_path / "studyterm.db").exists()
