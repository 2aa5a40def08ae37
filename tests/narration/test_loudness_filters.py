"""The loudness meter's filters, numpy only, against scipy's (the reference implementations):
the K-weighting biquads, the 4x polyphase interpolator, and the limiter's moving minimum and mean."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import lfilter, resample_poly

from mmlanim.narration import loudness


@pytest.fixture(params=[1, 2, 7, 400, 19_200, 250_003])
def signal(request: pytest.FixtureRequest) -> np.ndarray:
    rng = np.random.default_rng(request.param)
    return (rng.standard_normal(request.param) * 0.3).astype(np.float32)


def test_k_weighting_equals_the_recursive_biquads(signal: np.ndarray) -> None:
    x = signal.astype(np.float64)
    expected = lfilter(loudness._HIGHPASS_B, loudness._HIGHPASS_A, lfilter(loudness._SHELF_B, loudness._SHELF_A, x))
    np.testing.assert_allclose(loudness._k_weighted(signal), expected, rtol=0, atol=1e-10)


def test_k_weighting_of_a_long_tone_is_its_gain_at_that_frequency() -> None:
    """A 1 kHz tone through the K-weighting gains +0.69 dB (why BS.1770 subtracts 0.691)."""
    t = np.arange(48_000 * 3) / 48_000
    out = loudness._k_weighted(np.sin(2 * np.pi * 1000 * t))
    steady = out[48_000:]
    gain_db = 10 * np.log10(np.mean(steady**2) / 0.5)
    assert gain_db == pytest.approx(0.691, abs=0.01)


def test_oversampling_equals_the_polyphase_resampler(signal: np.ndarray) -> None:
    expected = resample_poly(signal.astype(np.float64), 4, 1)
    np.testing.assert_allclose(loudness._oversampled(signal), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("radius", [0, 1, 3, 960])
def test_moving_minimum_equals_the_min_filter(signal: np.ndarray, radius: int) -> None:
    x = signal.astype(np.float64)
    np.testing.assert_array_equal(loudness._moving_min(x, radius),
                                  minimum_filter1d(x, size=2 * radius + 1, mode="nearest"))


@pytest.mark.parametrize("size", [1, 2, 4, 961])
def test_moving_mean_equals_the_uniform_filter(signal: np.ndarray, size: int) -> None:
    x = signal.astype(np.float64)
    np.testing.assert_allclose(loudness._moving_mean(x, size), uniform_filter1d(x, size=size, mode="nearest"),
                               rtol=0, atol=1e-12)
