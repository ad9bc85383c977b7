"""Table 2 of Tian 2024 (issue 12, part 4): solution types found by gradient descent at d = 23, 71 (127).

Width 512, weight decay 5e-5, 10,000 epochs of full-batch Adam (lr 1e-3), seeds 1..S; every run's
per-frequency blocks classified and counted in the paper's columns (:mod:`algebra.cogo.table2`). By
default enough seeds for at least 100 frequency blocks per d ((d - 1)/2 per run). Also times the two
exact gradients (all |G|^2 pairs vs the closed-form sum of :mod:`algebra.cogo.fourier_training`) at
each d for a few epochs, scaled to seconds per 10,000-epoch run.

Writes the tables to benchmarks/cogo_table2_results.md (and .json) and a bar chart, measured beside the
paper, to benchmarks/cogo_table2_results.png. Run files are kept in ``--runs-dir`` (a seed's run is replayed by
its seed, so a run found there with the same settings is reused).

    .venv/bin/python benchmarks/cogo_table2.py [--ds 23,71] [--seeds 23:10,71:3] [--min-blocks 100]
                                               [--runs-dir DIR] [--timing-epochs 200] [--epochs 10000]
                                               [--train-fraction 0.9]

``--train-fraction 0.9 --epochs 9900`` is the paper's protocol (each run on the split of its seed, the
weights after 9900 epochs); it writes benchmarks/cogo_table2_results_split.md (and .json), next to the
all-pairs results of cogo_table2_results.json.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from algebra.cogo.fourier_training import fourier_loss_and_grads, fourier_step_bytes  # noqa: E402
from algebra.cogo.table2 import CATEGORIES, PAPER_TABLE2, table2  # noqa: E402
from algebra.cogo.training import load_run, train  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WIDTH, WD = 512, 5e-5
NAMES = {"nu_i*xi": "z_{nu=i} z_xi (order 4)", "nu*syn": "z_nu z_syn (order 6)",
         "nu_i*syn_ab": "z_{nu=i} z_{syn,ab} (order 6)", "other": "other factorable"}


def _path(runs_dir: str, d: int, seed: int, epochs: int, lr: float, fraction: float = 1.0) -> str:
    share = "" if fraction == 1 else f"_f{fraction:g}"
    return os.path.join(runs_dir, f"d{d}_w{WIDTH}_wd{WD:g}_lr{lr:g}_e{epochs}{share}_s{seed}.npz")


def time_gradients(d: int, epochs: int, lr: float) -> dict:
    """CPU seconds per 10,000-epoch run of both trainers (one BLAS thread, so CPU time is the work even on
    a shared machine), from ``epochs`` epochs of each (same seed)."""
    out = {}
    fourier = dict(loss_fn=fourier_loss_and_grads, step_bytes=fourier_step_bytes)
    for method, kw in (("direct", {}), ("fourier", fourier)):
        start = time.process_time()
        run = train(d, width=WIDTH, wd=WD, seed=1, epochs=epochs, lr=lr, progress=False, **kw)
        out[method] = (time.process_time() - start) * 10_000 / epochs
        out[method + "_loss"] = run.final_loss
    out["agree"] = abs(out["direct_loss"] - out["fourier_loss"]) / out["direct_loss"]
    return out


def one_table(d: int, seeds: int, epochs: int, lr: float, runs_dir: str | None, fraction: float = 1.0):
    runs = {}
    path = lambda s: _path(runs_dir, d, s, epochs, lr, fraction)  # noqa: E731
    if runs_dir:
        os.makedirs(runs_dir, exist_ok=True)
        for s in range(1, seeds + 1):
            if os.path.exists(path(s)):
                runs[s] = load_run(path(s))
    start = time.perf_counter()
    t = table2(d, seeds=seeds, width=WIDTH, wd=WD, epochs=epochs, lr=lr, progress=sys.stderr.isatty(), runs=runs,
               train_fraction=fraction)
    for s, run in runs.items():  # keep the runs trained now for the next time
        if runs_dir and not os.path.exists(path(s)):
            run.save(path(s))
    return t, time.perf_counter() - start


def _pct(x) -> str:
    return "-" if x is None else f"{100 * x:.2f}%"


def _all_pairs(paths: list) -> dict:
    """The seed means of all-pairs results files: (d, lr, criteria, epochs) -> category -> (mean, se)."""
    out = {}
    for path in paths:
        if os.path.exists(path):
            with open(path) as f:
                for t in json.load(f)["tables"]:
                    if t.get("train_fraction", 1.0) == 1.0:
                        out[int(t["group"][2:]), t["lr"], t["criteria"], t["epochs"]] = {
                            "epochs": t["epochs"], **{k: (v["mean"], v["se"]) for k, v in t["seed_means"].items()}}
    return out


def _baseline(compare: dict, t) -> dict:
    """The all-pairs table for ``t``: same d, lr and criteria, the nearest number of epochs."""
    keys = [k for k in compare if k[:3] == (t.d, t.lr, t.criteria)]
    return compare[min(keys, key=lambda k: abs(k[3] - t.epochs))] if keys else {}


def markdown(tables: list, timing: dict, epochs, fraction: float = 1.0, compare: dict | None = None) -> str:
    pairs = "all pairs" if fraction == 1 else (
        f"a random {fraction:g} of the pairs per run (the paper's split: `train_test_split(test_size=0.1, "
        "random_state=seed)`, replayed by `train_pairs`), next to the all-pairs runs of "
        "benchmarks/cogo_table2_results.md (same seeds, same initial weights; their epochs in the column's head)")
    lines = ["# Table 2 of Tian 2024, measured (benchmarks/cogo_table2.py)", "",
             f"Width {WIDTH}, weight decay {WD:g}, {epochs} epochs of full-batch Adam on {pairs}, float64; "
             "blocks of order 4 and 6 only, the four types as shares of the factorable ones (pooled counts; the "
             "paper's statistic, the mean over seeds, with its standard error). Paper: Table 2 as recorded in "
             "MATH.md section 2 (mean over seeds 1..5).", ""]
    for t in tables:
        means, c, sh, paper = t.seed_means(), t.counts(), t.shares(), t.paper() or {}
        secs = [r["seconds"] for r in t.per_run]
        o = t.orders()
        lines += [f"## d = {t.d}, lr {t.lr:g}, {t.epochs} epochs, blocks named by the {t.criteria} criteria: seeds "
                  f"{t.seeds[0]}..{t.seeds[-1]} ({len(t.seeds)} runs, {sum(o.values())} frequency "
                  f"blocks: {o['4']} of order 4, {o['6']} of order 6, {o['0']} empty, {o['other']} of other orders; "
                  f"{t.method} gradient, {sum(secs) / len(secs):.0f} s per run on a shared 2-core machine)", ""]
        base = _baseline(compare or {}, t)
        lines += ["| type | blocks | pooled | mean over seeds (s.e.) |"
                  + (f" all pairs, {base.get('epochs', '?')} epochs (s.e.) |" if compare else "")
                  + " paper |", "|---|---:|---:|---:|---:|" + ("---:|" if compare else "")]
        for k in CATEGORIES:
            m, s = means[k]
            ref = paper.get(k)
            other = (f" {_pct(base[k][0])} ({_pct(base[k][1])}) |" if k in base else " - |") if compare else ""
            lines.append(f"| {NAMES[k]} | {c[k]} | {_pct(sh[k])} | {_pct(m)} ({_pct(s)}) |{other} "
                         f"{'-' if ref is None else f'{ref:.2f}%'} |")
        nf = t.nonfactorable_shares()
        for q in ("4", "6"):
            m, s = means[f"nonfactorable_{q}"]
            ref = paper.get(f"nonfactorable_{q}")
            key = f"nonfactorable_{q}"
            other = (f" {_pct(base[key][0])} ({_pct(base[key][1])}) |" if key in base else " - |") if compare else ""
            lines.append(f"| non-factorable, of the order-{q} blocks | {c[key]} | {_pct(nf[q])} | "
                         f"{_pct(m)} ({_pct(s)}) |{other} {'not recorded' if ref is None else f'{ref:.2f}%'} |")
        lines += ["", f"Named types among the factorable order-4/6 blocks: {_pct(t.matched())} (paper: "
                  + (f"{100 - paper['other']:.2f}%" if paper else "-") + "). Final losses "
                  f"{min(r['final_loss'] for r in t.per_run):.2e} .. "
                  f"{max(r['final_loss'] for r in t.per_run):.2e}.", ""]
    if timing:
        lines += ["## Training speed (CPU seconds per 10,000-epoch run, width 512, one BLAS thread, same seed)", "",
                  "| d | all pairs (`train`) | closed form (`train_fourier`) | speed-up | final losses agree to |",
                  "|---:|---:|---:|---:|---:|"]
        for d, x in sorted(timing.items()):
            lines.append(f"| {d} | {x['direct']:.0f} s | {x['fourier']:.0f} s | {x['direct'] / x['fourier']:.1f}x | "
                         f"{x['agree']:.1e} |")
        lines.append("")
    return "\n".join(lines)


def figure(tables: list, path: str) -> None:
    from matplotlib.figure import Figure

    from algebra.present import paper_style

    labels = [r"$z_{\nu=i} z_{\xi}$", r"$z_{\nu} z_{syn}$", r"$z_{\nu=i} z_{syn,\alpha\beta}$", "other"]
    with paper_style():
        fig = Figure(figsize=(2.6 * len(tables) + 0.6, 2.6))
        axes = fig.subplots(1, len(tables), squeeze=False)[0]
        for ax, t in zip(axes, tables):
            means = t.seed_means()
            paper = t.paper() or {}
            x = range(len(CATEGORIES))
            ours = [100 * (means[k][0] or 0) for k in CATEGORIES]
            errs = [100 * (means[k][1] or 0) for k in CATEGORIES]
            ax.bar([i - 0.2 for i in x], ours, width=0.4, yerr=errs, label="measured", color="tab:blue")
            ax.bar([i + 0.2 for i in x], [paper.get(k) or 0 for k in CATEGORIES], width=0.4, label="paper",
                   color="tab:orange")
            ax.set_xticks(list(x), labels, rotation=30, ha="right")
            ax.set_title(f"$d = {t.d}$, lr ${t.lr:g}$, {t.criteria}")
            ax.set_ylim(0, 100)
        axes[0].set_ylabel("factorable blocks of order 4, 6 (%)")
        axes[0].legend(frameon=False)
        fig.tight_layout()
        fig.savefig(path, dpi=150)


def _seed_spec(text: str) -> dict:
    try:
        return {int(k): int(v) for k, v in (part.split(":") for part in text.split(",") if part)}
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected d:seeds pairs such as 23:10,71:3, got {text!r}") from None


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ds", default="23,71", help="orders, comma-separated (default 23,71)")
    p.add_argument("--seeds", type=_seed_spec, default={}, help="seeds per d, e.g. 23:20,71:6")
    p.add_argument("--min-blocks", type=int, default=100, help="default seeds: enough for this many blocks per d")
    p.add_argument("--epochs", default="10000", help="epochs, comma-separated (a table for each)")
    p.add_argument("--lr", default="0.01", help="learning rates, comma-separated (the paper's sweep: 0.01; "
                                                 "cogo train's default: 0.001)")
    p.add_argument("--criteria", default="paper,strict", help="block naming criteria to print (paper, strict)")
    p.add_argument("--runs-dir", default=None, help="folder of run files to reuse")
    p.add_argument("--timing-epochs", type=int, default=100,
                   help="epochs of each trainer for the speed table (0: skip)")
    p.add_argument("--train-fraction", type=float, default=1.0,
                   help="share of the pairs each run trains on (the paper's: 0.9); below 1 the default output is "
                        "cogo_table2_results_split, compared with the all-pairs cogo_table2_results.json")
    p.add_argument("--compare", default=None, help="all-pairs results (.json, comma-separated) to set beside a "
                                                    "split's tables (default cogo_table2_results.json)")
    p.add_argument("--out", default=None, help="output path without suffix")
    args = p.parse_args()
    fraction = args.train_fraction
    args.out = args.out or os.path.join(HERE, "cogo_table2_results" + ("" if fraction == 1 else "_split"))
    p_compare = args.compare.split(",") if args.compare else [os.path.join(HERE, "cogo_table2_results.json")]
    compare = _all_pairs(p_compare) if fraction != 1 else None
    epochs_list = [int(x) for x in args.epochs.split(",")]
    ds = [int(x) for x in args.ds.split(",")]
    tables, timing = [], {}
    lrs = [float(x) for x in args.lr.split(",")]
    for d in ds:
        for lr, epochs in ((lr, e) for lr in lrs for e in epochs_list):
            seeds = args.seeds.get(d) or math.ceil(args.min_blocks / ((d - 1) // 2))
            t, seconds = one_table(d, seeds, epochs, lr, args.runs_dir, fraction)
            print(t.summary(), f"\n  ({seconds:.0f} s for this table)", flush=True)
            tables += [t.with_criteria(c) for c in args.criteria.split(",")]
    if args.timing_epochs:
        for d in ds:
            timing[d] = time_gradients(d, args.timing_epochs, lrs[0])
            print(f"speed at d = {d}: all pairs {timing[d]['direct']:.0f} s, closed form {timing[d]['fourier']:.0f} s "
                  f"per 10,000-epoch run; final losses agree to {timing[d]['agree']:.1e}", flush=True)
    with open(args.out + ".md", "w") as f:
        f.write(markdown(tables, timing, ", ".join(f"{e:,}" for e in epochs_list), fraction, compare))
    with open(args.out + ".json", "w") as f:
        json.dump({"tables": [t.to_json() for t in tables], "timing": timing, "paper": PAPER_TABLE2}, f, indent=1)
    if fraction == 1:
        figure([t for t in tables if t.criteria == "paper"], args.out + ".png")
    print(f"wrote {args.out}.md, {args.out}.json" + (" and .png" if fraction == 1 else ""))


if __name__ == "__main__":
    main()
