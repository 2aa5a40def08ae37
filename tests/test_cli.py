"""The command line through click's CliRunner: help, validate, visuals, schema, new, doctor."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from mmlanim.cli import main
from mmlanim.lecture import load_lecture
from mmlanim.visuals import registry

COMMANDS = ["render", "preview", "validate", "visuals", "schema", "doctor", "new", "eject", "publish", "slides"]


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"mmlanim {command}" in result.output or command == "doctor"
    assert "Usage:" in result.output


def test_render_help_shows_an_example(run):
    assert "mmlanim render lectures/linear-algebra/02-changing-basis.yaml -q l" in run("render", "--help").output


def test_validate_good_file_exits_0(run, lecture_copy):
    result = run("validate", str(lecture_copy("two-segments.yaml")))
    assert result.exit_code == 0
    assert "1 lecture valid" in result.output


def test_validate_bad_file_reports_line_and_column(run, write_lecture):
    path = write_lecture("title: T\nsegments:\n  - id: a\n    narration: Hi.\n    visual: {kind: vectrs}\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first == f"{path}:5:20: unknown visual kind 'vectrs'; did you mean 'vectors'? (see `mmlanim visuals`)"
    assert "Traceback" not in result.output


def test_validate_json_format(run, write_lecture):
    path = write_lecture("title: T\nsegments: []\n")
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False
    assert report["problems"][0]["line"] == 2 and report["problems"][0]["col"] == 11


def test_validate_several_files_fails_if_any_is_bad(run, lecture_copy, write_lecture):
    bad = write_lecture("title: T\n", name="bad.yaml")
    result = run("validate", str(lecture_copy("two-segments.yaml")), str(bad))
    assert result.exit_code == 1
    assert f"{bad}:1:1: lecture: missing required field 'segments'" in result.output


def test_visuals_lists_every_kind(run):
    out = run("visuals").output
    for kind, cls in registry().items():
        assert kind in out and cls.summary() in out


@pytest.mark.parametrize("kind", sorted(registry()))
def test_visuals_kind_example_validates_as_is(run, kind, write_lecture):
    out = run("visuals", kind).output
    for name in registry()[kind].Params.model_fields:
        assert name in out
    example = out.split("Example segment:\n", 1)[1]
    segments = yaml.safe_load(example)
    path = write_lecture(yaml.safe_dump({"title": "T", "segments": segments}))
    loaded = load_lecture(path)
    assert loaded.lecture.segments[0].visual.kind == kind


def test_visuals_unknown_kind(run):
    result = run("visuals", "vectros")
    assert result.exit_code == 1
    assert "unknown visual kind 'vectros'; did you mean 'vectors'?" in result.output


def test_schema_has_one_branch_per_kind(run):
    schema = json.loads(run("schema").output)
    assert schema["$schema"].endswith("2020-12/schema")
    kinds = set()
    for definition in schema["$defs"].values():
        kind = definition.get("properties", {}).get("kind", {})
        if "const" in kind:
            kinds.add(kind["const"])
    assert kinds == set(registry())


def test_new_writes_a_valid_lecture_and_refuses_to_overwrite(run, tmp_path):
    target = tmp_path / "mine.yaml"
    result = run("new", str(target))
    assert result.exit_code == 0 and target.is_file()
    assert run("validate", str(target)).exit_code == 0
    again = run("new", str(target))
    assert again.exit_code == 1 and "already exists" in again.output


@pytest.mark.parametrize("kind", ["vectors", "basis_change", "gradient_descent", "linear_regression",
                                  "pca_projection", "pca_images", "title"])
def test_new_from_a_kind_shows_its_beats_and_validates(run, tmp_path, kind):
    from mmlanim.visuals import registry

    target = tmp_path / f"{kind}.yaml"
    result = run("new", str(target), "--kind", kind)
    assert result.exit_code == 0, result.output
    loaded = load_lecture(target)
    assert loaded.warnings == []
    segments = loaded.lecture.segments
    assert segments[0].visual.kind == "title"
    if kind != "title":
        assert segments[-1].visual.kind == kind
        cls = registry()[kind]
        beats = [cue.beat for cue in segments[-1].narration]
        off = cls(segments[-1].visual).beats_off() if hasattr(cls, "beats_off") else {}
        assert beats == [b for b in cls.beat_names() if b not in off]
        assert len(beats) >= 3


def test_new_refuses_an_unknown_kind_and_writes_nothing(run, tmp_path):
    target = tmp_path / "x.yaml"
    result = run("new", str(target), "--kind", "vector")
    assert result.exit_code == 1 and "did you mean 'vectors'?" in result.output
    assert not target.exists()


def test_doctor_reports_each_piece(run):
    result = run("doctor")  # the suite needs every piece, so this machine has them all
    for piece in ("LaTeX", "dvisvgm", "cairo", "pango", "piper", "espeak-ng"):
        assert piece in result.output
    assert result.exit_code == 0 and "MISSING" not in result.output


def test_doctor_names_a_missing_piece_and_exits_1(run, monkeypatch, tmp_path):
    monkeypatch.setenv("MMLANIM_ESPEAK", str(tmp_path / "no-espeak-here"))
    result = run("doctor")
    assert result.exit_code == 1
    missing = [line for line in result.output.splitlines() if line.startswith("[MISSING]")]
    name = "espeak-ng (other languages, --voice espeak)"
    assert missing == [f"[MISSING] {name}: '{tmp_path / 'no-espeak-here'}' not found"]
    assert "apt-get install -y espeak-ng" in result.output


def test_render_invalid_lecture_writes_nothing(run, write_lecture, tmp_path):
    path = write_lecture("title: T\nsegments:\n  - id: a\n    narration: Hi.\n    visual: {kind: nope}\n")
    out = tmp_path / "out"
    result = run("render", str(path), "-o", str(out))
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:5:")
    assert not out.exists()
