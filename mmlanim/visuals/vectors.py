"""The ``vectors`` visual: arrows on a plane fitted to them, with coordinates and their sum."""

from __future__ import annotations

__all__ = ["Vectors"]

from typing import Annotated, Any

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._layout import fitted_plane, vector_tex
from .base import Visual, VisualParams, beat

Vector2 = Annotated[list[float], Field(min_length=2, max_length=2)]


class Vectors(Visual, kind="vectors"):
    """Vectors as arrows from the origin, labelled with their coordinates, and their sum tip to tail.

    The plane fits itself to the vectors and their sum, so nothing is off screen.
    """

    class Params(VisualParams):
        vectors: list[Vector2] = Field(min_length=1, max_length=8,
                                       description="The vectors to draw, as [x, y] pairs.")
        names: list[str] | None = Field(None, description="LaTeX names of the vectors, "
                                        "e.g. ['\\\\mathbf{u}', '\\\\mathbf{v}'] (default: coordinates only).")
        show_coordinates: bool = Field(True, description="Label each arrow with its coordinates.")
        show_sum: bool = Field(True, description="Add the vectors tip to tail and draw their sum.")

    example = {"vectors": [[2, 1], [-1, 2]], "show_sum": True}

    def _sum(self) -> np.ndarray:
        return np.asarray(self.params.vectors, dtype=float).sum(axis=0)

    def setup(self, scene: Any) -> None:
        p = self.params
        vs = np.asarray(p.vectors, dtype=float)
        tips = np.cumsum(vs, axis=0) if p.show_sum else vs
        self.plane = fitted_plane(np.vstack([vs, tips]))
        origin = self.plane.c2p(0, 0)
        self.arrows = [mn.Arrow(origin, self.plane.c2p(*v), buff=0, color=theme.color_at(i))
                       for i, v in enumerate(vs)]
        self.labels = [self._label(i, v, arrow) for i, (v, arrow) in enumerate(zip(vs, self.arrows))]
        scene.add(self.plane)

    def _label(self, i: int, v: np.ndarray, arrow: Any) -> Any:
        p = self.params
        tex = vector_tex(v) if p.show_coordinates else ""
        if p.names and i < len(p.names):
            tex = f"{p.names[i]} = {tex}" if tex else p.names[i]
        if not tex:
            return mn.VGroup()
        label = mn.MathTex(tex, color=theme.color_at(i), font_size=theme.LABEL_SIZE)
        direction = v / (np.linalg.norm(v) or 1.0)
        label.next_to(arrow.get_end(), [direction[0], direction[1], 0], buff=0.15)
        return label

    @beat("Show the coordinate plane.")
    def show_plane(self, scene: Any):
        yield mn.Create(self.plane, lag_ratio=0.05)

    @beat("Draw each vector from the origin, with its coordinates.")
    def show_vectors(self, scene: Any):
        for arrow, label in zip(self.arrows, self.labels):
            yield mn.GrowArrow(arrow), mn.FadeIn(label)

    @beat("Move the vectors tip to tail and draw their sum.")
    def show_sum(self, scene: Any):
        if not self.params.show_sum or len(self.arrows) < 2:
            return
        moved = []
        start = np.asarray(self.params.vectors[0], dtype=float)
        for i, v in enumerate(self.params.vectors[1:], start=1):
            copy = self.arrows[i].copy().set_opacity(0.8)
            moved.append(copy)
            yield mn.TransformFromCopy(self.arrows[i], copy.shift(self.plane.c2p(*start) - self.plane.c2p(0, 0)))
            start = start + np.asarray(v, dtype=float)
        total = self._sum()
        self.sum_arrow = mn.Arrow(self.plane.c2p(0, 0), self.plane.c2p(*total), buff=0, color=theme.ACCENT)
        label = mn.MathTex(vector_tex(total), color=theme.ACCENT, font_size=theme.LABEL_SIZE)
        label.next_to(self.sum_arrow.get_end(), mn.RIGHT, buff=0.15)
        yield mn.GrowArrow(self.sum_arrow), mn.FadeIn(label)
