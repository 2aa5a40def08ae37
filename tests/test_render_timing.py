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
    lasting = [d > 0 for d in durations] if any(d > 0 for d in durations) else [False] * (len(durations) - 1) + [True]
    assert len(frames) == len(durations)
    # A beat that lasts gets a frame; one of no duration none (it plays in a neighbour's time).
    assert all(f >= 1 for f, keep in zip(frames, lasting) if keep)
    assert all(f == 0 for f, keep in zip(frames, lasting) if not keep)
    # The whole narration fits, ending on a whole AAC frame, with under one AAC step to spare.
    assert (total * SAMPLE_RATE) % (fps * AAC_FRAME) == 0
    needed = max(math.ceil(sum(durations) * fps - 1e-3), sum(lasting))
    assert needed <= total < needed + frames_per_aac_step(fps)
    # Each beat starts within half a frame of its narration, unless squeezed by 1-frame neighbours.
    start = 0.0
    for i, duration in enumerate(durations):
        first = sum(frames[:i])
        if all(d * fps >= 1 for d in durations[:-1]) and durations[-1] * fps >= 1:
            assert abs(first - start * fps) <= 0.5 + 1e-9
        start += duration
    # Padding the narration to the video keeps the frames (what the pipeline then renders).
    k = max(i for i, keep in enumerate(lasting) if keep)  # the pipeline pads the last beat that lasts
    padded = list(durations)
    padded[k] = float(segment_seconds(durations, fps)) - sum(durations) + durations[k]
    assert beat_frames(padded, fps) == frames



# -- steps within a beat: the picture leads the words -------------------------------

def test_steps_play_at_their_natural_length_from_the_beat_start_then_hold() -> None:
    from mmlanim.framing import step_frames

    # A 4-second beat at 30 fps with two 1-second steps: 30 + 30 frames, then 60 held.
    assert step_frames([1.0, 1.0], 120, 30) == ([30, 30], 60)
    # A beat with nothing to animate holds all the way.
    assert step_frames([], 45, 15) == ([], 45)


def test_steps_longer_than_their_beat_are_squeezed_to_fill_it() -> None:
    from mmlanim.framing import step_frames

    parts, hold = step_frames([1.0, 3.0], 40, 30)  # 30 + 90 wanted, 40 there
    assert hold == 0 and sum(parts) == 40
    assert parts[1] > parts[0] >= 1
    with pytest.raises(ValueError, match="3 steps cannot play in 2 frames"):
        step_frames([1, 1, 1], 2, 30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(0, 5), min_size=0, max_size=30), st.integers(1, 600), st.sampled_from([15, 30, 60]))
def test_step_frames_add_up_to_the_beat(natural, frames, fps) -> None:
    from mmlanim.framing import step_frames

    if len(natural) > frames:
        return
    parts, hold = step_frames(natural, frames, fps)
    assert sum(parts) + hold == frames and hold >= 0 and all(p >= 1 for p in parts)
    wanted = [max(1, round(s * fps)) for s in natural]
    if sum(wanted) <= frames:
        assert parts == wanted
    else:
        assert hold == 0


def test_a_beat_of_no_duration_gets_no_frames() -> None:
    # show_plane is not spoken (0 s): it plays inside the next beat's time.
    assert beat_frames([0.0, 2.0, 0.0, 1.0], 15) == [0, 30, 0, 18]  # 45 frames rounded up to 48
    assert beat_frames([0.0, 2.0, 1.0, 0.0], 15) == [0, 30, 18, 0]  # the frames left go to the last that lasts
    assert beat_frames([0.0, 0.0], 15) == [0, 8]  # never an empty segment
