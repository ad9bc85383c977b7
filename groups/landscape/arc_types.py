"""Admissible tangency-arc types at a symmetric critical point, and the two families of spurious minima side by
side (numeric, float64 arcs, mpmath-polished end points).

Setting. :math:`W_0` is a critical point of isotropy :math:`H = \\Delta(S_p\\times S_1^{\\,r})` (one block of size
:math:`p \\ge 4` and r singletons; the minima of isotropy :math:`\\Delta S_k` and :math:`\\Delta(S_{k-1}\\times S_1)`).
For :math:`H' \\subset H` the tangency arcs inside :math:`\\mathrm{Fix}(H')` (:mod:`groups.landscape.tangency`) leave
:math:`W_0` along eigenvectors of the Hessian restricted to :math:`\\mathrm{Fix}(H')`. The Hessian commutes with H,
so :math:`\\mathrm{Fix}(H') = \\mathrm{Fix}(H) \\oplus \\bigoplus_{\\chi \\ne 1} \\mathrm{Fix}(H')_\\chi` with
:math:`\\mathrm{Fix}(H')_\\chi \\cong V_\\chi^{H'}\\otimes\\mathbb{R}^{m_\\chi}` (Frobenius reciprocity;
:math:`\\dim V_\\chi^{H'}` is the Kostka number :math:`K_{\\chi\\mu}` when :math:`H'` splits the block by the
partition :math:`\\mu` of p), and on it the Hessian is the isotypic block :math:`M_\\chi` of
:mod:`groups.landscape.isotypic_blocks`, once per copy.

An *arc type* here is a triple :math:`(H', \\chi, \\lambda)`:

- :math:`H' = \\Delta(S_{\\mu_1}\\times\\dots\\times S_{\\mu_s}\\times S_1^{\\,r})` splits the block of size p by a
  partition :math:`\\mu` of p into 2 to :data:`SPLIT_PARTS` parts (one subgroup per conjugacy class in H);
- :math:`\\chi` is one of the irreducibles of :math:`S_p` in :math:`\\mathbb{R}^{k\\times k}` (:math:`[p-1,1]`,
  :math:`[p-2,2]`, :math:`[p-2,1,1]`) with a *new* :math:`H'`-fixed direction: the part
  :math:`N_\\chi(H')` of :math:`\\mathrm{Fix}(H')_\\chi` orthogonal to :math:`\\mathrm{Fix}(H'')_\\chi` for the Young
  groups :math:`H' \\subsetneq H'' \\subseteq H` (those obtained by merging two parts of :math:`\\mu`) is not zero;
  its dimension is :math:`n\\,m_\\chi` with n the number of new copies;
- :math:`\\lambda` is an eigenvalue of the Hessian on :math:`N_\\chi(H')` (an eigenvalue of :math:`M_\\chi`), its sign
  whether F grows or falls along the tangent.

Each type gives two arcs, along :math:`\\pm v` for the unit eigenvector v (one arc per eigenvector of a
degenerate :math:`\\lambda`, n > 1, flagged); both are followed by the predictor-corrector of
:mod:`groups.landscape.tangency` in :math:`\\mathrm{Fix}(H')` and end at a critical point (loss, index, isotropy),
a fold, a zero row ("singular") or the largest radius.

From the papers: tangency sets and arcs, and that a critical point met by an arc inside :math:`\\mathrm{Fix}(H')`
has isotropy containing :math:`H'` (Arjevani & Field, *Symmetry & critical points*, 2024, arXiv:2408.14445); that
the arcs from the two families of minima are of finitely many types fixed by the isotypic decomposition and
differ, for the minima whose loss stays away from zero (hidden), on account of the :math:`O(k^{-1/2})`
eigenvalues (Arjevani, *Hidden minima in two-layer ReLU networks*, 2024, arXiv:2312.16819). Our own reading:
the list of subgroups (Young, at most :data:`SPLIT_PARTS` parts), "new" as above, and telling :math:`\\chi`
apart by the sum T of the transpositions of :math:`S_p`, which acts on the :math:`\\chi`-component as the content
sum of the diagram (the sum of :math:`j - i` over its boxes; a central element, Jucys-Murphy), so that each
isotypic projector is a cubic polynomial in T. Arcs inside Fix(H) itself (the trivial component) are not
types here; they are those of ``landscape arcs --sub`` with H' = H.

Measured (``landscape arc-types --k 6..10``: 60 Newton starts, seed k, radius 1.5, step 0.02; eigenvalues zero
below 1e-7, isotypic residuals below 1e-8; n = 1 in every case). At the minimum of isotropy
:math:`\\Delta(S_{k-1}\\times S_1)` whose loss falls with k (0.0251 to 0.0187), the smallest new eigenvalue is on
:math:`[p-1,1]` and the only index-1 saddles met lie on :math:`[p-1,1]` arcs in :math:`\\Delta(S_{k-2}\\times
S_1\\times S_1)`; its :math:`[p-2,1,1]` arcs reach the radius. At the minima whose loss grows (:math:`\\Delta S_k`,
0.0557 to 0.0766, and a second :math:`\\Delta(S_{k-1}\\times S_1)` minimum from k = 7 on) the smallest new
eigenvalue is on :math:`[p-2,1,1]`, and its two arcs (swapped by the transposition of the two new singletons)
meet one index-1 saddle of isotropy :math:`\\Delta(S_{p-2}\\times S_1\\times S_1)`, the same one (equal loss) that a
:math:`[p-1,1]` arc of the second :math:`\\Delta(S_{k-1}\\times S_1)` minimum meets. Caveat: the end point is the
Newton root from the interpolated crossing; once (k = 8) it lay beyond the traced radius (r = 2.05).

>>> res = arc_types(5, "5", max_radius=0.1, step=0.05, starts=20)
>>> [(s.split, s.irrep[0]) for s in res.subgroups]
[((4, 1), (4, 1)), ((3, 2), (4, 1)), ((3, 2), (3, 2)), ((3, 1, 1), (3, 1, 1)), ((2, 2, 1), (3, 1, 1))]
>>> res.consistent, sum(len(t.arcs) for t in res.types) == 2 * len(res.types)
(True, True)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Notation, Result, Table, cite, inline
from groups.landscape.critical_points import EIG_TOL, CriticalPoint, find_critical_points, search_cost
from groups.landscape.isotypic_blocks import (RESIDUAL_TOL, block_content, block_pattern, hessian_vector_product,
                                              isotypic_block_spectrum)
from groups.landscape.reduced import check_blocks
from groups.landscape.restricted import reduced_problem
from groups.landscape.tangency import START_RADIUS, Arc, arcs_cost, follow_arc
from groups.limits import (MAX_RADIUS, MAX_STARTS, PROGRESS_SECONDS, check_cost, check_k, parse_integers, progress,
                           shorten)
from groups.symmetric.actions import MatrixGroup
from groups.symmetric.fixed_space import FixedSubspace
from groups.symmetric.isotypic import irrep_tex
from groups.symmetric.notation import equals, landscape_notation, partition_tex
from groups.symmetric.young import (block_generators, parse_partition, young_blocks, young_fix_dimension, young_label,
                                    young_latex)

__all__ = ["SPLIT_PARTS", "FAMILY_KS", "ARC_NOTATION", "content_sum", "SubgroupDirections", "ArcType", "ArcTypesResult",
           "ArcFamiliesResult", "arc_types", "arc_families", "arc_types_cost", "parse_k_range"]

#: the splits mu of the block have at most this many parts (every irreducible of R^{k x k} gets new directions
#: by then: [p-2,1,1] needs three parts)
SPLIT_PARTS = 3
#: the k of the families comparison of the note (``landscape arc-types --k 6..10``)
FAMILY_KS = range(6, 11)
#: the share of the full price of an arc (every step to the largest radius, 12 Newton iterations each) that an arc
#: costs on average: most end at a fold or a critical point, and the corrector converges in a few iterations
#: (measured at k = 6..10, radius 1.5: the estimates with share 1 were 3-4 times the time taken)
ARC_SHARE = 0.35
#: singular values below this (relative) are zero when spans are compared
_RANK_TOL = 1e-8


def content_sum(lam: Sequence[int]) -> int:
    """The sum of the contents :math:`j - i` over the boxes of the diagram: the scalar by which the sum of all
    transpositions of :math:`S_p` acts on the irreducible ``lam``.

    >>> [content_sum(lam) for lam in [(5,), (4, 1), (3, 2), (3, 1, 1)]]
    [10, 5, 2, 0]
    """
    return sum(j - i for i, row in enumerate(lam) for j in range(row))


def _transposition_sum(X: np.ndarray, block: Sequence[int]) -> np.ndarray:
    """:math:`\\sum_{a<b} P_{ab} X P_{ab}` over the transpositions of ``block``, for a stack ``(n, k, k)``."""
    out = np.zeros_like(X)
    k = X.shape[1]
    for i, a in enumerate(block):
        for b in block[i + 1:]:
            perm = np.arange(k)
            perm[[a, b]] = perm[[b, a]]
            out += X[:, perm][:, :, perm]
    return out


def _project(X: np.ndarray, block: Sequence[int], lam: tuple[int, ...],
             others: Sequence[tuple[int, ...]]) -> np.ndarray:
    """The isotypic projection onto ``lam`` of a stack of matrices whose components are among ``others``."""
    c = content_sum(lam)
    for mu in others:
        if mu != lam:
            cm = content_sum(mu)
            X = (_transposition_sum(X, block) - cm * X) / (c - cm)
    return X


def _span(X: np.ndarray) -> np.ndarray:
    """An orthonormal basis (columns) of the span of the rows of ``X`` (flattened)."""
    X = X.reshape(len(X), -1)
    if not len(X):
        return np.zeros((X.shape[1], 0))
    U, s, _ = np.linalg.svd(X.T, full_matrices=False)
    return U[:, s > _RANK_TOL * max(1.0, s[0] if len(s) else 0.0)]


def _fix_stack(k: int, blocks: Sequence[Sequence[int]]) -> np.ndarray:
    """An orthonormal basis of Fix(Delta of the blocks) (any blocks, not only consecutive) as ``(dim, k, k)``."""
    gens = [(g, g) for g in block_generators(k, blocks)]
    basis = FixedSubspace(MatrixGroup(k, k, gens)).orthonormal_basis()
    return basis.T.reshape(-1, k, k)


def _splits(p: int, parts: int = SPLIT_PARTS) -> list[tuple[int, ...]]:
    """Partitions of p into 2 to ``parts`` parts: by number of parts, then decreasing (lexicographic)."""
    def rec(n, most, count):
        if count == 1:
            return [(n,)] if n <= most else []
        return [(a,) + rest for a in range(min(n - count + 1, most), 0, -1) for rest in rec(n - a, a, count - 1)]
    return [mu for s in range(2, parts + 1) for mu in rec(p, p, s)]


@dataclass
class SubgroupDirections:
    """One subgroup H' (the block split by ``split``; ``sub`` the composition of k) and one irreducible with new
    directions there: ``copies`` new copies, ``dim_fix`` = dim Fix(H')."""

    sub: tuple[int, ...]
    split: tuple[int, ...]
    irrep: tuple[tuple[int, ...], ...]   # the partition of the block (singletons carry the trivial one)
    dim_fix: int
    copies: int
    multiplicity: int                    # m_chi: the new space has dimension copies * multiplicity

    def to_json(self) -> dict:
        return {"subgroup": list(self.sub), "split": list(self.split), "irrep": list(self.irrep[0]),
                "dim_fix": self.dim_fix, "new_copies": self.copies, "new_dim": self.copies * self.multiplicity}


@dataclass
class ArcType:
    """One type (H', chi, lambda): the Hessian eigenvalue on the new chi-directions of Fix(H') and its arcs."""

    sub: tuple[int, ...]
    split: tuple[int, ...]
    irrep: tuple[tuple[int, ...], ...]
    eigenvalue: float
    copies: int
    arcs: list[Arc] = field(default_factory=list)

    @property
    def sign(self) -> int:
        return 0 if abs(self.eigenvalue) <= EIG_TOL else (1 if self.eigenvalue > 0 else -1)

    def to_json(self) -> dict:
        return {"subgroup": list(self.sub), "split": list(self.split), "irrep": list(self.irrep[0]),
                "eigenvalue": self.eigenvalue, "sign": self.sign, "degenerate": self.copies > 1,
                "arcs": [a.to_json() for a in self.arcs]}


def _end_text(arc: Arc) -> str:
    if arc.end == "critical point" and arc.hits:
        cp = arc.hits[-1].point
        if arc.end_radius <= START_RADIUS:
            return "back at W0"
        return (f"{cp.kind} index {cp.index}, loss {cp.loss_float:.6g}, {young_label(cp.isotropy)} "
                f"(r = {arc.end_radius:.3g})")
    return f"{arc.end} (r = {arc.end_radius:.3g})"


def _relative(lam: tuple[int, ...]) -> str:
    """A partition of p relative to p: ``(5, 1, 1)`` -> ``"p-2,1,1"``."""
    p = sum(lam)
    return ",".join([f"p-{p - lam[0]}" if lam[0] != p else "p"] + [str(x) for x in lam[1:]])


def _chi_relative(name: str) -> str:
    return "\\chi_{(" + name + ")}"


def _chi(irrep) -> Notation:
    return irrep_tex((irrep[0],))


@dataclass(repr=False)
class ArcTypesResult(Result):
    """Every admissible arc type at one critical point, traced (``landscape arcs --all``)."""

    k: int
    start: CriticalPoint
    parts: tuple[int, ...]
    subgroups: list[SubgroupDirections]
    types: list[ArcType]
    consistent: bool
    max_radius: float
    step: float
    starts: int
    seed: int

    def ends(self) -> dict[str, int]:
        """How the arcs end: counts by end (``critical point``, ``fold``, ``radius``, ``singular``)."""
        out: dict[str, int] = {}
        for t in self.types:
            for a in t.arcs:
                out[a.end] = out.get(a.end, 0) + 1
        return out

    def to_json(self) -> dict:
        return {"k": self.k, "numeric": True, "seed": self.seed, "starts": self.starts, "max_radius": self.max_radius,
                "step": self.step, "eigenvalue_tol": EIG_TOL, "residual_tol": RESIDUAL_TOL,
                "start": {"loss": self.start.loss_float, "isotropy": list(self.start.isotropy),
                          "index": self.start.index, "kind": self.start.kind},
                "dim_fix_h": young_fix_dimension(self.parts), "consistent": self.consistent,
                "subgroups": [s.to_json() for s in self.subgroups], "types": [t.to_json() for t in self.types]}

    def summary(self) -> str:
        lines = [f"arc types at the {self.start.kind} of isotropy {young_label(self.parts)} (loss "
                 f"{self.start.loss_float:.10g}), k = {self.k}, dim Fix(H) = {young_fix_dimension(self.parts)}, "
                 f"r <= {self.max_radius:g} (numeric; search seed {self.seed}, {self.starts} starts)"]
        for s in self.subgroups:
            lines.append(f"  H' = {young_label(s.sub)}: dim Fix(H') = {s.dim_fix}, new {list(s.irrep[0])} x "
                         f"{s.copies * s.multiplicity}")
            for t in self.types:
                if t.sub == s.sub and t.irrep == s.irrep:
                    ends = "; ".join(("+" if a.sign > 0 else "-") + ": " + _end_text(a) for a in t.arcs)
                    lines.append(f"    lambda = {t.eigenvalue:+.6g}{' (degenerate)' if t.copies > 1 else ''}: {ends}")
        if not self.consistent:
            lines.append("  WARNING: an isotypic span was not invariant or an eigenvalue did not match its block")
        return "\n".join(lines)

    def derivation(self) -> Derivation:
        d = Derivation(f"Tangency-arc types at the {self.start.kind} of isotropy {young_latex(self.parts)}, "
                       f"{equals('k', self.k)}", notation=_notation(self.k))
        d.add(_method_text(self.parts, self.start))
        _steps(d, self, "Numeric, ")
        ends = self.ends()
        d.conclusion = (f"{len(self.types)} arc types, {sum(ends.values())} arcs: "
                        + ", ".join(f"{n} ending at a {e}" if e != "radius" else f"{n} reaching the radius"
                                    for e, n in sorted(ends.items()))
                        + f" (numeric backend{'' if self.consistent else '; an isotypic check failed'}).")
        return d


def _notation(k) -> str:
    return landscape_notation(k, k, ARC_NOTATION)


#: the definitions an arc-types document adds to the landscape's notation
ARC_NOTATION = [
        "$W_0$ is the start point, a critical point of isotropy $H$, and $r = \\|W - W_0\\|$ (Frobenius norm)",
        "$\\chi_\\lambda$ is the irreducible of $S_p$ of the partition $\\lambda$ ($p$ the size of the large block "
        "of $H$), $m_\\chi$ its multiplicity in $\\mathbb{R}^{k \\times k}$",
        "$N_\\chi(H')$ is the part of the $\\chi$-isotypic component of $\\mathrm{Fix}(H')$ orthogonal to "
        "$\\mathrm{Fix}(H'')$ for the Young groups $H' \\subsetneq H'' \\subseteq H$ (the new directions)",
        "an arc type is $(H', \\chi, \\lambda)$ with $\\lambda$ a Hessian eigenvalue on $N_\\chi(H')$; $v$ is its unit "
        "eigenvector"]


def _method_text(parts, start: CriticalPoint | None) -> str:
    where = (f"The start point $W_0$ has loss {inline(sp.Float(start.loss_float, 10))} and index {start.index}. "
             if start is not None else "")
    return (where + "For every subgroup $H' \\subset H$ splitting the large block by a partition with at most "
            f"{SPLIT_PARTS} parts, the Hessian at $W_0$ restricted to $\\mathrm{{Fix}}(H')$ splits by the isotypic "
            "components of $H$; the tangency arcs in $\\mathrm{Fix}(H')$ leave $W_0$ along its eigenvectors "
            f"{cite('arjevani2024hidden')}. Components are told apart by the sum of the transpositions (a scalar on "
            "each), the eigenvalues are those of the isotypic blocks, and each arc is followed by predictor-corrector "
            "Newton on $\\nabla F(W) = \\mu (W - W_0)$; where $\\mu$ changes sign the arc meets a critical point, "
            "which is polished in mpmath and classified by the full Hessian.")


def _values(values: Sequence[float]) -> Notation:
    return Notation(", ".join(sp.latex(sp.Float(v, 3)) for v in values))


def _directions_table(res: "ArcTypesResult") -> Table:
    """One row per (H', chi): dim Fix(H'), dim N_chi(H'), the eigenvalues on it and how the arcs end."""
    rows = []
    for s in res.subgroups:
        types = [t for t in res.types if t.sub == s.sub and t.irrep == s.irrep]
        ends = [a.end for t in types for a in t.arcs]
        met = sum(1 for t in types for a in t.arcs if a.end == "critical point" and a.end_radius > START_RADIUS)
        rows.append([partition_tex(s.sub), s.dim_fix, _chi(s.irrep), s.copies * s.multiplicity,
                     _values(t.eigenvalue for t in types), met, ends.count("fold") + ends.count("singular"),
                     ends.count("radius")])
    return Table(["$H'$", "$\\dim \\mathrm{Fix}(H')$", "$\\chi$", "$\\dim N_\\chi$", "eigenvalues $\\lambda$",
                  "met", "fold", "radius"], rows, align="lrlrlrrr")


def _hits_table(types: Sequence[ArcType]) -> Table:
    """The arcs that meet a critical point (other than W0): their type, side, radius and the point met."""
    rows = [[partition_tex(t.sub), _chi(t.irrep), sp.Float(t.eigenvalue, 4), "$+$" if a.sign > 0 else "$-$",
             sp.Float(a.end_radius, 4), sp.Float(a.hits[-1].point.loss_float, 6), a.hits[-1].point.index,
             partition_tex(a.hits[-1].point.isotropy)]
            for t in types for a in t.arcs if a.end == "critical point" and a.end_radius > START_RADIUS]
    return Table(["$H'$", "$\\chi$", "$\\lambda$", "side", "radius $r$", "loss $F$", "index", "isotropy"], rows,
                 align="llrcrrrl")


def _steps(d: Derivation, res: "ArcTypesResult", lead: str) -> None:
    d.add(lead + "the subgroups $H'$ with new directions, the dimension of $\\mathrm{Fix}(H')$, the irreducible "
          "$\\chi$ and the dimension of $N_\\chi(H')$, the Hessian eigenvalues on it (one arc type each) and how "
          "their arcs end (at a critical point, at a fold or a zero row, or at the largest radius):",
          _directions_table(res))
    hits = _hits_table(res.types)
    if hits.rows:
        d.add("The arcs that meet a critical point: the type, the side $\\pm v$, the radius, and the loss, index "
              "and isotropy type of the point met:", hits)


def _new_directions(k: int, W0: np.ndarray, parts: tuple[int, ...]):
    """For each split mu and irreducible with new directions: ``(sub, mu, irrep, N, M, eigenvalues, residual)``
    with N an orthonormal ``k^2 x n m`` basis of the new space and M the Hessian on it."""
    block, singles = block_pattern(k, parts)
    big = next(i for i, p in enumerate(parts) if p > 1)
    content = block_content(k, parts)
    lams = [c.irrep[big] for c in content]
    mult = {c.irrep[big]: c.multiplicity for c in content}
    V = np.eye(k)
    out = []
    for mu in _splits(parts[big]):
        sub = parts[:big] + mu + parts[big + 1:]
        sub_blocks = young_blocks(sub)
        mu_blocks = sub_blocks[big:big + len(mu)]
        rest = [b for i, b in enumerate(sub_blocks) if not big <= i < big + len(mu)]
        fix = _fix_stack(k, sub_blocks)
        larger = []
        for i in range(len(mu_blocks)):
            for j in range(i + 1, len(mu_blocks)):
                merged = [b for t, b in enumerate(mu_blocks) if t not in (i, j)] + [mu_blocks[i] + mu_blocks[j]]
                larger.append(_fix_stack(k, merged + rest))
        for lam in lams[1:]:
            S = _span(_project(fix, block, lam, lams))
            if not S.shape[1]:
                continue
            old = _span(np.concatenate([_project(F, block, lam, lams) for F in larger])) if larger else S[:, :0]
            N = _span((S - old @ (old.T @ S)).T)
            if not N.shape[1]:
                continue
            HN = np.array([hessian_vector_product(W0, V, col.reshape(k, k)).ravel() for col in N.T]).T
            M = N.T @ HN
            M = (M + M.T) / 2
            residual = float(np.linalg.norm(HN - N @ M) / max(1.0, np.linalg.norm(M)))
            out.append((sub, mu, lam, N, M, residual, mult[lam], young_fix_dimension(sub)))
    return out


def arc_types_cost(k: int, parts: Sequence[int], max_radius: float, step: float, starts: int) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of :func:`arc_types`: the search for the start point, compiling the reduced
    loss of each block pattern, and the arcs of each split (at most ``2 (3 + 2r)`` in the standard component, two
    in each other one), priced by :func:`~groups.landscape.tangency.arcs_cost` per arc times :data:`ARC_SHARE`,
    each with one classified hit. Measured (k = 10, radius 1.5, 60 starts, two cores shared): 35 s per
    :math:`\\Delta(S_9\\times S_1)` minimum and 14 s at :math:`\\Delta S_{10}`, against 57 s and 26 s estimated.

    >>> seconds, nbytes = arc_types_cost(10, (9, 1), 1.5, 0.02, 60)
    >>> 1 < seconds < 600 and nbytes < 2**30
    True
    """
    parts = tuple(parts)
    big = next(i for i, p in enumerate(parts) if p > 1)
    r = len(parts) - 1
    seconds, _, nbytes = search_cost(k, young_fix_dimension(parts), starts, blocks=len(parts))
    for mu in _splits(parts[big]):
        sub = parts[:big] + mu + parts[big + 1:]
        per_arc_all, each = arcs_cost(k, sub, max_radius, step)
        per_arc = ARC_SHARE * per_arc_all / (2 * young_fix_dimension(sub))
        arcs = 2 * (3 + 2 * r) * (len(mu) == 2) + 2 * (1 + (len(mu) == 2 and min(mu) >= 2))
        seconds += arcs * (per_arc + each) + 0.5 * len(sub) ** 2 / 4
    return seconds, nbytes


def _checked(k, at, max_radius, step, starts) -> tuple[int, tuple[int, ...]]:
    k = check_k(k)
    if not 0 < max_radius <= MAX_RADIUS:
        raise FlowAlgebraError(f"radius must be in (0, {MAX_RADIUS:g}], got {max_radius}")
    if not 0 < step <= MAX_RADIUS:
        raise FlowAlgebraError(f"the arc step must be in (0, {MAX_RADIUS:g}], got {step}")
    check_k(starts, "starts", 1, MAX_STARTS)
    if not isinstance(at, (str, tuple, list)):
        raise FlowAlgebraError(f"the start point is an isotropy type such as 5,1, got {shorten(repr(at))}")
    parts = parse_partition(at, k)
    if block_pattern(k, parts) is None:
        raise FlowAlgebraError(f"arc types need an isotropy of one block of size at least 4 and singletons "
                               f"(such as {k - 1},1 or {k}), got {','.join(map(str, parts))}")
    check_blocks(len(parts) + SPLIT_PARTS - 1)
    return k, parts


def _start_points(k: int, parts: tuple[int, ...], starts: int, seed: int) -> list[CriticalPoint]:
    """The critical points of isotropy exactly ``parts`` and positive loss: the spurious minima if any, by loss."""
    found = [cp for cp in find_critical_points(k, parts, starts=starts, seed=seed).points
             if cp.loss_float > 1e-12 and tuple(cp.isotropy) == parts]
    minima = [cp for cp in found if cp.spurious]
    if not (minima or found):
        raise FlowAlgebraError(f"no critical point of isotropy {young_label(parts)} other than W = I found "
                               f"(try more --starts)")
    return minima or found


def _trace(k: int, start: CriticalPoint, parts, max_radius, step, starts, seed, r0=1e-3, bar=None) -> ArcTypesResult:
    W0 = start.W
    spectrum = isotypic_block_spectrum(W0, parts)
    by_lam = {b.irrep: b.eigenvalues for b in spectrum.blocks}
    big = next(i for i, p in enumerate(parts) if p > 1)
    consistent = spectrum.consistent
    subgroups, types = [], []
    for sub, mu, lam, N, M, residual, m, dim in _new_directions(k, W0, parts):
        irrep = tuple(lam if i == big else (1,) for i in range(len(parts)))
        copies = N.shape[1] // m
        consistent &= residual <= RESIDUAL_TOL and N.shape[1] == copies * m
        subgroups.append(SubgroupDirections(sub, mu, (lam,), dim, copies, m))
        problem = reduced_problem(k, sub)
        D = problem.fix.sizes
        p0 = problem.fix.coordinates(W0)
        values, vecs = np.linalg.eigh(M)
        block_values = by_lam[irrep]
        for j, value in enumerate(values):
            consistent &= min(abs(value - b) for b in block_values) <= 1e-6 * max(1.0, abs(value))
            X = (N @ vecs[:, j]).reshape(k, k)
            v = problem.fix.coordinates(X)
            consistent &= bool(np.allclose(problem.fix.embed(v), X, atol=1e-9))
            t = ArcType(sub, mu, (lam,), float(value), copies)
            for sign in (1, -1):
                t.arcs.append(follow_arc(problem, D, p0, sign * v, float(value), sign, max_radius, step, r0))
                if bar is not None:
                    bar.update(1)
            types.append(t)
    return ArcTypesResult(k, start, parts, subgroups, types, bool(consistent), max_radius, step, starts, seed)


def arc_types(k: int, at: str | Sequence[int], max_radius: float = 1.5, starts: int = 60, seed: int = 0,
              step: float = 0.02, which: int = 0) -> ArcTypesResult:
    """Every admissible arc type (see the module text) at the critical point of isotropy ``at`` (its spurious
    minimum of rank ``which`` by loss, else its critical point of lowest positive loss), each traced to its end.
    ``at`` must be one block of size at least 4 and singletons; the cost is checked before any work."""
    k, parts = _checked(k, at, max_radius, step, starts)
    seconds, nbytes = arc_types_cost(k, parts, max_radius, step, starts)
    check_cost(f"the arc types at a critical point of isotropy {young_label(parts)}, k = {k}", seconds, nbytes,
               hint="lower --radius, --starts or --k")
    points = _start_points(k, parts, starts, seed)
    if not 0 <= which < len(points):
        raise FlowAlgebraError(f"{len(points)} start points of isotropy {young_label(parts)} found; which must be "
                               f"in 0..{len(points) - 1}, got {which}")
    with progress(total=None, desc="arc types", show=seconds > PROGRESS_SECONDS, unit="arc") as bar:
        return _trace(k, points[which], parts, max_radius, step, starts, seed, bar=bar)


def parse_k_range(text: str) -> range:
    """``"6..10"`` or ``"7"`` as a range of k (ASCII digits only), each k checked.

    >>> parse_k_range("6..8"), parse_k_range("7")
    (range(6, 9), range(7, 8))
    """
    if not isinstance(text, str):
        raise FlowAlgebraError(f"k is a number or a range such as 6..10, got {shorten(repr(text))}")
    ends = text.split("..")
    if len(ends) > 2:
        raise FlowAlgebraError(f"k is a number or a range such as 6..10, got {shorten(text)}")
    low, high = (parse_integers(e, "k", "a positive integer")[0] if e.strip() else -1 for e in (ends[0], ends[-1]))
    if low < 0 or high < 0 or high < low:
        raise FlowAlgebraError(f"k is a number or a range low..high with low <= high, got {shorten(text)}")
    for v in (low, high):
        check_k(v)
    return range(low, high + 1)


@dataclass(repr=False)
class ArcFamiliesResult(Result):
    """The arc types at the spurious minima of isotropy Delta(S_(k-1) x S_1) and Delta S_k, for a range of k."""

    ks: range
    results: list[ArcTypesResult]

    def families(self) -> dict[tuple[str, int], list[ArcTypesResult]]:
        """The results by family: ``("k-1,1", rank)`` for the rank-th Delta(S_(k-1) x S_1) minimum by loss, and
        ``("k", 0)`` for Delta S_k."""
        out: dict[tuple[str, int], list[ArcTypesResult]] = {}
        for res in self.results:
            same = [r for r in self.results if r.k == res.k and r.parts == res.parts]
            key = ("k" if len(res.parts) == 1 else "k-1,1", same.index(res))
            out.setdefault(key, []).append(res)
        return out

    def facts(self) -> list[dict]:
        """Per family (as :meth:`families`), from the data: the losses by k, the irreducible (relative to the block
        size p, e.g. ``"p-2,1,1"``) of the smallest new eigenvalue at each k, and for each irreducible the indices
        of the critical points its arcs meet (and at which k an index-1 saddle)."""
        out = []
        for (fam, rank), rs in self.families().items():
            met: dict[str, set[int]] = {}
            saddles: dict[str, list[int]] = {}
            for r in rs:
                for t in r.types:
                    for a in t.arcs:
                        if a.end == "critical point" and a.end_radius > START_RADIUS:
                            name = _relative(t.irrep[0])
                            met.setdefault(name, set()).add(a.hits[-1].point.index)
                            if a.hits[-1].point.index == 1 and r.k not in saddles.setdefault(name, []):
                                saddles[name].append(r.k)
            out.append({"family": fam, "rank": rank, "losses": {r.k: r.start.loss_float for r in rs},
                        "smallest": {r.k: _relative(min(r.types, key=lambda t: t.eigenvalue).irrep[0]) for r in rs},
                        "met_indices": {n: sorted(v) for n, v in sorted(met.items())},
                        "index_one_saddles": {n: v for n, v in sorted(saddles.items()) if v}})
        return out

    def shared(self) -> list[dict]:
        """Critical points met by arcs from two or more start points of one k (equal loss to 1e-9 relative, index
        and isotropy type): ``k``, ``loss``, ``index``, ``isotropy`` and the ``from`` list of ``(start isotropy, start
        loss, irreducible relative to p)``."""
        met: dict[tuple, list] = {}
        for r in self.results:
            for t in r.types:
                for a in t.arcs:
                    if a.end == "critical point" and a.end_radius > START_RADIUS:
                        cp = a.hits[-1].point
                        key = (r.k, float(f"{cp.loss_float:.9g}"), cp.index, tuple(cp.isotropy))
                        source = (list(r.parts), r.start.loss_float, _relative(t.irrep[0]))
                        if source not in met.setdefault(key, []):
                            met[key].append(source)
        return [{"k": k, "loss": loss, "index": index, "isotropy": list(iso), "from": sources}
                for (k, loss, index, iso), sources in sorted(met.items())
                if len({(tuple(s[0]), s[1]) for s in sources}) > 1]

    def comparison(self) -> list[str]:
        """The comparison of the families in plain text, one line each (from :meth:`facts`)."""
        lines = []
        for f in self.facts():
            label = "Delta S_k" if f["family"] == "k" else f"Delta(S_(k-1) x S_1) minimum #{f['rank'] + 1} by loss"
            ks = sorted(f["losses"])
            trend = "falls" if f["losses"][ks[-1]] < f["losses"][ks[0]] else "grows"
            smallest = sorted(set(f["smallest"].values()))
            saddles = "; ".join(f"[{n}] at k = {', '.join(map(str, v))}" for n, v in f["index_one_saddles"].items())
            loss = (f"loss {f['losses'][ks[0]]:.4g} (k = {ks[0]}) -> {f['losses'][ks[-1]]:.4g} (k = {ks[-1]}), {trend}"
                    if len(ks) > 1 else f"loss {f['losses'][ks[0]]:.4g} (k = {ks[0]})")
            lines.append(f"{label}: {loss}; smallest new eigenvalue on {', '.join(f'[{n}]' for n in smallest)}; "
                         f"index-1 saddles met along {saddles or 'no arc'}; indices met by irreducible: "
                         + (", ".join(f"[{n}] {v}" for n, v in f["met_indices"].items()) or "none"))
        return lines

    def to_json(self) -> dict:
        return {"ks": [self.ks[0], self.ks[-1]], "numeric": True, "results": [r.to_json() for r in self.results],
                "comparison": self.comparison(), "shared": self.shared(),
                "facts": [{**f, "losses": [{"k": k, "loss": v} for k, v in f["losses"].items()],
                           "smallest": [{"k": k, "irrep": n} for k, n in f["smallest"].items()]} for f in self.facts()]}

    def summary(self) -> str:
        shared = [f"k = {c['k']}: index {c['index']} {young_label(c['isotropy'])}, loss {c['loss']:.9g}, met from "
                  + " and ".join(f"{young_label(s[0])} (loss {s[1]:.6g}) along [{s[2]}]" for s in c["from"])
                  for c in self.shared()]
        return "\n".join([r.summary() for r in self.results] + ["comparison:"] + ["  " + c for c in self.comparison()]
                         + ["critical points met from two start points:"] + ["  " + c for c in shared or ["none"]])

    def derivation(self) -> Derivation:
        d = Derivation(f"Tangency-arc types at the spurious minima of isotropy {young_latex(('k - 1', 1))} and "
                       f"{young_latex(('k',))}, $k = {self.ks[0]}, \\dots, {self.ks[-1]}$" if len(self.ks) > 1 else
                       f"Tangency-arc types at the spurious minima of isotropy {young_latex(('k - 1', 1))} and "
                       f"{young_latex(('k',))}, {equals('k', self.ks[0])}", notation=_notation("k"))
        d.add(_method_text(self.results[0].parts, None) if self.results else "No start points.")
        d.add("The start points (spurious minima, numeric):", Table(
            ["$k$", "isotropy", "loss $F$", "arc types", "arcs meeting a critical point"],
            [[r.k, partition_tex(r.parts), sp.Float(r.start.loss_float, 8), len(r.types),
              r.ends().get("critical point", 0)] for r in self.results], align="rlrrr"))
        for k in self.ks:
            for r in (r for r in self.results if r.k == k):
                _steps(d, r, f"At {equals('k', k)}, the minimum of isotropy {inline(partition_tex(r.parts))} with "
                             f"loss {inline(sp.Float(r.start.loss_float, 8))}: ")
        parts = []
        for f in self.facts():
            ks = sorted(f["losses"])
            who = (f"The {young_latex(('k',))} minima" if f["family"] == "k" else
                   f"The {young_latex(('k - 1', 1))} minima{' of higher loss' if f['rank'] else ''}")
            trend = "falls" if f["losses"][ks[-1]] < f["losses"][ks[0]] else "grows"
            smallest = ", ".join(f"${_chi_relative(n)}$" for n in sorted(set(f["smallest"].values())))
            saddles = ", ".join(f"${_chi_relative(n)}$" + (f" (at {len(v)} of the {len(ks)} values of $k$)"
                                                            if len(ks) > 1 else "")
                                for n, v in f["index_one_saddles"].items())
            loss = (f"the loss {trend} from {inline(sp.Float(f['losses'][ks[0]], 4))} to "
                    f"{inline(sp.Float(f['losses'][ks[-1]], 4))}" if len(ks) > 1 else
                    f"the loss is {inline(sp.Float(f['losses'][ks[0]], 4))} at {equals('k', ks[0])}")
            parts.append(f"{who}: {loss}; the smallest new eigenvalue lies on {smallest}; arcs meet saddles of "
                         f"index $1$ along {saddles or 'no type'}.")
        shared = self.shared()
        if shared:
            d.add("Critical points met by arcs from two start points of the same $k$ (equal loss to nine digits, "
                  "index and isotropy type), with the start points and the irreducibles of their arcs:", Table(
                      ["$k$", "loss $F$", "index", "isotropy", "met from (isotropy, loss, $\\chi$)"],
                      [[c["k"], sp.Float(c["loss"], 8), c["index"], partition_tex(c["isotropy"]),
                        "; ".join(f"${partition_tex(s[0]).name}$, ${sp.latex(sp.Float(s[1], 5))}$, "
                                  f"${_chi_relative(s[2])}$" for s in c["from"])] for c in shared], align="rrrll"))
            parts.append(f"{len(shared)} {'critical point is' if len(shared) == 1 else 'critical points are'} met from "
                         "two start points of the same $k$ (table above).")
        d.conclusion = (" ".join(parts) + " Here $p$ is the size of the large block of the isotropy "
                        "(numeric backend).") if parts else "No spurious minima were found (numeric backend)."
        return d


def arc_families(ks: range | str = FAMILY_KS, max_radius: float = 1.5, starts: int = 60, step: float = 0.02,
                 seed: int = 0) -> ArcFamiliesResult:
    """:func:`arc_types` at every spurious minimum of isotropy Delta(S_(k-1) x S_1) and Delta S_k for each k in
    ``ks`` (search seed ``seed + k``), the whole cost checked first."""
    ks = parse_k_range(ks) if isinstance(ks, str) else ks
    if not isinstance(ks, range) or not len(ks):
        raise FlowAlgebraError(f"k is a range such as 6..10, got {shorten(repr(ks))}")
    plans = []
    seconds = nbytes = 0.0
    for k in ks:
        for parts in ((k - 1, 1), (k,)):
            k, parts = _checked(k, parts, max_radius, step, starts)
            s, b = arc_types_cost(k, parts, max_radius, step, starts)
            seconds, nbytes = seconds + 2 * s if len(parts) == 2 else seconds + s, max(nbytes, b)
            plans.append((k, parts))
    check_cost(f"the arc types of both families, k = {ks[0]}..{ks[-1]}", seconds, nbytes,
               hint="lower --radius, --starts or the range of --k")
    results = []
    with progress(total=None, desc="arc types", show=seconds > PROGRESS_SECONDS, unit="arc") as bar:
        for k, parts in plans:
            for cp in _start_points(k, parts, starts, seed + k):
                if cp.spurious:
                    results.append(_trace(k, cp, parts, max_radius, step, starts, seed + k, bar=bar))
    return ArcFamiliesResult(ks, results)
