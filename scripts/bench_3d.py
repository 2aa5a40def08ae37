#!/usr/bin/env python3
"""3-D render cost: each 3-D kind's segment against a 2-D ``gradient_descent`` segment of the same length.

Every kind's example is rendered with the same beat timing (``--seconds`` in all,
shared evenly over the kind's beats), text on, at each quality given, one after
the other in this process; the script prints the wall time of each render and
the ratio 3-D / 2-D. The 3-D kinds' cameras turn throughout, so every frame of
them is drawn (the 2-D segment's holds are frozen frames, as in a lecture).
By default every registered kind that renders in 3-D is measured.

    python scripts/bench_3d.py [--seconds 10] [--quality l h] [--kinds surface span_3d]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def render_seconds(kind: str, seconds: float, q: str, folder: Path) -> float:
    from mmlanim.quality import quality
    from mmlanim.render.segment import render_segment_video
    from mmlanim.visuals import registry

    cls = registry()[kind]
    visual = cls(cls.example_params())
    names = cls.beat_names()
    beats = [(name, seconds / len(names)) for name in names]
    start = time.perf_counter()
    render_segment_video(visual, beats, quality(q), folder / f"{kind}-{q}.mp4")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each segment")
    parser.add_argument("--quality", nargs="+", default=["l", "h"], help="qualities to measure")
    parser.add_argument("--kinds", nargs="+", help="3-D kinds to measure (default: every 3-D kind)")
    args = parser.parse_args()
    from mmlanim.visuals import registry

    kinds = args.kinds or sorted(name for name, cls in registry().items() if getattr(cls, "three_d", False))
    with tempfile.TemporaryDirectory() as tmp:
        for q in args.quality:
            flat = render_seconds("gradient_descent", args.seconds, q, Path(tmp))
            for kind in kinds:
                space = render_seconds(kind, args.seconds, q, Path(tmp))
                print(f"-q {q}: {kind} {space:.1f} s, gradient_descent {flat:.1f} s, ratio {space / flat:.2f}",
                      flush=True)


if __name__ == "__main__":
    main()
