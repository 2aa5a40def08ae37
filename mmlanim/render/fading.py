"""Cheaper fades: a plain ``FadeIn`` played by scaling opacities, not by copying and interpolating.

manim's ``FadeIn`` is a transform from a faded copy of the mobject to another
copy of it: as it begins it deep-copies the mobject twice (a formula, a plane
or a field of arrows: hundreds of members), and in every frame it interpolates
every member's points and colours between the two copies, although only the
opacities change. Fades are the commonest animation of a lecture (a line of the
panel, a label, a set of arrows), so this was about a tenth of the drawing.

:func:`opacity_fade_in` plays a plain ``FadeIn`` (no shift, no scale, no target
position, of vectorized mobjects only) as :class:`OpacityFadeIn`: each member's
colours are kept once, and each frame sets them with their opacities scaled by
the member's progress (the same progress, rate function and lag as manim's).
manim's frames interpolate the colours' red, green and blue between two equal
values and the opacity up from zero, so they are the same up to rounding; the
last frame restores the colours exactly as they were.
"""

from __future__ import annotations

__all__ = ["OpacityFadeIn", "opacity_fade_in"]

from typing import Any

import manim as mn
import numpy as np
from manim.animation.animation import Animation

#: A vectorized mobject's colour arrays; column 3 of each is the opacity.
_COLOURS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")


class OpacityFadeIn(mn.FadeIn):
    """A ``FadeIn`` in place (no shift or scale) that scales its members' opacities: no copies."""

    def begin(self) -> None:
        self._colours: dict[int, tuple[Any, tuple[np.ndarray, ...]]] = {}
        for member in self.mobject.family_members_with_points():
            self._kept(member)
        Animation.begin(self)  # manim's own start (updating suspended, the first frame), minus the copies

    def _kept(self, member: Any) -> tuple[np.ndarray, ...]:
        """``member``'s colours as they were when the fade first met it. A member that joins the family
        while it fades (another animation of the same step rebuilt a part of it) is kept as it is when
        met; the member itself is held with its colours, so that no id is reused while the fade lasts."""
        entry = self._colours.get(id(member))
        if entry is None or entry[0] is not member:
            entry = self._colours[id(member)] = (member, tuple(getattr(member, name).copy() for name in _COLOURS))
        return entry[1]

    def create_starting_mobject(self) -> Any:
        return self.mobject  # nothing to start from: the colours kept in ``begin`` are the reference

    def get_all_mobjects(self) -> list[Any]:
        return [self.mobject]

    def get_all_families_zipped(self) -> Any:
        return zip(self.mobject.family_members_with_points())

    def interpolate_submobject(self, submobject: Any, alpha: float) -> OpacityFadeIn:  # type: ignore[override]
        # (one family zipped: manim hands each member and its progress)
        for name, colours in zip(_COLOURS, self._kept(submobject)):
            faded = colours.copy()
            faded[:, 3] *= alpha
            setattr(submobject, name, faded)
        return self

    def finish(self) -> None:
        super().finish()
        for member in self.mobject.family_members_with_points():  # exactly the colours it had
            for name, colours in zip(_COLOURS, self._kept(member)):
                setattr(member, name, colours.copy())


def opacity_fade_in(animation: Any) -> Any:
    """``animation`` as an :class:`OpacityFadeIn` when it is a plain manim ``FadeIn`` of vectorized
    mobjects (no shift, scale or target position); any other animation, unchanged."""
    if type(animation) is not mn.FadeIn or animation.point_target or animation.scale_factor != 1:
        return animation
    mobject: Any = animation.mobject
    if np.any(animation.shift_vector) or not all(isinstance(m, mn.VMobject) for m in mobject.get_family()):
        return animation
    return OpacityFadeIn(mobject, run_time=animation.run_time, rate_func=animation.rate_func,
                         lag_ratio=animation.lag_ratio, name=animation.name)
