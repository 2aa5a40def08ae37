"""The rule that lets segments join by copying: a segment lasts whole AAC frames.

Every segment's narration lasts a whole number of AAC frames
(:data:`AAC_FRAME` samples) and starts with one AAC frame of silence
(:data:`LEAD_IN`), which the encoder's priming frame plays in place of; its
picture lasts exactly as long (whole video frames, the last beat holding
still for the few extra frames, under 0.6 s). Segments then join by copying
their video and audio packets, with sound and picture in step and no edit
list. Everything that depends on the rule lives here: the narration plan
(the lead-in), the scene (frames per beat), the pipeline (the segment's
length) and the muxer (samples per segment). No manim import.
"""

from __future__ import annotations

__all__ = ["AAC_FRAME", "LEAD_IN", "RUN_TIME_HOLD", "beat_frames", "frames_per_aac_step", "segment_seconds",
           "step_frames", "whole_aac_frames"]

import math
from collections.abc import Sequence
from fractions import Fraction

from .narration.audio import SAMPLE_RATE

#: Samples in one AAC frame.
AAC_FRAME = 1024
#: Samples of silence a segment's narration starts with: the encoder's priming frame plays in its place.
LEAD_IN = AAC_FRAME
#: Seconds a beat whose cue sets ``run_time`` holds at least after its animation, however short the cue.
RUN_TIME_HOLD = 0.3

# A beat boundary landing within this fraction of a frame past a whole frame
# is rounding noise (e.g. durations printed with a few decimals), not a frame.
_TOLERANCE = 1e-3


def frames_per_aac_step(fps: int | Fraction) -> int:
    """The fewest video frames that last a whole number of AAC frames.

    8 at 15 fps, 16 at 30 fps and 32 at 60 fps (with 48 kHz audio).
    """
    return (Fraction(AAC_FRAME) * Fraction(fps) / SAMPLE_RATE).numerator


def beat_frames(durations: Sequence[float], fps: int | Fraction) -> list[int]:
    """Frames for consecutive beats lasting ``durations`` seconds.

    Parameters
    ----------
    durations : sequence of float
        Each beat's duration in seconds, in order.
    fps : int or Fraction
        Frame rate.

    Returns
    -------
    list of int
        One count per beat: at least 1 for a beat that lasts, 0 for a beat
        of no duration (nothing is said on it: it plays inside a neighbour's
        time). Beat ``i`` starts on the frame nearest its start in seconds
        (so beats never drift from the narration); the total covers the
        whole duration, rounded up to a multiple of
        :func:`frames_per_aac_step` (the last beat that lasts takes the
        extra frames).
    """
    if not durations:
        return []
    n = len(durations)
    lasting = [float(d) > 0.0 for d in durations]
    if not any(lasting):
        lasting[-1] = True  # the segment is never empty
    starts = [0.0]
    for d in durations[:-1]:
        starts.append(starts[-1] + max(float(d), 0.0))
    end = starts[-1] + max(float(durations[-1]), 0.0)
    step = frames_per_aac_step(fps)
    total = max(math.ceil(end * float(fps) - _TOLERANCE), sum(lasting))
    total = -(-total // step) * step
    bounds = [round(s * float(fps)) for s in starts] + [total]
    for i in range(1, n):  # every lasting beat gets a frame...
        bounds[i] = max(bounds[i], bounds[i - 1] + (1 if lasting[i - 1] else 0))
    for i in range(n - 1, 0, -1):  # ...and none spills past the end
        bounds[i] = min(bounds[i], bounds[i + 1] - (1 if lasting[i] else 0))
    last = max(i for i in range(n) if lasting[i])
    for i in range(last + 1, n):  # the frames left over go to the last beat that lasts
        bounds[i] = total
    return [b - a for a, b in zip(bounds, bounds[1:])]


def segment_seconds(durations: Sequence[float], fps: int | Fraction) -> Fraction:
    """The exact duration of the video of beats lasting ``durations`` seconds."""
    return Fraction(sum(beat_frames(durations, fps)), Fraction(fps))


def whole_aac_frames(seconds: Fraction | float) -> int:
    """Samples in ``seconds`` of narration, rounded up to whole AAC frames."""
    return -(-round(Fraction(seconds) * SAMPLE_RATE) // AAC_FRAME) * AAC_FRAME


def step_frames(natural: Sequence[float], frames: int, fps: int | Fraction) -> tuple[list[int], int]:
    """How a beat of ``frames`` frames plays its steps: the picture leads the words.

    Each step runs for its natural length (``natural[i]`` seconds, at least
    one frame), one after another from the beat's first frame, which is
    when its cue's first word is spoken; the picture then holds still for
    the rest of the beat while the sentence finishes. Steps that together
    outlast the beat are squeezed in proportion to fill it exactly (the
    hold is then 0).

    Parameters
    ----------
    natural : sequence of float
        Each step's natural length in seconds, in order.
    frames : int
        The beat's frames; at least ``len(natural)``.
    fps : int or Fraction
        Frame rate.

    Returns
    -------
    (list of int, int)
        Frames per step, and the frames of the hold after them; they add up
        to ``frames``.
    """
    n = len(natural)
    if n == 0:
        return [], frames
    if n > frames:
        raise ValueError(f"{n} steps cannot play in {frames} frames; group them first")
    wanted = [max(1, round(max(float(s), 0.0) * float(fps))) for s in natural]
    if sum(wanted) <= frames:
        return wanted, frames - sum(wanted)
    # Squeezed: largest-remainder shares of the frames, at least one each.
    spare = frames - n
    raw = [(w - 1) / (sum(wanted) - n) * spare if sum(wanted) > n else 0.0 for w in wanted]
    parts = [int(r) for r in raw]
    order = sorted(range(n), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: spare - sum(parts)]:
        parts[i] += 1
    return [p + 1 for p in parts], 0
