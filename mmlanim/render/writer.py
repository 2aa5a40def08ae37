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
:class:`HoldingEncoder` converts it once and stores the hold as its first and
last frame (both P frames, the last coded as unchanged).

And a segment is one stream: manim opens an encoder for every animation and
hold (each file starting on a key frame) and joins the files at the end;
:class:`HoldingFileWriter` writes every animation of the scene into one
encoder (fewer key frames, no encoder set up per animation, nothing to join).
"""

from __future__ import annotations

__all__ = ["FrameRing", "HoldingEncoder", "HoldingFileWriter", "RingRenderer", "segment_renderer"]

import collections
import os
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from av.video.frame import PictureType
from av.video.reformatter import VideoReformatter
from manim.camera.camera import Camera
from manim.mobject.mobject import Mobject
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene import Scene
from manim.scene.scene_file_writer import SceneFileWriter, _PartialMovieEncodeJob
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
    """A segment encoder that converts each frame straight from its buffer, and a repeated frame once.

One converter (RGBA to YUV) serves every frame of the stream.

    Its last packet lasts until the picture's end (the muxer takes every other
    packet's length from the next one's decoding time, and an MP4 track's length
    is its decoding times' span less the first packet's lead), so the file's
    video track lasts as long as its picture, final hold included.
    """

    def __init__(self, *args: Any, ring: FrameRing | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ring = ring
        self._held: av.Packet | None = None  # the latest packet, muxed when the next one comes
        self._delay: int | None = None  # the first packet's decoding lead (pts - dts), in its ticks
        # One converter for the whole stream: ``VideoFrame.reformat`` sets up a new one for every frame,
        # which at 480p costs as much as the conversion itself.
        self._to_yuv = VideoReformatter()

    def _mux(self, packet: av.Packet) -> None:
        if self._delay is None:
            self._delay = (packet.pts or 0) - (packet.dts or 0)
        if self._held is not None:
            self._container.mux(self._held)
        self._held = packet

    def write_frame(self, pixels: RGBAPixelArray, *, repeat: int = 1) -> None:
        """Encode ``pixels`` (height × width × 4, uint8 RGBA) ``repeat`` times at consecutive time stamps."""
        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        stream: Any = self._stream  # a video stream
        try:
            # The YUV frame is a new picture: the RGBA buffer is free once it is made.
            rgba = av.VideoFrame.from_numpy_buffer(np.ascontiguousarray(pixels, dtype=np.uint8), format="rgba")
            frame = self._to_yuv.reformat(rgba, format=self.spec.pixel_format)
            del rgba
            if self.ring is not None:
                self.ring.give_back(pixels)
            # A hold is its first and last frame: a player shows the first until the last's time. Both
            # are P frames: the first, shown for the whole hold, is not a B frame's lesser picture,
            # and the last is coded from it (as unchanged), never from the frames after the hold.
            shown = [0, repeat - 1] if repeat > 2 else range(repeat)
            frame.pict_type = PictureType.P if repeat > 2 else PictureType.NONE
            for offset in shown:
                frame.pts = self._next_pts + offset
                frame.time_base = time_base
                for packet in stream.encode(frame):
                    self._mux(packet)
            self._next_pts += repeat
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    def finish(self) -> None:
        """Flush the encoder, give the last packet the rest of the picture, and close the file."""
        if self._closed:
            return
        self._closed = True
        stream: Any = self._stream  # a video stream
        error: BaseException | None = None
        try:
            for packet in stream.encode():
                self._mux(packet)
            last, self._held = self._held, None
            if last is not None:
                end = Fraction(self._next_pts * self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
                # The track ends where the last packet's decoding ends, less the first's lead.
                last.duration = max(1, round(end / last.time_base) - (self._delay or 0) - (last.dts or 0))
                self._container.mux(last)
        except BaseException as exc:
            error = exc
        try:
            self._container.close()
        except BaseException as exc:
            error = error or exc
        if error is not None:
            raise self._operation_error("finish", error) from error


class HoldingFileWriter(SceneFileWriter):
    """manim's scene file writer, encoding the whole scene as one stream through one :class:`HoldingEncoder`.

    manim opens an encoder for every animation and hold (a partial movie, each
    starting on a key frame, several encoding at once) and then joins the
    partial movies. Here the first animation opens the one encoder, every
    later one writes on in the same stream (one encoding thread keeps the
    frames in order), and :meth:`finish` closes it: no encoder is set up and
    drained per animation, no key frame starts each one, and nothing is joined.
    Frames drawn outside an animation are dropped, as manim drops them.
    """

    ring: FrameRing | None = None
    _stream_job: _PartialMovieEncodeJob | None = None

    @property
    def _picture_path(self) -> Path:
        """Where the scene's one stream is written, before it becomes the movie."""
        return self.partial_movie_directory / f"picture{self.output_spec.segment_extension}"

    def open_partial_movie_stream(self, *, animation_index: int, file_path: Any = None) -> None:
        if self._stream_job is None:
            if self.video_encoder is None:  # pragma: no cover - manim checks this first
                raise RuntimeError("Video segment encoding requires resolved settings.")
            encoder = HoldingEncoder(target=self._picture_path, spec=self.video_encoder, ring=self.ring)
            self._stream_job = _PartialMovieEncodeJob(animation_index=animation_index, encoder=encoder,
                                                      frame_queue_size=self.settings.encoder_queue_size)
        elif self._stream_job.failed:  # the encoder broke in the last animation: say so now
            self._finish_stream()
        self._current_encode_job = self._stream_job

    def close_partial_movie_stream(self) -> None:
        if self._current_encode_job is None:
            raise RuntimeError("close_partial_movie_stream() called without an open partial movie stream.")
        self._current_encode_job = None  # the stream stays open for the next animation

    def _finish_stream(self) -> None:
        job, self._stream_job, self._current_encode_job = self._stream_job, None, None
        if job is not None:
            job.seal()
            job.join()  # raises what broke the encoder (which has then removed its file)

    def finish(self) -> None:
        if self.output_spec.is_video:
            self._finish_stream()
        super().finish()

    def abort_encode_jobs(self, reraise_encoder_failures: bool = False) -> None:
        if self._stream_job is not None:
            self._current_encode_job, self._stream_job = self._stream_job, None
        super().abort_encode_jobs(reraise_encoder_failures)

    def combine_to_movie(self) -> None:
        """The scene's one stream is its movie (manim would join its partial movies here)."""
        if self.output_spec.is_gif or self.includes_sound:  # pragma: no cover - segments are silent MP4s
            raise RuntimeError("a segment's picture is a silent video")
        if not any(self.partial_movie_files):  # as manim: a scene without animations makes no movie
            return
        self.movie_file_path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._picture_path, self.movie_file_path)


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
