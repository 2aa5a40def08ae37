"""scripts/cue_sheet.py picks the frame on screen at each cue, whatever the video stores of a still hold.

mmlanim stores a hold as its first and last frame; a video that stores it as one long frame (as other
tools may) must still show, at a time inside the hold, the held picture and not the next one.
"""

from __future__ import annotations

import importlib.util
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

av = pytest.importorskip("av")

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "cue_sheet.py"


def _script():
    spec = importlib.util.spec_from_file_location("cue_sheet", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _video(path: Path, frames: list[tuple[float, int]]) -> None:
    """An MP4 whose frames are grey levels shown from given times (a held picture is one frame)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 15360)
        for at, level in frames:
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), level, np.uint8), format="rgb24")
            frame.pts, frame.time_base = round(at * 15360), Fraction(1, 15360)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def test_frames_at_gives_the_frame_on_screen_not_the_next_one(tmp_path):
    video = tmp_path / "held.mp4"
    _video(video, [(0.0, 20), (0.0333, 120), (5.0, 230), (5.0333, 230)])  # 120 is held for five seconds
    images = _script().frames_at(video, [0.01, 0.5, 4.9, 5.01, 9.0])
    levels = [int(np.asarray(im.convert("L")).mean().round()) for im in images]
    assert levels == pytest.approx([20, 120, 120, 230, 230], abs=3)
