"""Helpers for 3-D kinds (``three_d = True``): themed axes, the camera's orbit, text pinned flat.

A 3-D kind's ``setup(scene)`` receives a manim ``ThreeDScene`` (see
:func:`mmlanim.render.scene.scene_class_for`). Numbers and labels still come from
``self.ctx``; this module only places them in space.
"""

from __future__ import annotations

__all__ = ["DEFAULT_PHI", "DEFAULT_THETA", "AxisShading", "SpaceCamera", "face_camera", "orbit", "pin", "space_arrow",
           "space_axes"]

from collections.abc import Sequence
from typing import Any

import manim as mn
import numpy as np
from manim.mobject.three_d import three_d_utils as faces
from manim.utils.color.core import get_shaded_rgb

from .. import theme

DEFAULT_PHI = 65.0  # degrees from the z axis: looking down on the x-y plane at a slant
DEFAULT_THETA = -50.0  # degrees about the z axis


def space_axes(x_range: Sequence[float], y_range: Sequence[float], z_range: Sequence[float], *,
               length: float = 6.0) -> mn.ThreeDAxes:
    """Axes in space in the theme's colours, ``length`` scene units along each axis.

    Parameters
    ----------
    x_range, y_range, z_range : sequence of float, shape (3,)
        ``(min, max, step)`` of each axis (the step places the ticks).
    length : float
        Length of each axis in scene units.
    """
    axes = mn.ThreeDAxes(x_range=list(x_range), y_range=list(y_range), z_range=list(z_range),
                         x_length=length, y_length=length, z_length=length,
                         axis_config={"color": theme.MUTED, "stroke_width": 2, "include_tip": False,
                                      "tick_size": 0.05})
    for axis in axes.axes:
        shading = AxisShading(axis, axes.light_source)
        for piece in axis.family_members_with_points():
            piece.get_gradient_start_and_end_points = shading  # type: ignore[attr-defined]
    return axes


class AxisShading:
    """The ends of the shading gradient of every piece of one axis of manim's ``ThreeDAxes``: the axis's
    edge centres towards and away from the light, as manim's own function gives them.

    manim gives each of an axis's pieces (twenty, plus its ticks) a function that
    bounds the whole axis, and calls it for every piece in every frame. One
    ``AxisShading`` serves all the pieces of an axis; while a :class:`SpaceCamera`
    draws a frame it computes the ends once for that frame (nothing moves while a
    frame is drawn), and outside a frame every call computes them afresh. Like
    manim's function, a copy of a piece keeps the same one (copies return it as it is).
    """

    def __init__(self, axis: mn.Mobject, light: Any) -> None:
        self.axis, self.light = axis, light
        self.frame: int | None = None  # set by the camera while it draws a frame
        self._ends: tuple[int, Any] | None = None

    def __call__(self) -> tuple[np.ndarray, np.ndarray]:
        frame = self.frame
        if frame is not None and self._ends is not None and self._ends[0] == frame:
            return self._ends[1]  # type: ignore[no-any-return]
        ends = (self.axis.get_edge_center(-self.light), self.axis.get_edge_center(self.light))
        self._ends = None if frame is None else (frame, ends)
        return ends

    def __copy__(self) -> AxisShading:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> AxisShading:
        return self


