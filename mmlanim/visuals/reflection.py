"""The ``reflection`` visual: a small solid reflected in a plane through the origin, by ``R = E T_E E⁻¹``."""

from __future__ import annotations

__all__ = ["Reflection"]

from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ..maths.orthonormal import mirror_basis
from ._layout import matrix_tex, panel_background, panel_column, vector_tex
from ._types import Vector3
from .base import Visual, VisualParams, beat, too_large_to_draw

#: Where space's origin is drawn: left of the panel.
SPACE_OFFSET = (-2.4, -0.3)

#: The shapes, in their own units: vertices (rows) and edges (pairs of vertex indices).
SHAPES: dict[str, tuple[np.ndarray, tuple[tuple[int, int], ...]]] = {
    # A corner of a cube cut off: four vertices, each a different colour, so a mirror image shows.
    "tetrahedron": (np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
                    ((0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3))),
    # A letter F standing up, with a foot towards y: it reads backwards in a mirror.
    "letter": (np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 1.2], [0.7, 0.0, 1.2], [0.0, 0.0, 0.6], [0.5, 0.0, 0.6],
                         [0.0, 0.5, 0.0]]),
               ((0, 1), (1, 2), (3, 4), (0, 5))),
}
#: The tetrahedron's faces, each filled in its own colour.
_FACES = ((0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3))


