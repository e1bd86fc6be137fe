"""lab.toml: what loads, what is refused (with the file and the reason), parameter values."""

import pytest

from studyterm.labs.spec import LabParamError, LabSpecError, discover, fingerprint, load_spec
from studyterm.labs.targets import Target
from tests.labs.conftest import SPIRAL_TOML, write_exercise_lab, write_lab


def test_a_full_spec_loads(collection_root):
    folder = write_lab(collection_root, "spiral")
    spec = load_spec(folder, collection_root)
    assert (spec.id, spec.title, spec.description, spec.entry) == ("spiral", "Spiral", "Train a tiny network.", "train.py")
    assert spec.script == folder / "train.py" and spec.time_limit_s == 30.0
    assert spec.defaults() == {"lr": 1.0, "epochs": 300}
    assert spec.params["lr"].type == "float" and spec.params["lr"].min == 0.0
    assert spec.metrics["loss"].series and spec.metrics["accuracy"].unit == "fraction"
    assert spec.targets == (Target("accuracy", ">=", 0.95), Target("final_loss", "<=", 0.15))
    assert spec.quick == {"epochs": 5}
    assert spec.resolve({"lr": "0.1"}, quick=True) == {"lr": 0.1, "epochs": 5}


def test_a_minimal_spec_gets_defaults(collection_root):
    folder = write_lab(collection_root, "tiny", 'entry = "run.py"\n', "print(1)\n", entry="run.py")
    spec = load_spec(folder)
    assert (spec.title, spec.time_limit_s, spec.params, spec.targets) == ("tiny", 60.0, {}, ())


@pytest.mark.parametrize(
    "toml, message",
    [
        ('entry = "train.py"\ntime_limt = 3\n', "unknown key(s) time_limt"),
        ('title = "x"\n', "entry must be given as a non-empty string"),
        ('entry = "missing.py"\n', "entry 'missing.py' is not a file inside broken/"),
        ('entry = "../../outside.py"\n', "entry '../../outside.py' is not a file inside broken/"),
        ('entry = "train.py"\ntime_limit = 0\n', "time_limit must be a number of seconds above 0"),
        ('entry = "train.py"\nprotocol = 2\n', "protocol 2 is not supported (this studyterm speaks 1)"),
        ('entry = "train.py"\ntargets = ["accuracy >= 0.9"]\n',
         "target 'accuracy >= 0.9' names no metric declared under [metrics]"),
        ('entry = "train.py"\ntargets = ["loss <= 1"]\n[metrics.loss]\nseries = true\n',
         "target 'loss <= 1' names a series; targets check final metrics"),
        ('entry = "train.py"\ntargets = ["accuracy ~ 0.9"]\n[metrics.accuracy]\n',
         "target 'accuracy ~ 0.9' is not `metric OP number` (OP: >=, <=, >, <)"),
        ('entry = "train.py"\ntargets = ["accuracy >= high"]\n[metrics.accuracy]\n',
         "target 'accuracy >= high': 'high' is not a number"),
        ('entry = "train.py"\n[params.lr]\ntype = "float"\n', "params.lr needs a default"),
        ('entry = "train.py"\n[params.lr]\ntype = "number"\ndefault = 1\n',
         "params.lr.type must be one of int, float, bool, str"),
        ('entry = "train.py"\n[params.lr]\ntype = "float"\ndefault = "fast"\n',
         "parameter lr: expected a number, got 'fast'"),
        ('entry = "train.py"\n[params.n]\ntype = "int"\ndefault = 0\nmin = 1\n',
         "parameter n: 0 is below its minimum 1"),
        ('entry = "train.py"\n[params.act]\ntype = "str"\ndefault = "tanh"\nchoices = ["relu"]\n',
         "parameter act: 'tanh' is not one of relu"),
        ('entry = "train.py"\n[params.act]\ntype = "str"\ndefault = "a"\nmin = 1\n',
         "params.act.min must be a number (and only numbers have bounds)"),
        ('entry = "train.py"\n[params.lr]\ntype = "float"\ndefault = 1\nstep = 2\n',
         "unknown key(s) params.lr.step"),
        ('entry = "train.py"\n[quick]\nepochs = 2\n', "[quick] sets unknown parameter(s) epochs"),
        ('entry = "train.py"\n[metrics."bad name"]\n', "metric name 'bad name' must be a word"),
        ('entry = "train.py\n', "not valid TOML"),
    ],
)
def test_mistakes_are_reported_with_the_file(collection_root, toml, message):
    folder = write_lab(collection_root, "broken", toml)
    with pytest.raises(LabSpecError) as error:
        load_spec(folder, collection_root)
    assert str(error.value).startswith("labs/broken/lab.toml: ")
    assert message in str(error.value)


