"""Layout helpers shared by visuals: planes that fit their data, the side panel,
shapes and number formatting (text is made by the render context,
:class:`mmlanim.visuals.context.RenderContext`).

The data visuals share one layout: the plane (or axes) on the left, in
:func:`plane_area`, and a panel on the right (:func:`panel_background`,
:func:`panel_column`) with formulas and the computed numbers.
"""

from __future__ import annotations

__all__ = [
    "MAX_DESCENT_STEPS", "Area", "arrow", "axis_names", "combination_tex", "fitted_plane", "fitted_ranges", "fmt",
    "matrix_tex",
    "nice_step",
    "panel_area", "panel_background", "panel_column", "plane_area", "right_angle", "unit_direction", "vector_tex",
    "label_beside", "clip_segment_to", "clip_segments", "covering_plane", "straight_lines", "place_lines",
    "frame_box", "visible_coords_box", "domain_plane", "count_to", "take_on", "dot_terms_tex", "fraction_tex",
]

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import theme
from .._lazy import manim as mn
from ..maths._validation import format_combination

#: Most animation steps a descent (gradient_descent, linear_regression) is cut into: several
#: iterations share a step beyond it.
MAX_DESCENT_STEPS = 24
#: z-index of the panel's ground (above planes and data, which may overflow into it)
PANEL_Z = 10
#: z-index of what is drawn on the panel
PANEL_CONTENT_Z = 11


@dataclass(frozen=True)
class Area:
    """A rectangle of the frame, in scene units."""

    center: tuple[float, float]
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.center[0] - self.width / 2

    @property
    def right(self) -> float:
        return self.center[0] + self.width / 2

    @property
    def top(self) -> float:
        return self.center[1] + self.height / 2

    @property
    def bottom(self) -> float:
        return self.center[1] - self.height / 2

    def with_tick_room(self, left: float = 0.7, below: float = 0.6) -> Area:
        """This area less a strip on its left and one below it, where a plane's tick numbers go."""
        return Area((self.center[0] + left / 2, self.center[1] + below / 2), self.width - left, self.height - below)


def _frame_half_width() -> float:
    return theme.FRAME_WIDTH / 2


def plane_area(panel: bool = True) -> Area:
    """Where the plane goes: the safe frame, less the panel on the right (if any)."""
    half_w, half_h = _frame_half_width(), theme.FRAME_HEIGHT / 2
    left = -half_w + theme.SAFE_MARGIN
    right = half_w - (theme.PANEL_WIDTH + 0.4 if panel else theme.SAFE_MARGIN)
    top, bottom = half_h - theme.SAFE_MARGIN, -half_h + theme.SAFE_MARGIN
    return Area(((left + right) / 2, (top + bottom) / 2), right - left, top - bottom)


def panel_area() -> Area:
    """Where panel content goes (inside the panel's ground, with a margin)."""
    half_w, half_h = _frame_half_width(), theme.FRAME_HEIGHT / 2
    left, right = half_w - theme.PANEL_WIDTH + 0.3, half_w - 0.3
    top, bottom = half_h - theme.SAFE_MARGIN, -half_h + theme.SAFE_MARGIN
    return Area(((left + right) / 2, (top + bottom) / 2), right - left, top - bottom)


def panel_background() -> Any:
    """The panel's ground: the right strip of the frame, full height, over the plane."""
    half_w, h = _frame_half_width(), theme.FRAME_HEIGHT
    rect = mn.Rectangle(width=theme.PANEL_WIDTH + 0.2, height=h + 0.2, stroke_width=0,
                        fill_color=theme.PANEL_BACKGROUND, fill_opacity=1.0)
    rect.move_to([half_w - theme.PANEL_WIDTH / 2 + 0.1, 0, 0])
    rule = mn.Line([half_w - theme.PANEL_WIDTH, -h / 2, 0], [half_w - theme.PANEL_WIDTH, h / 2, 0],
                   stroke_color="#26303B", stroke_width=2)
    group = mn.VGroup(rect, rule)
    group.set_z_index(PANEL_Z)
    group.bleeds = True  # a ground, meant to run past the frame's edge
    return group


