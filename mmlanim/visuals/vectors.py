"""The ``vectors`` visual: arrows on a plane fitted to them, with coordinates, their sum,
a scaled copy and the dot product as a projection's shadow."""

from __future__ import annotations

__all__ = ["Vectors"]

import math
from typing import Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ..maths.geometry import angle_between, modulus
from ..maths.linalg import project
from ._layout import (
    arrow,
    axis_names,
    clip_segment_to,
    dot_terms_tex,
    fitted_plane,
    fitted_ranges,
    fmt,
    label_beside,
    panel_background,
    panel_column,
    plane_area,
    right_angle,
    unit_direction,
    vector_tex,
)
from ._types import Vector2
from .base import Visual, VisualParams, beat

_DEFAULT_NAMES = (r"\mathbf{u}", r"\mathbf{v}", r"\mathbf{w}", r"\mathbf{a}", r"\mathbf{b}",
                  r"\mathbf{c}", r"\mathbf{p}", r"\mathbf{q}")


class Vectors(Visual, kind="vectors"):
    """Vectors as arrows from the origin, with coordinates, their sum tip to tail, scaling and the dot product.

    The plane fits itself to everything drawn (the vectors, their sum, the
    scaled vector, the projection), so nothing is off screen. The panel on the
    right spells out the algebra with the computed numbers. With
    ``dot_product: true`` the second vector is projected onto the first: the
    perpendicular drop, the shadow along the first vector, ``u·v`` and the
    shadow's signed length ``u·v / |u|`` (from ``mmlanim.maths.project``).
    """

    emphasis_targets = {
        "vector1": "the first vector's arrow (vector2, vector3, vector4: the others)",
        "vector2": "the second vector's arrow",
        "vector3": "the third vector's arrow",
        "vector4": "the fourth vector's arrow",
        "sum": "the sum's arrow",
        "scaled": "the scaled vector's arrow",
        "projection": "the projection's shadow on the first vector",
        "dot": "the dot product, worked, in the panel",
        "shadow_length": "the shadow's length, worked, in the panel",
        "lengths": "the lengths |u|, |v|, worked, in the panel (with modulus: true)",
        "angle": "the arc marking the angle θ (with angle: true)",
        "cosine": "cos θ, worked, in the panel (with angle: true)",
        "vector_projection": "the vector projection, worked, in the panel",
    }

    class Params(VisualParams):
        vectors: list[Vector2] = Field(min_length=1, max_length=8,
                                       description="The vectors to draw, as [x, y] pairs.")
        names: list[str] | None = Field(None, description="LaTeX names of the vectors, "
                                        "e.g. ['\\\\mathbf{u}', '\\\\mathbf{v}'] (default: arrows show "
                                        "coordinates only; the panel calls them u, v, w...).")
        show_coordinates: bool = Field(True, description="Label each arrow with its coordinates.")
        show_sum: bool = Field(True, description="Add the vectors tip to tail and draw their sum "
                               "(beat show_sum).")
        scale: float | None = Field(None, description="A factor applied to the first vector, "
                                    "shown in the beat 'scale' (default: no scaling).")
        sum_name: str | None = Field(None, description="LaTeX name of the sum's arrow, e.g. "
                                     "'\\mathbf{w}' (default: the sum is labelled with its coordinates).")
        scaled_name: str | None = Field(None, description="LaTeX name of the scaled arrow, e.g. "
                                        "'A\\mathbf{x}_1' (default: the factor times the first name, like 2u).")
        axis_labels: list[str] | None = Field(None, min_length=2, max_length=2, description=(
            "Names of the horizontal and vertical axes, in plain text, e.g. ['hours', 'score'] (default: none)."))
        dot_product: bool = Field(False, description="Project the second vector onto the first and "
                                  "show u·v and the projection's length (beat show_projection).")
        modulus: bool = Field(False, description="Work out each vector's length |u| = √(x² + y²) by "
                              "Pythagoras, its legs drawn (beat show_length; the first three vectors).")
        angle: bool = Field(False, description="Mark the angle θ between the first two vectors and work "
                            "it out from u·v = |u||v| cos θ (beat show_angle).")

    params: Params
    #: Advice for keys authors reach for that this kind does not take.
    key_hints: ClassVar[dict[str, str]] = {
        "vector": "the arrows are `vectors:`, a list of [x, y] pairs, e.g. vectors: [[2, 1]]",
        "labels": "the arrows' LaTeX names are `names:`, e.g. names: ['\\mathbf{u}']",
        "dot": "`dot_product: true` projects the second vector onto the first",
        "length": "`modulus: true` works out each vector's length (beat show_length)",
        "norm": "`modulus: true` works out each vector's length (beat show_length)",
    }

    example = {"vectors": [[3, 1], [1, 2]], "names": [r"\mathbf{u}", r"\mathbf{v}"],
               "show_sum": True, "scale": -0.5, "dot_product": True}

    # -- numbers ---------------------------------------------------------------
    def _vectors(self) -> np.ndarray:
        return np.asarray(self.params.vectors, dtype=float)

    def _names(self) -> list[str]:
        given = list(self.params.names or [])
        n = len(self.params.vectors)
        return [given[i] if i < len(given) else
                (_DEFAULT_NAMES[i] if n <= len(_DEFAULT_NAMES) else rf"\mathbf{{v}}_{{{i + 1}}}")
                for i in range(n)]

    def _sum(self) -> np.ndarray:
        return self._vectors().sum(axis=0)

    def _projection(self):  # -> Projection | None
        vs = self._vectors()
        if not self.params.dot_product or len(vs) < 2:
            return None
        return project(vs[1], vs[0])

    def check(self):
        p = self.params
        if p.dot_product:
            if len(p.vectors) < 2:
                yield ("dot_product",), "the dot product needs two vectors (it projects the second onto the first)"
            else:
                try:
                    project(p.vectors[1], p.vectors[0])
                except ValueError as exc:
                    yield ("vectors", 0), f"cannot project onto the first vector: {exc}"
        if p.angle:
            if len(p.vectors) < 2:
                yield ("angle",), "the angle needs two vectors (it is measured between the first two)"
            else:
                try:
                    angle_between(p.vectors[0], p.vectors[1])
                except ValueError as exc:
                    yield ("vectors",), f"no angle: {exc}"
        if p.names is not None and len(p.names) > len(p.vectors):
            yield ("names",), (f"{len(p.names)} names for {len(p.vectors)} vectors; give at most one name "
                               "per vector, in the same order")

    def beats_off(self) -> dict[str, str]:
        """Beats that show nothing with these parameters, and the parameter that turns each off."""
        p = self.params
        off = {}
        if not p.show_sum or len(p.vectors) < 2:
            off["show_sum"] = "show_sum" if not p.show_sum else "vectors"
        if p.scale is None:
            off["scale"] = "scale"
        if not p.dot_product:
            off["show_dot"] = "dot_product"
            off["show_projection"] = "dot_product"
        if not p.modulus:
            off["show_length"] = "modulus"
        if not p.angle:
            off["show_angle"] = "angle"
        return off

    # -- building --------------------------------------------------------------
    def background_mobjects(self) -> list[Any]:
        return [self.plane, self.axis_names, self.ticks]

    def target(self, name: str) -> Any:
        if name.startswith("vector") and name[6:].isdigit():
            k = int(name[6:]) - 1
            return self.arrows[k] if 0 <= k < len(self.arrows) else None
        if name == "lengths":
            found = [self.panel_lines[k] for k in ("len0", "len1", "len2") if k in self.panel_lines]
            return mn.VGroup(*found) if found else None
        drawn = {"sum": "sum_arrow", "scaled": "scaled_arrow", "projection": "shadow", "angle": "arc"}
        if name in drawn:
            return getattr(self, drawn[name], None)
        return self.panel_lines.get({"dot": "dot", "shadow_length": "shadow", "cosine": "cos_worked",
                                     "vector_projection": "vector_projection"}.get(name, ""))

    def _must_show(self) -> np.ndarray:
        """The points the plane must show, shape (n, 2): the vectors, the origin, the sum, the scaled
        vector and the projection, as far as they are drawn."""
        p, vs = self.params, self._vectors()
        must_show = [vs, np.zeros((1, 2))]
        if p.show_sum and len(vs) > 1:
            must_show.append(np.cumsum(vs, axis=0))
        if p.scale is not None:
            must_show.append(vs[:1] * p.scale)
        proj = self._projection()
        if proj is not None:
            must_show.append(proj.vector[None, :])
        return np.vstack(must_show)

    def background(self) -> tuple[object, ...]:
        """The plane, fitted to what is drawn, and the axes' names: two segments whose planes come out
        the same continue one another."""
        return ("plane", fitted_ranges(self._must_show(), area=plane_area()), repr(self.params.axis_labels))

    def setup(self, scene: Any) -> None:
        p = self.params
        vs = self._vectors()
        names = self._names()
        proj = self._projection()
        self.plane = fitted_plane(self._must_show(), area=plane_area())
        self.origin = self.plane.c2p(0, 0)
        self.arrows = [arrow(self.origin, self.plane.c2p(*v), theme.color_at(i)) for i, v in enumerate(vs)]
        self.labels = [self._arrow_label(i, v, a) for i, (v, a) in enumerate(zip(vs, self.arrows))]
        self.shown: dict[str, Any] = {"vectors": vs.copy()}

        # The panel: the algebra, line by line, each line shown at its beat.
        lines: dict[str, Any] = {}
        for i, v in enumerate(vs):
            lines[f"v{i}"] = self.ctx.label(f"{names[i]} = {vector_tex(v)}", color=theme.color_at(i))
        if p.modulus:
            self.shown["lengths"] = []
            for i, v in enumerate(vs[:3]):
                length = modulus(v)
                self.shown["lengths"].append(length)
                squares = " + ".join(f"{_bracketed(x)}^2" for x in v)
                lines[f"len{i}"] = self.ctx.label(f"|{names[i]}| = \\sqrt{{{squares}}} = {fmt(length)}",
                                                  color=theme.color_at(i))
        if p.show_sum and len(vs) > 1:
            total = self._sum()
            self.shown["sum"] = total
            named = f"{p.sum_name} = " if p.sum_name else ""
            lines["sum"] = self.ctx.label(f"{named}{' + '.join(names)} = {vector_tex(total)}", color=theme.ACCENT)
        if p.scale is not None:
            scaled = vs[0] * p.scale
            self.shown["scaled"] = scaled
            named = f"{p.scaled_name} = " if p.scaled_name else ""
            lines["scale"] = self.ctx.label(f"{named}{fmt(p.scale)}\\,{names[0]} = {vector_tex(scaled)}",
                                   color=self._scale_color())
        if proj is not None:
            dot = float(np.dot(vs[0], vs[1]))
            self.shown["dot"] = dot
            self.shown["projection_length"] = proj.scalar
            self.shown["projection"] = proj.vector
            # Worked out: u·v = 3·1 + 1·2 = 5, then the shadow u·v / |u| = 5 / 3.16 = 1.58.
            lines["dot"] = self.ctx.label(f"{names[0]} \\cdot {names[1]} = {dot_terms_tex(vs[0], vs[1])} = {fmt(dot)}",
                                          color=theme.FOREGROUND)
            lines["shadow"] = self.ctx.label(
                f"\\frac{{{names[0]} \\cdot {names[1]}}}{{|{names[0]}|}} = "
                f"\\frac{{{fmt(dot)}}}{{{fmt(modulus(vs[0]))}}} = {fmt(proj.scalar)}",
                color=theme.ACCENT)
        if p.angle and len(vs) > 1:
            a = angle_between(vs[0], vs[1])
            self.shown["angle"] = a
            u_, v_ = names[0], names[1]
            lines["cos"] = self.ctx.label(f"\\cos\\theta = \\frac{{{u_} \\cdot {v_}}}{{|{u_}|\\,|{v_}|}}")
            lines["cos_worked"] = self.ctx.label(
                f"= \\frac{{{fmt(a.dot)}}}{{{fmt(a.lengths[0])} \\times {fmt(a.lengths[1])}}} = {fmt(a.cosine)}")
            lines["theta"] = self.ctx.label(f"\\theta = {fmt(a.degrees, 1)}^\\circ", color=theme.ACCENT)
        if proj is not None:
            uu = float(np.dot(vs[0], vs[0]))
            lines["vector_projection"] = self.ctx.label(
                f"\\frac{{{names[0]} \\cdot {names[1]}}}{{{names[0]} \\cdot {names[0]}}}\\,{names[0]} = "
                f"\\frac{{{fmt(self.shown['dot'])}}}{{{fmt(uu)}}}\\,{names[0]} = {vector_tex(proj.vector)}",
                color=theme.ACCENT)
        # Down the panel in the order the beats show them.
        order = ["dot", "cos", "cos_worked", "theta", "shadow", "vector_projection"]
        lines = {k: v for k, v in lines.items() if k not in order} | {k: lines[k] for k in order if k in lines}
        self.panel_lines = lines
        self.panel = panel_background()
        panel_column(list(lines.values()), buff=0.45)
        self.axis_names = axis_names(self.ctx, self.plane, p.axis_labels)
        self.ticks = self.ctx.axis_numbers(self.plane)  # coordinates can be counted off the axes
        scene.add(self.plane, self.panel)
        if self.context.continues:  # the segment before left this plane on screen
            scene.add(self.axis_names, self.ticks)

    def _scale_color(self) -> str:
        return theme.color_at(len(self.params.vectors))

    def _arrow_label(self, i: int, v: np.ndarray, arr: Any) -> Any:
        p = self.params
        tex = vector_tex(v) if p.show_coordinates else ""
        if p.names and i < len(p.names):
            tex = f"{p.names[i]} = {tex}" if tex else p.names[i]
        if not tex:
            return mn.VGroup()
        lab = self.ctx.label(tex, color=theme.color_at(i))
        others = [self.plane.c2p(*w) - self.origin for j, w in enumerate(self._vectors()) if j != i]
        if self.params.show_sum and len(self.params.vectors) > 1:
            others.append(self.plane.c2p(*self._sum()) - self.origin)
        at, buff = 0.55, 0.12
        if i == 0 and self._projection() is not None:
            # The shadow runs beside u, on the side away from v: the label goes beyond it.
            others = [self.plane.c2p(*self._vectors()[1]) - self.origin]
            buff = 0.42
        return label_beside(lab, self.origin, arr.get_end(), avoid=others, at=at, buff=buff)

    # -- beats -------------------------------------------------------------------
    @beat("Show the coordinate plane.")
    def show_plane(self, scene: Any):
        if not self.context.continues:
            yield mn.Create(self.plane, lag_ratio=0.05), mn.FadeIn(self.axis_names), mn.FadeIn(self.ticks)

    @beat("Draw each vector from the origin, with its coordinates.")
    def show_vectors(self, scene: Any):
        for i, (arr, lab) in enumerate(zip(self.arrows, self.labels)):
            yield mn.GrowArrow(arr), mn.FadeIn(lab), mn.FadeIn(self.panel_lines[f"v{i}"])

    @beat("Work out each vector's length by Pythagoras: its two legs, then |u| = √(x² + y²).")
    def show_length(self, scene: Any):
        if "lengths" not in self.shown:
            return
        self.legs = []
        for i, v in enumerate(self._vectors()[:3]):
            corner = self.plane.c2p(v[0], 0)
            legs = mn.VGroup(
                mn.DashedLine(self.origin, corner, stroke_color=theme.color_at(i), stroke_width=3, dash_length=0.1),
                mn.DashedLine(corner, self.plane.c2p(*v), stroke_color=theme.color_at(i), stroke_width=3,
                              dash_length=0.1))
            legs.set_z_index(-1)
            self.legs.append(legs)
            yield mn.Create(legs), mn.FadeIn(self.panel_lines[f"len{i}"])

    @beat("Move the vectors tip to tail and draw their sum.")
    def show_sum(self, scene: Any):
        if "sum" not in self.shown:
            return
        vs = self._vectors()
        start = vs[0].copy()
        for i, v in enumerate(vs[1:], start=1):
            copy = self.arrows[i].copy().set_opacity(0.6)
            copy.shift(self.plane.c2p(*start) - self.origin)
            yield mn.TransformFromCopy(self.arrows[i], copy)
            start = start + v
        total = self.shown["sum"]
        self.sum_arrow = arrow(self.origin, self.plane.c2p(*total), theme.ACCENT)
        sum_tex = vector_tex(total) if self.params.show_coordinates else ""
        if self.params.sum_name:
            sum_tex = f"{self.params.sum_name} = {sum_tex}" if sum_tex else self.params.sum_name
        self.sum_label = self.ctx.label(sum_tex, color=theme.ACCENT) if sum_tex else mn.VGroup()
        self.sum_label.next_to(self.sum_arrow.get_end(), unit_direction(total) + mn.RIGHT * 0.5, buff=0.15)
        yield mn.GrowArrow(self.sum_arrow), mn.FadeIn(self.sum_label), mn.FadeIn(self.panel_lines["sum"])

    @beat("Scale the first vector by the factor 'scale'.")
    def scale(self, scene: Any):
        if "scaled" not in self.shown:
            return
        scaled = self.shown["scaled"]
        self.scaled_arrow = arrow(self.origin, self.plane.c2p(*scaled), self._scale_color())
        self.scaled_arrow.set_z_index(-1)
        name = self._names()[0]
        factor = float(self.params.scale or 0.0)  # set: "scaled" is shown only with a scale
        self.scaled_label = self.ctx.label(self.params.scaled_name or f"{fmt(factor)}\\,{name}",
                                           color=self._scale_color())
        self.scaled_label.next_to(self.scaled_arrow.get_end(), unit_direction(scaled), buff=0.12)
        yield (mn.TransformFromCopy(self.arrows[0], self.scaled_arrow),
               mn.FadeIn(self.scaled_label), mn.FadeIn(self.panel_lines["scale"]))

    @beat("Work out the dot product u·v: matching coordinates multiplied and added.")
    def show_dot(self, scene: Any):
        if "dot" not in self.shown:
            return
        self._dot_shown = True
        yield mn.FadeIn(self.panel_lines["dot"], shift=0.1 * mn.UP)
        yield mn.Indicate(self.panel_lines["dot"], color=theme.ACCENT, scale_factor=1.05)

    @beat("Mark the angle θ between the first two vectors: cos θ = u·v / (|u||v|), then θ in degrees.")
    def show_angle(self, scene: Any):
        if "angle" not in self.shown:
            return
        vs = self._vectors()
        a0 = math.atan2(*(self.plane.c2p(*vs[0]) - self.origin)[1::-1])
        a1 = math.atan2(*(self.plane.c2p(*vs[1]) - self.origin)[1::-1])
        sweep = math.remainder(a1 - a0, 2 * math.pi)
        shortest = min(float(np.linalg.norm(self.plane.c2p(*v) - self.origin)) for v in vs[:2])
        radius = min(0.7, 0.45 * shortest)
        self.arc = mn.Arc(radius=radius, start_angle=a0, angle=sweep, arc_center=self.origin,
                          stroke_color=theme.ACCENT, stroke_width=4)
        mid = a0 + sweep / 2
        self.theta = self.ctx.label("\\theta", color=theme.ACCENT)
        self.theta.move_to(self.origin + (radius + 0.28) * np.array([math.cos(mid), math.sin(mid), 0.0]))
        yield mn.Create(self.arc), mn.FadeIn(self.theta), mn.FadeIn(self.panel_lines["cos"])
        yield mn.FadeIn(self.panel_lines["cos_worked"])
        yield mn.FadeIn(self.panel_lines["theta"])

    @beat("Project the second vector onto the first: the perpendicular drop, the shadow and u·v / |u|.")
    def show_projection(self, scene: Any):
        if "projection_length" not in self.shown:
            return
        vs = self._vectors()
        foot = self.plane.c2p(*self.shown["projection"])
        tip = self.plane.c2p(*vs[1])
        # The line through the first vector, faint, so a shadow beyond it has a track.
        d = unit_direction(vs[0])
        ends = clip_segment_to((self.plane.get_corner(mn.DL), self.plane.get_corner(mn.UR)), self.origin, d)
        assert ends is not None  # a line through the origin, which the plane always shows
        self.track = mn.DashedLine(*ends, stroke_color=theme.MUTED, stroke_width=1.5, dash_length=0.12)
        self.track.set_z_index(-2)
        self.drop = mn.DashedLine(tip, foot, stroke_color=theme.FOREGROUND, stroke_width=2.5,
                                  dash_length=0.1)
        # The shadow runs along the first vector, set off on the side away from the second.
        normal = np.array([-d[1], d[0], 0.0])
        if np.dot(normal, np.asarray(tip) - self.origin) > 0:
            normal = -normal
        off = normal * 0.16
        tick = normal * 0.1
        self.shadow = mn.VGroup(
            mn.Line(self.origin + off, foot + off, stroke_color=theme.ACCENT, stroke_width=7),
            mn.Line(self.origin + off - tick, self.origin + off + tick, stroke_color=theme.ACCENT, stroke_width=3),
            mn.Line(foot + off - tick, foot + off + tick, stroke_color=theme.ACCENT, stroke_width=3),
        )
        if np.linalg.norm(np.asarray(foot) - self.origin) < 1e-6:  # orthogonal: no shadow at all
            self.shadow = mn.VGroup(mn.Line(self.origin + off, foot + off, stroke_width=0))
        yield mn.Create(self.track)
        if np.linalg.norm(np.asarray(tip) - np.asarray(foot)) > 1e-6:
            sign = 1.0 if self.shown["projection_length"] >= 0 else -1.0
            self.mark = right_angle(foot, -sign * d, np.asarray(tip) - np.asarray(foot))
            yield mn.Create(self.drop), mn.Create(self.mark)
        if getattr(self, "_dot_shown", False):
            yield mn.Create(self.shadow)
        else:  # show_dot was left out: u·v comes with the shadow
            yield mn.Create(self.shadow), mn.FadeIn(self.panel_lines["dot"])
        yield mn.FadeIn(self.panel_lines["shadow"])
        yield mn.FadeIn(self.panel_lines["vector_projection"])


def _bracketed(x: float) -> str:
    """A number as a term of a sum of squares: negative ones in brackets."""
    text = fmt(x)
    return f"({text})" if text.startswith("-") else text
