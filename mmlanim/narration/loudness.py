"""Loudness (ITU-R BS.1770) measured and evened out, with a true-peak ceiling.

All functions take mono float32 samples at
:data:`~mmlanim.narration.audio.SAMPLE_RATE` (48 kHz), the rate the
K-weighting coefficients below are given for.
"""

from __future__ import annotations

import numpy as np

from mmlanim.narration.audio import SAMPLE_RATE

# scipy (its signal package takes a few tenths of a second to import) is imported where it is used:
# a render whose narration is all cached measures nothing.

__all__ = [
    "DEFAULT_LOUDNESS",
    "TRUE_PEAK_CEILING",
    "integrated_loudness",
    "matched",
    "normalised",
    "true_peak",
]

#: Integrated loudness every segment's narration is brought to, in LUFS.
DEFAULT_LOUDNESS = -16.0
#: Highest true peak (4x oversampled) allowed after normalisation, in dBTP.
TRUE_PEAK_CEILING = -1.0

# BS.1770-4 K-weighting at 48 kHz: a high shelf (the head's effect) then a high pass.
_SHELF_B = np.array([1.53512485958697, -2.69169618940638, 1.19839281085285])
_SHELF_A = np.array([1.0, -1.69065929318241, 0.73248077421585])
_HIGHPASS_B = np.array([1.0, -2.0, 1.0])
_HIGHPASS_A = np.array([1.0, -1.99004745483398, 0.99007225036621])
_BLOCK = int(0.4 * SAMPLE_RATE)  # gating blocks of 400 ms ...
_STEP = _BLOCK // 4  # ... overlapping by 75 %
_ABSOLUTE_GATE = -70.0
_RELATIVE_GATE = -10.0
_OVERSAMPLE = 4


def _block_powers(samples: np.ndarray) -> np.ndarray:
    """Mean square of the K-weighted signal in each gating block, shape ``(n_blocks,)``."""
    from scipy.signal import lfilter

    weighted = lfilter(_HIGHPASS_B, _HIGHPASS_A, lfilter(_SHELF_B, _SHELF_A, samples.astype(np.float64)))
    if len(weighted) < _BLOCK:
        return np.zeros(0)
    squares = np.concatenate([[0.0], np.cumsum(weighted**2)])
    starts = np.arange(0, len(weighted) - _BLOCK + 1, _STEP)
    return (squares[starts + _BLOCK] - squares[starts]) / _BLOCK


def _lufs(power: float | np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return -0.691 + 10 * np.log10(power)


def integrated_loudness(samples: np.ndarray) -> float:
    """Integrated loudness of ``samples`` (ITU-R BS.1770-4), in LUFS.

    Parameters
    ----------
    samples : numpy.ndarray
        Mono, shape ``(n,)``, at 48 kHz.

    Returns
    -------
    float
        Loudness over the 400 ms blocks that pass the absolute (-70 LUFS)
        and relative (-10 LU) gates; ``-inf`` for silence or audio shorter
        than one block.
    """
    powers = _block_powers(np.asarray(samples).reshape(-1))
    loud = powers[_lufs(powers) > _ABSOLUTE_GATE]
    if len(loud) == 0:
        return float("-inf")
    gate = float(_lufs(loud.mean())) + _RELATIVE_GATE
    kept = loud[_lufs(loud) > gate]
    return float(_lufs(kept.mean()))


def _oversampled_peaks(samples: np.ndarray) -> np.ndarray:
    """Per input sample, the largest magnitude of the 4x oversampled signal around it, shape ``(n,)``."""
    from scipy.signal import resample_poly

    up = np.abs(resample_poly(samples.astype(np.float64), _OVERSAMPLE, 1))
    return up[: len(samples) * _OVERSAMPLE].reshape(len(samples), _OVERSAMPLE).max(axis=1)


def true_peak(samples: np.ndarray) -> float:
    """True peak of ``samples`` (4x oversampled, BS.1770 annex 2), in dBTP (``-inf`` for silence)."""
    flat = np.asarray(samples).reshape(-1)
    if len(flat) == 0:
        return float("-inf")
    peak = float(_oversampled_peaks(flat).max())
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def _limited(samples: np.ndarray, ceiling: float) -> np.ndarray:
    """Turn the loudest moments down so the true peak stays under ``ceiling`` (linear).

    The gain follows the needed reduction with 20 ms of look-ahead and
    release; a moving minimum wider than the smoothing keeps the smoothed gain
    at or below what each sample needs.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    peaks = _oversampled_peaks(samples)
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if needed.min() >= 1.0:
        return samples
    width = int(0.02 * SAMPLE_RATE)
    floor = minimum_filter1d(needed, size=2 * width + 1, mode="nearest")
    gain = uniform_filter1d(floor, size=width + 1, mode="nearest")
    return (samples * np.minimum(gain, needed)).astype(np.float32)


def matched(samples: np.ndarray, target: float = DEFAULT_LOUDNESS) -> np.ndarray:
    """``samples`` scaled (one gain, no limiting) to the integrated loudness ``target``.

    Used to bring takes of different levels to one level before they are
    joined; silence and audio too short to measure are returned unchanged.

    Returns
    -------
    numpy.ndarray
        float32, the shape of ``samples``.
    """
    loudness = integrated_loudness(samples)
    if not np.isfinite(loudness):
        return samples
    return (samples * 10 ** ((target - loudness) / 20)).astype(np.float32)


def normalised(
    samples: np.ndarray, target: float = DEFAULT_LOUDNESS, ceiling_db: float = TRUE_PEAK_CEILING
) -> np.ndarray:
    """``samples`` at integrated loudness ``target`` with true peaks under ``ceiling_db``.

    A gain brings the loudness to ``target``; a smooth peak limiter then keeps
    the true peak under the ceiling, and the gain is corrected for what the
    limiter took (a few rounds). A last scale guarantees the ceiling.

    Parameters
    ----------
    samples : numpy.ndarray
        Mono, shape ``(n,)``, at 48 kHz.
    target : float, default -16
        LUFS.
    ceiling_db : float, default -1
        dBTP.

    Returns
    -------
    numpy.ndarray
        float32, shape ``(n,)``; silence and audio shorter than 400 ms are
        returned unchanged.
    """
    out = matched(samples, target)
    if out is samples:
        return samples
    ceiling = 10 ** ((ceiling_db - 0.1) / 20)
    for _ in range(4):
        out = _limited(out, ceiling)
        loudness = integrated_loudness(out)
        if abs(loudness - target) < 0.05:
            break
        out = (out * 10 ** ((target - loudness) / 20)).astype(np.float32)
    out = _limited(out, ceiling)
    peak = true_peak(out)
    if peak > ceiling_db - 0.05:
        out = (out * 10 ** ((ceiling_db - 0.05 - peak) / 20)).astype(np.float32)
    return out
