r"""Table 2 of [@tian2024]: which solution types gradient descent finds, in the paper's categories (numeric).

Train the network of MATH.md section 2 for a list of seeds (full-batch Adam with weight decay, by
:func:`algebra.cogo.training.train`, with the cheaper exact gradient of
:func:`algebra.cogo.fourier_training.fastest`), cut every run into per-frequency blocks and factor them
(:func:`algebra.cogo.classify.classify_runs`), and count the blocks as the paper's Table 2 does. Its
categories are those of the paper's released analysis (``summarize46`` in ``factorize_sol.py`` of
facebookresearch/luckmatters, ``ssl/real-dataset/cogo``): only blocks of order 4 and 6 are counted;
a block that does not factor is *non-factorable* (its share is of the blocks of its order); the
factorable ones split into four columns that sum to 100%:

* ``nu_i*xi``: order 4, z_{nu=i} * z_xi;
* ``nu*syn``: order 6, z_nu * z_syn;
* ``nu_i*syn_ab``: order 6, z_{nu=i} * z_{syn,alpha beta} (z_{nu=i} * z_syn, its case alpha = beta = 1,
  included, as in the paper's code);
* ``other``: factorable, none of these.

The paper gives the mean over its seeds (1 to 5) of every run's shares; :class:`Table2` gives those
means with their standard errors, and the pooled counts. The paper's own numbers are
:data:`PAPER_TABLE2`. Its runs (``sweep.log`` of the released code) took Adam's step 0.01, the default
here (``cogo train`` defaults to 0.001, and 10 000 epochs at 0.001 leave some order-6 blocks still
moving), and trained each network on a random 90% of the pairs (``test_size=0.1``), its weights taken at
epoch 9900 (after 9900 steps); here every run is full batch on all pairs, weights taken at the end, unless
``train_fraction`` is below 1: then each run trains on the paper's split of its seed
(:func:`~algebra.cogo.training.train_pairs`, the all-pairs gradient masked), and ``epochs=9900`` takes the
paper's weights. Blocks are cut by
:func:`algebra.cogo.classify.split_blocks`, not by the paper's rule (largest |a_k| above 0.05).

>>> t = table2(5, seeds=2, width=16, epochs=100, progress=False)
>>> t.seeds, t.method, sorted(t.shares())
((1, 2), 'direct', ['nu*syn', 'nu_i*syn_ab', 'nu_i*xi', 'other'])
>>> t.to_json()["paper"] is None
True
"""
from __future__ import annotations

import itertools
import math
import sys
from collections import Counter
import dataclasses
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
from tqdm import tqdm

from algebra.cogo.classify import W3, classify_runs, fourier_arrays, split_blocks, type_cell
from algebra.cogo.fourier_training import fastest, fourier_loss_and_grads, fourier_step_bytes, step_flops
from algebra.cogo.notation import TRAINING_NOTATION, group_symbol
from algebra.cogo.training import (MAX_EPOCHS, MAX_ORDER, MAX_TRAIN_BYTES, MAX_WIDTH, TrainRun, check_fraction,
                                   scientific, train, training_bytes)
from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Result
# from the module, not the package: the package attribute ``table`` can be shadowed by the submodule of that name
from algebra.present.notation import inline, table

__all__ = ["Table2", "table2", "table2_from_runs", "table2_cost", "category", "paper_category", "CATEGORIES",
           "CRITERIA", "PAPER_TABLE2",
           "MAX_TABLE2_SEEDS", "MAX_TABLE2_SECONDS", "SECONDS_PER_FLOP", "SECONDS_PER_EPOCH", "METHODS"]

