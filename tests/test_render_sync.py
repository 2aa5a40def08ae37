"""Narration sync, checked on a rendered lecture with PyAV against independent references."""

from __future__ import annotations

import json
import shutil
import subprocess
import wave

import av
import numpy as np
import pytest
from conftest import TEST_DATA

from mmlanim.render.pipeline import RenderOptions, render_lecture

pytestmark = [pytest.mark.render, pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng")]

SR = 48_000
HOP = 480  # 10 ms envelope frames


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sync")
    path = folder / "three-segments.yaml"
    shutil.copyfile(TEST_DATA / "three-segments.yaml", path)
    result = render_lecture(path, RenderOptions(quality="l", resolution=(128, 72), out_dir=folder / "out", jobs=2))
    return result.folder


def decoded_audio(path) -> np.ndarray:
    with av.open(str(path)) as c:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SR)
        chunks = [r.to_ndarray().ravel() for f in c.decode(audio=0) for r in resampler.resample(f)]
    return np.concatenate(chunks)


def envelope(x: np.ndarray) -> np.ndarray:
    n = len(x) // HOP
    return np.sqrt((x[: n * HOP].reshape(n, HOP) ** 2).mean(axis=1))


def espeak_reference(text: str, tmp_path) -> np.ndarray:
    """The sentence spoken by espeak-ng directly (not through mmlanim), resampled to 48 kHz."""
    out = tmp_path / "ref.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "220", "-w", str(out), text], check=True)
    with wave.open(str(out)) as w:
        rate = w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768
    t = np.arange(int(len(x) * SR / rate)) / SR
    return np.interp(t, np.arange(len(x)) / rate, x).astype(np.float32)


def parse_srt(text: str) -> list[tuple[float, str]]:
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        start = lines[1].split(" --> ")[0]
        h, m, s = start.replace(",", ".").split(":")
        cues.append((int(h) * 3600 + int(m) * 60 + float(s), " ".join(lines[2:])))
    return cues


def test_audio_and_video_durations_match(lecture):
    with av.open(str(lecture / "three-segments.mp4")) as c:
        video = c.streams.video[0]
        frames = sum(1 for _ in c.decode(video=0))
        video_seconds = frames / float(video.average_rate)
    audio_seconds = len(decoded_audio(lecture / "three-segments.mp4")) / SR
    assert audio_seconds == pytest.approx(video_seconds, abs=0.1)
    manifest = json.loads((lecture / "manifest.json").read_text())
    assert video_seconds == pytest.approx(manifest["segments"][-1]["end"], abs=1 / 15)


def test_every_subtitle_starts_with_its_sentence_audio(lecture, tmp_path):
    audio_env = envelope(decoded_audio(lecture / "three-segments.mp4"))
    cues = parse_srt((lecture / "three-segments.srt").read_text())
    assert len(cues) == 7  # one per sentence
    for start, text in cues:
        ref = envelope(espeak_reference(text, tmp_path))
        centre = int(round(start * SR / HOP))
        best, best_score = None, -np.inf
        for offset in range(max(0, centre - 50), centre + 51):  # search +-0.5 s
            window = audio_env[offset: offset + len(ref)]
            if len(window) < len(ref):
                break
            score = np.dot(window - window.mean(), ref - ref.mean()) / (window.std() * ref.std() * len(ref) + 1e-12)
            if score > best_score:
                best, best_score = offset, score
        assert best_score > 0.8, f"sentence {text!r} not found near {start:.2f} s (best correlation {best_score:.2f})"
        assert best * HOP / SR == pytest.approx(start, abs=0.1), text


def test_chapters_start_where_segments_start(lecture):
    manifest = json.loads((lecture / "manifest.json").read_text())
    with av.open(str(lecture / "three-segments.mp4")) as c:
        chapters = c.chapters()
    assert [ch["metadata"]["title"] for ch in chapters] == [s["title"] for s in manifest["segments"]]
    for ch, seg in zip(chapters, manifest["segments"]):
        assert float(ch["start"] * ch["time_base"]) == pytest.approx(seg["start"], abs=0.001)
    lines = (lecture / "chapters.txt").read_text().splitlines()
    assert [line.split(" ", 1)[1] for line in lines] == [s["title"] for s in manifest["segments"]]


def test_vtt_matches_srt_times(lecture):
    srt = parse_srt((lecture / "three-segments.srt").read_text())
    vtt = (lecture / "three-segments.vtt").read_text()
    assert vtt.startswith("WEBVTT")
    starts = [line.split(" --> ")[0] for line in vtt.splitlines() if " --> " in line]
    assert len(starts) == len(srt)
    for (start, _), v in zip(srt, starts):
        h, m, s = v.split(":")
        assert int(h) * 3600 + int(m) * 60 + float(s) == pytest.approx(start, abs=0.001)
