"""Isotypic decomposition of :math:`\\mathbb{R}^{k\\times k}` under a diagonal Young group, and of Hessians.

:math:`H = \\Delta(S_{p_1}\\times\\dots\\times S_{p_r})` acts on
:math:`\\mathbb{R}^{k\\times k} = \\mathbb{R}^k\\otimes\\mathbb{R}^k` with
character :math:`\\chi(g) = \\mathrm{fix}(g)^2`. Its irreducibles are outer
tensor products :math:`[\\lambda^1]\\otimes\\dots\\otimes[\\lambda^r]`; only
those with at most two boxes below the first row of each
:math:`\\lambda^a` occur. Multiplicities come exactly from character inner
products (:mod:`groups.symmetric.characters`), factor by factor:
:math:`\\langle (\\sum_a f_a)^2, \\prod_a\\chi^{\\lambda^a}\\rangle` expands into
products of :math:`\\langle f_a^j, \\chi^{\\lambda^a}\\rangle_{S_{p_a}}`, ``j = 0, 1, 2``.

A Hessian at a point with isotropy H commutes with the action, so it
preserves every isotypic component; on the component of an irreducible of
degree :math:`d_\\chi` occurring :math:`m_\\chi` times it has :math:`m_\\chi`
eigenvalues, each of multiplicity :math:`d_\\chi` (generically). Two routes:

- exact projection operators :math:`P_\\chi = \\frac{d_\\chi}{|H|}\\sum_g \\chi(g)\\rho(g)` (rational
  matrices; small groups only), then the Hessian restricted to each range;
- for large groups, the character of each Hessian eigenspace on the classes
  of H, decomposed by inner products (numeric traces, rounded to integers
  and checked).

This module is representation theory only: it splits a given matrix. The Hessians of the
teacher-student loss (at :math:`W = I`, exactly, and at critical points) are computed in
:mod:`groups.landscape.hessian`.

>>> [(irrep_label(c.irrep), c.dim, c.multiplicity) for c in decompose_square(4, (4,))]
[('[4]', 1, 2), ('[3,1]', 3, 3), ('[2^2]', 2, 1), ('[2,1^2]', 3, 1)]
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Sequence

import numpy as np
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Notation, Result, Table, cite, inline
from algebra.exact.encoding import exact_json
from groups.limits import PROGRESS_SECONDS, check_cost, eigh_cost, progress, shorten
from groups.symmetric.characters import (centralizer_order, character, class_average, dimension, near_trivial_partitions,
                                         partition_count, partition_label, partitions)
from groups.symmetric.fixed_space import real_matrices
from groups.symmetric.notation import equals, isotypic_notation
from groups.symmetric.young import parse_partition, young_blocks, young_label, young_latex

__all__ = ["Irrep", "PROJECTOR_LIMIT", "irrep_label", "irrep_dimension", "irrep_character", "IrrepMultiplicity",
           "decompose_square", "class_representatives", "eigenspace_irreps", "young_elements", "isotypic_projectors",
           "IsotypicBlock", "BLOCK_METHOD", "HessianDecomposition", "EIGENVALUE_ZERO", "irrep_tex", "decomposition_cost", "decompose_hessian"]

Irrep = tuple[tuple[int, ...], ...]

#: largest group order for which exact projection operators are built by summing over the group
PROJECTOR_LIMIT = 40_320


def irrep_label(irrep: Irrep) -> str:
    return "x".join(partition_label(lam) for lam in irrep)


def irrep_dimension(irrep: Irrep) -> int:
    return math.prod(dimension(lam) for lam in irrep)


def irrep_character(irrep: Irrep, cycle_types: Sequence[tuple[int, ...]]) -> int:
    return math.prod(character(lam, mu) for lam, mu in zip(irrep, cycle_types))


@dataclass(frozen=True)
class IrrepMultiplicity:
    irrep: Irrep
    dim: int
    multiplicity: int


def _moments(p: int, lam: tuple[int, ...]) -> list[Fraction]:
    """:math:`\\langle \\mathrm{fix}^j, \\chi^\\lambda\\rangle_{S_p}` for ``j = 0, 1, 2``."""
    return [class_average(p, lambda mu, j=j: list(mu).count(1) ** j, lam) for j in range(3)]


def decompose_square(k: int, parts: Sequence[int]) -> list[IrrepMultiplicity]:
    """Exact multiplicities of the irreducibles of Delta(S_p1 x ... x S_pr) in R^{k x k}."""
    return list(_decompose_square(k, parse_partition(tuple(parts), k)))


@lru_cache(maxsize=None)
def _decompose_square(k: int, parts: tuple[int, ...]) -> tuple[IrrepMultiplicity, ...]:
    r = len(parts)
    candidates = [near_trivial_partitions(p, 2) for p in parts]
    moments = [{lam: _moments(p, lam) for lam in cands} for p, cands in zip(parts, candidates)]
    exponents = [e for e in itertools.product(range(3), repeat=r) if sum(e) == 2]
    out = []
    for irrep in itertools.product(*candidates):
        total = Fraction(0)
        for e in exponents:
            coef = math.factorial(2) // math.prod(math.factorial(x) for x in e)
            total += coef * math.prod(moments[a][irrep[a]][e[a]] for a in range(r))
        if total.denominator != 1:
            raise ArithmeticError(f"non-integral multiplicity {total} for {irrep}")
        if total:
            out.append(IrrepMultiplicity(tuple(irrep), irrep_dimension(irrep), int(total)))
    if sum(c.dim * c.multiplicity for c in out) != k * k:
        raise ArithmeticError("isotypic dimensions do not add up to k^2")
    return tuple(out)


def _cycle_permutation(block: Sequence[int], mu: Sequence[int]) -> dict[int, int]:
    """A permutation of ``block`` with cycle type ``mu``."""
    perm, pos = {}, 0
    for length in mu:
        cyc = block[pos:pos + length]
        for a, b in zip(cyc, cyc[1:] + cyc[:1]):
            perm[a] = b
        pos += length
    return perm


def class_representatives(parts: Sequence[int]) -> list:
    """``(cycle types per block, weight 1/prod z, entry permutation of k*k)`` for every class of the Young group."""
    return list(_class_representatives(tuple(parts)))


@lru_cache(maxsize=8)
def _class_representatives(parts: tuple[int, ...]) -> tuple:
    return tuple(_iter_classes(parts))


def _iter_classes(parts: tuple[int, ...]):
    k = sum(parts)
    blocks = young_blocks(parts)
    for types in itertools.product(*(list(partitions(p)) for p in parts)):
        perm: dict[int, int] = {}
        for block, mu in zip(blocks, types):
            perm.update(_cycle_permutation(block, mu))
        s = np.array([perm[i] for i in range(k)])
        entry = (s[:, None] * k + s[None, :]).ravel()
        weight = 1.0 / math.prod(centralizer_order(mu) for mu in types)
        yield types, weight, entry


def eigenspace_irreps(Q: np.ndarray, parts: Sequence[int], irreps: Sequence[Irrep], classes=None,
                      tol: float = 1e-6) -> dict[Irrep, int]:
    """Irreducible content of the H-invariant subspace spanned by the orthonormal columns of ``Q``.

    Raises ``ArithmeticError`` if the character is not an integer combination
    of irreducibles (the subspace is not invariant, or eigenvalues were mis-clustered).
    """
    classes = class_representatives(parts) if classes is None else classes
    traces = [(types, weight, float(np.sum(Q[entry] * Q))) for types, weight, entry in classes]
    content: dict[Irrep, int] = {}
    for irrep in irreps:
        value = sum(weight * tr * irrep_character(irrep, types) for types, weight, tr in traces)
        count = round(value)
        if abs(value - count) > tol:
            raise ArithmeticError(f"eigenspace character has non-integral multiplicity {value} of {irrep}")
        if count:
            content[irrep] = count
    if sum(irrep_dimension(i) * c for i, c in content.items()) != Q.shape[1]:
        raise ArithmeticError("eigenspace is not a sum of the expected irreducibles")
    return content


def young_elements(parts: Sequence[int]):
    """Every element of the Young group as ``(cycle types, permutation of 0..k-1)``."""
    blocks = young_blocks(parts)
    for images in itertools.product(*(itertools.permutations(b) for b in blocks)):
        perm = [0] * sum(parts)
        types = []
        for block, img in zip(blocks, images):
            mapping = dict(zip(block, img))
            for i in block:
                perm[i] = mapping[i]
            types.append(_cycle_type(mapping))
        yield tuple(types), perm


def _cycle_type(mapping: dict[int, int]) -> tuple[int, ...]:
    seen, lengths = set(), []
    for start in mapping:
        if start in seen:
            continue
        n, x = 0, start
        while x not in seen:
            seen.add(x)
            x = mapping[x]
            n += 1
        lengths.append(n)
    return tuple(sorted(lengths, reverse=True))


def isotypic_projectors(k: int, parts: Sequence[int]) -> dict[Irrep, sp.Matrix]:
    """Exact projection operators :math:`P_\\chi` on :math:`\\mathbb{R}^{k^2}` (rational sympy matrices).

    >>> P = isotypic_projectors(3, (3,))
    >>> sorted((irrep_label(i), M.rank()) for i, M in P.items())
    [('[1^3]', 1), ('[2,1]', 6), ('[3]', 2)]
    """
    parts = parse_partition(tuple(parts), k)
    order = math.prod(math.factorial(p) for p in parts)
    if order > PROJECTOR_LIMIT:
        raise FlowAlgebraError(f"group of order {order} is too large for explicit projectors (limit {PROJECTOR_LIMIT})")
    check_cost(f"exact projectors of {young_label(parts)} on R^({k}x{k})", *_projector_cost(k, parts),
               hint="use --method characters")
    irreps = [c.irrep for c in decompose_square(k, parts)]
    sums = {irrep: np.zeros((k * k, k * k), dtype=np.int64) for irrep in irreps}
    idx = np.arange(k * k)
    for types, perm in young_elements(parts):
        s = np.array(perm)
        entry = (s[:, None] * k + s[None, :]).ravel()
        for irrep in irreps:
            chi = irrep_character(irrep, types)
            if chi:
                sums[irrep][entry, idx] += chi
    return {irrep: sp.Matrix(sums[irrep]) * sp.Rational(irrep_dimension(irrep), order) for irrep in irreps}


@dataclass
class IsotypicBlock:
    irrep: Irrep
    dim: int
    multiplicity: int
    eigenvalues: list[float]  # the m_chi eigenvalues of the Hessian on this component
    exact: list[sp.Expr] | None = None  # exact eigenvalues when the Hessian is exact (W = I)

    def to_json(self) -> dict:
        out = {"irrep": irrep_label(self.irrep), "dim": self.dim, "multiplicity": self.multiplicity,
               "eigenvalues": self.eigenvalues}
        if self.exact is not None:
            out["exact"] = [exact_json(e) for e in self.exact]
        return out


#: the ``method`` of a decomposition computed block by block (:mod:`groups.landscape.isotypic_blocks`)
BLOCK_METHOD = "isotypic blocks"


@dataclass(repr=False)
class HessianDecomposition(Result):
    """Hessian eigenvalues sorted by the isotypic component they live on."""

    k: int
    parts: tuple[int, ...]
    point: str
    method: str
    blocks: list[IsotypicBlock]
    consistent: bool
    #: the point in prose for documents (math in ``$...$``); ``point`` is the plain-text name
    point_latex: str = ""

    def eigenvalue_table(self) -> list[tuple[float, int, str]]:
        """``(eigenvalue, multiplicity, irrep label)`` sorted by eigenvalue."""
        return [(ev, m, irrep_label(irrep)) for ev, m, irrep in self._rows()]

    def to_json(self) -> dict:
        return {
            "k": self.k, "isotropy": list(self.parts), "group": young_label(self.parts), "point": self.point,
            "method": self.method, "numeric_eigenvalues": True, "exact_multiplicities": True,
            "consistent": self.consistent,
            "components": [b.to_json() for b in self.blocks],
            "eigenvalues": [{"value": v, "multiplicity": m, "irrep": lab} for v, m, lab in self.eigenvalue_table()],
        }

    def summary(self) -> str:
        lines = [f"Hessian at {self.point} (k = {self.k}), isotypic components of {young_label(self.parts)} "
                 f"[{self.method}; multiplicities exact, eigenvalues numeric]"]
        for b in self.blocks:
            evs = ", ".join(f"{v:.8g}" for v in b.eigenvalues)
            lines.append(f"  {irrep_label(b.irrep):>14}  dim {b.dim:>4} x mult {b.multiplicity}: {evs}")
            if b.exact is not None:
                lines.append(f"  {'':>14}  exact: " + ", ".join(sp.sstr(e) for e in b.exact))
        lines.append("multiplicities match representation theory: " + ("yes" if self.consistent else "NO"))
        return "\n".join(lines)

    def derivation(self) -> Derivation:
        group = young_latex(self.parts)
        d = Derivation(f"Isotypic decomposition of the Hessian at {self.point_latex or self.point}, "
                       f"{equals('k', self.k)}", notation=isotypic_notation(self.k))
        d.add(f"The isotropy group $H = {group.strip('$')}$ acts on {inline(real_matrices(self.k, self.k))} by "
              "$W \\mapsto P W P^T$ with character $\\chi(g) = \\mathrm{fix}(g)^2$ ($\\mathrm{fix}(g)$ the number of "
              "fixed points of $g$); its inner products with the irreducible characters (Murnaghan-Nakayama rule) "
              "give the decomposition, exactly. The Hessian commutes with $H$, so it preserves every isotypic "
              "component: on the component of an irreducible $\\chi$ of degree $\\chi(1)$ occurring $m$ times it has "
              f"$m$ eigenvalues, each of multiplicity $\\chi(1)$ {cite('arjevani2020')}.",
              Table(["irreducible $\\chi$", "degree $\\chi(1)$", "copies $m$", "Hessian eigenvalues (numeric)"],
                    [[irrep_tex(b.irrep), b.dim, b.multiplicity, _values(b.eigenvalues)] for b in self.blocks],
                    align="lrrl"))
        if self.method == BLOCK_METHOD:
            d.add("The full Hessian was not formed: on the component of $\\chi$ it is $I_{\\chi(1)} \\otimes M_\\chi$, "
                  "and the $m \\times m$ matrix $M_\\chi = B^T \\nabla^2 F\\, B$ comes from Hessian-vector products "
                  "with an orthonormal basis $B$ of $u \\otimes \\mathbb{R}^m$, the images of one vector $u$ of the "
                  "irreducible under the equivariant embeddings (trivial: a basis of the fixed space; standard: "
                  "$u 1^T$, $1 u^T$, $\\mathrm{diag}(u)$ and their singleton analogues; the two others: "
                  "$u u'^T \\pm u' u^T$) " + cite('arjevani2020') + ".")
        negative = sum(b.dim for b in self.blocks for v in b.eigenvalues if v < -EIGENVALUE_ZERO)
        zero = sum(b.dim for b in self.blocks for v in b.eigenvalues if abs(v) <= EIGENVALUE_ZERO)
        d.add(f"Counted with multiplicity the spectrum has {negative} negative and {zero} zero eigenvalues among the "
              f"{sum(b.dim * len(b.eigenvalues) for b in self.blocks)} (the dimension ${self.k}^2$ of "
              f"{inline(real_matrices(self.k, self.k))}).")
        exact = [(b, e) for b in self.blocks if b.exact is not None for e in b.exact]
        if exact:
            d.add("At $W = V = I$ the Hessian is exact (entries in $\\mathbb{Q} + \\mathbb{Q}/\\pi$). On the isotypic "
                  "component of $\\chi = \\chi_\\lambda$ it acts on $P_\\chi \\mathrm{Fix}(S_\\lambda)$, the "
                  "projection of the vectors fixed by the Young subgroup $S_\\lambda$ (of dimension $m$, since the "
                  "Kostka number $K_{\\lambda\\lambda}$ is $1$), by an exact $m \\times m$ matrix, whose eigenvalues are:",
                  Table(["irreducible $\\chi$", "eigenvalue (exact)", "value"],
                        [[irrep_tex(b.irrep), e, sp.Float(sp.N(e, 10), 8)] for b, e in exact], align="lll"))
        d.conclusion = ("The eigenvalue multiplicities are the degrees of the irreducibles, as representation theory "
                        "predicts." if self.consistent else "The multiplicities do not match the degrees: see the table.")
        return d

    def _rows(self) -> list[tuple[float, int, Irrep]]:
        return sorted(((ev, b.dim, b.irrep) for b in self.blocks for ev in b.eigenvalues), key=lambda r: r[0])


#: eigenvalues of absolute value at most this count as zero in the derivation's count
EIGENVALUE_ZERO = 1e-9


def irrep_tex(irrep: Irrep) -> Notation:
    r"""An irreducible of a product of symmetric groups as math: :math:`\chi_{(3,1)} \times \chi_{(1)}`.

    >>> print(irrep_tex(((3, 1), (1,))))
    \chi_{(3,1)} \times \chi_{(1)}
    """
    return Notation(" \\times ".join("\\chi_{(" + ",".join(map(str, lam)) + ")}" for lam in irrep))


#: eigenvalues per line of a table cell
VALUES_PER_LINE = 5


def _values(values: Sequence[float]) -> Notation:
    """Eigenvalues as one math cell, six significant digits each, :data:`VALUES_PER_LINE` to a line.

    >>> print(_values([1.0, 2.5]))
    1.0, 2.5
    """
    if not values:
        return Notation("\\text{none found}")
    texts = [sp.latex(sp.Float(v, 6)) for v in values]
    if len(texts) <= VALUES_PER_LINE:
        return Notation(", ".join(texts))
    n = VALUES_PER_LINE
    lines = [", ".join(texts[i:i + n]) for i in range(0, len(texts), n)]
    return Notation("\\begin{array}[t]{@{}l@{}}" + ", \\\\ ".join(lines) + "\\end{array}")


def _orthonormal_range(P: np.ndarray, rank: int) -> np.ndarray:
    vals, vecs = np.linalg.eigh(P)
    return vecs[:, np.argsort(vals)[::-1][:rank]]


def _projector_cost(k: int, parts: tuple[int, ...]) -> tuple[float, float]:
    """``(seconds, bytes)`` of the exact projectors: a sum over the group into integer k^2 x k^2 matrices, one
    per irreducible, then sympy matrices of k^4 entries each (about 8 microseconds and 200 bytes an entry)."""
    order = math.prod(math.factorial(p) for p in parts)
    if order > PROJECTOR_LIMIT:
        return math.inf, math.inf
    irreps = len(decompose_square(k, parts))
    entries = irreps * float(k) ** 4
    return 8e-6 * entries + 1e-7 * order * irreps * k * k + irreps * eigh_cost(k * k)[0], 200.0 * entries


def _character_cost(k: int, parts: tuple[int, ...]) -> tuple[float, float]:
    """``(seconds, bytes)`` of the character route: one eigendecomposition of the k^2 x k^2 Hessian, then a
    trace over the eigenvectors for every conjugacy class of the group (``prod p(p_a)`` classes, each holding an
    entry permutation of k^2 integers), after the exact multiplicities (characters summed over the classes of
    each block)."""
    classes = math.prod(partition_count(p) for p in parts)
    seconds, nbytes = eigh_cost(k * k)
    seconds += 3e-4 * sum(partition_count(p) for p in parts)
    return (seconds + classes * (2.5e-9 * float(k) ** 4 + 2e-4),   # measured: k = 40 165 s, 0.76 GB; k = 43 533 s
            nbytes + classes * (10.0 * k * k + 3000.0) + 16.0 * float(k) ** 4)


def decomposition_cost(k: int, parts: Sequence[int], method: str | None = None) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of :func:`decompose_hessian` (``method`` None: the one it would choose).

    >>> decomposition_cost(40, (40,))[1] > 4e8       # 37338 classes of S_40, each a permutation of 1600 entries
    True
    """
    parts = parse_partition(tuple(parts), k)
    method = _check_method(k, parts, method)
    return _projector_cost(k, parts) if method == "projectors" else _character_cost(k, parts)