#: the four columns of factorable order-4 and order-6 blocks (they sum to 100%)
CATEGORIES = ("nu_i*xi", "nu*syn", "nu_i*syn_ab", "other")
#: Table 2 of [@tian2024] (width 512, weight decay 5e-5, mean over seeds 1..5), in percent, as recorded in
#: MATH.md section 2 (the paper's text itself is not in this project's sources, so these numbers are not
#: re-checked here); ``None``: the cell is not recorded there
PAPER_TABLE2 = {
    23: {"nu_i*xi": 47.07, "nu*syn": 39.80, "nu_i*syn_ab": 11.31, "other": 1.82, "nonfactorable_4": None},
    71: {"nu_i*xi": 72.57, "nu*syn": 21.14, "nu_i*syn_ab": 4.00, "other": 2.29, "nonfactorable_4": None},
    127: {"nu_i*xi": 82.96, "nu*syn": 14.13, "nu_i*syn_ab": 2.25, "other": 0.66, "nonfactorable_4": 1.50},
}
#: most seeds (runs) of one table
MAX_TABLE2_SEEDS = 200
#: the longest table computed on request: its estimated training time (:func:`table2_cost`), in seconds
MAX_TABLE2_SECONDS = 6 * 3600
#: the cost model of :func:`table2_cost`, measured on one core of this kind of machine (2 cores, numpy with
#: OpenBLAS): seconds per multiply-add of a loss-and-gradient step (:func:`~algebra.cogo.fourier_training.step_flops`)
#: and the fixed seconds of an epoch (the Adam update and bookkeeping)
SECONDS_PER_FLOP = 1.0e-10
SECONDS_PER_EPOCH = 3.0e-4
#: how blocks are named: by the tests of the paper's released analysis (:func:`paper_category`), or by
#: :func:`algebra.cogo.classify.classify_block` (every potential of the named factor checked, :func:`category`)
CRITERIA = ("paper", "strict")
#: how the gradient is computed: the cheaper of the two (``auto``), all pairs, or the closed-form sum
METHODS = ("auto", "direct", "fourier")


def category(size: int, label: str) -> str | None:
    """The Table 2 column of a block of ``size`` nodes classified as ``label``
    (:func:`algebra.cogo.classify.classify_block`): one of :data:`CATEGORIES`, ``non-factorable``, or
    None for a block of another order (not counted in the table).

    >>> category(4, "nu_i*xi"), category(6, "nu_i*syn"), category(6, "unfactored"), category(2, "order-2")
    ('nu_i*xi', 'nu_i*syn_ab', 'non-factorable', None)
    """
    if size not in (4, 6):
        return None
    if label == "unfactored":
        return "non-factorable"
    if size == 4 and label == "nu_i*xi":
        return "nu_i*xi"
    if size == 6 and label == "nu*syn":
        return "nu*syn"
    if size == 6 and label in ("nu_i*syn", "nu_i*syn_ab"):
        return "nu_i*syn_ab"
    return "other"


def _paper_factor_type(A: np.ndarray) -> str:
    """The type of a factor (3 x m: rows a, b, c; column 0 is (1, 1, 1)) by the tests of the paper's
    ``check_component``: nodes scaled by the cube root of a b c, tolerance 0.1; order 2: ``xi`` if
    c = +-i, ``4c`` (z_{nu=i}) if c = 1 and a = +-i, ``nu`` if a = -b; order 3: ``syn`` if both nodes are
    (w3, w3, w3) and its conjugate up to (a, b) -> (-a, -b), ``syn-ab`` if only c is; else unknown."""
    A = A / np.prod(A, axis=0, keepdims=True) ** (1.0 / 3)
    t = 0.1
    if A.shape[1] == 2:
        a, b, c = A[:, 1]
        if abs(c - 1j) < t or abs(c + 1j) < t:
            return "order-2-xi"
        if abs(c - 1) < t and (abs(a - 1j) < t or abs(a + 1j) < t):
            return "order-2-4c"
        if abs(a + b) < t:
            return "order-2-nu"
        return "order-2-unknown"
    A = A.copy()
    for i in (1, 2):
        if A[0, i].real > 0:
            A[:2, i] *= -1
    if A[2, 1].imag < 0:
        A = np.conj(A)
    if (np.linalg.norm(A[:, 1] - W3) < t * math.sqrt(3)
            and np.linalg.norm(A[:, 2] - np.conj(W3)) < t * math.sqrt(3)):
        return "order-3-syn"
    if abs(A[2, 1] - W3) < t and abs(A[2, 2] - np.conj(W3)) < t:
        return "order-3-syn-ab"
    return "order-3-unknown"


