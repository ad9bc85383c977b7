"""The two families of symmetric critical points followed in k, and their loss and smallest Hessian eigenvalue
fitted in powers of :math:`k^{-1/2}` (numeric backend).

Arjevani & Field (*Symmetry & critical points for a model shallow neural network*, 2020) express the families
of critical points with isotropy conjugate to :math:`\\Delta S_{k-1}` (type A, the Safran-Shamir spurious minima)
and :math:`\\Delta S_k` as power series in :math:`k^{-1/2}` and derive their loss: at type A the loss decays
like :math:`a/k` with :math:`a \\approx 0.3`, at :math:`\\Delta S_k` it tends to a positive constant. The
leading terms compared here are those of issue 13: type A :math:`kF \\to 1/2 - 2/\\pi^2`, :math:`\\Delta S_k`
:math:`F \\to 1/2 - 1/\\pi` (MATH.md section 3 states only the decay like :math:`1/k` and the positive limit).

For each family the point is found once at the smallest k (:func:`~groups.landscape.critical_points.find_critical_points`:
the type-A spurious minimum of lowest loss in :math:`\\mathrm{Fix}(\\Delta(S_{k-1}\\times S_1))`, the critical point
other than :math:`W = I` of lowest loss in :math:`\\mathrm{Fix}(\\Delta S_k)`), then continued to the next k by
damped Newton on the reduced gradient (the reduced loss costs the same at every k) from a prediction linear in
:math:`1/k`, polished in mpmath, and its spectrum taken from the isotypic blocks. The fit is least squares on
:math:`c_0 + c_1 k^{-1/2} + \\dots + c_{n-1} k^{-(n-1)/2}` over the k from :data:`FIT_MIN_K` on; the standard
error of :math:`c_0` is that of ordinary least squares (residual variance), a statement about the fit, not a
bound on the truncation of the series.

>>> res = asymptotics(12, ks=[8, 10, 12])
>>> [f.name for f in res.families], [r.k for r in res.families[0].rows]
(['type A', 'Delta S_k'], [8, 10, 12])
>>> 0.15 < res.families[0].rows[-1].scaled_loss < 0.3      # k F at k = 12 (0.198), on its way to 0.297
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Result, Table, cite
from groups.landscape.critical_points import (find_critical_points, hessian_spectrum, isotropy_within, newton_float,
                                              newton_tolerance, polish_mp, search_cost)
from groups.landscape.isotypic_blocks import block_cost
from groups.landscape.restricted import reduced_problem
from groups.limits import MAX_BLOCK_K, check_cost, check_k, progress
from groups.symmetric.notation import equals, landscape_notation

__all__ = ["FIT_MIN_K", "FIT_TERMS", "PUBLISHED", "default_ks", "FamilyRow", "PowerFit", "fit_powers", "FamilyAsymptotics",
           "AsymptoticsResult", "asymptotics_cost", "asymptotics"]

#: the fits use the k from this one on (the series is asymptotic; the smallest k bend it)
FIT_MIN_K = 10
#: terms of the fit: c_0 + c_1 k^(-1/2) + ... + c_5 k^(-5/2) (fewer if fewer points); on k = 10..1000 the
#: fitted limits of 4, 5 and 6 terms differ by 1e-3 (type A) and 2e-4 (Delta S_k), far more than the standard
#: errors: the spread over the two shorter fits is reported as the truncation uncertainty
FIT_TERMS = 6
#: the published leading terms (issue 13; Arjevani & Field 2020): the limit of k F (type A) and of F (Delta S_k)
PUBLISHED = {"type A": sp.Rational(1, 2) - 2 / sp.pi ** 2, "Delta S_k": sp.Rational(1, 2) - 1 / sp.pi}
#: the k of the default table beyond k = 6..20
_LARGE_KS = (25, 30, 40, 50, 70, 100, 140, 200, 300, 500, 700, 1000)
#: smallest k of the families (Safran-Shamir minima exist from k = 6 on)
MIN_FAMILY_K = 6


def default_ks(k_max: int) -> list[int]:
    """The k of the table: 6..20, then roughly geometric up to ``k_max`` (which is always included).

    >>> default_ks(60)
    [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 25, 30, 40, 50, 60]
    """
    ks = [k for k in range(MIN_FAMILY_K, 21) if k <= k_max] + [k for k in _LARGE_KS if 20 < k <= k_max]
    return ks if not ks or ks[-1] == k_max else ks + [k_max]


@dataclass
class FamilyRow:
    """One point of a family: k, loss, smallest Hessian eigenvalue, kind, reduced residual, Young parameters."""

    k: int
    loss: float
    lambda_min: float
    index: int
    grad_norm: float
    params: list[float]
    scaled: bool

    @property
    def scaled_loss(self) -> float:
        """k F for type A, F for Delta S_k: the quantity fitted."""
        return self.k * self.loss if self.scaled else self.loss

    def to_json(self) -> dict:
        return {"k": self.k, "loss": self.loss, "fitted_loss": self.scaled_loss, "lambda_min": self.lambda_min,
                "index": self.index, "reduced_grad_norm": self.grad_norm, "params": self.params}


@dataclass
class PowerFit:
    """Least squares ``c_0 + c_1 k^(-1/2) + ...``: coefficients, the standard error of each, the k used."""

    coefficients: list[float]
    errors: list[float]
    ks: list[int]
    rms: float

    def value_at_infinity(self) -> float:
        return self.coefficients[0]

    def to_json(self) -> dict:
        return {"coefficients": self.coefficients, "standard_errors": self.errors, "ks": self.ks, "rms_residual": self.rms,
                "basis": [f"k^(-{j}/2)" for j in range(len(self.coefficients))]}


def fit_powers(ks: Sequence[int], values: Sequence[float], terms: int = FIT_TERMS) -> PowerFit:
    """Least squares of ``values`` on :math:`1, k^{-1/2}, \\dots, k^{-(terms-1)/2}` with ordinary standard errors
    (zero when the fit is exact: as many points as terms).

    >>> fit = fit_powers([4, 9, 16, 25, 36], [2 + 3 / math.sqrt(k) for k in [4, 9, 16, 25, 36]], terms=2)
    >>> [round(c, 10) for c in fit.coefficients]
    [2.0, 3.0]
    """
    ks = [int(k) for k in ks]
    terms = min(terms, len(ks))
    if terms < 1:
        raise FlowAlgebraError("a fit needs at least one point")
    A = np.array([[k ** (-j / 2) for j in range(terms)] for k in ks])
    y = np.asarray(values, dtype=float)
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    residual = y - A @ coef
    dof = len(ks) - terms
    s2 = float(residual @ residual) / dof if dof > 0 else 0.0
    cov = s2 * np.linalg.pinv(A.T @ A)
    return PowerFit([float(c) for c in coef], [float(math.sqrt(max(v, 0.0))) for v in np.diag(cov)], ks,
                    float(np.sqrt(np.mean(residual ** 2))))


@dataclass
class FamilyAsymptotics:
    """One family (``type A`` or ``Delta S_k``): its rows and the two fits, against the published limit."""

    name: str
    rows: list[FamilyRow]
    loss_fit: PowerFit
    lambda_fit: PowerFit
    #: largest change of the fitted limit c_0 of the loss when the fit has one or two terms fewer
    spread: float = 0.0

    @property
    def published(self) -> sp.Expr:
        return PUBLISHED[self.name]

    @property
    def scaled(self) -> bool:
        return self.name == "type A"

    def deviation(self) -> float:
        """The fitted limit minus the published one, in standard errors of the fit (inf if the error is 0)."""
        diff = self.loss_fit.coefficients[0] - float(self.published)
        err = self.loss_fit.errors[0]
        return diff / err if err > 0 else math.inf * (1 if diff >= 0 else -1)

    def to_json(self) -> dict:
        return {"family": self.name, "fitted_quantity": "k*loss" if self.scaled else "loss",
                "published_limit": {"value": float(self.published), "exact": str(self.published)},
                "fitted_limit": self.loss_fit.coefficients[0], "fitted_limit_error": self.loss_fit.errors[0],
                "fitted_limit_spread": self.spread,
                "loss_fit": self.loss_fit.to_json(), "lambda_min_fit": self.lambda_fit.to_json(),
                "rows": [r.to_json() for r in self.rows]}


def _quantity_tex(scaled: bool) -> str:
    return "k F" if scaled else "F"


def _family_tex(name: str) -> str:
    return "type A" if name == "type A" else "$\\Delta S_k$"


@dataclass(repr=False)
class AsymptoticsResult(Result):
    """Both families for a range of k, with the fits of their loss and smallest Hessian eigenvalue."""

    ks: list[int]
    families: list[FamilyAsymptotics]
    starts: int
    seed: int
    terms: int = FIT_TERMS
    fit_min_k: int = FIT_MIN_K
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"ks": self.ks, "starts": self.starts, "seed": self.seed, "terms": self.terms, "fit_min_k": self.fit_min_k,
                "numeric": True, "families": [f.to_json() for f in self.families], "notes": self.notes}

    def summary(self) -> str:
        lines = [f"Symmetric critical points followed in k = {self.ks[0]}..{self.ks[-1]} ({len(self.ks)} values; numeric), "
                 f"fitted on c0 + c1 k^(-1/2) + ... ({self.terms} terms, k >= {self.fit_min_k})"]
        for f in self.families:
            q = "k*F" if f.scaled else "F"
            lines.append(f"{f.name}: {q} -> {f.loss_fit.coefficients[0]:.6f} +- {f.loss_fit.errors[0]:.1e} (fit), "
                         f"{f.spread:.1e} (spread over {self.terms - 2}..{self.terms} terms) "
                         f"(published {f.published} = {float(f.published):.6f}; difference "
                         f"{f.loss_fit.coefficients[0] - float(f.published):+.2e}); lambda_min -> "
                         f"{f.lambda_fit.coefficients[0]:.6f} +- {f.lambda_fit.errors[0]:.1e}")
            for r in f.rows:
                lines.append(f"  k = {r.k:>4}  F = {r.loss:.10f}  {q} = {r.scaled_loss:.8f}  lambda_min = {r.lambda_min:.6e}  "
                             f"index {r.index}")
        return "\n".join(lines + self.notes)

    def derivation(self) -> Derivation:
        d = Derivation(f"Two families of symmetric critical points for {equals('k', self.ks[0])} to {self.ks[-1]}, "
                       "fitted in powers of $k^{-1/2}$",
                       notation=landscape_notation("k", "k", [
                           "$\\lambda_{\\min}$ is the smallest eigenvalue of the Hessian of $F$ at the point",
                           "$c_0, c_1, \\dots$ are the coefficients of the least-squares fit "
                           "$c_0 + c_1 k^{-1/2} + c_2 k^{-1} + \\dots$"]))
        d.add("The families of critical points with isotropy conjugate to $\\Delta S_{k-1}$ (type A) and "
              f"$\\Delta S_k$ are power series in $k^{{-1/2}}$ {cite('arjevani2020symmetry')}. Each is found at the "
              f"smallest $k$ and continued in $k$ by Newton's method on the loss restricted to the fixed-point "
              "subspace; the Hessian spectrum comes from its isotypic blocks (numeric, float64).")
        for f in self.families:
            q = _quantity_tex(f.scaled)
            scaled = [[sp.Float(r.scaled_loss, 8)] if f.scaled else [] for r in f.rows]
            rows = [[r.k, sp.Float(r.loss, 10)] + extra + [sp.Float(r.lambda_min, 6), r.index] for r, extra in zip(f.rows, scaled)]
            header = ["$k$", "$F$"] + ([f"${q}$"] if f.scaled else []) + ["$\\lambda_{\\min}$", "index"]
            d.add(f"The family {_family_tex(f.name)}: the loss{f', ${q}$' if f.scaled else ''}, "
                  "$\\lambda_{\\min}$ and the index:", Table(header, rows, align="r" * len(header)))
        fits, lambda_fits = [], []
        for f in self.families:
            c, e = f.loss_fit.coefficients[0], f.loss_fit.errors[0]
            fits.append([_family_tex(f.name), f"${_quantity_tex(f.scaled)}$", sp.Float(c, 7), sp.Float(e, 2),
                         sp.Float(f.spread, 2), f"${sp.latex(f.published)}$", sp.Float(float(f.published), 7)])
            lambda_fits.append([_family_tex(f.name), sp.Float(f.lambda_fit.coefficients[0], 7),
                                sp.Float(f.lambda_fit.errors[0], 2)])
        d.add(f"Least squares over ${self.fit_min_k} \\le k \\le {self.ks[-1]}$ with {self.terms} terms: the fitted "
              "limit $c_0$, its standard error, its spread (the largest change with one or two terms fewer) and the "
              "published leading term:",
              Table(["family", "quantity", "$c_0$", "error", "spread", "published", "value"], fits, align="llrrrlr"))
        d.add("The same fit of $\\lambda_{\\min}$ (no published value is compared; the smallest Hessian eigenvalue "
              f"at $W = I$ is $\\tfrac14 - \\tfrac{{1}}{{2\\pi}} \\approx {0.25 - 1 / (2 * math.pi):.7f}$):",
              Table(["family", "$c_0$", "error"], lambda_fits, align="lrr"))
        d.conclusion = "; ".join(
            f"{_family_tex(f.name)}: ${_quantity_tex(f.scaled)} \\to {f.loss_fit.coefficients[0]:.5f}$ against "
            f"${sp.latex(f.published)} \\approx {float(f.published):.5f}$" for f in self.families) + " (numeric backend)."
        return d


#: the families: name, isotropy type at k, whether the loss is scaled by k
_FAMILIES = (("type A", lambda k: (k - 1, 1), True), ("Delta S_k", lambda k: (k,), False))


def asymptotics_cost(ks: Sequence[int], starts: int) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of :func:`asymptotics`: two searches at the smallest k, then for each family
    and k a few Newton steps and one block spectrum (:func:`~groups.landscape.isotypic_blocks.block_cost`).

    >>> seconds, nbytes = asymptotics_cost(default_ks(1000), 40)
    >>> 20 < seconds < 600 and nbytes < 2**30
    True
    """
    k0 = min(ks)
    search, _, search_bytes = search_cost(k0, 5, starts, blocks=2, spectra="blocks")
    seconds = 2 * search + sum(2 * (block_cost(k)[0] + 0.2 + 4e-8 * k * k) for k in ks)
    return seconds, max(search_bytes, max(block_cost(k)[1] + 200.0 * k * k for k in ks))


