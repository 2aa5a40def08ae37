"""Still pictures taken from a lecture video at chosen frames (decoded with PyAV)."""

from __future__ import annotations

__all__ = ["frame_stills", "last_frame_of"]

import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError

if TYPE_CHECKING:
    from PIL import Image

#: Decode on from the current picture rather than seek when the next still is this close (seconds).
_SEEK_GAP = 4.0


def last_frame_of(end: float, fps: int) -> int:
    """The index of the last frame shown before ``end`` seconds.

    A beat ending at ``end`` in the narration ends on the frame nearest to it
    in the video (see :func:`mmlanim.framing.beat_frames`), so its last
    frame is the one before that boundary.
    """
    return max(0, round(end * fps) - 1)


def frame_stills(video: Path, frames: Sequence[int], fps: int, max_width: int | None = None) -> list[Image.Image]:
    """The pictures of ``video`` at the given frame indices.

    Parameters
    ----------
    video : Path
        An MP4 with one video track.
    frames : sequence of int
        Frame indices, shape ``(n,)``, in any order; past the end, the last frame.
    fps : int
        The video's frame rate.
    max_width : int, optional
        Scale pictures wider than this down (keeping the aspect ratio).

    Returns
    -------
    list of PIL.Image.Image
        RGB pictures, one per index, in the order given.

    Raises
    ------
    UserError
        If the video cannot be decoded.
    """
    import av

    wanted = sorted(set(frames))
    found: dict[int, Image.Image] = {}
    try:
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            time_base = stream.time_base
            if time_base is None:
                raise UserError(f"{video}: its video track has no time base")
            decoded: Iterator[av.VideoFrame] | None = None
            position = -1
            last: Image.Image | None = None
            for index in wanted:
                if decoded is None or (index - position) / fps > _SEEK_GAP:
                    container.seek(int(index / fps / time_base), stream=stream, backward=True)
                    decoded = container.decode(stream)
                picture = None
                for frame in decoded:
                    position = round(float(frame.time or 0.0) * fps)
                    last = frame.to_image()
                    if position >= index:
                        picture = last
                        break
                if picture is None:  # past the end: the last picture
                    if last is None:
                        raise UserError(f"{video}: no picture to take a still from")
                    picture = last
                found[index] = picture
    except (av.FFmpegError, OSError) as exc:
        raise UserError(f"cannot read {video}: {exc}") from None
    return [_scaled(found[i], max_width) for i in frames]


def _scaled(image: Image.Image, max_width: int | None) -> Image.Image:
    if max_width is None or image.width <= max_width:
        return image
    height = max(1, math.floor(image.height * max_width / image.width))
    return image.resize((max_width, height))
