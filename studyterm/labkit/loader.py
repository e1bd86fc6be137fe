"""The learner's and the reference's code side by side in one process, each in isolation.

`CodeTree(folder).layers` imports `folder/layers.py` the way the lab's entry script would (its
`import optim` finds `folder/optim.py`), but keeps those modules out of `sys.modules` afterwards,
so a second tree over another folder imports its own copies. Modules are imported on first use.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from studyterm.labkit.markers import CHECKS_FILE


class CodeTree:
    """The top-level modules (and packages) of one folder, as attributes."""

    def __init__(self, folder: Path, label: str) -> None:
        self._folder = Path(folder).resolve()
        self._label = label
        self._names = module_names(self._folder)
        self._modules: dict[str, ModuleType] = {}

    @property
    def folder(self) -> Path:
        return self._folder

    def __getattr__(self, name: str) -> ModuleType:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._names:
            raise AttributeError(f"the {self._label}'s code has no module {name} "
                                 f"(no {name}.py in {self._folder.name}/)")
        if name in self._modules:
            return self._modules[name]
        with self._own_modules():
            return importlib.import_module(name)

    def __repr__(self) -> str:
        return f"<{self._label} code in {self._folder}>"

    @contextmanager
    def _own_modules(self) -> Iterator[None]:
        """While inside, the names of this folder's modules mean this folder's modules."""
        saved = {name: sys.modules.pop(name) for name in list(sys.modules) if self._owns(name)}
        sys.modules.update(self._modules)
        sys.path.insert(0, str(self._folder))
        importlib.invalidate_caches()
        try:
            yield
        finally:
            sys.path.remove(str(self._folder))
            for name in [name for name in sys.modules if self._owns(name)]:
                self._modules[name] = sys.modules.pop(name)
            sys.modules.update(saved)

    def _owns(self, module_name: str) -> bool:
        return module_name.partition(".")[0] in self._names


def module_names(folder: Path) -> frozenset[str]:
    """What `import NAME` finds in `folder`: its .py files (but checks.py) and packages."""
    names = set()
    for path in folder.iterdir():
        if path.name.startswith((".", "_")):
            continue
        if path.suffix == ".py" and path.name != CHECKS_FILE:
            names.add(path.stem)
        elif path.is_dir() and (path / "__init__.py").is_file():
            names.add(path.name)
    return frozenset(names)
