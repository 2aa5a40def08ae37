"""Decoding a rendered lecture in full with PyAV, to check it against its manifest."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def decoded(path: Path, fps: int) -> tuple[int, float]:
    """Frames the picture lasts and audio seconds decoded, reading the whole file with PyAV.

    A held picture is stored as its first and last frame, so the frames decoded are fewer than
    the frames shown: the picture lasts until one frame after the last frame decoded. Every frame
    decoded must fall on the ``1/fps`` grid, in order, the first at 0.
    """
    times: list[Fraction] = []
    samples, rate = 0, 1
    with av.open(str(path)) as container:
        for packet in container.demux(*[s for s in container.streams if s.type in ("video", "audio")]):
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    assert frame.pts is not None and frame.time_base is not None
                    times.append(frame.pts * frame.time_base * fps)
                else:
                    samples += frame.samples
                    rate = frame.sample_rate
    assert times and times[0] == 0, f"{path}: the picture does not start at 0"
    assert all(t.denominator == 1 for t in times), f"{path}: frames off the 1/{fps} s grid"
    assert all(a < b for a, b in zip(times, times[1:])), f"{path}: frames out of order"
    return int(times[-1]) + 1, samples / rate


def frames_shown(path: Path, fps: int) -> int:
    """Frames the video of ``path`` lasts (see :func:`decoded`)."""
    return decoded(path, fps)[0]


def assert_decodes_as_manifest_says(folder: Path, manifest: dict) -> None:
    frames, seconds = decoded(folder / manifest["file"], manifest["fps"])
    assert frames == round(Fraction(manifest["duration"]).limit_denominator(10**6) * manifest["fps"])
    assert abs(seconds - manifest["duration"]) < 0.05


def pictures(path: Path, fps: int, fmt: str = "rgb24", exact: bool = True) -> list[tuple[float, np.ndarray]]:
    """``(time, picture)`` at every frame of the ``1/fps`` grid, as a player shows them: a held
    picture, stored as its first and last frame, repeated in between. With ``exact`` off, frame
    times a few ticks off the grid (manim's own joins round them to microseconds) are rounded."""
    shown: list[tuple[float, np.ndarray]] = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            assert frame.pts is not None and frame.time_base is not None
            index = frame.pts * frame.time_base * fps
            index = index if exact else round(index)
            assert index == int(index) and index >= len(shown), f"{path}: frame off the grid or out of order"
            picture = frame.to_ndarray(format=fmt)
            while shown and len(shown) < index:  # the picture before held until this one
                shown.append((len(shown) / fps, shown[-1][1]))
            shown.append((int(index) / fps, picture))
    return shown
