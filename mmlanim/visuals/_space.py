"""Helpers for 3-D kinds (``three_d = True``): themed axes, the camera's orbit, text pinned flat.

A 3-D kind's ``setup(scene)`` receives a manim ``ThreeDScene`` (see
:func:`mmlanim.render.scene.scene_class_for`). Numbers and labels still come from
``self.ctx``; this module only places them in space.
"""

from __future__ import annotations

__all__ = ["DEFAULT_PHI", "DEFAULT_THETA", "face_camera", "orbit", "pin", "space_axes"]

from collections.abc import Sequence
from typing import Any

import manim as mn

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
    return axes


def orbit(scene: Any, *, phi: float = DEFAULT_PHI, theta: float = DEFAULT_THETA, zoom: float = 1.0,
          rate: float = 0.0) -> None:
    """Point ``scene``'s camera (``phi``, ``theta`` in degrees) and, when ``rate`` (degrees a second)
    is not zero, start it turning slowly about the z axis for the rest of the segment."""
    scene.set_camera_orientation(phi=phi * mn.DEGREES, theta=theta * mn.DEGREES, zoom=zoom)
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
