"""The ``linear_map`` visual: a 2×2 matrix applied to the plane (grid, unit square, vectors,
eigen-directions), composed with another and undone by its inverse."""

from __future__ import annotations

__all__ = ["LinearMap"]

from typing import Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ..maths.linalg import determinant, eigen, inverse, matrix_product
from ._layout import (
    arrow,
    clip_segment_to,
    covering_plane,
    fitted_plane,
    fmt,
    label_beside,
    matrix_tex,
    panel_background,
    panel_column,
    place_lines,
    plane_area,
    straight_lines,
    unit_direction,
    vector_tex,
)
from ._types import Matrix2, Vector2
from .base import Visual, VisualParams, beat, too_large_to_draw

_E1, _E2 = theme.PALETTE[0], theme.PALETTE[1]          # the basis vectors and their images
_SQUARE, _FLIPPED = theme.PALETTE[2], theme.PALETTE[4]  # the unit square's shade; when orientation flips
_EIGEN = theme.PALETTE[5]
_VECTOR_COLOURS = (theme.ACCENT, theme.PALETTE[3], theme.PALETTE[6])
_MOVING_GRID = {
    "background_line_style": {"stroke_color": theme.PALETTE[0], "stroke_width": 1.5, "stroke_opacity": 0.55},
    "axis_config": {"stroke_color": theme.PALETTE[0], "stroke_width": 2.5},
    "faded_line_ratio": 1,
}
#: Below this |det| (relative to the entries' size) the map counts as singular.
_SINGULAR = 1e-12


