#!/usr/bin/env python3
"""Voice benchmark: the piper voice (the default) against espeak-ng, measured in the same run.

Prints, for every shipped lecture (lectures/**/*.yaml):
  (a) narration alone, cold audio cache: seconds of speech per CPU second
      (this process and the synthesiser processes together) for each engine;
  (b) the whole lecture rendered from a cold cache with `--voice piper`
      against `--voice espeak` (the old default): seconds and their ratio.

    python scripts/bench_voice.py [--quality l] [--resolution 128,72] [--skip-render] [--keep DIR]

Run it alone on the machine: other work steals the CPU it measures.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("piper", "espeak")


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (user + system)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def narrate(lectures: list[Path], engine: str, cache_dir: Path) -> tuple[float, float, float]:
    """Speak every segment of ``lectures`` with ``engine`` into an empty cache.

    Returns
    -------
    (float, float, float)
        Seconds of speech (sentences only, no pauses), CPU seconds, wall seconds.
    """
    from mmlanim.lecture.load import load_lecture
    from mmlanim.narration.cache import AudioCache
    from mmlanim.narration.engines import close_piper_processes
    from mmlanim.narration.plan import plan_segment

    cache = AudioCache(cache_dir)
    speech = 0.0
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    for path in lectures:
        loaded = load_lecture(path)
        for seg in loaded.lecture.segments:
            voice = loaded.voice_for(seg, {"engine": engine})
            audio = plan_segment(seg.cue_specs(), loaded.beats_for(seg), voice, loaded.base_dir, cache)
            speech += sum(s.duration for s in audio.sentences)
    close_piper_processes()  # its CPU time is counted once it has ended
    return speech, cpu_seconds() - cpu0, time.perf_counter() - wall0


def render(lecture: Path, engine: str, work: Path, quality: str, resolution: str) -> float | None:
    """Wall seconds of a cold render of ``lecture`` with ``engine`` (None if it fails)."""
    env = dict(os.environ, MMLANIM_CACHE_DIR=str(work / f"cache-{engine}-{lecture.stem}"))
    command = [str(Path(sys.executable).parent / "mmlanim"), "render", str(lecture), "-q", quality,
               "-r", resolution, "-o", str(work / f"out-{engine}"), "--voice", engine, "--quiet"]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(f"    {lecture.name} with {engine} failed: {done.stdout.strip()[-300:]}{done.stderr.strip()[-300:]}")
        return None
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", default="l")
    parser.add_argument("--resolution", default="128,72")
    parser.add_argument("--skip-render", action="store_true", help="measure the narration only")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="mmlanim-bench-voice-"))
    work.mkdir(parents=True, exist_ok=True)
    lectures = sorted((ROOT / "lectures").rglob("*.yaml"))

    print(f"(a) narration of {len(lectures)} lectures, cold audio cache")
    rates = {}
    for engine in ENGINES:
        speech, cpu, wall = narrate(lectures, engine, work / f"audio-{engine}")
        rates[engine] = speech / cpu
        print(f"    {engine:7s} {speech:7.1f} s of speech in {cpu:6.1f} CPU s ({wall:5.1f} s wall): "
              f"{rates[engine]:5.1f} s of speech per CPU second")
    print(f"    piper speaks {rates['espeak'] / rates['piper']:.1f}x slower per CPU second than espeak-ng")
    if args.skip_render:
        return 0

    print(f"(b) every lecture rendered from a cold cache at -q {args.quality} -r {args.resolution}")
    totals = dict.fromkeys(ENGINES, 0.0)
    for lecture in lectures:
        times = {engine: render(lecture, engine, work, args.quality, args.resolution) for engine in ENGINES}
        if None in times.values():
            print(f"    {lecture.name}: left out of the totals")
            continue
        for engine, seconds in times.items():
            totals[engine] += seconds or 0.0
        print(f"    {lecture.name:26s} piper {times['piper']:6.1f} s   espeak {times['espeak']:6.1f} s")
    print(f"    total: piper (new default) {totals['piper']:.1f} s, espeak (old default) {totals['espeak']:.1f} s, "
          f"ratio {totals['piper'] / max(totals['espeak'], 1e-9):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
