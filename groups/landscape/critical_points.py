"""Symmetric critical points of the teacher-student loss (numeric backend, high precision).

By the principle of symmetric criticality, a matrix :math:`W \\in \\mathrm{Fix}(H)`
is critical for F iff the gradient of the restricted loss
:math:`p \\mapsto F(W(p))` vanishes (the full gradient is H-equivariant, so it
lies in Fix(H)). We solve that small system from many starts by damped
Newton in float64 -- for H = Delta(S_p1 x ... x S_pr) with the exact reduced
gradient (sympy, compiled once per block pattern, any k) and its
central-difference Jacobian; for H given by generators with the closed-form
gradient and Hessian summed over orbits -- polish each root with chord-Newton
steps in mpmath at 40 digits, deduplicate (also up to S_k x S_d, by loss and
spectrum), and classify it by its float64 Hessian spectrum: eigenvalues with
multiplicities, index, and whether it is a spurious minimum (loss > 0). In
Fix(Delta S_k), Fix(Delta(S_(k-1) x S_1)) (one block of at least 4 and singletons)
the spectrum comes from the isotypic blocks
(:func:`~groups.landscape.isotypic_blocks.isotypic_block_spectrum`, ``method`` ``"auto"`` from
:data:`~groups.landscape.isotypic_blocks.BLOCKS_MIN_K` on, or ``"blocks"``), with no k^2 x k^2 matrix: the
reduced loss costs the same at every k, so the search runs at k = 1000; otherwise from the full Hessian
(``"full"``).

Everything here is numeric: it finds critical points, it does not prove that
none were missed.

>>> res = find_critical_points(4, (4,), starts=20, seed=0)
>>> any(cp.loss_float < 1e-20 and cp.kind == "minimum" for cp in res.points)   # the global minimum W = I
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import mpmath
import numpy as np
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.exact.random import generator
from algebra.present import Derivation, Notation, Result, Table, cite, inline
from groups.landscape.isotypic_blocks import SPECTRUM_METHODS, block_cost, isotypic_block_spectrum, swap_fixes, uses_blocks
from groups.landscape.loss import gradient, hessian, hessian_cost, pairs_cost
from groups.landscape.reduced import check_blocks
from groups.landscape.restricted import RestrictedProblem, generic_problem, reduced_problem
from groups.limits import MAX_BLOCK_K, MAX_STARTS, PROGRESS_SECONDS, check_cost, check_k, progress, shorten
from groups.symmetric.notation import equals, fix_tex, landscape_notation, partition_tex
from groups.symmetric.young import (isotropy_type, parse_partition, young_blocks, young_fix_dimension, young_label,
                                    young_latex)

__all__ = ["MP_DPS", "EIG_TOL", "distinct_eigenvalues", "CriticalPoint", "CriticalPointSet", "CRITICAL_TABLE_CAPTION", "critical_point_table",
           "newton_float", "newton_tolerance", "polish_mp", "isotropy_within", "hessian_spectrum", "classify", "global_minimum", "search_cost",
           "find_critical_points", "merge_orbits", "full_gradient_norm"]

#: working precision (digits) of the mpmath polish
MP_DPS = 40
#: eigenvalues closer than this (relative) are one eigenvalue; below it in size they count as zero
EIG_TOL = 1e-7


def distinct_eigenvalues(values: np.ndarray, tol: float = EIG_TOL,
                         multiplicities: Sequence[int] | None = None) -> list[tuple[float, int]]:
    """Cluster eigenvalues (each repeated ``multiplicities[i]`` times, default once): ``[(mean value,
    multiplicity), ...]`` in increasing order; a value within ``tol`` (relative) of the one before joins its cluster.

    >>> [(round(v, 6), m) for v, m in distinct_eigenvalues(np.array([1.0, 1.0 + 1e-12, 2.0]))]
    [(1.0, 2), (2.0, 1)]
    >>> [(round(v, 6), m) for v, m in distinct_eigenvalues([2.0, 1.0, 1.0 + 1e-12], multiplicities=[1, 5, 4])]
    [(1.0, 9), (2.0, 1)]
    """
    vals = np.asarray(values, dtype=float).ravel()
    mults = np.ones(vals.size, dtype=np.int64) if multiplicities is None else np.asarray(multiplicities, dtype=np.int64)
    order = np.argsort(vals, kind="stable")
    vals, mults = vals[order], mults[order]
    if not vals.size:
        return []
    new = np.abs(np.diff(vals)) > tol * np.maximum(1.0, np.abs(vals[1:]))
    starts = np.concatenate([[0], np.flatnonzero(new) + 1])
    counts = np.add.reduceat(mults, starts)
    means = np.add.reduceat(vals * mults, starts) / counts
    return [(float(v), int(m)) for v, m in zip(means, counts)]


@dataclass(repr=False)
class CriticalPoint(Result):
    """One critical point: parameters, loss, Hessian spectrum, index, isotropy.

    ``params``, ``loss`` and ``grad_norm`` keep the mpmath values as 30-digit decimal strings (``"0"`` for
    the global minimum, put in exactly); :attr:`loss_float` and :meth:`to_json` give them as floats.
    """

    k: int
    searched: tuple[int, ...]
    isotropy: tuple[int, ...]
    params: dict[str, str]
    loss: str
    grad_norm: str
    spectrum: list[tuple[float, int]]
    W: np.ndarray = field(repr=False)

    @property
    def loss_float(self) -> float:
        return float(self.loss)

    @property
    def smallest_eigenvalue(self) -> float:
        return self.spectrum[0][0]

    @property
    def index(self) -> int:
        return sum(m for v, m in self.spectrum if v < -EIG_TOL)

    @property
    def nullity(self) -> int:
        return sum(m for v, m in self.spectrum if abs(v) <= EIG_TOL)

    @property
    def kind(self) -> str:
        if self.nullity:
            return "degenerate"
        return "minimum" if self.index == 0 else "saddle"

    def orbit_key(self) -> tuple:
        """An invariant of the S_k x S_d orbit: loss and Hessian spectrum, rounded.

        Points with equal keys are treated as one orbit (e.g. a Delta S_k point
        whose columns were permuted, which lies in Fix(Delta(S_(k-2) x S_2))
        but is fixed there only by a twisted diagonal group).
        """
        return (self.k, round(self.loss_float, 9), tuple((round(v, 6), m) for v, m in self.spectrum))

    @property
    def isotropy_order(self) -> int:
        return math.prod(math.factorial(p) for p in self.isotropy)

    @property
    def spurious(self) -> bool:
        return self.kind == "minimum" and self.loss_float > 1e-12

    def to_json(self) -> dict:
        return {
            "k": self.k,
            "isotropy_searched": list(self.searched),
            "isotropy": list(self.isotropy),
            "params": {n: float(v) for n, v in self.params.items()},
            "loss": self.loss_float,
            "grad_norm": float(self.grad_norm),
            "eigenvalues": [{"value": v, "multiplicity": m} for v, m in self.spectrum],
            "smallest_eigenvalue": self.smallest_eigenvalue,
            "min_row_norm": float(np.min(np.linalg.norm(self.W, axis=1))),
            "index": self.index,
            "kind": self.kind,
            "spurious": self.spurious,
        }

    def summary(self) -> str:
        mults = ", ".join(f"{v:.6g} (x{m})" for v, m in self.spectrum)
        label = "spurious minimum" if self.spurious else self.kind
        return (f"{young_label(self.isotropy)}: loss {float(self.loss):.12g}, {label}, index {self.index}\n"
                f"  params {', '.join(f'{n}={float(v):.10g}' for n, v in self.params.items())}\n"
                f"  Hessian eigenvalues: {mults}")

    def derivation(self) -> Derivation:
        d = Derivation(f"Critical point of isotropy {young_latex(self.isotropy)}, {equals('k', self.k)}",
                       notation=landscape_notation(self.k, self.k))
        d.add(f"Parameters of $W \\in {fix_tex(self.searched or 'H')}$ (numeric, {MP_DPS} digits, polished by Newton in mpmath):",
              [sp.Eq(sp.Symbol(n), sp.Float(v, 15)) for n, v in self.params.items()])
        loss = sp.Eq(sp.Symbol("F"), sp.Float(f"{float(self.loss):.12g}"))
        residual = sp.Eq(Notation(r"|\nabla F_H|"), sp.Float(f"{float(self.grad_norm):.1e}"))
        d.add(f"Loss and residual: {inline(loss)}, {inline(residual)}.")
        d.add("Hessian eigenvalues of $F$ at $W$ (numeric), each with its multiplicity:",
              Table(["eigenvalue", "multiplicity"], [[sp.Float(v, 8), m] for v, m in self.spectrum]))
        d.conclusion = (f"{'spurious minimum' if self.spurious else 'a ' + self.kind} of index {self.index} "
                        f"(numeric backend).")
        return d


@dataclass(repr=False)
class CriticalPointSet(Result):
    """All distinct critical points found in one fixed-point subspace."""

    k: int
    parts: tuple[int, ...]
    starts: int
    seed: int
    points: list[CriticalPoint]
    label: str = ""
    latex_label: str = ""
    #: how the Hessian spectra were computed: ``"blocks"`` (per isotypic block) or ``"full"``
    spectra: str = "full"

    def __post_init__(self) -> None:
        self.label = self.label or young_label(self.parts)
        self.latex_label = self.latex_label or young_latex(self.parts)

    def spurious_minima(self) -> list[CriticalPoint]:
        return [cp for cp in self.points if cp.spurious]

    def to_json(self) -> dict:
        return {
            "k": self.k,
            "isotropy": list(self.parts) or None,
            "group": self.label,
            "starts": self.starts,
            "seed": self.seed,
            "numeric": True,
            "hessian_spectra": "isotypic blocks" if self.spectra == "blocks" else "full Hessian",
            "points": [cp.to_json() for cp in self.points],
        }

    def summary(self) -> str:
        head = (f"{len(self.points)} critical points in Fix({self.label}), k = d = {self.k} "
                f"({self.starts} starts, seed {self.seed}; numeric)")
        return "\n".join([head] + [cp.summary() for cp in self.points])

    def derivation(self) -> Derivation:
        fix = inline(fix_tex(self.parts if self.parts else "H"))
        where = "" if self.parts else f", {self.latex_label}"
        d = Derivation(f"Symmetric critical points in {fix}, {equals('k', self.k)}",
                       notation=landscape_notation(self.k, self.k, [
                           "$F_H$ is $F$ restricted to $\\mathrm{Fix}(H)$, a function of the parameters $p$ of "
                           "the fixed matrices"]))
        d.add(f"Solve $\\nabla F_H(p) = 0$ for the loss restricted to {fix}{where} from {self.starts} starts (damped Newton, "
              f"then mpmath Newton at {MP_DPS} digits); by the principle of symmetric criticality these are critical "
              f"points of $F$ {cite('arjevani2020symmetry')}.")
        if self.spectra == "blocks":
            d.add("The Hessian spectra come from one small matrix per irreducible of the isotropy group (its isotypic "
                  f"blocks, the multiplicities in closed form) {cite('arjevani2020')}, not from the "
                  f"${self.k}^2 \\times {self.k}^2$ Hessian (numeric, float64, invariance checked).")
        if self.points:
            d.add(CRITICAL_TABLE_CAPTION + " (numeric):", critical_point_table(self.points))
        n = len(self.spurious_minima())
        d.conclusion = (f"{len(self.points)} critical points, {n} spurious "
                        f"{'minimum' if n == 1 else 'minima'} (numeric backend).")
        return d


#: what the columns of :func:`critical_point_table` are
CRITICAL_TABLE_CAPTION = ("Critical points by loss: the isotropy type (block sizes), the loss $F$, the smallest Hessian "
                          "eigenvalue $\\lambda_{\\min}$, the index (number of negative eigenvalues) and the "
                          "multiplicities of the distinct Hessian eigenvalues in increasing order")


def critical_point_table(points: Sequence[CriticalPoint]) -> Table:
    """A booktabs table of critical points (one row each), for derivations and the report.

    >>> critical_point_table([]).header[:3]
    ('$k$', 'isotropy', 'loss $F$')
    """
    rows = [[cp.k, partition_tex(cp.isotropy), sp.Float(cp.loss_float, 10), sp.Float(cp.smallest_eigenvalue, 6),
             cp.index, _multiplicities([m for _, m in cp.spectrum])] for cp in points]
    return Table(["$k$", "isotropy", "loss $F$", "$\\lambda_{\\min}$", "index", "multiplicities"], rows,
                 align="rlrrrl")


#: multiplicities per line of a table cell (a longer list continues on the next line of the cell)
MULTIPLICITIES_PER_LINE = 10


def _multiplicities(counts: Sequence[int]) -> Notation:
    """The multiplicities of the distinct eigenvalues as one math cell: ``(1, 2, ...)``, over several lines of
    :data:`MULTIPLICITIES_PER_LINE` when long.

    >>> print(_multiplicities([1, 2]))
    (1, 2)
    """
    text = partition_tex(counts).name
    if len(counts) <= MULTIPLICITIES_PER_LINE:
        return Notation(text)
    n = MULTIPLICITIES_PER_LINE
    lines = [", ".join(map(str, counts[i:i + n])) for i in range(0, len(counts), n)]
    return Notation("\\begin{array}[t]{@{}l@{}}(" + ", \\\\ ".join(lines) + ")\\end{array}")


def _starts(problem: RestrictedProblem, count: int, rng: np.random.Generator) -> np.ndarray:
    """Random starts: diagonal-type parameters ~ U(-1.5, 1.5), others at scales 1, 1/sqrt(k), 1/k."""
    k = problem.k
    diagonal = problem.diagonal_like()
    out = []
    for s in range(count):
        scale = [1.0, 1.0 / math.sqrt(k), 1.0 / k][s % 3]
        out.append([rng.uniform(-1.5, 1.5) * (1.0 if diag else scale) for diag in diagonal])
    return np.array(out)


_MATH_ERRORS = (ValueError, ZeroDivisionError, OverflowError, FloatingPointError)


def newton_tolerance(k: int) -> float:
    """The residual :math:`|\\nabla F_H|` at which the float Newton search stops: 1e-11, growing like
    :math:`k^2` from k = 100 on (the reduced gradient sums over :math:`k^2` pairs, and its rounding floor was
    measured at 4e-11 to 1e-10 at k = 1000); the mpmath polish then takes the residual to ~1e-30.

    >>> f"{newton_tolerance(20):.0e}, {newton_tolerance(1000):.0e}"
    '1e-11, 1e-09'
    """
    return 1e-11 * max(1.0, k * k / 1e4)


def newton_float(problem: RestrictedProblem, p0: np.ndarray, iters: int = 80, tol: float = 1e-11) -> np.ndarray | None:
    """Damped Newton on the reduced gradient (least-squares step, backtracking on |grad|); None if it fails."""
    def grad(q):
        try:
            g = np.array(problem.grad(q), dtype=float)
        except _MATH_ERRORS:
            return None
        return g if np.all(np.isfinite(g)) else None

    p = np.array(p0, dtype=float)
    g = grad(p)
    for _ in range(iters):
        if g is None:
            return None
        gn = np.linalg.norm(g)
        if gn < tol:
            return p
        try:
            H = problem.hess(p)
        except _MATH_ERRORS:
            return None
        if not np.all(np.isfinite(H)):
            return None
        step = np.linalg.lstsq(H, -g, rcond=None)[0]
        t = 1.0
        while True:
            q = p + t * step
            gq = grad(q)
            if (gq is not None and np.linalg.norm(gq) < (1 - 1e-4 * t) * gn) or t < 1e-4:
                break  # accept (a tiny step lets it leave flat regions)
            t *= 0.5
        p, g = q, gq
    return p if g is not None and np.linalg.norm(g) < tol else None


def polish_mp(problem: RestrictedProblem, p: np.ndarray, dps: int = MP_DPS, iters: int = 12):
    """Chord-Newton in mpmath: mpmath gradients at ``dps`` digits, the float reduced Hessian (accurate to
    ~1e-8) as the fixed Jacobian, so each step gains ~8 digits. Returns ``(p, |grad|, loss)`` as mpf values."""
    H = problem.hess(np.asarray(p, dtype=float))
    with mpmath.workdps(dps):
        x = [mpmath.mpf(float(v)) for v in p]
        g = problem.mp_grad(x)
        for _ in range(iters):
            if mpmath.norm(mpmath.matrix(g)) < mpmath.mpf(10) ** (8 - dps):
                break
            scale = max(abs(v) for v in g)
            step = np.linalg.lstsq(H, np.array([float(v / scale) for v in g]), rcond=None)[0]
            x = [xi - scale * mpmath.mpf(float(si)) for xi, si in zip(x, step)]
            g = problem.mp_grad(x)
        return x, mpmath.norm(mpmath.matrix(g)), problem.mp_loss(x)


def isotropy_within(W: np.ndarray, parts: Sequence[int], tol: float = 1e-9) -> list[list[int]]:
    """The blocks of :func:`~groups.symmetric.young.isotropy_blocks` for W in Fix(Delta(S_p1 x ... x S_pr)) (not
    checked): its blocks are unions of the blocks of ``parts``, joined where one transposition between their
    first indices fixes W (conjugating by the group gives every other pair), so ``r^2`` tests of O(k) each
    instead of ``k^2`` of O(k^2) -- the same blocks, largest first.

    >>> W = np.eye(5) + 0.1
    >>> W[4, 4] = 2.0
    >>> isotropy_within(W, (2, 2, 1))
    [[0, 1, 2, 3], [4]]
    """
    blocks = young_blocks(parts)
    parent = list(range(len(blocks)))

    def find(a: int) -> int:
        while parent[a] != a:
            a = parent[a]
        return a

    for a in range(len(blocks)):
        for b in range(a + 1, len(blocks)):
            if find(a) != find(b) and swap_fixes(W, blocks[a][0], blocks[b][0], tol):
                parent[find(b)] = find(a)
    joined: dict[int, list[int]] = {}
    for a, block in enumerate(blocks):
        joined.setdefault(find(a), []).extend(block)
    return sorted((sorted(b) for b in joined.values()), key=lambda b: (-len(b), b[0]))


def _check_method(method: str) -> str:
    if method not in SPECTRUM_METHODS:
        raise FlowAlgebraError(f"method must be one of {', '.join(SPECTRUM_METHODS)}, got {shorten(repr(method))}")
    return method


def hessian_spectrum(W: np.ndarray, parts: Sequence[int], method: str = "auto") -> list[tuple[float, int]]:
    """The distinct Hessian eigenvalues of F at W (:math:`V = I_k`) with multiplicities: from the isotypic blocks of
    Delta(S_p1 x ... x S_pr) (W must be fixed by it) where :func:`~groups.landscape.isotypic_blocks.uses_blocks`
    says so, else from the full ``k^2 x k^2`` Hessian (``parts`` empty: always the full Hessian).

    >>> blocks, full = hessian_spectrum(np.eye(8), (8,)), hessian_spectrum(np.eye(8), (8,), "full")
    >>> [m for _, m in blocks] == [m for _, m in full], bool(np.allclose([v for v, _ in blocks], [v for v, _ in full]))
    (True, True)
    """
    k = W.shape[0]
    if parts and uses_blocks(k, parts, _check_method(method)):
        dec = isotypic_block_spectrum(W, parts)
        if not dec.consistent:
            raise ArithmeticError(f"the isotypic blocks of {young_label(parts)} at W are not invariant (residual over "
                                  "the tolerance): W is not fixed by the group")
        return distinct_eigenvalues([v for b in dec.blocks for v in b.eigenvalues],
                                    multiplicities=[b.dim for b in dec.blocks for _ in b.eigenvalues])
    return distinct_eigenvalues(np.linalg.eigvalsh(hessian(W, np.eye(k))))


def classify(problem: RestrictedProblem, p_mp: list, gnorm, loss_mp, method: str = "auto") -> CriticalPoint:
    """Hessian spectrum (:func:`hessian_spectrum`) and isotropy at a polished critical point."""
    W = problem.embed([float(v) for v in p_mp])
    parts = tuple(problem.parts)
    isotropy = tuple(len(b) for b in isotropy_within(W, parts)) if parts else isotropy_type(W, 1e-9)
    return CriticalPoint(
        k=problem.k, searched=problem.parts, isotropy=isotropy,
        params={n: mpmath.nstr(v, 30) for n, v in zip(problem.names, p_mp)},
        loss=mpmath.nstr(loss_mp, 30), grad_norm=mpmath.nstr(gnorm, 5), spectrum=hessian_spectrum(W, parts, method), W=W,
    )


def global_minimum(problem: RestrictedProblem, method: str = "auto") -> CriticalPoint:
    """:math:`W = V = I_k`, in every Fix(Delta(S_p1 x ... x S_pr)), loss exactly 0; its spectrum by the blocks of
    :math:`\\Delta S_k` (:func:`hessian_spectrum`).

    The reduced formulas lose half their digits next to parallel rows, so
    this point is put in exactly rather than found by Newton.
    """
    k = problem.k
    W = np.eye(k)
    params = {n: str(int(v)) for n, v in zip(problem.names, problem.identity_params())}
    return CriticalPoint(k, problem.parts, (k,), params, "0", "0", hessian_spectrum(W, (k,), method), W)


def _newton_seconds(k: int, dim: int, generic: bool) -> float:
    """Estimated seconds of one damped-Newton start (measured; failing starts run all 80 iterations): the
    compiled reduced gradient costs the same at every k (about 0.06 s a start for 5 coordinates, measured at
    k = 40 and k = 1000) and the Hessian takes ``2 dim`` of them; the generic problem builds the full Hessian,
    reduces it to ``dim x dim`` and solves, every iteration."""
    if not generic:
        return 2e-3 * dim * dim + 5e-3
    k4 = float(k) ** 4
    return 120 * (2e-7 * k4 + 2e-9 * k4 * dim + 1e-8 * float(dim) ** 3 + 30 * pairs_cost(k, k, k)[0])


def _classify_seconds(k: int, dim: int, generic: bool, spectra: str = "full") -> float:
    """Estimated seconds of polishing one root in mpmath and classifying it by its Hessian spectrum (``spectra``:
    ``"full"``, the ``k^2 x k^2`` Hessian, or ``"blocks"``, :func:`~groups.landscape.isotypic_blocks.block_cost`,
    and the embedding and isotropy of W, a few ``k x k`` passes)."""
    polish = 12 * 2e-5 * float(k) ** 3 + _newton_seconds(k, dim, True) / 80 if generic else 4e-3 * dim
    if spectra == "blocks":
        return block_cost(k)[0] + 2e-8 * float(k) ** 2 * (dim + 10) + polish
    return hessian_cost(k, k)[0] + polish


def search_cost(k: int, dim: int, starts: int, generic: bool = False, blocks: int = 0,
                spectra: str = "full") -> tuple[float, float, float]:
    """Estimated ``(seconds, seconds per critical point, bytes)`` of :func:`find_critical_points` in a subspace of
    dimension ``dim``: compiling the reduced loss of ``blocks`` blocks (about ``blocks^2 / 2`` seconds), building
    Fix (the orbits of its ``k^2`` entries), Newton from every start, and two classified points (the global
    minimum and one other) by the spectrum route ``spectra`` (``"full"`` or ``"blocks"``). Each further point
    found adds the second number: :func:`find_critical_points` checks the classification again once the roots
    are known.

    >>> seconds, each, nbytes = search_cost(60, 2, 60)
    >>> 10 < each < 200 and nbytes < 2**30
    True
    >>> seconds, each, nbytes = search_cost(1000, 5, 60, blocks=2, spectra="blocks")
    >>> 1 < seconds < 120 and nbytes < 2**30
    True
    """
    each = _classify_seconds(k, dim, generic, spectra)
    if spectra == "blocks":
        nbytes = block_cost(k)[1] + 200.0 * k * k  # the spectrum, the orbits of Fix as Python tuples, a few W
    else:
        nbytes = hessian_cost(k, k)[1] + (24.0 * k * k * dim if generic else 0.0)
    fix = 1e-6 * float(k) ** 2 if not generic else 0.0
    return 0.5 * blocks * blocks + fix + starts * _newton_seconds(k, dim, generic) + 2 * each, each, nbytes


def find_critical_points(k: int, isotropy: str | Sequence[int] | None = None, starts: int = 60, seed: int = 0,
                         min_row_norm: float = 1e-6, generators: Sequence[str] = (), method: str = "auto") -> CriticalPointSet:
    """Critical points of F in Fix(H), :math:`V = I_k` (k = d, up to :data:`~groups.limits.MAX_BLOCK_K`):
    H = Delta(S_p1 x ... x S_pr) from ``isotropy``, or the subgroup of :math:`S_k \\times S_k` generated by
    ``generators`` (``"ROWS:COLS"`` image lists). ``method`` is the spectrum route of :func:`hessian_spectrum`
    (``"auto"``, ``"blocks"``, ``"full"``).

    The cost is estimated first (:func:`search_cost`) and refused over the limits of :mod:`groups.limits` (at
    large k everything but the isotypic blocks is refused so); long searches show progress bars on stderr (Newton
    starts, then the classification of the roots)."""
    k = check_k(k, high=MAX_BLOCK_K)
    if (isotropy is None) == (not generators):
        raise FlowAlgebraError("give either an isotropy type or generators (not both)")
    check_k(starts, "starts", 1, MAX_STARTS)
    _check_method(method)
    if isotropy is not None:
        parts = parse_partition(isotropy, k)
        check_blocks(len(parts))
        dim = young_fix_dimension(parts)
        spectra = "blocks" if uses_blocks(k, parts, method) else "full"
        what = f"the critical-point search in Fix({young_label(parts)}) ({dim} coordinates, {starts} starts)"
        seconds, each, nbytes = search_cost(k, dim, starts, blocks=len(parts), spectra=spectra)
    else:
        parts = ()
        if method == "blocks":
            raise FlowAlgebraError("the isotypic blocks need an isotropy type (--isotropy), not generators: use --method full")
        # a lower bound first (one coordinate): the group's orbits on the k^2 entries take long at large k
        check_cost(f"the critical-point search in Fix(H) ({starts} starts, k = {k})", *search_cost(k, 1, starts, generic=True)[::2],
                   hint="lower --starts or --k")
        problem = generic_problem(k, generators)
        dim = problem.fix.dim
        what = f"the critical-point search in Fix(H) ({dim} coordinates, {starts} starts, k = {k})"
        seconds, each, nbytes = search_cost(k, dim, starts, generic=True)
    check_cost(what, seconds, nbytes, hint="lower --starts or --k")
    show = seconds - 2 * each > PROGRESS_SECONDS
    if isotropy is not None:
        compiling = 0.5 * len(parts) ** 2 > PROGRESS_SECONDS
        with progress(total=1, desc=f"compiling the reduced loss ({len(parts)} blocks)", show=compiling) as bar:
            problem = reduced_problem(k, parts)
            bar.update(1)
    rng = generator(seed)
    roots: list[np.ndarray] = []
    for p0 in progress(_starts(problem, starts, rng), desc="Newton starts", show=show, unit="start"):
        p = newton_float(problem, p0, tol=newton_tolerance(k))
        if p is None:
            continue
        W = problem.embed(p)
        if np.min(np.linalg.norm(W, axis=1)) < min_row_norm or np.max(np.abs(W - np.eye(k))) < 1e-4:
            continue  # non-differentiable (zero row), or the global minimum (added exactly below)
        if any(np.max(np.abs(p - q)) < 1e-5 for q in roots):
            continue
        roots.append(p)
    identity = problem.identity_params() is not None
    points: list[CriticalPoint] = []
    polished: list[np.ndarray] = []
    total = len(roots) + identity
    # the number of roots is known only now: their classification (the full Hessian each) is checked again
    check_cost(f"{what}: classifying the {total} critical points found", total * each, nbytes,
               hint="lower --starts or --k")
    with progress(total=total, desc="classifying critical points", show=total * each > PROGRESS_SECONDS,
                  unit="point") as bar:
        if identity:
            points.append(global_minimum(problem, method))
            bar.update(1)
        for p in roots:
            p_mp, gnorm, loss_mp = polish_mp(problem, p)
            q = np.array([float(v) for v in p_mp])
            bar.update(1)
            if any(np.max(np.abs(q - r)) < 1e-7 for r in polished):
                continue
            polished.append(q)
            points.append(classify(problem, p_mp, gnorm, loss_mp, method))
    points = merge_orbits(points)
    return CriticalPointSet(k, parts, starts, seed, points, problem.label, problem.latex_label,
                            "blocks" if parts and uses_blocks(k, parts, method) else "full")


def merge_orbits(points: Sequence[CriticalPoint]) -> list[CriticalPoint]:
    """One point per :meth:`CriticalPoint.orbit_key`, the one with the largest detected isotropy; by loss."""
    best: dict[tuple, CriticalPoint] = {}
    for cp in points:
        key = cp.orbit_key()
        if key not in best or cp.isotropy_order > best[key].isotropy_order:
            best[key] = cp
    return sorted(best.values(), key=lambda cp: cp.loss_float)


def full_gradient_norm(cp: CriticalPoint) -> float:
    """:math:`\\|\\nabla F(W)\\|` of the full (unrestricted) gradient, in float64."""
    return float(np.linalg.norm(gradient(cp.W, np.eye(cp.k))))