class Reflection(Visual, kind="reflection"):
    """A reflection in a plane through the origin: a small shape and its mirror image, by R = E T_E E⁻¹.

    The mirror is spanned by two vectors. Gram–Schmidt turns them, and a
    third standard vector, into an orthonormal basis ``E = [e1 e2 n]`` of the
    plane and its normal; in that basis the reflection is simple, ``T_E =
    diag(1, 1, -1)``, and back in standard coordinates it is ``R = E T_E
    E⁻¹`` (from ``mmlanim.maths.mirror_basis``, which checks it against
    ``reflection_matrix``). Each vertex of the shape moves straight through
    the mirror to ``R r``. The shape is a coloured tetrahedron or a letter F
    standing up, which reads backwards in the mirror.
    """

    three_d = True

    class Params(VisualParams):
        plane: list[Vector3] = Field(min_length=2, max_length=2, description=(
            "Two vectors spanning the mirror plane (through the origin), as [x, y, z] triples."))
        names: list[str] = Field([r"\mathbf{b}_1", r"\mathbf{b}_2"], min_length=2, max_length=2,
                                 description="LaTeX names of the two spanning vectors.")
        shape: Literal["tetrahedron", "letter"] = Field("tetrahedron", description=(
            "What is reflected: a tetrahedron with coloured faces, or a letter F standing up."))
        position: Vector3 = Field([1.0, -1.0, 1.0], description="Where the shape's first vertex sits.")
        size: float = Field(1.0, gt=0, le=4, description="The shape's size, in units of the axes.")
        phi: float = Field(65.0, ge=0, le=90, description="Camera angle from the z axis, in degrees.")
        theta: float | None = Field(None, description="Camera angle about the z axis at the start, in degrees "
                                    "(default: turned so that the mirror is seen slantwise, the shape and its image "
                                    "on either side).")
        turn: float = Field(8.0, ge=-45, le=45, description="How far the camera turns about the z axis "
                            "with each beat's first animation, in degrees (0: it stays).")
        orbit_rate: float = Field(0.0, ge=-20, le=20, description="Also turn the camera steadily, in "
                                  "degrees a second, through the whole segment, holds included (0: not).")

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "mirror": "the mirror is `plane:`, two vectors spanning it",
        "vectors": "the mirror is `plane:`, two vectors spanning it",
        "bear": "the shape reflected is `shape:` (tetrahedron or letter)",
    }

    example = {"plane": [[1, 1, 0], [0, 1, 1]], "shape": "tetrahedron"}

    # -- numbers ---------------------------------------------------------------
    def _vertices(self) -> np.ndarray:
        points, _ = SHAPES[self.params.shape]
        return np.asarray(self.params.position, dtype=float) + self.params.size * points

    def check(self):
        p = self.params
        try:
            mirror = mirror_basis(p.plane)
        except ValueError as exc:
            yield ("plane",), str(exc)
            return
        problem = too_large_to_draw(np.vstack([self._vertices(), self._vertices() @ mirror.matrix.T]))
        if problem:
            yield ("position",), problem

    def warnings(self):
        mirror = mirror_basis(self.params.plane)
        heights = self._vertices() @ mirror.normal
        if np.abs(heights).max() < 0.25:
            yield ("position",), "the shape lies in the mirror, so its image falls on top of it; move it off the plane"

    # -- building --------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        from ._space import axis_ticks, face_camera, fitted_space_axes, orbit, pin, space_arrow
        from .span_3d import plane_patch

        p = self.params
        b = np.asarray(p.plane, dtype=float)
        self.mirror = m = mirror_basis(b)
        points = self._vertices()
        images = points @ m.matrix.T  # r' = R r, row by row
        self.shown: dict[str, Any] = {"points": points, "images": images, "matrix": m.matrix, "basis": m.basis}
        theta = p.theta
        if theta is None:  # the camera 55 degrees round from the normal's side: the mirror slantwise
            theta = float(np.degrees(np.arctan2(m.normal[1], m.normal[0]))) + 55.0
        orbit(scene, phi=p.phi, theta=theta, rate=p.orbit_rate, offset=SPACE_OFFSET)
        reach = float(np.ceil(np.abs(np.vstack([points, images])).max()))
        self.axes = fitted_space_axes(np.vstack([points, images, b]))
        self.ticks = axis_ticks(self.ctx, self.axes)
        face_camera(scene, *self.ticks)

        def at(x: Any) -> np.ndarray:
            return np.asarray(self.axes.c2p(*x))

        self.origin = at(np.zeros(3))
        self.plane, self.plane_grid = plane_patch(at, b[0], b[1], m.basis[:, :2].T, max(1.5, 0.7 * reach))
        self.plane_group = mn.VGroup(self.plane, self.plane_grid).set_z_index(1)
        self.b_arrows = [space_arrow(self.origin, at(v), theme.color_at(i), scene=scene).set_z_index(4)
                         for i, v in enumerate(b)]
        self.b_labels = [self._label(scene, p.names[i], theme.color_at(i), at, v) for i, v in enumerate(b)]
        unit_names = (r"\mathbf{e}_1", r"\mathbf{e}_2", r"\mathbf{n}")
        unit_colors = (theme.color_at(0), theme.color_at(1), theme.FOREGROUND)
        self.e_arrows = [space_arrow(self.origin, at(m.basis[:, k]), unit_colors[k], scene=scene,
                                     stroke_width=7).set_z_index(6) for k in range(3)]
        self.e_labels = [self._label(scene, unit_names[k], unit_colors[k], at, m.basis[:, k]) for k in range(3)]
        self.solid = self._shape(points, at, opacity=0.55)
        self.image = self._shape(images, at, opacity=0.55)
        self.paths = mn.VGroup(*(mn.DashedLine(at(x), at(y), color=theme.MUTED, stroke_width=2.5, dash_length=0.1)
                                 for x, y in zip(points, images))).set_z_index(2)
        self.feet = mn.VGroup(*(mn.Dot(at((x + y) / 2), radius=theme.DOT_RADIUS, color=theme.FOREGROUND)
                                for x, y in zip(points, images))).set_z_index(3)
        face_camera(scene, *self.feet)

        tip = int(np.argmax(np.linalg.norm(points, axis=1)))  # the vertex worked out on the panel
        self.shown["worked"] = tip
        lines = {
            "plane": self.ctx.label([f"{p.names[0]} = {vector_tex(b[0])}", r",\ ",
                                     f"{p.names[1]} = {vector_tex(b[1])}"]),
            "E": self.ctx.label(rf"E = [\,\mathbf{{e}}_1\ \mathbf{{e}}_2\ \mathbf{{n}}\,] = {matrix_tex(m.basis)}",
                                size=theme.SMALL_SIZE),
            "T": self.ctx.label(rf"T_E = {matrix_tex(m.in_basis)}", size=theme.SMALL_SIZE),
            "R": self.ctx.label(rf"R = E\,T_E\,E^{{-1}} = {matrix_tex(m.matrix, exact=True)}", size=theme.SMALL_SIZE,
                                color=theme.ACCENT),
            "image": self.ctx.label(rf"R\,{vector_tex(points[tip])} = {vector_tex(images[tip])}",
                                    size=theme.SMALL_SIZE),
        }
        if self.ctx.draw_text:
            lines["plane"][0].set_color(theme.color_at(0))
            lines["plane"][2].set_color(theme.color_at(1))
        self.panel_lines = lines
        self.panel = panel_background()
        panel_column(list(lines.values()), buff=0.4)
        pin(scene, self.panel, show=True)
        pin(scene, *lines.values())

    def _label(self, scene: Any, tex: str, color: str, at: Any, where: np.ndarray) -> Any:
        from ._space import face_camera

        lab = self.ctx.label(tex, color=color)
        tip, away = at(where), at(where) - at(np.zeros(3))
        lab.move_to(tip + away / (np.linalg.norm(away) or 1.0) * 0.35)
        face_camera(scene, lab)
        return lab.set_z_index(7)

    def _shape(self, points: np.ndarray, at: Any, *, opacity: float) -> Any:
        """The shape through ``points``: edges, coloured vertices and (a tetrahedron's) coloured faces."""
        _, edges = SHAPES[self.params.shape]
        group = mn.VGroup()
        if self.params.shape == "tetrahedron":
            group.add(*(mn.Polygon(*(at(points[k]) for k in face), stroke_width=0, fill_color=theme.color_at(i + 2),
                                   fill_opacity=opacity) for i, face in enumerate(_FACES)))
        group.add(*(mn.Line(at(points[i]), at(points[j]), color=theme.FOREGROUND, stroke_width=4) for i, j in edges))
        group.vertices = mn.VGroup(*(mn.Dot(at(x), radius=theme.DOT_RADIUS * 1.3, color=theme.color_at(k))
                                     for k, x in enumerate(points)))
        group.add(group.vertices)
        return group.set_z_index(5)

    # -- beats -------------------------------------------------------------------
    def run_beat(self, name: str, scene: Any) -> Any:
        """The beat's steps, the camera turning with the first (see :func:`._space.turning`)."""
        from ._space import turning

        return turning(scene, super().run_beat(name, scene), self.params.turn)

    @beat("Draw the axes.")
    def show_axes(self, scene: Any):
        yield mn.Create(self.axes), mn.FadeIn(self.ticks)

    @beat("Draw the two vectors and the mirror plane they span.")
    def show_plane(self, scene: Any):
        yield (*(mn.GrowFromPoint(a, self.origin) for a in self.b_arrows), *(mn.FadeIn(lab) for lab in self.b_labels),
               mn.FadeIn(self.panel_lines["plane"]))
        yield mn.FadeIn(self.plane), mn.Create(self.plane_grid)

    @beat("Put the shape in front of the mirror.")
    def show_shape(self, scene: Any):
        yield (mn.FadeIn(self.solid),)

    @beat("Make the mirror's orthonormal basis by Gram–Schmidt: e1, e2 in the plane, n normal to it.")
    def show_basis(self, scene: Any):
        yield (*(mn.FadeOut(a) for a in self.b_arrows), *(mn.FadeOut(lab) for lab in self.b_labels))
        yield (*(mn.GrowFromPoint(a, self.origin) for a in self.e_arrows[:2]),
               *(mn.FadeIn(lab) for lab in self.e_labels[:2]))
        yield mn.GrowFromPoint(self.e_arrows[2], self.origin), mn.FadeIn(self.e_labels[2]), \
            mn.FadeIn(self.panel_lines["E"])

    @beat("In that basis the reflection keeps e1, e2 and flips n (T_E); back in standard coordinates R = E T_E E⁻¹.")
    def show_formula(self, scene: Any):
        yield (mn.FadeIn(self.panel_lines["T"]),)
        yield (mn.FadeIn(self.panel_lines["R"]),)

    @beat("Reflect: every vertex moves straight through the mirror to R r.")
    def reflect(self, scene: Any):
        yield mn.Create(self.paths), mn.FadeIn(self.feet)
        yield mn.TransformFromCopy(self.solid, self.image), mn.FadeIn(self.panel_lines["image"])
