"""Factor learned per-frequency blocks into ring factors and classify them (numeric).

A trained network is split into per-frequency blocks: every live hidden node
is assigned to the frequency pair {k, -k} that carries most of its input
weight, and the block at k is the list of nodes (a_kj, b_kj, c_kj). A block
z of size q is factored as z = z1 * z2 with |z1| = 2 (or 3): its nodes pair up
as (n, n * u) with one common ratio u. The comparison is robust to

* node order (matching, not position),
* the per-node rescaling (t a, t b, c / t^2), t real (nodes and ratios are
  normalised to |a||b| = 1 and compared up to the sign t = -1),
* conjugation (the named factor types are closed under conjugation),

and works for blocks of any size (parameters are defined up to the
factor's symmetries: z_nu * z_syn = z_{nu w3} * z_syn up to node order, so nu
is only defined modulo cube roots of unity, and at nu w3^j = +-i the block is
also z_{nu=i} * z_syn, the name reported then) (a factor of order 2 is peeled off
repeatedly, an order-3 factor is tried when 3 divides the size). Factors are
then named: ``nu_i`` (i, -i, 1), ``nu`` (nu, -nu, -nu^-2), ``xi``
(xi, +-i conj xi, -+i), ``syn`` (w3 powers), ``syn_ab`` (c = 1, w3, conj w3
with |a| = |b| = 1, abc = 1), and ``syn_c``, the phases of syn_ab with
output magnitudes |c_j| != 1 (not one of the paper's partial solutions; it
appears in trained networks), ``?`` otherwise. Floats only: this is the numeric backend.

:meth:`RunClassification.to_json` holds numbers as numbers: counts and block sizes are integers,
fractions, residuals and errors floats (rounded to 4 digits), and a JSON object's keys (which are
strings) are the block sizes written in decimal. ``block_details`` (every block) is left out when the
result is built with ``details=False``.

>>> import numpy as np
>>> from algebra.cogo import constructions as C
>>> block = (C.nu() * C.syn()).to_numpy({"nu": np.exp(1j)})
>>> classify_block(block).label
'nu*syn'
>>> classify_block((C.nu_i() * C.xi()).subs({"xi": C.F12.zeta(5)}).to_numpy()).label
'nu_i*xi'
>>> peel(block).error < 1e-9
True
"""
from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple, Sequence

import numpy as np
from tqdm import tqdm

from algebra.cogo.notation import BLOCK_SYMBOLS, TRAINING_NOTATION, command_name, construction_symbol, group_symbol
from algebra.cogo.training import TrainRun, fourier_arrays, scientific
from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Result, inline, table

__all__ = ["BlockClass", "Factorisation", "RunClassification", "classify_block", "classify_runs", "split_blocks", "type_cell",
           "normalise", "node_distance", "peel", "peel_all", "order2_types", "order2_type", "order3_type", "TOL",
           "MAX_BLOCK", "PRIORITY", "W3"]

W3 = np.exp(2j * np.pi / 3)
TOL = 0.15  # relative tolerance for "same node" / "named factor"
MAX_BLOCK = 24  # blocks larger than this are reported but not factored (combinatorics)


# ---------------------------------------------------------------------------
# node algebra (numeric)
# ---------------------------------------------------------------------------
def normalise(nodes: np.ndarray) -> np.ndarray:
    """Rescale every node (t a, t b, c / t^2), t > 0, so that |a| |b| = 1."""
    nodes = np.asarray(nodes, dtype=complex).reshape(-1, 3)
    ab = np.sqrt(np.abs(nodes[:, 0]) * np.abs(nodes[:, 1]))
    ab = np.where(ab > 0, ab, 1.0)
    t = 1.0 / ab
    return np.stack([nodes[:, 0] * t, nodes[:, 1] * t, nodes[:, 2] / t ** 2], axis=1)


