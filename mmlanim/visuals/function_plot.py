"""The ``function_plot`` visual: y = f(x) on fitted axes, with its slopes, its Taylor
polynomials or Newton–Raphson's tangents."""

from __future__ import annotations

__all__ = ["FunctionPlot"]

import re
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from .. import theme
from .._lazy import manim as mn
from ._curves import clip_line, clipped_runs, curve_mobject, fitted_range, sample
from ._layout import (
    PANEL_CONTENT_Z,
    Area,
    axis_names,
    count_to,
    fmt,
    nice_step,
    panel_background,
    panel_column,
    plane_area,
)
from ._types import Range
from .base import Visual, VisualParams, beat

#: Most Taylor polynomials one segment overlays (one beat each).
MAX_ORDERS = 6
#: Newton steps shown one beat each; the rest play in ``more_steps``.
STEP_BEATS = ("first_step", "second_step", "third_step")
POLYNOMIAL_BEATS = ("first_polynomial", "second_polynomial", "third_polynomial", "fourth_polynomial",
                    "fifth_polynomial", "sixth_polynomial")
MODE_BEATS = {
    "slope": ("rise_over_run", "slide_secant", "show_tangent", "show_derivative"),
    "taylor": ("show_point", *POLYNOMIAL_BEATS),
    "newton": ("show_start", *STEP_BEATS, "more_steps", "show_verdict"),
}
#: Parameters that only one mode reads.
MODE_PARAMS = {
    "slope": ("at", "run", "derivative"),
    "taylor": ("about", "orders", "error_at"),
    "newton": ("start", "steps"),
}
#: The last secant's h, as a share of ``run`` (the limit h = 0 is the tangent).
SMALLEST_H = 1e-3
#: Room kept left of and below a plane for its tick numbers (scene units).
_TICK_ROOM = 0.55