class SpaceCamera(mn.ThreeDCamera):
    """manim's 3-D camera, with the picture of space moved by ``offset`` on the screen (scene units).

    The camera still turns about the origin, but the origin is drawn at ``offset``: the scene can sit
    left of a panel on the right while it orbits. Text pinned to the screen does not move. Each frame
    it draws is numbered, so that an axis's shading is worked out once a frame (:class:`AxisShading`), and
    a shaded face's light once a frame for its fill and its stroke (:meth:`modified_rgbas`).
    """

    offset: np.ndarray = np.zeros(3)
    frames_drawn: int = 0
    #: While a frame is drawn: the light on each shaded face's two corners, by the face's ``id``.
    _lights: dict[int, tuple[float, float]] | None = None

    def project_points(self, points: Any) -> Any:
        projected = super().project_points(points)
        projected[:, :2] += np.asarray(self.offset, dtype=float)[:2]
        return projected

    def capture_mobjects(self, mobjects: Any, **kwargs: Any) -> None:
        self.frames_drawn += 1
        self._lights = {}
        try:
            super().capture_mobjects(mobjects, **kwargs)
        finally:
            self._lights = None

    def modified_rgbas(self, vmobject: Any, rgbas: Any) -> Any:
        """manim's shading of a face in space, with the light on its corners worked out once a frame.

        manim shades a face's fill and then its stroke, each time finding both corners' normals
        anew. While a frame is drawn nothing moves, so the light found for the fill serves the
        stroke; the colours are manim's to the last bit (``rgb + light``, as manim adds it).
        """
        if not (self.should_apply_shading and vmobject.shade_in_3d and vmobject.get_num_points() > 0):
            return rgbas
        lights = self._lights.get(id(vmobject)) if self._lights is not None else None
        if lights is None:
            lights = self._corner_lights(vmobject)
            if self._lights is not None:
                self._lights[id(vmobject)] = lights
        shaded = rgbas.repeat(2, axis=0) if len(rgbas) < 2 else np.array(rgbas[:2])
        shaded[0, :3] = shaded[0, :3] + lights[0]
        shaded[1, :3] = shaded[1, :3] + lights[1]
        return shaded

    def _corner_lights(self, vmobject: Any) -> tuple[float, float]:
        """The light manim adds to a face's start and end corners (its ``get_shaded_rgb`` on black)."""
        sun, black = self.light_source.points[0], np.zeros(3)
        start = get_shaded_rgb(black, faces.get_3d_vmob_start_corner(vmobject),
                               faces.get_3d_vmob_start_corner_unit_normal(vmobject), sun)
        end = get_shaded_rgb(black, faces.get_3d_vmob_end_corner(vmobject),
                             faces.get_3d_vmob_end_corner_unit_normal(vmobject), sun)
        return float(start[0]), float(end[0])

    def set_cairo_context_color(self, ctx: Any, rgbas: Any, vmobject: Any) -> Any:
        shading = vmobject.__dict__.get("get_gradient_start_and_end_points")
        if not isinstance(shading, AxisShading):
            return super().set_cairo_context_color(ctx, rgbas, vmobject)
        shading.frame = self.frames_drawn
        try:
            return super().set_cairo_context_color(ctx, rgbas, vmobject)
        finally:
            shading.frame = None


def orbit(scene: Any, *, phi: float = DEFAULT_PHI, theta: float = DEFAULT_THETA, zoom: float = 1.0,
          rate: float = 0.0, offset: Sequence[float] = (0.0, 0.0)) -> None:
    """Point ``scene``'s camera (``phi``, ``theta`` in degrees) and, when ``rate`` (degrees a second)
    is not zero, start it turning slowly about the z axis for the rest of the segment. The origin is
    drawn at ``offset`` (scene units from the frame's centre) when the camera is a :class:`SpaceCamera`."""
    stop = getattr(scene, "stop_ambient_camera_rotation", None)
    if stop is not None:  # a picture set up before (the segment before, faded out) may have started one
        stop()
    scene.set_camera_orientation(phi=phi * mn.DEGREES, theta=theta * mn.DEGREES, zoom=zoom)
    camera = getattr(scene, "camera", None)
    if isinstance(camera, SpaceCamera):
        camera.offset = np.array([offset[0], offset[1], 0.0])
    if rate:
        scene.begin_ambient_camera_rotation(rate=rate * mn.DEGREES)


def pin(scene: Any, *mobjects: mn.Mobject, show: bool = False) -> None:
    """Pin ``mobjects`` flat to the screen (panels, readouts, titles): the camera's turning does not
    move them. They are added to the scene only when ``show``; otherwise a beat brings them in
    (``Write``, ``FadeIn``) and they stay pinned."""
    scene.add_fixed_in_frame_mobjects(*mobjects)
    if not show:
        scene.remove(*mobjects)


def face_camera(scene: Any, *mobjects: mn.Mobject) -> None:
    """Keep ``mobjects`` (labels at points in space) turned towards the camera as it moves; they stay
    where they are in space. Like :func:`pin`, they are not shown until a beat brings them in."""
    scene.add_fixed_orientation_mobjects(*mobjects)
    scene.remove(*mobjects)


