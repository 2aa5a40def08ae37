"""The ``lagrange`` visual: contours of f, a constraint curve g = 0, and the point on the curve where
∇f and ∇g are parallel, ∇f = λ∇g."""

from __future__ import annotations

__all__ = ["Lagrange"]

import math
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from .. import theme
from .._lazy import manim as mn
from ._contours import contour_levels, iso_lines
from ._layout import PANEL_CONTENT_Z, arrow, domain_plane, fmt, panel_background, panel_column, plane_area
from ._types import Range
from .base import Visual, VisualParams, beat, check_ordered_domain

#: Samples per axis of the grids the contours and the constraint are traced on.
_GRID = 90
#: Longest arrow drawn (scene units): the longer gradient at the solution is drawn this long.
_ARROW = 1.8
_F_COLOUR = theme.PALETTE[0]
_G_COLOUR = theme.PALETTE[1]


class Lagrange(Visual, kind="lagrange"):
    """Lagrange multipliers: the extremum of f(x, y) on the curve g(x, y) = 0, where ∇f = λ∇g.

    The contour lines of ``function`` are drawn over ``domain`` and the
    ``constraint`` curve g = 0 over them. A point slides along the curve with
    the arrows ∇f and ∇g at it, and the angle between them, until they line
    up at the stationary point chosen by ``show`` (the constrained minimum or
    maximum among those ``mmlanim.maths.lagrange_points`` finds: Newton's method
    on ∇f − λ∇g = 0, g = 0). There the panel gives the point, λ and f; the
    other stationary points on the curve are ringed.
    """

    class Params(VisualParams):
        function: str = Field("x**2*y", description="f(x, y), the function to make extreme.")
        constraint: str = Field("x**2 + y**2 - 1", description="g(x, y): the constraint is the curve g = 0.")
        domain: list[Range] = Field([[-1.6, 1.6], [-1.2, 1.2]], min_length=2, max_length=2,
                                    description="The region shown: [[xmin, xmax], [ymin, ymax]].")
        show: Literal["minimum", "maximum"] = Field(
            "maximum", description="Which stationary point gets the arrows and the numbers: the constrained "
            "minimum (lowest f) or maximum (highest f).")
        levels: int = Field(12, ge=0, le=40, description="How many contour lines of f (0: none).")

        @model_validator(mode="after")
        def _ordered_domain(self) -> Lagrange.Params:
            check_ordered_domain(self.domain)
            return self

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "f": "the function is `function:`",
        "g": "the constraint is `constraint:` (a formula g, for the curve g = 0)",
        "find": "choose the point with `show: minimum` or `show: maximum`",
    }
    example = {"function": "x**2*y", "constraint": "x**2 + y**2 - 1", "domain": [[-1.6, 1.6], [-1.2, 1.2]],
               "show": "maximum"}

    # -- numbers ---------------------------------------------------------------
    def _parse(self, key: str) -> Any:
        from ..maths.expressions import parse_function

        return parse_function(getattr(self.params, key), ("x", "y"))

    def load(self) -> dict[str, Any]:
        from ..maths.multivariate import lagrange_points

        f, g = self._parse("function"), self._parse("constraint")
        points = lagrange_points(f, g, self.params.domain)
        chosen = None
        if points:
            chosen = points[0] if self.params.show == "minimum" else points[-1]
        return {"f": f, "g": g, "points": points, "chosen": chosen}

    def check(self):
        for key in ("function", "constraint"):
            try:
                self._parse(key)
            except ValueError as exc:
                yield (key,), str(exc), getattr(exc, "column", None)
                return
        if self.data["chosen"] is None:
            yield ("constraint",), "no point of the curve g = 0 in the domain has ∇f parallel to ∇g"

    # -- building --------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        p = self.params
        f, g, chosen = self.data["f"], self.data["g"], self.data["chosen"]
        self.f, self.g = f, g
        (x0, x1), (y0, y1) = p.domain
        self.plane = domain_plane((x0, x1), (y0, y1), area=plane_area().with_tick_room(below=0.4))
        self.ticks = self.ctx.axis_numbers(self.plane)
        self.frame = mn.Rectangle(width=self.plane.x_length, height=self.plane.y_length,
                                  stroke_color=theme.MUTED, stroke_width=2).move_to(self.plane)
        xs = np.linspace(x0, x1, _GRID)
        ys = np.linspace(y0, y1, int(_GRID * (y1 - y0) / (x1 - x0)) + 2)
        X, Y = np.meshgrid(xs, ys)
        F, G = f.at(X, Y), g.at(X, Y)
        levels = contour_levels(F, p.levels) if p.levels else np.array([])
        self.shown: dict[str, Any] = {"levels": levels, "chosen": chosen, "points": self.data["points"]}
        self.contours = mn.VGroup()
        for k, level in enumerate(levels):
            colour = theme.sequential_color(k / max(len(levels) - 1, 1))
            for line in iso_lines(xs, ys, F, level):
                if len(line) >= 3:
                    self.contours.add(self._curve(line, colour, 2.5).set_stroke(opacity=0.8))
        self.curve_lines = [line for line in iso_lines(xs, ys, G, 0.0) if len(line) >= 3]
        self.curve = mn.VGroup(*(self._curve(line, theme.FOREGROUND, 5) for line in self.curve_lines)).set_z_index(3)

        # The arrows share one scale, so ∇f = λ∇g reads off their lengths.
        big = max(np.linalg.norm(chosen.grad_f), np.linalg.norm(chosen.grad_g))
        self.arrow_scale = _ARROW / big if big > 0 else 1.0
        self.solution = mn.Dot(self.plane.c2p(*chosen.point), radius=theme.DOT_RADIUS * 1.6,
                               color=theme.ACCENT).set_z_index(6)
        self.final_arrows = self._arrows(chosen.point)
        self.rings = mn.VGroup(*(mn.Circle(radius=0.16, stroke_color=theme.ACCENT, stroke_width=3).move_to(
            self.plane.c2p(*q.point)) for q in self.data["points"] if q is not chosen)).set_z_index(5)
        self._build_slide()

        # The panel.
        grad = lambda fun: r"\begin{bmatrix}" + r"\\".join(fun.gradient_latex) + r"\end{bmatrix}"  # noqa: E731
        (cx, cy), lam = chosen.point, chosen.multiplier
        self.lines = {
            "f": self.ctx.label(f"f(x, y) = {f.latex}"),
            "g": self.ctx.label(f"g(x, y) = {g.latex} = 0"),
            "grads": self.ctx.label(rf"\nabla f = {grad(f)},\ \nabla g = {grad(g)}"),
            "angle": self.angle_row,
            "rule": self.ctx.label(r"\nabla f = \lambda\, \nabla g", color=theme.ACCENT),
            "point": self.ctx.label(rf"\mathbf{{x}}^* = ({fmt(cx)}, {fmt(cy)})", color=theme.ACCENT),
            "lambda": self.ctx.label(rf"\lambda = {fmt(lam, 3)}", color=theme.ACCENT),
            "value": self.ctx.label(rf"f(\mathbf{{x}}^*) = {fmt(chosen.value, 3)}\ \text{{({p.show})}}",
                                    color=theme.ACCENT),
        }
        self.lines["f"].set_color(_F_COLOUR)
        self.lines["g"].set_color(theme.FOREGROUND)
        self.panel = panel_background()
        self.panel_group = panel_column(list(self.lines.values()), buff=0.32)
        scene.add(self.panel)

    def _curve(self, line: np.ndarray, colour: str, width: float) -> Any:
        pts = [self.plane.c2p(x, y) for x, y in line]
        curve = mn.VMobject(stroke_color=colour, stroke_width=width)
        return curve.set_points_smoothly(pts) if len(pts) > 3 else curve.set_points_as_corners(pts)

    def _arrows(self, point: Any) -> Any:
        """∇f and ∇g at ``point`` (coordinates), drawn from it on the common scale."""
        q = np.asarray(point, dtype=float)
        start = np.asarray(self.plane.c2p(*q))
        unit_x = self.plane.x_length / (self.plane.x_range[1] - self.plane.x_range[0])
        unit_y = self.plane.y_length / (self.plane.y_range[1] - self.plane.y_range[0])
        unit = (unit_x + unit_y) / 2  # equal units (domain_plane keeps them when it can): arrows as they are
        group = mn.VGroup()
        # ∇g first, wide; ∇f over it, narrower: when λ is near 1 both still show.
        for grad, colour, width in ((self.g.gradient(q), _G_COLOUR, 7), (self.f.gradient(q), _F_COLOUR, 3.5)):
            v = np.array([grad[0] * unit_x, grad[1] * unit_y, 0.0]) * self.arrow_scale / unit
            length = float(np.linalg.norm(v))
            if not np.isfinite(length) or length < 1e-3:
                group.add(mn.VectorizedPoint(start))
                continue
            if length > 2 * _ARROW:
                v *= 2 * _ARROW / length
            group.add(arrow(start, start + v, colour, stroke_width=width))
        return group.set_z_index(5)

    def _build_slide(self) -> None:
        """A path along the constraint curve ending at the chosen point, and what rides along it."""
        chosen = self.data["chosen"].point
        line = min(self.curve_lines, key=lambda ln: float(np.min(np.linalg.norm(ln - chosen, axis=1))))
        end = int(np.argmin(np.linalg.norm(line - chosen, axis=1)))
        closed = np.allclose(line[0], line[-1])
        span = max(len(line) // 3, 2)
        if closed:
            idx = [(end - span + k) % (len(line) - 1) for k in range(span + 1)]
        else:
            start = end - span if end - span >= 0 else min(end + span, len(line) - 1)
            idx = list(range(start, end + 1)) if start <= end else list(range(start, end - 1, -1))
        self.slide_path = np.vstack([line[idx], chosen])
        self.shown["slide_path"] = self.slide_path
        self.tracker = mn.ValueTracker(0.0)
        cumulative = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(self.slide_path, axis=0), axis=1))])
        self._cumulative = cumulative / (cumulative[-1] or 1.0)

        def where() -> np.ndarray:
            t = float(np.clip(self.tracker.get_value(), 0.0, 1.0))
            return np.array([np.interp(t, self._cumulative, self.slide_path[:, k]) for k in range(2)])

        self.where = where
        self.rider = mn.always_redraw(lambda: mn.Dot(self.plane.c2p(*where()), radius=theme.DOT_RADIUS * 1.6,
                                                     color=theme.ACCENT).set_z_index(6))
        self.riding_arrows = mn.always_redraw(lambda: self._arrows(where()))
        self.angle_number = self.ctx.number(self.angle_at(self.slide_path[0]), 1, color=theme.ACCENT)
        self.angle_row = mn.VGroup(self.ctx.label(r"\text{angle}(\nabla f, \nabla g) =", color=theme.ACCENT),
                                   self.angle_number, self.ctx.label(r"{}^\circ", color=theme.ACCENT)
                                   ).arrange(mn.RIGHT, buff=0.1)
        self.angle_row[2].next_to(self.angle_number, mn.RIGHT, buff=0.04, aligned_edge=mn.UP)

    def angle_at(self, point: Any) -> float:
        """The angle between ∇f and ∇g at ``point``, in degrees, 0 to 180."""
        a, b = self.f.gradient(np.asarray(point, dtype=float)), self.g.gradient(np.asarray(point, dtype=float))
        na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
        if na == 0 or nb == 0:
            return 0.0
        return math.degrees(math.acos(float(np.clip(np.dot(a, b) / (na * nb), -1.0, 1.0))))

    # -- beats -------------------------------------------------------------------
    @beat("Draw the contour lines of f.")
    def show_contours(self, scene: Any):
        yield (mn.Create(self.plane, lag_ratio=0.02), mn.FadeIn(self.ticks), mn.Create(self.frame),
               mn.Create(self.contours, lag_ratio=0.05), mn.FadeIn(self.lines["f"]))

    @beat("Draw the constraint curve g = 0.")
    def show_constraint(self, scene: Any):
        yield mn.Create(self.curve), mn.FadeIn(self.lines["g"])

    @beat("Slide a point along the curve with ∇f and ∇g at it, until they are parallel.")
    def slide(self, scene: Any):
        number = self.angle_number
        def follow(m: Any) -> None:
            if hasattr(m, "set_value"):  # (with text off, the number is a placeholder)
                m.set_value(self.angle_at(self.where()))
                m.set_z_index(PANEL_CONTENT_Z)  # a new value's digits are new mobjects: keep them above the panel

        number.add_updater(follow)
        yield (mn.FadeIn(self.rider), mn.FadeIn(self.riding_arrows), mn.FadeIn(self.lines["grads"]),
               mn.FadeIn(self.angle_row))
        # The slide drives the tracker the rider and the arrows follow (through an invisible carrier).
        yield mn.UpdateFromAlphaFunc(mn.VectorizedPoint(self.plane.get_center()),
                                     lambda _, alpha: self.tracker.set_value(alpha))

    @beat("At the solution: both arrows, the multiplier λ and f there.")
    def show_solution(self, scene: Any):
        self.angle_number.clear_updaters()
        scene.remove(self.rider, self.riding_arrows)
        scene.add(self.solution, self.final_arrows)
        yield (mn.FadeIn(self.lines["rule"]), mn.FadeIn(self.lines["point"]), mn.FadeIn(self.lines["lambda"]),
               mn.Indicate(self.solution, color=theme.ACCENT))
        yield mn.FadeIn(self.lines["value"])

    @beat("Ring the other points on the curve where the gradients line up (the other stationary points).")
    def show_others(self, scene: Any):
        yield mn.Create(self.rings)
