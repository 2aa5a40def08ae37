#!/usr/bin/env python3
"""Render benchmark: mmlanim against plain manim, measured in the same run.

Renders a 6-segment lecture at -ql and prints:
  (a) plain manim's CLI rendering the same segment scenes one after another
      (each segment ejected with `mmlanim eject`, caching off) against
      `mmlanim render --jobs 2` from a cold cache          target ratio <= 0.6
  (b) a warm re-render with nothing changed                 target <= 3 s
  (c) a re-render after editing one segment                 target <= 0.35 of (a)'s cold time

    python scripts/bench_render.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
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
    warm = timed(render, env, work)
    lecture.write_text(lecture_text(edit=1))
    edited = timed(render, env, work)

    rows = [
        ("(a) plain manim, 6 scenes in sequence", plain, None, None),
        ("(a) mmlanim render --jobs 2, cold cache", cold, cold / plain, "<= 0.6 x plain"),
        ("(b) warm re-render, nothing changed", warm, None, "<= 3 s"),
        ("(c) re-render after editing one segment", edited, edited / cold, "<= 0.35 x cold"),
    ]
    ok = [cold / plain <= 0.6, warm <= 3.0, edited / cold <= 0.35]
    print(f"{'measurement':<44} {'seconds':>8} {'ratio':>7}  target")
    for label, seconds, ratio, target in rows:
        print(f"{label:<44} {seconds:8.2f} {'' if ratio is None else f'{ratio:7.2f}':>7}  {target or ''}")
    print("verdict:", ", ".join(f"{name} {'PASS' if good else 'FAIL'}" for name, good in zip("abc", ok)))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
