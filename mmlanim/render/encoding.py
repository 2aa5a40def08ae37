"""How a segment's picture is encoded: the H.264 settings (no manim import).

The settings were chosen by measurement (``scripts/bench_encoder.py``) on
frames of the shipped lectures at 1080p60: lecture pictures are flat colours,
thin lines and text on a still background, which x264's ``animation`` tuning
and a faster preset encode at a fraction of ``medium``'s CPU for the same
quality. They reach manim through :func:`~mmlanim.render.manim_config.manim_settings`,
and the segment cache key covers them (:func:`encoder_fingerprint`).
"""

from __future__ import annotations

__all__ = ["ENCODER", "EncoderSettings", "encoder_fingerprint"]

import hashlib
import json
from dataclasses import dataclass


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


#: The settings every segment is encoded with. Measured by ``scripts/bench_encoder.py`` on 720
#: frames of two shipped segments at 1080p60, against manim's default (``medium``, crf 23): 0.64x
#: the encoder's CPU per frame (8.7 ms against 13.6 ms), 0.74x the bytes, luma SSIM 0.9982 against
#: a ``medium``/crf 18 reference (the default: 0.9989). ``veryfast`` without the tuning took
#: 8.2 ms but 0.80x the bytes; ``faster`` and ``fast`` took more CPU than ``medium`` here.
ENCODER = EncoderSettings(preset="veryfast", tune="animation", crf=23)


def encoder_fingerprint(settings: EncoderSettings | None = None) -> str:
    """Hash of the encoder settings (default :data:`ENCODER`), part of every segment's cache key."""
    settings = settings or ENCODER
    return hashlib.sha256(json.dumps(settings.options(), sort_keys=True).encode()).hexdigest()[:16]
