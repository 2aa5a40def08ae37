#!/usr/bin/env python3
"""Course benchmark: every shipped lecture at -q l, lecture by lecture against one course render.

All runs share one cache folder; a first course render warms the narration
and LaTeX caches, and the segment cache is emptied before each measured run
(cold segments, warm narration). Prints, from the same run:

  (a) one `mmlanim render LECTURE -q l` per lecture, in sequence (default jobs)
  (b) one `mmlanim render LECTURES... -q l -j 2` (a course)   target (b)/(a) <= 0.75
  (c) the same course with -j 1                                target (b)/(c) <= 0.6

    python scripts/bench_course.py [--keep DIR] [LECTURE ...]
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

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lectures", nargs="*", type=Path, help="default: lectures/**/*.yaml")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    lectures = [str(p) for p in (args.lectures or sorted((ROOT / "lectures").rglob("*.yaml")))]
    work = args.keep or Path(tempfile.mkdtemp(prefix="mmlanim-bench-course-"))
    work.mkdir(parents=True, exist_ok=True)
    mmlanim = str(Path(sys.executable).parent / "mmlanim")
    env = dict(os.environ, MMLANIM_CACHE_DIR=str(work / "cache"))
    out = ["-q", "l", "-o", str(work / "renders"), "--quiet"]

    def cold() -> None:
        shutil.rmtree(work / "cache" / "segments", ignore_errors=True)
        shutil.rmtree(work / "renders", ignore_errors=True)

    subprocess.run([mmlanim, "render", *lectures, *out, "-j", "2"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # warms narration and LaTeX
    cold()
    one_by_one = sum(timed([mmlanim, "render", lecture, *out], env) for lecture in lectures)
    cold()
    course_2 = timed([mmlanim, "render", *lectures, *out, "-j", "2"], env)
    cold()
    course_1 = timed([mmlanim, "render", *lectures, *out, "-j", "1"], env)

    print(f"{len(lectures)} lectures at -q l, cold segment cache, warm narration")
    print(f"{'measurement':<48} {'seconds':>8} {'ratio':>7}  target")
    print(f"{'(a) one mmlanim render per lecture, in sequence':<48} {one_by_one:8.2f}")
    print(f"{'(b) one course render, -j 2':<48} {course_2:8.2f} {course_2 / one_by_one:7.2f}  <= 0.75 x (a)")
    print(f"{'(c) one course render, -j 1':<48} {course_1:8.2f} {course_2 / course_1:7.2f}  (b) <= 0.6 x (c)")
    ok = [course_2 / one_by_one <= 0.75, course_2 / course_1 <= 0.6]
    print("verdict:", ", ".join(f"{n} {'PASS' if good else 'FAIL'}" for n, good in zip(("b/a", "b/c"), ok)))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
