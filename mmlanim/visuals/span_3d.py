"""The ``span_3d`` visual: vectors in space under a camera that turns as each beat draws, the plane two of them span,
a combination of them on that plane and the plane's normal."""

from __future__ import annotations

__all__ = ["Span3D"]

from typing import Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ..maths.linalg import coordinates_in_basis
from ..maths.orthonormal import mirror_basis
from ._layout import clip_segment_to, combination_tex, fmt, panel_background, panel_column, vector_tex
from ._types import Vector2, Vector3
from .base import Visual, VisualParams, beat, too_large_to_draw

_DEFAULT_NAMES = (r"\mathbf{u}", r"\mathbf{v}", r"\mathbf{w}", r"\mathbf{a}")
#: Where the origin is drawn: left of the panel.
SPACE_OFFSET = (-2.4, -0.3)
#: Colour of the spanned plane.
PLANE_COLOR = "#2F6FA8"


class Span3D(Visual, kind="span_3d"):
    """Vectors in 3-D space under a camera that turns as each beat draws, and the plane spanned by the first two.

    The plane is drawn as the grid of combinations ``a u + b v`` (whole
    numbers a, b); with ``combination: [a, b]`` one of them is walked tip to
    tail. Further vectors are placed in the plane or off it (their
    coordinates in ``u, v`` from ``mmlanim.maths.coordinates_in_basis``),
    and with ``show_normal`` the plane's unit normal (by Gram–Schmidt, from
    ``mmlanim.maths.mirror_basis``) stands at right angles to it. Formulas
    stay flat on a panel on the right while the camera turns.
    """

    three_d = True

    class Params(VisualParams):
        vectors: list[Vector3] = Field(min_length=1, max_length=4,
                                       description="The vectors to draw, as [x, y, z] triples.")
        names: list[str] | None = Field(None, description="LaTeX names of the vectors "
                                        "(default: u, v, w, a in bold).")
        plane: bool = Field(True, description="Shade the plane spanned by the first two vectors (beat show_plane).")
        combination: Vector2 | None = Field(None, description="Coefficients [a, b]: walk a u + b v tip to tail "
                                            "on the plane (beat show_combination; default: none).")
        show_normal: bool = Field(False, description="Draw the plane's unit normal n (beat show_normal).")
        phi: float = Field(65.0, ge=0, le=90, description="Camera angle from the z axis, in degrees.")
        theta: float | None = Field(None, description="Camera angle about the z axis at the start, in degrees "
                                    "(default: turned to look onto the plane's face).")
        turn: float = Field(8.0, ge=-45, le=45, description="How far the camera turns about the z axis "
                            "with each beat's first animation, in degrees (0: it stays).")
        orbit_rate: float = Field(0.0, ge=-20, le=20, description="Also turn the camera steadily, in "
                                  "degrees a second, through the whole segment, holds included (0: not).")

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "vector": "the arrows are `vectors:`, a list of [x, y, z] triples",
        "labels": "the arrows' LaTeX names are `names:`",
        "normal": "`show_normal: true` draws the plane's unit normal",
    }

    example = {"vectors": [[2, 0, 1], [0, 2, 1], [1, 1, 3]], "combination": [1, 1], "show_normal": True}

    # -- numbers ---------------------------------------------------------------
    def _vectors(self) -> np.ndarray:
        return np.asarray(self.params.vectors, dtype=float)

    def _names(self) -> list[str]:
        given = list(self.params.names or [])
        return [given[i] if i < len(given) else _DEFAULT_NAMES[i] for i in range(len(self.params.vectors))]

    def _spans(self) -> bool:
        return len(self.params.vectors) >= 2

    def check(self):
        p = self.params
        vs = self._vectors()
        if p.names is not None and len(p.names) > len(p.vectors):
            yield ("names",), f"{len(p.names)} names for {len(p.vectors)} vectors; give at most one per vector"
        if too_large_to_draw(vs):
            yield ("vectors",), too_large_to_draw(vs)
            return
        needs_plane = p.plane or p.combination is not None or p.show_normal
        if needs_plane and not self._spans():
            yield ("vectors",), ("a plane needs two vectors: it is the span of the first two "
                                 "(or set plane: false and give no combination or normal)")
            return
        if self._spans():
            try:
                mirror_basis(vs[:2])
            except ValueError as exc:
                if needs_plane:
                    yield ("vectors", 1), f"the first two vectors do not span a plane: {exc}"

    def beats_off(self) -> dict[str, str]:
        p = self.params
        off = {}
        if not p.plane:
            off["show_plane"] = "plane"
        if p.combination is None:
            off["show_combination"] = "combination"
        if not p.show_normal:
            off["show_normal"] = "show_normal"
        return off

    # -- building --------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        from ._space import axis_ticks, face_camera, fitted_space_axes, orbit, pin, space_arrow

        p = self.params
        vs = self._vectors()
        names = self._names()
        must_show = [vs]
        self.shown: dict[str, Any] = {"vectors": vs.copy()}
        if self._spans() and (p.plane or p.combination is not None or p.show_normal):
            u, v = vs[0], vs[1]
            self.mirror = mirror_basis(vs[:2])
            self.shown["normal"] = self.mirror.normal
            # The plane: a square patch about the origin (in the plane's orthonormal e1, e2), as wide as the
            # vectors reach, ruled by the lines a u + t v and t u + b v for whole a, b.
            self.shown["patch"] = float(np.ceil(np.abs(vs).max()))
            if p.combination is not None:
                a, b = p.combination
                self.shown["combination"] = a * u + b * v
                must_show.append(np.array([a * u, a * u + b * v]))
        theta = p.theta
        if theta is None:  # looking onto the plane's face, a little round from its normal
            n = self.shown.get("normal", np.array([np.cos(np.radians(-80.0)), np.sin(np.radians(-80.0)), 0.0]))
            n = n if n[2] >= 0 else -n
            theta = float(np.degrees(np.arctan2(n[1], n[0]))) + 30.0 if np.hypot(n[0], n[1]) > 1e-6 else -50.0
        orbit(scene, phi=p.phi, theta=theta, rate=p.orbit_rate, offset=SPACE_OFFSET)
        self.axes = fitted_space_axes(np.vstack(must_show))
        self.origin = self.axes.c2p(0, 0, 0)
        self.ticks = axis_ticks(self.ctx, self.axes)
        face_camera(scene, *self.ticks)

        def at(x: Any) -> np.ndarray:
            return np.asarray(self.axes.c2p(*x))

        self.at = at
        self.arrows = [space_arrow(self.origin, at(w), theme.color_at(i), scene=scene).set_z_index(4)
                       for i, w in enumerate(vs)]
        self.labels = []
        for i, w in enumerate(vs):
            lab = self.ctx.label(names[i], color=theme.color_at(i)).move_to(at(w * (1 + 0.35 / np.linalg.norm(w)))
                                                                          if np.linalg.norm(w) else self.origin)
            face_camera(scene, lab)
            self.labels.append(lab.set_z_index(5))

        lines: dict[str, Any] = {}
        for i, w in enumerate(vs):
            lines[f"v{i}"] = self.ctx.label(f"{names[i]} = {vector_tex(w)}", color=theme.color_at(i))
        if "normal" in self.shown:
            u, v = vs[0], vs[1]
            self.plane, self.plane_grid = plane_patch(at, u, v, self.mirror.basis[:, :2].T, self.shown["patch"])
            self.plane_group = mn.VGroup(self.plane, self.plane_grid).set_z_index(1)
            lines["span"] = self.ctx.label(rf"\mathrm{{span}}\{{{names[0]}, {names[1]}\}} = "
                                           rf"\{{a\,{names[0]} + b\,{names[1]}\}}", color="#5FA8E8")
            # Further vectors: in the plane (their coordinates in u, v) or off it.
            for i in range(2, len(vs)):
                try:
                    c = coordinates_in_basis(vs[i], vs[:2])
                except ValueError:
                    lines[f"in{i}"] = self.ctx.label(rf"{names[i]} \notin \mathrm{{span}}\{{{names[0]}, {names[1]}\}}")
                    self.shown[f"in{i}"] = None
                else:
                    lines[f"in{i}"] = self.ctx.label(f"{names[i]} = {combination_tex(list(c), names[:2])}")
                    self.shown[f"in{i}"] = c
            if p.combination is not None:
                a, b = p.combination
                w = self.shown["combination"]
                self.combo_parts = [
                    space_arrow(self.origin, at(a * u), theme.color_at(0), scene=scene, stroke_width=4),
                    space_arrow(at(a * u), at(w), theme.color_at(1), scene=scene, stroke_width=4),
                ]
                for part in self.combo_parts:
                    part.set_z_index(3)
                self.combo_arrow = space_arrow(self.origin, at(w), theme.ACCENT, scene=scene).set_z_index(6)
                self.combo_dot = mn.Dot(at(w), radius=theme.DOT_RADIUS * 1.4, color=theme.ACCENT)
                face_camera(scene, self.combo_dot)
                lines["combination"] = self.ctx.label(f"{combination_tex([a, b], names[:2])} = {vector_tex(w)}",
                                                      color=theme.ACCENT)
            n = self.shown["normal"]
            self.normal_arrow = space_arrow(self.origin, at(n * 1.5), theme.FOREGROUND, scene=scene).set_z_index(6)
            self.normal_label = self.ctx.label(r"\mathbf{n}").move_to(at(n * 1.5 * (1 + 0.3 / 1.5)))
            face_camera(scene, self.normal_label)
            lines["normal"] = self.ctx.label(rf"\mathbf{{n}} = {vector_tex(n)}")
            lines["perp"] = self.ctx.label(rf"\mathbf{{n}}\cdot{names[0]} = {fmt(n @ u)},\ "
                                           rf"\mathbf{{n}}\cdot{names[1]} = {fmt(n @ v)},\ |\mathbf{{n}}| = 1",
                                           size=theme.SMALL_SIZE)
        self.panel_lines = lines
        self.panel = panel_background()
        self.panel_column = panel_column(list(lines.values()), buff=0.35)
        pin(scene, self.panel, show=True)
        pin(scene, *lines.values())

    # -- beats -------------------------------------------------------------------
    def run_beat(self, name: str, scene: Any) -> Any:
        """The beat's steps, the camera turning with the first (see :func:`._space.turning`)."""
        from ._space import turning

        return turning(scene, super().run_beat(name, scene), self.params.turn)

    @beat("Draw the axes.")
    def show_axes(self, scene: Any):
        yield mn.Create(self.axes), mn.FadeIn(self.ticks)

    @beat("Draw the vectors from the origin, with their coordinates.")
    def show_vectors(self, scene: Any):
        for i, (a, lab) in enumerate(zip(self.arrows, self.labels)):
            yield mn.GrowFromPoint(a, self.origin), mn.FadeIn(lab), mn.FadeIn(self.panel_lines[f"v{i}"])

    @beat("Shade the plane the first two vectors span: every a u + b v.")
    def show_plane(self, scene: Any):
        if "normal" not in self.shown or not self.params.plane:
            return
        yield mn.FadeIn(self.plane), mn.Create(self.plane_grid), mn.FadeIn(self.panel_lines["span"])
        more = [self.panel_lines[k] for k in self.panel_lines if k.startswith("in")]
        if more:
            yield tuple(mn.FadeIn(m) for m in more)

    @beat("Walk a u + b v tip to tail on the plane.")
    def show_combination(self, scene: Any):
        if self.params.combination is None or "normal" not in self.shown:
            return
        for part in self.combo_parts:
            yield (mn.GrowFromPoint(part, part[0].get_start()),)
        yield mn.GrowFromPoint(self.combo_arrow, self.origin), mn.FadeIn(self.combo_dot), \
            mn.FadeIn(self.panel_lines["combination"])

    @beat("Stand the plane's unit normal n at right angles to it.")
    def show_normal(self, scene: Any):
        if not self.params.show_normal or "normal" not in self.shown:
            return
        yield mn.GrowFromPoint(self.normal_arrow, self.origin), mn.FadeIn(self.normal_label), \
            mn.FadeIn(self.panel_lines["normal"])
        yield mn.FadeIn(self.panel_lines["perp"])