def node_distance(n1: np.ndarray, n2: np.ndarray) -> float:
    """Relative distance of two normalised nodes, up to the sign (a, b) -> (-a, -b)."""
    scale = max(np.linalg.norm(n1), np.linalg.norm(n2), 1e-300)
    flip = n1 * np.array([-1, -1, 1])
    return float(min(np.linalg.norm(n1 - n2), np.linalg.norm(flip - n2)) / scale)


def _ratio(n1: np.ndarray, n0: np.ndarray) -> np.ndarray:
    return normalise((n1 / n0)[None, :])[0]


class Factorisation(NamedTuple):
    """z = z1 * z2 with z1 = {(1,1,1), u_1, ..., u_{order-1}}: the ratios u_i, the nodes of z2 (``bases``),
    and the largest relative distance of a matched node (``error``)."""

    ratios: list
    bases: list
    error: float


def peel_all(nodes: np.ndarray, order: int = 2, tol: float = TOL) -> list[Factorisation]:
    """Every way to write nodes = z1 * z2 with |z1| = ``order`` (a list of :class:`Factorisation`).

    A block can factor in several ways (z_nu * z_syn = z_{nu w3} * z_syn), so all are returned."""
    q = len(nodes)
    if q % order or q < order:
        return []
    nodes = normalise(nodes)
    found = []
    n0 = nodes[0]
    for partners in itertools.permutations(range(1, q), order - 1):
        us = [_ratio(nodes[p], n0) for p in partners]
        if any(not np.all(np.isfinite(u)) for u in us):
            continue
        unused = set(range(q)) - {0, *partners}
        bases, err = [0], 0.0
        ok = True
        while unused and ok:
            base = min(unused)
            group = [base]
            for u in us:
                target = normalise((nodes[base] * u)[None, :])[0]
                cand = min(unused - set(group), key=lambda j: node_distance(target, nodes[j]), default=None)
                if cand is None or node_distance(target, nodes[cand]) > tol:
                    ok = False
                    break
                err = max(err, node_distance(target, nodes[cand]))
                group.append(cand)
            if ok:
                bases.append(base)
                unused -= set(group)
        if ok:
            found.append(Factorisation(us, [nodes[b] for b in bases], err))
    return found


def peel(nodes: np.ndarray, order: int = 2, tol: float = TOL) -> Factorisation | None:
    """The best (smallest error) factorisation from :func:`peel_all`, or None."""
    found = peel_all(nodes, order, tol)
    return min(found, key=lambda f: f.error) if found else None


# ---------------------------------------------------------------------------
# naming factors
# ---------------------------------------------------------------------------
def order2_types(u: np.ndarray, tol: float = TOL) -> list[tuple[str, complex]]:
    """Every name that fits the factor {(1,1,1), u} (``nu_i``, ``nu``, ``xi``), with its parameter.

    One factor can fit several: nu_i is nu at nu = i, and xi at angle -pi/4 + m pi/2 is also a nu."""
    x, y, w = normalise(u[None, :])[0]
    out = []
    if abs(x + y) < tol and abs(w - 1) < tol and abs(x * x + 1) < tol:
        out.append(("nu_i", complex(x)))
    if abs(x + y) < tol and abs(w + x ** -2) < tol and abs(abs(x) - 1) < tol:
        out.append(("nu", complex(x)))
    for s in (1, -1):
        if abs(w + s * 1j) < tol and abs(y - s * 1j * np.conj(x)) < tol and abs(abs(x) - 1) < tol:
            out.append(("xi", complex(x)))
            break
    return out


def order2_type(u: np.ndarray, tol: float = TOL) -> tuple[str, complex | None]:
    """The most specific name of the factor {(1,1,1), u}, or ``?``."""
    types = order2_types(u, tol)
    return types[0] if types else ("?", None)