def paper_category(nodes: np.ndarray) -> str | None:
    """The Table 2 column of a block (q x 3 complex nodes (a, b, c)) by the criteria of the paper's released
    analysis (``analyze_solution`` in ``factorize_sol.py``): the nodes are split into two halves whose
    ratios c'/c are most nearly constant (over every order of the nodes), signs (a, b) -> (-a, -b) fixed, the
    block is z1 * z2 with z1 of order 2, non-factorable if the ratios spread more than 0.1 sqrt(3 q), and
    the factors named by :func:`_paper_factor_type`. None for a block of order other than 4 and 6.

    >>> from algebra.cogo import constructions as C
    >>> paper_category((C.nu() * C.syn()).to_numpy({"nu": np.exp(1j)}))
    'nu*syn'
    """
    F = np.asarray(nodes, dtype=complex).reshape(-1, 3).T
    q = F.shape[1]
    if q not in (4, 6):
        return None
    h = q // 2
    best, perm = math.inf, None
    for p in itertools.permutations(range(q)):
        ratio = F[2, list(p[:h])] / F[2, list(p[h:])]
        err = np.linalg.norm(ratio - ratio.mean())
        if err < best:
            best, perm = err, p
    F = F[:, list(perm)].copy()
    test = F[0, h:] / F[0, :h]
    flip = np.nonzero(np.abs(test - test[0]) > 0.2)[0]
    F[:2, flip] *= -1
    ratio = F[:, h:] / F[:, :h]
    err = np.linalg.norm(ratio - ratio.mean(axis=1, keepdims=True))
    if not np.isfinite(err) or err > math.sqrt(3 * q) * 0.1:
        return "non-factorable"
    first = np.stack([np.ones(3, complex), ratio.mean(axis=1)], axis=1)
    second = F[:, :h] / F[:, :1]
    pair = tuple(sorted((_paper_factor_type(first), _paper_factor_type(second))))
    if pair == ("order-2-4c", "order-2-xi"):
        return "nu_i*xi"
    if pair == ("order-2-nu", "order-3-syn"):
        return "nu*syn"
    if pair in (("order-2-4c", "order-3-syn-ab"), ("order-2-4c", "order-3-syn")):
        return "nu_i*syn_ab"
    return "other"


def _method(method: str, order: int, width: int, train_fraction: float = 1.0) -> str:
    if method not in METHODS:
        raise FlowAlgebraError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if train_fraction != 1:  # the closed form sums over all pairs
        if method == "fourier":
            raise FlowAlgebraError("the fourier gradient sums over all pairs; a train fraction below 1 needs "
                                   "--method direct (or auto)")
        return "direct"
    return fastest(order, width) if method == "auto" else method


def table2_cost(d: int, seeds: int, width: int = 512, epochs: int = 10_000, method: str = "auto",
                train_fraction: float = 1.0) -> float:
    """Estimated seconds of training for :func:`table2` (one core): seeds x epochs x (step multiply-adds x
    :data:`SECONDS_PER_FLOP` + :data:`SECONDS_PER_EPOCH`).

    >>> round(table2_cost(23, 10))
    217
    """
    m = _method(method, d, width, train_fraction)
    return seeds * epochs * (step_flops(d, width, m) * SECONDS_PER_FLOP + SECONDS_PER_EPOCH)


