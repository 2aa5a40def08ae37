"""How a segment's picture is encoded: the H.264 settings for each quality (no manim import).

The settings were chosen by measurement (``scripts/bench_encoder.py``) on
frames of the shipped lectures: lecture pictures are flat colours, thin lines
and text on a still background, which x264's ``animation`` tuning and a faster
preset encode at a fraction of ``medium``'s CPU for the same quality. Drafts
(``-q l``) trade bytes for speed. The settings reach manim through
:func:`~mmlanim.render.manim_config.manim_settings`, and the segment cache key
covers them (:func:`encoder_fingerprint`).
"""

from __future__ import annotations

__all__ = ["DRAFT_ENCODER", "ENCODER", "EncoderSettings", "encoder_fingerprint", "encoder_for"]

import hashlib
import json
from dataclasses import dataclass

from ..quality import QUALITIES, Quality


@dataclass(frozen=True)
class EncoderSettings:
    """libx264 settings for a segment's picture.

    Attributes
    ----------
    preset : str
        x264's speed preset (``ultrafast`` ... ``placebo``).
    tune : str or None
        x264's tuning (``animation``: flat areas, more reference frames), or None.
    crf : int
        Constant rate factor (lower: better picture, bigger file).
    """

    preset: str = "medium"
    tune: str | None = None
    crf: int = 23

    def options(self) -> dict[str, str]:
        """The encoder's options as manim and PyAV take them (strings)."""
        opts = {"preset": self.preset, "crf": str(self.crf)}
        if self.tune:
            opts["tune"] = self.tune
        return opts

    @property
    def label(self) -> str:
        """A short name such as ``veryfast/animation/crf23``."""
        return f"{self.preset}/{self.tune or 'none'}/crf{self.crf}"


#: The settings a segment is encoded with (drafts excepted: :data:`DRAFT_ENCODER`). Measured by
#: ``scripts/bench_encoder.py`` on 720 frames of two shipped segments at 1080p60, against manim's
#: default (``medium``, crf 23): 0.64x the encoder's CPU per frame (8.7 ms against 13.6 ms), 0.74x the
#: bytes, luma SSIM 0.9982 against a ``medium``/crf 18 reference (the default: 0.9989). ``veryfast``
#: without the tuning took 8.2 ms but 0.80x the bytes; ``faster`` and ``fast`` took more CPU than
#: ``medium`` here.
ENCODER = EncoderSettings(preset="veryfast", tune="animation", crf=23)


#: The settings of drafts (``-q l``, 480p15), where a render's speed matters more than its bytes. Measured by
#: ``scripts/bench_encoder.py -q l`` on 331 frames of the same two segments at 480p15: 3.2 ms of the
#: encoder's CPU a frame against 6.4 ms for :data:`ENCODER` (at this size x264's fixed cost a frame
#: dominates, and ``ultrafast`` does least), 2.35x the bytes (about 0.2 Mbit/s), luma SSIM 0.9995 against
#: the ``medium``/crf 18 reference (:data:`ENCODER`: 0.9987).
DRAFT_ENCODER = EncoderSettings(preset="ultrafast", tune="animation", crf=23)


def encoder_for(q: Quality) -> EncoderSettings:
    """The settings a picture of quality ``q`` is encoded with: :data:`DRAFT_ENCODER` for drafts
    (``-q l``, whatever its ``-r`` size), otherwise :data:`ENCODER`."""
    return DRAFT_ENCODER if q.letter == "l" else ENCODER


def encoder_fingerprint(q: Quality | None = None) -> str:
    """Hash of the encoder settings for quality ``q`` (part of every segment's cache key), or, without
    ``q``, of the settings of every quality (part of a render worker's environment)."""
    table: object = encoder_for(q).options() if q is not None else [encoder_for(v).options()
                                                                       for v in QUALITIES.values()]
    return hashlib.sha256(json.dumps(table, sort_keys=True).encode()).hexdigest()[:16]
