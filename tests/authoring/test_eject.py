"""``mmlanim eject``: a segment as a plain manim file that manim's own CLI renders."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmlanim.cli import main
from mmlanim.eject import ejected_source
from mmlanim.lecture import load_lecture

SEGMENT = "sum"


def assigned(source: str) -> dict[str, object]:
    """The module-level constants of a Python file (literals only), without running it."""
    values = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return values


@pytest.fixture(scope="module")
def ejected(tmp_path_factory):
    """The lecture, the ejected source and its class name for segment 'sum' of two-segments.yaml."""
    from conftest import TEST_DATA

    folder = tmp_path_factory.mktemp("eject")
    lecture = folder / "two-segments.yaml"
    lecture.write_text((TEST_DATA / "two-segments.yaml").read_text())
    source, class_name = ejected_source(lecture, SEGMENT, "sum_scene.py")
    return lecture, source, class_name


def test_ejected_file_is_python_with_the_segments_params(ejected):
    lecture, source, class_name = ejected
    tree = ast.parse(source)
    assert class_name == "Sum"
    assert [n.name for n in tree.body if isinstance(n, ast.ClassDef)] == ["Sum"]
    loaded = load_lecture(lecture)
    seg = loaded.lecture.segments[loaded.segment_index(SEGMENT)]
    values = assigned(source)
    assert values["KIND"] == "vectors"
    assert values["PARAMS"] == seg.visual.model_dump(mode="json")
    assert "manim -ql sum_scene.py Sum" in ast.get_docstring(tree)


def _espeak_seconds(text: str, tmp_path: Path) -> float:
    """How long espeak-ng itself takes to say ``text`` (the lecture's voice: en-us, 200 words a minute)."""
    import wave

    out = tmp_path / "said.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "200", "-w", str(out), text], check=True)
    with wave.open(str(out)) as w:
        return w.getnframes() / w.getframerate()


def test_ejected_beats_last_as_long_as_their_speech(ejected, tmp_path):
    lecture, source, _ = ejected
    loaded = load_lecture(lecture)
    seg = loaded.lecture.segments[loaded.segment_index(SEGMENT)]
    beats = dict(assigned(source)["BEATS"])
    assert list(beats) == list(loaded.visual(seg).beat_names())
    spoken = {cue.beat: _espeak_seconds(cue.say, tmp_path) for cue in seg.narration}
    for name, seconds in beats.items():
        if name in spoken:  # its sentence (less espeak's edge silences), then the pause after a cue
            assert spoken[name] - 0.3 <= seconds <= spoken[name] + loaded.voice_for(seg).pause + 0.3, name
        else:  # a beat nothing is said on plays inside a neighbour's time
            assert seconds == 0.0, name


@pytest.mark.render
def test_manim_renders_the_ejected_file(ejected, tmp_path):
    from mmlanim.render.media import probe

    _, source, class_name = ejected
    script = tmp_path / "sum_scene.py"
    script.write_text(source)
    manim = Path(sys.executable).with_name("manim")
    result = subprocess.run([str(manim), "-ql", "-r", "64,36", "--disable_caching", "--media_dir",
                             str(tmp_path / "media"), str(script), class_name],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    videos = [p for p in (tmp_path / "media").rglob(f"{class_name}.mp4") if "partial" not in str(p)]
    assert len(videos) == 1
    info = probe(videos[0])
    assert (info.width, info.height) == (64, 36)
    seconds = sum(d for _, d in assigned(source)["BEATS"])
    # As long as the narration, rounded up to whole AAC frames (1024 samples at 48 kHz).
    assert seconds * 15 - 1 <= info.n_video_frames < seconds * 15 + 8
    assert (info.n_video_frames * 48_000) % (15 * 1024) == 0


def test_eject_command_writes_the_file_and_refuses_to_overwrite(ejected, tmp_path):
    lecture, source, _ = ejected
    out = tmp_path / "sum_scene.py"
    runner = CliRunner()
    result = runner.invoke(main, ["eject", str(lecture), SEGMENT, "-o", str(out)])
    assert (result.exit_code, result.output.strip()) == (0, str(out))
    assert out.read_text() == source
    again = runner.invoke(main, ["eject", str(lecture), SEGMENT, "-o", str(out)])
    assert again.exit_code == 1 and "already exists (use --force to overwrite it)" in again.output
    assert runner.invoke(main, ["eject", str(lecture), SEGMENT, "-o", str(out), "--force"]).exit_code == 0


def test_eject_unknown_segment_suggests_the_closest(ejected, tmp_path):
    lecture, _, _ = ejected
    result = CliRunner().invoke(main, ["eject", str(lecture), "summ", "-o", str(tmp_path / "x.py")])
    assert result.exit_code == 1
    assert f"{lecture}:1:1: no segment with id 'summ'; did you mean 'sum'?" in result.output
    assert not (tmp_path / "x.py").exists()