def _check(d, seeds, width, epochs, method, train_fraction=1.0) -> tuple[tuple, str]:
    for name, x, lo, hi in (("d", d, 3, MAX_ORDER), ("width", width, 1, MAX_WIDTH), ("epochs", epochs, 1, MAX_EPOCHS)):
        if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or not lo <= x <= hi:
            raise FlowAlgebraError(f"{name} must be an integer in {lo}..{hi}, got {x!r}")
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        if not 1 <= seeds <= MAX_TABLE2_SEEDS:
            raise FlowAlgebraError(f"seeds must be a count in 1..{MAX_TABLE2_SEEDS}, got {seeds}")
        seeds = tuple(range(1, int(seeds) + 1))
    else:
        seeds = tuple(seeds)
        if not 1 <= len(seeds) <= MAX_TABLE2_SEEDS or len(set(seeds)) != len(seeds):
            raise FlowAlgebraError(f"seeds must be 1 to {MAX_TABLE2_SEEDS} distinct seeds, got {len(seeds)}")
    m = _method(method, d, width, check_fraction(train_fraction))
    need = fourier_step_bytes(d, width) if m == "fourier" else training_bytes(d, width, epochs)
    if need > MAX_TRAIN_BYTES:
        raise FlowAlgebraError(f"table 2 at d = {d}, width {width} needs about {need / 2 ** 30:.1f} GB per training "
                               "step "
                               f"({m} gradient); the limit is MAX_TRAIN_BYTES = {MAX_TRAIN_BYTES / 2 ** 30:.0f} GB: "
                               "lower the width" + (" or use --method direct" if m == "fourier" else ""))
    cost = table2_cost(d, len(seeds), width, epochs, m)
    if cost > MAX_TABLE2_SECONDS:
        raise FlowAlgebraError(f"table 2 at d = {d}, width {width}, {len(seeds)} seeds x {epochs} epochs needs about "
                               f"{cost / 3600:.1f} h of training ({m} gradient); the limit is MAX_TABLE2_SECONDS = "
                               f"{MAX_TABLE2_SECONDS / 3600:.0f} h: fewer seeds or epochs")
    return seeds, m


def table2(d: int, seeds: int | Sequence[int] = 5, width: int = 512, wd: float = 5e-5, epochs: int = 10_000,
           lr: float = 1e-2, method: str = "auto", progress: bool = True, runs: dict | None = None,
           train_fraction: float = 1.0) -> "Table2":
    """Train one network over Z_d per seed (``seeds``: a count n, meaning seeds 1..n as in the paper, or a
    list), classify their blocks and count them in the paper's categories. ``method`` picks the exact
    gradient (:data:`METHODS`); every argument is checked, and the training time estimated
    (:func:`table2_cost`), before any work. ``runs`` (seed -> :class:`~algebra.cogo.training.TrainRun`)
    supplies runs already trained with these settings (their settings are checked); the runs trained here are
    added to it. ``train_fraction`` < 1 trains each run on that share of the pairs, drawn from its seed
    as in the paper's code (:func:`~algebra.cogo.training.train_pairs`; the all-pairs ``direct`` gradient)."""
    seeds, m = _check(d, seeds, width, epochs, method, train_fraction)
    if progress:
        cost = _duration(table2_cost(d, len(seeds), width, epochs, m))
        tqdm.write(f"table 2 over Z_{d}: {len(seeds)} runs, about {cost} of training on one core ({m} gradient)",
                   file=sys.stderr)
    kwargs = dict(loss_fn=fourier_loss_and_grads, step_bytes=fourier_step_bytes) if m == "fourier" else {}
    trained = []
    for s in tqdm(seeds, desc=f"table 2, Z_{d}", unit="run", disable=not progress):
        run = (runs or {}).get(s)
        if run is not None:
            got = (run.moduli, run.width, run.wd, run.epochs, run.lr, run.seed, run.train_fraction)
            want = ((d,), width, float(wd), epochs, float(lr), s, float(train_fraction))
            if got != want:
                raise FlowAlgebraError(f"the run given for seed {s} was trained with (group, width, wd, epochs, lr, "
                                       f"seed, train fraction) = {got}, not {want}")
        else:
            run = train(d, width=width, wd=wd, seed=s, epochs=epochs, lr=lr, progress=False,
                        train_fraction=train_fraction, **kwargs)
            if runs is not None:
                runs[s] = run
        trained.append(run)
    return table2_from_runs(trained, method=m)


