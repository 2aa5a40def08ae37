#!/usr/bin/env python3
"""Render benchmark: mmlanim against plain manim, measured in the same run.

At -q l (the default) it renders a 6-segment lecture and prints:
  (a) plain manim's CLI rendering the same segment scenes one after another
      (each segment ejected with `mmlanim eject`, caching off) against
      `mmlanim render --jobs 2` from a cold cache          target ratio <= 0.45
  (b) a warm re-render with nothing changed                 target <= 3 s
  (c) a re-render after editing one segment                 target <= 0.35 of (a)'s cold time
  ((b) and (c) are each the median of three runs.)

At -q h (1080p60) it renders the first 4 segments and prints (a), and how
mmlanim's pictures compare with plain manim's (manim's default encoder,
libx264 medium, crf 23): the video streams' bytes (target: within 10%), and
SSIM of the luma plane of every 10th frame of each segment against plain
manim's same frame (target >= 0.98; see scripts/bench_encoder.py for SSIM
against a medium/crf 18 reference).

    python scripts/bench_render.py [-q l|h] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LECTURE = """\
title: Benchmark lecture
course: Linear Algebra
voice: {engine: espeak, voice: en-us, rate: 175}
segments:
  - id: intro
    title: Introduction
    narration: A short lecture to measure how fast lectures render.
    visual: {kind: title, subtitle: Six segments at 480p}
"""

SEGMENT = """\
  - id: part-{n}
    title: Part {n}
    narration:
      - say: Here is the plane.
        beat: show_plane
      - say: Two vectors start at the origin, each labelled with its coordinates.
        beat: show_vectors
      - say: Placed tip to tail, they add up to the vector drawn last.
        beat: show_sum
    visual:
      kind: vectors
      vectors: [[{a}, 1], [-1, {b}]]
"""


def lecture_text(edit: int = 0) -> str:
    parts = [SEGMENT.format(n=n, a=1 + n % 3, b=2 + n % 2 + (edit if n == 3 else 0)) for n in range(1, 6)]
    return LECTURE + "".join(parts)


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t0


def video_bytes(path: Path) -> int:
    """Bytes of the video stream's packets (not the audio's) of an MP4."""
    import av

    with av.open(str(path)) as container:
        return sum(p.size for p in container.demux(video=0))


def shown(path: Path):  # noqa: ANN201 - a generator of numpy arrays
    """The luma plane at every frame time, as a player shows it: a held picture (stored by mmlanim as
    its first and last frame) repeated in between; frame times are rounded to the frame grid."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = stream.codec_context.framerate or stream.base_rate
        index, last = 0, None
        for frame in container.decode(stream):
            at = round(frame.pts * stream.time_base * fps)
            while last is not None and index < at:
                yield last
                index += 1
            last = frame.to_ndarray(format="gray")
            yield last
            index += 1


