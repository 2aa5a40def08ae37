"""The ``pca_projection`` visual: principal component analysis of a 2-D cloud."""

from __future__ import annotations

__all__ = ["PCAProjection"]

import math
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._data import CsvData, DatasetData, DataSource, GaussianData, load_data, source_files, source_problems
from ._layout import (
    PANEL_CONTENT_Z,
    Area,
    arrow,
    axis_names,
    clip_segment_to,
    fitted_plane,
    fmt,
    matrix_tex,
    panel_area,
    panel_background,
    panel_column,
    plane_area,
    take_on,
    vector_tex,
)
from .base import Visual, VisualParams, beat

#: The example's cloud, and the default data.
_DEFAULT_CLOUD: dict[str, Any] = {"generate": "gaussian", "n": 120, "mean": [1.0, 0.5],
                                  "cov": [[3.0, 1.6], [1.6, 1.4]], "seed": 2}


class PCAProjection(Visual, kind="pca_projection"):
    """Principal component analysis: a cloud's mean, covariance ellipse and principal axes, and its
    projection onto the first axis.

    The data are 2-D points (default: a Gaussian cloud). Shown: the mean, the
    covariance ellipse (from ``mmlanim.maths.mean_and_covariance`` and its
    eigen-decomposition), a candidate axis through the mean turning while the
    average squared reconstruction error
    J = Σ‖x_n − x̃_n‖² / (N − ddof) of projecting onto it falls, plotted
    against the axis's direction, to its minimum at u1 (J = λ2 there), the
    principal axes (unit eigenvectors u1, u2 scaled by √eigenvalue, drawn
    ``ellipse_sigmas`` times that so they reach the ellipse), the points
    dropping perpendicularly onto the first axis, their 1-D reconstruction,
    and the share of the variance it keeps (from ``mmlanim.maths.pca`` and
    ``line_reconstruction_error``). The covariance, the eigenvalues and J
    divide by N − ``ddof``: by default N − 1, as numpy.cov and scikit-learn;
    ``ddof: 0`` divides by N, as the course's derivation does. For images
    rebuilt from a few components, see ``pca_images``.
    """

    class Params(VisualParams):
        data: DataSource = Field(default_factory=lambda: GaussianData(**_DEFAULT_CLOUD), description=(
            "The points, two columns (see linear_regression's data; default: a Gaussian cloud)."))
        axis_labels: list[str] | None = Field(None, min_length=2, max_length=2, description=(
            "Names of the horizontal and vertical axes, in plain text, e.g. ['hours', 'score'] "
            "(default: the data's column names for csv and dataset data, none otherwise)."))
        mean_name: str = Field(r"\boldsymbol{\mu}", description="LaTeX name of the mean.")
        axis_names: list[str] = Field([r"\mathbf{u}_1", r"\mathbf{u}_2"], min_length=2, max_length=2,
                                      description="LaTeX names of the principal axes.")
        ellipse_sigmas: float = Field(2.0, gt=0, le=4, description="The covariance ellipse is drawn "
                                      "this many standard deviations out.")
        ddof: Literal[0, 1] = Field(1, description=(
            "The covariance, its eigenvalues and the reconstruction error J divide by N − ddof: 1 (the "
            "default) as numpy.cov and scikit-learn's explained_variance_; 0 divides by N, as the "
            "course's derivation of PCA."))
        start_angle: float | None = Field(None, ge=0, le=180, description=(
            "Direction, in degrees (0 to 180), of the candidate axis the beat 'show_error' draws and "
            "'minimise_error' turns towards u1 (default: 60° away from u1)."))

    params: Params
    #: Advice for keys authors reach for that this kind does not take.
    key_hints: ClassVar[dict[str, str]] = {
        "points": "points go inside `data:`, as data: {points: [[x, y], ...]}",
        "csv": "a CSV file goes inside `data:`, as data: {csv: FILE, columns: [X, Y]}",
    }

    example = {"data": _DEFAULT_CLOUD}

    # -- numbers ---------------------------------------------------------------
    def load(self) -> np.ndarray:
        return load_data(self.params.data, self.context.base_dir).values

    def input_files(self):
        return source_files(self.params.data, self.context.base_dir)

    def check(self):
        problems = source_problems(self.params.data, self.context.base_dir, columns=2, at=("data",))
        yield from problems
        if problems:
            return
        from ..maths.pca import pca

        try:
            pca(self.data)
        except ValueError as exc:
            yield ("data",), str(exc)

    # -- building --------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        self.shown: dict[str, Any] = {}
        self.on: set[str] = set()  # what the beats played so far left on screen
        self.panel = panel_background()
        self._setup_cloud()
        scene.add(self.panel)

    def _setup_cloud(self) -> None:
        from ..maths.linalg import eigen
        from ..maths.pca import pca
        from ..maths.statistics import mean_and_covariance

        p = self.params
        X = self.data
        moments = mean_and_covariance(X, ddof=p.ddof)
        eig = eigen(moments.cov)
        full = pca(X)
        one = pca(X, 1)
        # pca() divides by N − 1; with ddof = 0 the variances are those of Σ (dividing by N).
        variances = np.clip(np.real(eig.values), 0, None)
        self.shown.update(mean=moments.mean, cov=moments.cov, eigenvalues=variances,
                          components=full.components, explained_variance=variances,
                          ratio=float(full.explained_variance_ratio[0]), reconstruction=one.reconstruction,
                          ddof=p.ddof)
        mean = moments.mean
        # The ellipse at ellipse_sigmas standard deviations, from the eigen-decomposition of Σ.
        t = np.linspace(0, 2 * np.pi, 120)
        radii = p.ellipse_sigmas * np.sqrt(np.clip(eig.values, 0, None))
        ellipse_pts = mean + (np.cos(t)[:, None] * radii[0]) * eig.vectors[:, 0] \
            + (np.sin(t)[:, None] * radii[1]) * eig.vectors[:, 1]
        self.plane = fitted_plane(np.vstack([X, ellipse_pts]), area=plane_area(), include_origin=False,
                                  equal=True, pad=1)
        c2p = self.plane.c2p
        names = p.axis_labels
        if names is None and isinstance(p.data, (CsvData, DatasetData)) and p.data.columns:
            names = [str(c) for c in p.data.columns]
        self.axis_names = axis_names(self.ctx, self.plane, names)
        n_ticks = (self.plane.x_range[1] - self.plane.x_range[0]) / self.plane.x_range[2]
        self.ticks = self.ctx.axis_numbers(self.plane, every=2 if n_ticks > 12 else 1)
        self.dots = mn.VGroup(*(mn.Dot(c2p(*row), radius=theme.DOT_RADIUS * 0.85, color=theme.color_at(0))
                                for row in X)).set_z_index(4)
        self.mean_dot = mn.VGroup(
            mn.Dot(c2p(*mean), radius=theme.DOT_RADIUS * 1.8, color=theme.ACCENT),
            mn.Circle(radius=0.2, stroke_color=theme.ACCENT, stroke_width=3).move_to(c2p(*mean)),
        ).set_z_index(6)
        self.ellipse = mn.VMobject(stroke_color=theme.FOREGROUND, stroke_width=3)
        self.ellipse.set_points_smoothly([c2p(*q) for q in ellipse_pts]).set_z_index(3)
        self.axes_arrows = [
            arrow(c2p(*mean), c2p(*(mean + p.ellipse_sigmas * math.sqrt(lam) * comp)), theme.color_at(i + 2),
                  stroke_width=theme.STROKE_WIDTH + 1).set_z_index(7)
            for i, (lam, comp) in enumerate(zip(variances, full.components))
        ]
        self.axes_labels = []
        for i, a in enumerate(self.axes_arrows):
            lab = self.ctx.label(p.axis_names[i], color=theme.color_at(i + 2))
            d = a.get_end() - a.get_start()
            lab.next_to(a.get_end(), d / (np.linalg.norm(d) or 1), buff=0.1).set_z_index(8)
            self.axes_labels.append(lab)
        # The first principal axis as a long line through the mean.
        u = full.components[0]
        d = np.asarray(c2p(*(mean + u))) - np.asarray(c2p(*mean))
        ends = clip_segment_to((self.plane.get_corner(mn.DL), self.plane.get_corner(mn.UR)), c2p(*mean), d)
        assert ends is not None  # a line through the mean, which the plane shows
        self.axis_line = mn.Line(*ends, stroke_color=theme.color_at(2), stroke_width=2.5,
                                 stroke_opacity=0.8).set_z_index(2)
        self.drops = mn.VGroup(*(mn.Line(c2p(*a), c2p(*b), stroke_color=theme.MUTED, stroke_width=1.5,
                                         stroke_opacity=0.8)
                                 for a, b in zip(X, one.reconstruction))).set_z_index(3)
        self.feet = mn.VGroup(*(mn.Dot(c2p(*b), radius=theme.DOT_RADIUS * 0.6, color=theme.ACCENT)
                                for b in one.reconstruction)).set_z_index(5)

        lines = {
            "mean": self.ctx.label(rf"{p.mean_name} = {vector_tex(mean)}", color=theme.ACCENT),
            "cov": self.ctx.label(rf"\Sigma = {matrix_tex(moments.cov)}"),
            "eig": self.ctx.label([rf"\lambda_1 = {fmt(variances[0])}", r",\quad ",
                          rf"\lambda_2 = {fmt(variances[1])}"]),
            "ratio": self.ctx.label([r"\frac{\lambda_1}{\lambda_1 + \lambda_2} = ",
                            rf"{fmt(100 * self.shown['ratio'], 1)}\%"], color=theme.ACCENT),
            "note": self.ctx.text("of the variance is kept in 1-D", color=theme.MUTED, size=theme.SMALL_SIZE),
        }
        if self.ctx.draw_text:
            lines["eig"][0].set_color(theme.color_at(2))
            lines["eig"][2].set_color(theme.color_at(3))
        self._setup_error(X, full.components[0], variances, lines)
        self.panel_lines = lines
        order = ["mean", "cov", "error", "eig", "error_min", "ratio", "note"]
        pa = panel_area()
        top = Area((pa.center[0], pa.top - (pa.height - 2.1) / 2), pa.width, pa.height - 2.1)
        panel_column([lines[k] for k in order], buff=0.36, area=top)
        self.curve_group.move_to([pa.left + self.curve_group.width / 2, pa.bottom + self.curve_group.height / 2, 0])
        self.curve_group.set_z_index(PANEL_CONTENT_Z)

    def _setup_error(self, X: np.ndarray, u1: np.ndarray, variances: np.ndarray, lines: dict[str, Any]) -> None:
        """The candidate axis, its drops, J as it turns, and J against the axis's direction."""
        from ..maths.pca import line_reconstruction_error

        p = self.params
        best = math.degrees(math.atan2(u1[1], u1[0])) % 180.0
        if p.start_angle is not None:
            start = float(p.start_angle)
        else:
            start = best + 60.0 if best + 60.0 <= 180.0 else best - 60.0
        if abs(start - best) > 90.0:  # turn the short way: a line's direction repeats every 180°
            best += 180.0 if start > best else -180.0
        self.angles = (start, best)
        grid = np.linspace(0.0, 180.0, 181)
        rad = np.radians(grid)
        curve = line_reconstruction_error(X, np.column_stack([np.cos(rad), np.sin(rad)]), ddof=p.ddof)
        j_min = float(line_reconstruction_error(X, u1, ddof=p.ddof))
        self.shown.update(error_curve=(grid, curve), error_min=j_min, error_start=float(
            line_reconstruction_error(X, [math.cos(math.radians(start)), math.sin(math.radians(start))],
                                      ddof=p.ddof)))
        denom = "N" if p.ddof == 0 else "N - 1"
        self.error_number = self.ctx.number(self.shown["error_start"], 2, color=theme.ACCENT)
        formula = self.ctx.label(rf"J = \frac{{1}}{{{denom}}}\sum_n \|\mathbf{{x}}_n - \tilde{{\mathbf{{x}}}}_n\|^2 =",
                                 color=theme.ACCENT)
        self.error_number.next_to(formula, mn.RIGHT, buff=0.12)
        if self.ctx.draw_text:  # on the line of the formula's last "=", not the middle of the fraction
            self.error_number.match_y(formula[0][-1])
        lines["error"] = mn.VGroup(formula, self.error_number)
        lines["error_min"] = self.ctx.label(rf"J_{{\min}} = \lambda_2 = {fmt(variances[1])}", color=theme.ACCENT)
        # J against the direction of the axis, 0° to 180°, in the panel's foot.
        pa = panel_area()
        top = float(np.max(curve)) * 1.1 or 1.0
        self.curve_axes = mn.Axes(x_range=(0, 180, 45), y_range=(0, top, top), x_length=pa.width - 0.6,
                                  y_length=1.3, tips=False,
                                  axis_config={"stroke_color": theme.MUTED, "stroke_width": 2, "include_ticks": True,
                                               "tick_size": 0.05})
        ax = self.curve_axes
        self.curve = mn.VMobject(stroke_color=theme.ACCENT, stroke_width=3).set_points_as_corners(
            [ax.c2p(a, j) for a, j in zip(grid, curve)])
        self.curve_dot = mn.Dot(ax.c2p(start % 180.0, self.shown["error_start"]), radius=theme.DOT_RADIUS * 1.3,
                                color=theme.FOREGROUND)
        names = mn.VGroup(
            self.ctx.label("J", color=theme.ACCENT, size=theme.SMALL_SIZE).next_to(ax.c2p(0, top), mn.LEFT,
                                                                                  buff=0.1),
            self.ctx.text("direction of the axis", color=theme.MUTED, size=theme.SMALL_SIZE - 4).next_to(
                ax.x_axis, mn.DOWN, buff=0.3),
        )
        ticks = mn.VGroup(*(self.ctx.number(a, 0, color=theme.MUTED, size=theme.SMALL_SIZE - 4).next_to(
            ax.c2p(a, 0), mn.DOWN, buff=0.08) for a in (0, 90, 180)))
        degree = mn.VGroup(*(self.ctx.label(r"^\circ", color=theme.MUTED, size=theme.SMALL_SIZE - 4).next_to(
            t, mn.RIGHT, buff=0.02).align_to(t, mn.UP) for t in ticks))
        self.curve_group = mn.VGroup(ax, self.curve, self.curve_dot, names, ticks, degree)
        # The candidate axis and its drops, rebuilt for each direction as it turns.
        self.candidate = self._candidate(start)

    def _candidate(self, degrees: float) -> Any:
        """The line through the mean at ``degrees`` and each point's perpendicular drop onto it."""
        c2p = self.plane.c2p
        mean = self.shown["mean"]
        u = np.array([math.cos(math.radians(degrees)), math.sin(math.radians(degrees))])
        d = np.asarray(c2p(*(mean + u))) - np.asarray(c2p(*mean))
        ends = clip_segment_to((self.plane.get_corner(mn.DL), self.plane.get_corner(mn.UR)), c2p(*mean), d)
        assert ends is not None  # a line through the mean, which the plane shows
        X = self.data
        feet = mean + np.outer((X - mean) @ u, u)
        line = mn.Line(*ends, stroke_color=theme.color_at(2), stroke_width=2.5, stroke_opacity=0.8).set_z_index(2)
        drops = mn.VGroup(*(mn.Line(c2p(*a), c2p(*b), stroke_color=theme.MUTED, stroke_width=1.5,
                                    stroke_opacity=0.8) for a, b in zip(X, feet))).set_z_index(3)
        return mn.VGroup(line, drops)

    # -- beats -------------------------------------------------------------------
    @beat("Show the data: the cloud of points.")
    def show_data(self, scene: Any):
        yield mn.Create(self.plane, lag_ratio=0.02), mn.FadeIn(self.axis_names), mn.FadeIn(self.ticks)
        yield mn.FadeIn(self.dots, lag_ratio=0.02)

    @beat("Mark the mean.")
    def show_mean(self, scene: Any):
        yield mn.FadeIn(self.mean_dot, scale=0.5), mn.FadeIn(self.panel_lines["mean"])

    @beat("Show the covariance matrix, then draw its ellipse.")
    def show_covariance(self, scene: Any):
        yield (mn.FadeIn(self.panel_lines["cov"]),)
        yield (mn.Create(self.ellipse),)

    @beat("Draw a candidate axis through the mean and each point's drop onto it; then the error J of "
          "projecting onto it, where J's curve begins.")
    def show_error(self, scene: Any):
        self.on.add("candidate")
        yield mn.Create(self.candidate[0]), mn.Create(self.candidate[1], lag_ratio=0.01)
        yield mn.FadeIn(self.panel_lines["error"]), mn.FadeIn(self.curve_group)

    @beat("Turn the candidate axis: the error J of projecting onto it falls to its minimum along u1.")
    def minimise_error(self, scene: Any):
        from ..maths.pca import line_reconstruction_error

        if "candidate" not in self.on:  # the candidate was not drawn on its own beat: draw it first
            yield from self.show_error(scene)
        start, best = self.angles
        X, ddof = self.data, self.params.ddof
        ax = self.curve_axes

        def turn(group: Any, alpha: float) -> None:
            degrees = start + (best - start) * mn.smooth(alpha)
            rad = math.radians(degrees)
            j = float(line_reconstruction_error(X, [math.cos(rad), math.sin(rad)], ddof=ddof))
            take_on(group[0], self._candidate(degrees))
            group[1].move_to(ax.c2p(degrees % 180.0, j))
            if isinstance(group[2], mn.DecimalNumber):  # digits re-made: keep them above the panel
                group[2].set_value(j).set_z_index(PANEL_CONTENT_Z)

        yield mn.UpdateFromAlphaFunc(mn.VGroup(self.candidate, self.curve_dot, self.error_number), turn,
                                     rate_func=mn.linear)

    @beat("Draw the principal axes, each √eigenvalue long.")
    def show_axes(self, scene: Any):
        yield (*(mn.GrowArrow(a) for a in self.axes_arrows), *(mn.FadeIn(lab) for lab in self.axes_labels),
               mn.FadeIn(self.panel_lines["eig"]))

    @beat("Drop every point perpendicularly onto the first axis.")
    def project(self, scene: Any):
        if "candidate" in self.on:  # the candidate axis already lies along u1: its drops are the projections
            yield self.candidate[1].animate.set_stroke(color=theme.FOREGROUND, opacity=1.0)
            return
        self.on.add("drops")
        yield mn.Create(self.axis_line), mn.Create(self.drops, lag_ratio=0.01)

    @beat("The 1-D reconstruction and the share of variance it keeps.")
    def reconstruct(self, scene: Any):
        drops = [self.drops] if "drops" in self.on else []
        if "candidate" in self.on:
            drops.append(self.candidate[1])
        yield (mn.TransformFromCopy(self.dots, self.feet), self.dots.animate.set_opacity(0.35),
               *(mn.FadeOut(d) for d in drops), mn.FadeIn(self.panel_lines["error_min"]),
               mn.FadeIn(self.panel_lines["ratio"]), mn.FadeIn(self.panel_lines["note"]))
