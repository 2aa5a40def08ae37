"""Cheaper bounding boxes: a vectorized mobject's anchors gathered with numpy slices.

Every ``get_center``, ``get_top``, ``move_to``, ``next_to`` and ``arrange`` of a
vectorized mobject reads the anchors of its whole family
(``VMobject.get_points_defining_boundary``), and manim builds that array from a
Python tuple of every anchor, one numpy row at a time. In a 3-D scene this runs
in every frame: manim's ``ThreeDAxes`` shades each of an axis's twenty pieces
with a gradient whose ends are the edge centres of the whole axis, so a frame
of a turning camera gathered some eighty axis families, point by point. It was
half of a 3-D segment's drawing time.

:func:`numpy_boundaries` replaces that method with one that slices each family
member's start and end anchors into one array, interleaved as manim's are: the
same array, value for value and in the same order. A member whose type draws
its anchors some other way, or whose points are not whole cubic curves (where
manim raises), is read through its own ``get_anchors`` as before.
"""

from __future__ import annotations

__all__ = ["numpy_boundaries"]

from typing import Any

import numpy as np

from ._replacing import replace_once


def numpy_boundaries() -> None:
    """Make ``VMobject.get_points_defining_boundary`` gather anchors with numpy slices (see the module's text).

    Idempotent. manim's own method stays reachable as
    ``VMobject.get_points_defining_boundary.manims``, for comparison.
    """
    from manim.mobject.types.vectorized_mobject import VMobject

    replace_once(VMobject, "get_points_defining_boundary", _sliced_anchors)


def _sliced_anchors(manims: Any) -> Any:
    from manim.mobject.types.vectorized_mobject import VMobject

    anchors_of = VMobject.get_anchors
    starts_of, ends_of = VMobject.get_start_anchors, VMobject.get_end_anchors

    def get_points_defining_boundary(self: Any) -> np.ndarray:
        parts = []
        for member in self.get_family():
            points = member.points
            kind = type(member)
            if len(points) == 1:  # manim's get_anchors hands back a single point as it is
                parts.append(points)
                continue
            n = getattr(member, "n_points_per_cubic_curve", 0)
            if (not n or len(points) % n or getattr(kind, "get_anchors", None) is not anchors_of
                    or kind.get_start_anchors is not starts_of or kind.get_end_anchors is not ends_of):
                anchors = member.get_anchors()  # its own way (or manim's error for broken curves)
                if len(anchors):
                    parts.append(np.asarray(anchors, dtype=float).reshape(len(anchors), -1))
                continue
            if len(points):
                both = np.empty((2 * (len(points) // n), points.shape[1]), dtype=points.dtype)
                both[0::2] = points[::n]  # start anchors
                both[1::2] = points[n - 1::n]  # end anchors, each after its curve's start
                parts.append(both)
        if not parts:
            return np.array(())  # as manim's: no anchors at all
        return np.concatenate(parts) if len(parts) > 1 else parts[0].copy()

    return get_points_defining_boundary
