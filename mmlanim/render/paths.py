"""Cheaper drawing: a vectorized mobject's outline handed to cairo with plain Python floats.

For every mobject it draws in every frame, manim's camera
(``Camera.set_cairo_context_path``) splits the mobject's Bézier points into
subpaths with a dozen numpy operations and then hands cairo each curve's
coordinates one numpy scalar at a time. Our mobjects are small (a glyph, an
arrow, a tick: a few curves each), so the numpy calls' fixed cost, not the
arithmetic, was about a quarter of a segment's drawing time.

:func:`plain_float_paths` replaces that method with one that converts the
points to a list of floats once and finds the subpaths in the same pass that
emits them. It makes the very same cairo calls with the very same numbers:
two anchors are the same point under the same test as manim's (that of
``numpy.isclose``, with the mobject's ``tolerance_for_point_equality``), and
a subpath is closed under manim's ``consider_points_equals_2d``. A mobject
whose type changes either rule, or whose curves are not cubic, is drawn by
manim's own method.
"""

from __future__ import annotations

__all__ = ["plain_float_paths"]

import math
from typing import Any

from ._replacing import replace_once

_RTOL = 1.0e-5  # numpy.isclose's default, as manim uses
_INF = math.inf


def _same(a: float, b: float, atol: float) -> bool:
    """numpy.isclose(a, b) with manim's tolerance, for two floats: manim's test of two anchors (vectorized
    in its split test, per coordinate in ``consider_points_equals_2d``)."""
    if a == b:
        return True
    diff = abs(a - b)
    return diff <= atol + _RTOL * abs(b) and diff != _INF


def _outline(ctx: Any, xy: list[float], n: int, atol: float) -> None:
    """Emit the subpaths of ``n`` points whose coordinates are ``xy`` (``x0, y0, x1, y1, ...``).

    A subpath ends where one curve's last anchor is not the same point as the
    next curve's first; a subpath shorter than one curve is skipped; one whose
    first and last points are the same point is closed (manim's
    ``consider_points_equals_2d(first, last)`` is :func:`_same` on each coordinate).
    """
    move_to, curve_to, new_sub_path = ctx.move_to, ctx.curve_to, ctx.new_sub_path
    start = 0
    for end in range(4, n + 4, 4):
        if end < n:
            b = 2 * end
            if _same(xy[b - 2], xy[b], atol) and _same(xy[b - 1], xy[b + 1], atol):
                continue  # the next curve goes on from this one's end
        end = min(end, n)
        if end - start >= 4:
            new_sub_path()
            move_to(xy[2 * start], xy[2 * start + 1])
            for i in range(2 * start + 2, 2 * end - 5, 8):
                curve_to(*xy[i:i + 6])
            if _same(xy[2 * start], xy[2 * end - 2], atol) and _same(xy[2 * start + 1], xy[2 * end - 1], atol):
                ctx.close_path()
        start = end


def plain_float_paths() -> None:
    """Make manim's cairo camera build each mobject's path with Python floats (see the module's text).

    Idempotent. manim's own method stays reachable as
    ``Camera.set_cairo_context_path.manims``, for comparison.
    """
    from manim.camera.camera import Camera

    replace_once(Camera, "set_cairo_context_path", _float_paths)


def _float_paths(manims: Any) -> Any:
    from manim.mobject.types.vectorized_mobject import VMobject

    equal_2d = VMobject.consider_points_equals_2d
    split = VMobject.get_subpath_split_indices_from_points

    def set_cairo_context_path(self: Any, ctx: Any, vmobject: Any) -> Any:
        kind = type(vmobject)
        if (vmobject.n_points_per_cubic_curve != 4 or kind.consider_points_equals_2d is not equal_2d
                or kind.get_subpath_split_indices_from_points is not split):
            return manims(self, ctx, vmobject)
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        n = len(points)
        if n == 0:
            return self
        ctx.new_path()
        if n < 4:
            return self
        _outline(ctx, points[:, :2].ravel().tolist(), n, vmobject.tolerance_for_point_equality)
        return self

    return set_cairo_context_path
