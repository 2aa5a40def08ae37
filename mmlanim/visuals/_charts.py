"""A small chart for a panel: a loss (or χ²) against the steps of a descent, drawn piece by piece.

The fitting kinds (``linear_regression``, ``curve_fit``) show the quantity they minimise falling as
the descent runs. :func:`loss_axes` makes the empty chart (placed with the panel's other lines);
:func:`loss_trace` then cuts the loss's polyline at the descent's chunks, so that each chunk of
steps draws its own piece, with a dot that rides along it.
"""

from __future__ import annotations

__all__ = ["LossChart", "loss_axes", "loss_trace"]

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import theme
from .._lazy import manim as mn
from ._layout import panel_area


@dataclass
class LossChart:
    """The chart's axes, everything drawn with them (axes, name, "steps") and the loss at its top."""

    axes: Any
    group: Any
    top: float


def loss_axes(ctx: Any, losses: np.ndarray, *, name: str, top: float | None = None,
              height: float = 1.8) -> LossChart:
    """Axes the width of the panel for ``losses`` (shape ``(n_steps + 1,)``), named ``name`` (LaTeX).

    The vertical axis runs from 0 to ``top`` (by default the largest finite loss) and a little over.
    """
    finite = losses[np.isfinite(losses)]
    if top is None:
        top = float(finite.max()) if finite.size else 1.0
    top = top or 1.0
    steps = max(len(losses) - 1, 1)
    axes = mn.Axes(x_range=(0, steps, max(1, steps // 4)), y_range=(0, top * 1.05, top * 1.05),
                   x_length=panel_area().width - 0.4, y_length=height, tips=False,
                   axis_config={"stroke_color": theme.MUTED, "stroke_width": 2, "include_ticks": False})
    title = ctx.label(name, color=theme.MUTED, size=theme.SMALL_SIZE)
    title.next_to(axes.c2p(0, top * 1.05), mn.RIGHT, buff=0.1)
    label = ctx.text("steps", color=theme.MUTED, size=theme.SMALL_SIZE - 4)
    label.next_to(axes.x_axis.get_end(), mn.DOWN, buff=0.08, aligned_edge=mn.RIGHT)
    return LossChart(axes, mn.VGroup(axes, title, label), top)


def loss_trace(chart: LossChart, losses: np.ndarray, chunk_ends: Sequence[int]) -> tuple[list[Any], Any]:
    """The loss's polyline on ``chart`` (build it once the chart is placed), in one piece per chunk of
    steps (chunk ``i`` ends at step ``chunk_ends[i]``), and the dot at its start. Losses over the
    chart's top are drawn at the top."""
    pts = [chart.axes.c2p(i, v) for i, v in enumerate(np.clip(losses, 0, chart.top))]
    pieces, start = [], 0
    for end in chunk_ends:
        piece = mn.VMobject(stroke_color=theme.PALETTE[4], stroke_width=3).set_points_as_corners(pts[start:end + 1])
        pieces.append(piece.set_z_index(12))
        start = end
    dot = mn.Dot(pts[0], radius=theme.DOT_RADIUS, color=theme.PALETTE[4]).set_z_index(13)
    return pieces, dot
