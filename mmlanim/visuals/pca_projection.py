"""The ``pca_projection`` visual: principal component analysis of a 2-D cloud."""

from __future__ import annotations

__all__ = ["PCAProjection"]

import math
from typing import Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._data import CsvData, DatasetData, DataSource, GaussianData, load_data, source_files, source_problems
from ._layout import (
    arrow,
    axis_names,
    clip_segment_to,
    fitted_plane,
    fmt,
    matrix_tex,
    panel_background,
    panel_column,
    plane_area,
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
    covariance ellipse (from ``mmlanim.maths.mean_and_covariance``, dividing
    by N − 1, and its eigen-decomposition), the principal axes (unit
    eigenvectors u1, u2 scaled by √eigenvalue, drawn ``ellipse_sigmas`` times
    that so they reach the ellipse), the points dropping perpendicularly onto
    the first axis, their 1-D reconstruction, and the share of the variance it
    keeps (from ``mmlanim.maths.pca``). For images rebuilt from a few
    components, see ``pca_images``.
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
        self.panel = panel_background()
        self._setup_cloud()
        scene.add(self.panel)

    def _setup_cloud(self) -> None:
        from ..maths.linalg import eigen
        from ..maths.pca import pca
        from ..maths.statistics import mean_and_covariance

        p = self.params
        X = self.data
        moments = mean_and_covariance(X)
        eig = eigen(moments.cov)
        full = pca(X)
        one = pca(X, 1)
        self.shown.update(mean=moments.mean, cov=moments.cov, eigenvalues=eig.values,
                          components=full.components, explained_variance=full.explained_variance,
                          ratio=float(full.explained_variance_ratio[0]), reconstruction=one.reconstruction)
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
            for i, (lam, comp) in enumerate(zip(full.explained_variance, full.components))
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
            "eig": self.ctx.label([rf"\lambda_1 = {fmt(full.explained_variance[0])}", r",\quad ",
                          rf"\lambda_2 = {fmt(full.explained_variance[1])}"]),
            "ratio": self.ctx.label([r"\frac{\lambda_1}{\lambda_1 + \lambda_2} = ",
                            rf"{fmt(100 * self.shown['ratio'], 1)}\%"], color=theme.ACCENT),
            "note": self.ctx.text("of the variance is kept in 1-D", color=theme.MUTED, size=theme.SMALL_SIZE),
        }
        if self.ctx.draw_text:
            lines["eig"][0].set_color(theme.color_at(2))
            lines["eig"][2].set_color(theme.color_at(3))
        self.panel_lines = lines
        panel_column(list(lines.values()), buff=0.45)

    # -- beats -------------------------------------------------------------------
    @beat("Show the data: the cloud of points.")
    def show_data(self, scene: Any):
        yield mn.Create(self.plane, lag_ratio=0.02), mn.FadeIn(self.axis_names)
        yield mn.FadeIn(self.dots, lag_ratio=0.02)

    @beat("Mark the mean.")
    def show_mean(self, scene: Any):
        yield mn.FadeIn(self.mean_dot, scale=0.5), mn.FadeIn(self.panel_lines["mean"])

    @beat("Draw the covariance ellipse.")
    def show_covariance(self, scene: Any):
        yield mn.Create(self.ellipse), mn.FadeIn(self.panel_lines["cov"])

    @beat("Draw the principal axes, each √eigenvalue long.")
    def show_axes(self, scene: Any):
        for a, lab in zip(self.axes_arrows, self.axes_labels):
            yield mn.GrowArrow(a), mn.FadeIn(lab)
        yield mn.FadeIn(self.panel_lines["eig"])

    @beat("Drop every point perpendicularly onto the first axis.")
    def project(self, scene: Any):
        yield mn.Create(self.axis_line)
        yield mn.Create(self.drops, lag_ratio=0.01)

    @beat("The 1-D reconstruction and the share of variance it keeps.")
    def reconstruct(self, scene: Any):
        yield (mn.TransformFromCopy(self.dots, self.feet), self.dots.animate.set_opacity(0.35),
               mn.FadeOut(self.drops))
        yield mn.FadeIn(self.panel_lines["ratio"]), mn.FadeIn(self.panel_lines["note"])
