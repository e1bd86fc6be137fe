"""Labs: runnable experiments linked to cards (docs/labs.md).

The runner side lives here and never imports torch or numpy: a lab's own imports happen only in
its subprocess. `Labs` is the API the CLI and the TUI call; `LabRunner` is what a test fakes.
"""

from studyterm.labs.events import (
    EventCallback,
    Finished,
    HoleChecked,
    LabRunner,
    LogLine,
    MetricPoint,
    Progress,
    RunEvent,
    RunMode,
    RunRequest,
    RunResult,
    RunStatus,
    Started,
)
from studyterm.labs.feedback import lab_event_line
from studyterm.labs.runner import SubprocessRunner
from studyterm.labs.service import ExerciseState, Labs, RunReport
from studyterm.labs.spec import (
    Catalog,
    LabError,
    LabNotFoundError,
    LabParamError,
    LabSpec,
    LabSpecError,
    MetricSpec,
    ParamSpec,
)
from studyterm.labs.targets import Target, TargetCheck

__all__ = [
    "Catalog",
    "EventCallback",
    "ExerciseState",
    "Finished",
    "HoleChecked",
    "LabError",
    "LabNotFoundError",
    "LabParamError",
    "LabRunner",
    "LabSpec",
    "LabSpecError",
    "Labs",
    "LogLine",
    "MetricPoint",
    "MetricSpec",
    "ParamSpec",
    "Progress",
    "RunEvent",
    "RunMode",
    "RunReport",
    "RunRequest",
    "RunResult",
    "RunStatus",
    "Started",
    "SubprocessRunner",
    "Target",
    "TargetCheck",
    "lab_event_line",
]