class LinearMap(Visual, kind="linear_map"):
    """A 2×2 matrix applied to the plane: the grid and the unit square morph, vectors go to their images.

    The columns of A are where the basis vectors land. The unit square's
    image is shaded, its signed area is det A (from
    ``mmlanim.maths.determinant``): a negative determinant flips the
    orientation (shown in another colour, and said), a zero one collapses
    the plane onto a line. Chosen vectors v are drawn next to their images
    Av. The eigen-directions (``mmlanim.maths.eigen``) are drawn as lines
    that the map keeps, with their λ; complex eigenvalues are said to leave
    no real eigen-direction. With ``then:`` a second matrix B is applied
    after A (the product BA), and then in the other order, AB, to show that
    they differ; ``show_inverse`` undoes the map with its inverse.
    """

    class Params(VisualParams):
        matrix: Matrix2 = Field(description="The matrix A, as rows [[a, b], [c, d]]: "
                                "A e1 = (a, c) and A e2 = (b, d).")
        name: str = Field("A", description="LaTeX name of the matrix.")
        vectors: list[Vector2] = Field([], max_length=3, description="Vectors v drawn with their images A v.")
        vector_names: list[str] | None = Field(None, max_length=3, description=(
            "LaTeX names of the vectors (default v, w, u in bold)."))
        spans: bool = Field(False, description="Draw each vector's span (the line through it) and its image's.")
        eigen: bool = Field(True, description="Show the eigen-directions with their λ (beat show_eigen).")
        then: Matrix2 | None = Field(None, description="A second matrix B applied after A (beats compose, "
                                     "commute).")
        then_name: str = Field("B", description="LaTeX name of the second matrix.")
        show_inverse: bool = Field(False, description="Undo the map with its inverse (beat invert).")

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "basis": "linear_map moves the vectors: give the matrix as rows with `matrix:`",
        "names": "name the matrix with `name:` and the vectors with `vector_names:`",
        "B": "a second matrix is `then:`",
    }
    example = {"matrix": [[2, 1], [1, 2]], "vectors": [[1, 0.5]], "spans": True,
               "then": [[0, -1], [1, 0]], "show_inverse": True}

    # -- checks ------------------------------------------------------------------
    def check(self):
        p = self.params
        if p.vector_names is not None and len(p.vector_names) != len(p.vectors):
            yield ("vector_names",), f"name the {len(p.vectors)} vectors: {len(p.vector_names)} names given"
        for key, m in (("matrix", p.matrix), ("then", p.then)):
            if m is None:
                continue
            problem = too_large_to_draw(m, " (an entry of the matrix)")
            if problem:
                yield (key,), problem
                return
        corners = self._must_show()
        problem = too_large_to_draw(corners, " (a point drawn on the plane)")
        if problem:
            yield ("matrix",), problem

    def beats_off(self) -> dict[str, str]:
        off = {}
        if not self.params.vectors:
            off["show_vectors"] = "vectors"
        if not self.params.eigen:
            off["show_eigen"] = "eigen"
        if self.params.then is None:
            off["compose"] = off["commute"] = "then"
        if not self.params.show_inverse:
            off["invert"] = "show_inverse"
        return off

    def background(self) -> tuple[object, ...]:
        p = self.params
        return ("linear_map", repr(p.matrix), repr(p.vectors), repr(p.then))

    # -- numbers (maths only) -------------------------------------------------------
    def _a(self) -> np.ndarray:
        return np.asarray(self.params.matrix, dtype=float)

    def _totals(self) -> dict[str, np.ndarray]:
        """The maps the picture passes through: A, then BA and AB with ``then``."""
        A = self._a()
        out = {"A": A}
        if self.params.then is not None:
            B = np.asarray(self.params.then, dtype=float)
            out["BA"] = matrix_product(B, A)
            out["AB"] = matrix_product(A, B)
            out["B"] = B
        return out

    def _total_singular(self) -> bool:
        totals = self._totals()
        last = totals["AB"] if "AB" in totals else totals["A"]
        return determinant(last) == 0.0 or abs(determinant(last)) < _SINGULAR * max(1.0, np.abs(last).max()) ** 2

    def _must_show(self) -> np.ndarray:
        square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
        pts = [square]
        vs = np.asarray(self.params.vectors, dtype=float).reshape(-1, 2)
        for M in self._totals().values():
            pts += [square @ M.T, vs @ M.T]
        pts.append(vs)
        if self.params.eigen:
            eig = eigen(self._a())
            if not eig.is_complex:
                for k in range(2):
                    x, lam = np.real(eig.vectors[:, k]), float(np.real(eig.values[k]))
                    pts.append(np.array([x, lam * x, x * max(abs(lam), 1.0) * 1.15]))
        return np.vstack(pts)

    # -- building ------------------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        p = self.params
        A = self._a()
        self.A = A
        self.det = determinant(A)
        self.shown: dict[str, Any] = {"matrix": A, "det": self.det}
        self.plane = fitted_plane(self._must_show(), area=plane_area())
        self.origin = self.plane.c2p(0, 0)
        self.ticks = self.ctx.axis_numbers(self.plane)
        self.grid = self.plane  # the standard grid stays, with its tick numbers
        (lo0, hi0, _), (lo1, hi1, _) = self.plane.x_range, self.plane.y_range  # the plane's box: the grid is cut to it
        box = np.array([[lo0, lo1], [lo0, hi1], [hi0, lo1], [hi0, hi1]])
        pre = [box]
        for M in self._totals().values():
            if abs(np.linalg.det(M)) > 1e-9:
                pre.append(box @ inverse(M).T)
        pre_all = np.vstack(pre)
        # The moving grid: every line the maps need, each shown cut to the plane's box (not across its
        # tick numbers or past its axes), as its image under the map on screen.
        covering = covering_plane(self.plane, (pre_all.min(axis=0), pre_all.max(axis=0)), style=_MOVING_GRID)
        self.grid_box = (self.plane.c2p(self.plane.x_range[0], self.plane.y_range[0]),
                         self.plane.c2p(self.plane.x_range[1], self.plane.y_range[1]))
        self.moving_grid = place_lines(straight_lines(covering), np.eye(2), self.origin, self.grid_box)
        self.moving_grid.set_z_index(1)

        # The unit square, the basis vectors and the vectors, before and after each map.
        self.square = self._square(np.eye(2))
        self.e_arrows = [self._arrow(e, c).set_z_index(4) for e, c in zip(np.eye(2), (_E1, _E2))]
        self.e_labels = [self.ctx.label(n, color=c).set_z_index(5) for n, c in
                         ((r"\mathbf{e}_1", _E1), (r"\mathbf{e}_2", _E2))]
        for lab, e, other in zip(self.e_labels, np.eye(2), np.eye(2)[::-1]):
            label_beside(lab, self.origin, self.plane.c2p(*e), avoid=[self.plane.c2p(*other) - self.origin])
        vs = np.asarray(p.vectors, dtype=float).reshape(-1, 2)
        self.vs = vs
        names = p.vector_names or [r"\mathbf{v}", r"\mathbf{w}", r"\mathbf{u}"][:len(vs)]
        self.v_names = names
        self.v_arrows = [self._arrow(v, _VECTOR_COLOURS[i]).set_z_index(6) for i, v in enumerate(vs)]
        self.v_labels = [self.ctx.label(n, color=_VECTOR_COLOURS[i]).set_z_index(7)
                         .next_to(self.plane.c2p(*v), unit_direction(list(v)), buff=0.1) for i, (n, v) in
                         enumerate(zip(names, vs))]
        self.v_ghosts = [mn.DashedVMobject(a.copy().set_stroke(opacity=0.6), num_dashes=12).set_z_index(5)
                         for a in self.v_arrows]
        self.spans = [self._line_through(v, theme.MUTED) for v in vs]
        # After A: targets computed from A (read back by the tests).
        self.after: dict[str, dict[str, Any]] = {}
        for key, M in self._totals().items():
            self.after[key] = self._images(M, key)

        # Eigen-directions.
        self.eig = eigen(A)
        self.eigen_x: list[np.ndarray] = []
        self.eigen_lines: list[Any] = []
        self.eigen_arrows: list[Any] = []
        self.eigen_targets: list[Any] = []
        self.eigen_labels: list[Any] = []
        if p.eigen and not self.eig.is_complex:
            directions: list[np.ndarray] = []
            for k in range(2):
                x, lam = np.real(self.eig.vectors[:, k]), float(np.real(self.eig.values[k]))
                if any(abs(abs(float(np.dot(x, d))) - 1) < 1e-9 for d in directions):
                    continue  # a repeated direction (a shear, or λ I)
                directions.append(x)
                self.eigen_x.append(x)
                self.eigen_lines.append(self._line_through(x, _EIGEN, dashed=False, width=3))
                self.eigen_arrows.append(self._arrow(x, _EIGEN).set_z_index(6))
                self.eigen_targets.append(self._arrow(lam * x, _EIGEN).set_z_index(6))
                lab = self.ctx.label(rf"\lambda_{k + 1} = {fmt(lam)}", color=_EIGEN, size=theme.SMALL_SIZE + 4)
                tip = self.plane.c2p(*(x * max(abs(lam), 1.0)))
                others = [self.plane.c2p(*v) - self.origin for v in self.vs]
                label_beside(lab, self.origin, tip, avoid=others, at=0.85, buff=0.15).set_z_index(7)
                self.eigen_labels.append(lab)
        self.shown["eigen"] = self.eig
        # A singular map squashes the plane onto the line of its columns (or onto the origin).
        self.collapse_line: Any = None
        if self.det == 0 and np.abs(A).max() > 0:
            column = A[:, int(np.argmax(np.linalg.norm(A, axis=0)))]
            self.collapse_line = self._line_through(column, theme.ACCENT, dashed=False, width=4)

        self._panel(scene)
        scene.add(self.panel)
        if self.context.continues:
            scene.add(self.grid, self.ticks)

    def _arrow(self, v: Any, colour: str) -> Any:
        v = np.asarray(v, dtype=float)
        if np.linalg.norm(v) < 1e-9:  # collapsed to the origin
            return mn.Dot(self.origin, radius=theme.DOT_RADIUS, color=colour)
        return arrow(self.origin, self.plane.c2p(*v), colour)

    def _square(self, M: np.ndarray, colour: str = _SQUARE) -> Any:
        corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float) @ M.T
        poly = mn.Polygon(*(self.plane.c2p(*c) for c in corners), stroke_color=colour, stroke_width=3,
                          fill_color=colour, fill_opacity=0.35)
        return poly.set_z_index(2)

    def _line_through(self, d: Any, colour: str, *, dashed: bool = True, width: float = 2.5) -> Any:
        """The line through the origin along ``d``, across the plane."""
        d = np.asarray(d, dtype=float)
        if np.linalg.norm(d) < 1e-9:
            return mn.VGroup()
        corners = (self.plane.c2p(self.plane.x_range[0], self.plane.y_range[0]),
                   self.plane.c2p(self.plane.x_range[1], self.plane.y_range[1]))
        ends = clip_segment_to(corners, self.origin, self.plane.c2p(*d) - self.origin)
        if ends is None or np.linalg.norm(d) < 1e-9:
            return mn.VGroup()
        line = mn.Line(*ends, stroke_color=colour, stroke_width=width)
        return (mn.DashedVMobject(line, num_dashes=40) if dashed else line).set_z_index(3)

    def _images(self, M: np.ndarray, key: str) -> dict[str, Any]:
        det = determinant(M)
        flipped = det < 0
        return {
            "matrix": M,
            "det": det,
            "square": self._square(M, _FLIPPED if flipped else _SQUARE),
            "e": [self._arrow(M @ e, c).set_z_index(4) for e, c in zip(np.eye(2), (_E1, _E2))],
            "v": [self._arrow(M @ v, _VECTOR_COLOURS[i]).set_z_index(6) for i, v in enumerate(self.vs)],
            "images": [M @ v for v in self.vs],
            "spans": [self._line_through(M @ v, _VECTOR_COLOURS[i]) for i, v in enumerate(self.vs)],
        }

    def _panel(self, scene: Any) -> None:
        p, A, name = self.params, self.A, self.params.name
        lines: dict[str, Any] = {}
        lines["matrix"] = self.ctx.label(f"{name} = {matrix_tex(A)}")
        lines["columns"] = self.ctx.label([rf"{name}\mathbf{{e}}_1 = {vector_tex(A[:, 0])}", r",\;",
                                           rf"{name}\mathbf{{e}}_2 = {vector_tex(A[:, 1])}"])
        if self.ctx.draw_text:
            lines["columns"][0].set_color(_E1)
            lines["columns"][2].set_color(_E2)
        for i, (v, n) in enumerate(zip(self.vs, self.v_names)):
            Av = self.after["A"]["images"][i]
            lines[f"v{i}"] = self.ctx.label(f"{name}{n} = {matrix_tex(A)}{vector_tex(v)} = {vector_tex(Av)}",
                                            color=_VECTOR_COLOURS[i])
        a, b, c, d = A.ravel()
        det_tex = rf"\det {name} = {fmt(a)}\cdot{_par(d)} - {_par(b)}\cdot{_par(c)} = {fmt(self.det)}"
        lines["det"] = self.ctx.label(det_tex, color=theme.ACCENT)
        if self.det == 0:
            what = r"\text{the plane collapses onto a line}"
        elif self.det < 0:
            what = rf"\text{{area }} {fmt(abs(self.det))}\text{{, orientation flipped}}"
        else:
            what = rf"\text{{areas scale by }} {fmt(self.det)}"
        lines["area"] = self.ctx.label(what, color=_FLIPPED if self.det < 0 else theme.FOREGROUND,
                                       size=theme.SMALL_SIZE + 4)
        if p.eigen:
            if self.eig.is_complex:
                z = self.eig.values[0]
                lines["eigen"] = self.ctx.label(
                    rf"\lambda = {fmt(z.real)} \pm {fmt(abs(z.imag))}i\text{{: no real eigen-directions}}",
                    color=_EIGEN, size=theme.SMALL_SIZE + 4)
            else:
                parts = [rf"\lambda_{k + 1} = {fmt(float(lam))}:\ {name}\mathbf{{x}} = {_times(float(lam))}\mathbf{{x}}"
                         rf"\text{{ for }}\mathbf{{x}} = {vector_tex(np.real(self.eig.vectors[:, k]))}"
                         for k, lam in enumerate(self.eig.values)]
                lines["eigen"] = mn.VGroup(*(self.ctx.label(t, color=_EIGEN, size=theme.SMALL_SIZE + 4)
                                             for t in parts)).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.2)
        if p.then is not None:
            B, BA, AB = self._totals()["B"], self._totals()["BA"], self._totals()["AB"]
            bn = p.then_name
            lines["then"] = self.ctx.label(f"{bn} = {matrix_tex(B)},\\quad {bn}{name} = {matrix_tex(BA)}")
            relation = "=" if np.allclose(AB, BA) else r"\neq"
            lines["commute"] = self.ctx.label(f"{name}{bn} = {matrix_tex(AB)} {relation} {bn}{name}",
                                              color=theme.ACCENT)
        if p.show_inverse:
            last = self._totals()["AB"] if p.then is not None else A
            inv_name = f"({name}{p.then_name})" if p.then is not None else name
            if self._total_singular():
                lines["inverse"] = self.ctx.label(r"\text{no inverse: it cannot be undone}", color=_FLIPPED,
                                                  size=theme.SMALL_SIZE + 4)
            else:
                self.shown["inverse"] = inverse(last)
                lines["inverse"] = self.ctx.label(f"{inv_name}^{{-1}} = {matrix_tex(inverse(last), exact=True)}",
                                                  color=theme.ACCENT)
        self.panel_lines = lines
        self.panel = panel_background()
        panel_column(list(lines.values()), buff=0.35)

    # -- beats ---------------------------------------------------------------------------
    @beat("Show the plane with its tick numbers, the basis vectors e1, e2 and the unit square.")
    def show_plane(self, scene: Any):
        if not self.context.continues:
            yield mn.Create(self.grid, lag_ratio=0.02), mn.FadeIn(self.ticks)
        yield (mn.FadeIn(self.square), *(mn.GrowArrow(a) for a in self.e_arrows),
               *(mn.FadeIn(lab) for lab in self.e_labels))

    @beat("Show the matrix, and where its columns say e1 and e2 go.")
    def show_matrix(self, scene: Any):
        yield mn.FadeIn(self.panel_lines["matrix"])
        yield mn.FadeIn(self.panel_lines["columns"])

    @beat("Draw the chosen vectors (and their spans).")
    def show_vectors(self, scene: Any):
        if not self.vs.size:
            return
        anims = [mn.GrowArrow(a) for a in self.v_arrows] + [mn.FadeIn(lab) for lab in self.v_labels]
        if self.params.spans:
            anims += [mn.Create(s) for s in self.spans]
        yield tuple(anims)

    @beat("Draw the eigen-directions, the lines the map keeps (or say there are none).")
    def show_eigen(self, scene: Any):
        if not self.params.eigen:
            return
        if self.eigen_lines:
            yield tuple(mn.Create(line) for line in self.eigen_lines) + tuple(
                mn.GrowArrow(a) for a in self.eigen_arrows)
        yield mn.FadeIn(self.panel_lines["eigen"])

    @beat("Apply the matrix: the grid, the unit square, the basis vectors and the vectors move.")
    def apply(self, scene: Any):
        steps = list(self._apply("A", np.eye(2)))
        # The eigenvectors move with everything else, and stay on their lines, stretched by λ.
        steps[1] = (*steps[1], *(mn.Transform(a, t) for a, t in zip(self.eigen_arrows, self.eigen_targets)))
        yield from steps
        if self.eigen_labels:
            yield tuple(mn.FadeIn(lab) for lab in self.eigen_labels)

    def _apply(self, key: str, before: np.ndarray):
        """Morph to the total map ``key`` (from the map ``before`` on screen): grid, square, e1, e2, vectors."""
        after = self.after[key]
        first = key == "A" and np.allclose(before, np.eye(2))
        if first:
            anims: list[Any] = [mn.FadeIn(self.moving_grid), *(mn.FadeOut(lab) for lab in self.e_labels)]
            anims += [mn.FadeIn(g) for g in self.v_ghosts]
            yield tuple(anims)
        anims = [self._morph_grid(before, after["matrix"]), mn.Transform(self.square, after["square"])]
        anims += [mn.Transform(a, t) for a, t in zip(self.e_arrows, after["e"])]
        anims += [mn.Transform(a, t) for a, t in zip(self.v_arrows, after["v"])]
        new_labels = []
        for i, (lab, img) in enumerate(zip(self.v_labels, after["images"])):
            target = self.ctx.label(f"{self._current_name(key)}{self.v_names[i]}",
                                    color=_VECTOR_COLOURS[i]).set_z_index(7)
            target.next_to(self.plane.c2p(*img), unit_direction(img) if np.linalg.norm(img) > 1e-9 else mn.UR,
                           buff=0.1)
            new_labels.append(target)
            anims.append(mn.ReplacementTransform(lab, target))
        self.v_labels = new_labels
        if self.params.spans and first:
            anims += [mn.Create(s) for s in after["spans"]]
        yield tuple(anims)
        if first and len(self.vs):
            yield tuple(mn.FadeIn(self.panel_lines[f"v{i}"]) for i in range(len(self.vs)))

    def _morph_grid(self, before: np.ndarray, after: np.ndarray) -> Any:
        """The moving grid going from its image under ``before`` to its image under ``after``, through the
        maps between them (a line's points move straight, as a Transform moves them), cut to the box."""
        before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)

        def place(grid: Any, alpha: float) -> None:
            place_lines(grid, before + alpha * (after - before), self.origin, self.grid_box)

        return mn.UpdateFromAlphaFunc(self.moving_grid, place)

    def _eigen_directions(self) -> list[np.ndarray]:
        return self.eigen_x

    def _current_name(self, key: str) -> str:
        p = self.params
        return {"A": p.name, "BA": p.then_name + p.name, "AB": p.name + p.then_name, "B": p.then_name}.get(key, "")

    @beat("Shade the unit square's image: its signed area is det A (a flip or a collapse is said).")
    def show_area(self, scene: Any):
        if self.collapse_line is not None:
            yield mn.Create(self.collapse_line), mn.FadeIn(self.panel_lines["det"])
        else:
            yield mn.Indicate(self.square, color=theme.ACCENT, scale_factor=1.05), mn.FadeIn(self.panel_lines["det"])
        yield mn.FadeIn(self.panel_lines["area"])

    @beat("Apply the second matrix B after A: the total map is BA.")
    def compose(self, scene: Any):
        if self.params.then is None:
            return
        eigen_shapes = [*self.eigen_lines, *self.eigen_arrows, *self.eigen_labels]
        if eigen_shapes:  # they belong to A alone
            yield tuple(mn.FadeOut(m) for m in eigen_shapes)
            self.eigen_arrows, self.eigen_lines, self.eigen_labels = [], [], []
        yield mn.FadeIn(self.panel_lines["then"])
        yield from self._apply("BA", self.A)

    @beat("Start again and apply B first, then A: AB lands elsewhere, AB ≠ BA.")
    def commute(self, scene: Any):
        if self.params.then is None:
            return
        ghost = self.after["BA"]["square"].copy().set_fill(opacity=0.0).set_stroke(opacity=0.8)
        ghost = mn.DashedVMobject(ghost, num_dashes=24).set_z_index(2)
        self.ghost = ghost
        yield mn.FadeIn(ghost)
        yield from self._apply("B", self._totals()["BA"])
        yield from self._apply("AB", self._totals()["B"])
        yield mn.FadeIn(self.panel_lines["commute"])

    @beat("Undo the map with its inverse: everything returns to where it started.")
    def invert(self, scene: Any):
        if not self.params.show_inverse:
            return
        yield mn.FadeIn(self.panel_lines["inverse"])
        if self._total_singular():
            return
        last = self._totals()["AB"] if self.params.then is not None else self.A
        self.after["I"] = self._images(np.eye(2), "I")
        steps = list(self._apply("I", last))
        back = [mn.Transform(a, self._arrow(x, _EIGEN).set_z_index(6)) for a, x in
                zip(self.eigen_arrows, self._eigen_directions())]
        ghost = [mn.FadeOut(self.ghost)] if getattr(self, "ghost", None) is not None else []
        steps[-1] = (*steps[-1], *back, *ghost)
        yield from steps


def _par(x: float) -> str:
    text = fmt(x)
    return f"({text})" if text.startswith("-") else text


def _times(x: float) -> str:
    """A coefficient as written before a vector: ``3\\,``, ``-``, nothing for 1."""
    text = fmt(x)
    return {"1": "", "-1": "-"}.get(text, text + r"\,")