def _start(k: int, parts: tuple[int, ...], starts: int, seed: int) -> list[float] | None:
    """Young parameters of the family's point at k from a search (type A: a spurious minimum of isotropy
    ``parts``; Delta S_k: the point other than W = I), lowest loss first."""
    found = find_critical_points(k, parts, starts=starts, seed=seed)
    other = [cp for cp in found.points if cp.loss_float > 1e-12 and cp.isotropy == parts]
    pick = [cp for cp in other if cp.spurious] if len(parts) > 1 else other
    if not pick:
        return None
    return [float(v) for v in pick[0].params.values()]


def _follow(ks: Sequence[int], make_parts, scaled: bool, starts: int, seed: int, bar) -> tuple[list[FamilyRow], list[str]]:
    rows: list[FamilyRow] = []
    notes: list[str] = []
    path: list[tuple[int, np.ndarray]] = []
    for k in ks:
        parts = make_parts(k)
        problem = reduced_problem(k, parts)
        if len(path) >= 2:
            (k0, p0), (k1, p1) = path[-2], path[-1]
            guess = p1 + (p1 - p0) * (1 / k - 1 / k1) / (1 / k1 - 1 / k0)
        elif path:
            guess = path[-1][1]
        else:
            start = _start(k, parts, starts, seed)
            if start is None:
                raise FlowAlgebraError(f"no start point of the family {_family_name(parts)} found at k = {k}")
            guess = np.array(start)
        p = newton_float(problem, guess, tol=newton_tolerance(k))
        if p is None and path:
            p = newton_float(problem, path[-1][1], tol=newton_tolerance(k))
        if p is None:
            notes.append(f"{_family_name(parts)}: Newton failed at k = {k}; the family stops there")
            break
        p_mp, gnorm, loss_mp = polish_mp(problem, p)
        W = problem.embed([float(v) for v in p_mp])
        if tuple(len(b) for b in isotropy_within(W, parts)) != tuple(parts):
            notes.append(f"{_family_name(parts)}: the continued point left the family at k = {k} (larger isotropy)")
            break
        spectrum = hessian_spectrum(W, parts, "blocks")
        index = sum(m for v, m in spectrum if v < -1e-7)
        rows.append(FamilyRow(k, float(loss_mp), spectrum[0][0], index, float(gnorm), [float(v) for v in p_mp], scaled))
        path.append((k, np.array([float(v) for v in p_mp])))
        bar.update(1)
    return rows, notes


