"""The ``basis_change`` visual: the standard grid morphing into a new basis, and a
vector's coordinates in both bases."""

from __future__ import annotations

__all__ = ["BasisChange"]

from typing import Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ..maths.linalg import change_of_basis_matrix, coordinates_in_basis, inverse
from ._layout import (
    arrow,
    axis_names,
    combination_tex,
    covering_plane,
    fitted_plane,
    label_beside,
    matrix_tex,
    panel_background,
    panel_column,
    plane_area,
    unit_direction,
    vector_tex,
    visible_coords_box,
)
from ._types import Vector2
from .base import Visual, VisualParams, beat, too_large_to_draw

#: Colour of the grid that follows the new basis.
_NEW_GRID = "#2F6FA8"


class BasisChange(Visual, kind="basis_change"):
    """A change of basis: the standard grid morphs into the grid of a new basis, and a vector gets new coordinates.

    The vector stays where it is; only the grid it is measured against
    changes. Its coordinates in the new basis come from
    ``mmlanim.maths.coordinates_in_basis`` and are shown next to the standard
    ones, as the combination ``c1 b1 + c2 b2`` drawn tip to tail along the
    new grid. With ``show_matrix: true`` the change-of-basis matrix B (basis
    vectors as columns) and its inverse are shown too.
    """

    emphasis_targets = {
        "basis1": "the first new basis vector's arrow",
        "basis2": "the second new basis vector's arrow",
        "vector": "the vector's arrow",
        "combination": "the vector as a combination of the new basis, in the panel",
        "coordinates": "the vector's coordinates in the new basis, in the panel",
        "matrix": "the matrix B, in the panel",
        "inverse": "B's inverse, in the panel",
        "worked": "B⁻¹v worked out, in the panel",
    }

    class Params(VisualParams):
        basis: list[Vector2] = Field(min_length=2, max_length=2,
                                     description="The new basis vectors b1, b2 as [x, y] rows, "
                                     "in standard coordinates.")
        vector: Vector2 | None = Field(None, description="A vector (standard coordinates) whose "
                                       "coordinates in the new basis are shown (default: none).")
        names: list[str] = Field([r"\mathbf{b}_1", r"\mathbf{b}_2"], min_length=2, max_length=2,
                                 description="LaTeX names of the new basis vectors.")
        vector_name: str = Field(r"\mathbf{v}", description="LaTeX name of the vector.")
        standard_names: list[str] = Field([r"\mathbf{e}_1", r"\mathbf{e}_2"], min_length=2, max_length=2,
                                          description="LaTeX names of the standard basis vectors.")
        axis_labels: list[str] | None = Field(None, min_length=2, max_length=2, description=(
            "Names of the horizontal and vertical axes, in plain text, e.g. ['hours', 'score'] (default: none)."))
        show_matrix: bool = Field(False, description="Show the change-of-basis matrix B and its "
                                  "inverse (beat show_matrix).")

    params: Params
    #: Advice for keys authors reach for that this kind does not take.
    key_hints: ClassVar[dict[str, str]] = {
        "matrix": "give the basis vectors as rows with `basis:` (they are the columns of the "
                  "change-of-basis matrix B), e.g. basis: [[2, 1], [-1, 1]]",
        "vectors": "the new basis is `basis:` and the vector to express in it is `vector:`",
        "labels": "name the basis vectors with `names:` and the vector with `vector_name:`",
    }

    example = {"basis": [[2, 1], [-1, 1]], "vector": [3, 3], "show_matrix": True}

    def check(self):
        p = self.params
        try:
            shown_inverse = inverse(change_of_basis_matrix(p.basis))
        except ValueError as exc:
            yield ("basis",), str(exc)
            return
        problem = too_large_to_draw(shown_inverse, " (an entry of B⁻¹, shown on screen)")
        if problem:
            yield ("basis",), f"{problem}; use longer basis vectors"
            return
        if p.vector is not None:
            try:
                coords = coordinates_in_basis(p.vector, p.basis)
            except ValueError as exc:
                yield ("vector",), str(exc)
                return
            problem = too_large_to_draw(coords, " (a coordinate of the vector in this basis)")
            if problem:
                yield ("vector",), problem

    # -- building --------------------------------------------------------------
    def background_mobjects(self) -> list[Any]:
        return [self.grid, self.axis_names, self.ticks]

    def target(self, name: str) -> Any:
        if name in ("basis1", "basis2"):
            return self.b_arrows[int(name[-1]) - 1]
        if name == "vector":
            return getattr(self, "v_arrow", None)
        lines = {"combination": "combo", "coordinates": "v_new", "matrix": "matrix", "inverse": "inverse",
                 "worked": "worked"}
        return self.panel_lines.get(lines.get(name, ""))

    def setup(self, scene: Any) -> None:
        p = self.params
        basis = np.asarray(p.basis, dtype=float)
        self.matrix = change_of_basis_matrix(p.basis)
        self.shown: dict[str, Any] = {"basis": basis, "matrix": self.matrix}
        must_show = [np.eye(2), basis, np.zeros((1, 2))]
        if p.vector is not None:
            v = np.asarray(p.vector, dtype=float)
            coords = coordinates_in_basis(v, p.basis)
            self.shown["vector"] = v
            self.shown["coordinates"] = coords
            must_show += [v[None, :], (coords[0] * basis[0])[None, :]]
        self.plane = fitted_plane(np.vstack(must_show), area=plane_area())
        self.origin = self.plane.c2p(0, 0)
        # The grids reach the frame's edges (the panel covers their right end).
        self.grid = covering_plane(self.plane, visible_coords_box(self.plane))
        self.ticks = self.ctx.axis_numbers(self.plane)  # standard coordinates, counted off the axes
        lo, hi = visible_coords_box(self.plane)
        box = np.array([[lo[0], lo[1]], [lo[0], hi[1]], [hi[0], lo[1]], [hi[0], hi[1]]])
        # Where the frame's corners come from: the moving grid must cover the frame after the morph.
        # (and the frame itself, so that it fills the frame before the morph too).
        pre = np.vstack([box, [coordinates_in_basis(corner, p.basis) for corner in box]])
        new_style = {
            "background_line_style": {"stroke_color": _NEW_GRID, "stroke_width": 2, "stroke_opacity": 0.9},
            "axis_config": {"stroke_color": "#5FA8E8", "stroke_width": 3},
            "faded_line_ratio": 1,
        }
        self.moving_grid = covering_plane(self.plane, (pre.min(axis=0), pre.max(axis=0)), style=new_style)
        self.moving_grid.set_z_index(1)

        # Arrows and labels.
        e_names = tuple(p.standard_names)
        self.axis_names = axis_names(self.ctx, self.plane, p.axis_labels)
        self.e_arrows = [arrow(self.origin, self.plane.c2p(*e), theme.MUTED).set_z_index(3) for e in np.eye(2)]
        self.e_labels = [label_beside(self.ctx.label(n, color=theme.MUTED), self.origin, a.get_end(),
                                      avoid=[self.plane.c2p(*o) - self.origin for o in np.eye(2)[::-1][i:i + 1]])
                         for i, (n, a) in enumerate(zip(e_names, self.e_arrows))]
        self.b_arrows = [arrow(self.origin, self.plane.c2p(*b), theme.color_at(i)).set_z_index(4)
                         for i, b in enumerate(basis)]
        self.b_labels = []
        for i, (_b, a) in enumerate(zip(basis, self.b_arrows)):
            other = [self.plane.c2p(*basis[1 - i]) - self.origin]
            if p.vector is not None:
                other.append(self.plane.c2p(*p.vector) - self.origin)
            lab = label_beside(self.ctx.label(p.names[i], color=theme.color_at(i)), self.origin, a.get_end(),
                               avoid=other, at=0.6)
            lab.set_z_index(5)
            self.b_labels.append(lab)

        lines: dict[str, Any] = {
            "basis": self.ctx.label([f"{p.names[0]} = {vector_tex(basis[0])}", ",\\quad ",
                            f"{p.names[1]} = {vector_tex(basis[1])}"]),
        }
        if self.ctx.draw_text:
            lines["basis"][0].set_color(theme.color_at(0))
            lines["basis"][2].set_color(theme.color_at(1))
        if p.vector is not None:
            v, c = self.shown["vector"], self.shown["coordinates"]
            self.v_arrow = arrow(self.origin, self.plane.c2p(*v), theme.ACCENT).set_z_index(6)
            self.v_label = self.ctx.label(p.vector_name, color=theme.ACCENT).set_z_index(6)
            self.v_label.next_to(self.v_arrow.get_end(), unit_direction(v), buff=0.12)
            # c1 b1 then c2 b2, tip to tail, along the new grid.
            mid = self.plane.c2p(*(c[0] * basis[0]))
            self.parts = [
                mn.DashedLine(self.origin, mid, stroke_color=theme.color_at(0), stroke_width=6,
                              dash_length=0.15).set_z_index(5),
                mn.DashedLine(mid, self.plane.c2p(*v), stroke_color=theme.color_at(1), stroke_width=6,
                              dash_length=0.15).set_z_index(5),
            ]
            name = p.vector_name
            lines["v_std"] = self.ctx.label(f"{name} = {vector_tex(v)}", color=theme.ACCENT)
            combo = combination_tex(c, p.names)
            lines["combo"] = self.ctx.label(f"{name} = {combo}", color=theme.FOREGROUND)
            lines["v_new"] = self.ctx.label(f"[{name}]_B = {vector_tex(c)}", color=theme.ACCENT)
        if p.show_matrix:
            inv = inverse(self.matrix)
            self.shown["inverse"] = inv
            lines["matrix"] = self.ctx.label(f"B = {matrix_tex(self.matrix)}")
            lines["inverse"] = self.ctx.label(f"B^{{-1}} = {matrix_tex(inv, exact=True)}")
            if p.vector is not None:
                # Worked out: [v]_B = B⁻¹ v = (the numbers) = the coordinates.
                name, v, c = p.vector_name, self.shown["vector"], self.shown["coordinates"]
                lines["rule"] = self.ctx.label(f"[{name}]_B = B^{{-1}} {name}")
                lines["worked"] = self.ctx.label(f"= {matrix_tex(inv, exact=True)} {vector_tex(v)} = {vector_tex(c)}",
                                                 color=theme.ACCENT)
        self.panel_lines = lines
        self.panel = panel_background()
        panel_column(list(lines.values()), buff=0.4)
        scene.add(self.panel)
        if self.context.continues:  # the segment before left this grid on screen
            scene.add(self.grid, self.axis_names, self.ticks)

    def background(self) -> tuple[object, ...]:
        """The standard grid is fitted to the basis and the vector (and named by the axis labels)."""
        p = self.params
        return ("basis_change", repr(p.basis), repr(p.vector), repr(getattr(p, "axis_labels", None)))

    # -- beats -------------------------------------------------------------------
    def beats_off(self) -> dict[str, str]:
        """Beats that show nothing with these parameters, and the parameter that turns each off."""
        off = {}
        if self.params.vector is None:
            off["show_vector"] = off["show_coordinates"] = "vector"
        if not self.params.show_matrix:
            off["show_matrix"] = "show_matrix"
        return off

    @beat("Show the standard grid and the standard basis e1, e2.")
    def show_grid(self, scene: Any):
        if not self.context.continues:
            yield mn.Create(self.grid, lag_ratio=0.02), mn.FadeIn(self.axis_names), mn.FadeIn(self.ticks)
        yield tuple(mn.GrowArrow(a) for a in self.e_arrows) + tuple(mn.FadeIn(lab) for lab in self.e_labels)

    @beat("Draw the new basis vectors b1 and b2, with their coordinates.")
    def show_basis(self, scene: Any):
        for a, lab in zip(self.b_arrows, self.b_labels):
            yield mn.GrowArrow(a), mn.FadeIn(lab)
        yield mn.FadeIn(self.panel_lines["basis"])

    @beat("Draw the vector, in standard coordinates.")
    def show_vector(self, scene: Any):
        if self.params.vector is None:
            return
        yield mn.GrowArrow(self.v_arrow), mn.FadeIn(self.v_label), mn.FadeIn(self.panel_lines["v_std"])

    @beat("Morph the grid: e1 and e2 go to b1 and b2, and the whole grid follows them.")
    def morph(self, scene: Any):
        yield mn.FadeIn(self.moving_grid), *(mn.FadeOut(lab) for lab in self.e_labels)
        targets = [a.copy().set_color(theme.MUTED).set_z_index(3) for a in self.b_arrows]
        yield (mn.ApplyMatrix(self.matrix, self.moving_grid, about_point=self.origin),
               *(mn.Transform(e, t) for e, t in zip(self.e_arrows, targets)))

    @beat("Read the vector's coordinates in the new basis: c1 b1 + c2 b2, tip to tail.")
    def show_coordinates(self, scene: Any):
        if self.params.vector is None:
            return
        yield mn.Create(self.parts[0])
        yield mn.Create(self.parts[1])
        yield mn.FadeIn(self.panel_lines["combo"])
        yield mn.FadeIn(self.panel_lines["v_new"])

    @beat("Show the change-of-basis matrix B (basis vectors as columns) and its inverse.")
    def show_matrix(self, scene: Any):
        if not self.params.show_matrix:
            return
        yield mn.FadeIn(self.panel_lines["matrix"])
        yield mn.FadeIn(self.panel_lines["inverse"])
        if "rule" in self.panel_lines:
            yield mn.FadeIn(self.panel_lines["rule"])
            yield mn.FadeIn(self.panel_lines["worked"])
