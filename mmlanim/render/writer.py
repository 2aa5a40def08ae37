"""manim's renderer and file writer, with fewer copies of each frame (imports manim).

At 1080p a frame is 8 MB, and manim copies it twice on its way to the
encoder: the drawing thread copies the camera's pixels for the encoder queue
(``get_frame``), and the encoder copies them again into a video frame before
converting it to YUV. :class:`RingRenderer` instead draws each frame into a
buffer of its own :class:`FrameRing` and hands that buffer to the encoder;
:class:`HoldingEncoder` converts it to YUV straight from the buffer and gives
the buffer back to the ring. The frames written are identical to manim's.

Still holds are cheap too: manim hands a held picture (a ``wait`` with
nothing moving) to its writer once, with a repeat count, but its writer
converts that RGBA frame to YUV again for every repeated frame.
:class:`HoldingEncoder` converts it once and gives the encoder the same YUV
frame at each time stamp; x264 then sees an unchanged picture and codes it as
skipped blocks.
"""

from __future__ import annotations

__all__ = ["FrameRing", "HoldingEncoder", "HoldingFileWriter", "RingRenderer", "segment_renderer"]

import collections
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from manim.camera.camera import Camera
from manim.mobject.mobject import Mobject
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene import Scene
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from manim.typing import RGBAPixelArray


class FrameRing:
    """Frame buffers that the drawing thread fills and the encoder thread gives back.

    A buffer is taken for each frame drawn and given back once the encoder has
    converted it. When none is free (the encoder is behind, or a frame was
    dropped by a failing encoder) a new one is made, up to ``limit``; past
    it, :meth:`take` returns None and the caller copies the frame as manim
    does. Buffers live as long as the ring, so the camera's Cairo contexts,
    which manim caches by the array's ``id``, stay valid.
    """

    def __init__(self, limit: int = 32) -> None:
        self.limit = limit
        self._free: collections.deque[np.ndarray] = collections.deque()  # appends and pops are thread-safe
        self._all: dict[int, np.ndarray] = {}

    def take(self, like: np.ndarray) -> np.ndarray | None:
        """A free buffer shaped as ``like`` (its contents are stale), or None when the ring is full."""
        while True:
            try:
                buffer = self._free.pop()
            except IndexError:
                break
            if buffer.shape == like.shape and buffer.dtype == like.dtype:
                return buffer
        if len(self._all) >= self.limit:
            return None
        buffer = np.empty_like(like)
        self._all[id(buffer)] = buffer
        return buffer

    def give_back(self, buffer: np.ndarray) -> None:
        """Return ``buffer`` once nothing reads it any more (arrays that are not the ring's are ignored)."""
        if self._all.get(id(buffer)) is buffer:
            self._free.append(buffer)

    @property
    def size(self) -> int:
        """Buffers made so far."""
        return len(self._all)


class HoldingEncoder(VideoSegmentEncoder):
    """A segment encoder that converts each frame straight from its buffer, and a repeated frame once."""

    def __init__(self, *args: Any, ring: FrameRing | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ring = ring

    def write_frame(self, pixels: RGBAPixelArray, *, repeat: int = 1) -> None:
        """Encode ``pixels`` (height × width × 4, uint8 RGBA) ``repeat`` times at consecutive time stamps."""
        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        stream: Any = self._stream  # a video stream
        try:
            # The YUV frame is a new picture: the RGBA buffer is free once it is made.
            rgba = av.VideoFrame.from_numpy_buffer(np.ascontiguousarray(pixels, dtype=np.uint8), format="rgba")
            frame = rgba.reformat(format=self.spec.pixel_format)
            del rgba
            if self.ring is not None:
                self.ring.give_back(pixels)
            # A hold is its first and last frame: a player shows the first until the last's time.
            shown = [0, repeat - 1] if repeat > 2 else range(repeat)
            for offset in shown:
                frame.pts = self._next_pts + offset
                frame.time_base = time_base
                for packet in stream.encode(frame):
                    self._container.mux(packet)
            self._next_pts += repeat
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class HoldingFileWriter(SceneFileWriter):
    """manim's scene file writer, encoding through :class:`HoldingEncoder` (with the renderer's ring)."""

    ring: FrameRing | None = None

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:  # pragma: no cover - manim checks this first
            raise RuntimeError("Video segment encoding requires resolved settings.")
        return HoldingEncoder(target=target, spec=self.video_encoder, ring=self.ring)

    def combine_files(self, input_files: list[str], output_file: Path, create_gif: bool = False,
                      includes_sound: bool = False) -> None:
        """Join the partial movies (one per animation or hold) by stream copy, each starting exactly
        where the one before ends: its extent in whole frames, not the container's duration rounded
        to microseconds, so every frame stays on the ``1/fps`` grid
        (:func:`~mmlanim.render.media.join_pictures`)."""
        if create_gif or includes_sound:  # pragma: no cover - segments are silent MP4s
            super().combine_files(input_files, output_file, create_gif, includes_sound)
            return
        from .media import join_pictures

        join_pictures([Path(name) for name in input_files], output_file)


class RingRenderer(CairoRenderer):
    """manim's Cairo renderer drawing each frame into a :class:`FrameRing` buffer handed to the encoder uncopied."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ring = FrameRing()

    def init_scene(self, scene: Scene, *args: Any, **kwargs: Any) -> None:
        super().init_scene(scene, *args, **kwargs)
        if isinstance(self.file_writer, HoldingFileWriter):
            self.file_writer.ring = self.ring

    def render(self, scene: Scene, time: float, moving_mobjects: Iterable[Mobject] | None = None) -> None:
        writer = self.file_writer
        if self.skip_animations or not writer.output_spec.is_video or not isinstance(writer, HoldingFileWriter):
            super().render(scene, time, moving_mobjects)  # nothing is encoded, or manim's own writer
            return
        buffer = self.ring.take(self.camera.pixel_array)
        if buffer is None:
            super().render(scene, time, moving_mobjects)
            return
        own = self.camera.pixel_array
        self.camera.pixel_array = buffer  # the frame is drawn here (update_frame resets it first)
        try:
            self.update_frame(scene, moving_mobjects)
            self.add_frame(buffer)
        finally:
            # Whatever manim draws outside this method (the static picture behind an animation, a
            # frozen frame) goes to the camera's own array, never to a buffer the encoder may still read.
            self.camera.pixel_array = own


def segment_renderer(cheap_holds: bool = True, camera_class: type[Camera] | None = None) -> CairoRenderer:
    """The renderer a segment's scene draws with (manim's own renderer and writer when ``cheap_holds`` is
    off), with ``camera_class``'s camera (manim's flat camera by default; a 3-D scene's is ``ThreeDCamera``)."""
    if not cheap_holds:
        return CairoRenderer(file_writer_class=SceneFileWriter, camera_class=camera_class)
    return RingRenderer(file_writer_class=HoldingFileWriter, camera_class=camera_class)
