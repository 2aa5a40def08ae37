"""The ``pca_projection`` visual: principal component analysis of a 2-D cloud, or of
images (the digits) reconstructed from a few components."""

from __future__ import annotations

__all__ = ["PCAProjection"]

import math
from typing import Any, Literal

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._data import DatasetData, DataSource, GaussianData, load_data, source_files, source_problems
from ._layout import (
    Area,
    arrow,
    clip_segment_to,
    fitted_plane,
    fmt,
    label,
    matrix_tex,
    number,
    panel_area,
    panel_background,
    panel_column,
    plane_area,
    text,
    vector_tex,
)
from .base import Visual, VisualParams, beat


class PCAProjection(Visual, kind="pca_projection"):
    """Principal component analysis: a cloud's mean, covariance ellipse and principal axes, and its projection onto the first axis.

    Cloud mode (2-D data): the mean, the covariance ellipse (from
    ``mmlanim.maths.mean_and_covariance`` and its eigen-decomposition), the
    principal axes (unit eigenvectors u1, u2 scaled by √eigenvalue, drawn
    ``ellipse_sigmas`` times that so they reach the ellipse), the points dropping
    perpendicularly onto the first axis, their 1-D reconstruction, and the
    share of the variance it keeps (from ``mmlanim.maths.pca``).

    Digits mode (``mode: digits``; rows that are square images, by default
    scikit-learn's 8×8 digits): a few images, the mean image, the
    cumulative explained variance, the first components as images, and each
    image rebuilt from k = ``components`` principal components. Beats are
    the same in both modes; each shows the mode's version of the step.
    """

    class Params(VisualParams):
        mode: Literal["cloud", "digits"] = Field("cloud", description="'cloud': 2-D points; "
                                                 "'digits': rows that are square images.")
        data: DataSource | None = Field(None, description=(
            "The data (see linear_regression's data): two columns in cloud mode (default: a "
            "Gaussian cloud), square images in digits mode (default: {dataset: digits})."))
        ellipse_sigmas: float = Field(2.0, gt=0, le=4, description="The covariance ellipse is drawn "
                                      "this many standard deviations out.")
        components: list[int] = Field([1, 2, 5, 10, 30], min_length=1, max_length=8,
                                      description="Digits mode: the numbers of components k to "
                                      "rebuild the images with.")
        samples: list[int] = Field([0, 3, 7], min_length=1, max_length=4,
                                   description="Digits mode: which rows (images) to show.")

    example = {"data": {"generate": "gaussian", "n": 120, "mean": [1.0, 0.5],
                        "cov": [[3.0, 1.6], [1.6, 1.4]], "seed": 2}}

    # -- numbers ---------------------------------------------------------------
    def _source(self) -> Any:
        if self.params.data is not None:
            return self.params.data
        if self.params.mode == "digits":
            return DatasetData(dataset="digits")
        return GaussianData(generate="gaussian", n=120, mean=[1.0, 0.5], cov=[[3.0, 1.6], [1.6, 1.4]], seed=2)

    def _values(self) -> np.ndarray:
        return load_data(self._source(), self.context.base_dir).values

    def input_files(self):
        return source_files(self._source(), self.context.base_dir)

    def check(self):
        p = self.params
        at = ("data",) if p.data is not None else ("mode",)
        problems = source_problems(self._source(), self.context.base_dir,
                                   columns=2 if p.mode == "cloud" else None, at=at)
        yield from problems
        if problems:
            return
        X = self._values()
        if p.mode == "digits":
            side = math.isqrt(X.shape[1])
            if side * side != X.shape[1]:
                yield at, (f"digits mode shows rows as square images, but the rows have {X.shape[1]} "
                           "values (not a square number)")
                return
            limit = min(X.shape)
            for i, k in enumerate(p.components):
                if not 1 <= k <= limit:
                    yield ("components", i), f"k = {k} is out of range: 1 ≤ k ≤ {limit}"
            for i, s in enumerate(p.samples):
                if not 0 <= s < X.shape[0]:
                    yield ("samples", i), f"row {s} does not exist: the data has {X.shape[0]} rows"
            return
        from ..maths.pca import pca

        try:
            pca(X)
        except ValueError as exc:
            yield at, str(exc)

    # -- building --------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        self.shown: dict[str, Any] = {}
        self.panel = panel_background()
        if self.params.mode == "digits":
            self._setup_digits()
        else:
            self._setup_cloud()
        scene.add(self.panel)

    def _setup_cloud(self) -> None:
        from ..maths.linalg import eigen
        from ..maths.pca import pca
        from ..maths.statistics import mean_and_covariance

        p = self.params
        X = self._values()
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
            lab = label(rf"\mathbf{{u}}_{i + 1}", color=theme.color_at(i + 2))
            d = a.get_end() - a.get_start()
            lab.next_to(a.get_end(), d / (np.linalg.norm(d) or 1), buff=0.1).set_z_index(8)
            self.axes_labels.append(lab)
        # The first principal axis as a long line through the mean.
        u = full.components[0]
        d = np.asarray(c2p(*(mean + u))) - np.asarray(c2p(*mean))
        ends = clip_segment_to((self.plane.get_corner(mn.DL), self.plane.get_corner(mn.UR)), c2p(*mean), d)
        self.axis_line = mn.Line(*ends, stroke_color=theme.color_at(2), stroke_width=2.5,
                                 stroke_opacity=0.8).set_z_index(2)
        self.drops = mn.VGroup(*(mn.Line(c2p(*a), c2p(*b), stroke_color=theme.MUTED, stroke_width=1.5,
                                         stroke_opacity=0.8)
                                 for a, b in zip(X, one.reconstruction))).set_z_index(3)
        self.feet = mn.VGroup(*(mn.Dot(c2p(*b), radius=theme.DOT_RADIUS * 0.6, color=theme.ACCENT)
                                for b in one.reconstruction)).set_z_index(5)

        lines = {
            "mean": label(rf"\boldsymbol{{\mu}} = {vector_tex(mean)}", color=theme.ACCENT),
            "cov": label(rf"\Sigma = {matrix_tex(moments.cov)}"),
            "eig": label([rf"\lambda_1 = {fmt(full.explained_variance[0])}", r",\quad ",
                          rf"\lambda_2 = {fmt(full.explained_variance[1])}"]),
            "ratio": label([r"\frac{\lambda_1}{\lambda_1 + \lambda_2} = ",
                            rf"{fmt(100 * self.shown['ratio'], 1)}\%"], color=theme.ACCENT),
            "note": text("of the variance is kept in 1-D", color=theme.MUTED, size=theme.SMALL_SIZE),
        }
        if theme.draw_text:
            lines["eig"][0].set_color(theme.color_at(2))
            lines["eig"][2].set_color(theme.color_at(3))
        self.panel_lines = lines
        panel_column(list(lines.values()), buff=0.45)

    def _image(self, values: np.ndarray, side: int, size: float, lo: float | None = None,
               hi: float | None = None) -> Any:
        """A square image of ``values`` (side × side), coloured along the theme's ramp."""
        v = np.asarray(values, dtype=float).reshape(side, side)
        lo = float(v.min()) if lo is None else lo
        hi = float(v.max()) if hi is None else hi
        t = np.clip((v - lo) / ((hi - lo) or 1.0), 0, 1)
        ground = np.array([int(theme.BACKGROUND[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
        # A grid of squares, not an ImageMobject: manim 0.22's Cairo camera cannot draw
        # images with Pillow ≥ 11 (Image.fromarray(..., mode="RGBA") on a float array).
        cell = size / side
        group = mn.VGroup()
        for r in range(side):
            for c in range(side):
                # Low values fade into the ground, so faint ink looks faint.
                ink = np.array([int(theme.sequential_color(t[r, c])[i:i + 2], 16) for i in (1, 3, 5)])
                mix = ground + (ink - ground) * min(1.0, t[r, c] * 2.5)
                colour = "#{:02X}{:02X}{:02X}".format(*(int(round(x)) for x in mix))
                sq = mn.Square(side_length=cell, stroke_width=0, fill_color=colour, fill_opacity=1.0)
                sq.move_to([(c - (side - 1) / 2) * cell, ((side - 1) / 2 - r) * cell, 0])
                group.add(sq)
        frame = mn.Square(side_length=size, stroke_color="#2E3A46", stroke_width=1.5)
        return mn.VGroup(group, frame)

    def _setup_digits(self) -> None:
        from ..maths.pca import pca

        p = self.params
        X = self._values()
        side = math.isqrt(X.shape[1])
        full = pca(X)
        fits = {k: pca(X, k) for k in p.components}
        rows = list(p.samples)
        self.shown.update(mean=full.mean, components=full.components,
                          ratio={k: float(fits[k].explained_variance_ratio.sum()) for k in p.components},
                          cumulative=np.cumsum(full.explained_variance_ratio),
                          reconstructions={k: fits[k].reconstruction[rows] for k in p.components})
        lo, hi = float(X.min()), float(X.max())
        area = plane_area()
        cols = 1 + len(p.components)
        size = min((area.width - 0.4) / cols - 0.18, (area.height - 1.6) / len(rows) - 0.18, 1.6)
        gap = 0.18
        grid_w = cols * size + (cols - 1) * gap
        grid_h = len(rows) * size + (len(rows) - 1) * gap
        x_left = area.center[0] - grid_w / 2 + size / 2
        y_top = area.center[1] + grid_h / 2 - size / 2 - 0.2
        def at(r: int, c: int) -> list[float]:
            return [x_left + c * (size + gap), y_top - r * (size + gap), 0.0]
        self.originals = mn.VGroup(*(self._image(X[s], side, size, lo, hi).move_to(at(r, 0))
                                    for r, s in enumerate(rows)))
        self.rebuilt = [mn.VGroup(*(self._image(fits[k].reconstruction[s], side, size, lo, hi).move_to(at(r, c))
                                   for r, s in enumerate(rows)))
                        for c, k in enumerate(p.components, start=1)]
        self.headers = mn.VGroup(label(r"\text{image}", color=theme.MUTED, size=theme.SMALL_SIZE).next_to(
            at(0, 0), mn.UP, buff=size / 2 + 0.15))
        self.percents = mn.VGroup()
        for c, k in enumerate(p.components, start=1):
            self.headers.add(label(rf"k = {k}", size=theme.SMALL_SIZE).next_to(at(0, c), mn.UP, buff=size / 2 + 0.15))
            pct = number(100 * self.shown["ratio"][k], 0, color=theme.ACCENT, size=theme.SMALL_SIZE)
            pct_sign = label(r"\%", color=theme.ACCENT, size=theme.SMALL_SIZE)
            pair = mn.VGroup(pct, pct_sign).arrange(mn.RIGHT, buff=0.04)
            pair.next_to(at(len(rows) - 1, c), mn.DOWN, buff=size / 2 + 0.15)
            self.percents.add(pair)

        # The panel: the mean image, the first components, the cumulative variance.
        pa = panel_area()
        small = 0.85
        self.mean_image = self._image(full.mean, side, small, lo, hi)
        self.component_images = mn.VGroup(*(self._image(full.components[i], side, small,
                                                        -np.abs(full.components[i]).max(),
                                                        np.abs(full.components[i]).max())
                                           for i in range(min(4, full.n_components)))).arrange(mn.RIGHT, buff=0.12)
        mean_title = label(r"\boldsymbol{\mu}", color=theme.ACCENT)
        comp_title = label(r"\mathbf{u}_1,\ \mathbf{u}_2,\ \mathbf{u}_3,\ \mathbf{u}_4", size=theme.SMALL_SIZE + 2)
        curve_title = text("variance kept", color=theme.MUTED, size=theme.SMALL_SIZE)
        self.mean_group = mn.VGroup(mean_title, self.mean_image).arrange(mn.RIGHT, buff=0.25)
        self.comp_group = mn.VGroup(comp_title, self.component_images).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.15)
        cumulative = self.shown["cumulative"]
        n = len(cumulative)
        self.curve_axes = mn.Axes(x_range=(0, n, max(1, n // 4)), y_range=(0, 1, 0.5),
                                  x_length=pa.width - 0.3, y_length=1.7, tips=False,
                                  axis_config={"stroke_color": theme.MUTED, "stroke_width": 2,
                                               "include_ticks": False})
        self.curve = mn.VMobject(stroke_color=theme.ACCENT, stroke_width=3).set_points_as_corners(
            [self.curve_axes.c2p(0, 0)] + [self.curve_axes.c2p(i + 1, v) for i, v in enumerate(cumulative)])
        self.curve_marks = mn.VGroup(*(mn.Dot(self.curve_axes.c2p(k, cumulative[k - 1]), radius=theme.DOT_RADIUS,
                                              color=theme.FOREGROUND) for k in p.components))
        curve_group = mn.VGroup(curve_title, mn.VGroup(self.curve_axes, self.curve, self.curve_marks)).arrange(
            mn.DOWN, aligned_edge=mn.LEFT, buff=0.15)
        column = mn.VGroup(self.mean_group, self.comp_group, curve_group).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.45)
        if column.height > pa.height:
            column.scale_to_fit_height(pa.height)
        column.move_to([pa.left + column.width / 2, pa.top - column.height / 2, 0])
        column.set_z_index(11)
        self.curve_group = curve_group

    # -- beats -------------------------------------------------------------------
    @beat("Show the data: the cloud of points, or a few of the images.")
    def show_data(self, scene: Any):
        if self.params.mode == "digits":
            yield mn.FadeIn(self.originals, lag_ratio=0.2), mn.FadeIn(self.headers[0])
            return
        yield mn.Create(self.plane, lag_ratio=0.02)
        yield mn.FadeIn(self.dots, lag_ratio=0.02)

    @beat("Mark the mean (the mean image in digits mode).")
    def show_mean(self, scene: Any):
        if self.params.mode == "digits":
            yield mn.FadeIn(self.mean_group)
            return
        yield mn.FadeIn(self.mean_dot, scale=0.5), mn.FadeIn(self.panel_lines["mean"])

    @beat("Draw the covariance ellipse (the cumulative explained variance in digits mode).")
    def show_covariance(self, scene: Any):
        if self.params.mode == "digits":
            yield mn.FadeIn(self.curve_group[0]), mn.Create(self.curve_group[1][0])
            yield mn.Create(self.curve)
            return
        yield mn.Create(self.ellipse), mn.FadeIn(self.panel_lines["cov"])

    @beat("Draw the principal axes, each √eigenvalue long (the first components as images in digits mode).")
    def show_axes(self, scene: Any):
        if self.params.mode == "digits":
            yield mn.FadeIn(self.comp_group, lag_ratio=0.2)
            return
        for a, lab in zip(self.axes_arrows, self.axes_labels):
            yield mn.GrowArrow(a), mn.FadeIn(lab)
        yield mn.FadeIn(self.panel_lines["eig"])

    @beat("Drop every point perpendicularly onto the first axis (mark the chosen k in digits mode).")
    def project(self, scene: Any):
        if self.params.mode == "digits":
            yield mn.FadeIn(self.curve_marks, lag_ratio=0.2)
            return
        yield mn.Create(self.axis_line)
        yield mn.Create(self.drops, lag_ratio=0.01)

    @beat("The 1-D reconstruction and the share of variance it keeps (images rebuilt from k components).")
    def reconstruct(self, scene: Any):
        if self.params.mode == "digits":
            for c, group in enumerate(self.rebuilt, start=1):
                yield mn.FadeIn(group), mn.FadeIn(self.headers[c]), mn.FadeIn(self.percents[c - 1])
            return
        yield (mn.TransformFromCopy(self.dots, self.feet), self.dots.animate.set_opacity(0.35),
               mn.FadeOut(self.drops))
        yield mn.FadeIn(self.panel_lines["ratio"]), mn.FadeIn(self.panel_lines["note"])
