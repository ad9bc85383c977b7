"""Benchmark of the conservation-law engine; prints figures (no assertions).

Sweeps (as in Marcotte, Gribonval, Peyre 2023, whose SageMath code needed
1 h 53 min and 34 min on 64 threads for the ReLU and linear sweeps):
  * 50 random ReLU nets, depth 2-4, widths 2-9, with and without bias;
  * 50 random linear nets, depth 2-4, widths 2-5;
each: count (two random points) and degree-2 polynomial laws (exact, proved); first the degree-2 laws of the
ReLU sweep alone, on fresh models (issue 13: under 10 s on 2 cores), with the load while measuring.
Then the growth of the count's time with D for 3-layer linear nets up to D >= 2000
and 4-layer linear nets up to D >= 5000, attention with embedding 8 and two heads,
and the counts of a small grid of every model of the zoo under every flow.

``--growth`` (issue 13, parts 1 and 6): the count of 4-layer linear nets [n]*5 for D up to 5184, 10,000 and
19,600 (``--growth 12,24,36,50,70``), one subprocess per count, against D with seconds, peak memory (the
child's maximum resident set) and the floor measured in the same run, in a subprocess of its own: one
python-flint ``nmod_mat`` rank of a random matrix mod the count's prime of the count's final frame shape
(K x D), up to 2.5 x 10^8 entries (FLOOR_ENTRIES; about 11 GB for flint's list input). Rows beyond
MAX_COUNT_WORK are counted anyway (the limit is lifted in the child).

Run: .venv/bin/python benchmarks/laws_bench.py [--quick] [--poly] [--growth [WIDTHS]]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

from laws.closure import count_laws
from laws.models.model import linear, relu
from laws.polynomial import find_polynomial_laws


def architectures(kind: str, count: int, max_width: int, seed: int):
    """The sweep's random nets: depth 2-4, widths 2..max_width, with or without bias (seeded)."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        depth = int(rng.integers(2, 5))
        dims = [int(w) for w in rng.integers(2, max_width + 1, size=depth + 1)]
        bias = bool(rng.integers(0, 2))
        yield (relu if kind == "relu" else linear)(dims, bias=bias)


def load() -> str:
    """The 1-minute load average, and the cores (the figures are wall-clock seconds on a shared machine)."""
    return f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def sweep(kind: str, count: int, max_width: int, seed: int, poly: bool) -> tuple[float, float]:
    total_count = total_poly = 0.0
    print(f"\n{kind} sweep: {count} architectures, depth 2-4, widths 2-{max_width}")
    print(f"{'architecture':28s} {'D':>5s} {'N':>7s} {'laws':>5s} {'count s':>8s} {'poly2 s':>8s} {'poly laws':>9s}")
    for model in architectures(kind, count, max_width, seed):
        t0 = time.perf_counter()
        result = count_laws(model)
        t_count = time.perf_counter() - t0
        total_count += t_count
        poly_text, t_poly = "-", 0.0
        if poly:
            t0 = time.perf_counter()
            laws = find_polynomial_laws(model, degree=2)
            t_poly = time.perf_counter() - t0
            total_poly += t_poly
            poly_text = f"{laws.independent}{'' if laws.independent == result.laws else '*'}"
        print(f"{model.name:28s} {model.D:5d} {model.N:7d} {result.laws:5d} {t_count:8.3f} {t_poly:8.3f} {poly_text:>9s}")
    print(f"TOTAL {kind}: count {total_count:.1f} s, degree-2 laws {total_poly:.1f} s ({load()})"
          "   (* = polynomial laws of degree 2 do not account for every law)")
    return total_count, total_poly


