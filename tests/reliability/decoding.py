"""Decoding a rendered lecture in full with PyAV, to check it against its manifest."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av


def decoded(path: Path) -> tuple[int, float]:
    """Video frames decoded and audio seconds decoded, reading the whole file with PyAV."""
    frames, samples, rate = 0, 0, 1
    with av.open(str(path)) as container:
        for packet in container.demux(*[s for s in container.streams if s.type in ("video", "audio")]):
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    frames += 1
                else:
                    samples += frame.samples
                    rate = frame.sample_rate
    return frames, samples / rate


def assert_decodes_as_manifest_says(folder: Path, manifest: dict) -> None:
    frames, seconds = decoded(folder / manifest["file"])
    assert frames == round(Fraction(manifest["duration"]).limit_denominator(10**6) * manifest["fps"])
    assert abs(seconds - manifest["duration"]) < 0.05