def panel_column(items: Sequence[Any], *, top: float | None = None, buff: float = 0.35,
                 area: Area | None = None) -> Any:
    """Stack ``items`` down the panel from ``top``, left-aligned, shrunk to fit its width.

    Returns the VGroup of the items (already positioned, z-index above the panel).
    """
    area = area or panel_area()
    for item in items:
        if item.width > area.width:
            item.scale_to_fit_width(area.width)
    group = mn.VGroup(*items).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=buff)
    if group.height > area.height:
        group.scale_to_fit_height(area.height)
    top = area.top if top is None else top
    group.move_to([area.left + group.width / 2, top - group.height / 2, 0])
    group.set_z_index(PANEL_CONTENT_Z)
    return group


# -- planes --------------------------------------------------------------------

def nice_step(span: float, target: float = 8.0) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``target`` steps over ``span``."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / target
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 5.0, 10.0):
        if raw <= m * power * 1.0001:
            return m * power
    return 10.0 * power  # pragma: no cover


def _nice_range(lo: float, hi: float, step: float, pad: float, include_origin: bool) -> tuple[float, float]:
    if include_origin:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    lo_i = math.floor(lo / step + 1e-9) - math.ceil(pad)
    hi_i = math.ceil(hi / step - 1e-9) + math.ceil(pad)
    if hi_i <= lo_i:
        hi_i = lo_i + 1
    return lo_i * step, hi_i * step


def fitted_ranges(points: Any, *, width: float | None = None, height: float | None = None,
                  area: Area | None = None, include_origin: bool = True, equal: bool = True, pad: float = 1,
                  step: float | None = None) -> tuple[tuple[float, float, float], tuple[float, float, float],
                                                      float, float]:
    """The ranges and lengths :func:`fitted_plane` gives a plane (no manim): ``((x0, x1, x step),
    (y0, y1, y step), x length, y length)``; the same for the same points, so a visual can tell
    whether its plane is the one the segment before left on screen."""
    if area is not None:
        width, height = area.width, area.height
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    width = width or theme.FRAME_WIDTH - 2 * theme.SAFE_MARGIN
    height = height or theme.FRAME_HEIGHT - 2 * theme.SAFE_MARGIN
    lo = pts.min(axis=0, initial=np.inf) if len(pts) else np.zeros(2)
    hi = pts.max(axis=0, initial=-np.inf) if len(pts) else np.zeros(2)
    if include_origin:
        lo, hi = np.minimum(lo, 0.0), np.maximum(hi, 0.0)
    span = float(max(hi - lo))
    if step is None:
        step = 1.0 if include_origin and span <= 16 else nice_step(span, 8.0)
    steps: tuple[float, ...] = (step, step)
    if not equal:
        steps = tuple(nice_step(float(hi[i] - lo[i]) or 1.0, 6.0) for i in range(2))
    x0, x1 = _nice_range(lo[0], hi[0], steps[0], pad, include_origin)
    y0, y1 = _nice_range(lo[1], hi[1], steps[1], pad, include_origin)
    if equal:
        unit = min(width / (x1 - x0), height / (y1 - y0))
        # Widen the ranges to fill the area, keeping the grid on multiples of the step.
        extra_x = math.floor((width / unit - (x1 - x0)) / 2 / step + 1e-9) * step
        extra_y = math.floor((height / unit - (y1 - y0)) / 2 / step + 1e-9) * step
        x0, x1, y0, y1 = x0 - extra_x, x1 + extra_x, y0 - extra_y, y1 + extra_y
        x_len, y_len = unit * (x1 - x0), unit * (y1 - y0)
    else:
        x_len, y_len = width, height
    return (float(x0), float(x1), steps[0]), (float(y0), float(y1), steps[1]), float(x_len), float(y_len)