def _check_method(k: int, parts: tuple[int, ...], method: str | None) -> str:
    """The method to use: ``method`` if it is possible for this group, else a one-line error; None: the default."""
    if method not in (None, "projectors", "characters"):
        raise FlowAlgebraError(f"method must be 'projectors' or 'characters', got {shorten(repr(method))}")
    method = method or _default_method(k, parts)
    order = math.prod(math.factorial(p) for p in parts)
    if method == "projectors" and order > PROJECTOR_LIMIT:
        raise FlowAlgebraError(f"group of order {order} is too large for explicit projectors (limit "
                               f"{PROJECTOR_LIMIT}): use --method characters")
    return method


def _default_method(k: int, parts: tuple[int, ...]) -> str:
    """Exact projectors for small groups whose projectors are cheap (order at most 5040), characters otherwise."""
    order = math.prod(math.factorial(p) for p in parts)
    if order <= 5040 and _projector_cost(k, parts)[0] <= PROGRESS_SECONDS:
        return "projectors"
    return "characters"


def decompose_hessian(Hs: np.ndarray, k: int, parts: Sequence[int], point: str = "W",
                      method: str | None = None, tol: float = 1e-7, point_latex: str = "") -> HessianDecomposition:
    """Split the Hessian by isotypic components of Delta(S_p1 x ... x S_pr) (the point must be fixed by it).

    The cost (:func:`decomposition_cost`) is checked first: over the limits of :mod:`groups.limits` it is
    refused in one line; long work shows a progress bar on stderr.
    """
    parts = parse_partition(tuple(parts), k)
    method = _check_method(k, parts, method)
    show = check_cost(f"the isotypic decomposition by {method} of {young_label(parts)} (k = {k})",
                      *decomposition_cost(k, parts, method),
                      hint="lower --k" if method == "characters" else "use --method characters")
    content = decompose_square(k, parts)
    blocks: list[IsotypicBlock] = []
    consistent = True
    if method == "projectors":
        projectors = isotypic_projectors(k, parts)
        for c in progress(content, desc="isotypic components", show=show, unit="irrep"):
            P = np.array(projectors[c.irrep].evalf(), dtype=float)
            Q = _orthonormal_range(P, c.dim * c.multiplicity)
            evs = np.linalg.eigvalsh(Q.T @ Hs @ Q)
            groups = _split_equal(evs, c.dim, tol)
            consistent &= groups is not None
            blocks.append(IsotypicBlock(c.irrep, c.dim, c.multiplicity,
                                        groups if groups is not None else [float(v) for v in evs]))
    else:
        irreps = [c.irrep for c in content]
        classes = class_representatives(parts)
        found: dict[Irrep, list[float]] = {c.irrep: [] for c in content}
        vals, vecs = np.linalg.eigh(Hs)
        start = 0
        with progress(total=len(vals), desc="eigenspaces", show=show, unit="eigenvalue") as bar:
            while start < len(vals):
                stop = start + 1
                while stop < len(vals) and abs(vals[stop] - vals[start]) <= tol * max(1.0, abs(vals[start])):
                    stop += 1
                try:
                    part = eigenspace_irreps(vecs[:, start:stop], parts, irreps, classes)
                except ArithmeticError:
                    consistent = False
                    part = {}
                for irrep, count in part.items():
                    found[irrep].extend([float(np.mean(vals[start:stop]))] * count)
                bar.update(stop - start)
                start = stop
        for c in content:
            consistent &= len(found[c.irrep]) == c.multiplicity
            blocks.append(IsotypicBlock(c.irrep, c.dim, c.multiplicity, sorted(found[c.irrep])))
    return HessianDecomposition(k, parts, point, method, blocks, bool(consistent), point_latex)


def _split_equal(evs: np.ndarray, size: int, tol: float) -> list[float] | None:
    """Eigenvalues in runs of ``size`` equal values -> one value per run, or None."""
    evs = np.sort(evs)
    if len(evs) % size:
        return None
    out = []
    for i in range(0, len(evs), size):
        run = evs[i:i + size]
        if run[-1] - run[0] > tol * max(1.0, abs(run[0])):
            return None
        out.append(float(np.mean(run)))
    return out

