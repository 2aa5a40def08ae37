"""The ``inner_product`` visual: lengths, angles and distances under the dot product and under a
general inner product ``⟨x, y⟩ = xᵀAy``."""

from __future__ import annotations

__all__ = ["InnerProduct"]

import math
from typing import Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._layout import (
    arrow,
    fitted_plane,
    fmt,
    label_beside,
    matrix_tex,
    panel_background,
    panel_column,
    plane_area,
    right_angle,
    vector_tex,
)
from ._types import Vector2
from .base import Visual, VisualParams, beat


def _unit_shape(A: np.ndarray, n: int = 160) -> np.ndarray:
    """Points of ``{v : vᵀ A v = 1}``: an ellipse with radii 1/√λ along A's eigenvectors."""
    from ..maths.linalg import eigen

    eig = eigen(A)
    values, vectors = np.real(eig.values), np.real(eig.vectors)
    t = np.linspace(0, 2 * np.pi, n)
    return np.asarray((np.cos(t)[:, None] / math.sqrt(values[0])) * vectors[:, 0]
                      + (np.sin(t)[:, None] / math.sqrt(values[1])) * vectors[:, 1])


class InnerProduct(Visual, kind="inner_product"):
    """Inner products: two vectors' lengths, angle and distance under the dot product, then under
    ⟨x, y⟩ = xᵀAy, with each one's "unit circle".

    The dot product's unit circle is a circle; the unit "circle" of
    ⟨x, y⟩ = xᵀAy, the vectors of length 1 under it, is an ellipse (radii
    1/√λ along A's eigenvectors). The angle arc is marked θ with cos θ in the
    panel; under A, the lengths ‖x‖_A = √(xᵀAx), the angle θ_A and the
    distance ‖x − y‖_A change, and a vector at a right angle to x under A
    (beat ``show_orthogonal``) does not look perpendicular. A must be
    symmetric positive definite (a located error otherwise). All numbers from
    ``mmlanim.maths.inner_product_geometry``.
    """

    class Params(VisualParams):
        vectors: list[Vector2] = Field(min_length=2, max_length=2, description="The two vectors x and y, as [x1, x2].")
        A: list[Vector2] | None = Field(None, min_length=2, max_length=2, description=(
            "The symmetric positive definite matrix of ⟨x, y⟩ = xᵀAy, shown in the beat 'show_inner' "
            "(default: none, the dot product only)."))
        names: list[str] = Field([r"\mathbf{x}", r"\mathbf{y}"], min_length=2, max_length=2,
                                 description="LaTeX names of the two vectors.")
        orthogonal: bool = Field(False, description=(
            "Draw a vector z orthogonal to x under the inner product (beat 'show_orthogonal')."))
        orthogonal_name: str = Field(r"\mathbf{z}", description=(
            "LaTeX name of the vector orthogonal to x (beat 'show_orthogonal')."))

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "matrix": "the inner product's matrix is `A:`, e.g. A: [[2, 0], [0, 1]]",
    }

    example = {"vectors": [[2, 1], [0.5, 2]], "A": [[2, 0.5], [0.5, 1]], "orthogonal": True}

    # -- numbers -----------------------------------------------------------------
    def _A(self) -> np.ndarray | None:
        return None if self.params.A is None else np.asarray(self.params.A, dtype=float)

    def check(self):
        from ..maths.statistics import check_positive_definite

        p = self.params
        for i, v in enumerate(p.vectors):
            if not any(v):
                yield ("vectors", i), "a zero vector has no direction: the angle to it is undefined"
        if p.A is not None:
            try:
                check_positive_definite(p.A, "A")
            except ValueError as exc:
                yield ("A",), str(exc)

    def beats_off(self) -> dict[str, str]:
        off = {b: "A" for b in ("show_inner", "inner_lengths", "inner_angle")} if self.params.A is None else {}
        if not self.params.orthogonal:
            off["show_orthogonal"] = "orthogonal"
        return off

    # -- building ------------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        from ..maths.statistics import inner_product_geometry, orthogonal_under

        p = self.params
        x, y = (np.asarray(v, dtype=float) for v in p.vectors)
        A = self._A()
        dot = inner_product_geometry(x, y)
        under = inner_product_geometry(x, y, A) if A is not None else None
        z = orthogonal_under(x, A)
        zdot = inner_product_geometry(x, z)
        self.shown: dict[str, Any] = {"dot": dot, "inner": under, "orthogonal": z,
                                      "orthogonal_angle": zdot.angle}
        shapes = [x[None], y[None], np.array([[1.0, 1.0], [-1.0, -1.0]])]
        if p.orthogonal:
            shapes.append(z[None])
        if A is not None:
            shapes.append(_unit_shape(A))
        self.plane = fitted_plane(np.vstack(shapes), area=plane_area())
        c2p = self.plane.c2p
        self.origin = np.asarray(c2p(0, 0))
        self.ticks = self.ctx.axis_numbers(self.plane)
        nx, ny = p.names
        colors = (theme.color_at(0), theme.color_at(1))
        self.arrows = [arrow(self.origin, c2p(*v), c) for v, c in zip((x, y), colors)]
        self.labels = []
        for v, w, a, c, name in zip((x, y), (y, x), self.arrows, colors, (nx, ny)):
            lab = self.ctx.label(f"{name} = {vector_tex(v)}", color=c, size=theme.SMALL_SIZE + 2)
            self.labels.append(label_beside(lab, self.origin, a.get_end(), avoid=[c2p(*w) - self.origin], at=0.7))
        # The dot product's unit circle and the angle between x and y.
        unit = self.plane.x_length / (self.plane.x_range[1] - self.plane.x_range[0])
        self.circle = mn.DashedVMobject(mn.Circle(radius=unit, stroke_color=theme.MUTED, stroke_width=2.5),
                                        num_dashes=48).move_to(self.origin)
        first, second = (x, y) if x[0] * y[1] - x[1] * y[0] >= 0 else (y, x)
        a0, a1 = math.atan2(first[1], first[0]), math.atan2(second[1], second[0])
        sweep = (a1 - a0) % (2 * math.pi)
        radius = min(0.7, 0.45 * float(min(np.linalg.norm(c2p(*v) - self.origin) for v in (x, y))))
        self.arc = mn.Arc(radius=radius, start_angle=a0, angle=sweep, arc_center=self.origin,
                          stroke_color=theme.ACCENT, stroke_width=4)
        mid = a0 + sweep / 2
        self.arc_label = self.ctx.label(r"\theta", color=theme.ACCENT, size=theme.SMALL_SIZE + 2)
        self.arc_label.move_to(self.origin + (radius + 0.28) * np.array([math.cos(mid), math.sin(mid), 0]))
        self.angle_group = mn.VGroup(self.arc, self.arc_label).set_z_index(5)
        # Under A: the unit "circle" (an ellipse) and where each vector has length 1.
        self.ellipse = mn.VGroup()
        self.unit_marks = mn.VGroup()
        if A is not None and under is not None:
            self.ellipse = mn.VMobject(stroke_color=theme.color_at(2), stroke_width=3.5).set_points_smoothly(
                [c2p(*q) for q in _unit_shape(A)]).set_z_index(3)
            for v, length in zip((x, y), (under.length_x, under.length_y)):
                self.unit_marks.add(mn.Dot(c2p(*(v / length)), radius=theme.DOT_RADIUS * 1.4,
                                           color=theme.color_at(2)).set_z_index(6))
        # The distance: the vector from y's tip to x's tip.
        self.gap = mn.DashedLine(c2p(*y), c2p(*x), stroke_color=theme.FOREGROUND, stroke_width=3,
                                 dash_length=0.1).set_z_index(4)
        self.gap_label = self.ctx.label(rf"{nx} - {ny}", color=theme.FOREGROUND, size=theme.SMALL_SIZE)
        label_beside(self.gap_label, c2p(*y), c2p(*x), avoid=[self.origin - np.asarray(c2p(*y))], at=0.5)
        # A vector orthogonal to x under A (or under the dot product).
        self.z_arrow = arrow(self.origin, c2p(*z), theme.color_at(3))
        self.z_label = self.ctx.label(p.orthogonal_name, color=theme.color_at(3), size=theme.SMALL_SIZE + 2)
        label_beside(self.z_label, self.origin, self.z_arrow.get_end(), avoid=[c2p(*x) - self.origin], at=0.75)
        self.z_mark = right_angle(self.origin, c2p(*x) - self.origin, c2p(*z) - self.origin, size=0.25,
                                  color=theme.color_at(3)) if A is None else mn.VGroup()
        self._setup_panel(x, y, A, dot, under, z)
        self.panel = panel_background()
        scene.add(self.panel)

    def _setup_panel(self, x: np.ndarray, y: np.ndarray, A: np.ndarray | None, dot: Any, under: Any,
                     z: np.ndarray) -> None:
        nx, ny = self.params.names
        nz = self.params.orthogonal_name
        lines: dict[str, Any] = {
            "dot": self.ctx.label(rf"{nx}^\top {ny} = {fmt(dot.inner)}"),
            "lengths": self.ctx.label(rf"\|{nx}\| = {fmt(dot.length_x)},\ \ \|{ny}\| = {fmt(dot.length_y)}"),
            "cos": self.ctx.label(rf"\cos\theta = \frac{{{nx}^\top {ny}}}{{\|{nx}\|\,\|{ny}\|}} = "
                                  rf"{fmt(math.cos(dot.angle), 3)},\ \ "
                                  rf"\theta = {fmt(math.degrees(dot.angle), 1)}^\circ", color=theme.ACCENT),
        }
        if A is not None and under is not None:
            lines["A"] = self.ctx.label(rf"\langle {nx}, {ny}\rangle = {nx}^\top A\, {ny},\ \ A = {matrix_tex(A)}",
                                        color=theme.color_at(2))
            lines["inner"] = self.ctx.label(rf"\langle {nx}, {ny}\rangle = {fmt(under.inner)}")
            lines["inner_lengths"] = self.ctx.label(
                rf"\|{nx}\|_A = {fmt(under.length_x)},\ \ \|{ny}\|_A = {fmt(under.length_y)}")
            lines["inner_cos"] = self.ctx.label(
                rf"\cos\theta_A = {fmt(math.cos(under.angle), 3)},\ \ "
                rf"\theta_A = {fmt(math.degrees(under.angle), 1)}^\circ",
                color=theme.ACCENT)
        dist = rf"\|{nx} - {ny}\| = {fmt(dot.distance)}"
        if under is not None:
            dist += rf",\ \ \|{nx} - {ny}\|_A = {fmt(under.distance)}"
        lines["distance"] = self.ctx.label(dist)
        if A is not None:
            zx = float(x @ z)
            lines["orthogonal"] = self.ctx.label(
                rf"\langle {nx}, {nz}\rangle = 0,\ \ {nx}^\top {nz} = {fmt(zx)}", color=theme.color_at(3))
        else:
            lines["orthogonal"] = self.ctx.label(rf"{nx}^\top {nz} = 0", color=theme.color_at(3))
        self.shown["orthogonal_dot"] = float(x @ z)
        self.panel_lines = lines
        panel_column(list(lines.values()), buff=0.32)

    # -- beats -------------------------------------------------------------------
    @beat("Show the plane.")
    def show_plane(self, scene: Any):
        yield mn.Create(self.plane, lag_ratio=0.05), mn.FadeIn(self.ticks)

    @beat("Draw the two vectors, with their coordinates.")
    def show_vectors(self, scene: Any):
        yield (mn.LaggedStart(*(mn.GrowArrow(a) for a in self.arrows), lag_ratio=0.5),
               mn.LaggedStart(*(mn.FadeIn(lab) for lab in self.labels), lag_ratio=0.5))

    @beat("The dot product xᵀy, with the unit circle: the vectors of length 1.")
    def show_dot(self, scene: Any):
        yield mn.Create(self.circle), mn.FadeIn(self.panel_lines["dot"])

    @beat("The lengths ‖x‖ = √(xᵀx) and ‖y‖.")
    def show_lengths(self, scene: Any):
        yield mn.FadeIn(self.panel_lines["lengths"]), mn.Indicate(mn.VGroup(*self.arrows), color=theme.ACCENT)

    @beat("The angle θ between the vectors, with cos θ = xᵀy / (‖x‖ ‖y‖).")
    def show_angle(self, scene: Any):
        yield mn.Create(self.arc), mn.FadeIn(self.arc_label), mn.FadeIn(self.panel_lines["cos"])

    @beat("Under ⟨x, y⟩ = xᵀAy: its unit 'circle' (an ellipse) and ⟨x, y⟩.")
    def show_inner(self, scene: Any):
        if self.params.A is None:
            return
        yield mn.Create(self.ellipse), mn.FadeIn(self.panel_lines["A"]), mn.FadeIn(self.panel_lines["inner"])

    @beat("The lengths under A, each vector marked where it reaches length 1.")
    def inner_lengths(self, scene: Any):
        if self.params.A is None:
            return
        yield mn.FadeIn(self.unit_marks, scale=0.5), mn.FadeIn(self.panel_lines["inner_lengths"])

    @beat("The angle under A: cos θ_A and θ_A.")
    def inner_angle(self, scene: Any):
        if self.params.A is None:
            return
        yield mn.Indicate(self.angle_group, color=theme.ACCENT), mn.FadeIn(self.panel_lines["inner_cos"])

    @beat("The vector x − y between the two, then its length: their distance.")
    def show_distance(self, scene: Any):
        yield mn.Create(self.gap), mn.FadeIn(self.gap_label)
        yield (mn.FadeIn(self.panel_lines["distance"]),)

    @beat("A vector orthogonal to x: at a right angle under A (not perpendicular on the page unless A = I).")
    def show_orthogonal(self, scene: Any):
        if not self.params.orthogonal:
            return
        yield (mn.GrowArrow(self.z_arrow), mn.FadeIn(self.z_label), mn.Create(self.z_mark),
               mn.FadeIn(self.panel_lines["orthogonal"]))
