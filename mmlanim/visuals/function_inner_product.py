"""The ``function_inner_product`` visual: two functions f and g, their product, and ⟨f, g⟩ = ∫ f g dx as the
signed area under f·g, with the lengths ‖f‖, ‖g‖ and the angle between them."""

from __future__ import annotations

__all__ = ["FunctionInnerProduct"]

import math
import re
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator

from .. import theme
from .._lazy import manim as mn
from ._curves import clipped_runs, curve_mobject, fitted_range, sample
from ._layout import PANEL_CONTENT_Z, Area, fmt, nice_step, panel_background, panel_column, plane_area
from .base import Visual, VisualParams, beat, check_ordered_domain

Bound = Annotated[float | str, Field(description="A number, or a constant such as 'pi' or '-pi/2'.")]
ColourName = Literal["blue", "orange", "green", "pink", "red", "purple", "yellow"]

#: Room kept left of and below each plane for its tick numbers (scene units).
_TICK_ROOM = 0.55
#: Gap between the two planes (scene units).
_GAP = 0.3
#: The shading's colours: where f·g > 0, and where f·g < 0.
POSITIVE, NEGATIVE = theme.PALETTE[2], theme.PALETTE[3]
#: Samples of each curve across the interval.
_SAMPLES = 601
#: How long the shading takes to sweep from a to b (seconds).
SWEEP_SECONDS = 1.8
#: |cos θ| below this counts as orthogonal.
ORTHOGONAL_TOL = 1e-9
#: Longest product formula (in glyphs, roughly) written out in the panel.
_PRODUCT_GLYPHS = 24
#: Longest exact value (LaTeX characters) written beside its decimal.
_EXACT_CHARS = 16