def table2_from_runs(runs: Iterable[TrainRun], method: str = "") -> "Table2":
    """Count the blocks of trained runs (one group, one width) in the paper's categories."""
    runs = list(runs)
    if not runs:
        raise FlowAlgebraError("table 2 needs at least one run")
    first = runs[0]
    for r in runs:
        if ((r.moduli, r.width, r.wd, r.epochs, r.lr, r.train_fraction)
                != (first.moduli, first.width, first.wd, first.epochs, first.lr, first.train_fraction)):
            raise FlowAlgebraError("table 2 counts runs of one setting; got runs of different groups or "
                                   "hyper-parameters")
    per_run = []
    keys = (*CATEGORIES, "nonfactorable_4", "nonfactorable_6")
    for r in runs:
        c = classify_runs([r], progress=False, details=True)
        A, B, C = fourier_arrays(r.group, r.W_a, r.W_b, r.W_c)
        split, _, _ = split_blocks(r.group, A, B, C)  # the blocks of classify_runs, in the same order
        counts = {"paper": Counter(), "strict": Counter()}
        orders = Counter()
        for b, (k, idx) in zip(c.blocks, split.items()):
            size = b["size"]
            orders[str(size) if size in (0, 4, 6) else "other"] += 1
            nodes = np.stack([A[idx, k], B[idx, k], C[idx, k]], axis=1) if idx else np.zeros((0, 3), complex)
            for criteria, cat in (("strict", category(size, b["type"])), ("paper", paper_category(nodes))):
                if cat == "non-factorable":
                    counts[criteria][f"nonfactorable_{size}"] += 1
                elif cat is not None:
                    counts[criteria][cat] += 1
        per_run.append({"seed": r.seed, "final_loss": r.final_loss if math.isfinite(r.final_loss) else None,
                        "seconds": round(float(r.seconds), 2), "blocks": len(c.blocks),
                        "orders": {k: orders.get(k, 0) for k in ("0", "4", "6", "other")},
                        "counts": {m: {k: counts[m].get(k, 0) for k in keys} for m in CRITERIA}})
    return Table2(first.moduli, first.width, first.wd, first.epochs, first.lr, method,
                  tuple(r.seed for r in runs), per_run, train_fraction=first.train_fraction)


def _duration(seconds: float) -> str:
    """A rough duration: ``40 s``, ``12 min``, ``1.5 h``.

    >>> _duration(40), _duration(700), _duration(5400)
    ('40 s', '12 min', '1.5 h')
    """
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 5399 else f"{seconds / 3600:.1f} h"


def _mean_se(xs: list[float]) -> tuple[float | None, float | None]:
    if not xs:
        return None, None
    mean = float(np.mean(xs))
    se = float(np.std(xs, ddof=1) / math.sqrt(len(xs))) if len(xs) > 1 else None
    return mean, se


