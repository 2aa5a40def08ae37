"""Loudness (ITU-R BS.1770) measured and evened out, with a true-peak ceiling.

All functions take mono float32 samples at
:data:`~mmlanim.narration.audio.SAMPLE_RATE` (48 kHz), the rate the
K-weighting coefficients below are given for.
"""

from __future__ import annotations

import numpy as np

from mmlanim.narration.audio import SAMPLE_RATE

# numpy only: scipy's signal package takes about a second to import, in the render's own process,
# while its workers wait for the narration's timing.

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


#: Samples after which the K-weighting's impulse response is below 1e-17 of its start (its slowest
#: poles have radius 0.99502: 0.99502 ** 8192 < 2e-18).
_K_TAIL = 8192


def _k_weighted(samples: np.ndarray) -> np.ndarray:
    """``samples`` through the K-weighting filters (the two biquads, from rest), shape ``(n,)`` float64.

    Filtered in the frequency domain: the biquads' responses sampled at ``m`` points
    are the Fourier series of their impulse responses wrapped every ``m`` samples,
    and with ``m`` at least :data:`_K_TAIL` beyond the signal what wraps is under
    float64's resolution, so this equals the recursive filter to rounding.
    """
    n = len(samples)
    m = 1 << max(n + _K_TAIL - 1, 1).bit_length()
    response = (np.fft.rfft(_SHELF_B, m) / np.fft.rfft(_SHELF_A, m)
                * np.fft.rfft(_HIGHPASS_B, m) / np.fft.rfft(_HIGHPASS_A, m))
    return np.fft.irfft(np.fft.rfft(samples.astype(np.float64), m) * response, m)[:n]


def _block_powers(samples: np.ndarray) -> np.ndarray:
    """Mean square of the K-weighted signal in each gating block, shape ``(n_blocks,)``."""
    weighted = _k_weighted(samples)
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


def _interpolation_filter() -> np.ndarray:
    """The 4x interpolation low-pass: a Kaiser-windowed (beta 5) sinc of 81 taps, cut at the input's
    Nyquist frequency, with a gain of 4 (the usual polyphase resampler's design), shape ``(81,)``."""
    half = 10 * _OVERSAMPLE
    taps = np.sinc((np.arange(2 * half + 1) - half) / _OVERSAMPLE) * np.kaiser(2 * half + 1, 5.0)
    return _OVERSAMPLE * taps / taps.sum()


_INTERPOLATION = _interpolation_filter()


def _oversampled(samples: np.ndarray) -> np.ndarray:
    """``samples`` (shape ``(n,)``) 4x oversampled, shape ``(4 n,)`` float64: output ``4k + p`` is the
    filter's phase ``p`` (every 4th tap from ``p``) run over the input, centred on input sample ``k``."""
    x = samples.astype(np.float64)
    n, half = len(x), 10  # the filter's half length, in input samples
    out = np.empty((n, _OVERSAMPLE))
    for phase in range(_OVERSAMPLE):
        out[:, phase] = np.convolve(x, _INTERPOLATION[phase::_OVERSAMPLE])[half: half + n]
    return out.reshape(-1)


def _oversampled_peaks(samples: np.ndarray) -> np.ndarray:
    """Per input sample, the largest magnitude of the 4x oversampled signal around it, shape ``(n,)``."""
    return np.abs(_oversampled(samples)).reshape(len(samples), _OVERSAMPLE).max(axis=1)


def _edge_padded(values: np.ndarray, before: int, after: int) -> np.ndarray:
    """``values`` with its first value repeated ``before`` times ahead and its last ``after`` times
    behind (shape ``(n + before + after,)``)."""
    return np.concatenate([np.full(before, values[0]), values, np.full(after, values[-1])])


def _moving_min(values: np.ndarray, radius: int) -> np.ndarray:
    """The minimum over ``[i - radius, i + radius]`` at each ``i`` (the edges repeated), shape ``(n,)``.

    Van Herk / Gil–Werman: within blocks as wide as the window, running minima
    from the left and from the right; a window spans at most two blocks.
    """
    n, width = len(values), 2 * radius + 1
    padded = _edge_padded(values, radius, radius)
    blocks = -(-len(padded) // width)
    padded = np.concatenate([padded, np.full(blocks * width - len(padded), np.inf)]).reshape(blocks, width)
    from_left = np.minimum.accumulate(padded, axis=1).reshape(-1)
    from_right = np.minimum.accumulate(padded[:, ::-1], axis=1)[:, ::-1].reshape(-1)
    starts = np.arange(n)
    return np.minimum(from_right[starts], from_left[starts + width - 1])


def _moving_mean(values: np.ndarray, size: int) -> np.ndarray:
    """The mean over ``size`` values centred on each (for an even size, one more before), the edges
    repeated, shape ``(n,)``."""
    before, after = size // 2, size - 1 - size // 2
    sums = np.concatenate([[0.0], np.cumsum(_edge_padded(values.astype(np.float64), before, after))])
    return (sums[size:] - sums[:-size]) / size


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
    peaks = _oversampled_peaks(samples)
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if needed.min() >= 1.0:
        return samples
    width = int(0.02 * SAMPLE_RATE)
    floor = _moving_min(needed, width)
    gain = _moving_mean(floor, width + 1)
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