def fitted_plane(points: Any, *, width: float | None = None, height: float | None = None,
                 center: Sequence[float] = (0.0, 0.0), area: Area | None = None,
                 include_origin: bool = True, equal: bool = True, pad: float = 1,
                 step: float | None = None, style: dict[str, Any] | None = None) -> Any:
    """A NumberPlane whose ranges cover ``points`` and which fits the given area.

    Parameters
    ----------
    points : array_like, shape (n, 2)
        Points that must be visible.
    width, height : float, optional
        The area to fit into, in scene units (default: the safe frame).
    center : (float, float)
        Where to put the plane's centre on screen.
    area : Area, optional
        Alternative to width, height and center.
    include_origin : bool
        Keep (0, 0) in view (vectors and bases); data clouds need not.
    equal : bool
        Equal units on both axes (squares stay square, perpendiculars look
        perpendicular). Otherwise each axis fills its length.
    pad : float
        Grid steps of margin on each side of the points.
    step : float, optional
        Grid step (default: 1 for vectors within 16 units of the origin, else a round step).

    Returns
    -------
    manim.NumberPlane
        With equal units the ranges widen to fill the area, keeping the grid
        on multiples of the step.
    """
    if area is not None:
        center = area.center
    (x0, x1, sx), (y0, y1, sy), x_len, y_len = fitted_ranges(
        points, width=width, height=height, area=area, include_origin=include_origin, equal=equal, pad=pad,
        step=step)
    plane = mn.NumberPlane(
        x_range=(x0, x1, sx), y_range=(y0, y1, sy),
        x_length=x_len, y_length=y_len,
        **(style or theme.PLANE_STYLE),
    )
    plane.move_to([*center, 0])
    return plane


def axis_names(ctx: Any, plane: Any, names: Sequence[str] | None) -> Any:
    """The axes' names in plain text (drawn by ``ctx.text``), inside the plane's bottom-right and top-left corners.

    ``names`` is ``[x name, y name]``; None or empty names draw nothing.
    """
    group = mn.VGroup()
    if not names:
        return group
    for name, corner, towards in ((names[0], mn.DR, mn.UP + mn.LEFT), (names[1], mn.UL, mn.DOWN + mn.RIGHT)):
        if name:
            group.add(ctx.text(name, color=theme.MUTED, size=theme.SMALL_SIZE).next_to(
                plane.get_corner(corner), towards, buff=0.1))
    return group.set_z_index(PANEL_Z - 1)


# -- numbers -------------------------------------------------------------------

def fmt(x: float, digits: int = 2) -> str:
    """A number as a lecture shows it: ``2``, ``-0.5``, ``1.33`` (no ``-0``)."""
    value = round(float(x), digits)
    if value == 0:
        value = 0.0
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text


def vector_tex(v: Sequence[float] | np.ndarray, digits: int = 2) -> str:
    """LaTeX of a column vector with formatted entries."""
    return r"\begin{bmatrix}" + r"\\".join(fmt(x, digits) for x in v) + r"\end{bmatrix}"


def combination_tex(coefficients: Sequence[float], names: Sequence[str], digits: int = 2) -> str:
    """LaTeX of ``c1 n1 + c2 n2 ...``: ``2\\,b_1 - b_2`` (unit coefficients unwritten, zeros dropped)."""
    return format_combination(coefficients, names, number=lambda x: fmt(x, digits), times="\\,")


def dot_terms_tex(u: Any, v: Any, digits: int = 2) -> str:
    """LaTeX of the dot product's arithmetic: ``3 \\cdot 1 + 1 \\cdot 2`` (negative numbers in brackets)."""
    def num(x: float) -> str:
        text = fmt(x, digits)
        return f"({text})" if text.startswith("-") else text

    return " + ".join(f"{num(a)} \\cdot {num(b)}" for a, b in zip(np.ravel(u), np.ravel(v)))


def fraction_tex(x: float, digits: int = 2, max_denominator: int = 12) -> str:
    """LaTeX of ``x`` as an exact fraction when it is one with a small denominator
    (``-\\tfrac{1}{3}``), else as :func:`fmt` writes it (``0.71``)."""
    from fractions import Fraction

    near = Fraction(float(x)).limit_denominator(max_denominator)
    if near.denominator == 1 or abs(float(near) - float(x)) > 1e-9:
        return fmt(x, digits)
    sign = "-" if near < 0 else ""
    return f"{sign}\\tfrac{{{abs(near.numerator)}}}{{{near.denominator}}}"


