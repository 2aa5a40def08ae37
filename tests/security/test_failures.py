"""Failures outside the lecture: missing programs, and visuals that raise while drawing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from mmlanim.errors import LectureError, UserError
from mmlanim.render.pipeline import RenderOptions, render_lecture

from .conftest import assert_clean_failure

THREE = """
    title: T
    segments:
      - id: a
        narration: One.
        visual: {kind: security_probe}
      - id: b
        narration: Two.
        visual:
          kind: security_probe
          explode: {explode}
      - id: c
        narration: Three.
        visual: {kind: security_probe}
    """

TITLE = "title: T\nsegments:\n  - id: a\n    narration: Hello there.\n    visual: {kind: title}\n"


def three(write_lecture, explode: bool):
    return write_lecture(THREE.replace("{explode}", str(explode).lower()))


def test_missing_latex_and_espeak_name_the_programs_and_the_doctor(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    lecture = tmp_path / "lecture.yaml"
    lecture.write_text(TITLE, encoding="utf-8")
    env = {**os.environ, "PATH": str(bin_dir)}
    env.pop("MMLANIM_ESPEAK", None)
    run = lambda *args: subprocess.run([sys.executable, "-m", "mmlanim", *args], env=env, cwd=tmp_path,  # noqa: E731
                                       capture_output=True, text=True, timeout=120)
    render = run("render", str(lecture), "--voice", "espeak", "-q", "l", "-r", "64,36", "-o", "out")
    assert render.returncode == 1, render.stderr
    assert "Traceback" not in render.stderr + render.stdout
    assert render.stderr.startswith("error: cannot render: 'latex' is not installed")
    assert "'espeak-ng'" in render.stderr and "`engine: silent`" in render.stderr
    assert render.stderr.rstrip().endswith("(run `mmlanim doctor`)")
    assert not (tmp_path / "out").exists()
    doctor = run("doctor")
    assert doctor.returncode == 1 and "Traceback" not in doctor.stderr
    assert "[MISSING] LaTeX: 'latex' not found" in doctor.stdout
    assert "[MISSING] espeak-ng (other languages, --voice espeak): 'espeak-ng' not found" in doctor.stdout


def test_a_missing_voice_program_alone_is_named(cli, write_lecture, monkeypatch):
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "espeak-ng" else which(name, *a, **k))
    monkeypatch.delenv("MMLANIM_ESPEAK", raising=False)
    path = write_lecture(TITLE)
    for extra in ([], ["--dry-run"]):
        result = cli("render", str(path), "--voice", "espeak", "-q", "l", "-r", "64,36", "-o",
                     str(path.parent / "out"), *extra)
        assert_clean_failure(result)
        assert result.stderr.startswith("error: cannot render: the espeak voice needs the program 'espeak-ng', "
                                        "which is not installed")
        assert "latex" not in result.stderr and "run `mmlanim doctor`" in result.stderr
    assert not (path.parent / "out").exists()


@pytest.mark.render
def test_a_visual_that_raises_names_its_segment_and_the_others_stay_cached(probe_kind, write_lecture, tmp_path):
    opts = RenderOptions(quality="l", resolution=(64, 36), voice={"engine": "silent"}, jobs=1,
                         out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    path = three(write_lecture, explode=True)
    with pytest.raises(UserError, match=r"segment 'b' failed to render: RuntimeError: the probe exploded") as info:
        render_lecture(path, opts)
    assert isinstance(info.value, LectureError)
    [problem] = info.value.problems
    assert (problem.line, problem.col) == (9, 7)  # b's visual
    assert not list((tmp_path / "out").rglob("*.mp4"))  # nothing joined from a partial lecture

    path = three(write_lecture, explode=False)
    result = render_lecture(path, opts)
    # b is rendered, and c with it: c opens by fading out b's last picture, and b's parameters changed.
    assert (result.rendered, result.cached) == (2, 1)
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["rendered"], manifest["cached"]) == (["b", "c"], ["a"])

    before = _contents(tmp_path / "out")
    path = three(write_lecture, explode=True)
    with pytest.raises(LectureError, match="segment 'b' failed to render"):
        render_lecture(path, opts)
    assert _contents(tmp_path / "out") == before  # a failed render leaves the last good outputs as they were


def _contents(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_visual_that_raises_in_a_dry_run_or_a_still_is_located(probe_kind, cli, write_lecture):
    path = three(write_lecture, explode=True)
    out = path.parent / "out"
    for args in (["render", str(path), "--dry-run", "-j", "1", "--quiet"], ["preview", str(path), "b", "--still"]):
        result = cli(*args, "--voice", "silent", "-q", "l", "-r", "64,36", "-o", str(out))
        assert_clean_failure(result)
        assert result.stderr.splitlines()[0] == (f"{path}:9:7: segment 'b' failed to render: "
                                                 "RuntimeError: the probe exploded")
    assert not list(out.rglob("*.png")) and not list(out.rglob("*.mp4"))