@dataclass(repr=False)
class Table2(Result):
    """Counts and shares of the solution types of trained networks, in the columns of [@tian2024], Table 2."""

    moduli: tuple
    width: int
    wd: float
    epochs: int
    lr: float
    method: str
    seeds: tuple
    per_run: list = field(default_factory=list)
    criteria: str = "paper"  # the counts shown: one of CRITERIA (both are kept; see with_criteria)
    train_fraction: float = 1.0  # the share of the pairs each run was trained on

    def with_criteria(self, criteria: str) -> "Table2":
        """The same table with the blocks named by the other :data:`CRITERIA`."""
        if criteria not in CRITERIA:
            raise FlowAlgebraError(f"criteria must be one of {', '.join(CRITERIA)}, got {criteria!r}")
        return dataclasses.replace(self, criteria=criteria)

    def _c(self, r: dict) -> dict:
        return r["counts"][self.criteria]

    @property
    def d(self) -> int:
        return math.prod(self.moduli)

    def counts(self) -> dict:
        """Pooled counts over the runs: the four columns and the non-factorable blocks of order 4 and 6."""
        total = Counter()
        for r in self.per_run:
            total.update(self._c(r))
        return {k: total.get(k, 0) for k in (*CATEGORIES, "nonfactorable_4", "nonfactorable_6")}

    def orders(self) -> dict:
        """Pooled number of blocks of order 0 (empty), 4, 6 and any other order."""
        total = Counter()
        for r in self.per_run:
            total.update(r["orders"])
        return {k: total.get(k, 0) for k in ("0", "4", "6", "other")}

    def factorable(self) -> int:
        c = self.counts()
        return sum(c[k] for k in CATEGORIES)

    def shares(self) -> dict:
        """Pooled share of each column among the factorable order-4 and order-6 blocks (None without any)."""
        n = self.factorable()
        return {k: (self.counts()[k] / n if n else None) for k in CATEGORIES}

    def nonfactorable_shares(self) -> dict:
        """Pooled share of non-factorable blocks among the blocks of order 4, and of order 6."""
        c, o = self.counts(), self.orders()
        return {q: (c[f"nonfactorable_{q}"] / o[q] if o[q] else None) for q in ("4", "6")}

    def seed_means(self) -> dict:
        """The paper's statistic: the mean over runs of each run's shares, with its standard error."""
        out = {}
        for k in CATEGORIES:
            xs = [self._c(r)[k] / sum(self._c(r)[c] for c in CATEGORIES) for r in self.per_run
                  if sum(self._c(r)[c] for c in CATEGORIES)]
            out[k] = _mean_se(xs)
        for q in ("4", "6"):
            xs = [self._c(r)[f"nonfactorable_{q}"] / r["orders"][q] for r in self.per_run if r["orders"][q]]
            out[f"nonfactorable_{q}"] = _mean_se(xs)
        return out

    def matched(self) -> float | None:
        """Share of the factorable order-4/6 blocks that are of the three named types (the paper's ~95%)."""
        n = self.factorable()
        return (n - self.counts()["other"]) / n if n else None

    def paper(self) -> dict | None:
        """The paper's row at this d (:data:`PAPER_TABLE2`), if it has one and the setting is the paper's."""
        if len(self.moduli) == 1 and self.d in PAPER_TABLE2 and self.width == 512 and self.wd == 5e-5:
            return PAPER_TABLE2[self.d]
        return None

    def _stats(self) -> dict:
        r4 = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {"counts": self.counts(), "factorable": self.factorable(),
                "shares": {k: r4(v) for k, v in self.shares().items()},
                "nonfactorable_shares": {k: r4(v) for k, v in self.nonfactorable_shares().items()},
                "seed_means": {k: {"mean": r4(m), "se": r4(s)} for k, (m, s) in self.seed_means().items()},
                "matched": r4(self.matched())}

    def to_json(self) -> dict:
        return {"group": f"Z_{self.d}" if len(self.moduli) == 1 else " x ".join(f"Z_{m}" for m in self.moduli),
                "width": self.width, "wd": self.wd, "epochs": self.epochs, "lr": self.lr, "method": self.method,
                "train_fraction": self.train_fraction, "seeds": list(self.seeds), "orders": self.orders(), "criteria": self.criteria, **self._stats(),
                "by_criteria": {c: self.with_criteria(c)._stats() for c in CRITERIA}, "paper": self.paper(),
                "runs": self.per_run}

    def summary(self) -> str:
        c, sh, means, paper = self.counts(), self.shares(), self.seed_means(), self.paper() or {}
        secs = [r["seconds"] for r in self.per_run]
        share = "" if self.train_fraction == 1 else f", trained on {self.train_fraction:g} of the pairs"
        lines = [f"Table 2 over Z_{self.d}, width {self.width}, wd {self.wd:g}, {self.epochs} epochs{share}, seeds "
                 f"{_seed_list(self.seeds)} ({self.method} gradient, {np.mean(secs):.1f} s per run): "
                 f"{sum(self.orders().values())} blocks, orders {self.orders()}; blocks named by the {self.criteria} "
                 "criteria"]
        pct = lambda x: "-" if x is None else f"{100 * x:.2f}%"  # noqa: E731
        lines.append(f"  {'type':<14}{'blocks':>7}{'pooled':>9}{'seed mean':>11}{'s.e.':>8}{'paper':>9}")
        for k in CATEGORIES:
            m, s = means[k]
            ref = paper.get(k)
            lines.append(f"  {k:<14}{c[k]:>7}{pct(sh[k]):>9}{pct(m):>11}{pct(s):>8}"
                         f"{'-' if ref is None else f'{ref:.2f}%':>9}")
        for q in ("4", "6"):
            m, s = means[f"nonfactorable_{q}"]
            ref = paper.get(f"nonfactorable_{q}")
            lines.append(f"  {'non-fact. ' + q:<14}{c['nonfactorable_' + q]:>7}{pct(self.nonfactorable_shares()[q]):>9}"
                         f"{pct(m):>11}{pct(s):>8}{'-' if ref is None else f'{ref:.2f}%':>9}")
        lines.append(f"  named types among the factorable order-4/6 blocks: {pct(self.matched())}"
                     + (f" (paper {100 - paper['other']:.2f}%)" if paper else ""))
        for other in CRITERIA:
            if other != self.criteria:
                o = self.with_criteria(other)
                lines.append(f"  by the {other} criteria: " + ", ".join(f"{k} {pct(v)}" for k, v in o.shares().items())
                             + f"; named {pct(o.matched())}")
        return "\n".join(lines)

    def _table(self):
        c, sh, means, paper = self.counts(), self.shares(), self.seed_means(), self.paper()
        header = ["type", "blocks", "pooled", "mean over seeds"] + (["paper"] if paper else [])
        rows = []
        for k in CATEGORIES:
            rows.append([type_cell(k) if k != "other" else "other factorable", c[k], _pct(sh[k]), _pm(*means[k])]
                        + ([_pct(paper[k] / 100) if paper.get(k) is not None else "not recorded"] if paper else []))
        for q in ("4", "6"):
            key = f"nonfactorable_{q}"
            rows.append([f"non-factorable, order {inline(int(q))}", c[key], _pct(self.nonfactorable_shares()[q]),
                         _pm(*means[key])]
                        + ([_pct(paper[key] / 100) if paper.get(key) is not None else "not recorded"] if paper else []))
        return table(header, rows)

    def derivation(self) -> Derivation:
        d = Derivation(f"Table 2 of [@tian2024] over {inline(group_symbol(self.moduli))} (numeric)",
                       notation=TRAINING_NOTATION + r" Only blocks of order $4$ and $6$ enter the table, as in the "
                       r"paper's analysis; its four types are shares of the factorable ones.")
        d.add(f"{inline(len(self.per_run))} networks of width {inline(self.width)} trained by full-batch Adam "
              f"(weight decay {inline(scientific(self.wd))}, learning rate {inline(scientific(self.lr))}, "
              f"{inline(self.epochs)} epochs, the exact gradient by the {self.method} method"
              + ("" if self.train_fraction == 1 else
                 f", on a random share {inline(scientific(self.train_fraction))} of the pairs drawn from the seed")
              + "), one per seed:",
              table(["seed", "final loss", "seconds", "empty", "order 4", "order 6", "other orders"],
                    [[r["seed"], "unknown" if r["final_loss"] is None else scientific(r["final_loss"]),
                      scientific(r["seconds"]), r["orders"]["0"], r["orders"]["4"], r["orders"]["6"],
                      r["orders"]["other"]] for r in self.per_run]))
        words = {"paper": "by the tests of the paper's released analysis (tolerance $0.1$)",
                 "strict": "by the factorisation of this package (every potential of a named factor checked, "
                           "tolerance $0.15$)"}
        for crit in (self.criteria, *[c for c in CRITERIA if c != self.criteria]):
            t = self.with_criteria(crit)
            d.add(f"The blocks named {words[crit]}: pooled shares of the {inline(t.factorable())} factorable blocks "
                  "of order $4$ or $6$, the non-factorable rows as shares of the blocks of their order, and the "
                  "mean over seeds with its standard error (the paper's statistic):", t._table())
        m = self.matched()
        d.conclusion = ("No block of order $4$ or $6$ factors." if m is None else
                        f"{_pct(m)} of the factorable blocks of order $4$ or $6$ are of the three types named in "
                        f"[@tian2024] ({words[self.criteria].split(' (')[0]})"
                        + (f"; the paper reports {_pct(1 - self.paper()['other'] / 100)}." if self.paper() else "."))
        return d


def _pct(x: float | None) -> str:
    return "none" if x is None else f"${100 * x:.2f}\\,\\%$"


def _pm(mean: float | None, se: float | None) -> str:
    if mean is None:
        return "none"
    return f"${100 * mean:.2f} \\pm {100 * se:.2f}\\,\\%$" if se is not None else _pct(mean)


def _seed_list(seeds: tuple) -> str:
    if len(seeds) > 2 and seeds == tuple(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}..{seeds[-1]}"
    return ", ".join(map(str, seeds))
