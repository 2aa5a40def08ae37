"""Friendly errors: suggestions, the caret under the offending column, JSON for editors, exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mmlanim.cli import main
from mmlanim.lecture import validate_file
from mmlanim.visuals import registry

LECTURE = """\
title: T
voice: {rate: 190}
segments:
  - id: fit
    narration:
      - say: Hi.
        beat: show_data
    visual:
      kind: linear_regression
      data: {generate: line, slope: 2}
      learning_rate: 0.1
  - id: arrows
    narration: Two arrows.
    visual: {kind: vectors, vectors: [[2, 1], [-1, 2]], show_sum: false}
"""


@pytest.fixture
def run():
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


def problems_of(write_lecture, old: str, new: str) -> list:
    assert old in LECTURE
    return validate_file(write_lecture(LECTURE.replace(old, new)))


def test_the_lecture_is_valid(write_lecture):
    assert validate_file(write_lecture(LECTURE)) == []


@pytest.mark.parametrize(("old", "new", "message"), [
    ("learning_rate: 0.1", "learning_rat: 0.1",
     "segments[0].visual: unknown key 'learning_rat'; did you mean 'learning_rate'?"),
    ("slope: 2", "slop: 2", "segments[0].visual.data: unknown key 'slop'; did you mean 'slope'?"),
    ("show_sum: false", "show_summ: false", "segments[1].visual: unknown key 'show_summ'; did you mean 'show_sum'?"),
    ("{rate: 190}", "{rat: 190}", "voice: unknown key 'rat'; did you mean 'rate'?"),
    ("beat: show_data", "beat: show_dat", "unknown beat 'show_dat' for visual 'linear_regression'; "
                                          "did you mean 'show_data'?"),
    ("kind: vectors", "kind: vectros", "unknown visual kind 'vectros'; did you mean 'vectors'?"),
])
def test_did_you_mean(write_lecture, old, new, message):
    (problem,) = problems_of(write_lecture, old, new)
    assert problem.message.startswith(message)


# (old, new, the text the caret must point at): each line is free of tabs.
CARETS = [
    ("learning_rate: 0.1", "learning_rat: 0.1", "learning_rat"),
    ("slope: 2}", "slop: 2}", "slop"),
    ("show_sum: false}", "show_summ: false}", "show_summ"),
    ("[-1, 2]]", "[-1, two]]", "two"),
    ("{rate: 190}", "{rate: 9000}", "9000"),
    ("beat: show_data", "beat: show_dat", "show_dat"),
    ("id: arrows", "id: two words", "two words"),
]


@pytest.mark.parametrize(("old", "new", "token"), CARETS, ids=[c[2] for c in CARETS])
def test_caret_is_under_the_offending_text(write_lecture, old, new, token):
    (problem,) = problems_of(write_lecture, old, new)
    line = LECTURE.replace(old, new).splitlines()[problem.line - 1]
    assert "\t" not in line and problem.source_line == line
    assert line[problem.col - 1:].startswith(token)
    header, shown, caret = problem.render().splitlines()
    assert header == str(problem)
    assert shown == "    " + line
    assert caret == " " * shown.index(token) + "^"


def test_json_report_of_problems(run, write_lecture):
    path = write_lecture(LECTURE.replace("slope: 2", "slop: 2"))
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "valid": False,
        "problems": [{"path": str(path), "line": 10, "col": 30, "severity": "error",
                      "message": "segments[0].visual.data: unknown key 'slop'; did you mean 'slope'?"}],
        "warnings": [],
    }


def test_json_report_of_a_valid_lecture(run, write_lecture):
    result = run("validate", "--format", "json", str(write_lecture(LECTURE)))
    assert result.exit_code == 0
    assert json.loads(result.output) == {"valid": True, "problems": [], "warnings": []}


def test_warnings_are_reported_but_do_not_fail(run, write_lecture, monkeypatch):
    def warnings(self):
        yield ("vectors", 1), "this vector points left"

    monkeypatch.setattr(registry()["vectors"], "warnings", warnings)
    path = write_lecture(LECTURE)
    line = LECTURE.splitlines()[13]
    col = line.index("[-1, 2]") + 1
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["valid"] is True and report["problems"] == []
    assert report["warnings"] == [{"path": str(path), "line": 14, "col": col, "severity": "warning",
                                   "message": "warning: this vector points left"}]
    text = run("validate", str(path))
    assert text.exit_code == 0
    assert text.output.splitlines() == [
        f"{path}:14:{col}: warning: this vector points left",
        "    " + line,
        "    " + " " * (col - 1) + "^",
        "1 lecture valid, 1 warning",
    ]


@pytest.mark.parametrize(("args", "code"), [
    (["validate", "{good}"], 0),
    (["validate", "{good}", "{good}"], 0),
    (["validate", "{bad}"], 1),
    (["validate", "{good}", "{bad}"], 1),
    (["validate", "--format", "json", "{bad}"], 1),
    (["validate", "{missing}"], 1),
    (["validate"], 2),
    (["validate", "--format", "xml", "{good}"], 2),
    (["validate", "--strict", "{good}"], 2),
    (["visuals", "vectors"], 0),
    (["visuals", "vectros"], 1),
    (["eject", "{good}", "nope", "-o", "{out}"], 1),
    (["preview", "{good}", "fti"], 1),
    (["render", "{bad}", "-o", "{out}"], 1),
    (["frobnicate"], 2),
])
def test_exit_codes(write_lecture, tmp_path, args, code):
    names = {"good": write_lecture(LECTURE, "good.yaml"),
             "bad": write_lecture(LECTURE.replace("kind: vectors", "kind: vectros"), "bad.yaml"),
             "missing": tmp_path / "missing.yaml", "out": tmp_path / "out"}
    result = CliRunner().invoke(main, [a.format(**names) for a in args])
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_preview_unknown_segment_suggests_the_closest(run, write_lecture):
    path = write_lecture(LECTURE)
    result = run("preview", str(path), "fti")
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:1:1: no segment with id 'fti'; did you mean 'fit'?")