def order3_type(us: Sequence[np.ndarray], tol: float = TOL) -> str:
    """Name the factor {(1,1,1), u1, u2}: ``syn``, ``syn_ab`` or ``?``."""
    us = [normalise(u[None, :])[0] for u in us]
    for target in ((W3, W3 ** 2), (W3 ** 2, W3)):
        if all(min(np.linalg.norm(u - t * np.ones(3)), np.linalg.norm(u * np.array([-1, -1, 1]) - t * np.ones(3))) < tol * math.sqrt(3)
               for u, t in zip(us, target)):
            return "syn"
    for target in ((W3, W3 ** 2), (W3 ** 2, W3)):
        if all(abs(u[2] - t) < tol and abs(abs(u[0]) - 1) < tol and abs(u[0] * u[1] * u[2] - 1) < tol for u, t in zip(us, target)):
            return "syn_ab"
    for target in ((W3, W3 ** 2), (W3 ** 2, W3)):
        # the phases of z_{syn,ab} (c_j in w3^j R_+, a_j b_j c_j > 0, |a_j| = |b_j|) but |c_j| != 1:
        # not a named partial solution (sum_j c_j != 0), reported under its own name
        if all(abs(np.angle(u[2] / t)) < tol and abs(abs(u[0]) - abs(u[1])) < tol
               and abs(np.angle(u[0] * u[1] * u[2])) < tol for u, t in zip(us, target)):
            return "syn_c"
    return "?"


@dataclass
class BlockClass:
    """Classification of one block."""

    size: int
    label: str  # e.g. "nu_i*xi", "nu*syn", "nu_i*syn_ab", "order-8 (nu_i*?)", "unfactored"
    factors: list = field(default_factory=list)
    error: float = float("nan")
    param: complex | None = None

    def to_json(self) -> dict:
        return {"size": self.size, "type": self.label, "factors": self.factors,
                "error": None if math.isnan(self.error) else round(self.error, 4),
                "param_angle": None if self.param is None else round(float(np.angle(self.param)), 4)}


def classify_block(nodes: np.ndarray, tol: float = TOL) -> BlockClass:
    """Factor a block (q x 3 complex array of (a, b, c)) and name its factors."""
    nodes = np.asarray(nodes, dtype=complex).reshape(-1, 3)
    q = len(nodes)
    if q == 0:
        return BlockClass(0, "empty")
    if q > MAX_BLOCK:
        return BlockClass(q, f"order-{q} (not factored)")
    if q == 1:
        return BlockClass(1, "order-1")
    candidates = [bc for order in (2, 3) for f in peel_all(nodes, order, tol) for bc in _candidates(q, order, f, tol)]
    if not candidates:
        return BlockClass(q, "unfactored")
    return min(candidates, key=_rank)


def _candidates(q: int, order: int, factorisation: Factorisation, tol: float) -> list[BlockClass]:
    """Named readings of one factorisation z1 * z2 (every name of z1, every orientation of z2)."""
    us, bases, err = factorisation
    firsts = order2_types(us[0], tol) if order == 2 else [(order3_type(us, tol), None)]
    rest = np.array(bases)
    # orientation: any base may be replaced by its partner (base * u); every variant is a valid cofactor
    variants = list(_orientations(rest, us, order)) if len(rest) <= 8 else [rest]
    out = []
    for first, param in firsts or [("?", None)]:
        for v in variants:
            for sub in _name_cofactor(v, tol):
                out.append(BlockClass(q, _combine(first, sub), [first] + sub.split("*"), err, param))
    return out


def _orientations(bases: np.ndarray, us, order: int):
    opts = [[b] + [b * u for u in us] for b in bases]
    for choice in itertools.product(range(order), repeat=len(bases) - 1):
        yield np.array([opts[0][0]] + [opts[i + 1][c] for i, c in enumerate(choice)])


def _name_cofactor(bases: np.ndarray, tol: float) -> list[str]:
    """Possible names of the cofactor given by its nodes."""
    q = len(bases)
    rel = normalise(bases / bases[0])
    if q == 1:
        return ["1"]
    if q == 2:
        return [t for t, _ in order2_types(rel[1], tol)] or ["?"]
    if q == 3:
        return [order3_type([rel[1], rel[2]], tol)]
    sub = classify_block(bases, tol)
    return ["*".join(sub.factors) if sub.factors else "?"]


