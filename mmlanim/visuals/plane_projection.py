"""The ``plane_projection`` visual: the orthogonal projection of a vector in space onto the plane
spanned by two vectors, in a 3-D scene."""

from __future__ import annotations

__all__ = ["PlaneProjection"]

import math
from typing import Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._layout import fmt, matrix_tex, nice_step, panel_area, panel_background, panel_column, vector_tex
from ._types import Vector3
from .base import Visual, VisualParams, beat

#: The camera: degrees from the vertical, degrees about the vertical axis.
PHI, THETA = 68.0, -55.0
#: Length of each drawn axis, in scene units.
AXIS_LENGTH = 6.4


def _rotation(phi: float, theta: float) -> np.ndarray:
    """manim's 3-D camera rotation for ``phi``, ``theta`` (degrees): world → screen axes."""
    a = math.radians(-theta - 90.0)
    rz = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    p = math.radians(-phi)
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    return np.asarray(rx @ rz)


def _camera_theta(B: np.ndarray) -> float:
    """The camera's turn (degrees) nearest :data:`THETA` that sees the plane of ``B``'s rows at about 55° from
    its normal: the plane open, not edge-on, and the drop at a right angle to it seen from the side."""
    n = np.cross(B[0], B[1])
    n = n / np.linalg.norm(n)
    best, score = THETA, math.inf
    for theta in np.arange(-180.0, 180.0, 5.0):
        p, t = math.radians(PHI), math.radians(theta)
        eye = np.array([math.sin(p) * math.cos(t), math.sin(p) * math.sin(t), math.cos(p)])
        seen = math.degrees(math.acos(min(1.0, abs(float(eye @ n)))))
        cost = abs(seen - 55.0) + 0.05 * abs(theta - THETA)
        if cost < score:
            best, score = float(theta), cost
    return best


