#!/usr/bin/env python3
"""Encoder benchmark: x264 settings on frames of the shipped lectures, and the cost of holds.

Renders a few segments of the shipped lectures at ``-q h`` (1080p60; or ``--quality``) once,
losslessly (x264 crf 0, so every trial starts from the same pictures), then
re-encodes those frames with each candidate setting and prints, per setting:

  * CPU per frame (ms): process CPU time (every encoder thread) of decoding and
    encoding the clips, less that of decoding them alone, over the frames;
  * size: the encoded clips' bytes, and their ratio to manim's default
    (``medium``, crf 23);
  * SSIM of the luma plane against the reference (``medium``, crf 18), the
    mean over every ``--every``-th frame and the worst such frame
    (numpy/scipy, Gaussian window sigma 1.5, as in Wang et al. 2004).

The RGBA->YUV conversion before the encoder is the same for every setting
and is not counted.

The pick is the setting with the least CPU whose size is within 10% of the
default's and whose mean SSIM is at least 0.98; settings within 10% of the
least CPU count as ties, and the smallest file wins.

Last, with ``--holds`` (or ``--holds-only``), one clip is rendered at the
chosen setting with mmlanim's writer (a hold's frame converted once), with
manim's own (converted at every frame), and with mmlanim's again: process
CPU and wall time of each render.

    python scripts/bench_encoder.py [--clip lectures/linear-algebra/01-vectors.yaml:sum ...] [--frames 360] [--every 10]
                                    [--quality l]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.video.frame import PictureType
from scipy.ndimage import gaussian_filter

from mmlanim.quality import quality
from mmlanim.render.encoding import EncoderSettings, encoder_for

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLIPS = ["lectures/linear-algebra/01-vectors.yaml:sum",
                 "lectures/multivariate-calculus/05-optimisation.yaml:downhill"]
LOSSLESS = EncoderSettings(preset="ultrafast", tune=None, crf=0)
REFERENCE = EncoderSettings(preset="medium", tune=None, crf=18)
TODAY = EncoderSettings(preset="medium", tune=None, crf=23)
CANDIDATES = [
    TODAY,
    EncoderSettings("fast", None, 23),
    EncoderSettings("veryfast", None, 23),
    EncoderSettings("faster", None, 23),
    EncoderSettings("veryfast", "animation", 23),
    EncoderSettings("faster", "animation", 23),
    EncoderSettings("veryfast", "animation", 21),
    EncoderSettings("superfast", "animation", 23),
    EncoderSettings("ultrafast", "animation", 23),
    EncoderSettings("ultrafast", None, 23),
]


def cpu() -> float:
    """CPU seconds of this process, every thread (encoder threads included)."""
    t = os.times()
    return t.user + t.system


def render_clip(spec: str, out: Path, encoder: EncoderSettings, cheap_holds: bool = True, q_name: str = "h") -> Path:
    """Render segment ``lecture.yaml:ID`` at quality ``q_name`` with its real narration timing."""
    from mmlanim.lecture import load_lecture
    from mmlanim.quality import quality
    from mmlanim.render.pipeline import RenderOptions, _Caches, plan_segment
    from mmlanim.render.segment import render_segment_video

    path, seg_id = spec.rsplit(":", 1)
    loaded = load_lecture(ROOT / path if not Path(path).is_absolute() else path)
    q = quality(q_name)
    planned = plan_segment(loaded, loaded.segment_index(seg_id), opts=RenderOptions(quality=q_name, use_cache=False),
                           q=q, caches=_Caches.at(None))
    beats = [(b.beat, b.duration) for b in planned.audio.beats]
    return render_segment_video(planned.visual, beats, q, out, encoder=encoder, cheap_holds=cheap_holds)


def frames_of(path: Path, limit: int) -> Iterator[av.VideoFrame]:
    with av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i >= limit:
                return
            yield frame


def encode(source: Path, out: Path, settings: EncoderSettings, limit: int) -> int:
    """Re-encode up to ``limit`` frames of ``source`` with ``settings``; return the frame count."""
    with av.open(str(source)) as src, av.open(str(out), "w") as dst:
        rate = Fraction(src.streams.video[0].average_rate or 60)
        stream = dst.add_stream("libx264", rate=rate, options=settings.options())
        stream.pix_fmt = "yuv420p"
        stream.width = src.streams.video[0].width
        stream.height = src.streams.video[0].height
        n = 0
        for frame in src.decode(video=0):
            if n >= limit:
                break
            frame.pts, frame.time_base = n, 1 / rate
            frame.pict_type = PictureType.NONE  # the encoder chooses its own key frames
            for packet in stream.encode(frame):
                dst.mux(packet)
            n += 1
        for packet in stream.encode():
            dst.mux(packet)
    return n


def decode_only(source: Path, limit: int) -> None:
    for _ in frames_of(source, limit):
        pass


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of two luma planes (uint8), Gaussian window sigma 1.5 (Wang et al. 2004)."""
    x, y = a.astype(np.float64), b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = gaussian_filter(x, 1.5), gaussian_filter(y, 1.5)
    sxx = gaussian_filter(x * x, 1.5) - mx * mx
    syy = gaussian_filter(y * y, 1.5) - my * my
    sxy = gaussian_filter(x * y, 1.5) - mx * my
    s = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(s.mean())


