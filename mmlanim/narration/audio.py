"""PCM helpers: the narration layer's one in-memory audio format.

Audio is held as mono ``float32`` numpy arrays in [-1, 1] at
:data:`SAMPLE_RATE` samples per second.
"""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np

__all__ = [
    "SAMPLE_RATE",
    "duration",
    "fitted",
    "load_audio",
    "n_samples",
    "silence",
    "trimmed",
    "write_wav",
]

#: Samples per second of all in-memory audio (and of the AAC in the videos).
SAMPLE_RATE = 48_000


def n_samples(seconds: float) -> int:
    """Number of samples in ``seconds`` of audio (rounded to the nearest)."""
    return int(round(seconds * SAMPLE_RATE))


def fitted(samples: np.ndarray, length: int) -> np.ndarray:
    """``samples`` (mono) trimmed, or padded with silence at the end, to ``length`` samples (float32)."""
    out = np.zeros(length, dtype=np.float32)
    kept = np.asarray(samples, dtype=np.float32).reshape(-1)[:length]
    out[: len(kept)] = kept
    return out


def silence(seconds: float) -> np.ndarray:
    """``seconds`` of silence.

    Parameters
    ----------
    seconds : float
        Length; must not be negative.

    Returns
    -------
    numpy.ndarray
        Zeros, float32, ``n_samples(seconds)`` long.
    """
    if seconds < 0:
        raise ValueError(f"silence needs a length >= 0 s, got {seconds}")
    return np.zeros(n_samples(seconds), dtype=np.float32)


def trimmed(samples: np.ndarray, threshold_db: float = -45.0, lead: float = 0.005, tail: float = 0.04) -> np.ndarray:
    """Speech with the silence before and after it cut off.

    Parameters
    ----------
    samples : numpy.ndarray
        Mono, shape ``(n,)``.
    threshold_db : float, default -45
        Samples quieter than this (dB relative to the peak) count as silence.
    lead, tail : float
        Seconds kept before the first and after the last loud sample; the
        kept margins fade in and out so the cuts make no click.

    Returns
    -------
    numpy.ndarray
        float32, shape ``(m,)`` with ``m <= n``; silence is returned whole.
    """
    flat = np.asarray(samples, dtype=np.float32).reshape(-1)
    peak = float(np.abs(flat).max()) if len(flat) else 0.0
    if peak == 0.0:
        return flat
    loud = np.flatnonzero(np.abs(flat) > peak * 10 ** (threshold_db / 20))
    start = max(0, int(loud[0]) - n_samples(lead))
    end = min(len(flat), int(loud[-1]) + 1 + n_samples(tail))
    out = flat[start:end].copy()
    if start > 0:
        ramp = min(n_samples(lead), len(out))
        out[:ramp] *= np.linspace(0.0, 1.0, ramp, endpoint=False, dtype=np.float32)
    if end < len(flat):
        ramp = min(n_samples(tail), len(out))
        out[len(out) - ramp :] *= np.linspace(1.0, 0.0, ramp, dtype=np.float32)
    return out


def duration(samples: np.ndarray) -> float:
    """Length of ``samples`` in seconds."""
    return len(samples) / SAMPLE_RATE


def load_audio(path: Path | str) -> np.ndarray:
    """Decode an audio file to mono float32 at :data:`SAMPLE_RATE`.

    Any format PyAV (FFmpeg) reads works: wav, mp3, m4a/aac, ogg, flac, ...
    The first audio stream is used; channels are mixed down.

    Parameters
    ----------
    path : Path or str
        The file.

    Returns
    -------
    numpy.ndarray
        The samples.

    Raises
    ------
    ValueError
        If the file cannot be decoded or has no audio stream.
    """
    # Keep the channels through resampling and average them afterwards:
    # FFmpeg's own downmix would boost identical channels by 3 dB.
    resampler = av.AudioResampler(format="fltp", rate=SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise ValueError(f"{path} has no audio stream")
            for frame in container.decode(container.streams.audio[0]):
                chunks.extend(f.to_ndarray().mean(axis=0) for f in resampler.resample(frame))
            chunks.extend(f.to_ndarray().mean(axis=0) for f in resampler.resample(None))
    except av.FFmpegError as exc:
        raise ValueError(f"cannot decode audio file {path}: {exc}") from exc
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32, copy=False)


def write_wav(path: Path | str, samples: np.ndarray) -> None:
    """Write mono samples as a 16-bit PCM wav at :data:`SAMPLE_RATE`.

    Parameters
    ----------
    path : Path or str
        Destination (overwritten).
    samples : numpy.ndarray
        Mono float samples; values outside [-1, 1] are clipped.
    """
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