def poly_sweep(count: int = 50, seed: int = 1) -> float:
    """Issue 13, part 2: degree-2 polynomial laws of the ReLU sweep's nets alone (fresh models, so building phi
    and the evaluator is included), target under 10 s on 2 cores; wall and CPU seconds, the load, and the largest
    net's share."""
    models = list(architectures("relu", count, 9, seed))
    print(f"\ndegree-2 polynomial laws, {count}-net ReLU sweep (depth 2-4, widths 2-9), fresh models; {load()}")
    wall, cpu = time.perf_counter(), time.process_time()
    slowest = (0.0, "")
    laws = unknowns = 0
    for model in models:
        t0 = time.perf_counter()
        result = find_polynomial_laws(model, degree=2)
        slowest = max(slowest, (time.perf_counter() - t0, model.name))
        laws += result.kernel_dim
        unknowns += result.unknowns
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"TOTAL poly2 relu sweep: {wall:.1f} s wall, {cpu:.1f} s CPU ({load()}); {laws} laws from "
          f"{unknowns:,} unknowns, all proved exactly; slowest {slowest[1]} {slowest[0]:.2f} s")
    return wall


def growth(widths, depth: int = 3) -> None:
    print(f"\n{depth}-layer linear nets [n, ..., n]: count time vs D (two random points)")
    print(f"{'n':>4s} {'D':>6s} {'K':>6s} {'laws':>6s} {'seconds':>8s}")
    for n in widths:
        model = linear([n] * (depth + 1))
        t0 = time.perf_counter()
        result = count_laws(model)
        dt = time.perf_counter() - t0
        print(f"{n:4d} {model.D:6d} {result.trace_dim:6d} {result.laws:6d} {dt:8.2f}")


_GROWTH_CHILD = r"""
import json, resource, sys, time
import laws.closure as closure
from laws.models.model import linear
n, depth = int(sys.argv[1]), int(sys.argv[2])
closure.MAX_COUNT_WORK = 10**30           # the growth table goes past the limit on purpose
model = linear([n] * (depth + 1))
t0 = time.perf_counter(); result = closure.count_laws(model); seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20     # kB -> GB
print(json.dumps({"D": model.D, "K": result.trace_dim, "laws": result.laws, "ranks": list(result.ranks),
                  "seconds": seconds, "peak_GB": peak, "prime": result.certificate.prime}))
"""

_FLOOR_CHILD = r"""
import json, sys, time
import numpy as np, flint
K, D, p = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
frame = np.random.default_rng(0).integers(0, p, size=(K, D))
m = flint.nmod_mat(K, D, frame.ravel().tolist(), p); del frame
t0 = time.perf_counter(); rank = m.rank(); seconds = time.perf_counter() - t0
print(json.dumps({"floor": seconds, "floor_rank": rank}))
"""


#: the floor is measured up to this many frame entries K x D, in a process of its own (flint takes the matrix as a
#: Python list, about 45 bytes an entry: 11 GB at this size, so the count's own peak memory is measured apart)
FLOOR_ENTRIES = 2.5 * 10**8


def _child(code: str, *args) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else str(done.returncode))
    return json.loads(done.stdout.strip().splitlines()[-1])


