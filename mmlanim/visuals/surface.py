"""The ``surface`` visual: z = f(x, y) in space under a slowly turning camera, with its contour map
below, the gradient and tangent plane at a point, and the Hessian's verdict on the critical points."""

from __future__ import annotations

__all__ = ["Surface"]

from typing import Any, ClassVar

import numpy as np
from pydantic import Field, model_validator

from .. import theme
from .._lazy import manim as mn
from .._lazy import sympy as sp
from ._contours import contour_levels, iso_lines
from ._layout import fmt
from ._types import Range, Vector2
from .base import Visual, VisualParams, beat, check_ordered_domain

#: Scene units the domain spans across (its longer side), and the surface's height range.
_SIDE = 5.0
_HEIGHT = 2.6
#: The contour map lies this far (scene units) below the surface's lowest point.
_FLOOR_GAP = 0.7
#: Samples per side for the contour lines (the surface itself is coarser: ``resolution``).
_CONTOUR_GRID = 60
#: Formulas (gradient, Hessian) longer than this many characters are not written out.
_SHORT_LATEX = 70
#: Most degrees the camera turns in one beat.
_MAX_TURN = 25.0
#: Most critical points marked.
MAX_CRITICAL = 6

_VERDICT_COLOUR = {"minimum": theme.PALETTE[2], "maximum": theme.PALETTE[4], "saddle": theme.PALETTE[3],
                   "degenerate": theme.MUTED}


