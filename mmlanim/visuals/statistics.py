"""The ``statistics`` visual: the mean, variance and covariance of a 1-D or 2-D data set, and how an
affine map ``x ↦ A x + b`` moves them."""

from __future__ import annotations

__all__ = ["Statistics"]

import math
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._data import CsvData, DatasetData, DataSource, GaussianData, load_data, source_files, source_problems
from ._layout import (
    axis_names,
    fitted_plane,
    fmt,
    matrix_tex,
    nice_step,
    panel_background,
    panel_column,
    plane_area,
    vector_tex,
)
from .base import Visual, VisualParams, beat, too_large_to_draw

_DEFAULT_CLOUD: dict[str, Any] = {"generate": "gaussian", "n": 60, "mean": [1.0, 1.0],
                                  "cov": [[1.0, 0.6], [0.6, 0.8]], "seed": 3}


def style_line() -> dict[str, Any]:
    """The look of a drawn axis line."""
    return {"stroke_color": theme.MUTED, "stroke_width": 2.5}


def _ellipse_points(mean: np.ndarray, cov: np.ndarray, sigmas: float, n: int = 120) -> np.ndarray:
    """Points of the ellipse ``sigmas`` standard deviations out (from the eigen-decomposition of cov)."""
    from ..maths.linalg import eigen

    eig = eigen(cov)
    values = np.real(eig.values)
    vectors = np.real(eig.vectors)
    t = np.linspace(0, 2 * np.pi, n)
    radii = sigmas * np.sqrt(np.clip(values, 0, None))
    return np.asarray(mean + (np.cos(t)[:, None] * radii[0]) * vectors[:, 0]
                      + (np.sin(t)[:, None] * radii[1]) * vectors[:, 1])