def luma_ssim(test: Path, ref: Path, every: int = 10) -> list[float]:
    """SSIM of the luma planes of every ``every``-th frame pair (Gaussian window sigma 1.5), frames
    matched by their time."""
    import numpy as np
    from scipy.ndimage import gaussian_filter

    def ssim(a: np.ndarray, b: np.ndarray) -> float:
        x, y = a.astype(np.float64), b.astype(np.float64)
        c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
        mx, my = gaussian_filter(x, 1.5), gaussian_filter(y, 1.5)
        sxx, syy = gaussian_filter(x * x, 1.5) - mx * mx, gaussian_filter(y * y, 1.5) - my * my
        sxy = gaussian_filter(x * y, 1.5) - mx * my
        return float((((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))).mean())

    return [ssim(a, b) for i, (a, b) in enumerate(zip(shown(test), shown(ref))) if i % every == 0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("-q", "--quality", choices=["l", "h"], default="l", help="manim's quality letter")
    args = parser.parse_args()
    if args.quality == "h":
        return main_high(args.keep)
    work = args.keep or Path(tempfile.mkdtemp(prefix="mmlanim-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    mmlanim, manim = str(bin_dir / "mmlanim"), str(bin_dir / "manim")
    env = dict(os.environ, MMLANIM_CACHE_DIR=str(work / "cache"))
    lecture = work / "bench.yaml"
    lecture.write_text(lecture_text())

    # The same scenes for plain manim: each segment ejected (narration timing included).
    scenes = work / "scenes"
    scenes.mkdir(exist_ok=True)
    ids = ["intro"] + [f"part-{n}" for n in range(1, 6)]
    for seg in ids:
        subprocess.run([mmlanim, "eject", str(lecture), seg, "-o", str(scenes / f"{seg.replace('-', '_')}.py"),
                        "--force"], env=env, check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(work / "cache", ignore_errors=True)  # eject synthesised the audio: start cold

    plain = 0.0
    for seg in ids:
        name = seg.replace("-", "_")
        cls = "".join(p.capitalize() for p in name.split("_"))
        plain += timed([manim, "-ql", "--disable_caching", "--media_dir", str(work / "manim-media"),
                        f"{name}.py", cls], env, scenes)

    render = [mmlanim, "render", str(lecture), "-q", "l", "-o", str(work / "renders"), "--jobs", "2", "--quiet"]
    cold = timed(render, env, work)
    # (b) and (c) are short: the median of three runs each (three edits, each a fresh one).
    warm = statistics.median(timed(render, env, work) for _ in range(3))
    edits = []
    for edit in (1, 2, 3):
        lecture.write_text(lecture_text(edit=edit))
        edits.append(timed(render, env, work))
    edited = statistics.median(edits)

    rows = [
        ("(a) plain manim, 6 scenes in sequence", plain, None, None),
        ("(a) mmlanim render --jobs 2, cold cache", cold, cold / plain, "<= 0.45 x plain"),
        ("(b) warm re-render, nothing changed (median)", warm, None, "<= 3 s"),
        ("(c) re-render after editing one segment (median)", edited, edited / cold, "<= 0.35 x cold"),
    ]
    ok = [cold / plain <= 0.45, warm <= 3.0, edited / cold <= 0.35]
    print(f"{'measurement':<50} {'seconds':>8} {'ratio':>7}  target")
    for label, seconds, ratio, target in rows:
        print(f"{label:<50} {seconds:8.2f} {'' if ratio is None else f'{ratio:7.2f}':>7}  {target or ''}")
    print("verdict:", ", ".join(f"{name} {'PASS' if good else 'FAIL'}" for name, good in zip("abc", ok)))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main_high(keep: Path | None) -> int:
    """-q h: the first 4 segments, plain manim against mmlanim, time, size and SSIM."""
    work = keep or Path(tempfile.mkdtemp(prefix="mmlanim-bench-h-"))
    work.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    mmlanim, manim = str(bin_dir / "mmlanim"), str(bin_dir / "manim")
    env = dict(os.environ, MMLANIM_CACHE_DIR=str(work / "cache"))
    lecture = work / "bench.yaml"
    lecture.write_text(lecture_text().split("  - id: part-4")[0])
    ids = ["intro", "part-1", "part-2", "part-3"]
    scenes = work / "scenes"
    scenes.mkdir(exist_ok=True)
    for seg in ids:
        subprocess.run([mmlanim, "eject", str(lecture), seg, "-o", str(scenes / f"{seg.replace('-', '_')}.py"),
                        "--force"], env=env, check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(work / "cache" / "segments", ignore_errors=True)  # cold segment cache, narration kept

    plain = 0.0
    plain_files = []
    for seg in ids:
        name = seg.replace("-", "_")
        cls = "".join(p.capitalize() for p in name.split("_"))
        plain += timed([manim, "-qh", "--disable_caching", "--media_dir", str(work / "manim-media"),
                        f"{name}.py", cls], env, scenes)
        plain_files.append(next((work / "manim-media" / "videos" / name).rglob(f"{cls}.mp4")))
    render = [mmlanim, "render", str(lecture), "-q", "h", "-o", str(work / "renders"), "--jobs", "2", "--quiet"]
    cold = timed(render, env, work)
    ours = [next((work / "renders").rglob(f"segments/{seg}.mp4")) for seg in ids]
    size_ratio = sum(map(video_bytes, ours)) / sum(map(video_bytes, plain_files))
    scores = [v for a, b in zip(ours, plain_files) for v in luma_ssim(a, b)]
    ssim_mean, ssim_min = sum(scores) / len(scores), min(scores)
    print(f"{'measurement (-q h, 1920x1080 at 60 fps)':<48} {'value':>8}  target")
    print(f"{'(a) plain manim, 4 scenes in sequence (s)':<48} {plain:8.2f}")
    print(f"{'(a) mmlanim render --jobs 2, cold cache (s)':<48} {cold:8.2f}")
    print(f"{'    ratio':<48} {cold / plain:8.2f}  <= 0.45")
    print(f"{'video bytes, mmlanim / plain manim':<48} {size_ratio:8.2f}  <= 1.10")
    print(f"{'SSIM (luma) against plain manim, mean':<48} {ssim_mean:8.4f}  >= 0.98")
    print(f"{'SSIM (luma) against plain manim, worst frame':<48} {ssim_min:8.4f}")
    ok = [cold / plain <= 0.45, size_ratio <= 1.10, ssim_mean >= 0.98]
    names = ("time", "size", "ssim")
    print("verdict:", ", ".join(f"{name} {'PASS' if good else 'FAIL'}" for name, good in zip(names, ok)))
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
