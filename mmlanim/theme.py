"""The one look shared by every visual: palette, fonts, sizes and plane style.

Plain data (hex colours, numbers): importing it never imports manim. Sizes
are in manim scene units (the frame is 8 units high), so they read the same
at 480p and at 1080p.
"""

from __future__ import annotations

__all__ = [
    "ACCENT", "BACKGROUND", "FONT", "FOREGROUND", "MUTED", "PALETTE",
    "PLANE_STYLE", "FRAME_HEIGHT", "FRAME_WIDTH", "SAFE_MARGIN",
    "TEXT_SIZE", "LABEL_SIZE", "TITLE_SIZE", "color_at", "theme_fingerprint",
]

import hashlib
import json

BACKGROUND = "#101418"
FOREGROUND = "#ECEFF4"
MUTED = "#7B8794"
ACCENT = "#FFD166"

# Colour-blind-friendly sequence (Okabe–Ito inspired), brightened for a dark ground.
PALETTE = ("#56B4E9", "#E69F00", "#009E73", "#F0E442", "#CC79A7", "#D55E00", "#0072B2")

FONT = "DejaVu Sans"
TITLE_SIZE = 60
TEXT_SIZE = 36
LABEL_SIZE = 30

FRAME_HEIGHT = 8.0
FRAME_WIDTH = 8.0 * 16 / 9
SAFE_MARGIN = 0.5

PLANE_STYLE = {
    "background_line_style": {"stroke_color": "#2E3A46", "stroke_width": 1.5, "stroke_opacity": 1.0},
    "axis_config": {"stroke_color": MUTED, "stroke_width": 2.5},
    "faded_line_ratio": 1,
}


def color_at(i: int) -> str:
    """The ``i``-th colour of the palette (cycling)."""
    return PALETTE[i % len(PALETTE)]


def theme_fingerprint() -> str:
    """A hash of every value above, for cache keys (a new look re-renders)."""
    values = {k: v for k, v in globals().items() if k.isupper()}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:16]
