"""Tangency arcs (numeric): critical points of F on spheres around a critical point W0, inside Fix(H').

For a subgroup :math:`H' \\subseteq \\mathrm{Iso}(W_0)` the critical points of
F restricted to the sphere :math:`\\|W - W_0\\| = r` in :math:`\\mathrm{Fix}(H')`
satisfy :math:`\\nabla F(W) = \\mu\\,(W - W_0)` (Lagrange). For small r they
leave W0 along the eigenvectors of the Hessian restricted to Fix(H') with
:math:`\\mu \\approx \\lambda`; we follow each of these arcs in r
(predictor-corrector on :math:`(p, \\mu)`) and report where :math:`\\mu` changes
sign: there the gradient itself vanishes, i.e. the arc meets another
critical point, which we polish (mpmath) and classify.

In the Young coordinates ``p`` of Fix(H') (orbit values) with orbit sizes ``D``, the
reduced gradient is ``g = D * (orbit value of grad F)``, so the equations read
:math:`D^{-1}g(p) = \\mu (p - p_0)`, :math:`(p-p_0)^T D (p-p_0) = r^2`.

>>> res = trace_arcs(4, "3,1", "3,1", max_radius=0.3, starts=20, step=0.05)
>>> len(res.arcs) == 2 * 5 and all(arc.end in ("radius", "fold", "critical point", "singular") for arc in res.arcs)
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Result, Table, inline
from groups.landscape.critical_points import (CriticalPoint, classify, find_critical_points, global_minimum, newton_float,
                                              polish_mp, search_cost)
from groups.landscape.reduced import check_blocks
from groups.landscape.restricted import reduced_problem
from groups.limits import MAX_RADIUS, PROGRESS_SECONDS, check_cost, check_k, progress, shorten
from groups.symmetric.notation import equals, fix_tex, landscape_notation, partition_tex
from groups.symmetric.young import parse_partition, young_blocks, young_fix_dimension, young_label, young_latex

__all__ = ["ArcHit", "Arc", "ArcsResult", "START_RADIUS", "arcs_cost", "trace_arcs", "follow_arc"]


@dataclass
class ArcHit:
    radius: float
    point: CriticalPoint

    def to_json(self) -> dict:
        cp = self.point
        return {"radius": self.radius, "loss": cp.loss_float, "index": cp.index, "kind": cp.kind,
                "isotropy": list(cp.isotropy), "spurious": cp.spurious}


@dataclass
class Arc:
    eigenvalue: float     # of the Hessian restricted to Fix(H') (metric D) at W0
    sign: int             # which way along the eigenvector
    end: str              # "critical point", "radius", "fold", "singular"
    end_radius: float
    hits: list[ArcHit] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"eigenvalue": self.eigenvalue, "sign": self.sign, "end": self.end, "end_radius": self.end_radius,
                "hits": [h.to_json() for h in self.hits]}


@dataclass(repr=False)
class ArcsResult(Result):
    """The tangency arcs from one critical point inside Fix(Delta(sub)), with the critical points they meet."""

    k: int
    start: CriticalPoint
    sub: tuple[int, ...]
    max_radius: float
    arcs: list[Arc]

    def to_json(self) -> dict:
        return {"k": self.k, "numeric": True, "start": {"loss": self.start.loss_float, "isotropy": list(self.start.isotropy),
                                                       "index": self.start.index, "kind": self.start.kind},
                "subgroup": list(self.sub), "max_radius": self.max_radius, "arcs": [a.to_json() for a in self.arcs]}

    def summary(self) -> str:
        lines = [f"tangency arcs from the {self.start.kind} of isotropy {young_label(self.start.isotropy)} "
                 f"(loss {self.start.loss_float:.10g}) inside Fix({young_label(self.sub)}), k = {self.k}, r <= {self.max_radius}"]
        for a in self.arcs:
            hit = "; ".join(f"r = {h.radius:.6g}: {h.point.kind} index {h.point.index}, loss {h.point.loss_float:.10g}, "
                            f"{young_label(h.point.isotropy)}" for h in a.hits)
            lines.append(f"  lambda = {a.eigenvalue:+.6g} ({'+' if a.sign > 0 else '-'}): {a.end} at r = {a.end_radius:.4g}"
                         + (f" -> {hit}" if hit else ""))
        return "\n".join(lines)

    def derivation(self) -> Derivation:
        fix = inline(fix_tex(self.sub))
        d = Derivation(f"Tangency arcs from a critical point of isotropy {young_latex(self.start.isotropy)}, "
                       f"{equals('k', self.k)}", notation=landscape_notation(self.k, self.k, [
                           "$W_0$ is the start point, a critical point of $F$, and $r = \\|W - W_0\\|$ (Frobenius norm)"]))
        d.add(f"The start point $W_0$ (loss {inline(sp.Float(self.start.loss_float, 10))}, index {self.start.index}) lies "
              f"in the larger subspace {fix}. The critical points of $F$ on the spheres $\\|W - W_0\\| = r$ inside "
              f"{fix} solve $\\nabla F(W) = \\mu (W - W_0)$; they form arcs leaving $W_0$ along the eigenvectors of the "
              "Hessian restricted to the subspace, and an arc meets a critical point of $F$ where $\\mu = 0$ (numeric, "
              f"traced up to {equals('r', float(self.max_radius))}).")
        crossings = [(a, h) for a in self.arcs for h in a.hits if h.radius > START_RADIUS]
        rows = [[sp.Float(a.eigenvalue, 6), "$+$" if a.sign > 0 else "$-$", sp.Float(h.radius, 6),
                 sp.Float(h.point.loss_float, 10), h.point.index, partition_tex(h.point.isotropy)]
                for a, h in crossings]
        at_start = sum(len(a.hits) for a in self.arcs) - len(crossings)
        if rows:
            d.add("The arcs that meet a critical point: the Hessian eigenvalue at $W_0$ of the arc's direction, the "
                  "side of the eigenvector, the radius of the crossing, and the loss, index and isotropy type of "
                  "the critical point met:",
                  Table(["eigenvalue at $W_0$", "side", "radius $r$", "loss $F$", "index", "isotropy"], rows,
                        note=f"Not listed: {at_start} {'crossing' if at_start == 1 else 'crossings'} at $r < 10^{{-9}}$, "
                             "the start point $W_0$ itself."
                        if at_start else "", align="rcrrrl"))
        hits = len(crossings)
        d.conclusion = (f"{hits} {'crossing' if hits == 1 else 'crossings'} on {len(self.arcs)} arcs "
                        "(numeric backend).")
        return d


#: a crossing closer than this to the start point is the start point itself
START_RADIUS = 1e-9


def _check_refines(sub: Sequence[int], parts: Sequence[int]) -> None:
    outer = [set(b) for b in young_blocks(parts)]
    for block in young_blocks(sub):
        if not any(set(block) <= o for o in outer):
            raise FlowAlgebraError(f"{young_label(sub)} is not a subgroup of {young_label(parts)} (blocks must refine)")


def _start_point(k: int, at: str, starts: int, seed: int) -> CriticalPoint:
    if at == "identity":
        return global_minimum(reduced_problem(k, (k,)))
    parts = parse_partition(at, k)
    found = find_critical_points(k, parts, starts=starts, seed=seed)
    candidates = [cp for cp in found.points if cp.loss_float > 1e-12]
    if not candidates:
        raise FlowAlgebraError(f"no critical point other than W = I found in Fix({young_label(parts)})")
    minima = [cp for cp in candidates if cp.spurious]
    return (minima or candidates)[0]


def arcs_cost(k: int, sub: Sequence[int], max_radius: float, step: float) -> tuple[float, float]:
    """Estimated ``(seconds of following every arc, seconds per critical point met)`` in Fix(Delta(sub)): ``2 dim``
    arcs of about ``max_radius / step`` corrector solves, each up to 12 Newton steps on the reduced gradient
    (about ``dim`` microseconds each, ``2 dim + 1`` of them a step); an arc that meets a critical point polishes
    and classifies it (the full Hessian)."""
    dim = young_fix_dimension(tuple(sub))
    per_solve = 12 * (2 * dim + 1) * 4e-6 * dim
    return 2 * dim * (max_radius / step + 8) * per_solve, search_cost(k, dim, 1)[1]


def trace_arcs(k: int, at: str, sub: str | Sequence[int], max_radius: float = 1.5, starts: int = 60,
               step: float = 0.02, r0: float = 1e-3, seed: int = 0) -> ArcsResult:
    """Trace the tangency arcs from the critical point ``at`` inside Fix(Delta(sub)).

    ``sub`` must refine ``at`` (its consecutive blocks lie inside those of ``at``), so that the start point lies
    in Fix(Delta(sub)); this and the cost (the search for the start point, the arcs, one classification) are
    checked before any work, and long work shows progress bars on stderr.
    """
    import scipy.linalg  # heavy: loaded on first use

    k = check_k(k)
    if not 0 < max_radius <= MAX_RADIUS:
        raise FlowAlgebraError(f"radius must be in (0, {MAX_RADIUS:g}], got {max_radius}")
    if not (0 < step <= MAX_RADIUS and 0 < r0 <= MAX_RADIUS):
        raise FlowAlgebraError(f"the arc step and first radius must be in (0, {MAX_RADIUS:g}], got step = {step}, "
                               f"r0 = {r0}")
    if not isinstance(at, str):
        raise FlowAlgebraError(f"the start point is 'identity' or an isotropy type such as 5,1, got {shorten(repr(at))}")
    parts = (k,) if at == "identity" else parse_partition(at, k)
    subp = parse_partition(sub, k)
    _check_refines(subp, parts)
    check_blocks(len(parts))
    check_blocks(len(subp))
    seconds, each = arcs_cost(k, subp, max_radius, step)
    search_seconds, _, nbytes = search_cost(k, young_fix_dimension(parts), starts if at != "identity" else 0,
                                            blocks=len(parts))
    hits = 2 * young_fix_dimension(subp) * each  # an arc ends at the first critical point it meets
    check_cost(f"the tangency arcs from Fix({young_label(parts)}) in Fix({young_label(subp)}), k = {k}",
               seconds + search_seconds + hits, nbytes, hint="lower --radius, --starts or --k")
    W0 = _start_point(k, at, starts, seed)
    problem = reduced_problem(k, subp)
    if not problem.fix.contains(W0.W):
        raise FlowAlgebraError(f"the start point of isotropy {young_label(W0.isotropy)} is not in "
                               f"Fix({young_label(subp)})")
    D = problem.fix.sizes
    p0 = problem.fix.coordinates(W0.W)
    lam, vecs = scipy.linalg.eigh(problem.hess(p0), np.diag(D))
    arcs = []
    show = seconds + hits > PROGRESS_SECONDS
    with progress(total=2 * len(lam), desc="tangency arcs", show=show, unit="arc") as bar:
        for j in range(len(lam)):
            for sign in (1, -1):
                arcs.append(follow_arc(problem, D, p0, sign * vecs[:, j], float(lam[j]), sign, max_radius, step, r0))
                bar.update(1)
    return ArcsResult(k, W0, subp, max_radius, arcs)


def _residual(problem, D, p0, p, mu, r):
    g = np.array(problem.grad(p), dtype=float) / D
    return np.concatenate([g - mu * (p - p0), [(p - p0) @ (D * (p - p0)) - r * r]])


def _correct(problem, D, p0, p, mu, r, iters=12, tol=1e-11):
    """Newton on (p, mu) at fixed radius r; returns (p, mu) or None."""
    m = len(p)
    for _ in range(iters):
        try:
            F = _residual(problem, D, p0, p, mu, r)
        except (ValueError, ZeroDivisionError, OverflowError):
            return None
        if not np.all(np.isfinite(F)):
            return None
        if np.linalg.norm(F) < tol:
            return p, mu
        J = np.zeros((m + 1, m + 1))
        J[:m, :m] = problem.hess(p) / D[:, None] - mu * np.eye(m)
        J[:m, m] = -(p - p0)
        J[m, :m] = 2 * D * (p - p0)
        delta = np.linalg.lstsq(J, -F, rcond=None)[0]
        p, mu = p + delta[:m], mu + delta[m]
    return None


def follow_arc(problem, D, p0, direction, lam, sign, max_radius, step, r0) -> Arc:
    """One arc from ``p0`` (Young coordinates, orbit sizes ``D``) along the unit ``direction`` of Hessian
    eigenvalue ``lam``: predictor-corrector on :math:`(p, \\mu)` from radius ``r0`` in steps of ``step`` up to
    ``max_radius``, recording where :math:`\\mu` changes sign (see the module docstring; used by
    :func:`trace_arcs` and :mod:`groups.landscape.arc_types`)."""
    p, mu, r = p0 + r0 * direction, lam, r0
    prev = None
    hits: list[ArcHit] = []
    h = step
    while r < max_radius:
        r_next = min(r + h, max_radius)
        guess_p = p + (p - prev[0]) * (r_next - r) / (r - prev[2]) if prev else p0 + (p - p0) * r_next / r
        guess_mu = mu + (mu - prev[1]) * (r_next - r) / (r - prev[2]) if prev else mu
        out = _correct(problem, D, p0, guess_p, guess_mu, r_next)
        if out is None:
            h /= 2
            if h < 1e-5:
                return Arc(lam, sign, "fold", r, hits)
            continue
        q, nu = out
        W = problem.embed(q)
        if np.min(np.linalg.norm(W, axis=1)) < 1e-6:
            return Arc(lam, sign, "singular", r_next, hits)
        if mu * nu < 0:
            # the gradient vanishes between r and r_next: locate it by Newton on grad F = 0
            t = mu / (mu - nu)
            root = newton_float(problem, p + t * (q - p))
            if root is not None:
                p_mp, gnorm, loss_mp = polish_mp(problem, root)
                cp = classify(problem, p_mp, gnorm, loss_mp)
                radius = float(np.sqrt((root - p0) @ (D * (root - p0))))
                hits.append(ArcHit(radius, cp))
                return Arc(lam, sign, "critical point", radius, hits)
        prev = (p, mu, r)
        p, mu, r = q, nu, r_next
        h = min(step, h * 2)
    return Arc(lam, sign, "radius", r, hits)
