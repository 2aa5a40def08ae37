"""The animation that shows a readout's new numbers (imports manim: load it lazily).

See :func:`mmlanim.visuals._layout.count_to`, which builds it.
"""

from __future__ import annotations

__all__ = ["ShowReadout"]

from typing import Any

import manim as mn

from ._layout import take_on


class ShowReadout(mn.Animation):
    """``mobject`` shows ``new``'s numbers from the first frame on (copied in once, by :func:`take_on`).

    Nothing is interpolated, so unlike ``UpdateFromAlphaFunc`` it makes no starting copy of the readout.
    """

    def __init__(self, mobject: Any, new: Any, **kwargs: Any) -> None:
        super().__init__(mobject, suspend_mobject_updating=False, **kwargs)
        self.new = new
        self.shown = False

    def create_starting_mobject(self) -> Any:
        return self.mobject  # nothing is interpolated from a copy: none is made

    def interpolate_mobject(self, alpha: float) -> None:
        if alpha > 0 and not self.shown:  # once: later frames would copy the same digits again
            take_on(self.mobject, self.new)
            self.shown = True