def matrix_tex(m: Any, digits: int = 2, *, exact: bool = False) -> str:
    """LaTeX of a matrix with formatted entries (with ``exact``, rational ones as fractions)."""
    rows = np.atleast_2d(np.asarray(m, dtype=float))
    entry = (lambda x: fraction_tex(x, digits)) if exact else (lambda x: fmt(x, digits))
    body = r"\\".join(" & ".join(entry(x) for x in row) for row in rows)
    return r"\begin{bmatrix}" + body + r"\end{bmatrix}"


# -- shapes ----------------------------------------------------------------------

def arrow(start: Any, end: Any, color: str, *, stroke_width: float = theme.STROKE_WIDTH,
          **kwargs: Any) -> Any:
    """An arrow from ``start`` to ``end`` (scene points) in the theme's weight."""
    return mn.Arrow(start, end, buff=0, color=color, stroke_width=stroke_width,
                    max_tip_length_to_length_ratio=0.2, tip_length=0.25, **kwargs)


def right_angle(corner: Any, d1: Any, d2: Any, size: float = 0.2, color: str = theme.FOREGROUND) -> Any:
    """A right-angle mark at scene point ``corner`` between directions ``d1`` and ``d2``."""
    c = np.asarray(corner, dtype=float)
    u = np.asarray(d1, dtype=float)
    v = np.asarray(d2, dtype=float)
    u = u / (np.linalg.norm(u) or 1.0) * size
    v = v / (np.linalg.norm(v) or 1.0) * size
    return mn.VMobject(stroke_color=color, stroke_width=2).set_points_as_corners(
        [c + u, c + u + v, c + v])


def unit_direction(v: Sequence[float]) -> np.ndarray:
    """``[x, y]`` as a unit scene direction ``[x, y, 0]`` (zero stays zero)."""
    d = np.array([float(v[0]), float(v[1]), 0.0])
    n = np.linalg.norm(d)
    return d / n if n else d


def label_beside(lab: Any, start: Any, end: Any, *, avoid: Sequence[Any] = (), at: float = 0.6,
                 buff: float = 0.12) -> Any:
    """Put ``lab`` beside the segment ``start``→``end`` (scene points), ``at`` of the way along,
    on the side facing away from the directions in ``avoid`` (scene vectors from ``start``).
    """
    a, b = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    d = b - a
    n = np.array([-d[1], d[0], 0.0])
    n = n / (np.linalg.norm(n) or 1.0)
    score = sum(float(np.dot(n, np.asarray(w, dtype=float) / (np.linalg.norm(w) or 1.0))) for w in avoid)
    side = -1.0 if score > 0 else 1.0
    lab.next_to(a + at * d, side * n, buff=buff)
    return lab


