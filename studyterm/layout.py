"""Where a collection's parts live, finding a collection, and creating one."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from studyterm.config import CONFIG_FILE, DEFAULT_CONFIG_TEXT

COLLECTION_ENV = "STUDYTERM_COLLECTION"
CONCEPTS = "concepts"
TEMPLATES = "_templates"
"""Note templates live in concepts/_templates/ (names starting with _ are never notes)."""
LABS = "labs"
DECKS = "decks"
WORKSPACE = "workspace"
"""The learner's copies of exercise labs: workspace/LAB/ (`studyterm lab start LAB`)."""
PLAN_FILE = "studyplan.toml"
"""The study plan (studyterm/progress/plan.py reads it)."""
STATE_DIR = ".studyterm"
DB_NAME = "studyterm.db"
GITIGNORE_TEXT = "# studyterm's scheduling state and drafts: local to this machine\n.studyterm/\n"
_PACKAGE = Path(__file__).resolve().parent
DECKS_README = (
    "Exports land here (`studyterm export`). To bring in an Anki package or a CSV file, run\n"
    "`studyterm import FILE` (docs/export.md): it writes notes under concepts/ and never\n"
    "replaces a file.\n"
)


def is_note_name(name: str) -> bool:
    """Whether a file name under concepts/ is a note: `*.md`, not hidden, not a template
    (`_` names) and not a folder's README (a track's study plan is read, not reviewed)."""
    return (name.endswith(".md") and not name.startswith((".", "_"))
            and name.lower() != "readme.md")


def is_skipped_folder(name: str) -> bool:
    """Folders under concepts/ that are never searched for notes: hidden ones and templates."""
    return name.startswith((".", "_"))


class CollectionNotFoundError(RuntimeError):
    pass


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def concepts(self) -> Path:
        return self.root / CONCEPTS

    @property
    def labs(self) -> Path:
        return self.root / LABS

    @property
    def workspace(self) -> Path:
        return self.root / WORKSPACE

    @property
    def decks(self) -> Path:
        return self.root / DECKS

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def db_path(self) -> Path:
        return self.state_dir / DB_NAME

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE


def is_collection(folder: Path) -> bool:
    return (folder / CONCEPTS).is_dir()


def find_collection(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds a concepts/ folder, as git finds .git."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_collection(folder):
            return folder
    return None


def resolve_collection(
    explicit: str | os.PathLike | None = None,
    cwd: Path | None = None,
    environ: dict[str, str] | None = None,
) -> Layout:
    """--collection, else STUDYTERM_COLLECTION, else the collection around the current folder."""
    env = os.environ if environ is None else environ
    given = explicit or env.get(COLLECTION_ENV)
    if given:
        root = Path(given).expanduser().resolve()
        if not is_collection(root):
            raise CollectionNotFoundError(
                f"{root} is not a studyterm collection (it has no {CONCEPTS}/ folder); "
                f"create one with: studyterm init {given}"
            )
        return Layout(root)
    here = (cwd or Path.cwd()).resolve()
    found = find_collection(here)
    if found is None:
        raise CollectionNotFoundError(
            f"no studyterm collection in {here} or its parents; create one with "
            "`studyterm init DIR` (add --sample for example notes) or pass --collection DIR"
        )
    return Layout(found)


def sample_home(environ: dict[str, str] | None = None) -> Path:
    """Where the bundled sample is copied when studyterm runs outside any collection."""
    env = os.environ if environ is None else environ
    data_home = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "studyterm" / "sample"


def sample_source() -> Path:
    """The bundled sample collection: inside the installed wheel, or this source checkout."""
    for candidate in (_PACKAGE / "_sample", _PACKAGE.parent):
        if (candidate / CONCEPTS).is_dir():
            return candidate
    raise CollectionNotFoundError("the bundled sample collection is missing from this install")


def init_collection(folder: Path, sample: bool = False) -> tuple[Layout, list[Path]]:
    """Create a collection in `folder`; never overwrite a file. Returns what was created."""
    layout = Layout(folder.expanduser().resolve())
    if is_collection(layout.root):
        raise FileExistsError(f"{layout.root} is already a studyterm collection")
    created: list[Path] = []
    for sub in (layout.concepts, layout.labs, layout.decks):
        sub.mkdir(parents=True, exist_ok=True)
        created.append(sub)
    for path, text in (
        (layout.config_path, DEFAULT_CONFIG_TEXT),
        (layout.decks / "README.md", DECKS_README),
    ):
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            created.append(path)
    _ignore_state_dir(layout.root / ".gitignore")
    created += _copy_templates(layout)
    if sample:
        source = sample_source()
        for name in (CONCEPTS, LABS):
            if (source / name).is_dir():
                shutil.copytree(
                    source / name,
                    layout.root / name,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"),
                    copy_function=_copy_unless_exists,
                )
        plan = source / PLAN_FILE
        if plan.is_file() and not (layout.root / PLAN_FILE).exists():
            shutil.copyfile(plan, layout.root / PLAN_FILE)
            created.append(layout.root / PLAN_FILE)
    return layout, created


def _copy_templates(layout: Layout) -> list[Path]:
    """The bundled note templates, so `studyterm new` works and the learner can change them."""
    try:
        source = sample_source() / CONCEPTS / TEMPLATES
    except CollectionNotFoundError:
        return []
    target = layout.concepts / TEMPLATES
    if not source.is_dir() or target.exists():
        return []
    shutil.copytree(source, target, copy_function=_copy_unless_exists)
    return [target]


def _ignore_state_dir(gitignore: Path) -> None:
    existing = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    if STATE_DIR not in existing:
        separator = "" if not existing or existing.endswith("\n") else "\n"
        gitignore.write_text(existing + separator + GITIGNORE_TEXT, encoding="utf-8")


def _copy_unless_exists(source: str, target: str) -> None:
    if not os.path.exists(target):
        shutil.copy2(source, target)
