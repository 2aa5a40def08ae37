"""The ``gram_schmidt`` visual: vectors made orthonormal one at a time, in the plane or in space."""

from __future__ import annotations

__all__ = ["GramSchmidt"]

from typing import Annotated, Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ..maths.orthonormal import gram_schmidt_steps
from ._layout import (
    fitted_plane,
    fmt,
    matrix_tex,
    panel_area,
    panel_background,
    panel_column,
    plane_area,
    right_angle,
    vector_tex,
)
from .base import Visual, VisualParams, beat, too_large_to_draw

Vector = Annotated[list[float], Field(min_length=2, max_length=3)]

#: Where space's origin is drawn (3-D): left of the panel.
SPACE_OFFSET = (-2.4, -0.3)
_ORDINAL = ("first", "second", "third")


def _residual_name(unit_name: str) -> str:
    r"""``\mathbf{e}_2`` → ``\mathbf{u}_2``: the name of what is left before normalising."""
    return unit_name.replace(r"\mathbf{e}", r"\mathbf{u}") if r"\mathbf{e}" in unit_name else rf"\tilde{{{unit_name}}}"


class GramSchmidt(Visual, kind="gram_schmidt"):
    """The Gram–Schmidt process: vectors made orthonormal one at a time, in 2-D or 3-D.

    The first vector is normalised, ``e1 = v1 / |v1|``. Each next vector
    loses its projections onto the unit vectors already made (drawn tip to
    tail along them, with the drop to what is left), ``u = v - (v·e1) e1 - ...``,
    and what is left is normalised. Two vectors of length 2 are drawn on a
    plane seen from above; vectors of length 3 in space, the camera
    turning a little as each beat draws. Every number comes from ``mmlanim.maths.gram_schmidt``
    (through ``gram_schmidt_steps``).
    """

    three_d = True

    class Params(VisualParams):
        vectors: list[Vector] = Field(min_length=2, max_length=3, description=(
            "The vectors to make orthonormal, in order: two [x, y] pairs, or two or three [x, y, z] triples."))
        names: list[str] | None = Field(None, description="LaTeX names of the vectors "
                                        "(default: v_1, v_2, v_3 in bold).")
        unit_names: list[str] | None = Field(None, description="LaTeX names of the orthonormal vectors "
                                             "(default: e_1, e_2, e_3 in bold; what is left before normalising is u).")
        phi: float = Field(65.0, ge=0, le=90, description="3-D: camera angle from the z axis, in degrees.")
        theta: float = Field(-50.0, description="3-D: camera angle about the z axis at the start, in degrees.")
        turn: float = Field(8.0, ge=-45, le=45, description="3-D: how far the camera turns about the z axis "
                            "with each beat's first animation, in degrees (0: it stays).")
        orbit_rate: float = Field(0.0, ge=-20, le=20, description="3-D: also turn the camera steadily, in "
                                  "degrees a second, through the whole segment, holds included (0: not).")

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "basis": "the vectors to orthonormalise are `vectors:`, in order",
        "labels": "name the inputs with `names:` and the results with `unit_names:`",
    }

    example = {"vectors": [[3, 1, 0], [2, 2, 1], [0, 1, 3]]}

    # -- numbers ---------------------------------------------------------------
    def _dim(self) -> int:
        return len(self.params.vectors[0])

    def _names(self, given: list[str] | None, stem: str) -> list[str]:
        given = list(given or [])
        return [given[i] if i < len(given) else rf"\mathbf{{{stem}}}_{i + 1}" for i in range(len(self.params.vectors))]

    def check(self):
        p = self.params
        dims = {len(v) for v in p.vectors}
        if len(dims) > 1:
            yield ("vectors",), "the vectors must all have the same length (all [x, y] or all [x, y, z])"
            return
        if self._dim() == 2 and len(p.vectors) > 2:
            yield ("vectors", 2), "in the plane, at most two vectors can be orthonormal"
            return
        for key, names in (("names", p.names), ("unit_names", p.unit_names)):
            if names is not None and len(names) > len(p.vectors):
                yield (key,), f"{len(names)} names for {len(p.vectors)} vectors; give at most one per vector"
        problem = too_large_to_draw(np.asarray(p.vectors, dtype=float))
        if problem:
            yield ("vectors",), problem
            return
        try:
            gram_schmidt_steps(p.vectors)
        except ValueError as exc:
            text = str(exc)
            index = next((i for i in range(len(p.vectors)) if f"v{i + 1} " in text), len(p.vectors) - 1)
            yield ("vectors", index), text

    def beats_off(self) -> dict[str, str]:
        if len(self.params.vectors) < 3:
            return {"project_third": "vectors", "normalise_third": "vectors"}
        return {}

    # -- building --------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        from ._space import axis_ticks, face_camera, fitted_space_axes, orbit, pin, space_arrow

        p = self.params
        vs = np.asarray(p.vectors, dtype=float)
        self.steps = gram_schmidt_steps(vs)
        dim = self._dim()
        names, units = self._names(p.names, "v"), self._names(p.unit_names, "e")
        self.shown: dict[str, Any] = {"units": np.array([s.unit for s in self.steps]),
                                      "residuals": np.array([s.residual for s in self.steps])}
        if dim == 2:  # a plane seen from straight above: the camera's view is the flat picture
            orbit(scene, phi=0.0, theta=-90.0)
            self.plane = fitted_plane(np.vstack([vs, np.eye(2), -np.eye(2)]), area=plane_area())
            self.ticks = self.ctx.axis_numbers(self.plane)
            self.axes = self.plane
            self.lift = lambda x: np.asarray(self.plane.c2p(x[0], x[1]))
        else:
            orbit(scene, phi=p.phi, theta=p.theta, rate=p.orbit_rate, offset=SPACE_OFFSET)
            self.axes = fitted_space_axes(np.vstack([vs, np.eye(3)]))
            self.ticks = axis_ticks(self.ctx, self.axes)
            face_camera(scene, *self.ticks)
            self.lift = lambda x: np.asarray(self.axes.c2p(*x))
        at = self.lift
        self.origin = at(np.zeros(dim))

        def label(tex: str, color: str, where: np.ndarray) -> Any:
            lab = self.ctx.label(tex, color=color)
            tip = at(where)
            away = tip - self.origin
            lab.move_to(tip + away / (np.linalg.norm(away) or 1.0) * 0.35)
            if dim == 3:
                face_camera(scene, lab)
            return lab.set_z_index(7)

        self.v_arrows, self.v_labels, self.e_arrows, self.e_labels = [], [], [], []
        self.pieces: list[dict[str, Any]] = []
        for i, st in enumerate(self.steps):
            color = theme.color_at(i)
            self.v_arrows.append(space_arrow(self.origin, at(st.vector), color, scene=scene).set_z_index(4))
            self.v_labels.append(label(names[i], color, st.vector))
            self.e_arrows.append(space_arrow(self.origin, at(st.unit), color, scene=scene,
                                             stroke_width=7).set_z_index(6))
            self.e_labels.append(label(units[i], color, st.unit))
            piece: dict[str, Any] = {"projections": [], "mark": None}
            # The projections onto the units already made, tip to tail, then the drop from their end to v.
            foot = np.zeros(dim)
            for j, proj in enumerate(st.projections):
                piece["projections"].append(space_arrow(at(foot), at(foot + proj), theme.color_at(j), scene=scene,
                                                        stroke_width=4).set_z_index(5))
                foot = foot + proj
            piece["foot"] = foot
            piece["drop"] = mn.DashedLine(at(foot), at(st.vector), color=theme.FOREGROUND, stroke_width=3,
                                          dash_length=0.12).set_z_index(5)
            if i:
                piece["mark"] = right_angle(at(foot), at(st.vector) - at(foot),
                                            at(foot - st.projections[-1]) - at(foot), size=0.18).set_z_index(5)
            piece["residual"] = space_arrow(self.origin, at(st.residual), color, scene=scene).set_z_index(6)
            piece["residual_label"] = label(_residual_name(units[i]), color, st.residual)
            self.pieces.append(piece)

        # The panel: the vectors on top, one step's working in the middle, the results below.
        small = theme.SMALL_SIZE
        self.v_row = mn.VGroup(*(self.ctx.label(f"{names[i]} = {vector_tex(st.vector)}", color=theme.color_at(i))
                                 for i, st in enumerate(self.steps))).arrange(mn.RIGHT, buff=0.3)
        self.work: list[Any] = []
        for i, st in enumerate(self.steps):
            color = theme.color_at(i)
            u_name = _residual_name(units[i])
            rows = []
            if i:
                terms = " ".join(rf"- ({names[i]}\cdot{units[j]})\,{units[j]}" for j in range(i))
                rows.append(self.ctx.label(f"{u_name} = {names[i]} {terms}", size=small))
                numbers = " ".join(f"{'-' if c >= 0 else '+'} {fmt(abs(c))}\\,{vector_tex(self.steps[j].unit)}"
                                   for j, c in enumerate(st.coefficients) if abs(c) > 1e-12)
                rows.append(self.ctx.label(f"= {vector_tex(st.vector)} {numbers}", size=small))
                rows.append(self.ctx.label(f"= {vector_tex(st.residual)}", size=small, color=color))
            source = u_name if i else names[i]
            norm = st.norm if i else float(np.linalg.norm(st.vector))
            rows.append(self.ctx.label(f"{units[i]} = \\frac{{{source}}}{{{fmt(norm)}}} = {vector_tex(st.unit)}",
                                       color=color, size=small))
            self.work.append(mn.VGroup(*rows))
        E = self.shown["units"]
        self.shown["gram"] = E @ E.T
        self.e_row = mn.VGroup(*(self.ctx.label(f"{units[i]} = {vector_tex(st.unit)}", color=theme.color_at(i))
                                 for i, st in enumerate(self.steps))).arrange(mn.RIGHT, buff=0.3)
        self.check_line = mn.VGroup(
            self.ctx.label(f"E = {matrix_tex(E.T)}", size=small),
            self.ctx.label(f"E^{{T}} E = {matrix_tex(np.round(E @ E.T, 12))} = I", size=small))
        area = panel_area()
        panel_column([self.v_row], top=area.top)
        for group in (*self.work, self.check_line):
            panel_column(list(group), top=area.top - self.v_row.height - 0.5, buff=0.2)
        bottom_row = panel_column([self.e_row])
        bottom_row.shift((area.bottom - bottom_row.get_bottom()[1]) * mn.UP)
        self.panel = panel_background()
        # Right angles between the orthonormal vectors, for the last beat.
        self.marks = mn.VGroup(*(right_angle(self.origin, at(E[i]) - self.origin, at(E[j]) - self.origin, size=0.2)
                                 for i in range(len(E)) for j in range(i + 1, len(E)))).set_z_index(5)
        pin(scene, self.panel, show=True)
        pin(scene, *self.v_row, *self.work, *self.e_row, self.check_line)

    # -- beats -------------------------------------------------------------------
    def run_beat(self, name: str, scene: Any) -> Any:
        """The beat's steps, the camera turning with the first (see :func:`._space.turning`)."""
        from ._space import turning

        return turning(scene, super().run_beat(name, scene), self.params.turn if self._dim() == 3 else 0.0)

    @beat("Draw the axes (a plane for 2-D vectors, space for 3-D ones).")
    def show_axes(self, scene: Any):
        yield mn.Create(self.axes), mn.FadeIn(self.ticks)

    @beat("Draw the vectors to orthonormalise.")
    def show_vectors(self, scene: Any):
        for a, lab, row in zip(self.v_arrows, self.v_labels, self.v_row):
            yield mn.GrowFromPoint(a, self.origin), mn.FadeIn(lab), mn.FadeIn(row)

    def _normalise(self, i: int):
        if i >= len(self.steps):
            return
        piece, work = self.pieces[i], self.work[i]
        if i == 0:  # the first vector only shrinks to length 1
            yield mn.FadeIn(work[-1]), self.v_arrows[0].animate.set_opacity(0.35), \
                self.v_labels[0].animate.set_opacity(0.35)
            yield mn.TransformFromCopy(self.v_arrows[0], self.e_arrows[0]), mn.FadeIn(self.e_labels[0]), \
                mn.FadeIn(self.e_row[0])
            return
        yield (mn.FadeIn(work[-1]),)
        yield (mn.ReplacementTransform(piece["residual"], self.e_arrows[i]),
               mn.ReplacementTransform(piece["residual_label"], self.e_labels[i]),
               *(mn.FadeOut(a) for a in piece["projections"]),
               mn.FadeOut(piece["drop"]), *([mn.FadeOut(piece["mark"])] if piece["mark"] is not None else []),
               self.v_arrows[i].animate.set_opacity(0.35), self.v_labels[i].animate.set_opacity(0.35),
               mn.FadeIn(self.e_row[i]))

    def _project(self, i: int):
        if i >= len(self.steps):
            return
        piece, work = self.pieces[i], self.work[i]
        yield mn.FadeOut(self.work[i - 1]), mn.FadeIn(work[0])
        for a in piece["projections"]:
            yield (mn.GrowFromPoint(a, a[0].get_start()),)
        yield (mn.Create(piece["drop"]), mn.Create(piece["mark"]), mn.FadeIn(work[1]))
        yield mn.TransformFromCopy(piece["drop"], piece["residual"]), mn.FadeIn(piece["residual_label"]), \
            mn.FadeIn(work[2])

    @beat("Normalise the first vector: e1 = v1 / |v1|.")
    def normalise_first(self, scene: Any):
        yield from self._normalise(0)

    @beat("Subtract from the second vector its projection onto e1 (drawn), leaving u2 at right angles to e1.")
    def project_second(self, scene: Any):
        yield from self._project(1)

    @beat("Normalise u2 to e2.")
    def normalise_second(self, scene: Any):
        yield from self._normalise(1)

    @beat("Subtract from the third vector its projections onto e1 and e2, leaving u3 normal to both.")
    def project_third(self, scene: Any):
        yield from self._project(2)

    @beat("Normalise u3 to e3.")
    def normalise_third(self, scene: Any):
        yield from self._normalise(2)

    @beat("Check: the new vectors are at right angles and of length 1 (EᵀE = I).")
    def check_orthonormal(self, scene: Any):
        yield (mn.Create(self.marks), mn.FadeOut(self.work[-1]), mn.FadeIn(self.check_line),
               *(a.animate.set_opacity(0.15) for a in self.v_arrows),
               *(lab.animate.set_opacity(0.15) for lab in self.v_labels))
