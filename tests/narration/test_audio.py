from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from mmlanim.narration.audio import SAMPLE_RATE, duration, fitted, load_audio, n_samples, silence, write_wav

from .conftest import tone


def test_silence_and_duration() -> None:
    assert len(silence(0.5)) == 24_000 and silence(0.5).dtype == np.float32
    assert duration(silence(1.25)) == 1.25
    assert n_samples(1 / 3) == 16_000
    with pytest.raises(ValueError, match=">= 0"):
        silence(-1)


def test_wav_round_trip_clips(tmp_path: Path) -> None:
    samples = np.array([0.0, 0.5, -0.5, 2.0, -2.0], np.float32)
    write_wav(tmp_path / "x.wav", samples)
    back = load_audio(tmp_path / "x.wav")
    assert back == pytest.approx([0.0, 0.5, -0.5, 1.0, -1.0], abs=1e-4)


def test_resamples_and_mixes_down(tmp_path: Path) -> None:
    """A stereo 22.05 kHz file becomes mono 48 kHz at the same loudness."""
    rate = 22_050
    left = tone(2.0, rate=rate)
    path = tmp_path / "stereo.wav"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=rate, layout="stereo")
        frame = av.AudioFrame.from_ndarray(np.stack([left, left]), format="fltp", layout="stereo")
        frame.sample_rate, frame.pts, frame.time_base = rate, 0, Fraction(1, rate)
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    samples = load_audio(path)
    assert len(samples) == pytest.approx(2.0 * SAMPLE_RATE, abs=50)
    middle = samples[SAMPLE_RATE // 2 : -SAMPLE_RATE // 2]
    assert np.sqrt(np.mean(middle**2)) == pytest.approx(0.3 / np.sqrt(2), rel=0.02)


def test_load_rejects_non_audio(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(ValueError, match="x.txt"):
        load_audio(tmp_path / "x.txt")


def test_fitted_trims_or_pads_with_silence() -> None:
    samples = np.arange(1, 6, dtype=np.float64)
    longer = fitted(samples, 8)
    assert longer.dtype == np.float32 and longer.tolist() == [1, 2, 3, 4, 5, 0, 0, 0]
    assert fitted(samples, 3).tolist() == [1, 2, 3]
    assert fitted(samples[None, :], 5).tolist() == [1, 2, 3, 4, 5]  # any shape of mono samples
