#!/usr/bin/env python3
"""Course benchmark: every shipped lecture at -q l, lecture by lecture against one course render.

All runs share one cache folder; a first course render warms the narration
and LaTeX caches, and the segment cache is emptied before each measured run
(cold segments, warm narration). Prints, from the same run:

  (a) one `mmlanim render LECTURE -q l` per lecture, in sequence (default jobs)
  (b) one `mmlanim render LECTURES... -q l -j 2` (a course)   target (b)/(a) <= 0.75
  (c) the same course with -j 1                                target (b)/(c) <= 0.6

with the cores each run kept busy on average (its CPU time over its wall time).

After each (a) it renders every lecture once more with its segments cached:
a lecture's fixed cost (start-up, planning, joining), which (a) pays for
every lecture and (b) once. Last, each run's CPU time.

The three runs take 15-20 minutes, and this machine's speed drifts over that
much time by more than the differences measured, so they are measured in
``--rounds`` rounds (default 2), in the order (a), (b), (c) and then (c),
(b), (a): over an even number of rounds every run's mean sits at the same
moment, and the ratios of the means cancel a steady drift. Each round's own
figures are printed too.

With ``--cluster local`` it measures instead, from the same run, the course
on the local pool (``-j 2``) against the course on a Dask LocalCluster of 2
single-thread worker processes (``--cluster local -j 2``, its start-up
included): target ratio <= 1.15, with the bytes shipped per segment, and the
narration's cost on the client (cold audio cache) against the rendering.

    python scripts/bench_course.py [--keep DIR] [--rounds N] [--cluster local] [LECTURE_OR_FOLDER ...]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


#: CPU seconds (user and system) of every finished child process, and of theirs, so far.
def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CORES: dict[str, float] = {}  # the last run of each command: CPU seconds over wall seconds


def timed(cmd: list[str], env: dict[str, str], label: str = "") -> float:
    """Wall seconds of ``cmd``; its cores in use on average (its CPU, workers included, over its wall
    time) go to CORES[label]."""
    t0, c0 = time.perf_counter(), children_cpu()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    if label:
        CORES[label] = (children_cpu() - c0) / wall
    return wall


def narration_seconds(lectures: list[str], cache: Path) -> tuple[float, int]:
    """Seconds to speak and time every segment of ``lectures`` with a cold audio cache, as the client does."""
    from mmlanim.lecture import load_lecture
    from mmlanim.quality import quality
    from mmlanim.render.pipeline import RenderOptions, _Caches, plan_segment

    caches, opts, q = _Caches.at(cache), RenderOptions(quality="l"), quality("l")
    t0, n = time.perf_counter(), 0
    for lecture in lectures:
        loaded = load_lecture(lecture)
        for i in range(len(loaded.lecture.segments)):
            plan_segment(loaded, i, opts=opts, q=q, caches=caches)
            n += 1
    return time.perf_counter() - t0, n


def bench_cluster(lectures: list[str], work: Path, mmlanim: str, env: dict[str, str], out: list[str],
                  cold: Callable[[], None]) -> None:
    """The course on the local pool against the course on a LocalCluster of 2 single-thread workers."""
    cold()
    local = timed([mmlanim, "render", *lectures, *out, "-j", "2"], env)
    cold()
    t0 = time.perf_counter()
    run = subprocess.run([mmlanim, "render", *lectures, *[o for o in out if o != "--quiet"], "-j", "2",
                          "--cluster", "local"], env=env, check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    cluster = time.perf_counter() - t0
    shipped = re.search(r"cluster: (\d+) segments, ([\d.]+) KiB shipped per segment \(([\d.]+) out, ([\d.]+) back",
                        run.stderr)
    speaking, n = narration_seconds(lectures, work / "cold-audio")
    print(f"{len(lectures)} lectures at -q l, cold segment cache, warm narration")
    print(f"{'measurement':<56} {'seconds':>8} {'ratio':>7}  target")
    print(f"{'(a) course on the local pool, -j 2':<56} {local:8.2f}")
    print(f"{'(b) course on a LocalCluster of 2 single-thread workers':<56} {cluster:8.2f} {cluster / local:7.2f}"
          "  <= 1.15 x (a)")
    if shipped:
        print(f"shipped per segment: {shipped[2]} KiB ({shipped[3]} KiB task out, {shipped[4]} KiB picture back), "
              f"{shipped[1]} segments")
    render_cpu = 2 * local / max(n, 1)  # two workers busy for the local course
    print(f"narration on the client, cold audio cache: {speaking:.2f} s for {n} segments "
          f"({speaking / max(n, 1):.2f} s a segment; rendering took about {render_cpu:.2f} s of a worker a segment)")
    print("verdict:", "ratio", "PASS" if cluster / local <= 1.15 else "FAIL")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lectures", nargs="*", type=Path, help="lecture files or folders (default: lectures/)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--cluster", choices=["local"], help="the local pool against a Dask LocalCluster")
    parser.add_argument("--rounds", type=int, default=2,
                        help="rounds of (a), (b), (c), every other one in reverse order (default 2)")
    args = parser.parse_args()
    from mmlanim.lecture.files import lecture_paths

    lectures = [str(p) for p in lecture_paths(args.lectures or [ROOT / "lectures"])]
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
    if args.cluster:
        bench_cluster(lectures, work, mmlanim, env, out, cold)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    fixed: list[float] = []  # each round: one render per lecture with every segment cached, in sequence

    def run(name: str) -> tuple[float, float]:
        """Wall seconds and cores of run ``name`` ("a", "b" or "c"), cold segments."""
        cold()
        if name == "a":
            c0 = children_cpu()
            wall = sum(timed([mmlanim, "render", lecture, *out], env) for lecture in lectures)
            busy = (children_cpu() - c0) / wall
            shutil.rmtree(work / "renders", ignore_errors=True)  # the segments stay: only the fixed costs remain
            fixed.append(sum(timed([mmlanim, "render", lecture, *out], env) for lecture in lectures))
            return wall, busy
        wall = timed([mmlanim, "render", *lectures, *out, "-j", "2" if name == "b" else "1"], env, name)
        return wall, CORES[name]

    walls: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    cores: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    print(f"{len(lectures)} lectures at -q l, cold segment cache, warm narration; {args.rounds} rounds")
    print(f"{'round':<6} {'(a) s':>8} {'(b) s':>8} {'(c) s':>8} {'b/a':>6} {'b/c':>6}   cores a / b / c")
    for k in range(args.rounds):
        for name in ("abc" if k % 2 == 0 else "cba"):
            wall, busy = run(name)
            walls[name].append(wall)
            cores[name].append(busy)
        a, b, c = (walls[n][-1] for n in "abc")
        print(f"{k + 1:<6} {a:8.2f} {b:8.2f} {c:8.2f} {b / a:6.3f} {b / c:6.3f}   "
              + " / ".join(f"{cores[n][-1]:.2f}" for n in "abc"), flush=True)

    mean = {n: sum(v) / len(v) for n, v in walls.items()}
    busy = {n: sum(v) / len(v) for n, v in cores.items()}
    b_a, b_c = mean["b"] / mean["a"], mean["b"] / mean["c"]
    print()
    print(f"{'measurement (mean of the rounds)':<48} {'seconds':>8} {'ratio':>7} {'cores':>6}  target")
    print(f"{'(a) one mmlanim render per lecture, in sequence':<48} {mean['a']:8.2f} {'':>7} {busy['a']:6.2f}")
    print(f"{'(b) one course render, -j 2':<48} {mean['b']:8.2f} {b_a:7.3f} {busy['b']:6.2f}  <= 0.75 x (a)")
    print(f"{'(c) one course render, -j 1':<48} {mean['c']:8.2f} {b_c:7.3f} {busy['c']:6.2f}  (b) <= 0.6 x (c)")
    print("cores: the run's CPU time (every process) over its wall time")
    per_round = [(b / a, b / c) for a, b, c in zip(walls["a"], walls["b"], walls["c"])]
    print("each round's b/a:", ", ".join(f"{r[0]:.3f}" for r in per_round),
          "; b/c:", ", ".join(f"{r[1]:.3f}" for r in per_round))
    # A lecture's fixed cost (its render with every segment cached: start-up, planning, joining): (a) pays
    # it for every lecture, (b) once.
    per_lecture = sum(fixed) / len(fixed) / len(lectures)
    print(f"a lecture's fixed cost (its render with every segment cached): {per_lecture:.2f} s; (a) pays it "
          f"{len(lectures)} times ({len(lectures) * per_lecture:.1f} s), (b) once")
    print("CPU time (wall x cores): " + ", ".join(f"({n}) {mean[n] * busy[n]:.1f} s" for n in "abc"))
    ok = [b_a <= 0.75, b_c <= 0.6]
    print("verdict (means):", ", ".join(f"{n} {'PASS' if good else 'FAIL'}" for n, good in zip(("b/a", "b/c"), ok)))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
