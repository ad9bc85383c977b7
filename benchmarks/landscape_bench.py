"""Benchmark: find and classify the symmetric critical points for k = d = 6..20 (V = I).

For every k and isotropy type Delta(S_{k-1} x S_1), Delta S_k and Delta(S_{k-2} x S_2),
solve the restricted gradient from many starts, polish in mpmath, classify with
the full Hessian and split its spectrum by isotypic components (character
method). Prints one table row per distinct critical point with loss > 0 (a
point found in several fixed-point subspaces is listed once, under its own
isotropy), and the wall time. Target: under 2 minutes on 2 cores.

    .venv/bin/python benchmarks/landscape_bench.py [--kmin 6] [--kmax 20] [--starts 40] [--workers 2] [--json PATH]
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

import numpy as np  # noqa: E402

from groups.landscape.critical_points import find_critical_points  # noqa: E402
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kmin", type=int, default=6)
    ap.add_argument("--kmax", type=int, default=20)
    ap.add_argument("--starts", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", default=None, help="also write all rows as JSON")
    args = ap.parse_args(argv)
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