class PlaneProjection(Visual, kind="plane_projection"):
    """Orthogonal projection onto a plane in space: the plane spanned by b1 and b2, the projection
    π(x) = Bλ, the residual at a right angle to the plane, and the projection matrix.

    Rendered in 3-D (the camera swings a little as the picture builds up). The
    coordinates λ of the projection solve the normal equations
    BᵀBλ = Bᵀx, so λ = (BᵀB)⁻¹Bᵀx is the least-squares solution of Bλ ≈ x;
    the residual x − π(x) is orthogonal to both b1 and b2, its length the
    reconstruction error, and P = B(BᵀB)⁻¹Bᵀ maps every x to π(x). The basis
    need not be orthogonal. Numbers from ``mmlanim.maths.project_onto_subspace``.
    """

    three_d: ClassVar[bool] = True

    class Params(VisualParams):
        vector: Vector3 = Field(description="The vector x to project, as [x1, x2, x3].")
        basis: list[Vector3] = Field(min_length=2, max_length=2, description=(
            "The two vectors b1, b2 spanning the plane (independent; need not be orthogonal)."))
        names: list[str] = Field([r"\mathbf{x}", r"\mathbf{b}_1", r"\mathbf{b}_2"], min_length=3, max_length=3,
                                 description="LaTeX names of x, b1 and b2.")

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "onto": "the plane is spanned by `basis:`, two vectors, e.g. basis: [[1, 0, 0], [0, 1, 1]]",
    }

    example = {"vector": [2, 1, 3], "basis": [[1, 0, 0.5], [0, 1, 0.5]]}

    def check(self):
        from ..maths.linalg import project_onto_subspace

        try:
            project_onto_subspace(self.params.vector, self.params.basis)
        except ValueError as exc:
            yield ("basis",), str(exc)

    # -- building ------------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        from ..maths.linalg import gram_schmidt, project_onto_subspace

        p = self.params
        x = np.asarray(p.vector, dtype=float)
        B = np.asarray(p.basis, dtype=float)  # rows b1, b2
        sub = project_onto_subspace(x, B)
        proj, lam = np.asarray(sub.projection), np.asarray(sub.coefficients)
        self.shown: dict[str, Any] = {"coefficients": lam, "projection": proj, "residual": sub.residual,
                                      "matrix": sub.matrix, "error": float(np.linalg.norm(sub.residual))}
        theta = _camera_theta(B)
        self.theta = theta
        self._scene = scene  # the arrows' tips turn towards its camera
        if hasattr(scene, "set_camera_orientation"):
            scene.set_camera_orientation(phi=PHI * mn.DEGREES, theta=theta * mn.DEGREES)
        # Axes fitted to everything drawn, shifted so that the picture sits left of the panel.
        reach = float(np.abs(np.vstack([x, B, proj])).max())
        step = nice_step(2 * reach, 6.0)
        top = math.ceil(reach * 1.15 / step) * step
        rng = (-top, top, step)
        from ._space import space_axes

        self.axes = space_axes(rng, rng, rng, length=AXIS_LENGTH)
        left = panel_area().left - 0.4
        screen_centre = np.array([(-theme.FRAME_WIDTH / 2 + left) / 2, -0.2, 0.0])
        self.axes.shift(_rotation(PHI, theta).T @ screen_centre)
        c2p = self.axes.c2p
        self.origin = np.asarray(c2p(0, 0, 0))
        self.axis_names = mn.VGroup(*(self.ctx.label(n, color=theme.MUTED, size=theme.SMALL_SIZE).move_to(
            c2p(*(e * top * 1.1))) for n, e in zip(("x_1", "x_2", "x_3"), np.eye(3))))
        nx, nb1, nb2 = p.names
        self.x_arrow = self._arrow(x, theme.color_at(0))
        b_colors = (theme.color_at(3), theme.color_at(5))
        self.b_arrows = [self._arrow(b, c) for b, c in zip(B, b_colors)]
        self.x_label = self._tip_label(nx, x, theme.color_at(0))
        self.b_labels = [self._tip_label(n, b, c) for n, b, c in zip((nb1, nb2), B, b_colors)]
        # The plane: a patch around the origin, b1, b2 and the foot, in an orthonormal basis of the plane.
        q = gram_schmidt(B).basis
        inside = np.vstack([np.zeros(3), B, proj]) @ q.T
        lo, hi = inside.min(axis=0) - 0.5 * step, inside.max(axis=0) + 0.5 * step
        corners = [c2p(*(s * q[0] + t * q[1])) for s, t in ((lo[0], lo[1]), (hi[0], lo[1]), (hi[0], hi[1]),
                                                             (lo[0], hi[1]))]
        self.plane = mn.Polygon(*corners, stroke_color=theme.color_at(2), stroke_width=1.5,
                                fill_color=theme.color_at(2), fill_opacity=0.22)
        grid = mn.VGroup()
        for k in range(2):  # lines of the plane's own grid, one step apart
            other = 1 - k
            for c in np.arange(math.ceil(lo[k] / step), math.floor(hi[k] / step) + 1) * step:
                a, b = np.zeros(2), np.zeros(2)
                a[k] = b[k] = c
                a[other], b[other] = lo[other], hi[other]
                grid.add(mn.Line(c2p(*(a @ q)), c2p(*(b @ q)), stroke_color=theme.color_at(2), stroke_width=1,
                                 stroke_opacity=0.45))
        self.plane_group = mn.VGroup(self.plane, grid)
        self.drop = mn.DashedLine(c2p(*x), c2p(*proj), stroke_color=theme.FOREGROUND, stroke_width=2.5,
                                  dash_length=0.1)
        self.foot = mn.Dot3D(c2p(*proj), radius=0.06, color=theme.ACCENT, resolution=(6, 6))
        self.proj_arrow = self._arrow(proj, theme.ACCENT)
        self.proj_label = self._tip_label(rf"\pi({nx})", proj, theme.ACCENT, below=True)
        self.residual = mn.Line(c2p(*proj), c2p(*x), stroke_color=theme.color_at(4), stroke_width=5)
        n = np.cross(B[0], B[1])
        n = n / np.linalg.norm(n)
        size = 0.35 * top / 3
        d = proj / (np.linalg.norm(proj) or 1.0)
        self.mark = mn.VMobject(stroke_color=theme.FOREGROUND, stroke_width=2).set_points_as_corners(
            [c2p(*(proj - size * d)), c2p(*(proj - size * d + size * n * np.sign(n @ (x - proj) or 1))),
             c2p(*(proj + size * n * np.sign(n @ (x - proj) or 1)))])
        self._setup_panel(x, B, lam, proj, sub)
        panel = panel_background()
        self.panel = panel
        if hasattr(scene, "add_fixed_in_frame_mobjects"):
            scene.add_fixed_in_frame_mobjects(panel, *self.panel_lines.values())
            scene.remove(*self.panel_lines.values())
            scene.add_fixed_orientation_mobjects(*self._labels, *self.axis_names)
            scene.remove(*self._labels, *self.axis_names)
        scene.add(panel)

    def _arrow(self, v: np.ndarray, color: str) -> Any:
        """A line and a flat tip turned to the camera (shaded 3-D cones and cylinders are hundreds of
        faces Cairo sorts and draws at every frame: the segment rendered ten times slower)."""
        from ._space import space_arrow

        c2p = self.axes.c2p
        return space_arrow(c2p(0, 0, 0), c2p(*v), color, scene=self._scene, stroke_width=4, tip_length=0.22,
                           tip_width=0.16)

    def _tip_label(self, tex: str, v: np.ndarray, color: str, below: bool = False) -> Any:
        lab = self.ctx.label(tex, color=color, size=theme.SMALL_SIZE + 4)
        end = np.asarray(self.axes.c2p(*v)) - self.origin
        out = end / (np.linalg.norm(end) or 1.0)
        lab.move_to(self.origin + end + out * 0.35 + (np.array([0, 0, -0.3]) if below else 0))
        self._labels = [*getattr(self, "_labels", []), lab]
        return lab

    def _setup_panel(self, x: np.ndarray, B: np.ndarray, lam: np.ndarray, proj: np.ndarray, sub: Any) -> None:
        nx, nb1, nb2 = self.params.names
        lines = {
            "basis": self.ctx.label(rf"B = [{nb1}\ {nb2}] = {matrix_tex(B.T)}", color=theme.color_at(2)),
            "x": self.ctx.label(rf"{nx} = {vector_tex(x)}", color=theme.color_at(0)),
            "normal": self.ctx.label(rf"B^\top B\,\boldsymbol{{\lambda}} = B^\top {nx}"),
            "lambda": self.ctx.label(rf"\boldsymbol{{\lambda}} = (B^\top B)^{{-1}} B^\top {nx} = {vector_tex(lam)}",
                                     color=theme.ACCENT),
            "projection": self.ctx.label(rf"\pi({nx}) = B\boldsymbol{{\lambda}} = {vector_tex(proj)}",
                                         color=theme.ACCENT),
            "orthogonal": self.ctx.label(rf"B^\top({nx} - \pi({nx})) = " + (
                r"\mathbf{0}" if np.allclose(B @ sub.residual, 0, atol=1e-9) else vector_tex(B @ sub.residual))),
            "error": self.ctx.label(rf"\|{nx} - \pi({nx})\| = {fmt(self.shown['error'])}", color=theme.color_at(4)),
            "matrix": self.ctx.label(r"P = B(B^\top B)^{-1}B^\top =", color=theme.color_at(2)),
            "matrix_value": self.ctx.label(matrix_tex(sub.matrix), color=theme.color_at(2)),
        }
        self.panel_lines = lines
        panel_column(list(lines.values()), buff=0.3)

    def _swing(self, scene: Any, degrees: float) -> tuple[Any, ...]:
        """The camera turning by ``degrees`` about the vertical (nothing in a flat scene)."""
        tracker = getattr(getattr(scene, "camera", None), "theta_tracker", None)
        if tracker is None:
            return ()
        return (tracker.animate.set_value(tracker.get_value() + degrees * mn.DEGREES),)

    # -- beats -------------------------------------------------------------------
    @beat("Show the axes of space.")
    def show_space(self, scene: Any):
        yield mn.Create(self.axes), mn.FadeIn(self.axis_names)

    @beat("Draw b1 and b2 and the plane they span.")
    def show_plane(self, scene: Any):
        yield (*(mn.FadeIn(a) for a in self.b_arrows), *(mn.FadeIn(lab) for lab in self.b_labels),
               mn.FadeIn(self.panel_lines["basis"]), mn.FadeIn(self.plane_group), *self._swing(scene, 10))

    @beat("Draw x, off the plane.")
    def show_vector(self, scene: Any):
        yield mn.FadeIn(self.x_arrow), mn.FadeIn(self.x_label), mn.FadeIn(self.panel_lines["x"])

    @beat("Drop x perpendicularly onto the plane: π(x) = Bλ, with λ from the normal equations BᵀBλ = Bᵀx.")
    def project(self, scene: Any):
        yield (mn.Create(self.drop), mn.FadeIn(self.foot), mn.FadeIn(self.proj_arrow), mn.FadeIn(self.proj_label),
               mn.FadeIn(self.panel_lines["normal"]), *self._swing(scene, -12))

    @beat("Solve the normal equations: λ = (BᵀB)⁻¹Bᵀx, and the projection π(x) = Bλ.")
    def solve(self, scene: Any):
        yield mn.FadeIn(self.panel_lines["lambda"]), mn.FadeIn(self.panel_lines["projection"])

    @beat("The residual x − π(x): orthogonal to the plane, its length the reconstruction error.")
    def show_error(self, scene: Any):
        yield (mn.Create(self.residual), mn.Create(self.mark), mn.FadeIn(self.panel_lines["orthogonal"]),
               mn.FadeIn(self.panel_lines["error"]))

    @beat("The projection matrix P = B(BᵀB)⁻¹Bᵀ.")
    def show_matrix(self, scene: Any):
        yield mn.FadeIn(self.panel_lines["matrix"]), mn.FadeIn(self.panel_lines["matrix_value"]), *self._swing(scene, 8)
