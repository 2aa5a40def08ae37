"""Frame counts of beats: exact, never drifting from the narration, ending on whole AAC frames."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlanim.framing import AAC_FRAME, beat_frames, frames_per_aac_step, segment_seconds
from mmlanim.narration.audio import SAMPLE_RATE


@pytest.mark.parametrize("fps", [15, 24, 25, 30, 60])
def test_aac_step_is_the_fewest_frames_of_whole_aac_frames(fps: int) -> None:
    step = frames_per_aac_step(fps)
    whole = [k for k in range(1, 200) if (k * SAMPLE_RATE) % (fps * AAC_FRAME) == 0]
    assert step == whole[0]


def test_aac_step_at_manims_rates() -> None:
    assert [frames_per_aac_step(f) for f in (15, 30, 60)] == [8, 16, 32]


def test_beat_frames_example() -> None:
    # 1.03 s + 2.03 s at 15 fps: rounding each beat alone would give 15 + 30 = 45 frames for 45.9.
    frames = beat_frames([1.03, 2.03], 15)
    assert frames == [15, 33]  # starts on frames 0 and 15; 46 frames rounded up to 48
    assert segment_seconds([1.03, 2.03], 15) == Fraction(48, 15)
    assert beat_frames([], 30) == []


def test_durations_printed_with_a_few_decimals_give_the_same_frames() -> None:
    exact = [0.7213333333, 1.2, 3.4786666667]  # 5.4 s: 81 frames
    assert sum(beat_frames(exact, 15)) == 88
    assert beat_frames([round(d, 6) for d in exact], 15) == beat_frames(exact, 15)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(0.0, 30.0), min_size=1, max_size=12), st.sampled_from([15, 30, 60]))
def test_beat_frames_properties(durations: list[float], fps: int) -> None:
    frames = beat_frames(durations, fps)
    total = sum(frames)
    assert len(frames) == len(durations) and min(frames) >= 1
    # The whole narration fits, ending on a whole AAC frame, with under one AAC step to spare.
    assert (total * SAMPLE_RATE) % (fps * AAC_FRAME) == 0
    needed = max(math.ceil(sum(durations) * fps - 1e-3), len(durations))
    assert needed <= total < needed + frames_per_aac_step(fps)
    # Each beat starts within half a frame of its narration, unless squeezed by 1-frame neighbours.
    start = 0.0
    for i, duration in enumerate(durations):
        first = sum(frames[:i])
        if all(d * fps >= 1 for d in durations):
            assert abs(first - start * fps) <= 0.5 + 1e-9
        start += duration
    # Padding the narration to the video keeps the frames (what the pipeline then renders).
    padded = [*durations[:-1], float(segment_seconds(durations, fps)) - sum(durations[:-1])]
    assert beat_frames(padded, fps) == frames