_PAPER = {frozenset(["nu_i", "xi"]): "nu_i*xi", frozenset(["nu", "syn"]): "nu*syn",
          frozenset(["nu_i", "syn"]): "nu_i*syn", frozenset(["nu_i", "syn_ab"]): "nu_i*syn_ab"}


def _combine(first: str, rest: str) -> str:
    parts = [first] + rest.split("*")
    key = frozenset(parts)
    if len(parts) == 2 and key in _PAPER:
        return _PAPER[key]
    return "*".join(sorted(parts))


#: most specific first: nu_i*syn is also nu*syn (nu = i) and nu_i*syn_ab (alpha = beta = 1)
PRIORITY = ("nu_i*syn", "nu_i*xi", "nu*syn", "nu_i*syn_ab")


def _rank(bc: BlockClass) -> tuple:
    pri = PRIORITY.index(bc.label) if bc.label in PRIORITY else len(PRIORITY)
    return (pri, bc.label.count("?"), bc.error)


# ---------------------------------------------------------------------------
# whole runs
# ---------------------------------------------------------------------------
@dataclass(repr=False)
class RunClassification(Result):
    """Per-frequency blocks of one or more trained networks, classified."""

    runs: list[dict]
    blocks: list[dict]
    counts: dict
    sizes: dict
    details: bool = True  # to_json() lists every block under "block_details"

    @property
    def total_blocks(self) -> int:
        return sum(self.sizes.values())

    def fractions(self) -> dict:
        n = sum(v for k, v in self.counts.items() if k != "empty")
        return {k: v / n for k, v in sorted(self.counts.items(), key=lambda kv: -kv[1]) if k != "empty"} if n else {}

    def size_fractions(self) -> dict:
        n = sum(v for k, v in self.sizes.items() if k != 0)
        return {str(k): v / n for k, v in sorted(self.sizes.items()) if k != 0} if n else {}

    def rn_cancellation(self) -> dict | None:
        """Median R_n of the order-4 blocks (relative to r_kkk): from their own nodes and from the whole network."""
        four = [b for b in self.blocks if b["size"] == 4 and "R_n_own_rel" in b]
        if not four:
            return None
        return {"order4_blocks": len(four),
                "own_median": float(np.median([b["R_n_own_rel"] for b in four])),
                "network_median": float(np.median([b["R_n_total_rel"] for b in four]))}

    def to_json(self) -> dict:
        out = {"runs": self.runs, "blocks": len(self.blocks), "counts": self.counts,
                "R_n_order4": self.rn_cancellation(),
                "fractions": {k: round(v, 4) for k, v in self.fractions().items()},
                "sizes": {str(k): v for k, v in sorted(self.sizes.items())},
                "size_fractions": {k: round(v, 4) for k, v in self.size_fractions().items()},
                "order_4_or_6": round(sum(v for k, v in self.size_fractions().items() if k in ("4", "6")), 4),
                "paper_types": round(sum(v for k, v in self.fractions().items() if k in ("nu_i*xi", "nu*syn", "nu_i*syn", "nu_i*syn_ab")), 4)}
        if self.details:
            out["block_details"] = self.blocks
        return out

    def summary(self) -> str:
        lines = [f"{len(self.runs)} run(s), {len([b for b in self.blocks if b['size']])} non-empty frequency blocks"]
        for r in self.runs:
            loss = "unknown" if r["final_loss"] is None else f"{r['final_loss']:.2e}"
            lines.append(f"  {r['group']} width {r['width']} wd {r['wd']:g} seed {r['seed']}: loss {loss}, "
                         f"{r['live_nodes']} live nodes, {r['mixed_nodes']} mixed")
        lines.append("  block sizes: " + ", ".join(f"{k}: {v:.1%}" for k, v in self.size_fractions().items()))
        lines.append("  types: " + ", ".join(f"{k}: {v:.1%}" for k, v in self.fractions().items()))
        j = self.to_json()
        lines.append(f"  order 4 or 6: {j['order_4_or_6']:.1%}; named paper types: {j['paper_types']:.1%}")
        rn = self.rn_cancellation()
        if rn:
            lines.append(f"  R_n of order-4 blocks (x r_kkk, median): {rn['own_median']:.3g} from their own nodes, "
                         f"{rn['network_median']:.3g} in the whole network (cancelled by other blocks' output weights)")
        return "\n".join(lines)

    def derivation(self) -> Derivation:
        d = Derivation("Classification of learned per-frequency blocks (numeric)", notation=TRAINING_NOTATION)
        d.add(("The trained network" if len(self.runs) == 1 else f"The {len(self.runs)} trained networks")
              + " (full-batch Adam with weight decay, float64):",
              table(["group", "width", "weight decay", "seed", "final loss", "live nodes", "mixed nodes"],
                    [[inline(group_symbol(r["group"])), r["width"], _number(r["wd"]), r["seed"],
                      "unknown" if r["final_loss"] is None else _number(r["final_loss"]), r["live_nodes"],
                      r["mixed_nodes"]] for r in self.runs]))
        sizes = self.size_fractions()
        d.add(f"Orders of the {sum(v for k, v in self.sizes.items() if k)} non-empty blocks:",
              table(["order", "blocks", "share"],
                    [[int(k), self.sizes[int(k)], _percent(v)] for k, v in sizes.items()]))
        d.add("Their factorisations into the named partial solutions (most specific name first):",
              table(["type", "blocks", "share"],
                    [[type_cell(k), self.counts[k], _percent(v)] for k, v in self.fractions().items()]))
        rn = self.rn_cancellation()
        if rn:
            d.add(f"The $R_n$ term of the {rn['order4_blocks']} order-4 blocks, relative to $r_{{k,k,k}}$ (median): "
                  f"{inline(_number(rn['own_median']))} from their own nodes and {inline(_number(rn['network_median']))} "
                  "in the whole network, where the output weights of other blocks cancel it (as in $z_{F4/6}$).")
        j = self.to_json()
        d.conclusion = (f"{_percent(j['order_4_or_6'])} of the blocks have order $4$ or $6$ and "
                        f"{_percent(j['paper_types'])} factor into the partial solutions named in [@tian2024].")
        return d


