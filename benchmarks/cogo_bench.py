"""CoGO benchmark (figures, not timed tests).

1. Exact verification of Z_F6 and z_F4/6 (free parameters symbolic) for every odd d <= 101: target < 60 s total.
2. Training d = 23, width 512, 10,000 epochs (numpy, full-batch Adam, wd 5e-5): target < 10 min on 2 cores;
   then the classification of its per-frequency blocks.

    .venv/bin/python benchmarks/cogo_bench.py [--max-d 101] [--epochs 10000]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from algebra.cogo import constructions as C  # noqa: E402
from algebra.cogo.classify import classify_runs  # noqa: E402
from algebra.cogo.cli import epochs  # noqa: E402
from algebra.cogo.decomposition import loss  # noqa: E402
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
            nodes += z.num_nodes
    elapsed = time.perf_counter() - start
    print(f"exact verification: Z_F6 and z_F4/6, every odd d in 3..{max_d} ({(max_d - 1) // 2} groups, "
          f"{nodes} hidden nodes in all, parameters symbolic): loss exactly 0 everywhere, {elapsed:.1f} s "
          f"(target < 60 s)")
    return elapsed


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


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--max-d", type=integer(3, 2001, "a largest odd d between 3 and 2001"), default=101)
    p.add_argument("--epochs", type=epochs, default=10_000)
    args = p.parse_args()
    t1 = bench_exact(args.max_d)
    t2 = bench_train(args.epochs)
    ok = t1 < 60 and (t2 < 600 or args.epochs != 10_000)
    print("within targets" if ok else "OUTSIDE TARGETS")


if __name__ == "__main__":
    main()