def _family_name(parts: tuple[int, ...]) -> str:
    return "type A" if len(parts) > 1 else "Delta S_k"


def asymptotics(k_max: int, ks: Sequence[int] | None = None, starts: int = 40, seed: int = 0,
                terms: int = FIT_TERMS) -> AsymptoticsResult:
    """``landscape asymptotics``: both families at the k of :func:`default_ks` up to ``k_max`` (or ``ks``), and
    the fits of :math:`kF` (type A), :math:`F` (:math:`\\Delta S_k`) and :math:`\\lambda_{\\min}` in powers of
    :math:`k^{-1/2}` (:func:`fit_powers`) over the k from :data:`FIT_MIN_K` on. The cost is estimated first."""
    k_max = check_k(k_max, "k-max", MIN_FAMILY_K, MAX_BLOCK_K)
    ks = sorted(set(default_ks(k_max) if ks is None else [check_k(k, "k", MIN_FAMILY_K, k_max) for k in ks]))
    terms = check_k(terms, "terms", 1, 8)
    seconds, nbytes = asymptotics_cost(ks, starts)
    show = check_cost(f"the asymptotics of the two families up to k = {ks[-1]} ({len(ks)} values of k)", seconds, nbytes,
                      hint="lower --k-max")
    families, notes = [], []
    with progress(total=2 * len(ks), desc="families in k", show=show, unit="point") as bar:
        for name, make_parts, scaled in _FAMILIES:
            rows, more = _follow(ks, make_parts, scaled, starts, seed, bar)
            notes += more
            fit_rows = [r for r in rows if r.k >= FIT_MIN_K] or rows
            fk, values = [r.k for r in fit_rows], [r.scaled_loss for r in fit_rows]
            loss_fit = fit_powers(fk, values, terms)
            shorter = [fit_powers(fk, values, n).coefficients[0] for n in (terms - 1, terms - 2) if n >= 1]
            spread = max((abs(c - loss_fit.coefficients[0]) for c in shorter), default=0.0)
            families.append(FamilyAsymptotics(name, rows, loss_fit, fit_powers(fk, [r.lambda_min for r in fit_rows], terms),
                                              spread))
    return AsymptoticsResult(ks, families, starts, seed, terms, FIT_MIN_K, notes)