def ssim_against(test: Path, ref: Path, limit: int, every: int) -> list[float]:
    out = []
    for i, (a, b) in enumerate(zip(frames_of(test, limit), frames_of(ref, limit))):
        if i % every == 0:
            out.append(ssim(a.to_ndarray(format="gray"), b.to_ndarray(format="gray")))
    return out


def holds(clip: str, work: Path) -> None:
    """Render ``clip`` with mmlanim's writer, manim's, and mmlanim's again (the first run pays any
    first-time costs of this process); print each render's process CPU and wall time."""
    for n, cheap in enumerate((True, False, True)):
        c0, t0 = cpu(), time.perf_counter()
        render_clip(clip, work / f"holds-{n}.mp4", encoder_for(quality("h")), cheap_holds=cheap)
        label = "mmlanim's writer (hold converted once)" if cheap else "manim's writer (hold converted per frame)"
        print(f"render {clip} at {encoder_for(quality('h')).label}, {label}: CPU {cpu() - c0:.1f} s, "
              f"wall {time.perf_counter() - t0:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", action="append", help="lecture.yaml:SEGMENT_ID (repeatable)")
    parser.add_argument("--frames", type=int, default=360, help="frames per clip (default 360: 6 s)")
    parser.add_argument("--every", type=int, default=10, help="SSIM on every N-th frame")
    parser.add_argument("--holds", action="store_true", help="also measure cheap holds (three more renders)")
    parser.add_argument("--holds-only", action="store_true", help="measure cheap holds only")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--quality", "-q", default="h", help="the clips' quality (default h: 1080p60)")
    args = parser.parse_args()
    clips = args.clip or DEFAULT_CLIPS
    work = args.keep or Path(tempfile.mkdtemp(prefix="mmlanim-bench-encoder-"))
    work.mkdir(parents=True, exist_ok=True)

    if args.holds_only:
        holds(clips[0], work)
        return 0
    sources = []
    for n, spec in enumerate(clips):
        t0 = time.perf_counter()
        source = work / f"source-{n}.mp4"
        if args.keep and source.is_file():  # kept from an earlier run with --keep
            sources.append(source)
            continue
        sources.append(render_clip(spec, source, LOSSLESS, q_name=args.quality))
        print(f"rendered {spec} losslessly at -q {args.quality} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    counts = [min(args.frames, sum(1 for _ in frames_of(s, args.frames))) for s in sources]
    total = sum(counts)

    c0 = cpu()
    for s, n in zip(sources, counts):
        decode_only(s, n)
    decode_cpu = cpu() - c0

    def trial(settings: EncoderSettings, tag: str) -> tuple[float, int, list[Path]]:
        outs = [work / f"{tag}-{n}.mp4" for n in range(len(sources))]
        c0 = cpu()
        for s, o, n in zip(sources, outs, counts):
            encode(s, o, settings, n)
        ms = (cpu() - c0 - decode_cpu) / total * 1000
        return ms, sum(o.stat().st_size for o in outs), outs

    ref_ms, ref_size, ref_outs = trial(REFERENCE, "reference")
    rows = []
    for i, settings in enumerate(CANDIDATES):
        ms, size, outs = trial(settings, f"trial{i}")
        scores = [v for o, r, n in zip(outs, ref_outs, counts) for v in ssim_against(o, r, n, args.every)]
        rows.append((settings, ms, size, float(np.mean(scores)), float(np.min(scores))))
    today_size = rows[0][2]

    with av.open(str(sources[0])) as first:
        size = f"{first.streams.video[0].width}x{first.streams.video[0].height}"
    print(f"{len(clips)} clips ({', '.join(clips)}), {total} frames at {size}; "
          f"decoding alone {decode_cpu / total * 1000:.1f} ms/frame (subtracted)")
    print(f"reference {REFERENCE.label}: {ref_ms:.1f} ms/frame, {ref_size / 1024:.0f} KiB")
    print(f"{'setting':<26} {'CPU ms/frame':>12} {'KiB':>7} {'size/today':>10} {'SSIM mean':>9} {'SSIM min':>8}")
    for settings, ms, size, mean, worst in rows:
        print(f"{settings.label:<26} {ms:12.1f} {size / 1024:7.0f} {size / today_size:10.2f} {mean:9.4f} {worst:8.4f}")
    fit = [r for r in rows if r[2] <= 1.10 * today_size and r[3] >= 0.98]
    if fit:
        # The least CPU; settings within 10% of it count as ties: the smallest file wins.
        least = min(r[1] for r in fit)
        best = min((r for r in fit if r[1] <= 1.10 * least), key=lambda r: r[2])
        print(f"pick: {best[0].label} ({best[1] / rows[0][1]:.2f} x the CPU of {TODAY.label}); "
              f"in use: {encoder_for(quality(args.quality)).label}")

    if args.holds:
        holds(clips[0], work)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
