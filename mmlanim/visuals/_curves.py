"""Curves y = f(x) on a plane: sampled, clipped to the plane's y-range, lines through a point.

Geometry for :mod:`mmlanim.visuals.function_plot` (pure numpy, but for the
mobject builders at the end, which import manim lazily). Coordinates are the
plane's; nothing built here reaches past the plane's box.
"""

from __future__ import annotations

__all__ = ["SAMPLES", "clip_line", "clipped_runs", "curve_mobject", "fitted_range", "sample"]

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._lazy import manim as mn
from ._layout import nice_step

#: Points a curve is sampled at across the plane.
SAMPLES = 601


def sample(f: Any, x_lo: float, x_hi: float, n: int = SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """``xs`` (n,) evenly over [x_lo, x_hi] and ``f(xs)`` (n,); f is anything with ``value(points)``."""
    xs = np.linspace(x_lo, x_hi, n)
    ys = np.asarray(f.value(xs[:, None]), dtype=np.float64).reshape(n)
    return xs, ys


def clipped_runs(xs: Any, ys: Any, y_lo: float, y_hi: float) -> list[np.ndarray]:
    """The parts of the polyline (xs, ys) inside the band y_lo ≤ y ≤ y_hi.

    Segments are cut where they cross the band's edges (the cut points lie on the
    edges); non-finite values break the line.

    Every segment is cut at once (the band's Liang–Barsky parameters ``t0 ≤ t1``
    along it); a segment continues the run before it when that one reached its
    end inside the band and this one starts inside it.

    Returns
    -------
    list of ndarray, each shape (m, 2) with m ≥ 2
    """
    x = np.asarray(xs, dtype=np.float64).ravel()
    y = np.asarray(ys, dtype=np.float64).ravel()
    if len(x) < 2:
        return []
    xa, xb, ya, yb = x[:-1], x[1:], y[:-1], y[1:]
    dy = yb - ya
    flat = dy == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ta, tb = (y_lo - ya) / dy, (y_hi - ya) / dy
    t0 = np.where(flat, 0.0, np.maximum(0.0, np.minimum(ta, tb)))
    t1 = np.where(flat, 1.0, np.minimum(1.0, np.maximum(ta, tb)))
    inside = np.where(flat, (y_lo <= ya) & (ya <= y_hi), t0 <= t1)
    kept = np.isfinite(ya) & np.isfinite(yb) & inside
    if not kept.any():
        return []
    # A kept segment continues the run when the one before was kept, ended inside (t1 = 1) and this
    # one starts inside (t0 = 0); otherwise it starts a run of its own at its first point.
    joins = np.zeros_like(kept)
    joins[1:] = kept[1:] & kept[:-1] & (t1[:-1] >= 1.0) & (t0[1:] <= 0.0)
    starts = kept & ~joins
    dx = xb - xa
    ends = np.stack([np.stack([xa + t0 * dx, np.clip(ya + t0 * dy, y_lo, y_hi)], axis=-1),
                     np.stack([xa + t1 * dx, np.clip(ya + t1 * dy, y_lo, y_hi)], axis=-1)], axis=1)
    emitted = np.stack([starts, kept], axis=1)  # a run's first point, then every kept segment's last
    points = ends[emitted]
    counts = emitted.sum(axis=1)
    first = (np.cumsum(counts) - counts)[starts]
    return np.split(points, first[1:])


def clip_line(box: Sequence[float], x: float, y: float, slope: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The part of the line through (x, y) with ``slope`` inside ``box`` = (x_lo, x_hi, y_lo, y_hi).

    Returns the two end points (coordinates), or None if the line misses the box.
    """
    x_lo, x_hi, y_lo, y_hi = (float(v) for v in box)
    if not (math.isfinite(slope) and math.isfinite(x) and math.isfinite(y)):
        return None
    xs = np.array([x_lo, x_hi])
    runs = clipped_runs(xs, y + slope * (xs - x), y_lo, y_hi)
    if not runs:
        return None
    return runs[0][0], runs[0][-1]


def fitted_range(values: Any, include: Sequence[float] = (), pad: float = 0.08) -> tuple[float, float]:
    """A y-range for ``values`` (their 2–98 % quantiles when a few samples shoot off), padded
    and rounded out to a round step; ``include`` must be inside."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v)]
    extra = np.asarray([float(i) for i in include if math.isfinite(float(i))])
    if len(v):
        lo, hi = float(v.min()), float(v.max())
        q_lo, q_hi = (float(q) for q in np.quantile(v, [0.02, 0.98]))
        if hi - lo > 4 * max(q_hi - q_lo, 1e-9):  # a pole or a blow-up: keep the bulk in view
            lo, hi = q_lo, q_hi
    else:
        lo, hi = -1.0, 1.0
    if len(extra):
        lo, hi = min(lo, float(extra.min())), max(hi, float(extra.max()))
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    span = hi - lo
    lo, hi = lo - pad * span, hi + pad * span
    step = nice_step(hi - lo, 6.0)
    return math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step


def curve_mobject(plane: Any, runs: Sequence[np.ndarray], color: str, stroke_width: float = 4.0) -> Any:
    """A VGroup of polylines, one per run (coordinates of ``plane``)."""
    group = mn.VGroup()
    for run in runs:
        line = mn.VMobject(stroke_color=color, stroke_width=stroke_width)
        xy = np.asarray(run, dtype=np.float64).reshape(-1, 2)
        # A run's points at once: the same numbers as point by point (manim maps each axis elementwise).
        line.set_points_as_corners(plane.c2p(xy[:, 0], xy[:, 1]).T)
        group.add(line)
    return group
