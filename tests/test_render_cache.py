"""The segment cache, interruption and concurrent renders, on tiny renders."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import pytest
from conftest import TEST_DATA, default_sigint

from mmlanim.render.pipeline import RenderOptions, render_lecture

pytestmark = pytest.mark.render


@pytest.fixture
def setup(tmp_path):
    lecture = tmp_path / "lecture.yaml"
    shutil.copyfile(TEST_DATA / "three-segments.yaml", lecture)
    cache = tmp_path / "cache"

    def render(**changes) -> dict:
        opts = dict(quality="l", resolution=(64, 36), out_dir=tmp_path / "out", jobs=2, cache_dir=cache)
        opts.update(changes)
        result = render_lecture(lecture, RenderOptions(**opts))
        folder = result.folder
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["rendered"] == [s.id for s in result.segments if not s.cached]
        return manifest

    return lecture, cache, render


def audio_files(cache: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (cache / "audio").rglob("*.wav")}


def edit(lecture: Path, old: str, new: str) -> None:
    text = lecture.read_text()
    assert old in text
    lecture.write_text(text.replace(old, new))


def test_cache_hits_and_misses(setup):
    lecture, cache, render = setup
    first = render()
    assert first["rendered"] == ["intro", "first", "second"]

    # No change: nothing rendered, nothing synthesised.
    before = audio_files(cache)
    again = render()
    assert again["rendered"] == [] and again["cached"] == ["intro", "first", "second"]
    assert audio_files(cache) == before

    # One edited segment: only it renders.
    edit(lecture, "vectors: [[1, -2], [3, 1]]", "vectors: [[1, -2], [3, 2]]")
    assert render()["rendered"] == ["second"]

    # Words edited: the segment after still opens on the same picture, so only the edited one renders.
    edit(lecture, "Two arrows leave the origin.", "Two arrows leave the origin together.")
    assert render()["rendered"] == ["first"]

    # Reordered segments: the lecture is joined in the new order; a segment whose predecessor changed
    # renders again, as it opens by cross-fading from that predecessor's last picture.
    text = lecture.read_text()
    head, rest = text.split("  - id: first\n")
    first_seg, second_seg = rest.split("  - id: second\n")
    lecture.write_text(head + "  - id: second\n" + second_seg.rstrip("\n") + "\n  - id: first\n" + first_seg)
    reordered = render()
    assert sorted(reordered["rendered"]) == ["first", "second"]
    assert [s["id"] for s in reordered["segments"]] == ["intro", "second", "first"]
    with av.open(str(lecture.parent / "out" / "lecture" / "36p15" / "lecture.mp4")) as c:
        assert [ch["metadata"]["title"] for ch in c.chapters()] == ["Introduction", "Second pair", "First pair"]


def test_voice_rate_change_resynthesises_every_sentence_and_rerenders(setup):
    lecture, cache, render = setup
    render()
    before = set(audio_files(cache))
    edit(lecture, "rate: 220", "rate: 240")
    manifest = render()
    assert manifest["rendered"] == ["intro", "first", "second"]
    made = set(audio_files(cache)) - before
    assert len(made) == 7  # every sentence of the lecture, spoken again


def test_quality_change_rerenders(setup):
    _, _, render = setup
    render()
    assert render(resolution=(96, 54))["rendered"] == ["intro", "first", "second"]
    assert render(resolution=(64, 36))["rendered"] == []


def test_no_cache_forces_a_render(setup):
    _, _, render = setup
    render()
    assert render(use_cache=False)["rendered"] == ["intro", "first", "second"]


def _cli(lecture: Path, out: Path, cache: Path, jobs: int = 1) -> subprocess.Popen:
    env = dict(os.environ, MMLANIM_CACHE_DIR=str(cache))
    return subprocess.Popen([sys.executable, "-m", "mmlanim", "render", str(lecture), "-q", "l", "-r", "64,36",
                             "-o", str(out), "--quiet", "-j", str(jobs)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=default_sigint)


def _assert_only_complete_mp4s(folder: Path) -> None:
    """Every MP4 a later render could serve (not hidden temporaries) is complete and decodes."""
    for mp4 in folder.rglob("*.mp4"):
        if any(part.startswith(".") for part in mp4.relative_to(folder).parts):
            continue
        with av.open(str(mp4)) as c:
            assert sum(1 for _ in c.decode(video=0)) > 0


@pytest.mark.parametrize(("sig", "jobs"), [(signal.SIGINT, 1), (signal.SIGKILL, 1), (signal.SIGINT, 2)])
def test_interrupted_render_leaves_nothing_half_written(tmp_path, sig, jobs):
    lecture = tmp_path / "lecture.yaml"
    shutil.copyfile(TEST_DATA / "three-segments.yaml", lecture)
    out, cache = tmp_path / "out", tmp_path / "cache"
    proc = _cli(lecture, out, cache, jobs)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not [p for p in (cache / "segments").glob("??/*.mp4")
                                               if not p.name.startswith(".")]:
        time.sleep(0.05)  # kill it once at least one segment is done
    assert proc.poll() is None, "the render finished before it could be interrupted"
    os.killpg(proc.pid, sig)
    proc.wait(timeout=30)
    final = out / "lecture" / "36p15" / "lecture.mp4"
    if sig == signal.SIGINT:  # interrupted (130), unless it had just finished (a loaded machine)
        assert proc.returncode == 130 or (proc.returncode == 0 and final.exists())
    if final.exists():  # on a loaded machine the render may finish between the check above and the signal:
        assert (final.parent / "manifest.json").exists()  # then its outputs are all there, and whole
    _assert_only_complete_mp4s(out)
    _assert_only_complete_mp4s(cache)

    # What a kill in the middle of a LaTeX cache write leaves (by a process now gone), planted so that
    # the clean-up is checked whatever moment the signal came at.
    for name in ("rehearsals", "shared"):
        (cache / "tex" / name).mkdir(parents=True, exist_ok=True)
        (cache / "tex" / name / ".f00.partial-999999999-1.json").write_text("{")
    again = _cli(lecture, out, cache)
    stdout, stderr = again.communicate(timeout=180)
    assert again.returncode == 0, stderr
    video = Path(stdout.strip())
    _assert_only_complete_mp4s(out)
    manifest = json.loads((video.parent / "manifest.json").read_text())
    assert len(manifest["cached"]) >= 1  # the segment finished before the kill was kept
    # Only the LaTeX cache's slot locks (cache/tex/N/.lock) stay: no lock file in the output folder.
    leftovers = [*out.rglob(".*"),
                 *(p for p in cache.rglob(".*") if p.name != ".lock" or p.parent.parent.name != "tex")]
    assert leftovers == []  # the next render cleaned up after the killed one


def test_two_renders_at_once_both_succeed(tmp_path):
    lecture = tmp_path / "lecture.yaml"
    shutil.copyfile(TEST_DATA / "three-segments.yaml", lecture)
    out, cache = tmp_path / "out", tmp_path / "cache"
    procs = [_cli(lecture, out, cache) for _ in range(2)]
    results = [p.communicate(timeout=240) for p in procs]
    for proc, (_stdout, stderr) in zip(procs, results):
        assert proc.returncode == 0, stderr
    video = Path(results[0][0].strip())
    assert video == Path(results[1][0].strip())
    _assert_only_complete_mp4s(out)
    with av.open(str(video)) as c:
        assert len(c.streams.audio) == 1 and c.duration > 0


def test_cache_clear_empties_the_latex_folder_kept_outside_a_hidden_cache(tmp_path, monkeypatch):
    """With the cache in a hidden folder, LaTeX's slots live elsewhere; `cache clear` empties them too."""
    import tempfile

    from click.testing import CliRunner

    from mmlanim.cli import main
    from mmlanim.render.manim_config import _tex_root

    monkeypatch.setenv("MMLANIM_CACHE_DIR", str(tmp_path / ".cache" / "mmlanim"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    tex = _tex_root()
    assert not tex.is_relative_to(tmp_path / ".cache")
    (tex / "0").mkdir()
    (tex / "0" / "abc.svg").write_text("<svg/>")
    (tmp_path / ".cache" / "mmlanim" / "segments").mkdir(parents=True)
    (tmp_path / ".cache" / "mmlanim" / "segments" / "x.mp4").write_bytes(b"x")
    result = CliRunner().invoke(main, ["cache", "clear"])
    assert result.exit_code == 0 and "removed 2 files" in result.output
    assert list(tex.iterdir()) == [] and list((tmp_path / ".cache" / "mmlanim").iterdir()) == []


def test_the_key_covers_the_maths_and_narration_code(tmp_path):
    """Editing any module that shapes a segment (here the maths, on a copy of the package)
    changes the code fingerprint; editing one that does not (the command line) does not."""
    import shutil

    from mmlanim.render import cache as segment_cache
    from mmlanim.visuals import registry

    package = Path(segment_cache.__file__).resolve().parent.parent
    copy = tmp_path / "mmlanim"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    kind = registry()["vectors"]

    def fingerprint() -> str:
        segment_cache._shared_code_hash.cache_clear()
        segment_cache.code_fingerprint.cache_clear()
        return segment_cache.code_fingerprint(kind, copy)

    before = fingerprint()
    for edited in ("maths/linalg.py", "narration/plan.py", "render/media.py"):
        with (copy / edited).open("a", encoding="utf-8") as fh:
            fh.write("\n# an edit\n")
        after = fingerprint()
        assert after != before, edited
        before = after
    with (copy / "cli.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# an edit to the command line shapes no segment\n")
    assert fingerprint() == before
