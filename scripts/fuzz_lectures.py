"""Fuzz ``mmlanim`` with many mutated lectures, on demand.

Each case is a valid lecture mutated by ``tests/fuzz/lecture_fuzz.py`` (wrong
types, missing and extra keys, extreme numbers, unicode, long strings and
lists, duplicated ids, swapped kinds, hostile formulas and file names,
damaged YAML text). ``mmlanim validate`` runs on every case; with
``--renders``, ``mmlanim render --dry-run`` runs on some of the valid ones
(and on a few invalid ones). A run that raises, prints a traceback, prints
an unlocated problem, hangs or writes into the workspace is a crash: its
input is written to ``--out`` and the exit status is 1.

With ``--latex N``, N real renders per family of hostile LaTeX (vector names
that ``\\openout`` into the cache, loop forever, or end the document early;
see :data:`HOSTILE_LATEX`) run in subprocesses with a short LaTeX time
limit. Each must end in time, render or fail with a located one-line
message, and leave the LaTeX cache as it was (every SVG there still sealed,
a formula cached before unchanged, nothing planted).

Examples
--------
::

    python scripts/fuzz_lectures.py --count 5000 --seed 1
    python scripts/fuzz_lectures.py --count 500 --seed 2 --renders 40
    python scripts/fuzz_lectures.py --count 0 --latex 6
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

#: Cases per hypothesis run (it remembers every case of a run: memory grows with the batch).
BATCH = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="cases to validate (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same cases)")
    parser.add_argument("--renders", type=int, default=0,
                        help="dry renders of small cases, mostly valid ones (default 0; each takes seconds)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds a validation may take (default 30)")
    parser.add_argument("--no-hostile-data", action="store_true",
                        help="leave out the CSV files known to crash the reader (see docs/security.md)")
    parser.add_argument("--latex", type=int, default=0,
                        help="real renders per family of hostile LaTeX (default 0; each takes seconds)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-crashes"),
                        help="folder for the inputs of crashes (default ./fuzz-crashes)")
    args = parser.parse_args(argv)

    from click.testing import CliRunner
    from fuzz.lecture_fuzz import dry_render_args, judge, lectures, make_workspace, seed_lectures, validate_args
    from hypothesis import HealthCheck, Phase, given, seed, settings

    from mmlanim.cli import main as mmlanim
    from mmlanim.visuals import registry

    seeds, kinds = seed_lectures(ROOT), tuple(registry())
    counts: Counter[str] = Counter()
    slowest: list[tuple[float, tuple[str, ...]]] = []
    runner = CliRunner()
    args.out = args.out.resolve()
    t0 = time.perf_counter()

    def record(kind: str, case, verdict, seconds: float) -> None:
        counts[f"{kind} {verdict.outcome}"] += 1
        slowest.append((seconds, case.notes))
        slowest.sort(reverse=True)
        del slowest[5:]
        if not verdict.ok:
            args.out.mkdir(parents=True, exist_ok=True)
            n = counts[f"{kind} bad"]
            (args.out / f"{kind}-crash-{n}.yaml").write_bytes(case.text)
            (args.out / f"{kind}-crash-{n}.txt").write_text(
                f"made by: {case.notes}\nreasons: {verdict.reasons}\n\noutput:\n{verdict.output}", encoding="utf-8")
            print(f"CRASH ({kind}): {verdict.reasons[:2]} -> {args.out / f'{kind}-crash-{n}.yaml'}", flush=True)

    def run(kind: str, case, argv: list[str], timeout: int) -> None:
        started, peak = time.perf_counter(), _peak_mb()
        verdict = judge(runner, mmlanim, workspace, case, argv, seconds=timeout)
        record(kind, case, verdict, time.perf_counter() - started)
        if _peak_mb() > max(peak, 1000):
            print(f"memory peak {_peak_mb()} MB during {kind} of {case.notes}", flush=True)
        done = sum(v for k, v in counts.items() if k.startswith(kind))
        if done % 250 == 0:
            print(f"{kind}: {done} cases, {dict(counts)}, {time.perf_counter() - t0:.0f} s, {_peak_mb()} MB",
                  flush=True)

    quick = settings(database=None, deadline=None, phases=[Phase.generate], derandomize=False,
                     suppress_health_check=list(HealthCheck))

    def in_batches(count: int, strategy, body) -> None:
        """Run ``body`` on ``count`` cases, in batches (hypothesis remembers every case of a run)."""
        for batch, start in enumerate(range(0, count, BATCH)):
            @seed(args.seed * 100_003 + batch)
            @settings(quick, max_examples=min(BATCH, count - start))
            @given(case=strategy)
            def run_batch(case) -> None:
                body(case)

            run_batch()

    with tempfile.TemporaryDirectory(prefix="mmlanim-fuzz-") as tmp:
        workspace = make_workspace(Path(tmp), hostile_data=not args.no_hostile_data)
        in_batches(args.count, lectures(seeds, kinds),
                   lambda case: run("validate", case, validate_args(), args.timeout))
        in_batches(args.renders, lectures(seeds, kinds, small=True),
                   lambda case: run("render", case, dry_render_args(), max(args.timeout, 120)))
        if args.latex:
            fuzz_latex(Path(tmp) / "latex", args.latex, counts, args.out)
    crashes = sum(v for k, v in counts.items() if k.endswith(" bad"))
    print(f"\n{args.count} validations and {args.renders} dry renders asked, seed {args.seed}, "
          f"{time.perf_counter() - t0:.0f} s")
    for kind in ("validate", "render"):
        valid, invalid, bad = (counts[f"{kind} {o}"] for o in ("valid", "invalid", "bad"))
        if valid + invalid + bad:
            print(f"{kind:>9}: {valid} valid, {invalid} invalid, {bad} crashes")
    for family in HOSTILE_LATEX:
        done, refused, bad = (counts[f"latex-{family} {o}"] for o in ("rendered", "refused", "bad"))
        if done + refused + bad:
            print(f"latex {family:>12}: {done} rendered, {refused} refused with a located error, {bad} crashes")
    print("slowest cases:", *(f"  {s:.1f} s {notes}" for s, notes in slowest), sep="\n")
    if crashes:
        print(f"inputs of the crashes: {args.out}")
    return 1 if crashes else 0


#: Hostile LaTeX, by family: vector names a stranger's lecture may hold ({target}: a file in the cache).
HOSTILE_LATEX: dict[str, list[str]] = {
    "openout": [
        r"\immediate\openout1={target}\immediate\write1{{<svg xmlns='http://www.w3.org/2000/svg'/>}}"
        r"\immediate\closeout1 u",
        r"\immediate\openout1=planted.svg\immediate\closeout1 u",
        r"\immediate\openout1=../planted.svg\immediate\closeout1 u",
        r"\immediate\openout1={slot}/planted.svg\immediate\closeout1 u",
        r"\immediate\openout1=planted.tex\immediate\write1{{\noexpand\input{{/etc/hostname}}}}"
        r"\immediate\closeout1 u",
    ],
    "loop": [r"\def\x{{\x}}\x", r"\loop\iftrue\repeat", r"\def\a{{\a\a}}\a", r"\def\x{{\x x}}\x",
             r"u \loop\iftrue\relax\repeat"],
    "end-document": [r"\end{{document}}", r"u \end{{align*}}\end{{document}}", r"\enddocument",
                     r"\end{{align*}}\end{{document}}\begin{{document}}\begin{{align*}}", r"\stop", r"u\batchmode\end"],
}
_LATEX_LECTURE = """\
title: Hostile LaTeX
segments:
  - id: one
    narration:
      - say: Two arrows.
        beat: show_vectors
    visual: {{kind: vectors, vectors: [[1, 2], [2, 1]], names: ['{name}', 'v'], show_sum: false}}