class Statistics(Visual, kind="statistics"):
    """Statistics of a data set: its mean, the spread as variance and covariance, and how an affine
    map x ↦ Ax + b moves them.

    The data have one or two columns (any data source). In 1-D the samples are
    drawn as a strip, one row each, with the mean as a line, each deviation
    x_n − μ as a bar, and a histogram below marked at μ and μ ± σ. In 2-D:
    the cloud, the mean, the deviations from it, one standard deviation along
    each axis and the covariance ellipse. With ``A`` (and ``b``) the samples
    move to A x + b, and the panel shows the new mean A μ + b and covariance
    A Σ Aᵀ, which are exactly the moments of the moved samples. The
    covariance divides by N − ``ddof`` (default N − 1, as numpy.cov;
    ``ddof: 0`` divides by N). All numbers from ``mmlanim.maths``
    (``mean_and_covariance``, ``affine_moments``, ``histogram``).
    """

    class Params(VisualParams):
        data: DataSource = Field(default_factory=lambda: GaussianData(**_DEFAULT_CLOUD), description=(
            "The samples, one or two columns (see linear_regression's data; default: a 2-D Gaussian cloud)."))
        ddof: Literal[0, 1] = Field(1, description=(
            "The variance and covariance divide by N − ddof: 1 (the default) is the unbiased sample "
            "covariance of numpy.cov and scikit-learn; 0 divides by N."))
        A: list[list[float]] | None = Field(None, description=(
            "The linear part of the map x ↦ Ax + b, one row per output (1 × 1 in 1-D, 2 × 2 in 2-D), "
            "shown in the beat 'transform' (default: no map)."))
        b: list[float] | None = Field(None, description=(
            "The shift b of the map x ↦ Ax + b (default: zero; alone, it shifts the data)."))
        sigmas: float = Field(2.0, gt=0, le=4, description=(
            "2-D: the covariance ellipse is drawn this many standard deviations out."))
        axis_labels: list[str] | None = Field(None, min_length=1, max_length=2, description=(
            "Names of the axes, in plain text (default: the data's column names for csv and dataset data)."))
        mean_name: str = Field(r"\boldsymbol{\mu}", description="LaTeX name of the mean.")
        bins: int | None = Field(None, ge=2, le=40, description=(
            "1-D: the number of equal bins of the histogram (default: √N, between 4 and 16)."))

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "points": "points go inside `data:`, as data: {points: [[x], ...]} or [[x, y], ...]",
        "shift": "the shift of x ↦ Ax + b is `b:`, e.g. b: [1, 0]",
        "matrix": "the map's matrix is `A:`, e.g. A: [[2, 0], [0, 1]]",
    }

    example = {"data": _DEFAULT_CLOUD, "A": [[1.5, 0.0], [0.5, 1.0]], "b": [-2.0, 0.5]}

    # -- numbers -----------------------------------------------------------------
    def load(self) -> np.ndarray:
        return load_data(self.params.data, self.context.base_dir).values

    def input_files(self):
        return source_files(self.params.data, self.context.base_dir)

    def check(self):
        p = self.params
        problems = source_problems(p.data, self.context.base_dir, at=("data",))
        yield from problems
        if problems:
            return
        X = self.data
        d = X.shape[1]
        if d not in (1, 2):
            where = ("data", "columns") if isinstance(p.data, (CsvData, DatasetData)) else ("data",)
            yield where, f"this visual shows one or two columns of data, got {d}"
            return
        if X.shape[0] < 2:
            yield ("data",), "a spread needs at least two samples"
            return
        if p.A is not None:
            if len(p.A) != d or any(len(row) != d for row in p.A):
                yield ("A",), f"A must be {d} × {d} to map this {d}-D data to the plane it is drawn in"
                return
        if p.b is not None and len(p.b) != d:
            yield ("b",), f"b must have {d} number{'s' if d > 1 else ''}, like the data"
            return
        moved = self._moved()
        if moved is not None and (problem := too_large_to_draw(moved, " (a moved sample)")):
            yield ("A",), problem

    def beats_off(self) -> dict[str, str]:
        off = {}
        if self.params.A is None and self.params.b is None:
            off["transform"] = off["show_moved_spread"] = "A"
        return off

    def _dim(self) -> int:
        return int(self.data.shape[1])

    def _map(self) -> tuple[np.ndarray, np.ndarray] | None:
        p = self.params
        if p.A is None and p.b is None:
            return None
        d = self._dim()
        A = np.eye(d) if p.A is None else np.asarray(p.A, dtype=float)
        b = np.zeros(d) if p.b is None else np.asarray(p.b, dtype=float)
        return A, b

    def _moved(self) -> np.ndarray | None:
        m = self._map()
        if m is None:
            return None
        A, b = m
        return np.asarray(self.data @ A.T + b)

    # -- building ------------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        from ..maths.statistics import affine_moments, mean_and_covariance

        p = self.params
        X = self.data
        self.moments = mean_and_covariance(X, ddof=p.ddof)
        self.shown: dict[str, Any] = {"mean": self.moments.mean, "cov": self.moments.cov, "ddof": p.ddof,
                                      "n": X.shape[0]}
        m = self._map()
        self.moved_moments = None
        if m is not None:
            self.moved_moments = affine_moments(self.moments.mean, self.moments.cov, m[0], m[1])
            self.shown.update(moved=self._moved(), moved_mean=self.moved_moments.mean,
                              moved_cov=self.moved_moments.cov)
        self.panel = panel_background()
        self.on: set[str] = set()  # what the beats played so far left on screen
        names = p.axis_labels
        if names is None and isinstance(p.data, (CsvData, DatasetData)) and p.data.columns:
            names = [str(c) for c in p.data.columns]
        self.names = names
        if self._dim() == 1:
            self._setup_1d()
        else:
            self._setup_2d()
        self._setup_panel()
        scene.add(self.panel)

    # 1-D: a strip of samples (one row each) above a histogram, sharing the x axis.
    def _setup_1d(self) -> None:
        from ..maths.regression import histogram

        x = self.data[:, 0]
        moved = self._moved()
        mu, var = float(self.moments.mean[0]), float(self.moments.cov[0, 0])
        sd = math.sqrt(var)
        every = [x, [mu - sd, mu + sd]]
        if moved is not None and self.moved_moments is not None:
            mm, ms = float(self.moved_moments.mean[0]), math.sqrt(float(self.moved_moments.cov[0, 0]))
            every += [moved[:, 0], [mm - ms, mm + ms]]
        allx = np.concatenate([np.ravel(v) for v in every])
        lo, hi = float(allx.min()), float(allx.max())
        step = nice_step(hi - lo, 8.0)
        x0, x1 = math.floor(lo / step) * step, math.ceil(hi / step) * step
        if x1 - x0 < 2 * step:
            x0, x1 = x0 - step, x1 + step
        bins = self.params.bins or int(min(16, max(4, math.ceil(math.sqrt(len(x))))))
        hist = histogram(x, bins, density=False)
        counts = np.rint(hist.heights).astype(int)
        self.shown["counts"], self.shown["edges"] = counts, hist.edges
        top = int(counts.max())
        ystep = max(1, int(nice_step(top, 4.0)))
        y1 = math.ceil(top / ystep) * ystep
        if y1 == top:
            y1 += ystep
        area = plane_area()
        strip_h, hist_h, gap = area.height * 0.47, area.height * 0.36, area.height * 0.06
        left, width = area.left + 0.45, area.width - 0.55
        style = {"stroke_color": theme.MUTED, "stroke_width": 2.5, "include_ticks": True, "tick_size": 0.06}
        self.hist_axes = mn.Axes(x_range=(x0, x1, step), y_range=(0, y1, ystep), x_length=width,
                                 y_length=hist_h, tips=False, axis_config=style)
        self.hist_axes.move_to([left + width / 2, area.bottom + 0.35 + hist_h / 2, 0])
        # The count axis at the left edge whatever the range (Axes would draw it at x = 0).
        self.hist_axes.y_axis.set_stroke(opacity=0)
        self.hist_frame = mn.VGroup(self.hist_axes, mn.Line(
            self.hist_axes.c2p(x0, 0), self.hist_axes.c2p(x0, y1), **style_line()))
        self.plane = self.hist_axes
        strip_bottom = area.bottom + 0.35 + hist_h + gap
        n = len(x)
        row = strip_h / (n + 1)

        def s2p(value: float, i: float) -> np.ndarray:
            return np.array([self.hist_axes.c2p(value, 0)[0], strip_bottom + (i + 1) * row, 0.0])

        self.s2p = s2p
        radius = min(theme.DOT_RADIUS, 0.42 * row)
        self.dots = mn.VGroup(*(mn.Dot(s2p(v, i), radius=radius, color=theme.color_at(0)) for i, v in enumerate(x)))
        self.dots.set_z_index(4)
        self.strip_rule = mn.Line(s2p(x0, -0.6), s2p(x1, -0.6), stroke_color=theme.MUTED, stroke_width=1.5)
        self.mean_mark = self._mean_line_1d(mu, strip_bottom, strip_h)
        self.deviations = mn.VGroup(*(mn.Line(s2p(mu, i), s2p(v, i), stroke_color=theme.color_at(1),
                                              stroke_width=2.5) for i, v in enumerate(x))).set_z_index(3)
        ax = self.hist_axes
        self.bars = mn.VGroup(*(
            mn.Polygon(ax.c2p(a, 0), ax.c2p(b, 0), ax.c2p(b, c), ax.c2p(a, c), stroke_color=theme.BACKGROUND,
                       stroke_width=1.5, fill_color=theme.color_at(0), fill_opacity=0.75)
            for a, b, c in zip(hist.edges[:-1], hist.edges[1:], counts)))
        self.sigma_marks = self._sigma_marks(mu, sd, y1)
        self.ticks = self.ctx.axis_numbers(ax)
        # The axis's name under its right end, below the tick numbers, clear of the bars.
        self.axis_names_group = mn.VGroup()
        if self.names and self.names[0]:
            name = self.ctx.text(self.names[0], color=theme.MUTED, size=theme.SMALL_SIZE)
            name.next_to(ax.c2p(x1, 0), mn.DOWN, buff=0.42).align_to(ax.c2p(x1, 0), mn.RIGHT)
            self.axis_names_group.add(name)
        self.strip_bottom, self.strip_h, self.y_top = strip_bottom, strip_h, y1

    def _mean_line_1d(self, mu: float, bottom: float, height: float) -> Any:
        xs = self.hist_axes.c2p(mu, 0)[0]
        line = mn.Line([xs, bottom, 0], [xs, bottom + height, 0], stroke_color=theme.ACCENT, stroke_width=4)
        lab = self.ctx.label(self.params.mean_name, color=theme.ACCENT, size=theme.SMALL_SIZE)
        lab.next_to(line.get_top(), mn.UP, buff=0.08)
        return mn.VGroup(line, lab).set_z_index(5)

    def _sigma_marks(self, mu: float, sd: float, y_top: float) -> Any:
        ax = self.hist_axes
        mean = mn.Line(ax.c2p(mu, 0), ax.c2p(mu, y_top * 0.85), stroke_color=theme.ACCENT, stroke_width=4)
        sides = mn.VGroup(*(mn.DashedLine(ax.c2p(mu + s * sd, 0), ax.c2p(mu + s * sd, y_top),
                                          stroke_color=theme.FOREGROUND, stroke_width=2.5, dash_length=0.1)
                            for s in (-1, 1)))
        y_arrow = ax.c2p(mu, y_top * 0.93)[1]
        span = mn.DoubleArrow([ax.c2p(mu - sd, 0)[0], y_arrow, 0], [ax.c2p(mu + sd, 0)[0], y_arrow, 0], buff=0,
                              stroke_width=2.5, color=theme.FOREGROUND, tip_length=0.14,
                              max_tip_length_to_length_ratio=0.3)
        lab = self.ctx.label(r"\pm\sigma", color=theme.FOREGROUND, size=theme.SMALL_SIZE)
        lab.next_to(span, mn.UP, buff=0.06)
        return mn.VGroup(mean, sides, span, lab).set_z_index(5)

    # 2-D: the cloud on a fitted plane.
    def _setup_2d(self) -> None:
        p = self.params
        X = self.data
        mean, cov = self.moments.mean, self.moments.cov
        must = [X, _ellipse_points(mean, cov, p.sigmas), (mean + np.sqrt(np.diag(cov)))[None],
                (mean - np.sqrt(np.diag(cov)))[None]]
        if self.moved_moments is not None:
            must += [self.shown["moved"], _ellipse_points(self.moved_moments.mean, self.moved_moments.cov, p.sigmas)]
        self.plane = fitted_plane(np.vstack(must), area=plane_area(), include_origin=self.moved_moments is not None,
                                  equal=True, pad=1)
        c2p = self.plane.c2p
        self.dots = mn.VGroup(*(mn.Dot(c2p(*row), radius=theme.DOT_RADIUS * 0.85, color=theme.color_at(0))
                                for row in X)).set_z_index(4)
        self.mean_mark = self._mean_dot(mean)
        self.deviations = mn.VGroup(*(mn.Line(c2p(*mean), c2p(*row), stroke_color=theme.color_at(1),
                                              stroke_width=1.5, stroke_opacity=0.7) for row in X)).set_z_index(3)
        sd = np.sqrt(np.diag(cov))
        corners = [mean + np.array([sx, sy]) * sd for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
        self.sigma_box = mn.DashedVMobject(
            mn.Polygon(*(c2p(*c) for c in corners), stroke_color=theme.FOREGROUND, stroke_width=2.5),
            num_dashes=40).set_z_index(5)
        self.ellipse = self._ellipse(mean, cov)
        n_ticks = (self.plane.x_range[1] - self.plane.x_range[0]) / self.plane.x_range[2]
        self.ticks = self.ctx.axis_numbers(self.plane, every=2 if n_ticks > 12 else 1)
        self.axis_names_group = axis_names(self.ctx, self.plane, self.names)

    def _mean_dot(self, mean: np.ndarray) -> Any:
        c = self.plane.c2p(*mean)
        return mn.VGroup(mn.Dot(c, radius=theme.DOT_RADIUS * 1.8, color=theme.ACCENT),
                         mn.Circle(radius=0.2, stroke_color=theme.ACCENT, stroke_width=3).move_to(c)).set_z_index(6)

    def _ellipse(self, mean: np.ndarray, cov: np.ndarray) -> Any:
        pts = _ellipse_points(mean, cov, self.params.sigmas)
        return mn.VMobject(stroke_color=theme.FOREGROUND, stroke_width=3).set_points_smoothly(
            [self.plane.c2p(*q) for q in pts]).set_z_index(3)

    # The panel: the formulas, with the computed numbers.
    def _setup_panel(self) -> None:
        p = self.params
        d = self._dim()
        mu, cov = self.moments.mean, self.moments.cov
        denom = "N" if p.ddof == 0 else "N - 1"
        N = self.shown["n"]
        lines: dict[str, Any] = {}
        mname = p.mean_name
        if d == 1:
            lines["mean"] = self.ctx.label(rf"{mname} = \frac{{1}}{{N}}\sum_n x_n = {fmt(mu[0])}",
                                           color=theme.ACCENT)
            lines["var"] = self.ctx.label(rf"\sigma^2 = \frac{{1}}{{{denom}}}\sum_n (x_n - {mname})^2 = "
                                          rf"{fmt(cov[0, 0])}", color=theme.FOREGROUND)
            lines["sd"] = self.ctx.label(rf"\sigma = {fmt(math.sqrt(cov[0, 0]))},\quad N = {N}",
                                         color=theme.FOREGROUND)
        else:
            lines["mean"] = self.ctx.label(rf"{mname} = {vector_tex(mu)}", color=theme.ACCENT)
            lines["var"] = self.ctx.label(
                rf"\sigma_1^2 = {fmt(cov[0, 0])},\ \ \sigma_2^2 = {fmt(cov[1, 1])}", color=theme.FOREGROUND)
            lines["cov"] = self.ctx.label(
                rf"\Sigma = \frac{{1}}{{{denom}}}\sum_n (\mathbf{{x}}_n - {mname})(\mathbf{{x}}_n - {mname})^\top",
                color=theme.FOREGROUND)
            lines["cov_value"] = self.ctx.label(rf"\Sigma = {matrix_tex(cov)},\ \ N = {N}",
                                                color=theme.FOREGROUND)
        m = self._map()
        if m is not None and self.moved_moments is not None:
            A, b = m
            mm, mc = self.moved_moments.mean, self.moved_moments.cov
            if d == 1:
                lines["map"] = self.ctx.label(rf"x \mapsto {fmt(A[0, 0])}\,x + {fmt(b[0])}".replace("+ -", "- "),
                                              color=theme.color_at(2))
                lines["moved_mean"] = self.ctx.label(rf"a{mname} + b = {fmt(mm[0])}", color=theme.ACCENT)
                lines["moved_var"] = self.ctx.label(rf"a^2\sigma^2 = {fmt(mc[0, 0])}", color=theme.FOREGROUND)
            else:
                lines["map"] = self.ctx.label(rf"A = {matrix_tex(A)},\ \mathbf{{b}} = {vector_tex(b)}",
                                              color=theme.color_at(2))
                lines["moved_mean"] = self.ctx.label(rf"A{mname} + \mathbf{{b}} = {vector_tex(mm)}",
                                                     color=theme.ACCENT)
                lines["moved_var"] = self.ctx.label(rf"A\Sigma A^\top = {matrix_tex(mc)}", color=theme.FOREGROUND)
        self.panel_lines = lines
        panel_column(list(lines.values()), buff=0.38)

    # -- beats -------------------------------------------------------------------
    @beat("Show the samples.")
    def show_data(self, scene: Any):
        if self._dim() == 1:
            yield mn.Create(self.strip_rule), mn.FadeIn(self.dots, lag_ratio=0.02)
        else:
            yield (mn.Create(self.plane, lag_ratio=0.02), mn.FadeIn(self.ticks), mn.FadeIn(self.axis_names_group))
            yield mn.FadeIn(self.dots, lag_ratio=0.02)

    @beat("Mark the mean, with its value.")
    def show_mean(self, scene: Any):
        if self._dim() == 1:
            # The axis comes with the mean: its numbers say where the mean is.
            yield (mn.Create(self.hist_frame), mn.FadeIn(self.ticks), mn.FadeIn(self.axis_names_group),
                   mn.Create(self.mean_mark), mn.FadeIn(self.panel_lines["mean"]))
        else:
            yield mn.FadeIn(self.mean_mark, scale=0.5), mn.FadeIn(self.panel_lines["mean"])

    @beat("Draw each sample's deviation from the mean.")
    def show_deviations(self, scene: Any):
        self.on.add("deviations")
        yield mn.Create(self.deviations, lag_ratio=0.02)

    @beat("The variance: 1-D, a histogram marked at the mean and ±1σ; 2-D, one σ along each axis.")
    def show_variance(self, scene: Any):
        if self._dim() == 1:
            self.on |= {"bars", "sigma_marks"}
            yield (mn.FadeIn(self.bars, lag_ratio=0.1), mn.FadeIn(self.sigma_marks), mn.FadeIn(self.panel_lines["var"]),
                   mn.FadeIn(self.panel_lines["sd"]))
        else:
            yield *self._fade_out("deviations"), mn.Create(self.sigma_box), mn.FadeIn(self.panel_lines["var"])
            self.on.add("sigma_box")

    @beat("2-D: the covariance matrix and its ellipse.")
    def show_covariance(self, scene: Any):
        if self._dim() == 1:
            return
        yield (*self._fade_out("sigma_box", "deviations"), mn.Create(self.ellipse),
               mn.FadeIn(self.panel_lines["cov"]), mn.FadeIn(self.panel_lines["cov_value"]))
        self.on.add("ellipse")

    @beat("Show the map x ↦ Ax + b, then move every sample by it: the mean moves to Aμ + b, the covariance "
          "becomes AΣAᵀ.")
    def transform(self, scene: Any):
        moved = self.shown.get("moved")
        if moved is None or self.moved_moments is None:
            return
        mm, mc = self.moved_moments.mean, self.moved_moments.cov
        yield (mn.FadeIn(self.panel_lines["map"]),)  # the rule, then what it does
        if self._dim() == 1:
            yield self._transform_1d(moved[:, 0], float(mm[0]), math.sqrt(float(mc[0, 0])))
        else:
            targets = [self.plane.c2p(*row) for row in moved]
            shape = (mn.Transform(self.ellipse, self._ellipse(mm, mc)),) if "ellipse" in self.on else ()
            yield (*self._fade_out("deviations", "sigma_box"),
                   *(d.animate.move_to(t) for d, t in zip(self.dots, targets)),
                   self.mean_mark.animate.move_to(self.plane.c2p(*mm)), *shape)
        yield mn.FadeIn(self.panel_lines["moved_mean"])

    @beat("The moved samples' spread: a²σ² in 1-D, AΣAᵀ in 2-D.")
    def show_moved_spread(self, scene: Any):
        if self.moved_moments is None:
            return
        spread = self.sigma_marks if self._dim() == 1 else self.ellipse
        yield mn.FadeIn(self.panel_lines["moved_var"]), mn.Indicate(spread, color=theme.ACCENT)

    def _transform_1d(self, moved: np.ndarray, new_mu: float, new_sd: float) -> tuple[Any, ...]:
        ax = self.hist_axes
        m = self._map()
        assert m is not None
        a, b = float(m[0][0, 0]), float(m[1][0])
        moves = [d.animate.move_to(self.s2p(v, i)) for i, (d, v) in enumerate(zip(self.dots, moved))]
        new_mean = self._mean_line_1d(new_mu, self.strip_bottom, self.strip_h)
        new_marks = self._sigma_marks(new_mu, new_sd, self.y_top)
        # Each bar's edges move with the samples: the same counts over the mapped bins.
        edges = np.asarray(self.shown["edges"]) * a + b
        counts = self.shown["counts"]
        new_bars = mn.VGroup(*(
            mn.Polygon(ax.c2p(min(e0, e1), 0), ax.c2p(max(e0, e1), 0), ax.c2p(max(e0, e1), c),
                       ax.c2p(min(e0, e1), c), stroke_color=theme.BACKGROUND, stroke_width=1.5,
                       fill_color=theme.color_at(0), fill_opacity=0.75)
            for e0, e1, c in zip(edges[:-1], edges[1:], counts)))
        new_devs = mn.VGroup(*(mn.Line(self.s2p(new_mu, i), self.s2p(v, i), stroke_color=theme.color_at(1),
                                       stroke_width=2.5) for i, v in enumerate(moved))).set_z_index(3)
        shown = [(self.sigma_marks, new_marks, "sigma_marks"), (self.bars, new_bars, "bars"),
                 (self.deviations, new_devs, "deviations")]
        return (*moves, mn.Transform(self.mean_mark, new_mean),
                *(mn.Transform(old, new) for old, new, name in shown if name in self.on))

    def _fade_out(self, *names: str) -> list[Any]:
        """Fade out those of the named drawings that are on screen."""
        gone = [mn.FadeOut(getattr(self, name)) for name in names if name in self.on]
        self.on -= set(names)
        return gone