def test_discover_keeps_good_labs_and_reports_broken_ones(collection_root):
    write_lab(collection_root, "spiral")
    write_lab(collection_root, "broken", 'title = "no entry"\n')
    write_lab(collection_root, "_draft", SPIRAL_TOML)
    write_lab(collection_root, "bad id!", SPIRAL_TOML)
    (collection_root / "labs" / "notes").mkdir()
    catalog = discover(collection_root / "labs", collection_root)
    assert list(catalog.labs) == ["spiral"]
    assert [p.format() for p in catalog.problems] == [
        "labs/bad id!/lab.toml: the folder name 'bad id!' is not a lab id (letters, digits, _ . -)",
        "labs/broken/lab.toml: entry must be given as a non-empty string",
    ]


@pytest.mark.parametrize(
    "kind, text, value",
    [("int", "3", 3), ("float", "1e-3", 0.001), ("float", "2", 2.0), ("bool", "yes", True),
     ("bool", "False", False), ("str", "relu", "relu")],
)
def test_parameter_text_becomes_its_type(collection_root, kind, text, value):
    toml = f'entry = "train.py"\n[params.p]\ntype = "{kind}"\ndefault = {value!r}\n'.replace("True", "true").replace("False", "false")
    spec = load_spec(write_lab(collection_root, "typed", toml))
    resolved = spec.resolve({"p": text})["p"]
    assert resolved == value and type(resolved) is type(value)


@pytest.mark.parametrize("kind, bad", [("int", "1.5"), ("int", True), ("float", "nan"), ("bool", "maybe")])
def test_bad_parameter_values(collection_root, kind, bad):
    default = {"int": "1", "float": "1.0", "bool": "true"}[kind]
    spec = load_spec(write_lab(collection_root, "typed", f'entry = "train.py"\n[params.p]\ntype = "{kind}"\ndefault = {default}\n'))
    with pytest.raises(LabParamError, match="parameter p: expected"):
        spec.resolve({"p": bad})


def test_fingerprint_follows_the_code_but_not_caches(collection_root):
    folder = write_lab(collection_root, "spiral")
    before = fingerprint(folder)
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "train.cpython-311.pyc").write_bytes(b"cache")
    (folder / ".notes.swp").write_text("editor")
    assert fingerprint(folder) == before
    (folder / "train.py").write_text("print('changed')\n")
    assert fingerprint(folder) != before
    assert len(before) == 16


def test_an_exercise_lab_loads_its_holes_and_predictions(collection_root):
    spec = load_spec(write_exercise_lab(collection_root), collection_root)
    assert spec.is_exercise and spec.checks == collection_root / "labs/spiral/checks.py"
    double, shift = spec.holes.values()
    assert (double.name, double.title, double.task, double.file, double.line) == (
        "double", "scale", "Return twice x.", "model.py", 2)
    assert double.hints == ("Multiply.", "By two.", "return 2 * x")
    assert (shift.name, shift.line, len(shift.fingerprint)) == ("shift", 8, 16)
    (slow,) = spec.predictions.values()
    assert (slow.id, slow.param, slow.when.text, len(slow.outcomes)) == ("slow", "lr", "< 0.5", 2)
    assert slow.asked_for({"lr": 0.1}, spec.defaults()) and not slow.asked_for({"lr": 0.7}, spec.defaults())
    assert not slow.asked_for(spec.defaults(), spec.defaults())
    assert slow.answer({"accuracy": 0.97}) == 0 and slow.answer({"accuracy": 0.5}) == 1
    assert slow.answer({"accuracy": float("nan")}) == 1
    assert load_spec(write_lab(collection_root, "demo")).is_exercise is False


