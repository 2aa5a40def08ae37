#!/usr/bin/env python3
"""Per-segment drawing cost: each segment's CPU seconds, this tree against another revision, same run.

Every segment of the given lectures is rendered in one process, one after another
(its narration from the audio cache, as a render plans it), and timed with
``time.process_time`` (the encoder's threads included). With ``--against REV``
the same segments are measured again with the code of ``REV`` (checked out in a
temporary git worktree; the lectures are this tree's), alternating the two trees
``--rounds`` times so that a change of machine load falls on both; the script
prints each segment's best time under each tree and the ratio.

    python scripts/bench_segments.py LECTURE... [--against REV] [--quality l] [--only ID] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(lectures: list[str], q: str, only: str | None) -> dict[str, float]:
    """``{lecture-segment: CPU seconds}`` of rendering each segment in this process."""
    import time

    from mmlanim.lecture import load_lecture
    from mmlanim.quality import quality
    from mmlanim.render.pipeline import RenderOptions, _Caches, plan_segment
    from mmlanim.render.worker import SegmentJob, render_job, warm_up

    caches, opts, qual = _Caches.at(None), RenderOptions(quality=q), quality(q)
    warm_up()
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as out:
        for lecture in lectures:
            loaded = load_lecture(lecture)
            for i, segment in enumerate(loaded.lecture.segments):
                name = f"{Path(lecture).stem}-{segment.id}"
                if only and only not in name:
                    continue
                p = plan_segment(loaded, i, opts=opts, q=qual, caches=caches)
                job = SegmentJob(p.segment.id, p.segment.model_dump(mode="json"), p.visual.context,
                                 tuple((b.beat, b.duration) for b in p.audio.beats), qual, Path(out) / f"{name}.mp4")
                start = time.process_time()
                render_job(job)
                seconds[name] = time.process_time() - start
    return seconds


def _in(tree: Path, args: argparse.Namespace) -> dict[str, float]:
    """Run :func:`measure` in a fresh process importing mmlanim from ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--json", "--quality", args.quality,
           *(["--only", args.only] if args.only else []), *map(str, args.lectures)]
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lectures", nargs="+", type=Path)
    parser.add_argument("--against", help="a git revision to compare with (its mmlanim code)")
    parser.add_argument("--quality", default="l")
    parser.add_argument("--only", help="only the segments whose lecture-segment name contains this")
    parser.add_argument("--rounds", type=int, default=2, help="measurements of each tree (the best is kept)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one measurement, as JSON
    args = parser.parse_args()
    args.lectures = [p.resolve() for p in args.lectures]
    if args.json:
        print(json.dumps(measure([str(p) for p in args.lectures], args.quality, args.only)))
        return
    trees = [("this tree", ROOT)]
    with tempfile.TemporaryDirectory() as tmp:
        if args.against:
            other = Path(tmp) / "against"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(other), args.against],
                           check=True)
            trees.append((args.against, other))
        try:
            best: list[dict[str, float]] = [{} for _ in trees]
            for _ in range(args.rounds):
                for k, (_, tree) in enumerate(trees):
                    for name, s in _in(tree, args).items():
                        best[k][name] = min(s, best[k].get(name, s))
        finally:
            if args.against:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=False)
    header = f"{'segment':44} " + " ".join(f"{label[:12]:>12}" for label, _ in trees)
    print(header + ("   ratio" if args.against else ""))
    for name in best[0]:
        cells = " ".join(f"{b.get(name, float('nan')):11.2f}s" for b in best)
        ratio = f"  {best[0][name] / best[1][name]:6.2f}" if args.against and best[1].get(name) else ""
        print(f"{name:44} {cells}{ratio}")
    totals = [sum(b.values()) for b in best]
    print(f"{'total':44} " + " ".join(f"{t:11.2f}s" for t in totals)
          + (f"  {totals[0] / totals[1]:6.2f}" if args.against and totals[1] else ""))


if __name__ == "__main__":
    main()