class Surface(Visual, kind="surface"):
    """A surface z = f(x, y) in 3-D under a slowly orbiting camera, coloured by height.

    ``function`` is a formula in x and y (parsed safely by
    ``mmlanim.maths.parse_function``). The contour map of f lies on the
    floor below the surface. At ``point`` the gradient ∇f is drawn on the
    floor (across the contour lines, uphill) and the tangent plane
    z = f(p) + ∇f(p)·(x − p) touches the surface. The critical points inside the
    domain (``mmlanim.maths.critical_points``: Newton's method on ∇f = 0) are
    marked with the Hessian's verdict: minimum, maximum or saddle. Text is
    pinned flat to the screen while the camera turns a little as each beat
    begins (``rate`` degrees per second of the beat, at most 25), then holds
    still while the narration finishes. The mesh is ``resolution`` ×
    ``resolution`` patches: keep it coarse, 3-D scenes draw slowly.
    """

    three_d: ClassVar[bool] = True

    class Params(VisualParams):
        function: str = Field("x**2 - y**2", description="f(x, y) as a formula, e.g. 'x**2 - y**2'.")
        domain: list[Range] = Field([[-2, 2], [-2, 2]], min_length=2, max_length=2,
                                    description="The region drawn: [[xmin, xmax], [ymin, ymax]].")
        point: Vector2 | None = Field(None, description="Where the gradient and the tangent plane are drawn, "
                                      "[x, y] (default: none; their beats then hold the picture).")
        critical: bool = Field(True, description="Mark the critical points with the Hessian's verdict.")
        levels: int = Field(10, ge=0, le=30, description="Contour lines on the floor (0: none).")
        resolution: int = Field(18, ge=6, le=32, description="Patches per side of the surface's mesh.")
        phi: float = Field(62.0, ge=0, le=90, description="Camera angle from the vertical, degrees.")
        theta: float = Field(-60.0, description="Camera angle about the vertical, degrees.")
        rate: float = Field(3.0, ge=-20, le=20, description="How far the camera turns about the vertical as each "
                            "beat begins: degrees per second of the beat, at most 25 a beat (0: still).")

        @model_validator(mode="after")
        def _ordered_domain(self) -> Surface.Params:
            check_ordered_domain(self.domain)
            return self

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "f": "the formula is `function:`, e.g. function: x^2 - y^2",
        "formula": "the formula is `function:`, e.g. function: x^2 - y^2",
        "at": "the point of the gradient and tangent plane is `point: [x, y]`",
        "mesh": "the mesh's size is `resolution:`",
    }

    example = {"function": "(x**2 + y**2)/10 - 2*exp(-(x - 1)**2 - y**2) - exp(-2*(x + 1)**2 - 2*(y - 1)**2)",
               "domain": [[-3, 3], [-3, 3]], "point": [1.6, 1.4]}

    # -- numbers ---------------------------------------------------------------
    def _function(self) -> Any:
        from ..maths.expressions import parse_function

        return parse_function(self.params.function, ("x", "y"))

    def load(self) -> dict[str, Any]:
        from ..maths.multivariate import critical_points, tangent_plane

        p = self.params
        f = self._function()
        data: dict[str, Any] = {"f": f, "critical": [], "tangent": None}
        if p.critical:
            data["critical"] = critical_points(f, p.domain)[:MAX_CRITICAL]
        if p.point is not None:
            data["tangent"] = tangent_plane(f, p.point)
        return data

    def check(self):
        p = self.params
        try:
            f = self._function()
        except ValueError as exc:
            yield ("function",), str(exc), getattr(exc, "column", None)
            return
        (x0, x1), (y0, y1) = p.domain
        if p.point is not None:
            if not (x0 <= p.point[0] <= x1 and y0 <= p.point[1] <= y1):
                yield ("point",), f"the point {p.point} is outside the domain {p.domain}"
                return
            value, grad = self.data["tangent"]
            if not (np.isfinite(value) and np.all(np.isfinite(grad))):
                yield ("point",), f"f or its gradient is not a finite number at {p.point}"
        Z = f.at(*np.meshgrid(np.linspace(x0, x1, 9), np.linspace(y0, y1, 9)))
        if not np.isfinite(Z).any():
            yield ("function",), "f is not a finite number anywhere in the domain"

    # -- geometry ----------------------------------------------------------------
    def _heights(self, f: Any) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.params.domain
        Z = f.at(*np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41)))
        finite = Z[np.isfinite(Z)]
        lo, q90 = float(finite.min()), float(np.quantile(finite, 0.9))
        hi = min(float(finite.max()), q90 + 3 * (q90 - lo))
        return lo, (hi if hi > lo else lo + 1.0)

    def c2p(self, x: Any, y: Any, z: Any) -> np.ndarray:
        """Scene point of (x, y, z) in f's coordinates (heights clipped to the drawn range)."""
        (x0, x1), (y0, y1) = self.params.domain
        zc = np.clip(np.nan_to_num(np.asarray(z, dtype=float), nan=self.z_lo), self.z_lo, self.z_hi)
        return np.array([(x - (x0 + x1) / 2) * self.unit, (y - (y0 + y1) / 2) * self.unit,
                         (zc - self.z_lo) * self.z_unit - _HEIGHT / 2], dtype=float)

    def p2c(self, point: Any) -> np.ndarray:
        """f's coordinates (x, y, z) of a scene point (the inverse of :meth:`c2p`)."""
        (x0, x1), (y0, y1) = self.params.domain
        px, py, pz = np.asarray(point, dtype=float)
        return np.array([px / self.unit + (x0 + x1) / 2, py / self.unit + (y0 + y1) / 2,
                         (pz + _HEIGHT / 2) / self.z_unit + self.z_lo])

    def _floor(self, x: float, y: float) -> np.ndarray:
        pt = self.c2p(x, y, self.z_lo)
        pt[2] = self.floor_z
        return pt

    # -- building --------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        from ._space import face_camera, orbit, pin

        p = self.params
        f = self.f = self.data["f"]
        (x0, x1), (y0, y1) = p.domain
        self.unit = _SIDE / max(x1 - x0, y1 - y0)
        lo, hi = self._heights(f)
        marked = [cp.value for cp in self.data["critical"]]  # the grid may miss a pit's bottom by a little
        if self.data["tangent"] is not None:
            marked.append(self.data["tangent"][0])
        self.z_lo, self.z_hi = min([lo, *marked]), max([hi, *marked])
        self.z_unit = _HEIGHT / (self.z_hi - self.z_lo)
        self.floor_z = -_HEIGHT / 2 - _FLOOR_GAP
        self.shown: dict[str, Any] = {"critical": self.data["critical"], "tangent": self.data["tangent"]}
        orbit(scene, phi=p.phi, theta=p.theta, zoom=0.95)
        self.camera = getattr(getattr(scene, "renderer", None), "camera", None)
        self.theta = p.theta  # where the camera looks from now, in degrees; each beat turns it on
        self.shown["thetas"] = [p.theta]

        # The floor: the domain's frame, and the contour map on it.
        corners = [self._floor(x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
        self.floor = mn.Polygon(*corners, stroke_color=theme.MUTED, stroke_width=2,
                                fill_color=theme.PANEL_BACKGROUND, fill_opacity=0.6)
        self.axis_labels = mn.VGroup(
            self.ctx.label("x", color=theme.MUTED).move_to(self._floor((x0 + x1) / 2, y0) + np.array([0, -0.4, 0])),
            self.ctx.label("y", color=theme.MUTED).move_to(self._floor(x1, (y0 + y1) / 2) + np.array([0.4, 0, 0])))
        face_camera(scene, *self.axis_labels)
        xs = np.linspace(x0, x1, _CONTOUR_GRID)
        ys = np.linspace(y0, y1, _CONTOUR_GRID)
        Z = f.at(*np.meshgrid(xs, ys))
        levels = contour_levels(np.clip(Z, self.z_lo, self.z_hi), p.levels) if p.levels else np.array([])
        self.shown["levels"] = levels
        self.contours = mn.VGroup()
        for level in levels:
            colour = theme.sequential_color((level - self.z_lo) / (self.z_hi - self.z_lo))
            for line in iso_lines(xs, ys, Z, level):
                if len(line) >= 3:
                    self.contours.add(mn.VMobject(stroke_color=colour, stroke_width=2.5).set_points_as_corners(
                        [self._floor(x, y) for x, y in line]))

        # The surface, each patch coloured by its height.
        n = p.resolution
        self.surface = mn.Surface(lambda u, v: self.c2p(u, v, float(f.at(u, v))), u_range=[x0, x1],
                                  v_range=[y0, y1], resolution=(n, n), fill_opacity=0.92, stroke_width=0.6,
                                  stroke_color=theme.BACKGROUND, checkerboard_colors=False)
        for face in self.surface:
            height = float(self.p2c(face.get_center())[2])
            face.set_fill(theme.sequential_color((height - self.z_lo) / (self.z_hi - self.z_lo)), opacity=0.92)

        # Pinned text: the formula (top left), the point's readout (top right), the verdicts (bottom right).
        self.title = self.ctx.label(f"f(x, y) = {f.latex}")
        self._fit(self.title, 6.4).to_corner(mn.UL, buff=0.35)
        self.pinned: list[Any] = [self.title]
        self.gradient_line = mn.VGroup()
        if sum(map(len, f.gradient_latex)) <= _SHORT_LATEX:  # the partial derivatives, when they are short
            self.gradient_line = self.ctx.label(
                r"\nabla f = \begin{bmatrix} \partial f / \partial x \\ \partial f / \partial y \end{bmatrix} = "
                r"\begin{bmatrix}" + r"\\".join(f.gradient_latex) + r"\end{bmatrix}", size=theme.SMALL_SIZE)
            self._fit(self.gradient_line, 6.4).next_to(self.title, mn.DOWN, buff=0.25, aligned_edge=mn.LEFT)
            self.pinned.append(self.gradient_line)
        self._build_point(scene)
        self._build_critical(scene)
        pin(scene, *self.pinned)

    @staticmethod
    def _fit(mob: Any, width: float) -> Any:
        if mob.width > width:
            mob.scale_to_fit_width(width)
        return mob

    def _build_point(self, scene: Any) -> None:
        from ._space import face_camera

        self.point_group = mn.VGroup()
        self.plane_patch = mn.VGroup()
        self.point_readout = mn.VGroup()
        self.plane_readout = mn.VGroup()
        if self.data["tangent"] is None or self.params.point is None:
            return
        (px, py), (value, grad) = self.params.point, self.data["tangent"]
        on_surface = self.c2p(px, py, value)
        below = self._floor(px, py)
        self.surface_dot = mn.Dot(on_surface, radius=0.09, color=theme.ACCENT)
        self.floor_dot = mn.Dot(below, radius=0.07, color=theme.ACCENT)
        face_camera(scene, self.surface_dot, self.floor_dot)
        drop = mn.DashedLine(below, on_surface, stroke_color=theme.ACCENT, stroke_width=2, dash_length=0.08)
        # ∇f on the floor, its length in scene units growing with |∇f| up to a quarter of the side.
        norm = float(np.linalg.norm(grad))
        length = 0.0 if norm == 0 else min(_SIDE / 4, 0.5 + 0.35 * norm)
        direction = np.array([grad[0], grad[1], 0.0]) / (norm or 1.0)
        self.gradient_arrow = mn.Arrow(below, below + length * direction, buff=0, color=theme.ACCENT,
                                       stroke_width=5, max_tip_length_to_length_ratio=0.3, tip_length=0.22)
        self.point_group = mn.VGroup(drop, self.floor_dot, self.surface_dot, self.gradient_arrow)
        # The tangent plane over a square around the point (clipped to the domain).
        (x0, x1), (y0, y1) = self.params.domain
        half = 0.13 * max(x1 - x0, y1 - y0)
        square = [(px + sx * half, py + sy * half) for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
        self.shown["plane_corners"] = [(x, y, value + grad[0] * (x - px) + grad[1] * (y - py)) for x, y in square]
        self.plane_patch = mn.Polygon(*[self.c2p(x, y, z) for x, y, z in self.shown["plane_corners"]],
                                      stroke_color=theme.ACCENT, stroke_width=2, fill_color=theme.ACCENT,
                                      fill_opacity=0.45)
        # Readouts (static: the point does not move).
        t = lambda tex: self.ctx.label(tex, color=theme.ACCENT, size=theme.SMALL_SIZE)  # noqa: E731
        self.point_readout = mn.VGroup(
            t(rf"\mathbf{{p}} = ({fmt(px)}, {fmt(py)})"),
            t(rf"f(\mathbf{{p}}) = {fmt(value)}"),
            t(rf"\nabla f(\mathbf{{p}}) = ({fmt(grad[0])}, {fmt(grad[1])})"),
        ).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.15)
        self.plane_readout = t(rf"z \approx {fmt(value)} {_signed(grad[0])}(x {_signed(-px)}) "
                               rf"{_signed(grad[1])}(y {_signed(-py)})")
        side = mn.VGroup(self.point_readout, self.plane_readout).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.2)
        self._fit(side, 4.2).to_corner(mn.UR, buff=0.35)
        self.pinned += [self.point_readout, self.plane_readout]

    def _build_critical(self, scene: Any) -> None:
        from ._space import face_camera

        self.critical_marks = mn.VGroup()
        self.critical_readout = mn.VGroup()
        rows = []
        for cp in self.data["critical"]:
            colour = _VERDICT_COLOUR[cp.verdict]
            dot = mn.Dot(self.c2p(cp.point[0], cp.point[1], cp.value), radius=0.1, color=colour)
            face_camera(scene, dot)
            self.critical_marks.add(dot)
            rows.append(self.ctx.label(
                rf"\text{{{cp.verdict}}}\ ({fmt(cp.point[0])}, {fmt(cp.point[1])}):\ "
                rf"|H| = {fmt(cp.determinant)},\ f_{{xx}} = {fmt(cp.hessian[0, 0])}",
                color=colour, size=theme.SMALL_SIZE))
        if rows:
            entries = [e for row in self.f.hessian_exprs for e in row]
            if sum(len(str(e)) for e in entries) <= _SHORT_LATEX:
                body = r"\\".join(" & ".join(sp.latex(e) for e in row) for row in self.f.hessian_exprs)
                head = self.ctx.label(rf"\nabla f = \mathbf{{0}}:\ H = \begin{{bmatrix}}{body}\end{{bmatrix}}",
                                      size=theme.SMALL_SIZE)
            else:
                head = self.ctx.label(r"\nabla f = \mathbf{0}:\ \text{the Hessian } H \text{ decides}",
                                      size=theme.SMALL_SIZE)
            self.critical_readout = mn.VGroup(head, *rows).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.14)
            self._fit(self.critical_readout, 4.6).to_corner(mn.DR, buff=0.35)
            self.pinned.append(self.critical_readout)

    def _turn(self) -> Any:
        """An animation turning the camera about the vertical by ``rate`` degrees per second of the beat
        (at most :data:`_MAX_TURN`): the camera turns as each beat begins, then holds still while the
        sentence finishes (still holds: the picture leads the words, and a still frame is cheap)."""
        seconds = self.ctx.beat.seconds if self.ctx.beat is not None else 1.0
        start = self.theta
        end = self.theta = start + float(np.clip(self.params.rate * seconds, -_MAX_TURN, _MAX_TURN))
        self.shown["thetas"].append(end)
        camera = self.camera

        def turn(_: Any, alpha: float) -> None:
            if camera is not None:
                camera.set_theta((start + (end - start) * mn.smooth(alpha)) * mn.DEGREES)

        return mn.UpdateFromAlphaFunc(mn.VectorizedPoint(), turn, run_time=1.5)

    # -- beats -------------------------------------------------------------------
    def beats_off(self) -> dict[str, str]:
        off = {}
        if self.params.point is None:
            off["show_gradient"] = off["show_tangent_plane"] = "point"
        if not self.params.critical:
            off["show_critical_points"] = "critical"
        if not self.params.levels:
            off["show_contours"] = "levels"
        return off

    @beat("Draw the surface z = f(x, y), coloured by height, and its formula.")
    def show_surface(self, scene: Any):
        yield (mn.Create(self.floor), mn.FadeIn(self.axis_labels), mn.FadeIn(self.surface, lag_ratio=0.01),
               mn.FadeIn(self.title), self._turn())

    @beat("Draw the contour map on the floor below: each line joins the points at one height.")
    def show_contours(self, scene: Any):
        if len(self.contours):
            yield mn.Create(self.contours, lag_ratio=0.05), self._turn()

    @beat("At the point: its height, and the gradient on the floor, pointing uphill across the contours.")
    def show_gradient(self, scene: Any):
        if self.data["tangent"] is None:
            return
        yield mn.FadeIn(self.surface_dot), mn.FadeIn(self.floor_dot), mn.Create(self.point_group[0]), \
            mn.FadeIn(self.point_readout[:2]), self._turn()
        yield mn.GrowArrow(self.gradient_arrow), mn.FadeIn(self.point_readout[2]), mn.FadeIn(self.gradient_line)

    @beat("The tangent plane at the point: the surface's linear approximation there.")
    def show_tangent_plane(self, scene: Any):
        if self.data["tangent"] is None:
            return
        yield mn.FadeIn(self.plane_patch), mn.FadeIn(self.plane_readout), self._turn()

    @beat("Mark the critical points (gradient zero) with the Hessian's verdict: minimum, maximum or saddle.")
    def show_critical_points(self, scene: Any):
        if not len(self.critical_marks):
            return
        yield mn.FadeIn(self.critical_readout[0]), *(mn.FadeIn(m, scale=2) for m in self.critical_marks), \
            self._turn()
        yield mn.LaggedStart(*(mn.FadeIn(r) for r in self.critical_readout[1:]), lag_ratio=0.4)


def _signed(x: float) -> str:
    """``+ 1.2`` or ``- 1.2``: a term written after another."""
    text = fmt(x)
    return f"- {text[1:]}" if text.startswith("-") else f"+ {text}"