def clip_segment_to(area_points: tuple[Any, Any], p: Any, d: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """The part of the line ``p + t d`` (scene) inside the box ``(lower_left, upper_right)``."""
    lo, hi = (np.asarray(x, dtype=float)[:2] for x in area_points)
    p2, d2 = np.asarray(p, dtype=float)[:2], np.asarray(d, dtype=float)[:2]
    t0, t1 = -np.inf, np.inf
    for k in range(2):
        if abs(d2[k]) < 1e-12:
            if not lo[k] <= p2[k] <= hi[k]:
                return None
            continue
        ta, tb = (lo[k] - p2[k]) / d2[k], (hi[k] - p2[k]) / d2[k]
        t0, t1 = max(t0, min(ta, tb)), min(t1, max(ta, tb))
    if t0 >= t1:
        return None
    return (np.array([*(p2 + t0 * d2), 0.0]), np.array([*(p2 + t1 * d2), 0.0]))


def frame_box() -> tuple[np.ndarray, np.ndarray]:
    """The frame's lower-left and upper-right corners (scene units)."""
    hw, hh = theme.FRAME_WIDTH / 2, theme.FRAME_HEIGHT / 2
    return np.array([-hw, -hh, 0.0]), np.array([hw, hh, 0.0])


def covering_plane(plane: Any, coords_box: tuple[Any, Any], *, max_lines: int = 60,
                   style: dict[str, Any] | None = None) -> Any:
    """A NumberPlane with ``plane``'s units, origin and step covering ``coords_box``.

    ``coords_box`` is ``((xmin, ymin), (xmax, ymax))`` in ``plane``'s coordinates;
    it is rounded out to whole steps and capped at ``max_lines`` lines per axis.
    """
    step_x, step_y = plane.x_range[2], plane.y_range[2]
    (xa, ya), (xb, yb) = (np.asarray(c, dtype=float)[:2] for c in coords_box)
    def rng(a: float, b: float, step: float) -> tuple[float, float]:
        lo, hi = math.floor(a / step) * step, math.ceil(b / step) * step
        half = max_lines * step / 2
        mid = (lo + hi) / 2
        if hi - lo > 2 * half:
            lo, hi = math.floor((mid - half) / step) * step, math.ceil((mid + half) / step) * step
        return min(lo, 0.0), max(hi, 0.0)
    x0, x1 = rng(xa, xb, step_x)
    y0, y1 = rng(ya, yb, step_y)
    ux = plane.x_length / (plane.x_range[1] - plane.x_range[0])
    uy = plane.y_length / (plane.y_range[1] - plane.y_range[0])
    big = mn.NumberPlane(x_range=(x0, x1, step_x), y_range=(y0, y1, step_y),
                         x_length=ux * (x1 - x0), y_length=uy * (y1 - y0),
                         **(style or theme.PLANE_STYLE))
    big.shift(plane.c2p(0, 0) - big.c2p(0, 0))
    big.bleeds = True  # a grid that covers the frame (and keeps covering it when transformed)
    return big


def clip_segments(starts: Any, ends: Any, lower_left: Any, upper_right: Any) -> tuple[np.ndarray, np.ndarray,
                                                                                      np.ndarray]:
    """The parts of the segments ``starts[i]``–``ends[i]`` inside a box (Liang–Barsky, all at once).

    Parameters
    ----------
    starts, ends : array_like, shape (n, 3)
        The segments' ends (scene units; z is kept as given).
    lower_left, upper_right : array_like, shape (2,) or (3,)
        The box's corners.

    Returns
    -------
    a, b : ndarray, shape (n, 3)
        The ends of each segment's part inside the box (meaningless where not ``inside``).
    inside : ndarray of bool, shape (n,)
        Whether some length of the segment lies inside the box.
    """
    p, q = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    lo, hi = (np.asarray(c, dtype=float)[:2] for c in (lower_left, upper_right))
    d = q - p
    t0, t1 = np.zeros(len(p)), np.ones(len(p))
    inside = np.ones(len(p), dtype=bool)
    for k in range(2):
        flat = np.abs(d[:, k]) < 1e-12
        inside &= ~flat | ((lo[k] <= p[:, k]) & (p[:, k] <= hi[k]))
        with np.errstate(divide="ignore", invalid="ignore"):
            ta, tb = (lo[k] - p[:, k]) / d[:, k], (hi[k] - p[:, k]) / d[:, k]
        t0 = np.where(flat, t0, np.maximum(t0, np.minimum(ta, tb)))
        t1 = np.where(flat, t1, np.minimum(t1, np.maximum(ta, tb)))
    inside &= t0 < t1
    return p + t0[:, None] * d, p + t1[:, None] * d, inside


def straight_lines(plane: Any) -> Any:
    """``plane``'s grid lines and axes (a NumberPlane's straight lines) as a VGroup of Lines, styled as drawn.

    Each line's ends are kept (``.ends``, shape (n, 2, 3), scene units) so that
    :func:`place_lines` can show the lines' images under a matrix, cut to a box.
    """
    sources = [m for m in [*plane.background_lines, *plane.faded_lines, plane.x_axis, plane.y_axis]
               if len(m.points) >= 2]
    group = mn.VGroup(*(mn.Line(m.points[0], m.points[-1]).match_style(m) for m in sources))
    group.ends = np.array([[m.points[0], m.points[-1]] for m in sources], dtype=float)
    return group


def place_lines(lines: Any, matrix: Any, origin: Any, box: tuple[Any, Any]) -> Any:
    """Show ``lines`` (from :func:`straight_lines`) as their images under the 2×2 ``matrix`` about ``origin``
    (scene units, as ``apply_matrix`` maps them), each cut to ``box`` (lower-left, upper-right corners);
    a line with no part inside has no points (nothing is drawn). Returns ``lines``."""
    m3 = np.eye(3)
    m3[:2, :2] = np.asarray(matrix, dtype=float)
    o = np.asarray(origin, dtype=float)
    ends = (lines.ends - o) @ m3.T + o
    a, b, inside = clip_segments(ends[:, 0], ends[:, 1], *box)
    thirds = np.array([0.0, 1 / 3, 2 / 3, 1.0])[:, None]
    for line, start, end, shown in zip(lines.submobjects, a, b, inside):
        line.points = start + thirds * (end - start) if shown else np.zeros((0, 3))
    return lines


def visible_coords_box(plane: Any) -> tuple[np.ndarray, np.ndarray]:
    """The frame's corners in ``plane``'s coordinates (lower-left, upper-right)."""
    lo, hi = frame_box()
    return np.asarray(plane.p2c(lo))[:2], np.asarray(plane.p2c(hi))[:2]


def domain_plane(x_range: Sequence[float], y_range: Sequence[float], *, area: Area | None = None,
                 equal: bool = True, style: dict[str, Any] | None = None) -> Any:
    """A NumberPlane showing exactly ``x_range`` × ``y_range``, as large as fits ``area``.

    With ``equal`` (and a domain whose shape is not too far from the area's),
    both axes share one unit so circles stay round; otherwise each axis fills
    its side.
    """
    area = area or plane_area()
    (x0, x1), (y0, y1) = (float(v) for v in x_range), (float(v) for v in y_range)
    w, h = x1 - x0, y1 - y0
    unit = min(area.width / w, area.height / h)
    x_len, y_len = unit * w, unit * h
    if not equal or min(x_len / area.width, y_len / area.height) < 0.4:
        x_len, y_len = area.width, area.height
    step_x = nice_step(w, 8.0)
    step_y = step_x if equal and abs(x_len / w - y_len / h) < 1e-9 else nice_step(h, 6.0)
    plane = mn.NumberPlane(x_range=(x0, x1, step_x), y_range=(y0, y1, step_y),
                           x_length=x_len, y_length=y_len, **(style or theme.PLANE_STYLE))
    plane.move_to([*area.center, 0])
    return plane


def count_to(old: Any, new: Any) -> Any:
    """An animation that shows readout ``new``'s numbers in place of ``old``'s from its first frame.

    The digits switch at once, crisp on every frame (a Transform would morph glyph into glyph,
    and re-typesetting a number every frame loses the readout's z-index, hiding the digits
    behind the panel).
    """
    from ._readouts import ShowReadout

    return ShowReadout(old, new)


def take_on(old: Any, new: Any) -> Any:
    """``old`` takes ``new``'s points and colours, member by member, as ``Mobject.become`` does.

    Like ``become``, it first gives the two families the same shape (``new`` is changed too: members
    are added to the one with fewer), and ``old``'s members keep their identity and z-index; unlike it,
    it does not first resample each curve to its counterpart's number of points, which is most of
    ``become``'s cost and needless when the points are copied over. Returns ``old``.
    """
    old.null_point_align(new)
    old.align_submobjects(new)
    for a, b in zip(old.submobjects, new.submobjects, strict=True):
        take_on(a, b)
    old.points = np.array(new.points)
    old.interpolate_color(old, new, 1)
    return old
