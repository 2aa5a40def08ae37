"""The ``jacobian`` visual: a nonlinear map of the plane warps a grid; near a point it is its
Jacobian, a linear map, closer and closer as the neighbourhood shrinks."""

from __future__ import annotations

__all__ = ["Jacobian"]

from typing import Annotated, Any, ClassVar

import numpy as np
from pydantic import Field, model_validator

from .. import theme
from .._lazy import manim as mn
from ._layout import PANEL_CONTENT_Z, count_to, fitted_plane, fmt, matrix_tex, panel_area, panel_background, plane_area
from ._types import Range, Vector2
from .base import Visual, VisualParams, beat

Name = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,7}$")]

#: Samples along each grid line and each side of the neighbourhood's square.
_LINE_SAMPLES = 48
_SIDE_SAMPLES = 24
#: Side of the inset's box (scene units), where the neighbourhood is seen magnified 1/h times.
_INSET = 2.5


class Jacobian(Visual, kind="jacobian"):
    """A nonlinear map of the plane warping a grid, and its Jacobian: the local linear approximation.

    The map is F(x, y) = (``u``, ``v``), two formulas in the ``variables``
    (parsed safely; for polar coordinates ``u: r*cos(t)``, ``v: r*sin(t)``,
    ``variables: [r, t]``). The grid of ``domain`` is drawn and warped by F. At
    ``point`` a small square is warped with it; the Jacobian J (derived
    symbolically, ``mmlanim.maths.parse_map``) maps the same square to a
    parallelogram at F(point), of area det J times the square's. As the square's
    side h runs through ``sizes`` the warped patch, magnified 1/h times in the
    panel's inset, closes in on the parallelogram, and its area over h²
    (``mmlanim.maths.local_area_ratio``) on det J.
    """

    class Params(VisualParams):
        u: str = Field("x + sin(y)", description="First component of F, a formula in the variables.")
        v: str = Field("y + sin(x)", description="Second component of F, a formula in the variables.")
        variables: list[Name] = Field(["x", "y"], min_length=2, max_length=2,
                                      description="Names of the two variables, e.g. [r, t].")
        domain: list[Range] = Field([[-2, 2], [-2, 2]], min_length=2, max_length=2,
                                    description="The grid warped: [[min, max] of the first variable, "
                                    "[min, max] of the second].")
        point: Vector2 = Field([0.5, 0.8], description="Where the local linear approximation is shown.")
        sizes: list[Annotated[float, Field(gt=0)]] = Field(
            [1.0, 0.5, 0.25, 0.05], min_length=1, max_length=8,
            description="Sides of the neighbourhood's square, shrinking (beat shrink steps through them).")
        lines: int = Field(9, ge=2, le=25, description="Grid lines across each side of the domain.")

        @model_validator(mode="after")
        def _ordered(self) -> Jacobian.Params:
            for axis, (lo, hi) in zip(self.variables, self.domain):
                if not lo < hi:
                    raise ValueError(f"domain: the {axis} range must go from low to high, got [{lo}, {hi}]")
            if self.variables[0] == self.variables[1]:
                raise ValueError("variables: the two names must differ")
            return self

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "map": "the map's components are `u:` and `v:`",
        "at": "the point is `point: [x, y]`",
        "h": "the neighbourhood's sides are `sizes: [1, 0.5, 0.1]`",
    }
    example = {"u": "r*cos(t)", "v": "r*sin(t)", "variables": ["r", "t"], "domain": [[0.5, 3], [0, 3.1416]],
               "point": [2, 1], "sizes": [1, 0.5, 0.25, 0.05]}

    # -- numbers ---------------------------------------------------------------
    def _map(self) -> Any:
        from ..maths.multivariate import parse_map

        return parse_map(self.params.u, self.params.v, self.params.variables)

    def load(self) -> dict[str, Any]:
        from ..maths.multivariate import local_area_ratio

        p = self.params
        F = self._map()
        J = F.jacobian(p.point)
        return {"F": F, "J": J, "det": float(np.linalg.det(J)), "image": F.value(p.point),
                "ratios": [local_area_ratio(F, p.point, h) for h in p.sizes]}

    def check(self):
        p = self.params
        for key in ("u", "v"):
            try:
                from ..maths.expressions import parse_function

                parse_function(getattr(p, key), p.variables)
            except ValueError as exc:
                yield (key,), str(exc), getattr(exc, "column", None)
                return
        (x0, x1), (y0, y1) = p.domain
        if not (x0 <= p.point[0] <= x1 and y0 <= p.point[1] <= y1):
            yield ("point",), f"the point {p.point} is outside the domain {p.domain}"
        if any(b >= a for a, b in zip(p.sizes, p.sizes[1:])):
            yield ("sizes",), "the sizes must shrink: each smaller than the one before"
        F = self.data["F"]
        X, Y = np.meshgrid(np.linspace(x0, x1, 15), np.linspace(y0, y1, 15))
        if not np.all(np.isfinite(F.value(np.stack([X, Y], axis=-1)))):
            yield ("domain",), "F is not a finite number everywhere on the domain's grid"
        elif not (np.all(np.isfinite(self.data["J"])) and np.all(np.isfinite(self.data["ratios"]))):
            yield ("point",), f"F's Jacobian is not finite at {p.point}"

    # -- geometry ----------------------------------------------------------------
    def _square(self, h: float) -> np.ndarray:
        """The boundary of the square of side h centred on the point, shape (4·samples, 2)."""
        t = np.linspace(-0.5, 0.5, _SIDE_SAMPLES, endpoint=False)
        one = np.full_like(t, 0.5)
        unit = np.concatenate([np.column_stack([t, -one]), np.column_stack([one, t]),
                               np.column_stack([-t, one]), np.column_stack([-one, -t])])
        return np.asarray(self.params.point, dtype=float) + h * unit

    def _outline(self, coords: np.ndarray, to_scene: Any, colour: str, **style: Any) -> Any:
        pts = [to_scene(c) for c in coords]
        return mn.VMobject(stroke_color=colour, **style).set_points_as_corners([*pts, pts[0]])

    # -- building --------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        p = self.params
        F, J = self.data["F"], self.data["J"]
        self.F = F
        (x0, x1), (y0, y1) = p.domain
        gx, gy = np.linspace(x0, x1, p.lines), np.linspace(y0, y1, p.lines)
        s = np.linspace(0, 1, _LINE_SAMPLES)
        lines = [np.column_stack([np.full_like(s, x), y0 + (y1 - y0) * s]) for x in gx] + \
                [np.column_stack([x0 + (x1 - x0) * s, np.full_like(s, y)]) for y in gy]
        images = [F.value(line) for line in lines]
        everything = np.concatenate([*lines, *images])
        self.plane = fitted_plane(everything, area=plane_area(), include_origin=True, pad=0)
        self.ticks = self.ctx.axis_numbers(self.plane)
        to_scene = lambda c: self.plane.c2p(float(c[0]), float(c[1]))  # noqa: E731
        self.shown: dict[str, Any] = {"J": J, "det": self.data["det"], "ratios": self.data["ratios"],
                                      "sizes": list(p.sizes)}

        self.grid = mn.VGroup(*(mn.VMobject(stroke_color=theme.PALETTE[0] if k < p.lines else theme.PALETTE[1],
                                            stroke_width=2.5).set_points_as_corners([to_scene(c) for c in line])
                                for k, line in enumerate(lines)))
        self.warped_grid = mn.VGroup(*(mn.VMobject(stroke_color=theme.PALETTE[0] if k < p.lines else theme.PALETTE[1],
                                                   stroke_width=2.5).set_points_as_corners(
                                           [to_scene(c) for c in image]) for k, image in enumerate(images)))
        self.dot = mn.Dot(to_scene(p.point), radius=theme.DOT_RADIUS * 1.4, color=theme.ACCENT).set_z_index(5)
        self.image_dot = mn.Dot(to_scene(self.data["image"]), radius=theme.DOT_RADIUS * 1.4,
                                color=theme.ACCENT).set_z_index(5)

        # The neighbourhood: the square, its image under F, and the parallelogram of J.
        style = {"stroke_width": 4, "fill_opacity": 0.25}
        self.squares = [self._outline(self._square(h), to_scene, theme.ACCENT, fill_color=theme.ACCENT, **style)
                        for h in p.sizes]
        self.patches = [self._outline(F.value(self._square(h)), to_scene, theme.ACCENT, fill_color=theme.ACCENT,
                                      **style) for h in p.sizes]
        image = np.asarray(self.data["image"])
        unit = (self._square(1.0) - np.asarray(p.point))  # the unit square's boundary, centred on 0
        self.parallelograms = [self._outline(image + h * unit @ J.T, to_scene, theme.FOREGROUND, stroke_width=3)
                               for h in p.sizes]
        for mob in (*self.squares, *self.patches, *self.parallelograms):
            mob.set_z_index(4)

        # The panel: F, J symbolically, J and det J at the point; below, the inset and its readouts.
        self.panel = panel_background()
        a, b = p.variables
        (j11, j12), (j21, j22) = F.jacobian_latex
        area = panel_area()
        self.lines = {
            "F": self.ctx.label(rf"F({a}, {b}) = \begin{{bmatrix}} {F.u.latex} \\ {F.v.latex} \end{{bmatrix}}"),
            "J": self.ctx.label(rf"J = \begin{{bmatrix}} {j11} & {j12} \\ {j21} & {j22} \end{{bmatrix}}",
                                color=theme.color_at(0)),
            "Jp": self.ctx.label(rf"J({fmt(p.point[0])}, {fmt(p.point[1])}) = {matrix_tex(J)}",
                                 color=theme.FOREGROUND),
            "det": self.ctx.label(rf"\det J = {fmt(self.data['det'], 3)}", color=theme.ACCENT),
        }
        column = mn.VGroup(*self.lines.values()).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.3)
        room = area.height - _INSET - 1.7
        if column.width > area.width or column.height > room:
            column.scale(min(area.width / column.width, room / column.height))
        column.move_to([area.left + column.width / 2, area.top - column.height / 2, 0]).set_z_index(PANEL_CONTENT_Z)
        self._build_inset(area, unit, J, F, image)
        self.readout.next_to(column, mn.DOWN, buff=0.4, aligned_edge=mn.LEFT)

    def _build_inset(self, area: Any, unit: np.ndarray, J: np.ndarray, F: Any, image: np.ndarray) -> None:
        """The neighbourhood magnified 1/h times: F's patch against J's parallelogram, both centred."""
        p = self.params
        centre = np.array([area.center[0], area.bottom + _INSET / 2, 0.0])
        self.inset_box = mn.Square(_INSET, stroke_color=theme.MUTED, stroke_width=2).move_to(centre)
        scaled = [(F.value(self._square(h)) - image) / h for h in p.sizes]
        extent = max(float(np.abs(s).max()) for s in [*scaled, unit @ J.T])
        k = 0.42 * _INSET / extent
        to_inset = lambda c: centre + k * np.array([c[0], c[1], 0.0])  # noqa: E731
        self.inset_parallelogram = self._outline(unit @ J.T, to_inset, theme.FOREGROUND, stroke_width=3)
        self.inset_patches = [self._outline(s, to_inset, theme.ACCENT, stroke_width=4, fill_color=theme.ACCENT,
                                            fill_opacity=0.25) for s in scaled]
        self.shown["inset_scale"] = k
        self.shown["inset_centre"] = centre
        self.h_number = self.ctx.number(p.sizes[0], 2, color=theme.ACCENT)
        self.ratio_number = self.ctx.number(self.data["ratios"][0], 3, color=theme.ACCENT)
        self.readout = mn.VGroup(
            mn.VGroup(self.ctx.label("h =", color=theme.ACCENT), self.h_number).arrange(mn.RIGHT, buff=0.12),
            mn.VGroup(self.ctx.label(r"\frac{\text{area of } F(\square)}{h^2} =", color=theme.ACCENT),
                      self.ratio_number).arrange(mn.RIGHT, buff=0.12),
        ).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.15)
        if self.readout.width > area.width:
            self.readout.scale_to_fit_width(area.width)
        for mob in (self.inset_box, self.inset_parallelogram, *self.inset_patches, self.readout):
            mob.set_z_index(PANEL_CONTENT_Z)

    # -- beats -------------------------------------------------------------------
    @beat("Draw the plane, the grid of the domain and the point, and write F.")
    def show_grid(self, scene: Any):
        scene.add(self.panel)
        yield (mn.Create(self.plane, lag_ratio=0.02), mn.FadeIn(self.ticks), mn.Create(self.grid, lag_ratio=0.02),
               mn.FadeIn(self.dot), mn.FadeIn(self.lines["F"]))

    @beat("Mark a small square around the point.")
    def show_neighbourhood(self, scene: Any):
        yield mn.DrawBorderThenFill(self.squares[0], run_time=1)

    @beat("Warp the grid (and the square) by F: straight lines bend.")
    def warp(self, scene: Any):
        yield (mn.Transform(self.grid, self.warped_grid), mn.Transform(self.squares[0], self.patches[0]),
               mn.Transform(self.dot, self.image_dot))

    @beat("Show the Jacobian, its value and det J at the point, and its parallelogram beside F's patch.")
    def show_jacobian(self, scene: Any):
        yield mn.FadeIn(self.lines["J"]), mn.FadeIn(self.lines["Jp"])
        yield (mn.Create(self.parallelograms[0]), mn.FadeIn(self.lines["det"]), mn.Create(self.inset_box),
               mn.Create(self.inset_parallelogram), mn.FadeIn(self.inset_patches[0]), mn.FadeIn(self.readout))

    @beat("Shrink the square: magnified, F's patch closes in on J's parallelogram, its area ratio on det J.")
    def shrink(self, scene: Any):
        for k in range(1, len(self.params.sizes)):
            h, ratio = self.params.sizes[k], self.data["ratios"][k]
            new_h = self.ctx.number(h, 2, color=theme.ACCENT).move_to(self.h_number, aligned_edge=mn.LEFT)
            new_ratio = self.ctx.number(ratio, 3, color=theme.ACCENT).move_to(self.ratio_number, aligned_edge=mn.LEFT)
            for mob in (new_h, new_ratio):
                mob.set_z_index(PANEL_CONTENT_Z)
            yield (mn.Transform(self.squares[0], self.patches[k]),
                   mn.Transform(self.parallelograms[0], self.parallelograms[k]),
                   mn.Transform(self.inset_patches[0], self.inset_patches[k]),
                   count_to(self.h_number, new_h), count_to(self.ratio_number, new_ratio))