def type_cell(label: str) -> str:
    r"""A block type as prose for a table: its symbol (e.g. ``nu_i*xi`` is $z_{\nu=i} z_{\xi}$), or the word.

    >>> type_cell("nu*syn"), type_cell("unfactored")
    ('$z_{\\nu} z_{syn}$', 'unfactored')
    """
    if re.fullmatch(r"[a-z_]+(\*[a-z_]+)*", label) and all(f in BLOCK_SYMBOLS for f in label.split("*")):
        return inline(construction_symbol(label))
    return label if label.isalpha() else inline(command_name(label))


def _percent(x: float) -> str:
    return f"${100 * x:.1f}\\,\\%$"


def _number(x: float):
    """A float for a table, 3 significant digits, as math (``5 \\cdot 10^{-4}`` when small).

    >>> print(_number(0.0005), _number(2.73))
    5 \\cdot 10^{-4} 2.73
    """
    return scientific(x)


def split_blocks(G, A: np.ndarray, B: np.ndarray, C: np.ndarray, dead: float = 1e-2, dominance: float = 0.8):
    """Assign live nodes to frequency pairs; return ({k: node indices}, live count, mixed count)."""
    pairs = G.conjugate_pairs()
    if not pairs:
        raise FlowAlgebraError(f"{G.name} has no frequency pairs {{k, -k}} to split into blocks")
    neg = [G.neg(k) for k in pairs]
    energy = np.abs(A[:, pairs]) ** 2 + np.abs(B[:, pairs]) ** 2 + np.abs(A[:, neg]) ** 2 + np.abs(B[:, neg]) ** 2
    best = energy.argmax(axis=1)
    idx = np.arange(len(A))
    strength = np.abs(A[idx, np.array(pairs)[best]] * B[idx, np.array(pairs)[best]] * C[idx, np.array(pairs)[best]])
    live = strength > dead * strength.max() if strength.size and strength.max() > 0 else np.zeros(len(A), bool)
    total = energy.sum(axis=1) + 1e-300
    dominant = energy[idx, best] / total >= dominance
    blocks = {k: [] for k in pairs}
    mixed = 0
    for j in idx[live]:
        if dominant[j]:
            blocks[pairs[best[j]]].append(int(j))
        else:
            mixed += 1
    return blocks, int(live.sum()), mixed


