"""Benchmark mmlanim.maths against reference implementations, measured in the same run.

Usage::

    PYTHONPATH=. python scripts/bench_maths.py [--repeats N]

Each timing is the best of N repeats (time.perf_counter). Prints a table of
seconds, ratio (ours / reference), target and PASS/FAIL. Exit status is 0
even on FAIL: this is a report, not a test.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np


def best_of_interleaved(
    ours: Callable[[], object], ref: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Best-of-N seconds for each, alternating runs so load spikes hit both alike."""
    best = [float("inf"), float("inf")]
    for _ in range(repeats):
        for i, fn in enumerate((ours, ref)):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best[0], best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    repeats = args.repeats

    from sklearn.decomposition import PCA as SkPCA

    from mmlanim.maths import fit_by_gradient_descent, least_squares, pca

    rng = np.random.default_rng(0)
    rows = []

    # --- PCA: 10,000 × 784 float64, vs sklearn PCA(svd_solver="full") ----------------
    X = rng.standard_normal((10_000, 784)) @ rng.standard_normal((784, 784)) * 0.1
    k = 50
    ours, ref = best_of_interleaved(
        lambda: pca(X, k),
        lambda: SkPCA(n_components=k, svd_solver="full").fit_transform(X),
        repeats,
    )
    ours_res, sk = pca(X, k), SkPCA(n_components=k, svd_solver="full").fit(X)
    err = float(np.abs(ours_res.components - sk.components_).max())
    rows.append((f"pca 10000x784 k={k} (max |Δcomponent| {err:.1e})",
                 "sklearn PCA(svd_solver='full').fit_transform", ours, ref, 1.2))

    # --- least squares: 10^6 points vs numpy.linalg.lstsq incl. design matrix ----------
    x = rng.uniform(-5, 5, 1_000_000)
    y = 2.5 * x - 1.0 + rng.normal(0, 1, x.shape)

    def lstsq() -> object:
        design = np.column_stack([x, np.ones_like(x)])
        return np.linalg.lstsq(design, y, rcond=None)

    ours, ref = best_of_interleaved(lambda: least_squares(x, y), lstsq, 3 * repeats)
    rows.append(("least_squares 10^6 points (slope, intercept, residuals, R²)",
                 "np.linalg.lstsq incl. building [x, 1]", ours, ref, 1.2))

    # --- gradient-descent line fit: 10^5 points × 100 steps --------------------------
    xs = rng.uniform(-1, 1, 100_000)
    ys = 3.0 * xs + 0.5 + rng.normal(0, 0.1, xs.shape)
    steps = 100

    def reference_steps() -> None:
        m = c = 0.0
        n = xs.shape[0]
        for _ in range(steps):
            r = m * xs + c - ys
            loss = r @ r / n
            m, c = m - 0.1 * 2 * (r @ xs) / n, c - 0.1 * 2 * r.sum() / n
        del loss

    ours, ref = best_of_interleaved(
        lambda: fit_by_gradient_descent(xs, ys, 0.1, steps), reference_steps, 6 * repeats
    )
    rows.append(("fit_by_gradient_descent 10^5 points x 100 steps",
                 "100 x plain numpy MSE + gradient evaluation", ours, ref, 1.5))

    width = max(len(r[0]) for r in rows)
    refw = max(len(r[1]) for r in rows)
    print(f"{'benchmark':<{width}}  {'reference':<{refw}}  {'ours s':>8}  {'ref s':>8}  "
          f"{'ratio':>6}  {'target':>6}  result")
    for name, refname, ours, ref, target in rows:
        ratio = ours / ref
        verdict = "PASS" if ratio <= target else "FAIL"
        print(f"{name:<{width}}  {refname:<{refw}}  {ours:8.4f}  {ref:8.4f}  {ratio:6.2f}  "
              f"{'<=' + format(target, '.1f'):>6}  {verdict}")
    print(f"(best of {repeats} interleaved repeats for PCA, {3 * repeats} for least squares, "
          f"{6 * repeats} for descent.\n lstsq timing includes building the [x, 1] design matrix, "
          "as a user would;\n the descent reference is the same MSE + gradient in plain numpy, "
          "100 times.)")


if __name__ == "__main__":
    main()
