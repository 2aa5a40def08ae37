"""An mmlanim plugin: the visual kind ``dots``."""

from __future__ import annotations

from pydantic import Field

from mmlanim.visuals import Visual, VisualParams, beat


class Dots(Visual, kind="dots"):
    """Dots on a plane, then one of them circled.

    The plane spans -7..7 by -4..4; each dot is drawn at its [x, y].
    """

    class Params(VisualParams):
        points: list[list[float]] = Field(min_length=1, max_length=100,
                                          description="The dots, as [x, y] pairs.")
        color: str = Field("#58C4DD", pattern=r"^#[0-9A-Fa-f]{6}$",
                           description="Colour of the dots, as #RRGGBB.")
        circled: int | None = Field(None, ge=0,
                                    description="0-based index of the dot circled in the last beat.")

    example = {"points": [[-3, -1], [0, 2], [3, 0]], "circled": 1}

    def check(self):
        """Checks beyond types, reported at the line of the offending value."""
        for i, point in enumerate(self.params.points):
            if len(point) != 2:
                yield ("points", i), f"a dot is [x, y], not {len(point)} numbers"
        n = len(self.params.points)
        if self.params.circled is not None and self.params.circled >= n:
            yield ("circled",), f"there are only {n} dots (0 to {n - 1})"

    def setup(self, scene):
        import manim as mn  # imported when rendering only: `mmlanim validate` stays fast

        scene.add(mn.NumberPlane(x_range=[-7, 7], y_range=[-4, 4]))
        self.dots = mn.VGroup(*(mn.Dot([x, y, 0], radius=0.12, color=self.params.color)
                                for x, y in self.params.points))

    @beat("Draw the dots one after the other.")
    def show_dots(self, scene):
        import manim as mn

        yield mn.LaggedStart(*(mn.GrowFromCenter(d) for d in self.dots), lag_ratio=0.3)

    @beat("Circle one of the dots.")
    def circle_dot(self, scene):
        import manim as mn

        if self.params.circled is not None:
            yield mn.Create(mn.Circle(radius=0.35, color=mn.YELLOW).move_to(self.dots[self.params.circled]))
