"""Layout helpers shared by visuals: planes that fit their data, number formatting."""

from __future__ import annotations

__all__ = ["fitted_plane", "fmt", "matrix_tex", "vector_tex"]

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import theme
from .._lazy import manim as mn


def _nice_range(lo: float, hi: float) -> tuple[int, int]:
    lo_i, hi_i = math.floor(min(lo, 0.0)) - 1, math.ceil(max(hi, 0.0)) + 1
    return lo_i, hi_i


def fitted_plane(points: Any, *, width: float | None = None, height: float | None = None,
                 center: Sequence[float] = (0.0, 0.0)) -> Any:
    """A NumberPlane whose ranges cover ``points`` (and the origin) and which fits the frame.

    Parameters
    ----------
    points : array_like, shape (n, 2)
        Points that must be visible.
    width, height : float, optional
        The area to fit into, in scene units (default: the safe frame).
    center : (float, float)
        Where to put the plane's centre on screen.

    Returns
    -------
    manim.NumberPlane
        Unit squares stay square; the plane is as large as fits.
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    width = width or theme.FRAME_WIDTH - 2 * theme.SAFE_MARGIN
    height = height or theme.FRAME_HEIGHT - 2 * theme.SAFE_MARGIN
    x0, x1 = _nice_range(pts[:, 0].min(initial=0.0), pts[:, 0].max(initial=0.0))
    y0, y1 = _nice_range(pts[:, 1].min(initial=0.0), pts[:, 1].max(initial=0.0))
    unit = min(width / (x1 - x0), height / (y1 - y0))
    # Widen the ranges to fill the area, keeping the origin on integer lines.
    extra_x = (width / unit - (x1 - x0)) / 2
    extra_y = (height / unit - (y1 - y0)) / 2
    x0, x1 = x0 - math.floor(extra_x), x1 + math.floor(extra_x)
    y0, y1 = y0 - math.floor(extra_y), y1 + math.floor(extra_y)
    step = max(1, round((x1 - x0) / 16))
    plane = mn.NumberPlane(
        x_range=(x0, x1, step), y_range=(y0, y1, step),
        x_length=unit * (x1 - x0), y_length=unit * (y1 - y0),
        **theme.PLANE_STYLE,
    )
    plane.move_to([*center, 0])
    return plane


def fmt(x: float, digits: int = 2) -> str:
    """A number as a lecture shows it: ``2``, ``-0.5``, ``1.33`` (no ``-0``)."""
    value = round(float(x), digits)
    if value == 0:
        value = 0.0
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text


def vector_tex(v: Sequence[float], digits: int = 2) -> str:
    """LaTeX of a column vector with formatted entries."""
    return r"\begin{bmatrix}" + r"\\".join(fmt(x, digits) for x in v) + r"\end{bmatrix}"


def matrix_tex(m: Any, digits: int = 2) -> str:
    """LaTeX of a matrix with formatted entries."""
    rows = np.atleast_2d(np.asarray(m, dtype=float))
    body = r"\\".join(" & ".join(fmt(x, digits) for x in row) for row in rows)
    return r"\begin{bmatrix}" + body + r"\end{bmatrix}"
