"""End to end: a tiny narrated render checked with PyAV."""

from __future__ import annotations

import json

import av
import pytest
from click.testing import CliRunner
from reliability.decoding import frames_shown

from mmlanim.cli import main

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from conftest import TEST_DATA

    folder = tmp_path_factory.mktemp("e2e")
    lecture = folder / "two-segments.yaml"
    lecture.write_text((TEST_DATA / "two-segments.yaml").read_text())
    out = folder / "renders"
    result = CliRunner().invoke(main, ["render", str(lecture), "-q", "l", "-r", "128,72", "-o", str(out),
                                       "--quiet", "-j", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "two-segments" / "72p15", result.output.strip().splitlines()[-1]


def test_prints_the_lecture_path(rendered):
    folder, printed = rendered
    assert printed == str(folder / "two-segments.mp4")


def test_mp4_has_video_and_audio_and_matches_manifest(rendered):
    folder, _ = rendered
    manifest = json.loads((folder / "manifest.json").read_text())
    segs = manifest["segments"]
    assert [s["id"] for s in segs] == ["intro", "sum"]
    assert segs[0]["start"] == 0 and segs[1]["start"] == pytest.approx(segs[0]["end"])
    with av.open(str(folder / "two-segments.mp4")) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.width, video.codec_context.height) == (128, 72)
        assert audio.codec_context.name == "aac"
        duration = float(container.duration / av.time_base)
    video_frames = frames_shown(folder / "two-segments.mp4", 15)
    total = sum(s["end"] - s["start"] for s in segs)
    assert duration == pytest.approx(total, abs=0.1)
    assert video_frames / 15 == pytest.approx(total, abs=0.1)


def test_each_segment_file_plays_with_its_own_length(rendered):
    folder, _ = rendered
    manifest = json.loads((folder / "manifest.json").read_text())
    for seg in manifest["segments"]:
        with av.open(str(folder / seg["file"])) as c:
            assert len(c.streams.audio) == 1
        frames = frames_shown(folder / seg["file"], 15)
        assert frames / 15 == pytest.approx(seg["end"] - seg["start"], abs=1 / 15 + 1e-9)


def test_narration_is_audible(rendered):
    import numpy as np

    folder, _ = rendered
    with av.open(str(folder / "two-segments.mp4")) as c:
        samples = np.concatenate([f.to_ndarray().ravel() for f in c.decode(audio=0)])
    assert np.abs(samples).max() > 0.05  # espeak speech, not silence


def test_side_outputs_exist(rendered):
    folder, _ = rendered
    srt = (folder / "two-segments.srt").read_text()
    assert "We add two vectors." in srt
    assert (folder / "chapters.txt").read_text().splitlines()[0] == "00:00 Introduction"
    assert "## Tip to tail" in (folder / "transcript.md").read_text()


def test_formulas_render_with_a_cache_in_a_hidden_folder(tmp_path):
    """LaTeX in paranoid mode refuses paths with hidden folders (like ~/.cache): formulas must still render."""
    import os
    import subprocess
    import sys

    from conftest import TEST_DATA

    lecture = tmp_path / "two-segments.yaml"
    lecture.write_text((TEST_DATA / "two-segments.yaml").read_text())
    env = dict(os.environ, MMLANIM_CACHE_DIR=str(tmp_path / ".cache" / "mmlanim"))
    result = subprocess.run([sys.executable, "-m", "mmlanim", "preview", str(lecture), "sum", "--still",
                             "-r", "128,72", "-o", str(tmp_path / "out")], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("sum.png")


def test_beat_markers_are_neither_spoken_nor_shown(write_lecture, tmp_path):
    """A cue with a [[beat]] marker renders; subtitles and transcript read the sentence whole."""
    lecture = write_lecture("""
        title: Markers
        voice: {engine: espeak, rate: 220}
        segments:
          - id: sum
            title: Tip to tail
            narration:
              - say: Two vectors start at the origin.
                beat: show_vectors
              - say: Move v so its tail sits [[show_sum]] on the tip of u.
                beat: show_vectors
            visual: {kind: vectors, vectors: [[2, 1], [-1, 2]]}
        """)
    out = tmp_path / "renders"
    result = CliRunner().invoke(main, ["render", str(lecture), "-q", "l", "-r", "64,36", "-o", str(out),
                                       "--quiet", "-j", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    folder = out / "lecture" / "36p15"
    srt = (folder / "lecture.srt").read_text()
    transcript = (folder / "transcript.md").read_text()
    assert "Move v so its tail sits on the tip of u." in " ".join(srt.split())
    assert "Move v so its tail sits on the tip of u." in transcript
    assert "[[" not in srt + transcript and "show_sum" not in srt + transcript