"""


def fuzz_latex(folder: Path, per_family: int, counts: Counter[str], out: Path) -> None:
    """Render ``per_family`` lectures of each :data:`HOSTILE_LATEX` family for real, and judge each.

    A case is bad if it runs past its time, prints a traceback or an unlocated
    error, or changes the LaTeX cache other than by adding sealed SVGs.
    """
    from mmlanim.render.latex import cached_svg

    folder.mkdir(parents=True)
    cache = folder / "cache"
    env = {**os.environ, "MMLANIM_CACHE_DIR": str(cache), "MMLANIM_LATEX_TIMEOUT": "5"}

    def render(name: str, stem: str) -> subprocess.CompletedProcess[str]:
        lecture = folder / f"{stem}.yaml"
        lecture.write_text(_LATEX_LECTURE.format(name=name.replace("'", "''")), encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "mmlanim", "render", str(lecture), "-q", "l", "-r", "64,36",
                               "--voice", "silent", "-j", "1", "--quiet", "-o", str(folder / "out")],
                              capture_output=True, text=True, env=env, timeout=90)

    render("p", "reference")  # a formula in the cache that the cases must not change
    svgs = lambda: {p: p.read_bytes() for p in (cache / "tex").rglob("*.svg")}  # noqa: E731
    reference = svgs()
    slot = next(iter(reference)).parent
    for family, variants in HOSTILE_LATEX.items():
        for i in range(per_family):
            name = variants[i % len(variants)].format(target=next(iter(reference)).name, slot=slot)
            stem = f"{family}-{i}"
            reasons = []
            try:
                done = render(name, stem)
            except subprocess.TimeoutExpired:
                reasons.append("still running after 90 s")
                done = None
            if done is not None:
                err = done.stderr.strip()
                if done.returncode not in (0, 1) or "Traceback" in err:
                    reasons.append(f"exit {done.returncode}: {err[-300:]}")
                elif done.returncode == 1 and not all(
                        line.startswith(str(folder / f"{stem}.yaml:")) for line in err.splitlines()[:1]):
                    reasons.append(f"unlocated error: {err[:300]}")
            now = svgs()
            if any(now.get(p) != data for p, data in reference.items()):
                reasons.append("a cached formula changed")
            if [p for p in now if not cached_svg(p.parent, p.name)]:
                reasons.append("an unsealed SVG in the cache")
            if [p for p in cache.rglob("planted*")] + [p for p in folder.rglob("planted*")]:
                reasons.append("a file was planted")
            outcome = "bad" if reasons else ("rendered" if done is not None and done.returncode == 0 else "refused")
            counts[f"latex-{family} {outcome}"] += 1
            if reasons:
                out.mkdir(parents=True, exist_ok=True)
                (out / f"latex-{stem}.txt").write_text(f"name: {name}\nreasons: {reasons}\n", encoding="utf-8")
                print(f"CRASH (latex {family}): {reasons[:2]} -> {out / f'latex-{stem}.txt'}", flush=True)
            for p in cache.rglob("planted*"):
                p.unlink()


def _peak_mb() -> int:
    """The most memory this process has used so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


if __name__ == "__main__":
    sys.exit(main())
