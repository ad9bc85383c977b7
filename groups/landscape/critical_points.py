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
spectrum), and classify it with the full float64 Hessian: eigenvalues with
multiplicities, index, and whether it is a spurious minimum (loss > 0).

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
from groups.landscape.loss import gradient, hessian, hessian_cost, pairs_cost
from groups.landscape.reduced import check_blocks
from groups.landscape.restricted import RestrictedProblem, generic_problem, reduced_problem
from groups.limits import MAX_STARTS, PROGRESS_SECONDS, check_cost, check_k, progress
from groups.symmetric.notation import equals, fix_tex, landscape_notation, partition_tex
from groups.symmetric.young import isotropy_type, parse_partition, young_fix_dimension, young_label, young_latex

__all__ = ["MP_DPS", "EIG_TOL", "distinct_eigenvalues", "CriticalPoint", "CriticalPointSet", "CRITICAL_TABLE_CAPTION", "critical_point_table",
           "newton_float", "polish_mp", "classify", "global_minimum", "search_cost", "find_critical_points",
           "merge_orbits", "full_gradient_norm"]

#: working precision (digits) of the mpmath polish
MP_DPS = 40
#: eigenvalues closer than this (relative) are one eigenvalue; below it in size they count as zero
EIG_TOL = 1e-7


def distinct_eigenvalues(values: np.ndarray, tol: float = EIG_TOL) -> list[tuple[float, int]]:
    """Cluster sorted eigenvalues: ``[(mean value, multiplicity), ...]``.

    >>> [(round(v, 6), m) for v, m in distinct_eigenvalues(np.array([1.0, 1.0 + 1e-12, 2.0]))]
    [(1.0, 2), (2.0, 1)]
    """
    vals = np.sort(np.asarray(values, dtype=float))
    groups: list[list[float]] = []
    for v in vals:
        if groups and abs(v - groups[-1][-1]) <= tol * max(1.0, abs(v)):
            groups[-1].append(v)
        else:
            groups.append([v])
    return [(float(np.mean(g)), len(g)) for g in groups]


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


def classify(problem: RestrictedProblem, p_mp: list, gnorm, loss_mp) -> CriticalPoint:
    """Full Hessian spectrum and isotropy at a polished critical point."""
    W = problem.embed([float(v) for v in p_mp])
    V = np.eye(problem.k)
    spectrum = distinct_eigenvalues(np.linalg.eigvalsh(hessian(W, V)))
    return CriticalPoint(
        k=problem.k, searched=problem.parts, isotropy=isotropy_type(W, 1e-9),
        params={n: mpmath.nstr(v, 30) for n, v in zip(problem.names, p_mp)},
        loss=mpmath.nstr(loss_mp, 30), grad_norm=mpmath.nstr(gnorm, 5), spectrum=spectrum, W=W,
    )


def global_minimum(problem: RestrictedProblem) -> CriticalPoint:
    """:math:`W = V = I_k`, in every Fix(Delta(S_p1 x ... x S_pr)), loss exactly 0.

    The reduced formulas lose half their digits next to parallel rows, so
    this point is put in exactly rather than found by Newton.
    """
    W = np.eye(problem.k)
    spectrum = distinct_eigenvalues(np.linalg.eigvalsh(hessian(W, W)))
    params = {n: str(int(v)) for n, v in zip(problem.names, problem.identity_params())}
    return CriticalPoint(problem.k, problem.parts, (problem.k,), params, "0", "0", spectrum, W)


def _newton_seconds(k: int, dim: int, generic: bool) -> float:
    """Estimated seconds of one damped-Newton start (measured; failing starts run all 80 iterations): the
    compiled reduced gradient costs about ``dim`` microseconds and the Hessian takes ``2 dim`` of them; the
    generic problem builds the full Hessian, reduces it to ``dim x dim`` and solves, every iteration."""
    if not generic:
        return 5e-4 * dim * dim + 5e-3
    k4 = float(k) ** 4
    return 120 * (2e-7 * k4 + 2e-9 * k4 * dim + 1e-8 * float(dim) ** 3 + 30 * pairs_cost(k, k, k)[0])


def _classify_seconds(k: int, dim: int, generic: bool) -> float:
    """Estimated seconds of polishing one root in mpmath and classifying it by the full Hessian."""
    polish = 12 * 2e-5 * float(k) ** 3 + _newton_seconds(k, dim, True) / 80 if generic else 4e-3 * dim
    return hessian_cost(k, k)[0] + polish


def search_cost(k: int, dim: int, starts: int, generic: bool = False, blocks: int = 0) -> tuple[float, float, float]:
    """Estimated ``(seconds, seconds per critical point, bytes)`` of :func:`find_critical_points` in a subspace of
    dimension ``dim``: compiling the reduced loss of ``blocks`` blocks (about ``blocks^2 / 2`` seconds), Newton from
    every start, and two classified points (the global minimum and one other). Each further point found adds the
    second number: :func:`find_critical_points` checks the classification again once the roots are known.

    >>> seconds, each, nbytes = search_cost(60, 2, 60)
    >>> 10 < each < 200 and nbytes < 2**30
    True
    """
    each = _classify_seconds(k, dim, generic)
    nbytes = hessian_cost(k, k)[1] + (24.0 * k * k * dim if generic else 0.0)
    return 0.5 * blocks * blocks + starts * _newton_seconds(k, dim, generic) + 2 * each, each, nbytes


def find_critical_points(k: int, isotropy: str | Sequence[int] | None = None, starts: int = 60, seed: int = 0,
                         min_row_norm: float = 1e-6, generators: Sequence[str] = ()) -> CriticalPointSet:
    """Critical points of F in Fix(H), :math:`V = I_k` (k = d): H = Delta(S_p1 x ... x S_pr) from ``isotropy``,
    or the subgroup of :math:`S_k \\times S_k` generated by ``generators`` (``"ROWS:COLS"`` image lists).

    The cost is estimated first (:func:`search_cost`) and refused over the limits of :mod:`groups.limits`;
    long searches show progress bars on stderr (Newton starts, then the classification of the roots)."""
    k = check_k(k)
    if (isotropy is None) == (not generators):
        raise FlowAlgebraError("give either an isotropy type or generators (not both)")
    check_k(starts, "starts", 1, MAX_STARTS)
    if isotropy is not None:
        parts = parse_partition(isotropy, k)
        check_blocks(len(parts))
        dim = young_fix_dimension(parts)
        what = f"the critical-point search in Fix({young_label(parts)}) ({dim} coordinates, {starts} starts)"
        seconds, each, nbytes = search_cost(k, dim, starts, blocks=len(parts))
    else:
        parts = ()
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
        p = newton_float(problem, p0)
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
            points.append(global_minimum(problem))
            bar.update(1)
        for p in roots:
            p_mp, gnorm, loss_mp = polish_mp(problem, p)
            q = np.array([float(v) for v in p_mp])
            bar.update(1)
            if any(np.max(np.abs(q - r)) < 1e-7 for r in polished):
                continue
            polished.append(q)
            points.append(classify(problem, p_mp, gnorm, loss_mp))
    points = merge_orbits(points)
    return CriticalPointSet(k, parts, starts, seed, points, problem.label, problem.latex_label)


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
