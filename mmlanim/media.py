"""MP4 muxing with PyAV: narrated segments and the whole lecture.

No ffmpeg program is needed and the picture is never re-encoded: video
packets are copied, and the narration is encoded once as AAC. The lecture's
audio is one track encoded from the concatenation of every segment's audio,
each padded to its segment's video duration, so sound and picture cannot
drift apart at segment joins.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from mmlanim.fsutil import atomic_path
from mmlanim.narration.audio import SAMPLE_RATE
from mmlanim.narration.chapters import Chapter

__all__ = [
    "AUDIO_BIT_RATE",
    "AUDIO_LAYOUT",
    "MediaError",
    "MediaInfo",
    "join_segments",
    "mux_segment",
    "probe",
]

#: Channel layout of the AAC track: the narration is one voice, and a mono
#: track encodes in less than half the time of a duplicated stereo one.
AUDIO_LAYOUT = "mono"
#: Bit rate of the AAC track, bits per second.
AUDIO_BIT_RATE = 96_000
_CHAPTER_TIME_BASE = Fraction(1, 1000)


class MediaError(ValueError):
    """A video file cannot be read or the segments cannot be joined."""


@dataclass(frozen=True)
class MediaInfo:
    """What :func:`probe` finds in a media file.

    Attributes
    ----------
    video_duration : float
        Seconds from the first frame's start to the last frame's end.
    audio_duration : float
        Seconds of the first audio track (0 without audio).
    fps : float
        Average frame rate.
    width, height : int
        Picture size in pixels.
    n_video_frames : int
        Number of video packets (one frame each).
    has_audio : bool
        Whether there is an audio track.
    chapters : tuple of Chapter
        Embedded chapters.
    title : str or None
        The ``title`` metadata.
    """

    video_duration: float
    audio_duration: float
    fps: float
    width: int
    height: int
    n_video_frames: int
    has_audio: bool
    chapters: tuple[Chapter, ...]
    title: str | None


def _packets(
    container: av.container.InputContainer, *streams: av.stream.Stream
) -> Iterator[av.Packet]:
    """The container's packets of ``streams``, without the empty flush packets."""
    for packet in container.demux(*streams):
        if packet.dts is not None and packet.size:
            yield packet