class FunctionPlot(Visual, kind="function_plot"):
    """A function y = f(x) on axes: rise over run and the tangent, Taylor polynomials, or Newton–Raphson.

    ``function`` is a formula in x (parsed safely by
    ``mmlanim.maths.parse_function``, typeset from sympy). The axes show
    ``x_range`` and a y-range fitted to f (or ``y_range``), with tick numbers;
    every curve and line is clipped to them. ``mode`` picks what is shown:

    - ``slope``: the chord from x = ``at`` to ``at + run`` with Δx, Δy and its
      gradient Δy/Δx; the secant sliding into the tangent as h → 0, the slope's
      value changing in place (``mmlanim.maths.univariate.secant_slopes``); then
      (``derivative: true``) f' drawn below, traced by the sliding tangent.
    - ``taylor``: the point a = ``about``, then the Taylor polynomial of each
      of ``orders`` overlaid one by one (``mmlanim.maths.taylor_polynomial``),
      each with its formula and, with ``error_at``, its error there.
    - ``newton``: Newton–Raphson from ``start``: at each iterate the tangent,
      where it meets zero, the next iterate and a table row
      (``mmlanim.maths.univariate.newton_run``); iterates off the axes are
      shown at the edge with their value, and the verdict (a root, a cycle,
      a run away, a flat tangent) is said as it happened.

    Each mode's beats show nothing in the other modes. Consecutive
    ``function_plot`` segments with the same function and axes continue one
    scene: the axes and the curve stay on screen.
    """

    emphasis_targets = {
        "function": "the formula of f, in the panel",
        "curve": "the curve y = f(x)",
        "chord": "slope: the chord from a to a + Δx",
        "gradient": "slope: the chord's gradient Δy/Δx, in the panel",
        "slope": "slope: the secant's slope, in the panel",
        "tangent": "slope: the tangent at a",
        "limit": "slope: f'(a) as a limit, in the panel",
        "derivative": "slope: the formula of f', in the panel",
        "point": "taylor: the point a on the curve",
        "polynomial": "taylor: the formula of the polynomial drawn last",
        "error": "taylor: the error readout",
        "rule": "newton: the update rule, in the panel",
        "table": "newton: the table of iterates",
        "iterate": "newton: the current iterate on the curve",
        "verdict": "newton: what became of the iteration",
    }

    class Params(VisualParams):
        function: str = Field("x**2", description="f(x) as a formula in x, e.g. 'x^2', 'cos(x)', 'exp(x)'.")
        x_range: Range = Field([-1.0, 3.0], description="The x-axis: [xmin, xmax].")
        y_range: Range | None = Field(None, description="The y-axis: [ymin, ymax] (default: fitted to f "
                                      "over x_range, including 0).")
        mode: Literal["slope", "taylor", "newton"] = Field("slope", description=(
            "What is shown: 'slope' (rise over run, secant to tangent, the derivative), 'taylor' "
            "(Taylor polynomials about a point) or 'newton' (Newton–Raphson from a start)."))
        at: float = Field(1.0, description="slope: the point a where the chord starts and the tangent touches.")
        run: float = Field(1.0, description="slope: Δx of the chord, the first secant's h (not 0).")
        derivative: bool = Field(True, description="slope: draw f' below f (beat show_derivative).")
        about: float = Field(0.0, description="taylor: the point a the polynomials are expanded about.")
        orders: list[Annotated[int, Field(ge=0, le=20)]] = Field(
            [0, 1, 2], min_length=1, max_length=MAX_ORDERS,
            description="taylor: the orders overlaid, one beat each (first_polynomial ...), increasing.")
        error_at: float | None = Field(None, description="taylor: an x where each polynomial's error "
                                       "|f(x) − p(x)| is drawn and read out (default: none).")
        start: float = Field(1.0, description="newton: the first guess x_0.")
        steps: int = Field(6, ge=1, le=12, description="newton: the most steps taken (fewer once it "
                           "converges or cycles).")
        axis_labels: list[str] | None = Field(None, min_length=2, max_length=2, description=(
            "Names of the horizontal and vertical axes, in plain text (default: none)."))

        @model_validator(mode="after")
        def _ordered(self) -> FunctionPlot.Params:
            for name in ("x_range", "y_range"):
                r = getattr(self, name)
                if r is not None and not r[0] < r[1]:
                    raise ValueError(f"{name} must go from low to high, got [{r[0]:g}, {r[1]:g}]")
            return self

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "f": "the formula is `function:`, e.g. function: x^2",
        "formula": "the formula is `function:`, e.g. function: x^2",
        "domain": "the x-axis is `x_range: [xmin, xmax]`",
        "x0": "Newton–Raphson's first guess is `start:` (mode: newton); the tangent's point is `at:`",
        "a": "the tangent's point is `at:` (mode: slope); the expansion point is `about:` (mode: taylor)",
        "order": "the Taylor orders are a list, `orders: [0, 1, 2]`",
        "h": "the first secant's h is `run:`",
        "iterations": "the most Newton steps is `steps:`",
    }

    example = {"function": "x^3/3 - x + 1", "x_range": [-2.5, 2.5], "mode": "slope", "at": -1.5, "run": 1.5}

    # -- numbers -----------------------------------------------------------------
    def _function(self) -> Any:
        from ..maths.expressions import parse_function

        return parse_function(self.params.function, ("x",))

    def _taylors(self, f: Any) -> list[Any]:
        from ..maths.calculus import taylor_polynomial

        return [taylor_polynomial(f, self.params.about, n) for n in self.params.orders]

    def _newton(self, f: Any) -> Any:
        from ..maths.univariate import newton_run

        return newton_run(f, self.params.start, self.params.steps)

    def check(self):
        p = self.params
        try:
            f = self._function()
        except ValueError as exc:
            yield ("function",), str(exc), getattr(exc, "column", None)
            return
        x0, x1 = p.x_range
        xs, ys = sample(f, x0, x1, 101)
        if not np.isfinite(ys).any():
            yield ("function",), f"f is not a finite number anywhere in x_range [{x0:g}, {x1:g}]"
            return
        for name in sorted(p.model_fields_set):
            used_by = [m for m, names in MODE_PARAMS.items() if name in names]
            if used_by and p.mode not in used_by:
                yield (name,), f"{name} is read in mode '{used_by[0]}' only; this segment has mode '{p.mode}'"
        if p.mode == "slope":
            yield from self._check_slope(f)
        elif p.mode == "taylor":
            yield from self._check_taylor(f)
        else:
            if not x0 <= p.start <= x1:
                yield ("start",), f"start {p.start:g} is outside x_range [{x0:g}, {x1:g}]"
                return
            try:
                self._newton(f)
            except ValueError as exc:
                yield ("start",), str(exc)

    def _check_slope(self, f: Any):
        from ..maths.univariate import chord, tangent

        p = self.params
        x0, x1 = p.x_range
        if not x0 <= p.at <= x1:
            yield ("at",), f"at {p.at:g} is outside x_range [{x0:g}, {x1:g}]"
        elif p.run == 0:
            yield ("run",), "run is Δx of the chord: it must not be 0"
        elif not x0 <= p.at + p.run <= x1:
            yield ("run",), f"the chord ends at x = {p.at + p.run:g}, outside x_range [{x0:g}, {x1:g}]"
        else:
            try:
                chord(f, p.at, p.run)
                tangent(f, p.at)
            except ValueError as exc:
                yield ("at",), str(exc)

    def _check_taylor(self, f: Any):
        p = self.params
        x0, x1 = p.x_range
        if any(b <= a for a, b in zip(p.orders, p.orders[1:])):
            yield ("orders",), f"orders must increase, got {p.orders}"
        if not x0 <= p.about <= x1:
            yield ("about",), f"about {p.about:g} is outside x_range [{x0:g}, {x1:g}]"
            return
        if p.error_at is not None and not x0 <= p.error_at <= x1:
            yield ("error_at",), f"error_at {p.error_at:g} is outside x_range [{x0:g}, {x1:g}]"
        try:
            self._taylors(f)
        except ValueError as exc:
            yield ("about",), str(exc)

    def warnings(self):
        if self.params.mode != "newton":
            return
        run = self._newton(self._function())
        if run.fate != "converged":
            yield ("start",), f"Newton–Raphson does not find a root from here: {run.verdict}"

    def beats_off(self) -> dict[str, str]:
        """Beats that show nothing with these parameters, and the parameter that turns each off."""
        p = self.params
        off = {name: "mode" for mode, names in MODE_BEATS.items() if mode != p.mode for name in names}
        if p.mode == "slope" and not p.derivative:
            off["show_derivative"] = "derivative"
        if p.mode == "taylor":
            off.update({name: "orders" for name in POLYNOMIAL_BEATS[len(p.orders):]})
        return off

    def background(self) -> tuple[object, ...]:
        """The axes and the curve: the function, its ranges, the layout and the axis labels."""
        p = self.params
        return ("function_plot", p.function, repr(p.x_range), repr(p.y_range),
                p.mode == "slope" and p.derivative, repr(p.axis_labels))

    # -- building ------------------------------------------------------------------
    def target(self, name: str) -> Any:
        """The drawn object called ``name`` (see :attr:`emphasis_targets`), if it is on screen."""
        drawn = {"function": "f_label", "curve": "curve", "chord": "chord_line", "gradient": "gradient_label",
                 "slope": "slope_readout", "tangent": "tangent_line", "limit": "tangent_label",
                 "derivative": "d_label", "point": "point", "rule": "rule",
                 "iterate": "current", "verdict": "verdict"}
        if name == "polynomial":
            shown = [lab for lab in getattr(self, "poly_labels", ()) if lab in self._on_screen()]
            return shown[-1] if shown else None
        if name == "table":
            rows = [row for row in getattr(self, "table", ()) if row in self._on_screen()]
            return mn.VGroup(*rows) if rows else None
        if name == "error":
            readouts = getattr(self, "error_readouts", None)
            mob = readouts[0] if readouts else None
        else:
            mob = getattr(self, drawn.get(name, ""), None)
        return mob if mob is not None and mob in self._on_screen() else None

    def _on_screen(self) -> list[Any]:
        scene = getattr(self, "scene", None)
        return list(scene.mobjects) if scene is not None and hasattr(scene, "mobjects") else []

    def setup(self, scene: Any) -> None:
        self.scene = scene
        p = self.params
        f = self.f = self._function()
        x0, x1 = p.x_range
        xs, ys = self.samples = sample(f, x0, x1)
        self.shown: dict[str, Any] = {}
        include: list[float] = [0.0]
        if p.mode == "newton":
            self.newton = self._newton(f)
            include += [float(self.newton.search.values[0])]
        self.y_range = tuple(p.y_range) if p.y_range else fitted_range(ys, include)
        area = plane_area()
        with_derivative = p.mode == "slope" and p.derivative
        top = Area((area.center[0] + _TICK_ROOM / 2, area.top - (area.height * (0.56 if with_derivative else 1)
                                                                  - _TICK_ROOM) / 2),
                   area.width - _TICK_ROOM, area.height * (0.56 if with_derivative else 1) - _TICK_ROOM)
        self.plane = self._plane((x0, x1), self.y_range, top)
        self.box = (x0, x1, *self.y_range)
        self.frame = self._frame(self.plane)
        self.ticks = self.ctx.axis_numbers(self.plane)
        self.axis_names = axis_names(self.ctx, self.plane, p.axis_labels)
        self.curve = curve_mobject(self.plane, clipped_runs(xs, ys, *self.y_range), theme.color_at(0))
        self.shown["curve"] = [np.asarray([self.plane.p2c(q)[:2] for q in run.points[::4]]) for run in self.curve]
        self.panel = panel_background()
        self.f_label = self.ctx.label(_broken("f(x)", f.latex, budget=24), color=theme.color_at(0))
        self.panel_items: list[Any] = [self.f_label]
        if with_derivative:
            d_xs, d_ys = xs, np.asarray(f.gradient(xs[:, None]), dtype=np.float64)[:, 0]
            self.d_range = fitted_range(d_ys, [0.0])
            d_height = area.height * 0.44 - _TICK_ROOM - 0.35
            bottom = Area((top.center[0], area.bottom + _TICK_ROOM + d_height / 2), top.width, d_height)
            self.d_plane = self._plane((x0, x1), self.d_range, bottom)
            self.d_frame = self._frame(self.d_plane)
            self.d_ticks = self.ctx.axis_numbers(self.d_plane)
            self.d_values = (d_xs, d_ys)
        {"slope": self._setup_slope, "taylor": self._setup_taylor, "newton": self._setup_newton}[p.mode]()
        self.panel_group = panel_column(self.panel_items, buff=0.32)
        scene.add(self.panel)
        if self.context.continues:
            scene.add(self.plane, self.frame, self.ticks, self.axis_names, self.curve, self.f_label)
            if with_derivative:
                scene.add(self.d_plane, self.d_frame, self.d_ticks)

    def _plane(self, x_range: tuple[float, float], y_range: tuple[float, ...], area: Area) -> Any:
        """Axes exactly over the ranges, filling ``area``, with about six ticks across and one up every 0.6 units."""
        (x0, x1), (y0, y1) = x_range, y_range
        plane = mn.NumberPlane(x_range=(x0, x1, nice_step(x1 - x0, 6.0)),
                               y_range=(y0, y1, nice_step(y1 - y0, min(8.0, max(3.0, area.height / 0.6)))),
                               x_length=area.width, y_length=area.height, **theme.PLANE_STYLE)
        return plane.move_to([*area.center, 0])

    def _frame(self, plane: Any) -> Any:
        return mn.Rectangle(width=plane.x_length, height=plane.y_length, stroke_color=theme.MUTED,
                            stroke_width=2).move_to(plane)

    def _line(self, x: float, y: float, slope: float, color: str, plane: Any = None,
              box: tuple[float, ...] | None = None, width: float = 4.0) -> Any:
        """The line through (x, y) with ``slope``, clipped to the plane (an empty line if it misses)."""
        plane = plane or self.plane
        ends = clip_line(box or self.box, x, y, slope)
        if ends is None:
            return mn.VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(
                [plane.c2p(x, y)] * 2).set_stroke(opacity=0)
        return mn.Line(plane.c2p(*ends[0]), plane.c2p(*ends[1]), stroke_color=color, stroke_width=width)

    def _dot(self, x: float, y: float, color: str = theme.ACCENT, plane: Any = None, scale: float = 1.3) -> Any:
        plane = plane or self.plane
        lo, hi = self.box[2:] if plane is self.plane else self.d_range
        return mn.Dot(plane.c2p(x, float(np.clip(y, lo, hi))), radius=theme.DOT_RADIUS * scale,
                      color=color).set_z_index(5)

    def _value(self, x: float) -> float:
        return float(self.f.value([x]))

    # -- slope ---------------------------------------------------------------------
    def _setup_slope(self) -> None:
        from ..maths.univariate import chord, secant_slopes, tangent

        p, f = self.params, self.f
        a, run = p.at, p.run
        ch = self.chord = chord(f, a, run)
        tan = self.tangent = tangent(f, a)
        self.shown.update(gradient=ch.gradient, rise=ch.rise, run=ch.run, tangent_slope=tan.slope)
        A, B = self.plane.c2p(a, ch.y0), self.plane.c2p(a + run, ch.y1)
        corner = self.plane.c2p(a + run, ch.y0)
        self.dot_a = self._dot(a, ch.y0)
        self.dot_b = self._dot(a + run, ch.y1, theme.color_at(1))
        self.chord_line = mn.Line(A, B, stroke_color=theme.color_at(1), stroke_width=4).set_z_index(3)
        self.run_leg = mn.DashedLine(A, corner, stroke_color=theme.FOREGROUND, stroke_width=3)
        self.rise_leg = mn.DashedLine(corner, B, stroke_color=theme.FOREGROUND, stroke_width=3)
        self.run_label = self.ctx.label(rf"\Delta x = {fmt(run)}", size=theme.SMALL_SIZE)
        self.rise_label = self.ctx.label(rf"\Delta y = {fmt(ch.rise, 3)}", size=theme.SMALL_SIZE)
        below = mn.DOWN if ch.rise >= 0 else mn.UP
        self.run_label.next_to(self.run_leg, below, buff=0.12)
        self.rise_label.next_to(self.rise_leg, mn.RIGHT if run > 0 else mn.LEFT, buff=0.12)
        self._keep_inside(self.run_label, self.rise_label)
        self.gradient_label = self.ctx.label(
            rf"\text{{gradient}} = \frac{{\Delta y}}{{\Delta x}} = \frac{{{fmt(ch.rise, 3)}}}{{{fmt(run, 3)}}}"
            rf" = {fmt(ch.gradient, 3)}", color=theme.color_at(1))
        # The secant: h runs from `run` to 0; its slope is read from the maths at every frame.
        self.h = mn.ValueTracker(run)
        self.secant_slope = lambda h: float(secant_slopes(f, a, [h])[0])  # noqa: E731
        self.secant = mn.always_redraw(lambda: self._line(a, ch.y0, self.secant_slope(self.h.get_value()),
                                                          theme.color_at(1)).set_z_index(3))
        self.moving_b = mn.always_redraw(lambda: self._dot(a + self.h.get_value(),
                                                           self._value(a + self.h.get_value()),
                                                           theme.color_at(1)))
        self.h_readout = self._readout("h =", run, theme.FOREGROUND)
        self.slope_readout = self._readout(r"\frac{f(a + h) - f(a)}{h} =", ch.gradient, theme.color_at(1))
        self._follow(self.h_readout[1], lambda: self.h.get_value())
        self._follow(self.slope_readout[1], lambda: self.secant_slope(self.h.get_value()))
        self.tangent_label = self.ctx.label(rf"f'({fmt(a, 3)}) &= \lim_{{h \to 0}} \frac{{f({fmt(a, 3)} + h) - "
                                            rf"f({fmt(a, 3)})}}{{h}} \\ &= {fmt(tan.slope, 3)}", color=theme.ACCENT)
        self.tangent_line = self._line(a, ch.y0, tan.slope, theme.ACCENT).set_z_index(3)
        self.panel_items += [self.gradient_label, self.h_readout, self.slope_readout, self.tangent_label]
        if p.derivative:
            g = f.gradient_latex[0]
            self.d_label = self.ctx.label(f"f'(x) = {g}", color=theme.color_at(2))
            self.panel_items.append(self.d_label)
            d_xs, d_ys = self.d_values
            self.d_curve = curve_mobject(self.d_plane, clipped_runs(d_xs, d_ys, *self.d_range), theme.color_at(2))
            self.sweep = mn.ValueTracker(p.x_range[0])
            dbox = (p.x_range[0], p.x_range[1], *self.d_range)
            self.sweep_tangent = mn.always_redraw(lambda: self._sweep_tangent())
            self.sweep_trace = mn.always_redraw(lambda: self._trace(dbox))
            self.sweep_dot = mn.always_redraw(lambda: self._dot(self.sweep.get_value(),
                                                                float(f.gradient([self.sweep.get_value()])[0]),
                                                                theme.color_at(2), plane=self.d_plane))
            self.d_at = self._dot(a, tan.slope, theme.ACCENT, plane=self.d_plane)

    def _sweep_tangent(self) -> Any:
        from ..maths.univariate import tangent

        t = tangent(self.f, self.sweep.get_value())
        return self._line(t.x, t.y, t.slope, theme.color_at(2), width=3).set_z_index(3)

    def _trace(self, box: tuple[float, ...]) -> Any:
        d_xs, d_ys = self.d_values
        keep = d_xs <= self.sweep.get_value() + 1e-12
        runs = clipped_runs(d_xs[keep], d_ys[keep], box[2], box[3])
        group = curve_mobject(self.d_plane, runs, theme.color_at(2))
        return group if len(group) else mn.VGroup(mn.VectorizedPoint(self.d_plane.c2p(box[0], 0)))

    def _readout(self, tex: str, value: float, color: str) -> Any:
        """A label and a number after it that changes value in place."""
        return mn.VGroup(self.ctx.label(tex, color=color), self.ctx.number(value, 3, color=color)).arrange(
            mn.RIGHT, buff=0.15)

    def _follow(self, number: Any, value: Any) -> None:
        if isinstance(number, mn.DecimalNumber):
            # set_value builds new digits: keep them above the panel's ground
            number.add_updater(lambda m: m.set_value(value()).set_z_index(PANEL_CONTENT_Z))

    def _keep_inside(self, *mobs: Any) -> None:
        """Nudge labels back inside the plane's frame."""
        lo, hi = self.frame.get_corner(mn.DL), self.frame.get_corner(mn.UR)
        for m in mobs:
            shift = np.zeros(3)
            for k in range(2):
                if m.get_corner(mn.DL)[k] < lo[k]:
                    shift[k] = lo[k] - m.get_corner(mn.DL)[k] + 0.05
                elif m.get_corner(mn.UR)[k] > hi[k]:
                    shift[k] = hi[k] - m.get_corner(mn.UR)[k] - 0.05
            m.shift(shift)

    # -- taylor --------------------------------------------------------------------
    def _setup_taylor(self) -> None:
        p, f = self.params, self.f
        a = p.about
        fa = self._value(a)
        self.taylors = self._taylors(f)
        xs, _ = self.samples
        self.point = self._dot(a, fa)
        self.point_line = mn.DashedLine(self.plane.c2p(a, self.y_range[0]), self.plane.c2p(a, self.y_range[1]),
                                        stroke_color=theme.MUTED, stroke_width=2)
        self.point_label = self.ctx.label(rf"a = {fmt(a, 3)}", color=theme.ACCENT)
        self.panel_items.append(self.point_label)
        self.poly_curves, self.poly_labels, self.errors, self.error_marks = [], [], [], []
        for i, t in enumerate(self.taylors):
            colour = theme.color_at(i + 1)
            self.poly_curves.append(curve_mobject(self.plane, clipped_runs(xs, t.value(xs), *self.y_range),
                                                  colour).set_z_index(2))
            self.poly_labels.append(self.ctx.label(_broken(rf"p_{{{t.order}}}(x)", t.latex), color=colour))
            if p.error_at is not None:
                xe = p.error_at
                fe, pe = self._value(xe), float(t.value(xe))
                self.errors.append(abs(fe - pe))
                lo, hi = self.y_range
                self.error_marks.append(mn.Line(self.plane.c2p(xe, float(np.clip(fe, lo, hi))),
                                                self.plane.c2p(xe, float(np.clip(pe, lo, hi))),
                                                stroke_color=theme.ACCENT, stroke_width=6).set_z_index(4))
        self.shown.update(coefficients=[t.coefficients for t in self.taylors], errors=self.errors)
        if p.error_at is not None:  # under a = ..., so that it stays put while the formulas pile up below
            self.error_readouts = [self._readout(rf"|f({fmt(p.error_at, 3)}) - p_{{{t.order}}}({fmt(p.error_at, 3)})|"
                                                 " =", e, theme.ACCENT) for t, e in zip(self.taylors, self.errors)]
            self.panel_items.append(self.error_readouts[0])
        self.panel_items += self.poly_labels

    def _polynomial(self, i: int):
        if self.params.mode != "taylor" or i >= len(self.taylors):
            return
        step: list[Any] = [mn.Create(self.poly_curves[i]), mn.FadeIn(self.poly_labels[i])]
        if i:
            step.append(self.poly_curves[i - 1].animate.set_stroke(opacity=0.35))
        if self.error_marks:
            readout = self.error_readouts[0]
            if i == 0:
                step += [mn.FadeIn(readout), mn.Create(self.error_marks[0])]
            else:
                target = self.error_readouts[i].move_to(readout, aligned_edge=mn.LEFT)
                step += [count_to(readout, target), mn.ReplacementTransform(self.error_marks[i - 1],
                                                                            self.error_marks[i])]
        yield tuple(step)

    # -- newton --------------------------------------------------------------------
    def _setup_newton(self) -> None:
        run = self.newton
        x_lo, x_hi = self.params.x_range
        lo, hi = self.y_range
        self.shown.update(iterates=run.iterates, fate=run.fate)
        x0 = float(run.iterates[0])
        self.current = self._dot(x0, float(run.search.values[0]))
        self.start_drop = mn.DashedLine(self.plane.c2p(x0, 0), self.plane.c2p(x0, float(np.clip(
            run.search.values[0], lo, hi))), stroke_color=theme.MUTED, stroke_width=3)
        self.start_mark = self._dot(x0, 0.0, theme.FOREGROUND, scale=1.0)
        self.rule = self.ctx.label(r"x_{k+1} = x_k - \frac{f(x_k)}{f'(x_k)}")
        self.steps_drawn: list[dict[str, Any]] = []
        self.next_step = 0
        for k, s in enumerate(run.steps):
            nxt, fnext = s.next, float(run.search.values[k + 1])
            parts: dict[str, Any] = {"tangent": self._line(s.x, s.y, s.slope, theme.color_at(1), width=3)
                                     .set_z_index(3)}
            if x_lo <= nxt <= x_hi:
                parts["root"] = self._dot(nxt, 0.0, theme.FOREGROUND, scale=1.0)
                foot = self.plane.c2p(nxt, float(np.clip(fnext, lo, hi)))
                parts["drop"] = mn.DashedLine(self.plane.c2p(nxt, 0), foot, stroke_color=theme.MUTED, stroke_width=3)
                parts["point"] = self._dot(nxt, fnext)
            else:  # off the axes: an arrow at the edge, with the value
                edge = x_hi if nxt > x_hi else x_lo
                y_axis = float(np.clip(0.0, lo, hi))
                inward = -0.6 if nxt > x_hi else 0.6
                tip, tail = self.plane.c2p(edge, y_axis), self.plane.c2p(edge, y_axis)
                tail = tail + np.array([inward, 0.45, 0])
                parts["root"] = mn.Arrow(tail, tip, buff=0, color=theme.PALETTE[4], stroke_width=4,
                                         max_tip_length_to_length_ratio=0.3)
                lab = self.ctx.label(rf"x_{{{k + 1}}} = {fmt(nxt, 2)}", color=theme.PALETTE[4], size=theme.SMALL_SIZE)
                lab.next_to(tail, mn.UP, buff=0.05)
                self._keep_inside(lab)
                parts["off"] = lab
            self.steps_drawn.append(parts)
        self.table = self._table(run)
        self.verdict = self.ctx.text(self._verdict_words(), color=theme.ACCENT if run.fate == "converged"
                                     else theme.PALETTE[4], size=theme.SMALL_SIZE)
        self.panel_items += [self.rule, self.table, self.verdict]

    def _verdict_words(self) -> str:
        run = self.newton
        n = len(run.iterates) - 1
        last = fmt(run.iterates[-1], 4)
        return {
            "converged": f"a root: x = {last} after {n} steps",
            "cycles": f"a cycle: x{_sub(n)} is back at x{_sub(n - run.period)}",
            "runs_away": f"runs away: x{_sub(n)} = {last}",
            "stalls": f"f'(x) = 0 at x = {last}: the tangent is flat",
            "unsettled": f"no root yet after {n} steps",
        }[run.fate]

    def _table(self, run: Any) -> Any:
        """Rows k | x_k | f(x_k), aligned in three columns; rows are revealed step by step."""
        header = [self.ctx.label(t, color=theme.MUTED, size=theme.SMALL_SIZE) for t in ("k", "x_k", "f(x_k)")]
        cell = lambda v: self.ctx.label(_significant(v), size=theme.SMALL_SIZE)  # noqa: E731
        rows = [header] + [[self.ctx.number(k, 0, size=theme.SMALL_SIZE), cell(x), cell(v)]
                           for k, (x, v) in enumerate(zip(run.iterates, run.search.values))]
        widths = (0.5, 1.75, 1.75)
        table = mn.VGroup()
        for r, row in enumerate(rows):
            line = mn.VGroup()
            for c, cell in enumerate(row):
                cell.move_to([sum(widths[:c]) + (0 if c == 0 else widths[c]) - (0.0 if c == 0 else 0.1),
                              -0.36 * r, 0], aligned_edge=mn.LEFT if c == 0 else mn.RIGHT)
                line.add(cell)
            table.add(line)
        self.shown["table"] = [[float(v) for v in (k, x, fx)] for k, (x, fx) in
                               enumerate(zip(run.iterates, run.search.values))]
        return table

    def _step(self, k: int):
        """Steps up to k (any left out of the segment's beats first), each: the tangent, where it meets
        zero, the drop to the curve and the table's row."""
        if self.params.mode != "newton":
            return
        while self.next_step <= min(k, len(self.steps_drawn) - 1):
            yield from self._one_step(self.next_step)
            self.next_step += 1

    def _one_step(self, k: int):
        parts = self.steps_drawn[k]
        step: list[Any] = [mn.Create(parts["tangent"]), mn.FadeIn(self.table[k + 2])]
        if k:
            before = self.steps_drawn[k - 1]
            step.append(before["tangent"].animate.set_stroke(opacity=0.3))
            if "off" in before:  # one off-the-axes marker at a time
                step += [mn.FadeOut(before["root"]), mn.FadeOut(before["off"])]
        if "off" in parts:
            step += [mn.GrowArrow(parts["root"]), mn.FadeIn(parts["off"])]
            yield tuple(step)
            return
        yield tuple(step + [mn.FadeIn(parts["root"])])
        yield mn.Create(parts["drop"]), mn.Transform(self.current, parts["point"])

    # -- beats -------------------------------------------------------------------
    @beat("Draw the axes, with tick numbers, and the formula of f.")
    def show_axes(self, scene: Any):
        if self.context.continues:
            return
        shown = [mn.Create(self.plane, lag_ratio=0.02), mn.Create(self.frame), mn.FadeIn(self.ticks),
                 mn.FadeIn(self.axis_names)]
        if self.params.mode == "slope" and self.params.derivative:
            shown += [mn.Create(self.d_plane, lag_ratio=0.02), mn.Create(self.d_frame), mn.FadeIn(self.d_ticks)]
        yield tuple(shown)

    @beat("Draw the curve y = f(x).")
    def show_curve(self, scene: Any):
        if self.context.continues:
            return
        yield mn.Create(self.curve, run_time=1.5), mn.FadeIn(self.f_label)

    @beat("slope: the chord from a to a + Δx, with Δx, Δy and its gradient Δy/Δx.")
    def rise_over_run(self, scene: Any):
        if self.params.mode != "slope":
            return
        yield mn.FadeIn(self.dot_a), mn.FadeIn(self.dot_b), mn.Create(self.chord_line)
        yield (mn.Create(self.run_leg), mn.Create(self.rise_leg), mn.FadeIn(self.run_label),
               mn.FadeIn(self.rise_label), mn.FadeIn(self.gradient_label))

    @beat("slope: the secant through a and a + h slides in as h shrinks to a thousandth of Δx, "
          "its slope changing in place.")
    def slide_secant(self, scene: Any):
        if self.params.mode != "slope":
            return
        swap = (mn.FadeOut(self.run_leg), mn.FadeOut(self.rise_leg), mn.FadeOut(self.run_label),
                mn.FadeOut(self.rise_label), mn.FadeOut(self.dot_b), mn.FadeOut(self.chord_line),
                mn.FadeIn(self.secant), mn.FadeIn(self.moving_b), mn.FadeIn(self.h_readout),
                mn.FadeIn(self.slope_readout))
        # a quick swap, then h shrinks (the fades hold the secant's updates, so they come first)
        yield tuple(_quick(a, 0.5) for a in swap)
        yield _tween(self.h, self.params.run * SMALLEST_H, 2.3)
        self.secant_shown = True

    @beat("slope: the limit h → 0: the tangent at a, and f'(a) as the limit of the secants' slopes.")
    def show_tangent(self, scene: Any):
        if self.params.mode != "slope":
            return
        slid = getattr(self, "secant_shown", False)
        yield (*((_tween(self.h, 0.0, 1.0), mn.FadeOut(self.secant), mn.FadeOut(self.moving_b)) if slid
                 else (mn.FadeIn(self.dot_a),)), mn.Create(self.tangent_line), mn.FadeIn(self.tangent_label))
        self.tangent_shown = True

    @beat("slope: a tangent slides along f while f' is drawn below, its height the tangent's slope.")
    def show_derivative(self, scene: Any):
        p = self.params
        if p.mode != "slope" or not p.derivative:
            return
        shown = getattr(self, "tangent_shown", False)  # the secant beat played: its tangent is on screen
        appear = (mn.FadeIn(self.sweep_tangent), mn.FadeIn(self.sweep_dot), mn.FadeIn(self.sweep_trace),
                  mn.FadeIn(self.d_label), *((self.tangent_line.animate.set_stroke(opacity=0.35),) if shown else ()))
        yield tuple(_quick(a, 0.4) for a in appear)
        yield _tween(self.sweep, p.x_range[1], 2.6)
        yield mn.FadeOut(self.sweep_tangent), *((mn.FadeIn(self.d_at), mn.Indicate(self.tangent_label)) if shown
                                                else ())

    @beat("taylor: the point a and f(a), where every polynomial agrees with f.")
    def show_point(self, scene: Any):
        if self.params.mode != "taylor":
            return
        yield mn.Create(self.point_line), mn.FadeIn(self.point), mn.FadeIn(self.point_label)

    @beat("taylor: the first polynomial of `orders`, with its formula (and its error at error_at).")
    def first_polynomial(self, scene: Any):
        yield from self._polynomial(0)

    @beat("taylor: the second polynomial of `orders`; the one before fades.")
    def second_polynomial(self, scene: Any):
        yield from self._polynomial(1)

    @beat("taylor: the third polynomial of `orders`.")
    def third_polynomial(self, scene: Any):
        yield from self._polynomial(2)

    @beat("taylor: the fourth polynomial of `orders`.")
    def fourth_polynomial(self, scene: Any):
        yield from self._polynomial(3)

    @beat("taylor: the fifth polynomial of `orders`.")
    def fifth_polynomial(self, scene: Any):
        yield from self._polynomial(4)

    @beat("taylor: the sixth polynomial of `orders`.")
    def sixth_polynomial(self, scene: Any):
        yield from self._polynomial(5)

    @beat("newton: the start x_0 and f(x_0), the update rule and the table's first row.")
    def show_start(self, scene: Any):
        if self.params.mode != "newton":
            return
        yield (mn.FadeIn(self.start_mark), mn.Create(self.start_drop), mn.FadeIn(self.current),
               mn.FadeIn(self.rule), mn.FadeIn(self.table[0]), mn.FadeIn(self.table[1]))

    @beat("newton: the tangent at x_0, where it meets zero (x_1), and f(x_1).")
    def first_step(self, scene: Any):
        yield from self._step(0)

    @beat("newton: the same from x_1.")
    def second_step(self, scene: Any):
        yield from self._step(1)

    @beat("newton: the same from x_2.")
    def third_step(self, scene: Any):
        yield from self._step(2)

    @beat("newton: the remaining steps, one after another.")
    def more_steps(self, scene: Any):
        yield from self._step(len(getattr(self, "steps_drawn", ())) - 1)

    @beat("newton: what became of the iteration: a root, a cycle, a run away or a flat tangent.")
    def show_verdict(self, scene: Any):
        if self.params.mode != "newton":
            return
        last = float(self.newton.iterates[-1])
        if self.params.x_range[0] <= last <= self.params.x_range[1]:  # ring the last iterate if it is drawn
            ring = mn.Circle(radius=0.25, stroke_color=theme.FOREGROUND, stroke_width=4)
            yield mn.FadeIn(self.verdict), mn.Create(ring.move_to(self._dot(last, self._value(last))))
        else:
            yield mn.FadeIn(self.verdict),


