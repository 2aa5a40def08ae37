"""The ``curve_fit`` visual: non-linear least squares, a model given as a formula fitted to data by
steepest descent on χ²."""

from __future__ import annotations

__all__ = ["CurveFit"]

from typing import Any, ClassVar

import numpy as np
from pydantic import Field, model_validator

from .. import theme
from .._lazy import manim as mn
from ._charts import loss_axes, loss_trace
from ._data import DataSource, load_data, source_files, source_problems
from ._layout import (
    MAX_DESCENT_STEPS,
    axis_names,
    count_to,
    fitted_plane,
    fmt,
    panel_background,
    panel_column,
    plane_area,
)
from ._types import Range
from .base import Visual, VisualParams, beat, too_large_to_draw

#: Points along each drawn curve.
_SAMPLES = 160
#: Most parameters a model may have (each gets a readout line).
_MAX_PARAMETERS = 4


class CurveFit(Visual, kind="curve_fit"):
    """Non-linear least squares: a model y = f(x; p) given as a formula, fitted by steepest descent on χ².

    ``model`` is a formula in x and the ``parameters`` (parsed safely, as in
    ``gradient_descent``), for example a Gaussian
    ``a*exp(-(x - mu)**2/(2*sigma**2))``. The data are ``data`` (any data
    source: the first column is x, the second y) or, without it, ``n``
    points about the model at the ``truth`` values, with seeded noise.
    From ``start``, ``mmlanim.maths.fit_formula_by_descent`` takes
    ``steps`` steps ``p ← p − η ∇χ²`` with ``χ² = Σ (yᵢ − f(xᵢ; p))²``, the
    partial derivatives ∂f/∂p taken symbolically. The curve is redrawn as
    it fits, the parameters and χ² change in place, and χ² is plotted
    falling in the panel. (A straight line is ``linear_regression``,
    which also shows the closed-form answer.)
    """

    class Params(VisualParams):
        model: str = Field("a*exp(-(x - mu)**2/(2*sigma**2))", description=(
            "The model y = f(x; parameters) as a formula in x and the parameters, e.g. "
            "'a*exp(-(x - mu)**2/(2*sigma**2))' or 'A*exp(k*x)'."))
        model_tex: str | None = Field(None, description=(
            "How the panel writes the model's right-hand side, in LaTeX, e.g. "
            "'a\\exp\\!\\left(-\\frac{(x-\\mu)^2}{2\\sigma^2}\\right)' (default: typeset from the formula)."))
        parameters: list[str] = Field(["a", "mu", "sigma"], min_length=1, max_length=_MAX_PARAMETERS,
                                      description="The parameters' names, in the order of start and truth "
                                      "(Greek names such as mu and sigma are typeset as Greek letters).")
        start: list[float] = Field([1.0, 0.5, 1.5], min_length=1, max_length=_MAX_PARAMETERS,
                                   description="Where the descent starts: one value per parameter.")
        learning_rate: float = Field(0.01, gt=0, description="Step size η in p ← p − η ∇χ².")
        steps: int = Field(200, ge=0, le=20000, description="Steepest-descent steps (0: only the start).")
        data: DataSource | None = Field(None, description=(
            "The points, as for linear_regression: {points: [[x, y], ...]} | {csv: FILE, columns: [X, Y]} "
            "| ... (default: generated from the model at truth)."))
        truth: list[float] | None = Field([2.0, 1.2, 0.9], description=(
            "Without data: the parameters' values the points are generated about."))
        n: int = Field(30, ge=2, le=500, description="Without data: how many points.")
        x_range: Range = Field([-3.0, 5.0], description="Without data: x runs evenly over this interval.")
        noise: float = Field(0.08, ge=0, description="Without data: standard deviation of the noise on y.")
        seed: int = Field(0, ge=0, description="Without data: random seed of the noise.")
        axis_labels: list[str] | None = Field(None, min_length=2, max_length=2, description=(
            "Names of the horizontal and vertical axes, in plain text (default: the data's column names; "
            "none for generated data)."))
        show_residuals: bool = Field(True, description="Draw the residuals as vertical segments.")

        @model_validator(mode="after")
        def _data_or_truth(self) -> CurveFit.Params:
            if self.data is None and self.truth is None:
                raise ValueError("give the points as data, or the true parameter values as truth to generate them")
            return self

    params: Params
    emphasis_targets = {
        "model": "the model's formula, in the panel",
        "chi2": "the formula of χ², in the panel",
        "gradient": "the gradient of χ², in the panel",
        "rule": "the update rule, in the panel",
        "readout": "the step's numbers (k, χ² and the parameters), in the panel",
        "chi2_curve": "χ² against the steps, in the panel",
        "curve": "the model's curve at the current parameters",
        "fit": "the fitted curve",
        "residuals": "the residuals",
    }
    key_hints: ClassVar[dict[str, str]] = {
        "formula": "the model is `model:`, e.g. model: a*exp(-(x - mu)**2/(2*sigma**2))",
        "function": "the model is `model:`, e.g. model: a*exp(-(x - mu)**2/(2*sigma**2))",
        "params": "the parameters' names are `parameters:`",
        "lr": "the step size is `learning_rate:`",
        "iterations": "the number of steps is `steps:`",
        "points": "points go inside `data:`, as data: {points: [[x, y], ...]}",
    }

    example = {"model": "a*exp(-(x - mu)**2/(2*sigma**2))", "parameters": ["a", "mu", "sigma"],
               "model_tex": r"a\exp\!\Big(-\frac{(x - \mu)^2}{2\sigma^2}\Big)",
               "truth": [2.0, 1.2, 0.9], "n": 30, "x_range": [-3, 5], "noise": 0.08, "seed": 0,
               "start": [1.0, 0.2, 1.6], "learning_rate": 0.02, "steps": 60}

    # -- numbers ---------------------------------------------------------------
    def _model(self) -> Any:
        from ..maths.regression import formula_model

        return formula_model(self.params.model, self.params.parameters)

    def load(self) -> Any:
        p = self.params
        if p.data is not None:
            loaded = load_data(p.data, self.context.base_dir)
            return loaded.values[:, 0], loaded.values[:, 1], loaded.names
        from ..maths.regression import formula_samples

        x, y = formula_samples(self._model(), p.parameters, p.truth, p.n, p.x_range, p.noise, p.seed)
        return x, y, None

    def input_files(self):
        return source_files(self.params.data, self.context.base_dir) if self.params.data is not None else []

    def _descent(self, model: Any) -> Any:
        from ..maths.regression import fit_formula_by_descent

        p = self.params
        x, y, _ = self.data
        return fit_formula_by_descent(model, p.parameters, x, y, p.start, p.learning_rate, p.steps)

    def check(self):
        p = self.params
        try:
            model = self._model()
        except ValueError as exc:
            at = ("parameters",) if "parameter" in str(exc) and "formula does not" not in str(exc) else ("model",)
            yield at, str(exc), getattr(exc, "column", None)
            return
        n = len(p.parameters)
        if len(p.start) != n:
            yield ("start",), f"{n} parameters need {n} start values, got {len(p.start)}"
        if p.data is None and p.truth is not None and len(p.truth) != n:
            yield ("truth",), f"{n} parameters need {n} true values, got {len(p.truth)}"
        if p.data is not None:
            problems = source_problems(p.data, self.context.base_dir, columns=2)
            yield from problems
            if problems:
                return
        elif not p.x_range[0] < p.x_range[1]:
            yield ("x_range",), "x_range must go from low to high"
            return
        if len(p.start) != n or (p.data is None and p.truth is not None and len(p.truth) != n):
            return
        try:
            _ = self.data
        except ValueError as exc:
            yield ("truth",), str(exc)
            return
        try:
            run = self._descent(model)
        except ValueError as exc:
            yield ("start",), str(exc)
            return
        big = too_large_to_draw(run.params, " (a parameter during the descent)")
        if big:
            yield ("learning_rate",), big

    def warnings(self):
        run = self._descent(self._model())
        if run.diverged:
            yield ("learning_rate",), f"the descent diverges after {len(run.losses) - 1} steps ({run.reason})"

    # -- building --------------------------------------------------------------
    def target(self, name: str) -> Any:
        lines = self.panel_lines
        found = {"model": lines["model"], "chi2": lines["chi2"], "gradient": lines["grad"], "rule": lines["rule"],
                 "readout": lines["readout"], "chi2_curve": lines["curve"], "curve": self.curve,
                 "fit": self.fit_curve, "residuals": self.residuals}
        return found.get(name)

    def setup(self, scene: Any) -> None:
        from .._lazy import sympy as sp

        p = self.params
        model = self.f = self._model()
        x, y, names = self.data
        self.x, self.y = x, y
        run = self.run = self._descent(model)
        n = len(run.params) - 1
        self.chunk_ends = [int(c[-1]) + 1 for c in np.array_split(np.arange(n), min(n, MAX_DESCENT_STEPS))] \
            if n else []
        self.xs = np.linspace(float(x.min()), float(x.max()), _SAMPLES)
        self.shown: dict[str, Any] = {"params": run.params, "chi2": run.losses, "diverged": run.diverged}

        # Axes that fit the data and the first and last curves.
        first, last = self._curve_values(run.params[0]), self._curve_values(run.params[-1])
        pts = np.column_stack([np.concatenate([x, self.xs, self.xs]), np.concatenate([y, first, last])])
        area = plane_area()
        inner = area.with_tick_room()
        self.plane = fitted_plane(pts, area=inner, include_origin=False, equal=False, pad=1)
        self.numbers = self.ctx.axis_numbers(self.plane)
        self.axis_names = axis_names(self.ctx, self.plane, p.axis_labels or names)
        self.dots = mn.VGroup(*(mn.Dot(self.plane.c2p(a, b), radius=theme.DOT_RADIUS, color=theme.color_at(0))
                                for a, b in zip(x, y))).set_z_index(4)
        self.curve = self._curve(run.params[0], theme.FOREGROUND)
        self.residuals = self._residuals(run.params[0])
        self.fit_curve = self._curve(run.params[-1], theme.ACCENT)

        # The panel: the model, χ², the update rule, the readouts and χ² falling.
        symbols = [sp.Symbol(name) for name in p.parameters]
        self.names_tex = [sp.latex(s) for s in symbols]
        lines: dict[str, Any] = {
            "model": self.ctx.label(f"f(x) = {p.model_tex or model.latex}"),
            "chi2": self.ctx.label(r"\chi^2 = \sum_i \big(y_i - f(x_i)\big)^2", color=theme.FOREGROUND),
            "grad": self.ctx.label(r"\frac{\partial \chi^2}{\partial p} = -2 \sum_i r_i\, "
                                   r"\frac{\partial f(x_i)}{\partial p}"),
            "rule": self.ctx.label(rf"p \leftarrow p - \eta\, \nabla_p \chi^2,\quad \eta = {fmt(p.learning_rate, 4)}"),
            "readout": self._readout(0),
            "curve": self._chi2_chart().group,
        }
        self.panel_lines = lines
        self.panel = panel_background()
        # The beats that show each line (the readout also counts in the descent, which brings it in
        # when the residuals' beat is left out).
        used_by = {"model": ("show_model",), "chi2": ("show_residuals",), "readout": ("show_residuals", "descend"),
                   "grad": ("descend",), "rule": ("descend",), "curve": ("descend",)}
        panel_column([line for key, line in lines.items() if any(map(self.plays, used_by[key]))], buff=0.35)
        self.chi2_pieces, self.chi2_dot = loss_trace(self.chi2_chart, self.run.losses, self.chunk_ends)
        self.note = self.ctx.text("the descent diverges: try a smaller learning rate" if run.diverged else "",
                                  color=theme.PALETTE[4], size=theme.SMALL_SIZE)
        self.note.next_to(lines["curve"], mn.DOWN, aligned_edge=mn.LEFT, buff=0.15).set_z_index(12)
        scene.add(self.panel)

    def _curve_values(self, params: np.ndarray) -> np.ndarray:
        pts = np.column_stack([self.xs, np.broadcast_to(params, (len(self.xs), len(params)))])
        return np.asarray(self.f.value(pts), dtype=float)

    def _curve(self, params: np.ndarray, colour: str) -> Any:
        """f(x; params) over the data's x range, clipped to the plane's y range."""
        (y0, y1) = self.plane.y_range[:2]
        ys = np.clip(np.nan_to_num(self._curve_values(params), nan=y0, posinf=y1, neginf=y0), y0, y1)
        curve = mn.VMobject(stroke_color=colour, stroke_width=theme.STROKE_WIDTH)
        curve.set_points_smoothly([self.plane.c2p(a, b) for a, b in zip(self.xs, ys)])
        return curve.set_z_index(3)

    def _residuals(self, params: np.ndarray) -> Any:
        (y0, y1) = self.plane.y_range[:2]
        pts = np.column_stack([self.x, np.broadcast_to(params, (len(self.x), len(params)))])
        pred = np.clip(np.nan_to_num(self.f.value(pts), nan=y0), y0, y1)
        group = mn.VGroup(*(mn.Line(self.plane.c2p(a, b), self.plane.c2p(a, c), stroke_color=theme.PALETTE[4],
                                    stroke_width=2.5, stroke_opacity=0.9) for a, b, c in zip(self.x, self.y, pred)))
        return group.set_z_index(2)

    def _readout(self, k: int) -> Any:
        """``k``, χ² and each parameter, two to a row; only the numbers change from step to step."""
        if not hasattr(self, "_templates"):
            self._templates = {"k": self.ctx.label("k ="), "chi2": self.ctx.label(r"\chi^2 =")}
            for name, tex in zip(self.params.parameters, self.names_tex):
                self._templates[name] = self.ctx.label(f"{tex} =")
        t = self._templates
        def pair(key: str, value: float, d: int = 2) -> Any:
            label, number = t[key].copy(), self.ctx.number(value, d)
            number.next_to(label, mn.RIGHT, buff=0.1)
            if self.ctx.draw_text:  # the number sits on the "=" sign's axis, whatever the name's descenders
                number.set_y(label[0][-1].get_center()[1])
            return mn.VGroup(label, number)

        items = [pair("k", k, 0), pair("chi2", self.run.losses[k], 3)]
        items += [pair(name, v) for name, v in zip(self.params.parameters, self.run.params[k])]
        rows = [mn.VGroup(*items[i:i + 2]).arrange(mn.RIGHT, buff=0.5) for i in range(0, len(items), 2)]
        group = mn.VGroup(*rows).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.2)
        for row in rows[1:]:  # columns line up
            row[0].align_to(rows[0][0], mn.LEFT)
            if len(row) > 1:
                row[1].align_to(rows[0][1], mn.LEFT)
        return group

    def _chi2_chart(self) -> Any:
        self.chi2_chart = loss_axes(self.ctx, self.run.losses, name=r"\chi^2", height=1.6)
        self.chi2_axes = self.chi2_chart.axes
        return self.chi2_chart

    # -- beats -------------------------------------------------------------------
    def beats_off(self) -> dict[str, str]:
        return {"descend": "steps"} if self.params.steps == 0 else {}

    @beat("Show the axes and the data points.")
    def show_data(self, scene: Any):
        yield mn.Create(self.plane, lag_ratio=0.02), mn.FadeIn(self.numbers), mn.FadeIn(self.axis_names)
        yield mn.FadeIn(self.dots, lag_ratio=0.05)

    @beat("Show the model's formula and draw the curve at the starting parameters.")
    def show_model(self, scene: Any):
        yield mn.FadeIn(self.panel_lines["model"]), mn.Create(self.curve)

    @beat("Draw the residuals and show χ², the sum of their squares, with the parameters.")
    def show_residuals(self, scene: Any):
        anims = [mn.FadeIn(self.panel_lines["chi2"]), mn.FadeIn(self.panel_lines["readout"])]
        if self.params.show_residuals:
            anims.append(mn.Create(self.residuals, lag_ratio=0.05))
        yield tuple(anims)

    @beat("Steepest descent on the parameters: the curve fits step by step, χ² falls (plotted in the panel).")
    def descend(self, scene: Any):
        first: tuple[Any, ...] = (mn.FadeIn(self.panel_lines["grad"]), mn.FadeIn(self.panel_lines["rule"]),
                                  mn.FadeIn(self.panel_lines["curve"]), mn.FadeIn(self.chi2_dot))
        if not self.plays("show_residuals"):  # the readout was not brought in before
            first = (*first, mn.FadeIn(self.panel_lines["readout"]))
        for anim in first:
            anim.run_time = 0.6
        yield first
        readout = self.panel_lines["readout"]
        # the steps take three seconds or so, whatever their number: the picture leads the words
        each = min(0.4, max(1 / 15, 3.0 / max(len(self.chunk_ends), 1)))
        for i, end in enumerate(self.chunk_ends):
            params = self.run.params[end]
            anims = [mn.Transform(self.curve, self._curve(params, theme.FOREGROUND))]
            if self.params.show_residuals:
                anims.append(mn.Transform(self.residuals, self._residuals(params)))
            target = self._readout(end).move_to(readout, aligned_edge=mn.UL).set_z_index(readout.z_index)
            anims += [count_to(readout, target), mn.Create(self.chi2_pieces[i]),
                      self.chi2_dot.animate.move_to(self.chi2_pieces[i].get_end())]
            for anim in anims:
                anim.run_time = each
            yield tuple(anims)
        if self.run.diverged:
            yield mn.FadeIn(self.note)

    @beat("Show the fitted curve in the accent colour, with its parameters.")
    def show_fit(self, scene: Any):
        yield mn.Create(self.fit_curve), mn.Indicate(self.panel_lines["readout"], color=theme.ACCENT)