class FunctionInnerProduct(Visual, kind="function_inner_product"):
    """Functions as vectors: ⟨f, g⟩ = ∫ f(x) g(x) dx over [a, b] as the signed area under f·g, with ‖f‖, ‖g‖
    and the angle between f and g.

    ``f`` and ``g`` are formulas in x (parsed safely by
    ``mmlanim.maths.parse_function``, typeset from sympy), drawn on axes
    over ``domain`` with tick numbers; the product f·g is drawn on a second
    pair of axes below. The area between f·g and the axis is shaded from a
    to b as the running integral counts up in the panel: green where f·g > 0,
    pink where it is below, the two areas read out and summing to ⟨f, g⟩.
    Then ‖f‖ = √⟨f, f⟩, ‖g‖, cos θ = ⟨f, g⟩ / (‖f‖ ‖g‖) and θ, and the word
    "orthogonal" when ⟨f, g⟩ = 0 (sin and cos on [−π, π]). The integrals are
    exact (sympy) for polynomials, sines, cosines and exponentials of linear
    arguments (an exact length such as √π is written beside its decimal),
    else Gauss–Legendre quadrature: all numbers from
    ``mmlanim.maths.function_space.function_inner_product``.
    """

    emphasis_targets = {
        "f": "the curve of f",
        "g": "the curve of g",
        "product": "the curve of f·g",
        "area": "the shaded area under f·g",
        "integral": "the readout ⟨f, g⟩ = ∫ f g dx, in the panel",
        "lengths": "‖f‖ and ‖g‖, in the panel",
        "angle": "cos θ and θ, in the panel",
    }

    class Params(VisualParams):
        f: str = Field("sin(x)", description="f(x) as a formula in x, e.g. 'sin(x)', 'x^2'.")
        g: str = Field("cos(x)", description="g(x) as a formula in x.")
        domain: list[Bound] = Field(["-pi", "pi"], min_length=2, max_length=2, description=(
            "The interval [a, b] integrated over: numbers, or constants such as '-pi', 'pi/2', 'sqrt(2)'."))
        names: list[str] = Field(["f", "g"], min_length=2, max_length=2,
                                 description="LaTeX names of the two functions.")
        colors: list[ColourName] = Field(["blue", "orange"], min_length=2, max_length=2, description=(
            "Theme colours of f and g (the shading is green above the axis, pink below)."))

        @field_validator("domain")
        @classmethod
        def _ordered(cls, domain: list[float | str]) -> list[float | str]:
            from ..maths.function_space import bound_value

            # A number needs no parsing (sympy is imported only for a constant such as 'pi').
            values = [float(b) if isinstance(b, (int, float)) else bound_value(b, name)[0]
                      for b, name in zip(domain, ("a", "b"))]
            check_ordered_domain([values])
            return domain

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "function": "the two functions are `f:` and `g:`, e.g. f: sin(x)",
        "x_range": "the interval is `domain: [a, b]`, e.g. domain: [-pi, pi]",
        "interval": "the interval is `domain: [a, b]`, e.g. domain: [-pi, pi]",
    }

    example = {"f": "x", "g": "x^2 - 1/3", "domain": [-1, 1.5]}

    # -- numbers -----------------------------------------------------------------
    def _functions(self) -> tuple[Any, Any]:
        from ..maths.expressions import parse_function

        return parse_function(self.params.f, ("x",)), parse_function(self.params.g, ("x",))

    def _bounds(self) -> tuple[float, float]:
        from ..maths.function_space import bound_value

        a, b = (bound_value(v)[0] for v in self.params.domain)
        return a, b

    def check(self):
        from ..maths.expressions import parse_function

        p = self.params
        parsed = []
        for key in ("f", "g"):
            try:
                parsed.append(parse_function(getattr(p, key), ("x",)))
            except ValueError as exc:
                yield (key,), str(exc), getattr(exc, "column", None)
        if len(parsed) < 2:
            return
        a, b = self._bounds()
        for key, fn in zip(("f", "g"), parsed):
            xs, ys = sample(fn, a, b, 401)
            bad = ~np.isfinite(ys)
            if bad.any():
                yield (key,), (f"{key}(x) is not a finite number at x = {float(xs[bad][0]):.4g}, inside the "
                               f"domain [{a:.4g}, {b:.4g}]: the integral needs it finite throughout")
                return
        try:
            self.data["result"]  # computed once: the render uses it too
        except ValueError as exc:
            key = "g" if str(exc).startswith("g ") else "f"
            yield (key,), str(exc)

    def load(self) -> Any:
        from ..maths.function_space import function_inner_product

        f, g = self._functions()
        return {"f": f, "g": g, "result": function_inner_product(f, g, *self.params.domain)}

    # -- building ------------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        from ..maths.function_space import running_integral

        p = self.params
        f, g, r = self.data["f"], self.data["g"], self.data["result"]
        self.result = r
        a, b = r.a, r.b
        colors = [theme.COLOR_NAMES[c] for c in p.colors]
        nf, ng = p.names
        xs, f_ys = sample(f, a, b, _SAMPLES)
        _, g_ys = sample(g, a, b, _SAMPLES)
        # The product, sampled with its zeros, so that each shaded piece lies on one side of the axis.
        self.xs = np.union1d(xs, np.asarray(r.zeros, dtype=float))
        self.ys = (np.asarray(f.value(self.xs[:, None]), dtype=float).reshape(-1)
                   * np.asarray(g.value(self.xs[:, None]), dtype=float).reshape(-1))
        self.ys[np.isin(self.xs, r.zeros)] = 0.0
        self.running = running_integral(f, g, a, self.xs)
        area = plane_area()
        half = (area.height - _GAP) / 2
        top = Area((area.center[0] + _TICK_ROOM / 2, area.top - (half - _TICK_ROOM) / 2 - 0.05),
                   area.width - _TICK_ROOM, half - _TICK_ROOM)
        bottom = Area((top.center[0], area.bottom + _TICK_ROOM + (half - _TICK_ROOM) / 2), top.width,
                      half - _TICK_ROOM)
        self.fg_range = fitted_range(np.concatenate([f_ys, g_ys]), [0.0])
        self.p_range = fitted_range(self.ys, [0.0])
        self.plane, self.frame = self._plane((a, b), self.fg_range, top)
        self.p_plane, self.p_frame = self._plane((a, b), self.p_range, bottom)
        self.ticks = self.ctx.axis_numbers(self.plane)
        self.p_ticks = self.ctx.axis_numbers(self.p_plane)
        self.f_curve = curve_mobject(self.plane, clipped_runs(xs, f_ys, *self.fg_range), colors[0]).set_z_index(3)
        self.g_curve = curve_mobject(self.plane, clipped_runs(xs, g_ys, *self.fg_range), colors[1]).set_z_index(3)
        self.p_curve = curve_mobject(self.p_plane, clipped_runs(self.xs, self.ys, *self.p_range),
                                     theme.FOREGROUND).set_z_index(3)
        self.shown: dict[str, Any] = {"inner": r.inner, "positive": r.positive, "negative": r.negative,
                                      "norm_f": r.norm_f, "norm_g": r.norm_g, "cos": r.cos,
                                      "angle_degrees": math.degrees(r.angle),
                                      "orthogonal": r.orthogonal(ORTHOGONAL_TOL)}
        # The shading sweeps from a to b (``self.sweep``) while the running integral counts up.
        self.sweep = mn.ValueTracker(a)
        self.shading = mn.always_redraw(lambda: self._shading(self.sweep.get_value()))
        self._setup_panel(f, g, colors, nf, ng)
        self.panel = panel_background()
        scene.add(self.panel)

    def _plane(self, x_range: tuple[float, float], y_range: tuple[float, float], area: Area) -> tuple[Any, Any]:
        """Axes exactly over the ranges, filling ``area``, and their frame."""
        (x0, x1), (y0, y1) = x_range, y_range
        plane = mn.NumberPlane(x_range=(x0, x1, nice_step(x1 - x0, 8.0)),
                               y_range=(y0, y1, nice_step(y1 - y0, min(8.0, max(4.0, area.height / 0.45)))),
                               x_length=area.width, y_length=area.height, **theme.PLANE_STYLE)
        plane.move_to([*area.center, 0])
        frame = mn.Rectangle(width=plane.x_length, height=plane.y_length, stroke_color=theme.MUTED,
                             stroke_width=2).move_to(plane)
        return plane, frame

    def shaded_pieces(self, upto: float) -> list[tuple[np.ndarray, int]]:
        """The regions between f·g and the axis from a to ``upto``: (points (m, 2) in the product plane's
        coordinates, closed along the axis; sign +1 or −1), one per piece between zeros of f·g."""
        lo, hi = self.p_range
        keep = self.xs <= upto
        xs, ys = self.xs[keep], self.ys[keep]
        if len(xs) and xs[-1] < upto:
            xs = np.append(xs, upto)
            ys = np.append(ys, np.interp(upto, self.xs, self.ys))
        cuts = [0] + [i for i in range(1, len(xs) - 1) if ys[i] == 0 or ys[i] * ys[i + 1] < 0] + [len(xs) - 1]
        pieces = []
        for s, e in zip(cuts, cuts[1:]):
            px, py = xs[s:e + 1], np.clip(ys[s:e + 1], lo, hi)
            if e - s < 1 or not np.any(py):
                continue
            sign = 1 if float(np.sum(py)) > 0 else -1
            pts = np.column_stack([np.concatenate([[px[0]], px, [px[-1]]]), np.concatenate([[0.0], py, [0.0]])])
            pieces.append((pts, sign))
        return pieces

    def _shading(self, upto: float) -> Any:
        group = mn.VGroup()
        for pts, sign in self.shaded_pieces(upto):
            colour = POSITIVE if sign > 0 else NEGATIVE
            poly = mn.VMobject(stroke_width=0, fill_color=colour, fill_opacity=0.55)
            poly.set_points_as_corners([self.p_plane.c2p(x, y) for x, y in pts])
            group.add(poly)
        if not len(group):
            group.add(mn.VectorizedPoint(self.p_plane.c2p(self.result.a, 0)))
        return group.set_z_index(2)

    def sweep_to(self, x: float) -> None:
        """Shade up to ``x`` and show the running integral there, at once (so that a picture rebuilt
        without playing, as the next segment opens on it, is the one that was shown)."""
        self.sweep.set_value(x)
        self.shading.update()
        self.number.update()
        if x >= self.result.b:  # swept: the picture holds still, nothing is redrawn every frame
            self.shading.clear_updaters()
            self.number.clear_updaters()

    def running_value(self, upto: float) -> float:
        """∫_a^upto f g dx as the readout shows it (the exact ⟨f, g⟩ at b)."""
        r = self.result
        value = r.inner if upto >= r.b else float(np.interp(upto, self.xs, self.running))
        return 0.0 if round(value, 2) == 0 else value  # never "-0.00"

    def _setup_panel(self, f: Any, g: Any, colors: list[str], nf: str, ng: str) -> None:
        import sympy as sp

        r = self.result
        a_tex, b_tex = (_bound_tex(v) for v in self.params.domain)
        self.f_label = self.ctx.label(f"{nf}(x) = {f.latex}", color=colors[0])
        self.g_label = self.ctx.label(f"{ng}(x) = {g.latex}", color=colors[1])
        product = sp.latex(f.expr * g.expr)
        glyphs = re.sub(r"\\[A-Za-z]+", "x", re.sub(r"\\left|\\right|\\frac|[{} ]", "", product))
        short = len(glyphs) <= _PRODUCT_GLYPHS
        self.p_label = self.ctx.label(rf"{nf}(x)\,{ng}(x) = {product}" if short else rf"{nf}(x)\,{ng}(x)")
        integral = rf"\langle {nf}, {ng}\rangle = \int_{{{a_tex}}}^{{{b_tex}}} {nf}(x)\,{ng}(x)\,dx ="
        self.readout = mn.VGroup(self.ctx.label(integral, color=theme.ACCENT),
                                 self.ctx.number(0.0, 2, color=theme.ACCENT)).arrange(mn.RIGHT, buff=0.15)
        self.areas = mn.VGroup(
            self.ctx.label(rf"\text{{above:}}\ {{{fmt(r.positive)}}}", color=POSITIVE, size=theme.SMALL_SIZE + 4),
            self.ctx.label(rf"\text{{below:}}\ {{{fmt(r.negative)}}}", color=NEGATIVE, size=theme.SMALL_SIZE + 4),
        ).arrange(mn.RIGHT, buff=0.4)
        self.norm_lines = mn.VGroup(*(
            self.ctx.label(rf"\|{name}\| = \sqrt{{\langle {name}, {name}\rangle}} = "
                           + (rf"\sqrt{{{sq}}} = " if sq is not None and len(sq) <= _EXACT_CHARS else "")
                           + fmt(norm), color=c)
            for name, sq, norm, c in ((nf, r.norm_f_sq_latex, r.norm_f, colors[0]),
                                      (ng, r.norm_g_sq_latex, r.norm_g, colors[1])))).arrange(
            mn.DOWN, aligned_edge=mn.LEFT, buff=0.25)
        self.cos_line = self.ctx.label(
            rf"\cos\theta = \frac{{\langle {nf}, {ng}\rangle}}{{\|{nf}\|\,\|{ng}\|}} = {fmt(r.cos, 3)},\ \ "
            rf"\theta = {fmt(math.degrees(r.angle), 1)}^\circ", color=theme.ACCENT)
        self.verdict = (self.ctx.label(rf"\text{{orthogonal:}}\ \langle {nf}, {ng}\rangle = 0", color=theme.ACCENT)
                        if r.orthogonal(ORTHOGONAL_TOL) else self.ctx.text(""))
        self.panel_group = panel_column([self.f_label, self.g_label, self.p_label, self.readout, self.areas,
                                         self.norm_lines, self.cos_line, self.verdict], buff=0.3)
        self.number = self.readout[1]
        if isinstance(self.number, mn.DecimalNumber):
            # set_value builds new digits: keep them above the panel's ground
            self.number.add_updater(lambda m: m.set_value(self.running_value(self.sweep.get_value()))
                                    .set_z_index(PANEL_CONTENT_Z))

    def target(self, name: str) -> Any:
        drawn = {"f": "f_curve", "g": "g_curve", "product": "p_curve", "area": "shading",
                 "integral": "readout", "lengths": "norm_lines", "angle": "cos_line"}
        mob = getattr(self, drawn.get(name, ""), None)
        scene = getattr(self, "scene", None)
        on_screen = list(scene.mobjects) if scene is not None and hasattr(scene, "mobjects") else []
        return mob if mob is not None and mob in on_screen else None

    # -- beats -------------------------------------------------------------------
    @beat("Draw the axes, with tick numbers, and f and g on them, with their formulas.")
    def show_functions(self, scene: Any):
        self.scene = scene
        yield (mn.Create(self.plane, lag_ratio=0.02), mn.Create(self.frame), mn.FadeIn(self.ticks),
               mn.Create(self.f_curve), mn.Create(self.g_curve), mn.FadeIn(self.f_label), mn.FadeIn(self.g_label))

    @beat("Draw the product f(x) g(x) on its own axes below, with its formula.")
    def show_product(self, scene: Any):
        self.scene = scene
        yield (mn.Create(self.p_plane, lag_ratio=0.02), mn.Create(self.p_frame), mn.FadeIn(self.p_ticks),
               mn.Create(self.p_curve), mn.FadeIn(self.p_label))

    @beat("Shade the area under f·g from a to b (green above the axis, pink below) as ⟨f, g⟩ = ∫ f g dx "
          "counts up in the panel; then the two areas, which add up to it.")
    def shade_area(self, scene: Any):
        self.scene = scene
        r = self.result
        yield _quick(mn.FadeIn(self.readout), 0.3), _quick(mn.FadeIn(self.shading), 0.3)
        yield mn.UpdateFromAlphaFunc(mn.VectorizedPoint(), lambda _, t: self.sweep_to(r.a + (r.b - r.a) * t),
                                     run_time=SWEEP_SECONDS, rate_func=mn.linear)
        yield _quick(mn.FadeIn(self.areas), 0.4)

    @beat("The lengths ‖f‖ = √⟨f, f⟩ and ‖g‖ = √⟨g, g⟩ (exact where short, and in decimals).")
    def show_lengths(self, scene: Any):
        self.scene = scene
        yield mn.FadeIn(self.norm_lines)

    @beat("The angle: cos θ = ⟨f, g⟩ / (‖f‖ ‖g‖) and θ, and 'orthogonal' when ⟨f, g⟩ = 0.")
    def show_angle(self, scene: Any):
        self.scene = scene
        yield mn.FadeIn(self.cos_line), mn.FadeIn(self.verdict)


def _quick(animation: Any, run_time: float) -> Any:
    """``animation`` set to last ``run_time`` seconds."""
    animation.run_time = run_time
    return animation


def _bound_tex(bound: float | str) -> str:
    """LaTeX of a bound as the author wrote it: ``-\\pi``, ``1.5``."""
    if isinstance(bound, str):
        from ..maths.expressions import parse_function

        return str(parse_function(bound, ("x",)).latex)
    return fmt(bound, 3)
