"""manim's file writer with cheap still holds (imports manim).

manim hands a held picture (a ``wait`` with nothing moving) to its writer
once, with a repeat count, but the writer converts that RGBA frame to YUV
again for every repeated frame. :class:`HoldingEncoder` converts it once
and gives the encoder the same YUV frame at each time stamp; x264 then sees
an unchanged picture and codes it as skipped blocks. The frames written are
identical to manim's own writer's.
"""

from __future__ import annotations

__all__ = ["HoldingEncoder", "HoldingFileWriter", "segment_renderer"]

from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from manim.camera.camera import Camera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from manim.typing import RGBAPixelArray


class HoldingEncoder(VideoSegmentEncoder):
    """A segment encoder that converts a repeated frame once, not once per repeat."""

    def write_frame(self, pixels: RGBAPixelArray, *, repeat: int = 1) -> None:
        """Encode ``pixels`` (height × width × 4, uint8 RGBA) ``repeat`` times at consecutive time stamps."""
        if repeat == 1:
            super().write_frame(pixels, repeat=1)
            return
        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        stream: Any = self._stream  # a video stream
        try:
            rgba = av.VideoFrame.from_ndarray(pixels, format="rgba")  # type: ignore[arg-type]  # uint8 RGBA
            frame = rgba.reformat(format=self.spec.pixel_format)
            for _ in range(repeat):
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class HoldingFileWriter(SceneFileWriter):
    """manim's scene file writer, encoding through :class:`HoldingEncoder`."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:  # pragma: no cover - manim checks this first
            raise RuntimeError("Video segment encoding requires resolved settings.")
        return HoldingEncoder(target=target, spec=self.video_encoder)


def segment_renderer(cheap_holds: bool = True, camera_class: type[Camera] | None = None) -> CairoRenderer:
    """The renderer a segment's scene draws with (manim's own writer when ``cheap_holds`` is off), with
    ``camera_class``'s camera (manim's flat camera by default; a 3-D scene's is ``ThreeDCamera``)."""
    return CairoRenderer(file_writer_class=HoldingFileWriter if cheap_holds else SceneFileWriter,
                         camera_class=camera_class)