def plane_patch(at: Any, u: np.ndarray, v: np.ndarray, frame: np.ndarray, half: float) -> tuple[Any, Any]:
    """The plane spanned by ``u`` and ``v`` as a square patch ``[-half, half]²`` in its orthonormal
    ``frame`` (rows e1, e2), ruled by the lines ``a u + t v`` and ``t u + b v`` for whole a, b that
    cross it. ``at`` maps coordinates to scene points. Returns (patch, rules)."""
    corners = [at(x * frame[0] + y * frame[1]) for x, y in ((-half, -half), (half, -half), (half, half), (-half, half))]
    patch = mn.Polygon(*corners, stroke_width=0, fill_color=PLANE_COLOR, fill_opacity=0.3)
    box = (np.array([-half, -half]), np.array([half, half]))
    rules = mn.VGroup()
    u2, v2 = frame @ u, frame @ v  # u and v in the plane's own coordinates
    for along, across in ((v2, u2), (u2, v2)):
        spacing = abs(float(across[0] * along[1] - across[1] * along[0])) / float(np.linalg.norm(along))
        k = int(np.ceil(2 * half / max(spacing, 1e-9)))
        for a in range(-k, k + 1):
            piece = clip_segment_to(box, a * across, along)
            if piece is not None:
                rules.add(mn.Line(at(piece[0][:2] @ frame), at(piece[1][:2] @ frame)))
    rules.set_stroke(color="#5FA8E8", width=1.5, opacity=0.7)
    return patch, rules
