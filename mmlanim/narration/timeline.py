"""A segment's beats and sentences as lecture times, for the manifest."""

from __future__ import annotations

__all__ = ["beat_times"]

from typing import Any

from mmlanim.narration.plan import SegmentAudio


def beat_times(offset: float, audio: SegmentAudio) -> list[dict[str, Any]]:
    """Each beat of a segment with its sentences, in seconds from the lecture's start.

    Parameters
    ----------
    offset : float
        The segment's start in the lecture (seconds).
    audio : SegmentAudio
        The segment's timed narration: its beats that last are contiguous and
        cover it; a beat of no duration plays inside a neighbour's time.

    Returns
    -------
    list of dict
        One ``{"name", "start", "end", "sentences"}`` per beat, in order;
        ``sentences`` is a list of ``{"text", "start", "end"}``. Times are
        rounded to microseconds, as the manifest's segment times are.
    """
    return [
        {
            "name": beat.beat,
            "start": round(offset + beat.start, 6),
            "end": round(offset + beat.start + beat.duration, 6),
            "sentences": [
                {"text": s.text, "start": round(offset + s.start, 6), "end": round(offset + s.start + s.duration, 6)}
                for s in beat.sentences
            ],
        }
        for beat in audio.beats
    ]