def space_arrow(start: Any, end: Any, color: str, *, scene: Any = None,
                stroke_width: float = 5.0, tip_length: float = 0.28, tip_width: float = 0.22) -> mn.VGroup:
    """An arrow in space: a line and a flat tip that keeps facing the camera (no shaded 3-D surfaces,
    which Cairo draws slowly and out of order with flat shapes).

    The tip is turned towards ``scene``'s camera at every frame when ``scene`` has a 3-D camera;
    otherwise it faces straight up the z axis. ``arrow[0]`` is the line, ``arrow[1]`` the tip; the
    arrow ends at ``end`` exactly.
    """
    a, b = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    line = mn.Line(a, b, color=color, stroke_width=stroke_width)
    tip = mn.Polygon(b, b, b, stroke_width=0, fill_color=color, fill_opacity=1.0)
    group = mn.VGroup(line, tip)
    camera = getattr(scene, "camera", None)
    length = min(tip_length, 0.4 * float(np.linalg.norm(b - a)))

    def turn(mob: mn.Mobject) -> None:
        rotation = getattr(camera, "generate_rotation_matrix", None)
        view = rotation()[2] if rotation is not None else np.array([0.0, 0.0, 1.0])
        p, q = line.get_start(), line.get_end()
        d = q - p
        norm = float(np.linalg.norm(d))
        if norm < 1e-9:
            mob.set_points_as_corners([q, q, q, q])
            return
        d = d / norm
        side = np.cross(d, view)
        if np.linalg.norm(side) < 1e-6:  # looking straight along the arrow
            side = np.cross(d, [1.0, 0.0, 0.0]) if abs(d[0]) < 0.9 else np.cross(d, [0.0, 1.0, 0.0])
        side = side / np.linalg.norm(side) * tip_width / 2
        tail = q - d * min(length, 0.4 * norm)
        mob.set_points_as_corners([q, tail + side, tail - side, q])

    turn(tip)
    tip.add_updater(turn)
    return group


def fitted_space_axes(points: Any, *, length: float = 6.4, pad: float = 0.5) -> mn.ThreeDAxes:
    """Axes centred on the origin covering ``points`` (shape (n, 3)) on every axis, with the same
    range on all three (a cube, so that lengths and right angles look true), ticks at round steps."""
    pts = np.asarray(points, dtype=float).reshape(-1, 3)
    reach = float(np.abs(pts).max(initial=1.0)) + pad
    step = 1.0 if reach <= 6 else float(2 * np.ceil(reach / 12))
    top = float(np.ceil(reach / step) * step)
    return space_axes((-top, top, step), (-top, top, step), (-top, top, step), length=length)


def axis_ticks(ctx: Any, axes: mn.ThreeDAxes, *, names: Sequence[str] = ("x", "y", "z")) -> mn.VGroup:
    """Tick numbers along the positive half of each axis and the axes' names at their ends, made by
    ``ctx`` (so they follow the lecture's typeface); turn them to the camera with :func:`face_camera`."""
    group = mn.VGroup()
    top, step = float(axes.x_range[1]), float(axes.x_range[2])
    ticks = np.arange(step, top - step / 2, step)
    for k, direction in enumerate(np.eye(3)):
        for t in ticks:
            at = axes.c2p(*(direction * t))
            label = ctx.number(t, 0, color=theme.MUTED, size=theme.SMALL_SIZE)
            aside = np.array([0.0, 0.0, -1.0]) if k < 2 else np.array([-1.0, -1.0, 0.0]) / np.sqrt(2)
            label.move_to(at + 0.22 * aside)
            group.add(label)
        name = ctx.label(names[k], color=theme.MUTED, size=theme.LABEL_SIZE)
        name.move_to(axes.c2p(*(direction * top)) + 0.3 * direction)
        group.add(name)
    return group


def turning(scene: Any, steps: Any, degrees: float) -> Any:
    """``steps`` (a beat's), the first of them turning ``scene``'s camera ``degrees`` about the z axis as
    it plays: the camera moves with what is drawn and rests while the narration finishes. Without a 3-D
    camera, or with no turn, the steps are unchanged."""
    tracker = getattr(getattr(scene, "camera", None), "theta_tracker", None)
    first = True
    for step in steps:
        if first and tracker is not None and degrees:
            step = (*(step if isinstance(step, tuple) else (step,)),
                    tracker.animate.increment_value(degrees * mn.DEGREES).build())
        first = False
        yield step
