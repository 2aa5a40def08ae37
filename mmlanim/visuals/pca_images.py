"""The ``pca_images`` visual: images (the digits) rebuilt from a few principal components."""

from __future__ import annotations

__all__ = ["PCAImages"]

import math
from typing import Any

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._data import DatasetData, DataSource, load_data, source_files, source_problems
from ._layout import panel_area, panel_background, plane_area
from .base import Visual, VisualParams, beat


class PCAImages(Visual, kind="pca_images"):
    """Principal component analysis of images: the mean image, the components as images, and images
    rebuilt from k components.

    The data's rows are square images (by default scikit-learn's 8×8
    digits). Shown: a few images, the mean image, the first components as
    images (a diverging colour map: negative weights blue, positive orange,
    zero the ground), the cumulative explained variance, and each image
    rebuilt from k = ``components`` principal components with the share of
    the variance kept (all from ``mmlanim.maths.pca``, variances with
    N − 1).
    """

    class Params(VisualParams):
        data: DataSource | None = Field(None, description=(
            "The images, one per row, as a square number of values (see linear_regression's data; "
            "default: {dataset: digits})."))
        components: list[int] = Field([1, 2, 5, 10, 30], min_length=1, max_length=8,
                                      description="The numbers of components k to rebuild the images with.")
        samples: list[int] = Field([0, 3, 7], min_length=1, max_length=4,
                                   description="Which rows (images) to show.")
        mean_name: str = Field(r"\boldsymbol{\mu}", description="LaTeX name of the mean image.")
        component_name: str = Field(r"\mathbf{u}", description="LaTeX name of the components, "
                                    "numbered _1, _2... (e.g. '\\mathbf{w}').")

    params: Params
    example = {"components": [1, 5, 20], "samples": [0, 5]}

    # -- numbers ---------------------------------------------------------------
    def _source(self) -> Any:
        return self.params.data if self.params.data is not None else DatasetData(dataset="digits")

    def load(self) -> np.ndarray:
        return load_data(self._source(), self.context.base_dir).values

    def input_files(self):
        return source_files(self._source(), self.context.base_dir)

    def check(self):
        p = self.params
        at = ("data",) if p.data is not None else ()
        problems = source_problems(self._source(), self.context.base_dir, columns=None, at=at)
        yield from problems
        if problems:
            return
        X = self.data
        side = math.isqrt(X.shape[1])
        if side * side != X.shape[1]:
            yield at, (f"the rows are shown as square images, but they have {X.shape[1]} "
                       "values (not a square number)")
            return
        limit = min(X.shape)
        for i, k in enumerate(p.components):
            if not 1 <= k <= limit:
                yield ("components", i), f"k = {k} is out of range: 1 ≤ k ≤ {limit}"
        for i, s in enumerate(p.samples):
            if not 0 <= s < X.shape[0]:
                yield ("samples", i), f"row {s} does not exist: the data has {X.shape[0]} rows"

    # -- building --------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        self.shown: dict[str, Any] = {}
        self.panel = panel_background()
        self._setup_digits()
        scene.add(self.panel)

    def _image(self, values: np.ndarray, side: int, size: float, lo: float | None = None,
               hi: float | None = None, *, diverging: bool = False) -> Any:
        """A square image of ``values`` (side × side), coloured along the theme's ramp
        (or, with ``diverging``, blue below zero and orange above, symmetric about it)."""
        v = np.asarray(values, dtype=float).reshape(side, side)
        lo = float(v.min()) if lo is None else lo
        hi = float(v.max()) if hi is None else hi
        t = np.clip((v - lo) / ((hi - lo) or 1.0), 0, 1)
        ground = np.array([int(theme.BACKGROUND[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
        # A grid of squares, not an ImageMobject: manim 0.22's Cairo camera cannot draw
        # images with Pillow ≥ 11 (Image.fromarray(..., mode="RGBA") on a float array).
        cell = size / side
        # Each cell a copy of one square (a quarter of the time of building a Square: a lecture draws thousands).
        template = mn.Square(side_length=cell, stroke_width=0, fill_opacity=1.0)
        group = mn.VGroup()
        for r in range(side):
            for c in range(side):
                if diverging:  # signed: the colour says the sign, its strength the size
                    w = 2 * t[r, c] - 1
                    ink = np.array([int(theme.diverging_color(w)[i:i + 2], 16) for i in (1, 3, 5)])
                    mix = ground + (ink - ground) * min(1.0, abs(w) * 1.6)
                else:  # low values fade into the ground, so faint ink looks faint
                    ink = np.array([int(theme.sequential_color(t[r, c])[i:i + 2], 16) for i in (1, 3, 5)])
                    mix = ground + (ink - ground) * min(1.0, t[r, c] * 2.5)
                colour = "#{:02X}{:02X}{:02X}".format(*(int(round(x)) for x in mix))
                sq = template.copy().set_fill(colour, opacity=1.0)
                sq.move_to([(c - (side - 1) / 2) * cell, ((side - 1) / 2 - r) * cell, 0])
                group.add(sq)
        frame = mn.Square(side_length=size, stroke_color="#2E3A46", stroke_width=1.5)
        return mn.VGroup(group, frame)

    def _setup_digits(self) -> None:
        from ..maths.pca import pca

        p = self.params
        X = self.data
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
        self.headers = mn.VGroup(self.ctx.label(r"\text{image}", color=theme.MUTED, size=theme.SMALL_SIZE).next_to(
            at(0, 0), mn.UP, buff=size / 2 + 0.15))
        self.percents = mn.VGroup()
        for c, k in enumerate(p.components, start=1):
            header = self.ctx.label(rf"k = {k}", size=theme.SMALL_SIZE)
            self.headers.add(header.next_to(at(0, c), mn.UP, buff=size / 2 + 0.15))
            pct = self.ctx.number(100 * self.shown["ratio"][k], 0, color=theme.ACCENT, size=theme.SMALL_SIZE)
            pct_sign = self.ctx.label(r"\%", color=theme.ACCENT, size=theme.SMALL_SIZE)
            pair = mn.VGroup(pct, pct_sign).arrange(mn.RIGHT, buff=0.04)
            pair.next_to(at(len(rows) - 1, c), mn.DOWN, buff=size / 2 + 0.15)
            self.percents.add(pair)

        # The panel: the mean image, the first components, the cumulative variance.
        pa = panel_area()
        small = 0.85
        self.mean_image = self._image(full.mean, side, small, lo, hi)
        self.component_images = mn.VGroup(*(self._image(full.components[i], side, small,
                                                        -np.abs(full.components[i]).max(),
                                                        np.abs(full.components[i]).max(), diverging=True)
                                           for i in range(min(4, full.n_components)))).arrange(mn.RIGHT, buff=0.12)
        mean_title = self.ctx.label(self.params.mean_name, color=theme.ACCENT)
        comp_title = self.ctx.label(r",\ ".join(f"{self.params.component_name}_{i}" for i in range(1, 5)),
                                    size=theme.SMALL_SIZE + 2)
        curve_title = self.ctx.text("variance kept", color=theme.MUTED, size=theme.SMALL_SIZE)
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
        # The axes' names: the number of components k along, the share kept (0 to 1) up.
        self.curve_names = mn.VGroup(
            self.ctx.label("k", color=theme.MUTED, size=theme.SMALL_SIZE).next_to(
                self.curve_axes.x_axis.get_end(), mn.DOWN, buff=0.08, aligned_edge=mn.RIGHT),
            self.ctx.number(1, 0, color=theme.MUTED, size=theme.SMALL_SIZE).next_to(
                self.curve_axes.c2p(0, 1), mn.LEFT, buff=0.08),
            self.ctx.number(0, 0, color=theme.MUTED, size=theme.SMALL_SIZE).next_to(
                self.curve_axes.c2p(0, 0), mn.LEFT, buff=0.08),
        )
        curve_group = mn.VGroup(curve_title, mn.VGroup(self.curve_axes, self.curve, self.curve_marks,
                                                       self.curve_names)).arrange(
            mn.DOWN, aligned_edge=mn.LEFT, buff=0.15)
        column = mn.VGroup(self.mean_group, self.comp_group, curve_group)
        column.arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.45)
        if column.height > pa.height:
            column.scale_to_fit_height(pa.height)
        column.move_to([pa.left + column.width / 2, pa.top - column.height / 2, 0])
        column.set_z_index(11)
        self.curve_group = curve_group

    # -- beats -------------------------------------------------------------------
    @beat("Show a few of the images.")
    def show_images(self, scene: Any):
        yield mn.FadeIn(self.originals, lag_ratio=0.2), mn.FadeIn(self.headers[0])

    @beat("Show the mean image.")
    def show_mean(self, scene: Any):
        yield mn.FadeIn(self.mean_group)

    @beat("Show the first principal components as images (diverging colours: the sign of each weight).")
    def show_components(self, scene: Any):
        yield mn.FadeIn(self.comp_group, lag_ratio=0.2)

    @beat("Draw the cumulative explained variance against the number of components.")
    def show_variance(self, scene: Any):
        yield mn.FadeIn(self.curve_group[0]), mn.Create(self.curve_group[1][0]), mn.FadeIn(self.curve_names)
        yield mn.Create(self.curve)

    @beat("Mark the chosen numbers of components k on the curve.")
    def mark_k(self, scene: Any):
        yield mn.FadeIn(self.curve_marks, lag_ratio=0.2)

    @beat("Rebuild the images from k components, with the share of the variance kept.")
    def reconstruct(self, scene: Any):
        for c, group in enumerate(self.rebuilt, start=1):
            yield mn.FadeIn(group), mn.FadeIn(self.headers[c]), mn.FadeIn(self.percents[c - 1])
