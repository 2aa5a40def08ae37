"""The ``gradient_descent`` visual: contour lines of f(x, y), its gradient field, and the
descent path step by step."""

from __future__ import annotations

__all__ = ["GradientDescent"]

import math
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from .. import theme
from .._lazy import manim as mn
from ._contours import contour_levels, iso_lines
from ._layout import (
    MAX_DESCENT_STEPS,
    axis_names,
    count_to,
    domain_plane,
    fmt,
    panel_background,
    panel_column,
    plane_area,
)
from ._types import Range, Vector2
from .base import Visual, VisualParams, beat, check_ordered_domain

#: Samples per axis of the grid the contours are traced on.
_GRID = 90


class GradientDescent(Visual, kind="gradient_descent"):
    """Gradient descent on f(x, y): contour lines, the gradient field, and the path step by step.

    ``function`` is a formula in x and y (``+ - * / **``, ``exp``, ``log``,
    ``sin``... parsed safely by ``mmlanim.maths.parse_function``); its
    gradient is derived symbolically and shown in LaTeX. The path is
    ``mmlanim.maths.gradient_descent`` from ``start`` with the given
    ``learning_rate``; the panel shows the step number, the point and f there.
    Contours are traced by marching squares at levels spread over the values.

    With ``surface: true`` the first beat shows f as a surface in an oblique
    (axonometric) projection, drawn flat with the far patches painted first;
    the next beat fades it into the contour map, "seen from above". (The
    segment scene is 2-D, so the surface does not turn.) A path that
    diverges is drawn clamped to the domain's edge and the panel says so.
    """

    emphasis_targets = {
        "function": "the function f, in the panel",
        "gradient": "its gradient, in the panel",
        "rule": "the update rule, in the panel",
        "learning_rate": "the learning rate, in the panel",
        "readout": "the step's numbers (k, x_k, f(x_k)), in the panel",
        "point": "the current point",
        "path": "the path taken so far",
        "lowest": "the surface's lowest point (with surface: true)",
    }

    class Params(VisualParams):
        function: str = Field("x**2 + 3*y**2", description="f(x, y) as a formula, e.g. "
                              "'x**2 + 3*y**2' or '(1 - x)**2 + 5*(y - x**2)**2'.")
        domain: list[Range] = Field([[-3, 3], [-2, 2]], min_length=2, max_length=2,
                                    description="The region shown: [[xmin, xmax], [ymin, ymax]].")
        start: Vector2 = Field([-2.5, 1.5], description="Where the descent starts, [x, y].")
        learning_rate: float = Field(0.1, gt=0, description="Step size η in x ← x − η ∇f(x).")
        steps: int = Field(15, ge=0, le=500, description="How many steps to take (fewer if it "
                           "converges; 0: no descent, only the start point).")
        levels: int = Field(12, ge=0, le=40, description="How many contour lines (0: none).")
        field: Literal["gradient", "negative_gradient", "none"] = Field(
            "negative_gradient", description="Arrows of the gradient field: ∇f (uphill), "
            "−∇f (downhill, the way the descent goes) or none.")
        axis_labels: list[str] | None = Field(None, min_length=2, max_length=2, description=(
            "Names of the horizontal and vertical axes, in plain text, e.g. ['hours', 'score'] (default: none)."))
        surface: bool = Field(False, description="Start with a 3-D view of the surface "
                              "(an oblique projection; beat show_surface).")

        @model_validator(mode="after")
        def _ordered_domain(self) -> GradientDescent.Params:
            check_ordered_domain(self.domain)
            return self

    params: Params
    #: Advice for keys authors reach for that this kind does not take.
    key_hints: ClassVar[dict[str, str]] = {
        "f": "the formula is `function:`, e.g. function: x^2 + 3y^2",
        "formula": "the formula is `function:`, e.g. function: x^2 + 3y^2",
        "lr": "the step size is `learning_rate:`",
        "iterations": "the number of steps is `steps:`",
        "x0": "the starting point is `start: [x, y]`",
        "contours": "the number of contour lines is `levels:` (0 for none)",
    }

    example = {"function": "x**2 + 3*y**2 + x*y", "domain": [[-3, 3], [-2, 2]], "start": [-2.6, 1.6],
               "learning_rate": 0.12, "steps": 14, "surface": True}

    # -- numbers ---------------------------------------------------------------
    def _function(self):
        from ..maths.expressions import parse_function

        return parse_function(self.params.function, ("x", "y"))

    def _descent(self, f: Any):
        from ..maths.calculus import gradient_descent

        p = self.params
        return gradient_descent(f, p.start, p.learning_rate, p.steps)

    def check(self):
        p = self.params
        try:
            f = self._function()
        except ValueError as exc:
            yield ("function",), str(exc), getattr(exc, "column", None)
            return
        (x0, x1), (y0, y1) = p.domain
        if not (x0 <= p.start[0] <= x1 and y0 <= p.start[1] <= y1):
            yield ("start",), f"start {p.start} is outside the domain {p.domain}"
        try:
            self._descent(f)
        except ValueError as exc:
            yield ("start",), str(exc)
            return
        xs, ys = np.linspace(x0, x1, 9), np.linspace(y0, y1, 9)
        if not np.isfinite(f.at(*np.meshgrid(xs, ys))).any():
            yield ("function",), "f is not a finite number anywhere in the domain"

    def warnings(self):
        """A diverging descent is a teaching moment: it is drawn clamped to the domain, but say so."""
        run = self._descent(self._function())
        if run.diverged:
            yield ("learning_rate",), (f"the descent diverges after {run.iterations} steps ({run.reason}); "
                                       "the path is drawn clamped to the domain")

    # -- building --------------------------------------------------------------
    def background_mobjects(self) -> list[Any]:
        return [self.plane, self.ticks, self.frame, self.axis_names, self.contours]

    def target(self, name: str) -> Any:
        if name == "point":
            return self.current
        if name == "lowest":
            return self.lowest if self.params.surface else None
        if name == "path":
            return mn.VGroup(*self.path_segments) if self.path_segments else None
        lines = {"function": "f", "gradient": "grad", "rule": "rule", "learning_rate": "eta", "readout": "readout"}
        return self.panel_lines.get(lines.get(name, ""))

    def setup(self, scene: Any) -> None:
        p = self.params
        f = self.f = self._function()
        run = self.run = self._descent(f)
        (x0, x1), (y0, y1) = p.domain
        self.plane = domain_plane((x0, x1), (y0, y1), area=plane_area().with_tick_room(below=0.4))
        self.ticks = self.ctx.axis_numbers(self.plane)
        self.frame = mn.Rectangle(width=self.plane.x_length, height=self.plane.y_length,
                                  stroke_color=theme.MUTED, stroke_width=2).move_to(self.plane)
        self.axis_names = axis_names(self.ctx, self.plane, p.axis_labels)
        self.shown: dict[str, Any] = {"path": run.path, "values": run.values,
                                      "diverged": run.diverged, "gradient_latex": f.gradient_latex}

        # Contours.
        xs, ys = np.linspace(x0, x1, _GRID), np.linspace(y0, y1, int(_GRID * (y1 - y0) / (x1 - x0)) + 2)
        Z = f.at(*np.meshgrid(xs, ys))
        self.grid_values = (xs, ys, Z)
        levels = contour_levels(Z, p.levels)
        self.shown["levels"] = levels
        self.contours = mn.VGroup()
        for k, level in enumerate(levels):
            colour = theme.sequential_color(k / max(len(levels) - 1, 1))
            for line in iso_lines(xs, ys, Z, level):
                if len(line) < 3:
                    continue
                curve = mn.VMobject(stroke_color=colour, stroke_width=2.5)
                curve.set_points_smoothly([self.plane.c2p(x, y) for x, y in line]) if len(line) > 3 \
                    else curve.set_points_as_corners([self.plane.c2p(x, y) for x, y in line])
                self.contours.add(curve)

        # The gradient field.
        self.field = mn.VGroup()
        if p.field != "none":
            self.field = self._field(f, (x0, x1), (y0, y1), sign=1.0 if p.field == "gradient" else -1.0)

        # The path, clamped to the domain (a diverging path leaves it).
        clamped = np.column_stack([np.clip(run.path[:, 0], x0, x1), np.clip(run.path[:, 1], y0, y1)])
        self.shown["drawn_path"] = clamped
        pts = [self.plane.c2p(x, y) for x, y in clamped]
        self.path_dots = [mn.Dot(pt, radius=theme.DOT_RADIUS * 0.8, color=theme.ACCENT).set_z_index(4)
                          for pt in pts]
        self.path_segments = [mn.Line(a, b, stroke_color=theme.ACCENT, stroke_width=3).set_z_index(3)
                              for a, b in zip(pts[:-1], pts[1:])]
        self.current = mn.Dot(pts[0], radius=theme.DOT_RADIUS * 1.6, color=theme.ACCENT).set_z_index(5)
        self.start_ring = mn.Circle(radius=0.2, stroke_color=theme.ACCENT, stroke_width=3).move_to(pts[0])

        # The panel.
        grad_tex = r"\nabla f = \begin{bmatrix}" + r"\\".join(f.gradient_latex) + r"\end{bmatrix}"
        lines = {
            "f": self.ctx.label(f"f(x, y) = {f.latex}"),
            "grad": self.ctx.label(grad_tex, color=theme.color_at(0)),
            "rule": self.ctx.label(r"\mathbf{x}_{k+1} = \mathbf{x}_k - \eta\, \nabla f(\mathbf{x}_k)",
                                   color=theme.FOREGROUND),
            "eta": self.ctx.label(rf"\eta = {fmt(p.learning_rate, 4)}", color=theme.FOREGROUND),
            "readout": self._readout(0),
        }
        self.panel_lines = lines
        self.panel = panel_background()
        self.panel_group = panel_column(list(lines.values()), buff=0.4)
        self.note = self.ctx.text("the steps diverge: the learning rate is too large" if run.diverged else "",
                         color=theme.PALETTE[4], size=theme.SMALL_SIZE)
        self.note.next_to(self.panel_group, mn.DOWN, aligned_edge=mn.LEFT, buff=0.4).set_z_index(12)
        if self.note.width > self.panel_group.width * 1.05 and self.ctx.draw_text:
            self.note.scale_to_fit_width(max(self.panel_group.width, 3.5))
        self.lowest: Any = mn.VGroup()  # the surface's lowest point (drawn by _surface)
        self.surface = self._surface(f) if p.surface else mn.VGroup()
        scene.add(self.panel)
        if self.context.continues:  # the segment before left this contour map on screen
            scene.add(self.plane, self.ticks, self.frame, self.axis_names, self.contours)

    def _readout(self, k: int) -> Any:
        """Three lines: the step k, the point x_k and f(x_k); only the numbers are new each step."""
        if not hasattr(self, "_templates"):
            self._templates = {key: self.ctx.label(tex, color=theme.ACCENT) for key, tex in (
                ("k", "k ="), ("x", r"\mathbf{x}_k = ("), ("comma", ","), ("close", ")"),
                ("f", r"f(\mathbf{x}_k) ="))}
        t = self._templates
        x, y = self.run.path[k]
        value = self.run.values[k]
        n = lambda v, d=2: self.ctx.number(v, d, color=theme.ACCENT)  # noqa: E731
        row = lambda *parts: mn.VGroup(*parts).arrange(mn.RIGHT, buff=0.1)  # noqa: E731
        nx, comma = n(x), t["comma"].copy()
        point = mn.VGroup(t["x"].copy(), nx, comma, n(y), t["close"].copy()).arrange(mn.RIGHT, buff=0.06)
        point[3].shift(0.08 * mn.RIGHT)
        point[4].shift(0.08 * mn.RIGHT)
        comma.align_to(nx, mn.DOWN).shift(0.06 * mn.DOWN)  # a comma sits on the baseline
        return mn.VGroup(
            row(t["k"].copy(), n(k, 0)),
            point,
            row(t["f"].copy(), n(value, 3)),
        ).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.2)

    def _field(self, f: Any, xr: tuple[float, float], yr: tuple[float, float], sign: float) -> Any:
        nx = 11
        ny = max(3, round(nx * self.plane.y_length / self.plane.x_length))
        dx, dy = (xr[1] - xr[0]) / nx, (yr[1] - yr[0]) / ny
        gx = xr[0] + dx * (np.arange(nx) + 0.5)
        gy = yr[0] + dy * (np.arange(ny) + 0.5)
        X, Y = np.meshgrid(gx, gy)
        G = f.gradient(np.stack([X, Y], axis=-1)).reshape(-1, 2) * sign
        mags = np.linalg.norm(G, axis=1)
        finite = np.isfinite(mags)
        top = float(np.max(mags[finite])) if finite.any() else 0.0
        cell = min(self.plane.x_length / nx, self.plane.y_length / ny)
        group = mn.VGroup()
        for (x, y), g, m in zip(np.column_stack([X.ravel(), Y.ravel()]), G, mags):
            if not np.isfinite(m) or m < 1e-9 * max(top, 1e-300) or top == 0:
                continue
            length = 0.8 * cell * math.sqrt(m / top)
            direction = np.array([g[0] * self.plane.x_length / (xr[1] - xr[0]),
                                  g[1] * self.plane.y_length / (yr[1] - yr[0]), 0.0])
            direction /= np.linalg.norm(direction)
            centre = np.asarray(self.plane.c2p(x, y))
            a = mn.Arrow(centre - direction * length / 2, centre + direction * length / 2, buff=0,
                         stroke_width=2.5, color=theme.FOREGROUND, tip_length=0.12,
                         max_tip_length_to_length_ratio=0.45, max_stroke_width_to_length_ratio=8)
            a.set_opacity(0.55)
            group.add(a)
        group.set_z_index(2)
        return group

    def _surface(self, f: Any) -> Any:
        """f as a surface, in an oblique projection, patches painted back to front."""
        (x0, x1), (y0, y1) = self.params.domain
        n = 22
        xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
        X, Y = np.meshgrid(xs, ys)
        Z = f.at(X, Y)
        finite = np.isfinite(Z)
        if not finite.any():
            return mn.VGroup()
        # Heights are scaled to [0, 1]; only extreme spikes are cut off.
        lo, q90 = float(np.min(Z[finite])), float(np.quantile(Z[finite], 0.9))
        hi = min(float(np.max(Z[finite])), q90 + 3 * (q90 - lo))
        Zn = np.clip((np.where(finite, Z, hi) - lo) / ((hi - lo) or 1.0), 0.0, 1.0)
        s = max(x1 - x0, y1 - y0) / 2
        U, V = (X - (x0 + x1) / 2) / s, (Y - (y0 + y1) / 2) / s
        az, el = math.radians(-30), math.radians(32)
        Ur = U * math.cos(az) - V * math.sin(az)
        Vr = U * math.sin(az) + V * math.cos(az)
        height = 0.9
        SX = Ur
        SY = Vr * math.sin(el) + Zn * height * math.cos(el)
        depth = Vr * math.cos(el) - Zn * height * math.sin(el)
        area = plane_area()
        span_x, span_y = SX.max() - SX.min(), SY.max() - SY.min()
        k = 0.92 * min(area.width / span_x, area.height / span_y)
        cx, cy = (SX.max() + SX.min()) / 2, (SY.max() + SY.min()) / 2
        def pt(j: int, i: int) -> list[float]:
            return [area.center[0] + k * (SX[j, i] - cx), area.center[1] + k * (SY[j, i] - cy), 0.0]
        quads = []
        for j in range(n - 1):
            for i in range(n - 1):
                d = (depth[j, i] + depth[j + 1, i + 1] + depth[j, i + 1] + depth[j + 1, i]) / 4
                z = (Zn[j, i] + Zn[j + 1, i + 1] + Zn[j, i + 1] + Zn[j + 1, i]) / 4
                quads.append((d, z, (j, i)))
        quads.sort(key=lambda q: -q[0])
        group = mn.VGroup()
        for _, z, (j, i) in quads:
            poly = mn.Polygon(pt(j, i), pt(j, i + 1), pt(j + 1, i + 1), pt(j + 1, i),
                              stroke_color=theme.BACKGROUND, stroke_width=1, stroke_opacity=0.6,
                              fill_color=theme.sequential_color(z), fill_opacity=1.0)
            group.add(poly)
        # The lowest point drawn: the mesh's lowest vertex.
        low_j, low_i = (int(k) for k in np.unravel_index(int(np.argmin(np.where(finite, Z, np.inf))), Z.shape))
        self.shown["surface_lowest"] = (float(X[low_j, low_i]), float(Y[low_j, low_i]), float(Z[low_j, low_i]))
        self.lowest = mn.Dot(pt(low_j, low_i), radius=theme.DOT_RADIUS * 1.6, color=theme.ACCENT).set_z_index(5)
        return group

    # -- beats -------------------------------------------------------------------
    def beats_off(self) -> dict[str, str]:
        """Beats that show nothing with these parameters, and the parameter that turns each off."""
        off = {}
        if not self.params.surface:
            off["show_surface"] = "surface"
        if self.params.field == "none":
            off["show_field"] = "field"
        return off

    def background(self) -> tuple[object, ...] | None:
        """The contour map: the function, its domain, its levels and axis labels."""
        p = self.params
        if p.surface:
            return None  # a segment with a surface starts from the surface
        return ("gradient_descent", p.function, repr(p.domain), repr(p.levels),
                repr(getattr(p, "axis_labels", None)))

    @beat("Show f as a surface over the plane, then mark its lowest point (only with surface: true).")
    def show_surface(self, scene: Any):
        if not self.params.surface:
            return
        yield mn.FadeIn(self.surface, lag_ratio=0.002), mn.FadeIn(self.panel_lines["f"])
        yield (mn.GrowFromCenter(self.lowest, run_time=0.5),)  # its lowest point

    @beat("Draw the contour lines of f: each is a level set f(x, y) = c.")
    def show_contours(self, scene: Any):
        if self.params.surface:
            yield mn.FadeOut(self.surface), mn.FadeOut(self.lowest)
        shown = () if self.params.surface else (mn.FadeIn(self.panel_lines["f"]),)
        if self.context.continues:  # the segment before left the contour map on screen
            if shown:
                yield shown
            return
        yield (mn.Create(self.plane, lag_ratio=0.02), mn.FadeIn(self.ticks), mn.Create(self.frame),
               mn.FadeIn(self.axis_names))
        yield mn.Create(self.contours, lag_ratio=0.1), *shown

    @beat("Show the gradient, derived symbolically.")
    def show_gradient(self, scene: Any):
        yield mn.FadeIn(self.panel_lines["grad"])

    @beat("Show the gradient field: arrows across the plane, perpendicular to the contours.")
    def show_field(self, scene: Any):
        if len(self.field):
            yield mn.FadeIn(self.field, lag_ratio=0.02)

    @beat("Take the descent steps one by one, with the current point and value.")
    def descend(self, scene: Any):
        yield (mn.FadeIn(self.current), mn.Create(self.start_ring), mn.FadeIn(self.path_dots[0]),
               mn.FadeIn(self.panel_lines["rule"]), mn.FadeIn(self.panel_lines["eta"]),
               mn.FadeIn(self.panel_lines["readout"]))
        n = len(self.path_segments)
        if n == 0:
            return
        chunks = np.array_split(np.arange(n), min(n, MAX_DESCENT_STEPS))
        readout = self.panel_lines["readout"]
        for chunk in chunks:
            first, last = int(chunk[0]), int(chunk[-1])
            segs = self.path_segments[first:last + 1]
            target = self._readout(last + 1)
            target.move_to(readout, aligned_edge=mn.UL).set_z_index(readout.z_index)
            route = mn.VMobject().set_points_as_corners(
                [self.path_dots[first].get_center()] + [self.path_dots[k + 1].get_center() for k in chunk])
            yield (mn.MoveAlongPath(self.current, route), *(mn.Create(s) for s in segs),
                   *(mn.FadeIn(self.path_dots[k + 1]) for k in chunk),
                   count_to(readout, target))
        if self.run.diverged:
            yield mn.FadeIn(self.note)

    @beat("Mark where the descent ended.")
    def show_minimum(self, scene: Any):
        ring = mn.Circle(radius=0.28, stroke_color=theme.FOREGROUND, stroke_width=4)
        ring.move_to(self.path_dots[-1])
        self.end_ring = ring
        yield mn.Create(ring), mn.Indicate(self.panel_lines["readout"], color=theme.FOREGROUND)
