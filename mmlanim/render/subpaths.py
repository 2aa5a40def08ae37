"""Cheaper subpaths: where a path breaks, found for all its curves at once.

Every ``Transform``, and every ``always_redraw`` mobject in every frame (its
``become``), aligns the points of two paths, and to do so splits each into its
subpaths (``VMobject.get_subpaths_from_points``): manim compares each curve's
end with the next curve's start by a call of ``numpy.allclose``, one curve at
a time. For a plotted curve of a few hundred pieces that was some 15 ms a
frame, and 7 % of the drawing CPU of a course.

:func:`vectorised_subpaths` replaces that method with one that finds the breaks
with manim's own vectorised test (``get_subpath_split_indices_from_points``,
the same closeness as ``allclose``: ``|end - start| <= atol + rtol |start|``
per coordinate, ``NaN`` never close, infinities close when equal) and slices
the same subpaths, in the same order, dropping as manim does a piece shorter
than one curve.
"""

from __future__ import annotations

__all__ = ["vectorised_subpaths"]

from typing import Any

import numpy as np

from ._replacing import replace_once


def vectorised_subpaths() -> None:
    """Make ``VMobject.get_subpaths_from_points`` find a path's breaks in one vectorised test (see the
    module's text). Idempotent; manim's own method stays reachable as
    ``VMobject.get_subpaths_from_points.manims``, for comparison."""
    from manim.mobject.types.vectorized_mobject import VMobject

    if not hasattr(VMobject, "get_subpath_split_indices_from_points"):  # an older manim: keep its own
        return
    replace_once(VMobject, "get_subpaths_from_points", _split_at_once)


def _split_at_once(manims: Any) -> Any:
    from manim.mobject.types.vectorized_mobject import VMobject

    consider_equal = VMobject.consider_points_equals

    def get_subpaths_from_points(self: Any, points: Any) -> list[np.ndarray]:
        if type(self).consider_points_equals is not consider_equal:  # a class with its own closeness
            return manims(self, points)
        points = np.asarray(points)
        n = self.n_points_per_cubic_curve
        ranges = self.get_subpath_split_indices_from_points(points)  # every coordinate, as allclose
        return [points[start:end] for start, end in ranges.tolist() if end - start >= n]

    return get_subpaths_from_points
