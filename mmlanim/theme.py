"""The one look shared by every visual: palette, fonts, sizes and plane style.

Plain data (hex colours, numbers): importing it never imports manim. Sizes
are in manim scene units (the frame is 8 units high), so they read the same
at 480p and at 1080p.

Layout shared by the data visuals: a plane (or axes) on the left, fitted to
the data, and a *panel* on the right (``PANEL_WIDTH`` wide, on a slightly
lighter ground) for formulas and computed numbers.
"""

from __future__ import annotations

__all__ = [
    "ACCENT", "BACKGROUND", "FONT", "FOREGROUND", "MUTED", "PALETTE", "PANEL_BACKGROUND",
    "PLANE_STYLE", "FRAME_HEIGHT", "FRAME_WIDTH", "SAFE_MARGIN", "PANEL_WIDTH",
    "TEXT_SIZE", "LABEL_SIZE", "SMALL_SIZE", "TITLE_SIZE", "STROKE_WIDTH", "DOT_RADIUS",
    "SEQUENTIAL", "DIVERGING", "COLOR_NAMES", "color_at", "diverging_color", "sequential_color", "theme_fingerprint",
]

import hashlib
import json

BACKGROUND = "#101418"
PANEL_BACKGROUND = "#171E26"
FOREGROUND = "#ECEFF4"
MUTED = "#7B8794"
ACCENT = "#FFD166"

# Colour-blind-friendly sequence (Okabe–Ito inspired), brightened for a dark ground.
# The yellow comes last: it is close to ACCENT, which marks results.
PALETTE = ("#56B4E9", "#E69F00", "#2DBE8C", "#E27FB5", "#E8602C", "#9F8CF2", "#F0E442")

# Signed values (weights, eigen-images): blue for negative, orange for positive, symmetric about zero.
DIVERGING = ("#3B7DD8", "#ECEFF4", "#E8862C")

# Low to high values (contours, surfaces, heat): deep blue to the accent yellow.
SEQUENTIAL = ("#23346B", "#2A5C9A", "#2F8FA8", "#3DB58F", "#9BCB63", "#FFD166")

FONT = "Latin Modern Roman"  # the face of LaTeX's formulas: one family for text and mathematics
TITLE_SIZE = 60
TEXT_SIZE = 36
LABEL_SIZE = 30
SMALL_SIZE = 24

FRAME_HEIGHT = 8.0
FRAME_WIDTH = 8.0 * 16 / 9
SAFE_MARGIN = 0.5
PANEL_WIDTH = 4.6

STROKE_WIDTH = 5.0
DOT_RADIUS = 0.07

PLANE_STYLE = {
    "background_line_style": {"stroke_color": "#2E3A46", "stroke_width": 1.5, "stroke_opacity": 1.0},
    "axis_config": {"stroke_color": MUTED, "stroke_width": 2.5},
    "faded_line_ratio": 1,
}


#: The theme's colours by the names authors give them (``colors: {x: blue}``): the palette in
#: order (``blue`` is ``color_at(0)``, the first object's colour; ``orange`` the second's ...),
#: the accent that marks results, and the text colours.
COLOR_NAMES = {
    "blue": PALETTE[0], "orange": PALETTE[1], "green": PALETTE[2], "pink": PALETTE[3],
    "red": PALETTE[4], "purple": PALETTE[5], "yellow": PALETTE[6],
    "accent": ACCENT, "foreground": FOREGROUND, "muted": MUTED,
}


def color_at(i: int) -> str:
    """The ``i``-th colour of the palette (cycling)."""
    return PALETTE[i % len(PALETTE)]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def sequential_color(t: float) -> str:
    """The colour at ``t`` in [0, 1] along :data:`SEQUENTIAL` (clamped), as hex."""
    t = min(max(float(t), 0.0), 1.0) * (len(SEQUENTIAL) - 1)
    i = min(int(t), len(SEQUENTIAL) - 2)
    a, b = _rgb(SEQUENTIAL[i]), _rgb(SEQUENTIAL[i + 1])
    f = t - i
    r, g, bl = (round(x + (y - x) * f) for x, y in zip(a, b))
    return f"#{r:02X}{g:02X}{bl:02X}"


def diverging_color(w: float) -> str:
    """The colour of a signed weight ``w`` in [-1, 1] (clamped): :data:`DIVERGING`'s blue at -1,
    its orange at +1 (its middle, at 0, is never used alone: images fade zero into the ground)."""
    w = min(max(float(w), -1.0), 1.0)
    return DIVERGING[0] if w < 0 else DIVERGING[2]


def theme_fingerprint() -> str:
    """A hash of every value above, for cache keys (a new look re-renders)."""
    values = {k: v for k, v in globals().items() if k.isupper()}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:16]
