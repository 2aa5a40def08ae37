"""Encoding a segment's picture: the chosen x264 settings reach the file, the cache key
covers them, and frames handed to the encoder uncopied (a hold converted once and stored as its
first and last frame) show what manim's own renderer and writer show."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from av.video.frame import PictureType
from reliability.decoding import pictures

from mmlanim.quality import Quality, quality
from mmlanim.render import encoding
from mmlanim.render.encoding import DRAFT_ENCODER, ENCODER, EncoderSettings, encoder_fingerprint, encoder_for
from mmlanim.visuals import registry

pytestmark = pytest.mark.render


def _frames(path: Path, exact: bool = True) -> np.ndarray:
    """The picture at every frame of ``path`` (15 fps) as (n, height, width, 3) uint8 RGB."""
    return np.stack([picture for _, picture in pictures(path, 15, exact=exact)])


def _x264_settings(path: Path) -> str:
    """The settings line x264 writes into the stream it encodes (its own record, not ours)."""
    data = path.read_bytes()
    start = data.index(b"x264 - core")
    return data[start:data.index(b"\x00", start)].decode("ascii", errors="replace")


def _render(tmp_path: Path, name: str, q: Quality | None = None, **kwargs: object) -> Path:
    from mmlanim.render.segment import render_segment_video

    cls = registry()["vectors"]
    # Each beat lasts 2.5 s: its steps play, then the picture holds still.
    beats = [(b.name, 2.5) for b in cls.beats]
    return render_segment_video(cls(cls.example_params()), beats, q or quality("l", (128, 72)),
                                tmp_path / f"{name}.mp4", draw_text=False, **kwargs)  # type: ignore[arg-type]


def test_frames_handed_over_uncopied_and_cheap_holds_match_manims_writer(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from mmlanim.render.writer import HoldingEncoder

    repeats: list[int] = []
    from_ring: list[bool] = []
    rings = set()
    real = HoldingEncoder.write_frame

    def spy(self: HoldingEncoder, pixels: np.ndarray, *, repeat: int = 1) -> None:
        repeats.append(repeat)
        assert self.ring is not None
        rings.add(id(self.ring))
        from_ring.append(self.ring._all.get(id(pixels)) is pixels)
        real(self, pixels, repeat=repeat)

    monkeypatch.setattr(HoldingEncoder, "write_frame", spy)
    cheap_file = _render(tmp_path, "cheap")
    cheap = _frames(cheap_file)
    monkeypatch.undo()
    plain = _frames(_render(tmp_path, "plain", cheap_holds=False), exact=False)
    n_beats = len(registry()["vectors"].beats)
    assert cheap.shape == plain.shape
    assert cheap.shape[0] >= round(2.5 * 15) * n_beats  # whole AAC frames may add a few
    # Every frame went through the holding encoder, the holds as one frame repeated, and a hold
    # is stored as its first and last frame only.
    assert sum(repeats) == cheap.shape[0]
    assert max(repeats) > 2
    with av.open(str(cheap_file)) as container:
        stored = sum(1 for _ in container.decode(video=0))
    assert stored == sum(min(n, 2) for n in repeats) < cheap.shape[0]
    # Each moving frame reached the encoder in a buffer of the renderer's one ring, uncopied.
    assert len(rings) == 1 and all(ring for ring, n in zip(from_ring, repeats) if n == 1)
    assert sum(from_ring) == repeats.count(1) > 30
    # The same pictures, to within the codec's loss: at least 38 dB PSNR in every frame (a hold's
    # picture is coded once, where manim's writer keeps refining it frame after frame).
    mse = ((cheap.astype(float) - plain.astype(float)) ** 2).mean(axis=(1, 2, 3))
    assert (10 * np.log10(255**2 / np.maximum(mse, 1e-12))).min() >= 38


def test_the_chosen_settings_reach_the_encoder(tmp_path: Path) -> None:
    # A draft (-q l, here at a tiny size) is encoded for speed.
    draft = _x264_settings(_render(tmp_path, "draft"))
    assert DRAFT_ENCODER.preset == "ultrafast" and f"crf={DRAFT_ENCODER.crf}.0" in draft
    assert "cabac=0" in draft and "me=dia" in draft and "subme=0" in draft  # preset ultrafast
    assert "psy_rd=0.40" in draft  # tune animation
    # Every other quality with the settings measured at 1080p60.
    chosen = _x264_settings(_render(tmp_path, "chosen", q=quality("m", (128, 72), fps=15)))
    assert f"crf={ENCODER.crf}.0" in chosen
    assert "subme=2" in chosen and "me=hex" in chosen  # preset veryfast
    assert "deblock=1:1:1" in chosen and "psy_rd=0.40" in chosen  # tune animation
    other = _x264_settings(_render(tmp_path, "other", encoder=EncoderSettings("medium", None, 18)))
    assert "crf=18.0" in other and "subme=7" in other and "deblock=1:0:0" in other
    assert re.search(r"\bref=(\d+)", chosen) and re.search(r"\bref=(\d+)", other)


def test_the_cache_key_covers_the_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    from mmlanim.render.cache import segment_key

    cls = registry()["vectors"]
    visual = cls(cls.example_params())
    keys = {letter: segment_key(visual, {"id": "x"}, "audio", quality(letter)) for letter in "lh"}
    assert encoder_for(quality("l")) == DRAFT_ENCODER != ENCODER == encoder_for(quality("h"))
    assert encoder_fingerprint(quality("l")) != encoder_fingerprint(quality("h"))
    for name, letter in (("DRAFT_ENCODER", "l"), ("ENCODER", "h")):
        every = encoder_fingerprint()
        monkeypatch.setattr(encoding, name, EncoderSettings("medium", None, 23))
        assert segment_key(visual, {"id": "x"}, "audio", quality(letter)) != keys[letter]
        assert encoder_fingerprint() != every  # a render worker's environment covers every quality's
        monkeypatch.undo()
        assert segment_key(visual, {"id": "x"}, "audio", quality(letter)) == keys[letter]


def test_a_segment_is_one_stream_its_holds_shown_as_coded_and_its_track_as_long_as_its_picture(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mmlanim.render.writer import HoldingEncoder

    encoders: list[HoldingEncoder] = []
    real = HoldingEncoder.__init__

    def counted(self: HoldingEncoder, *args: object, **kwargs: object) -> None:
        encoders.append(self)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(HoldingEncoder, "__init__", counted)
    for settings in (ENCODER, DRAFT_ENCODER):
        encoders.clear()
        path = _render(tmp_path, settings.preset, encoder=settings)
        assert len(encoders) == 1  # manim would open one per animation and hold (a dozen here)
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            track = stream.duration * stream.time_base
            packets = [p for p in container.demux(stream) if p.size]
            container.seek(0)
            decoded = [(f.pts * f.time_base, PictureType(f.pict_type).name, f.to_ndarray(format="gray"))
                       for f in container.decode(stream)]
        assert sum(p.is_keyframe for p in packets) == 1
        # Every hold's first and last frame is a P frame, and the last decodes as the very picture shown
        # since the first (it is not coded from the frames after the hold). A draft's encoder may refine
        # a few blocks of the last: by a few levels at most, far below what an eye can see.
        holds = [(a, b) for a, b in zip(decoded, decoded[1:]) if b[0] - a[0] > Fraction(2, 15)]
        assert len(holds) >= len(registry()["vectors"].beats) - 1
        for (_, kind_a, first), (_, kind_b, last) in holds:
            assert (kind_a, kind_b) == ("P", "P")
            if settings is ENCODER:
                np.testing.assert_array_equal(first, last)
            else:
                change = np.abs(first.astype(int) - last.astype(int))
                assert change.max() <= 6 and (change > 0).mean() < 0.03
        # The file's video track lasts until the last frame ends: the whole picture, the final hold included.
        frames = _frames(path)
        assert track == Fraction(len(frames), 15) == decoded[-1][0] + Fraction(1, 15)


def test_one_converter_serves_every_frame_of_a_segment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from av.video.reformatter import VideoReformatter

    from mmlanim.render import writer

    made: list[Counting] = []

    class Counting:
        def __init__(self) -> None:
            self.real, self.calls = VideoReformatter(), 0
            made.append(self)

        def reformat(self, *args: object, **kwargs: object) -> av.VideoFrame:
            self.calls += 1
            return self.real.reformat(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(writer, "VideoReformatter", Counting)
    path = _render(tmp_path, "converted")
    with av.open(str(path)) as container:
        coded = sum(1 for _ in container.decode(video=0))
    assert len(made) == 1
    # Every picture coded was converted by it: a hold (first and last frame coded) once.
    holds = len(registry()["vectors"].beats)
    assert coded - holds <= made[0].calls < coded
