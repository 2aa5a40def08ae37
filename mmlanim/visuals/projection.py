"""The ``projection`` visual: the orthogonal projection of a vector onto a line, the projection
vector λb itself, the residual at a right angle and the projection matrix."""

from __future__ import annotations

__all__ = ["Projection"]

from typing import Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._layout import (
    PANEL_CONTENT_Z,
    arrow,
    clip_segment_to,
    fitted_plane,
    fmt,
    label_beside,
    matrix_tex,
    panel_background,
    panel_column,
    plane_area,
    right_angle,
    take_on,
    unit_direction,
    vector_tex,
)
from ._types import Vector2
from .base import Visual, VisualParams, beat


class Projection(Visual, kind="projection"):
    """Orthogonal projection onto a line: the point of the line nearest x, the projection vector
    π(x) = λb, the residual x − π(x) at a right angle, and the projection matrix.

    The line is the span of b. A point slides along it to the one nearest x
    while ‖x − λb‖ falls (the least-squares view: λ minimises the distance), a
    right angle marks the foot, and the projection vector λb is drawn with λ =
    bᵀx / bᵀb. The residual x − π(x) is orthogonal to b, its length the
    reconstruction error; P = bbᵀ / bᵀb maps every x to π(x). Numbers from
    ``mmlanim.maths.project`` and ``project_onto_subspace``.
    """

    class Params(VisualParams):
        vector: Vector2 = Field(description="The vector x to project, as [x1, x2].")
        onto: Vector2 = Field(description="The vector b spanning the line (not zero).")
        names: list[str] = Field([r"\mathbf{x}", r"\mathbf{b}"], min_length=2, max_length=2,
                                 description="LaTeX names of x and b.")
        start: float = Field(0.0, description=(
            "λ where the sliding point starts its search along the line (beat 'search'; default 0, the origin)."))

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "vectors": "the vector projected is `vector:` and the line's direction `onto:`",
        "basis": "the line's direction is `onto:`, e.g. onto: [2, 1]",
    }

    example = {"vector": [1, 3], "onto": [3, 1]}

    def check(self):
        if not any(self.params.onto):
            yield ("onto",), "cannot project onto the zero vector: it spans no line"

    # -- building ------------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        from ..maths.linalg import project, project_onto_subspace

        p = self.params
        x, b = np.asarray(p.vector, dtype=float), np.asarray(p.onto, dtype=float)
        line = project(x, b)
        sub = project_onto_subspace(x, [b])
        lam = float(sub.coefficients[0])
        error = float(np.linalg.norm(sub.residual))
        self.lam, self.x, self.b = lam, x, b
        self.shown: dict[str, Any] = {"lambda": lam, "projection": line.vector, "residual": line.residual,
                                      "matrix": sub.matrix, "error": error}
        start = b * p.start
        self.plane = fitted_plane(np.vstack([x, b, line.vector, start, np.zeros(2)]), area=plane_area())
        c2p = self.plane.c2p
        o = np.asarray(c2p(0, 0))
        nx, nb = p.names
        self.ticks = self.ctx.axis_numbers(self.plane)
        self.x_arrow = arrow(o, c2p(*x), theme.color_at(0))
        self.b_arrow = arrow(o, c2p(*b), theme.color_at(1))
        self.x_label = label_beside(self.ctx.label(f"{nx} = {vector_tex(x)}", color=theme.color_at(0),
                                                   size=theme.SMALL_SIZE + 2),
                                    o, self.x_arrow.get_end(), avoid=[c2p(*b) - o], at=0.65)
        self.b_label = label_beside(self.ctx.label(f"{nb} = {vector_tex(b)}", color=theme.color_at(1),
                                                   size=theme.SMALL_SIZE + 2),
                                    o, self.b_arrow.get_end(), avoid=[c2p(*x) - o], at=0.75, buff=0.3)
        d = unit_direction(p.onto)
        ends = clip_segment_to((self.plane.get_corner(mn.DL), self.plane.get_corner(mn.UR)), o, d)
        assert ends is not None  # a line through the origin, which the plane shows
        self.track = mn.Line(*ends, stroke_color=theme.color_at(1), stroke_width=2, stroke_opacity=0.6)
        self.track.set_z_index(-1)
        foot, tip = np.asarray(c2p(*line.vector)), np.asarray(c2p(*x))
        self.foot = foot
        # The search: a point on the line and its distance to x's tip.
        self.seeker = mn.Dot(c2p(*start), radius=theme.DOT_RADIUS * 1.6, color=theme.FOREGROUND).set_z_index(6)
        self.reach = mn.DashedLine(c2p(*start), tip, stroke_color=theme.FOREGROUND, stroke_width=2.5,
                                   dash_length=0.1).set_z_index(4)
        if np.linalg.norm(tip - foot) > 1e-6:
            self.mark = right_angle(foot, (-1 if lam >= 0 else 1) * d, tip - foot, size=0.22)
        else:  # x is on the line: no drop, no right angle
            self.mark = mn.VGroup()
        self.drop = mn.DashedLine(foot, tip, stroke_color=theme.FOREGROUND, stroke_width=2.5, dash_length=0.1)
        self.proj_arrow = arrow(o, foot, theme.ACCENT, stroke_width=theme.STROKE_WIDTH + 1).set_z_index(5)
        self.proj_label = label_beside(self.ctx.label(rf"\pi({nx}) = {fmt(lam)}\,{nb}", color=theme.ACCENT,
                                                      size=theme.SMALL_SIZE + 2),
                                       o, foot, avoid=[tip - o], at=0.5, buff=0.3)
        self.residual_arrow = arrow(foot, tip, theme.color_at(4)).set_z_index(5)
        self.residual_label = label_beside(self.ctx.label(rf"{nx} - \pi({nx})", color=theme.color_at(4),
                                                          size=theme.SMALL_SIZE + 2),
                                           foot, tip, avoid=[o - foot], at=0.5)
        # The panel.
        self.readout_lambda = self.ctx.number(p.start, 2, color=theme.FOREGROUND)
        self.readout_distance = self.ctx.number(float(np.linalg.norm(x - start)), 2, color=theme.FOREGROUND)
        search = mn.VGroup(self.ctx.label(r"\lambda ="), self.readout_lambda,
                           self.ctx.label(rf",\quad \|{nx} - \lambda {nb}\| ="), self.readout_distance)
        search.arrange(mn.RIGHT, buff=0.1)
        dot_xb, dot_bb = float(b @ x), float(b @ b)
        lines = {
            "search": search,
            "lambda": self.ctx.label(rf"\lambda = \frac{{{nb}^\top {nx}}}{{{nb}^\top {nb}}} = "
                                     rf"\frac{{{fmt(dot_xb)}}}{{{fmt(dot_bb)}}} = {fmt(lam)}", color=theme.ACCENT),
            "projection": self.ctx.label(rf"\pi({nx}) = \lambda {nb} = {vector_tex(line.vector)}", color=theme.ACCENT),
            "residual": self.ctx.label(rf"{nx} - \pi({nx}) = {vector_tex(line.residual)}", color=theme.color_at(4)),
            "orthogonal": self.ctx.label(rf"{nb}^\top({nx} - \pi({nx})) = {fmt(float(b @ line.residual))}"),
            "error": self.ctx.label(rf"\|{nx} - \pi({nx})\| = {fmt(error)}"),
            "matrix": self.ctx.label(rf"P = \frac{{{nb}{nb}^\top}}{{{nb}^\top {nb}}} = {matrix_tex(sub.matrix)}",
                                     color=theme.color_at(2)),
            "apply": self.ctx.label(rf"P{nx} = {vector_tex(sub.matrix @ x)},\ \ P^2 = P", color=theme.color_at(2)),
        }
        self.panel_lines = lines
        panel_column(list(lines.values()), buff=0.3)
        self.panel = panel_background()
        self._searched = False
        scene.add(self.panel)

    # -- beats -------------------------------------------------------------------
    @beat("Show the plane.")
    def show_plane(self, scene: Any):
        yield mn.Create(self.plane, lag_ratio=0.05), mn.FadeIn(self.ticks)

    @beat("Draw x, and b with the line it spans.")
    def show_vectors(self, scene: Any):
        yield mn.GrowArrow(self.x_arrow), mn.FadeIn(self.x_label)
        yield mn.GrowArrow(self.b_arrow), mn.FadeIn(self.b_label), mn.Create(self.track)

    @beat("Slide a point λb along the line to the one nearest x: the distance ‖x − λb‖ falls to its minimum.")
    def search(self, scene: Any):
        self._searched = True
        c2p, x, b, start = self.plane.c2p, self.x, self.b, self.params.start
        tip = np.asarray(c2p(*x))

        def slide(group: Any, alpha: float) -> None:
            lam = start + (self.lam - start) * mn.smooth(alpha)
            at = np.asarray(c2p(*(lam * b)))
            group[0].move_to(at)
            take_on(group[1], mn.DashedLine(at, tip, stroke_color=theme.FOREGROUND, stroke_width=2.5,
                                          dash_length=0.1).set_z_index(4))
            for number, value in ((group[2], lam), (group[3], float(np.linalg.norm(x - lam * b)))):
                if isinstance(number, mn.DecimalNumber):  # digits re-made: keep them above the panel
                    number.set_value(value).set_z_index(PANEL_CONTENT_Z)

        # The point, its distance and the readout are on screen from the first frame of the slide.
        scene.add(self.seeker, self.reach)
        moving = mn.VGroup(self.seeker, self.reach, self.readout_lambda, self.readout_distance)
        yield mn.UpdateFromAlphaFunc(moving, slide, rate_func=mn.linear), mn.FadeIn(self.panel_lines["search"][::2])
        yield mn.Create(self.mark)

    @beat("Drop x perpendicularly onto the line and draw the projection π(x) = λb, with λ = bᵀx / bᵀb.")
    def show_projection(self, scene: Any):
        gone = (mn.FadeOut(self.seeker), mn.FadeOut(self.reach)) if self._searched else ()
        marked = () if self._searched else (mn.Create(self.mark),)
        yield (*gone, mn.Create(self.drop), *marked, mn.GrowArrow(self.proj_arrow), mn.FadeIn(self.proj_label),
               mn.FadeIn(self.panel_lines["lambda"]))
        yield mn.FadeIn(self.panel_lines["projection"])

    @beat("The residual x − π(x): orthogonal to b, its length the reconstruction error.")
    def show_error(self, scene: Any):
        yield (mn.GrowArrow(self.residual_arrow), mn.FadeIn(self.residual_label),
               mn.FadeIn(self.panel_lines["residual"]), mn.FadeIn(self.panel_lines["orthogonal"]))
        yield mn.FadeIn(self.panel_lines["error"])

    @beat("The projection matrix P = bbᵀ / bᵀb, which maps x to π(x).")
    def show_matrix(self, scene: Any):
        yield mn.FadeIn(self.panel_lines["matrix"])
        yield mn.FadeIn(self.panel_lines["apply"]), mn.Indicate(self.proj_arrow, color=theme.ACCENT)
