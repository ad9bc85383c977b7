"""Benchmark: find and classify the symmetric critical points for k = d = 6..20 (V = I).

For every k and isotropy type Delta(S_{k-1} x S_1), Delta S_k and Delta(S_{k-2} x S_2),
solve the restricted gradient from many starts, polish in mpmath, classify with
the full Hessian and split its spectrum by isotypic components (character
method). Prints one table row per distinct critical point with loss > 0 (a
point found in several fixed-point subspaces is listed once, under its own
isotropy), and the wall time. Target: under 2 minutes on 2 cores.

    .venv/bin/python benchmarks/landscape_bench.py [--kmin 6] [--kmax 20] [--starts 40] [--workers 2] [--json PATH]

Section 2 (``--blocks 20,50,100,1000``): the Hessian spectrum at the critical point of lowest loss other than
W = I in Fix(Delta S_k) and in Fix(Delta(S_{k-1} x S_1)) (spurious minimum first), per isotypic block
(:func:`~groups.landscape.isotypic_blocks.isotypic_block_spectrum`) instead of one k^2 x k^2
eigendecomposition: one row per (k, isotropy) with the seconds and peak MB (tracemalloc) of the block spectrum,
its smallest eigenvalue, and -- up to ``--full-max`` -- the seconds of the full Hessian and eigvalsh and the
largest eigenvalue difference. The critical points come from the reduced gradient (damped Newton, mpmath
polish) without the full-Hessian classification of find_critical_points.

    .venv/bin/python benchmarks/landscape_bench.py --blocks 20,50,100,1000 [--full-max 50] [--starts 30]

Measured 2026-12-02 (one BLAS thread, machine shared with two other jobs; ``block s`` and ``peak MB`` are the
block spectrum only; ``full s`` is building the k^2 x k^2 Hessian and eigvalsh; k = 1000 continued from k = 100
by Newton inside Fix(H), see REDUCED_MAX_K; every point has |grad F| < 3e-12):

       k  isotropy             loss          block s  peak MB  lambda_min     full s  max|diff|
      20  Delta(S_19 x S_1)    0.0112755819    0.015      0.3  5.509258e-02     0.01    1.6e-14
      20  Delta S_20           0.1015054624    0.017      0.3  3.446614e-02     0.01    2.9e-14
      50  Delta(S_49 x S_1)    0.0051835982    0.036      2.7  7.140538e-02     2.09    2.9e-13
      50  Delta S_50           0.1274507553    0.022      2.5  5.204578e-02     1.66    5.1e-13
     100  Delta(S_99 x S_1)    0.0027416717    0.335     18.9  7.816301e-02
     100  Delta S_100          0.1420741914    0.224     18.1  6.217276e-02
    1000  Delta(S_999 x S_1)   0.0002925529   11.836    347.1  8.737730e-02
    1000  Delta S_1000         0.1685333216    9.224    267.1  8.109853e-02

All eight points are spurious minima (smallest eigenvalue > 0). The full route at k = 100 would be a
10^4 x 10^4 eigendecomposition (0.8 GB for the matrix alone; not run). (The continuation beyond k = 200 was
needed while Fix(H) was built from sympy's orbits on the k^2 entries; FixedSubspace.young now builds them in
closed form, and the reduced search runs at every k: REDUCED_MAX_K = 1000.)

Section 3 (``--scale 6,10,20,50,100,200,500,1000``): the k-table of ``landscape critical`` and of the Hessian
at its spurious minimum, each (k, isotropy) in a fresh process: seconds of compiling the reduced loss (once per
block pattern, paid by the first command of a process), of find_critical_points (60 starts), seconds of critical_point_hessian by the blocks, the process's peak
resident memory, and -- up to ``--full-max`` -- the same with ``method="full"`` (the k^2 x k^2 route) measured in
the same run, with the largest eigenvalue difference.

    .venv/bin/python benchmarks/landscape_bench.py --scale 6,10,20,50,100,200,500,1000 [--full-max 40]

Measured 2026-12-02 (load average 2.0 at the start, 2.5 at the end; ``peak MB`` is the process's maximum
resident set; the ``full`` columns repeat the search with ``method="full"`` and diagonalise the k^2 x k^2
Hessian, split by characters up to k = 20):

        k isotropy             points          loss compile s critical s hessian s  peak MB  lambda_min crit full s hess full s max|diff|
        6 Delta(S_5 x S_1)          6  0.0250805810      0.42       0.39      0.05       92  4.7004e-03        0.36        0.04   0.0e+00
        6 Delta S_6                 2  0.0556685813      0.21       0.35      0.07       92  1.5037e-03        0.32        0.07   0.0e+00
       10 Delta(S_9 x S_1)          6  0.0187021946      0.42       0.46      0.00       92  3.1964e-02        0.42        0.01   4.4e-15
       10 Delta S_10                2  0.0766366620      0.19       0.31      0.00       91  1.7488e-02        0.29        0.01   1.1e-15
       20 Delta(S_19 x S_1)         7  0.0112755819      0.41       0.57      0.00       92  5.5093e-02        0.57        0.22   5.3e-15
       20 Delta S_20                2  0.1015054624      0.21       0.33      0.00       91  3.4466e-02        0.34        0.19   5.3e-15
       40 Delta(S_39 x S_1)         6  0.0063156458      0.40       0.56      0.01       94  6.8413e-02        2.20        0.25   8.9e-14
       40 Delta S_40                2  0.1218573436      0.21       0.38      0.01       92  4.8223e-02        0.82        0.23   9.8e-14
       50 Delta(S_49 x S_1)         6  0.0051835982      0.42       0.56      0.01       95  7.1405e-02
       50 Delta S_50                2  0.1274507553      0.19       0.41      0.01       93  5.2046e-02
      100 Delta(S_99 x S_1)         6  0.0027416717      0.42       0.83      0.04      112  7.8163e-02
      100 Delta S_100               2  0.1420741914      0.20       0.45      0.03      110  6.2173e-02
      200 Delta(S_199 x S_1)        6  0.0014160626      0.65       1.31      0.04      114  8.2396e-02
      200 Delta S_200               2  0.1530593887      0.26       0.46      0.03      108  6.9928e-02
      500 Delta(S_499 x S_1)        4  0.0005796274      0.52       1.91      0.28      228  8.5792e-02
      500 Delta S_500               2  0.1632470081      0.32       1.48      0.27      202  7.7248e-02
     1000 Delta(S_999 x S_1)        6  0.0002925528      1.12      16.65      2.57      682  8.7377e-02
     1000 Delta S_1000              2  0.1685333216      0.67       3.79      1.06      547  8.1099e-02

The same points in the same order under both routes wherever both ran. On the command line (one process,
start-up included): ``landscape critical --k 100 --isotropy 99,1`` 1.75 s, ``--k 1000 --isotropy 999,1``
11.4 s (681 MB), ``--isotropy 1000`` 3.6 s; ``landscape hessian --k 1000 --at 999,1`` 13.0 s.

Section 4 (``--table-check``): for every k = 6..20 and both isotropy types, the critical points classified by
the blocks and by the full eigendecomposition: same losses, kinds, multiplicities; the largest eigenvalue
difference. Measured: all 30 (k, isotropy) agree, largest eigenvalue difference 3.4e-13 (k = 15), 9 s.
Section 5 (``--asymptotics K``): groups.landscape.asymptotics up to K, the fitted limits against the
published leading terms. Measured to K = 1000 (27 values of k, fits on k = 10..1000, six terms; 9.8 s):
type A k F -> 0.297214 +- 2.0e-5 (the fits of 4..6 terms spread by 8.1e-4), published 1/2 - 2/pi^2 =
0.297358; Delta S_k F -> 0.181695 +- 7.8e-7 (spread 1.7e-4), published 1/2 - 1/pi = 0.181690;
lambda_min -> 0.090883 and 0.090855 (W = I: 1/4 - 1/(2 pi) = 0.090845).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one BLAS thread per worker process
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

from groups.landscape.critical_points import find_critical_points, newton_float, polish_mp  # noqa: E402
from groups.landscape.isotypic_blocks import hessian_vector_product, isotypic_block_spectrum, multiplicity_bases  # noqa: E402
from groups.landscape.loss import gradient, hessian, loss  # noqa: E402
from groups.landscape.restricted import reduced_problem  # noqa: E402
from groups.landscape.hessian import critical_point_hessian  # noqa: E402
from groups.symmetric.isotypic import irrep_label  # noqa: E402
from groups.symmetric.young import young_label, young_normal_form  # noqa: E402


def _task(args):
    k, parts, starts = args
    t0 = time.perf_counter()
    found = find_critical_points(k, parts, starts=starts, seed=k)
    rows = []
    for cp in found.points:
        key = cp.orbit_key()
        if cp.loss_float <= 1e-12:
            continue
        _, parts = young_normal_form(cp.W)  # isotropy blocks made consecutive
        dec = critical_point_hessian(cp, method="characters")
        lam_min = min(((ev, b) for b in dec.blocks for ev in b.eigenvalues), key=lambda pair: pair[0])
        rows.append({
            "k": k, "searched": list(parts), "isotropy": young_label(cp.isotropy), "loss": cp.loss,
            "loss_float": cp.loss_float, "lambda_min": cp.smallest_eigenvalue,
            "lambda_min_irrep": irrep_label(lam_min[1].irrep), "index": cp.index, "kind": cp.kind,
            "spurious": cp.spurious, "multiplicities": [m for _, m in cp.spectrum],
            "degrees": sorted(b.dim for b in dec.blocks for _ in b.eigenvalues),
            "consistent": dec.consistent, "params": cp.params,
            "min_row_norm": float(np.min(np.linalg.norm(cp.W, axis=1))), "key": key, "order": cp.isotropy_order,
        })
    return k, parts, rows, time.perf_counter() - t0


def _degrees(degrees):
    out = []
    for d in sorted(set(degrees)):
        c = degrees.count(d)
        out.append(f"{d}^{c}" if c > 1 else f"{d}")
    return " ".join(out)


def _timed_block_spectrum(W, parts):
    """The block spectrum at ``W``, its seconds, its peak traced memory (MB), and whether ``W`` is a minimum."""
    tracemalloc.start()
    t0 = time.perf_counter()
    dec = isotypic_block_spectrum(W, parts)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    minimum = min(v for b in dec.blocks for v in b.eigenvalues) > 1e-7
    return dec, seconds, peak, minimum


def _block_point(k, parts, starts, seed=0):
    """The critical point of lowest loss other than W = I in Fix(parts) (a spurious minimum if one is found),
    classified by its block spectrum; ``(W, loss, decomposition, seconds, peak MB)``."""
    problem = reduced_problem(k, parts)
    rng = np.random.default_rng(seed)
    found = []
    for s in range(starts):
        scale = [1.0, 1.0 / np.sqrt(k), 1.0 / k][s % 3]
        p0 = [rng.uniform(-1.5, 1.5) * (1.0 if diag else scale) for diag in problem.diagonal_like()]
        p = newton_float(problem, np.array(p0))
        if p is None:
            continue
        W = problem.embed(p)
        if np.min(np.linalg.norm(W, axis=1)) < 1e-6 or np.max(np.abs(W - np.eye(k))) < 1e-4:
            continue
        if any(np.max(np.abs(p - q)) < 1e-5 for q, *_ in found):
            continue
        p_mp, _, loss = polish_mp(problem, p)
        found.append((p, problem.embed([float(v) for v in p_mp]), float(loss)))
    best = None
    for _, W, loss in sorted(found, key=lambda f: f[2]):
        dec, seconds, peak, minimum = _timed_block_spectrum(W, parts)
        if best is None or (minimum and not best[-1]):
            best = (W, loss, dec, seconds, peak, minimum)
        if minimum:
            break
    return best


#: beyond this k the reduced loss is not compiled (sympy takes minutes at k = 1000): the point is continued
#: from smaller k by Newton on the full gradient inside Fix(H), whose Jacobian is the trivial isotypic block
REDUCED_MAX_K = 1000


def _fix_newton(W, parts, iters=20, tol=1e-12):
    """Newton inside Fix(H): coordinates in the orthonormal trivial basis Q, Jacobian Q^T Hess Q from
    Hessian-vector products; returns ``(W, |Q^T grad F|)``."""
    k = W.shape[0]
    Q = next(iter(multiplicity_bases(k, parts).values()))   # the trivial component = Fix(H)
    c = Q.T @ W.ravel()
    V = np.eye(k)
    for _ in range(iters):
        W = (Q @ c).reshape(k, k)
        g = Q.T @ gradient(W, V).ravel()
        if np.linalg.norm(g) < tol:
            break
        J = Q.T @ np.array([hessian_vector_product(W, V, q.reshape(k, k)).ravel() for q in Q.T]).T
        c = c - np.linalg.solve((J + J.T) / 2, g)
    W = (Q @ c).reshape(k, k)
    return W, float(np.linalg.norm(Q.T @ gradient(W, V).ravel()))


def _entries(W, parts):
    """The Fix(H) coordinates read off W: big-block diagonal and off-diagonal, then the singleton entries."""
    p = parts[0]
    out = [W[0, 0], W[0, 1]]
    if len(parts) > 1:
        out += [W[p, p], W[0, p], W[p, 0]]
    return np.array(out)


def _from_entries(k, parts, e):
    p = parts[0]
    W = np.full((k, k), e[1])
    W[np.arange(p), np.arange(p)] = e[0]
    if len(parts) > 1:
        W[:p, p], W[p, :p], W[p, p] = e[3], e[4], e[2]
    return W


def _continued_point(k, parts, starts, base=100):
    """The point at k continued from the reduced search at ``base`` through doubling k, each step predicted
    linearly in 1/k from the last two and corrected by :func:`_fix_newton`."""
    got = _block_point(base, (base - 1, 1) if len(parts) > 1 else (base,), starts)
    if got is None:
        return None
    path = [(base, _entries(got[0], (base - 1, 1) if len(parts) > 1 else (base,)))]
    n = base
    while n < k:
        n = min(2 * n, k)
        sizes = (n - 1, 1) if len(parts) > 1 else (n,)
        e = path[-1][1]
        if len(path) > 1:
            (k0, e0), (k1, e1) = path[-2], path[-1]
            e = e1 + (e1 - e0) * (1 / n - 1 / k1) / (1 / k1 - 1 / k0)
        W, gnorm = _fix_newton(_from_entries(n, sizes, e), sizes)
        path.append((n, _entries(W, sizes)))
    return (W, loss(W, np.eye(k))) + _timed_block_spectrum(W, parts)


def blocks_main(ks, starts, full_max) -> int:
    """Section 2: the k-table of the block spectra."""
    print(f"{'k':>5} {'isotropy':<22} {'loss':>14} {'kind':<16} {'block s':>8} {'peak MB':>8} {'lambda_min':>13} "
          f"{'|grad F|':>9} {'full s':>8} {'max|diff|':>10}")
    for k in ks:
        for parts in ((k - 1, 1), (k,)):
            got = _block_point(k, parts, starts) if k <= REDUCED_MAX_K else _continued_point(k, parts, starts)
            if got is None:
                print(f"{k:>5} {young_label(parts):<22} no critical point other than W = I found")
                continue
            W, loss, dec, seconds, peak, minimum = got
            values = np.sort([v for b in dec.blocks for v in b.eigenvalues for _ in range(b.dim)])
            full = diff = ""
            if k <= full_max:
                t0 = time.perf_counter()
                exact = np.linalg.eigvalsh(hessian(W, np.eye(k)))
                full = f"{time.perf_counter() - t0:8.2f}"
                diff = f"{np.max(np.abs(exact - values)):10.1e}"
            gnorm = np.linalg.norm(gradient(W, np.eye(k)))
            kind = ("SPURIOUS MIN" if minimum and loss > 1e-12 else "saddle") + ("" if dec.consistent else " [CHECK]")
            print(f"{k:>5} {young_label(parts):<22} {loss:>14.10f} {kind:<16} {seconds:>8.3f} {peak:>8.1f} "
                  f"{values[0]:>13.6e} {gnorm:>9.1e} {full:>8} {diff:>10}", flush=True)
    return 0


#: section 3: beyond this k the full reference of the Hessian is its eigendecomposition alone, without the split
#: by characters (165 s at k = 40: a trace for each of the 31185 classes of S_39)
HESSIAN_FULL_MAX_K = 20


def _scale_task(args):
    """One row of section 3, in a fresh process (its peak resident memory is the row's)."""
    import resource

    from groups.landscape.critical_points import find_critical_points as find

    k, parts, full = args
    row = {"k": k, "isotropy": young_label(parts)}
    t0 = time.perf_counter()
    reduced_problem(k, parts)   # compiling the reduced loss (once per block pattern), so both routes find it ready
    row["compile s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = find(k, parts, starts=60, seed=0)
    row["critical s"] = time.perf_counter() - t0
    others = [cp for cp in found.points if cp.loss_float > 1e-12]
    cp = (found.spurious_minima() or others)[0]
    row["loss"], row["points"] = cp.loss_float, len(found.points)
    t0 = time.perf_counter()
    dec = critical_point_hessian(cp)
    row["hessian s"] = time.perf_counter() - t0
    row["peak MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    values = np.sort([v for b in dec.blocks for v in b.eigenvalues for _ in range(b.dim)])
    row["lambda_min"] = float(values[0])
    if full:
        t0 = time.perf_counter()
        found_full = find(k, parts, starts=60, seed=0, method="full")
        row["critical full s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        if k <= HESSIAN_FULL_MAX_K:
            ref = critical_point_hessian(cp, method="full")
            ref_values = np.sort([v for b in ref.blocks for v in b.eigenvalues for _ in range(b.dim)])
        else:   # the eigenvalues only (the character sums of the full decomposition take minutes here)
            ref_values = np.linalg.eigvalsh(hessian(cp.W, np.eye(k)))
        row["hessian full s"] = time.perf_counter() - t0
        row["max|diff|"] = float(np.max(np.abs(ref_values - values)))
        row["same points"] = [p.loss for p in found_full.points] == [p.loss for p in found.points]
    return row


def scale_main(ks, full_max) -> int:
    """Section 3: the k-table of critical + hessian, blocks against the full route where it is feasible."""
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print(f"{'k':>5} {'isotropy':<20} {'points':>6} {'loss':>13} {'compile s':>9} {'critical s':>10} {'hessian s':>9} {'peak MB':>8} "
          f"{'lambda_min':>11} {'crit full s':>11} {'hess full s':>11} {'max|diff|':>9} same")
    with ProcessPoolExecutor(max_workers=1, max_tasks_per_child=1) as pool:
        for k in ks:
            for parts in ((k - 1, 1), (k,)):
                r = pool.submit(_scale_task, (k, parts, k <= full_max)).result()
                full = (f"{r['critical full s']:>11.2f} {r['hessian full s']:>11.2f} {r['max|diff|']:>9.1e} "
                        f"{'yes' if r['same points'] else 'NO'}") if "max|diff|" in r else ""
                print(f"{k:>5} {r['isotropy']:<20} {r['points']:>6} {r['loss']:>13.10f} {r['compile s']:>9.2f} {r['critical s']:>10.2f} "
                      f"{r['hessian s']:>9.2f} {r['peak MB']:>8.0f} {r['lambda_min']:>11.4e} {full}", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


def table_check_main(kmin, kmax, starts) -> int:
    """Section 4: k = kmin..kmax, blocks against the full eigendecomposition."""
    worst, bad = 0.0, []
    for k in range(kmin, kmax + 1):
        for parts in ((k - 1, 1), (k,)):
            a = find_critical_points(k, parts, starts=starts, seed=k, method="blocks")
            b = find_critical_points(k, parts, starts=starts, seed=k, method="full")
            same = [p.loss for p in a.points] == [p.loss for p in b.points] and all(
                p.kind == q.kind and [m for _, m in p.spectrum] == [m for _, m in q.spectrum]
                for p, q in zip(a.points, b.points))
            diff = max((abs(u - v) for p, q in zip(a.points, b.points)
                        for (u, _), (v, _) in zip(p.spectrum, q.spectrum)), default=0.0)
            worst = max(worst, diff)
            if not same:
                bad.append((k, parts))
            print(f"{k:>3} {young_label(parts):<20} {len(a.points):>2} points  same: {'yes' if same else 'NO'}  "
                  f"max|eigenvalue diff| {diff:.1e}", flush=True)
    print(f"k = {kmin}..{kmax}: {'all agree' if not bad else f'DISAGREE at {bad}'}; largest eigenvalue difference {worst:.1e}")
    return 1 if bad else 0


def asymptotics_main(k_max, starts) -> int:
    """Section 5: the fits against the published leading terms."""
    from groups.landscape.asymptotics import asymptotics

    t0 = time.perf_counter()
    res = asymptotics(k_max, starts=starts)
    print(res.summary())
    print(f"({time.perf_counter() - t0:.1f} s, load average {os.getloadavg()[0]:.2f})")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--blocks", default=None, help="section 2: comma-separated k for the block spectra")
    ap.add_argument("--scale", default=None, help="section 3: comma-separated k for the critical + hessian k-table")
    ap.add_argument("--table-check", action="store_true", help="section 4: blocks against full for k = kmin..kmax")
    ap.add_argument("--asymptotics", type=int, default=None, help="section 5: the fits up to this k")
    ap.add_argument("--full-max", type=int, default=50, help="section 2: largest k also diagonalised in full")
    ap.add_argument("--kmin", type=int, default=6)
    ap.add_argument("--kmax", type=int, default=20)
    ap.add_argument("--starts", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", default=None, help="also write all rows as JSON")
    args = ap.parse_args(argv)
    if args.blocks:
        return blocks_main([int(x) for x in args.blocks.split(",")], args.starts, args.full_max)
    if args.scale:
        return scale_main([int(x) for x in args.scale.split(",")], args.full_max)
    if args.table_check:
        return table_check_main(args.kmin, args.kmax, args.starts)
    if args.asymptotics:
        return asymptotics_main(args.asymptotics, args.starts)
    start = time.perf_counter()
    tasks = [(k, parts, args.starts) for k in range(args.kmax, args.kmin - 1, -1)
             for parts in ((k - 1, 1), (k,), (k - 2, 2))]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(_task, tasks))
    elapsed = time.perf_counter() - start
    table = {}  # one row per S_k x S_d orbit (loss + spectrum), the copy with the largest detected isotropy
    for _, _, rows, _ in results:
        for row in rows:
            if row["key"] not in table or row["order"] > table[row["key"]]["order"]:
                table[row["key"]] = row
    rows = sorted(table.values(), key=lambda r: (r["k"], r["loss_float"]))
    print(f"{'k':>3} {'isotropy':<22} {'loss':>14} {'lambda_min':>12} {'irrep(lambda_min)':>20} {'index':>5}  "
          f"{'kind':<16}  {'min|w_i|':>8}  eigenvalue multiplicities (degrees of irreducibles)")
    for r in rows:
        kind = "SPURIOUS MIN" if r["spurious"] else r["kind"]
        check = "" if r["consistent"] else "  [character check FAILED]"
        print(f"{r['k']:>3} {r['isotropy']:<22} {r['loss_float']:>14.10f} {r['lambda_min']:>12.6g} "
              f"{r['lambda_min_irrep']:>20} {r['index']:>5}  {kind:<16}  {r['min_row_norm']:>8.3g}  "
              f"{_degrees(r['degrees'])}{check}")
    n_min = sum(r["spurious"] for r in rows)
    print(f"\n{len(rows)} critical points with loss > 0, {n_min} spurious minima, k = {args.kmin}..{args.kmax}; "
          f"{args.starts} starts per fixed-point subspace; {args.workers} workers; wall time {elapsed:.1f} s")
    # Arjevani & Field: the Delta S_(k-1) family of Safran-Shamir minima has loss ~ a/k, a ~ 0.3,
    # with corrections in powers of k^(-1/2): extrapolate k*loss linearly in k^(-1/2)
    lowest = {}
    for r in rows:
        if r["spurious"] and r["isotropy"] == f"Delta(S_{r['k'] - 1} x S_1)":
            lowest.setdefault(r["k"], r["loss_float"])
    ks = sorted(k for k in lowest if k >= 10)
    if len(ks) >= 3:
        slope, a = np.polyfit([k ** -0.5 for k in ks], [k * lowest[k] for k in ks], 1)
        print(f"lowest Delta(S_(k-1) x S_1) minima: k*loss = {a:.3f} {slope:+.3f}/sqrt(k) (fit on k = {ks[0]}..{ks[-1]}); "
              "Arjevani-Field: loss ~ a/k with a ~ 0.3")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump([{k: v for k, v in r.items() if k != "key"} for r in rows], fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