def classify_runs(runs: Iterable[TrainRun], tol: float = TOL, progress: bool = True,
                  details: bool = True) -> RunClassification:
    """Classify every per-frequency block of the given :class:`~algebra.cogo.training.TrainRun` values
    (``details=False``: the JSON form leaves out the list of every block). ``runs`` may be a generator:
    each run is dropped once its blocks are cut out, so many run files can be read one at a time."""
    counts, sizes, blocks, infos = Counter(), Counter(), [], []
    work = []
    for run in runs:
        G = run.group
        A, B, C = fourier_arrays(G, run.W_a, run.W_b, run.W_c)
        split, live, mixed = split_blocks(G, A, B, C)
        final = float(run.final_loss)
        infos.append({"group": G.name, "width": run.width, "wd": run.wd, "seed": run.seed,
                      "final_loss": final if math.isfinite(final) else None, "live_nodes": live, "mixed_nodes": mixed,
                      "path": run.path})
        # the input-independent part of output k (the R_n term), per node: s_j c_kj
        neg = [G.neg(k) for k in range(G.order)]
        s = (A * A[:, neg]).sum(axis=1) + (B * B[:, neg]).sum(axis=1) + 2 * A[:, 0] * B[:, 0]
        rn_total = (s[:, None] * C).sum(axis=0)
        for k, idx in split.items():
            nodes = np.stack([A[idx, k], B[idx, k], C[idx, k]], axis=1) if idx else np.zeros((0, 3), complex)
            rn_own = complex((s[idx] * C[idx, k]).sum()) if idx else 0j
            work.append((run.seed, run.wd, k, nodes, rn_own, complex(rn_total[k])))
    for seed, wd, k, nodes, rn_own, rn_total in tqdm(work, desc="classify", unit="block",
                                                     disable=not progress or len(work) < 50):
        bc = classify_block(nodes, tol)
        sizes[bc.size] += 1
        counts[bc.label] += 1
        rec = bc.to_json() | {"seed": seed, "wd": wd, "k": k}
        if bc.size:
            rec |= _residuals(nodes)
            scale = abs(np.sum(nodes[:, 0] * nodes[:, 1] * nodes[:, 2])) or 1.0
            # R_n of output k from this block's nodes alone, and from the whole network (other blocks'
            # output weights at k can cancel it, as in z_F4/6)
            rec |= {"R_n_own_rel": round(abs(rn_own) / scale, 4), "R_n_total_rel": round(abs(rn_total) / scale, 4)}
        blocks.append(rec)
    return RunClassification(infos, blocks, dict(counts), dict(sizes), details)


def _residuals(nodes: np.ndarray) -> dict:
    """Local potentials of the block relative to r_kkk (0 for an exact partial solution)."""
    a, b, c = nodes[:, 0], nodes[:, 1], nodes[:, 2]
    rkkk = np.sum(a * b * c)
    if abs(rkkk) == 0:
        return {"r_kkk": 0.0}
    rc = max(abs(np.sum(np.conj(a) * b * c)), abs(np.sum(a * np.conj(b) * c)), abs(np.sum(np.conj(a) * np.conj(b) * c)))
    rstar = max(abs(np.sum(a * a * c)), abs(np.sum(np.conj(a) ** 2 * c)), abs(np.sum(b * b * c)), abs(np.sum(np.conj(b) ** 2 * c)))
    rn = abs(np.sum((np.abs(a) ** 2 + np.abs(b) ** 2) * c))
    return {"r_kkk": round(float(abs(rkkk)), 5), "R_c_rel": round(float(rc / abs(rkkk)), 4),
            "R_star_rel": round(float(rstar / abs(rkkk)), 4), "R_n_rel": round(float(rn / abs(rkkk)), 4)}