@pytest.mark.parametrize("change, where, message", [
    (lambda d: (d / "model.py").write_text((d / "model.py").read_text() + "\n# >>> hole extra\nX = 1\n# <<< hole extra\n"),
     "labs/spiral/model.py:13", "hole extra has no [holes.extra] entry in lab.toml"),
    (lambda d: (d / "model.py").write_text((d / "model.py").read_text().replace("# <<< hole shift", "")),
     "labs/spiral/model.py:8", "hole shift is never closed (`# <<< hole shift`)"),
    (lambda d: (d / "train.py").write_text("# >>> hole double\n# <<< hole double\n"),
     "labs/spiral/train.py:1", "hole double is also at model.py:2; hole names are unique in a lab"),
    (lambda d: (d / "lab.toml").write_text((d / "lab.toml").read_text() + "\n[holes.ghost]\ntitle = 'g'\ntask = 't'\nhints = ['h']\n"),
     "labs/spiral/lab.toml", "[holes.ghost] has no `# >>> hole ghost` marker in the lab's code"),
    (lambda d: (d / "checks.py").unlink(),
     "labs/spiral/lab.toml", "the lab has holes but no checks.py to check them"),
    (lambda d: (d / "lab.toml").write_text((d / "lab.toml").read_text().replace('hints = ["Add one."]', "hints = []")),
     "labs/spiral/lab.toml", "holes.shift.hints must be a list of 1 to 3 hints (text)"),
    (lambda d: (d / "lab.toml").write_text((d / "lab.toml").read_text().replace('title = "shift"', "titel = 'x'")),
     "labs/spiral/lab.toml", "unknown key(s) holes.shift.titel"),
    (lambda d: (d / "lab.toml").write_text((d / "lab.toml").read_text().replace('param = "lr"', 'param = "momentum"')),
     "labs/spiral/lab.toml", "predictions slow: param 'momentum' is not a parameter of the lab"),
    (lambda d: (d / "lab.toml").write_text((d / "lab.toml").read_text().replace('when = "< 0.5"', 'when = "< fast"')),
     "labs/spiral/lab.toml", "predictions slow: parameter lr: expected a number, got 'fast'"),
    (lambda d: (d / "lab.toml").write_text((d / "lab.toml").read_text().replace('when = ["accuracy >= 0.95"]', 'when = ["loss < 1"]')),
     "labs/spiral/lab.toml", "predictions slow: 'loss < 1' names no final metric of the lab"),
    (lambda d: (d / "lab.toml").write_text((d / "lab.toml").read_text().replace('id = "slow"', 'id = "double"')),
     "labs/spiral/lab.toml", "prediction id 'double' is used twice (ids and hole names share `lab: LAB#NAME` links)"),
    (lambda d: (d / "lab.toml").write_text((d / "lab.toml").read_text().replace(
        '[[predictions.outcomes]]\nanswer = "miss it"', '[[predictions.outcomes]]\nanswer = "miss it"\n[[predictions.outcomes]]\nanswer = "x"\nwhen = ["accuracy < 1"]')),
     "labs/spiral/lab.toml", "predictions slow: only the last outcome may have no `when` (the fallback)"),
])
def test_exercise_mistakes_are_reported_with_the_file_and_line(collection_root, change, where, message):
    folder = write_exercise_lab(collection_root)
    change(folder)
    with pytest.raises(LabSpecError) as error:
        load_spec(folder, collection_root)
    assert str(error.value) == f"{where}: {message}"