def _span(packets: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """First start and last end of ``(pts, duration)`` pairs, in stream ticks."""
    return min(pts for pts, _ in packets), max(pts + dur for pts, dur in packets)


def _open(path: Path) -> av.container.InputContainer:
    try:
        return av.open(str(path))
    except (av.FFmpegError, OSError) as exc:
        raise MediaError(f"cannot open media file {path}: {exc}") from exc


def probe(path: Path) -> MediaInfo:
    """Describe a video file (durations measured from its packets).

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    MediaInfo

    Raises
    ------
    MediaError
        If the file cannot be opened or has no video track.
    """
    with _open(path) as container:
        if not container.streams.video:
            raise MediaError(f"{path} has no video track")
        video = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        streams = [s for s in (video, audio) if s is not None]
        found: dict[int, list[tuple[int, int]]] = {s.index: [] for s in streams}
        for packet in _packets(container, *streams):
            found[packet.stream.index].append((packet.pts, packet.duration))
        frames = found[video.index]
        v_start, v_end = _span(frames) if frames else (0, 0)
        audio_duration = 0.0
        if audio is not None and found[audio.index]:
            # Encoder priming before 0 is cut by the edit list: count from 0.
            a_start, a_end = _span(found[audio.index])
            audio_duration = float((a_end - max(a_start, 0)) * audio.time_base)
        chapters = tuple(
            Chapter(
                float(c["start"] * c["time_base"]),
                float(c["end"] * c["time_base"]),
                c["metadata"].get("title", ""),
            )
            for c in container.chapters()
        )
        rate = video.base_rate or video.guessed_rate or video.average_rate or 0
        return MediaInfo(
            video_duration=float((v_end - v_start) * video.time_base),
            audio_duration=audio_duration,
            fps=float(rate),
            width=video.codec_context.width,
            height=video.codec_context.height,
            n_video_frames=len(frames),
            has_audio=audio is not None,
            chapters=chapters,
            title=container.metadata.get("title"),
        )


@dataclass(frozen=True)
class _VideoPart:
    """A video-only input: its stream's parameters and extent in ticks."""

    path: Path
    codec: str
    width: int
    height: int
    pix_fmt: str | None
    rate: Fraction | None
    extradata: bytes
    time_base: Fraction
    start: int
    end: int

    @property
    def duration(self) -> Fraction:
        return (self.end - self.start) * self.time_base

    def mismatch(self, other: _VideoPart) -> str | None:
        """Why ``other`` cannot be appended to this part by stream copy."""
        for field in ("codec", "width", "height", "pix_fmt", "rate", "extradata"):
            if getattr(self, field) != getattr(other, field):
                shown = "encoder headers" if field == "extradata" else field
                return (
                    f"{other.path} differs from {self.path} in {shown} "
                    f"({getattr(other, field)!r:.60} vs {getattr(self, field)!r:.60}); "
                    "segments joined without re-encoding must share codec, size, "
                    "pixel format, frame rate and encoder settings"
                )
        return None


def _scan(path: Path) -> _VideoPart:
    """Read a video file's stream parameters and extent (no decoding)."""
    with _open(path) as container:
        if not container.streams.video:
            raise MediaError(f"{path} has no video track")
        stream = container.streams.video[0]
        packets = [(p.pts, p.duration) for p in _packets(container, stream)]
        if not packets:
            raise MediaError(f"{path} has no video frames")
        start, end = _span(packets)
        context = stream.codec_context
        return _VideoPart(
            path=path,
            codec=context.name,
            width=context.width,
            height=context.height,
            pix_fmt=context.pix_fmt,
            rate=stream.base_rate or stream.guessed_rate or stream.average_rate,
            extradata=bytes(context.extradata or b""),
            time_base=stream.time_base,
            start=start,
            end=end,
        )


class _AudioTrack:
    """Encodes mono samples as the output's AAC track, on demand, in order."""

    def __init__(self, container: av.container.OutputContainer, samples: np.ndarray) -> None:
        self.container = container
        self.stream = container.add_stream("aac", rate=SAMPLE_RATE, layout=AUDIO_LAYOUT)
        self.stream.bit_rate = AUDIO_BIT_RATE
        self.samples = np.asarray(samples, dtype=np.float32)
        self.frame_size = self.stream.codec_context.frame_size or 1024
        self.channels = self.stream.codec_context.layout.nb_channels
        self.done = 0  # samples encoded

    def encode_until(self, seconds: float) -> None:
        """Encode and mux the samples up to ``seconds``."""
        stop = min(len(self.samples), int(seconds * SAMPLE_RATE))
        while self.done < stop:
            chunk = self.samples[self.done : self.done + self.frame_size]
            planes = np.ascontiguousarray(np.broadcast_to(chunk, (self.channels, len(chunk))))
            frame = av.AudioFrame.from_ndarray(planes, format="fltp", layout=AUDIO_LAYOUT)
            frame.sample_rate = SAMPLE_RATE
            frame.time_base = Fraction(1, SAMPLE_RATE)
            frame.pts = self.done
            self.container.mux(self.stream.encode(frame))
            self.done += len(chunk)

    def finish(self) -> None:
        """Encode what is left and flush the encoder."""
        self.encode_until(len(self.samples) / SAMPLE_RATE + 1)
        self.container.mux(self.stream.encode(None))


def _fitted(samples: np.ndarray, seconds: Fraction) -> np.ndarray:
    """``samples`` (mono) trimmed or padded with silence to ``seconds``."""
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    length = round(seconds * SAMPLE_RATE)
    out = np.zeros(length, dtype=np.float32)
    out[: min(length, len(samples))] = samples[:length]
    return out


def _write_mp4(
    out_path: Path,
    videos: Sequence[Path],
    samples: np.ndarray,
    chapters: Sequence[Chapter] = (),
    title: str | None = None,
) -> list[float]:
    """Copy the videos back to back, add the AAC track; return segment starts."""
    if not videos:
        raise MediaError("no video to write")
    parts = [_scan(Path(v)) for v in videos]
    for part in parts[1:]:
        problem = parts[0].mismatch(part)
        if problem:
            raise MediaError(problem)
    starts = np.cumsum([Fraction(0)] + [p.duration for p in parts])
    total = starts[-1]
    with atomic_path(Path(out_path)) as tmp:
        with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            with _open(parts[0].path) as first:
                video_out = out.add_stream_from_template(first.streams.video[0])
            audio = _AudioTrack(out, _fitted(samples, total))
            if title:
                out.metadata["title"] = title
            if chapters:
                out.set_chapters(
                    [
                        {
                            "id": number,
                            "start": round(c.start / _CHAPTER_TIME_BASE),
                            "end": round(min(Fraction(c.end), total) / _CHAPTER_TIME_BASE),
                            "time_base": _CHAPTER_TIME_BASE,
                            "metadata": {"title": c.title},
                        }
                        for number, c in enumerate(chapters, start=1)
                    ]
                )
            for part, start in zip(parts, starts):
                shift = round(start / part.time_base) - part.start
                with _open(part.path) as container:
                    for packet in _packets(container, container.streams.video[0]):
                        audio.encode_until(float((packet.dts + shift) * part.time_base) + 0.5)
                        packet.pts += shift
                        packet.dts += shift
                        packet.stream = video_out
                        out.mux(packet)
            audio.finish()
    return [float(s) for s in starts[:-1]]


def mux_segment(video_path: Path, samples: np.ndarray, out_path: Path) -> None:
    """Add narration to a video-only segment, copying the picture as is.

    Parameters
    ----------
    video_path : Path
        A video-only MP4 (H.264, as manim writes it).
    samples : numpy.ndarray
        Mono float32 narration at ``SAMPLE_RATE``; trimmed or padded with
        silence to the video's exact duration.
    out_path : Path
        The MP4 to write (replaced atomically).

    Raises
    ------
    MediaError
        If the video cannot be read.
    """
    _write_mp4(Path(out_path), [Path(video_path)], samples)


def join_segments(
    segment_videos: Sequence[Path],
    audio: np.ndarray,
    out_path: Path,
    chapters: Sequence[Chapter] = (),
    title: str | None = None,
) -> list[float]:
    """Join segment videos into the lecture MP4 with one narration track.

    The video streams are concatenated by packet copy (timestamps shifted by
    the preceding segments' durations); any audio in the segment files is
    ignored. ``audio`` becomes the single AAC track, trimmed or padded to the
    total video duration.

    Parameters
    ----------
    segment_videos : sequence of Path
        Segment MP4s in order, all with the same codec, picture size, pixel
        format, frame rate and encoder settings.
    audio : numpy.ndarray
        The whole lecture's mono narration at ``SAMPLE_RATE``: every
        segment's audio padded to that segment's video duration, back to back
        (see :func:`mmlanim.narration.plan.lecture_samples`).
    out_path : Path
        The lecture MP4 (replaced atomically).
    chapters : sequence of Chapter, optional
        Embedded as MP4 chapters (each chapter's end is clipped to the video).
    title : str, optional
        The ``title`` metadata.

    Returns
    -------
    list of float
        Each segment's start in the lecture, seconds.

    Raises
    ------
    MediaError
        If a segment cannot be read or differs from the first in a way that
        stream copy cannot join.
    """
    return _write_mp4(Path(out_path), [Path(v) for v in segment_videos], audio, chapters, title)
