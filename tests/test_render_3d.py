"""A kind that sets ``three_d`` is rendered in a 3-D scene: its camera's orientation decides the picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydantic import Field

from mmlanim.quality import quality
from mmlanim.visuals import Visual, VisualParams, beat

SIZE = (160, 90)


class Pole(Visual):
    """A dot at height ``z`` above the origin, seen from ``phi`` degrees off the vertical."""

    three_d = True

    class Params(VisualParams):
        z: float = Field(2.0, description="Height of the dot.")
        phi: float = Field(0.0, description="Camera angle from the z axis, degrees.")

    def setup(self, scene):
        import manim as mn

        from mmlanim.visuals._space import face_camera, orbit

        orbit(scene, phi=self.params.phi, theta=-90.0)
        self.dot = mn.Dot(np.array([0.0, 0.0, self.params.z]), radius=0.4, color="#FFFFFF")
        face_camera(scene, self.dot)  # a disc turned to the camera, not seen edge-on

    @beat("Show the dot.")
    def show(self, scene):
        import manim as mn

        yield mn.FadeIn(self.dot)


class FlatPole(Pole):
    three_d = False


class PoleKind(Pole, kind="test_pole"):
    pass


class FlatPoleKind(FlatPole, kind="test_flat_pole"):
    def setup(self, scene):
        import manim as mn

        self.dot = mn.Dot(np.array([0.0, 0.0, self.params.z]), radius=0.4, color="#FFFFFF")


def brightest_row(cls: type[Visual], params: dict, out: Path) -> float:
    """The mean row (0 = top) of the frame's white pixels, as a fraction of its height."""
    from mmlanim.render.segment import render_last_frame

    visual = cls(cls.model.model_validate({"kind": cls.kind, **params}))
    png = render_last_frame(visual, quality("l", SIZE), out)
    pixels = np.asarray(Image.open(png).convert("L"), dtype=float)
    rows = np.nonzero(pixels > 200)[0]
    assert rows.size, "the dot was not drawn"
    return float(rows.mean()) / pixels.shape[0]


def test_the_scene_class_follows_the_kind() -> None:
    import manim as mn

    from mmlanim.render.scene import SegmentScene3D, scene_class_for

    assert scene_class_for(PoleKind) is SegmentScene3D
    assert issubclass(SegmentScene3D, mn.ThreeDScene)
    assert not issubclass(scene_class_for(FlatPoleKind), mn.ThreeDScene)


@pytest.mark.parametrize("phi", [60.0, 80.0])
def test_a_point_above_the_plane_rises_on_screen_as_the_camera_tilts(tmp_path: Path, phi: float) -> None:
    # Seen from straight above (phi = 0) the dot at height 2 sits on the origin, the frame's centre.
    top = brightest_row(PoleKind, {"z": 2.0, "phi": 0.0}, tmp_path / "top.png")
    assert top == pytest.approx(0.5, abs=0.03)
    # Tilted, the camera sees height: the dot is drawn above the centre, by about z·sin(phi) scene units
    # (perspective makes it a little more), out of a frame 8 units high.
    tilted = brightest_row(PoleKind, {"z": 2.0, "phi": phi}, tmp_path / "tilted.png")
    expected = 0.5 - 2.0 * np.sin(np.radians(phi)) / 8.0
    assert tilted < 0.5
    assert tilted == pytest.approx(expected, abs=0.06)
    # A flat scene ignores height altogether.
    assert brightest_row(FlatPoleKind, {"z": 2.0}, tmp_path / "flat.png") == pytest.approx(0.5, abs=0.03)


def test_an_orbiting_camera_keeps_every_beat_to_its_frames(tmp_path: Path) -> None:
    import av

    from mmlanim.render.segment import render_segment_video

    class Orbiting(PoleKind):
        def setup(self, scene):
            super().setup(scene)
            from mmlanim.visuals._space import orbit

            self.dot.move_to([2.0, 0.0, 0.0])  # off the axis the camera turns about
            orbit(scene, phi=60.0, theta=-90.0, rate=20.0)

    visual = Orbiting(PoleKind.model.model_validate({"kind": "test_pole", "phi": 60.0}))
    # A beat of 2 s at 15 fps: 1 s of animation, then 15 frames held while the camera keeps turning.
    out = render_segment_video(visual, [("show", 2.0)], quality("l", SIZE), tmp_path / "orbit.mp4")
    with av.open(str(out)) as container:
        frames = [f.to_ndarray(format="gray").astype(float) for f in container.decode(video=0)]
    assert len(frames) == 32  # 2 s and a little more, to end on a whole AAC frame: 2.1333 s × 15
    # The hold is not a frozen frame: the camera turns on.
    assert np.abs(frames[-1] - frames[-10]).max() > 30