def _significant(x: float, digits: int = 5) -> str:
    """LaTeX of ``x`` to ``digits`` significant figures: ``-3.7602``, ``0.65161``, ``3.872 \\times 10^{8}``."""
    x = float(x)
    if x == 0 or not np.isfinite(x):
        return "0" if x == 0 else r"\infty"
    exponent = int(np.floor(np.log10(abs(x))))
    if exponent >= 5 or exponent <= -4:
        mantissa = x / 10.0**exponent
        return rf"{mantissa:.{digits - 2}f} \times 10^{{{exponent}}}"
    decimals = max(0, digits - 1 - exponent)
    return f"{x:.{decimals}f}"


def _quick(animation: Any, run_time: float) -> Any:
    """``animation`` set to last ``run_time`` seconds."""
    animation.run_time = run_time
    return animation


def _tween(tracker: Any, end: float, run_time: float) -> Any:
    """An animation moving ``tracker``'s value to ``end`` smoothly (carried by an invisible point, so
    that what it animates is drawable like any other step)."""
    start: list[float] = []  # read when the animation first plays, not when it is made

    def move(_: Any, alpha: float) -> None:
        if not start:
            start.append(tracker.get_value())
        tracker.set_value(start[0] + (end - start[0]) * mn.smooth(alpha))

    return mn.UpdateFromAlphaFunc(mn.VectorizedPoint(), move, run_time=run_time)


def _terms(tex: str) -> list[str]:
    """A sum's LaTeX cut before each top-level `` + `` or `` - `` (not inside brackets or braces)."""
    terms, depth, start = [], 0, 0
    for i, ch in enumerate(tex):
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if depth == 0 and i > start and tex.startswith((" + ", " - "), i):
            terms.append(tex[start:i].strip())
            start = i
    terms.append(tex[start:].strip())
    return terms


def _broken(name: str, tex: str, budget: int = 20) -> str:
    """``name = tex`` for the panel, broken into aligned lines of about ``budget`` glyphs each."""
    def glyphs(t: str) -> int:
        return len(re.sub(r"\\(frac|left|right|cdot)|[{}\\ ^_]", "", t))

    lines: list[list[str]] = [[]]
    used = glyphs(name) + 1
    for term in _terms(tex):
        if lines[-1] and used + glyphs(term) > budget:
            lines.append([])
            used = 2
        lines[-1].append(term)
        used += glyphs(term)
    body = r" \\ &\quad ".join(" ".join(line) for line in lines)
    return f"{name} &= {body}" if len(lines) > 1 else f"{name} = {body}"


def _sub(k: int) -> str:
    """A subscript number in plain text: 3 → ₃."""
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
