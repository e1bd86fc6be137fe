"""Hole markers: finding holes, refusing malformed markers with file:line, deriving the exercise."""

import textwrap

import pytest

from studyterm.labkit.markers import exercise_text, hole_fingerprint, is_untouched, scan_text

CODE = textwrap.dedent("""
    class Affine:
        def backward(self, dout):
            W, b = self.params
            # >>> hole affine_backward: dx, dW, db
            dx = dout @ W.T
            dW = self.x.T @ dout
            # <<< hole affine_backward
            return dx


    # >>> hole top
    VALUE = 1
    # <<< hole top
    """).lstrip()


def test_holes_are_found_with_their_lines_indentation_and_body():
    holes, problems = scan_text(CODE, "layers.py")
    assert problems == []
    first, second = holes
    assert (first.name, first.file, first.start, first.end, first.indent) == (
        "affine_backward", "layers.py", 4, 7, "        ")
    assert first.statement == "dx, dW, db" and first.where == "layers.py:4" and first.code_line == 5
    assert first.body == "        dx = dout @ W.T\n        dW = self.x.T @ dout\n"
    assert (second.name, second.indent, second.body) == ("top", "", "VALUE = 1\n")


def test_the_exercise_replaces_each_body_and_keeps_the_markers():
    holes, _ = scan_text(CODE, "layers.py")
    tasks = {"affine_backward": "Given dout (N, H), return dx and write dW " + "and db " * 20}
    text = exercise_text(CODE, holes, tasks, "spiral")
    assert text.splitlines()[3:9] == [
        "        # >>> hole affine_backward: dx, dW, db",
        "        # TODO: Given dout (N, H), return dx and write dW and db and db and db and db and db and",
        "        #       db and db and db and db and db and db and db and db and db and db and db and db",
        "        #       and db and db and db",
        "        # Hints: `studyterm lab hint spiral affine_backward`, or `h` in the lab screen.",
        '        raise NotImplementedError("hole affine_backward")',
    ]
    assert "dx = dout @ W.T" not in text and "VALUE = 1" not in text
    assert "    # TODO: dx, dW, db" not in text  # the task, not the marker's statement, is the TODO
    assert "# TODO: top" not in text and "# TODO: write hole top" in text
    learner, problems = scan_text(text, "layers.py")
    assert problems == [] and [h.name for h in learner] == ["affine_backward", "top"]
    assert all(is_untouched(hole) for hole in learner)
    assert text.endswith("    return dx\n\n\n# >>> hole top\n# TODO: write hole top\n"
                         "# Hints: `studyterm lab hint spiral top`, or `h` in the lab screen.\n"
                         'raise NotImplementedError("hole top")\n# <<< hole top\n')


@pytest.mark.parametrize("code, problem", [
    ("# >>> hole a\nx = 1\n", "layers.py:1: hole a is never closed (`# <<< hole a`)"),
    ("x = 1\n# <<< hole a\n", "layers.py:2: `# <<< hole a` closes no open hole"),
    ("# >>> hole a\n# >>> hole b\n# <<< hole b\n# <<< hole a\n",
     "layers.py:2: hole b opens inside hole a (line 1); holes never nest"),
    ("# >>> hole a\n# <<< hole b\n# <<< hole a\n",
     "layers.py:2: `# <<< hole b` closes no open hole (hole a is open since line 1)"),
    ("# >>> hole Affine\n# <<< hole Affine\n",
     "layers.py:1: hole name 'Affine' must be lowercase letters, digits and _ (starting with a letter)"),
    ("x = 1  # >>> hole a\n",
     "layers.py:1: a hole marker must be `# >>> hole NAME` or `# <<< hole NAME` alone on its line"),
    ("def f():\n    # >>> hole a\n    pass\n# <<< hole a\n",
     "layers.py:4: hole a closes with another indentation than it opened (line 2)"),
])
def test_malformed_markers_are_problems_with_their_line(code, problem):
    _holes, problems = scan_text(code, "layers.py")
    assert problems[0].format() == problem


def test_a_fingerprint_changes_with_the_code_or_the_task_not_with_spacing_of_the_task():
    (hole,), _ = scan_text("# >>> hole a\nx = 1\n# <<< hole a\n", "a.py")
    (changed,), _ = scan_text("# >>> hole a\nx = 2\n# <<< hole a\n", "a.py")
    assert hole_fingerprint(hole, "Set x.") == hole_fingerprint(hole, "Set  x.\n")
    assert hole_fingerprint(hole, "Set x.") != hole_fingerprint(hole, "Set x to 1.")
    assert hole_fingerprint(hole, "Set x.") != hole_fingerprint(changed, "Set x.")