def growth_table(widths, depth: int = 4) -> None:
    """Issue 13, parts 1 and 6: count time and peak memory against D, then the floor (one flint rank of a
    random matrix of the final frame's shape, mod the count's prime) in a process of its own, and the load
    before and after each row."""
    print(f"\ngrowth: {depth}-layer linear nets [n]*{depth + 1}, two random points, one subprocess per count; "
          "floor = one flint nmod_mat rank of a random K x D matrix mod the same prime, in a subprocess of its own")
    print(f"{'net':>5s} {'D':>6s} {'K':>6s} {'laws':>6s} {'count s':>8s} {'peak GB':>8s} {'floor s':>8s} "
          f"{'count/floor':>11s}  load (1-min, before -> after)")
    for item in widths:                       # a width n (the net [n]*(depth + 1)) or "NxL" ([N]*L)
        n, layers = (int(item.split("x")[0]), int(item.split("x")[1]) - 1) if "x" in str(item) else (int(item), depth)
        before = os.getloadavg()[0]
        try:
            row = _child(_GROWTH_CHILD, n, layers)
            if row["K"] * row["D"] <= FLOOR_ENTRIES:
                row.update(_child(_FLOOR_CHILD, row["K"], row["D"], row["prime"]))
        except RuntimeError as error:
            print(f"{item:>5s} failed: {error}")
            continue
        after = os.getloadavg()[0]
        floor = "-" if row.get("floor") is None else f"{row['floor']:.2f}"
        ratio = "-" if row.get("floor") is None else f"{row['seconds'] / row['floor']:.2f}"
        print(f"{item:>5s} {row['D']:6d} {row['K']:6d} {row['laws']:6d} {row['seconds']:8.2f} {row['peak_GB']:8.2f} "
              f"{floor:>8s} {ratio:>11s}  {before:.2f} -> {after:.2f} on {os.cpu_count()} cores", flush=True)
    print(f"prime p = {row['prime'] if widths else '-'}")


def zoo(quick: bool) -> None:
    from laws.models.architectures import attention, conv, icnn, nmf, residual, softmax
    from laws.flows.extended import flow_system

    t0 = time.perf_counter()
    model = attention(8, 4, heads=2)
    result = count_laws(model)
    print(f"\nattention d = 8, head dim 4, 2 heads: D = {model.D}, laws = {result.laws}, "
          f"{time.perf_counter() - t0:.2f} s")
    models = [linear([2, 2, 2]), linear([2, 3, 2], bias=True), relu([2, 3, 2]), relu([2, 2, 2, 2], bias=True),
              softmax([2, 3, 3]), attention(3, 2), attention(4, 2, heads=2), conv(5, 2, 1, 2, 2), conv(4, 2, 2, 2, 1, bias=True),
              residual(2, 3), residual(2, 3, 2), nmf(3, 2, 3), icnn([2, 3, 2]), icnn([2, 2, 2, 1], bias=True)]
    flows = [("gradient", "0"), ("mirror", "0"), ("momentum", "0"), ("momentum", "1/2"), ("momentum-mirror", "0"),
             ("sign", "0")]
    print("\nzoo: independent laws (count) per model and flow; state dimension in brackets")
    print(f"{'model':24s}" + "".join(f"{f + ('(' + t + ')' if f.startswith('momentum') else ''):>22s}" for f, t in flows))
    for model in models:
        cells = []
        for flow, tau in flows:
            system = flow_system(model, flow, tau)
            cells.append(f"{count_laws(system).laws} [{system.D}]")
        print(f"{model.name:24s}" + "".join(f"{c:>22s}" for c in cells))
    print(f"zoo total {time.perf_counter() - t0:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sweeps only")
    parser.add_argument("--poly", action="store_true", help="only the degree-2 laws of the ReLU sweep (issue 13, part 2)")
    parser.add_argument("--growth", nargs="?", const="12,24,36,50", default=None, metavar="WIDTHS",
                        help="only the growth table of 4-layer linear nets [n]*5 (issue 13, parts 1 and 6): "
                             "comma-separated widths n (default 12,24,36,50: D up to 10,000; 70 gives D = 19,600), "
                             "or NxL for the net [N]*L (100x3: linear:100,100,100, D = 20,000)")
    args = parser.parse_args()
    if args.growth:
        growth_table(args.growth.split(","))
        return
    n = 10 if args.quick else 50
    start = time.perf_counter()
    poly_sweep(n)
    if args.poly:
        return
    sweep("relu", n, 9, seed=1, poly=True)
    sweep("linear", n, 5, seed=2, poly=True)
    growth([6, 10, 14, 18] if args.quick else [6, 10, 14, 18, 22, 26])
    growth([6, 12, 18] if args.quick else [8, 16, 24, 30, 36], depth=4)
    zoo(args.quick)
    print(f"\nbenchmark total {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
