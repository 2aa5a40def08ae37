"""The ``linear_regression`` visual: a scatter, a line fitted by gradient descent, its
residuals and loss, and the closed-form least-squares answer."""

from __future__ import annotations

__all__ = ["LinearRegression"]

from typing import Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._charts import loss_axes, loss_trace
from ._data import DataSource, LineData, load_data, source_files, source_problems
from ._layout import (
    MAX_DESCENT_STEPS,
    axis_names,
    clip_segment_to,
    count_to,
    fitted_plane,
    fmt,
    panel_background,
    panel_column,
    plane_area,
)
from ._types import Vector2
from .base import Visual, VisualParams, beat

#: Most residuals drawn (every k-th point beyond that; the numbers use all the data).
_MAX_RESIDUALS = 150


#: The example's data, and the default data.
_DEFAULT_LINE: dict[str, Any] = {"generate": "line", "n": 30, "slope": 0.8, "intercept": 1.0, "noise": 0.6,
                                 "x_range": [0.0, 6.0], "seed": 3}


def _default_data() -> LineData:
    return LineData(**_DEFAULT_LINE)


class LinearRegression(Visual, kind="linear_regression"):
    """Linear regression: a scatter, a line fitted by gradient descent with its residuals and loss,
    then the least-squares answer.

    The line ``y = m x + c`` starts at ``start`` = [m, c] and follows
    ``mmlanim.maths.fit_by_gradient_descent`` on the mean squared error; the
    residuals (vertical segments, at most 150 of them) and a small loss curve follow it. The last
    beat shows the closed-form answer from ``mmlanim.maths.least_squares``
    and its equation with the computed numbers. The axes fit the data (and
    include the origin when it is near, so the intercept can be seen).
    Data come from any data source (see ``data``): the first column is x,
    the second y.
    """

    class Params(VisualParams):
        data: DataSource = Field(default_factory=_default_data, description=(
            "The points: {points: [[x, y], ...]} | {csv: FILE, columns: [X, Y]} | "
            "{generate: line, n, slope, intercept, noise, x_range, seed} | "
            "{dataset: iris|diabetes, columns: [X, Y]} (Y may be 'target')."))
        learning_rate: float = Field(0.03, gt=0, description="Step size of the gradient descent "
                                     "on (m, c).")
        steps: int = Field(60, ge=0, le=5000, description="Gradient-descent steps (0: no descent; the "
                           "first guess stays until the least-squares line).")
        start: Vector2 = Field([0.0, 0.0], description="The first guess [m, c].")
        axis_labels: list[str] | None = Field(None, min_length=2, max_length=2, description=(
            "Names of the horizontal and vertical axes, in plain text, e.g. ['hours', 'score'] "
            "(default: the data's column names; x and y for points and generated data)."))
        show_residuals: bool = Field(True, description="Draw the residuals as vertical segments.")
        show_loss: bool = Field(True, description="Draw the loss curve in the panel.")

    params: Params
    #: Advice for keys authors reach for that this kind does not take.
    key_hints: ClassVar[dict[str, str]] = {
        "points": "points go inside `data:`, as data: {points: [[x, y], ...]}",
        "csv": "a CSV file goes inside `data:`, as data: {csv: FILE, columns: [X, Y]}",
        "lr": "the step size is `learning_rate:`",
        "iterations": "the number of gradient-descent steps is `steps:`",
    }

    example = {"data": _DEFAULT_LINE, "learning_rate": 0.03, "steps": 60, "start": [0, 0]}

    # -- numbers ---------------------------------------------------------------
    def load(self) -> Any:
        return load_data(self.params.data, self.context.base_dir)

    def _xy(self) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
        loaded = self.data
        return loaded.values[:, 0], loaded.values[:, 1], loaded.names

    def input_files(self):
        return source_files(self.params.data, self.context.base_dir)

    def check(self):
        problems = source_problems(self.params.data, self.context.base_dir, columns=2)
        yield from problems
        if problems:
            return
        from ..maths.regression import fit_by_gradient_descent, least_squares

        x, y, _ = self._xy()
        try:
            least_squares(x, y)
        except ValueError as exc:
            yield ("data",), str(exc)
            return
        p = self.params
        try:
            fit_by_gradient_descent(x, y, p.learning_rate, p.steps, p.start)
        except ValueError as exc:
            yield ("learning_rate",), str(exc)

    # -- building --------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        from ..maths.regression import fit_by_gradient_descent, least_squares

        p = self.params
        x, y, names = self._xy()
        self.x, self.y = x, y
        fit = self.fit = least_squares(x, y)
        descent = self.descent = fit_by_gradient_descent(x, y, p.learning_rate, p.steps, p.start)
        self.shown: dict[str, Any] = {"slope": fit.slope, "intercept": fit.intercept,
                                      "r_squared": fit.r_squared, "params": descent.params,
                                      "losses": descent.losses, "diverged": descent.diverged}

        # Axes that fit the data; the origin too when it is near.
        pts = np.column_stack([x, y])
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        span = np.maximum(hi - lo, 1e-9)
        near = [(lo[i] <= 0 <= hi[i]) or min(abs(lo[i]), abs(hi[i])) < 0.6 * span[i] for i in range(2)]
        extra = np.array([[0.0 if near[0] else x.mean(), 0.0 if near[1] else y.mean()]])
        area = plane_area()
        inner = area.with_tick_room()
        self.plane = fitted_plane(np.vstack([pts, extra]), area=inner, include_origin=False,
                                  equal=False, pad=1)
        self.numbers = self.ctx.axis_numbers(self.plane)
        self.axis_names = axis_names(self.ctx, self.plane, p.axis_labels or names)
        self.dots = mn.VGroup(*(mn.Dot(self.plane.c2p(a, b), radius=theme.DOT_RADIUS,
                                       color=theme.color_at(0)) for a, b in pts)).set_z_index(4)

        # Lines and residuals along the descent (chunked), then the closed form.
        m0, c0 = descent.params[0]
        self.line = self._line(m0, c0, theme.FOREGROUND)
        self.residuals = self._residuals(m0, c0)
        n = len(descent.params) - 1
        self.chunk_ends = [int(c[-1]) + 1 for c in np.array_split(np.arange(n), min(n, MAX_DESCENT_STEPS))] \
            if n else []
        self.fit_line = self._line(fit.slope, fit.intercept, theme.ACCENT).set_z_index(3)
        self.fit_residuals = self._residuals(fit.slope, fit.intercept)

        # The panel.
        lines: dict[str, Any] = {
            "model": self.ctx.label(r"y = m\,x + c"),
            "loss": self.ctx.label(r"L = \frac{1}{N}\sum_i \big(y_i - (m x_i + c)\big)^2", color=theme.FOREGROUND),
            "readout": self._readout(0),
        }
        if p.show_loss:
            diverged_top = float(self.descent.losses[0]) * 1.5 if self.descent.diverged else None
            self.loss_chart = loss_axes(self.ctx, self.descent.losses, name="L", top=diverged_top)
            self.loss_axes = self.loss_chart.axes
            lines["curve"] = self.loss_chart.group
        sign = "-" if fit.intercept < 0 else "+"
        lines["fit"] = self.ctx.label(rf"y = {fmt(fit.slope)}\,x {sign} {fmt(abs(fit.intercept))}", color=theme.ACCENT)
        lines["r2"] = self.ctx.label(rf"R^2 = {fmt(fit.r_squared)}", color=theme.ACCENT)
        self.panel_lines = lines
        self.panel = panel_background()
        # The beats that show each line (the readout and the loss chart also move in the descent,
        # which brings them in when the residuals' beat is left out).
        used_by = {"model": ("show_line",), "loss": ("show_residuals",), "readout": ("show_residuals", "descend"),
                   "curve": ("show_residuals", "descend"), "fit": ("show_fit",), "r2": ("show_fit",)}
        panel_column([line for key, line in lines.items() if any(map(self.plays, used_by[key]))], buff=0.35)
        if p.show_loss:
            self.loss_pieces, self.loss_dot = loss_trace(self.loss_chart, self.descent.losses, self.chunk_ends)
        self.note = self.ctx.text("the descent diverges: try a smaller learning rate" if descent.diverged else "",
                         color=theme.PALETTE[4], size=theme.SMALL_SIZE)
        self.note.next_to(self.panel_lines["readout"], mn.DOWN, aligned_edge=mn.LEFT, buff=0.15)
        self.note.set_z_index(12)
        scene.add(self.panel)

    def _line(self, m: float, c: float, colour: str) -> Any:
        """``y = m x + c`` across the plane, clipped to it."""
        (x0, x1, _), (y0, y1, _) = self.plane.x_range, self.plane.y_range
        ends = clip_segment_to((self.plane.c2p(x0, y0), self.plane.c2p(x1, y1)),
                               self.plane.c2p(x0, m * x0 + c),
                               np.asarray(self.plane.c2p(x1, m * x1 + c)) - np.asarray(self.plane.c2p(x0, m * x0 + c)))
        missed = ends is None
        if ends is None:  # the line misses the view: parked on the nearer edge, unseen (drawn there, it would
            # pass for an axis); a step that brings it into view fades it in
            yv = y0 if m * (x0 + x1) / 2 + c < y0 else y1
            ends = (self.plane.c2p(x0, yv), self.plane.c2p(x1, yv))
        line = mn.Line(*ends, stroke_color=colour, stroke_width=theme.STROKE_WIDTH).set_z_index(3)
        if missed:
            line.set_stroke(opacity=0)
        return line

    def _residuals(self, m: float, c: float) -> Any:
        (y0, y1) = self.plane.y_range[:2]
        group = mn.VGroup()
        every = -(-len(self.x) // _MAX_RESIDUALS)
        for a, b in zip(self.x[::every], self.y[::every]):
            pred = float(np.clip(m * a + c, y0, y1))
            group.add(mn.Line(self.plane.c2p(a, b), self.plane.c2p(a, pred), stroke_color=theme.PALETTE[4],
                              stroke_width=2.5, stroke_opacity=0.9))
        return group.set_z_index(2)

    def _readout(self, k: int) -> Any:
        if not hasattr(self, "_templates"):
            self._templates = {key: self.ctx.label(tex) for key, tex in
                               (("k", "k ="), ("m", "m ="), ("c", "c ="), ("L", "L ="))}
        t = self._templates
        m, c = self.descent.params[k]
        loss = self.descent.losses[k]
        pair = lambda name, value, d=2: mn.VGroup(t[name].copy(), self.ctx.number(value, d)).arrange(mn.RIGHT, buff=0.1)  # noqa: E731
        row1 = mn.VGroup(pair("k", k, 0), pair("L", loss, 3)).arrange(mn.RIGHT, buff=0.5)
        row2 = mn.VGroup(pair("m", m), pair("c", c)).arrange(mn.RIGHT, buff=0.5)
        return mn.VGroup(row1, row2).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.2)

    # -- beats -------------------------------------------------------------------
    def beats_off(self) -> dict[str, str]:
        """Beats that show nothing with these parameters, and the parameter that turns each off."""
        return {"descend": "steps"} if self.params.steps == 0 else {}

    @beat("Show the axes and the data points.")
    def show_data(self, scene: Any):
        yield mn.Create(self.plane, lag_ratio=0.02), mn.FadeIn(self.numbers), mn.FadeIn(self.axis_names)
        yield mn.FadeIn(self.dots, lag_ratio=0.05)

    @beat("Draw a first guess for the line y = m x + c.")
    def show_line(self, scene: Any):
        yield mn.Create(self.line), mn.FadeIn(self.panel_lines["model"])

    @beat("Draw the residuals, the vertical gaps between the points and the line, and the loss.")
    def show_residuals(self, scene: Any):
        anims = [mn.FadeIn(self.panel_lines["loss"]), mn.FadeIn(self.panel_lines["readout"])]
        if self.params.show_residuals:
            anims.append(mn.Create(self.residuals, lag_ratio=0.05))
        yield tuple(anims)
        if self.params.show_loss:
            yield mn.FadeIn(self.panel_lines["curve"]), mn.FadeIn(self.loss_dot)

    @beat("Gradient descent on m and c: the line, the residuals and the loss curve move step by step.")
    def descend(self, scene: Any):
        readout = self.panel_lines["readout"]
        if not self.plays("show_residuals"):  # the readout and the loss chart were not brought in before
            intro = [mn.FadeIn(readout, run_time=0.5)]
            if self.params.show_loss:
                intro += [mn.FadeIn(self.panel_lines["curve"], run_time=0.5), mn.FadeIn(self.loss_dot, run_time=0.5)]
            yield tuple(intro)
        for i, end in enumerate(self.chunk_ends):
            m, c = self.descent.params[end]
            anims = [mn.Transform(self.line, self._line(m, c, theme.FOREGROUND))]
            if self.params.show_residuals:
                anims.append(mn.Transform(self.residuals, self._residuals(m, c)))
            target = self._readout(end).move_to(readout, aligned_edge=mn.UL).set_z_index(readout.z_index)
            anims.append(count_to(readout, target))
            if self.params.show_loss:
                anims += [mn.Create(self.loss_pieces[i]),
                          self.loss_dot.animate.move_to(self.loss_pieces[i].get_end())]
            yield tuple(anims)
        if self.descent.diverged:
            yield mn.FadeIn(self.note)

    @beat("Show the least-squares line from the closed form, and its equation.")
    def show_fit(self, scene: Any):
        anims = [mn.Create(self.fit_line), mn.FadeIn(self.panel_lines["fit"]), mn.FadeIn(self.panel_lines["r2"])]
        if self.params.show_residuals:
            anims.append(mn.Transform(self.residuals, self.fit_residuals))
        yield tuple(anims)
