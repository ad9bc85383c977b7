"""CoGO benchmark (figures, not timed tests).

1. Exact verification of Z_F6 and z_F4/6 (free parameters symbolic) for every odd d <= 101: target < 60 s total;
   each d checked both at the factor level and directly (the potential table of the whole network), and the
   two must agree term by term.
2. The d-table (issue 13): seconds of ``verify`` for Z_F6 and z_F4/6 at the factor level for d up to 10,001,
   the direct computation beside it up to d = 101 (``--direct-to`` raises that), and one
   ``flowalgebra cogo check F6 --d 10001`` timed as a command (target < 10 s).
3. Training d = 23, width 512, 10,000 epochs (numpy, full-batch Adam, wd 5e-5): target < 10 min on 2 cores;
   then the classification of its per-frequency blocks.

    .venv/bin/python benchmarks/cogo_bench.py [--max-d 101] [--table 11,101,1001,10001] [--direct-to 101]
                                             [--epochs 10000] [--no-train]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from algebra.cogo import constructions as C  # noqa: E402
from algebra.cogo.classify import classify_runs  # noqa: E402
from algebra.cogo.cli import MAX_CHECK_ORDER, epochs  # noqa: E402
from algebra.cogo.decomposition import loss, loss_terms  # noqa: E402
from algebra.cogo.verification import verify  # noqa: E402
from algebra.cogo.training import train  # noqa: E402
from algebra.commandline import integer  # noqa: E402
from groups import Zd  # noqa: E402


def bench_exact(max_d: int) -> float:
    start = time.perf_counter()
    nodes = 0
    for d in range(3, max_d + 1, 2):
        for name in ("F6", "F4_6"):
            z = C.construct(name, Zd(d))
            value = loss(z)
            if value != 0:
                raise SystemExit(f"FAILED: {name} at d = {d} has loss {value}")
            if loss_terms(z, "factor") != loss_terms(z, "direct"):
                raise SystemExit(f"FAILED: {name} at d = {d}: the factor-level and direct terms differ")
            nodes += z.num_nodes
    elapsed = time.perf_counter() - start
    print(f"exact verification: Z_F6 and z_F4/6, every odd d in 3..{max_d} ({(max_d - 1) // 2} groups, "
          f"{nodes} hidden nodes in all, parameters symbolic): loss exactly 0 everywhere, factor level and direct "
          f"agree term by term, {elapsed:.1f} s (target < 60 s)")
    return elapsed


def _timed_verify(name: str, d: int, method: str) -> float:
    start = time.perf_counter()
    v = verify(C.construct(name, Zd(d)), name, method=method)
    seconds = time.perf_counter() - start
    if v.loss != 0 or v.method != method:
        raise SystemExit(f"FAILED: {name} at d = {d} ({method}): loss {v.loss}, method {v.method}")
    return seconds


def bench_table(ds: list[int], direct_to: int) -> float:
    """The d-table: seconds of verify (construction included) at the factor level, the direct beside it."""
    print("d-table (seconds of construct + verify, in-process; direct = the whole network's potential table):")
    print(f"  {'d':>6} {'F6 factor':>10} {'F6 direct':>10} {'F4_6 factor':>12} {'F4_6 direct':>12}")
    for d in ds:
        cells = []
        for name in ("F6", "F4_6"):
            cells.append(f"{_timed_verify(name, d, 'factor'):.3f}")
            cells.append(f"{_timed_verify(name, d, 'direct'):.3f}" if d <= direct_to else "-")
        print(f"  {d:>6} {cells[0]:>10} {cells[1]:>10} {cells[2]:>12} {cells[3]:>12}")
    d = max(x for x in ds if x <= MAX_CHECK_ORDER)
    cmd = [os.path.join(os.path.dirname(sys.executable), "flowalgebra"), "cogo", "check", "F6", "--d", str(d), "--json"]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0 or '"global_optimizer": true' not in done.stdout:
        raise SystemExit(f"FAILED: {' '.join(cmd[1:])}: {done.stderr.strip()}")
    print(f"command: flowalgebra cogo check F6 --d {d} --json: {wall:.2f} s wall (target < 10 s at d = 10001)")
    return wall


def bench_train(epochs: int) -> float:
    start = time.perf_counter()
    run = train(23, width=512, wd=5e-5, seed=1, epochs=epochs, checkpoint_every=1000, progress=sys.stderr.isatty())
    elapsed = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        run.save(os.path.join(tmp, "run.npz"))
    print(f"training: d = 23, width 512, {epochs} epochs, wd 5e-5: {elapsed:.1f} s "
          f"({1000 * elapsed / epochs:.2f} ms/epoch; target < 600 s), final loss {run.final_loss:.3e}")
    result = classify_runs([run], progress=False)
    print("classification:", result.summary().replace("\n", "\n    "))
    return elapsed


def _odd_orders(text: str) -> list[int]:
    try:
        ds = [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected odd orders separated by commas, got {text!r}") from None
    if not ds or any(d < 3 or d % 2 == 0 or d > MAX_CHECK_ORDER for d in ds):
        raise argparse.ArgumentTypeError(f"expected odd orders between 3 and {MAX_CHECK_ORDER}, got {text!r}")
    return ds


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--max-d", type=integer(3, 2001, "a largest odd d between 3 and 2001"), default=101)
    p.add_argument("--table", type=_odd_orders, default=[11, 51, 101, 501, 1001, 2001, 5001, 10001])
    p.add_argument("--direct-to", type=integer(3, MAX_CHECK_ORDER, f"an order between 3 and {MAX_CHECK_ORDER}"),
                   default=101)
    p.add_argument("--epochs", type=epochs, default=10_000)
    p.add_argument("--no-train", action="store_true", help="skip the training run")
    args = p.parse_args()
    t1 = bench_exact(args.max_d)
    t3 = bench_table(args.table, args.direct_to)
    t2 = bench_train(args.epochs) if not args.no_train else 0.0
    ok = t1 < 60 and t3 < 10 and (t2 < 600 or args.epochs != 10_000)
    print("within targets" if ok else "OUTSIDE TARGETS")


if __name__ == "__main__":
    main()
