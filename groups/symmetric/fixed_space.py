"""Isotropy subgroups and their fixed-point subspaces in :math:`\\mathbb{R}^{k\\times d}`.

The diagonal Young groups :math:`\\Delta(S_{p_1}\\times\\dots\\times S_{p_r})`
(the same permutation on rows and columns, preserving consecutive index
blocks of sizes ``p_1, ..., p_r``) are the isotropy types of the
teacher-student landscape with :math:`V = I_k`; any other subgroup of
:math:`S_k\\times S_d` can be given by generators
(:class:`~groups.symmetric.actions.MatrixGroup`).

The fixed-point subspace :math:`\\mathrm{Fix}(H)` is spanned, exactly, by the
0/1 indicator matrices of the orbits of ``H`` on entries; the coordinate of a
matrix along an orbit is the common value of its entries there.

>>> H = diagonal_young(4, (3, 1))
>>> fix = FixedSubspace(H)
>>> fix.dim
5
>>> fix.symbolic_matrix()
Matrix([
[x_0, x_1, x_1, x_2],
[x_1, x_0, x_1, x_2],
[x_1, x_1, x_0, x_2],
[x_3, x_3, x_3, x_4]])
>>> isotropy_type(np.eye(4))
(4,)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import sympy as sp

from algebra.present import Derivation, Result, Notation, element_of, inline, superscript, times
from algebra.errors import FlowAlgebraError
from groups.symmetric.actions import MatrixGroup, block_generators, young_blocks

#: the diagonal embedding, as notation
DELTA = Notation(r"\Delta")


def real_matrices(k: int, d: int) -> Notation:
    """The space of real k x d matrices, as notation."""
    return superscript(sp.Reals, times(k, d), parens=False)


#: refuse problem sizes beyond this (the Hessian has (k*d)^2 entries)
MAX_K = 60


def check_k(k: object, name: str = "k", low: int = 2, high: int = MAX_K) -> int:
    """``k`` as an int in ``[low, high]``, or a one-line :class:`FlowAlgebraError`."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise FlowAlgebraError(f"{name} must be an integer, got {k!r}")
    if not low <= int(k) <= high:
        raise FlowAlgebraError(f"{name} must be between {low} and {high}, got {k}")
    return int(k)


def parse_partition(text: str | Sequence[int], k: int) -> tuple[int, ...]:
    """An isotropy type ``"6,1"`` as a composition of ``k`` (parsed by hand, never eval'd).

    >>> parse_partition("5,1,1", 7)
    (5, 1, 1)
    >>> parse_partition("5,1", 7)
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: isotropy parts (5, 1) sum to 6, not k = 7
    """
    if isinstance(text, str):
        tokens = [tok.strip() for tok in text.split(",")]
        if not tokens or any(not tok.isdigit() for tok in tokens):
            raise FlowAlgebraError(f"isotropy must be positive integers separated by commas, got {text!r}")
        parts = tuple(int(tok) for tok in tokens)
    else:
        parts = tuple(text)
        if any(isinstance(p, bool) or not isinstance(p, (int, np.integer)) for p in parts):
            raise FlowAlgebraError(f"isotropy parts must be integers, got {parts!r}")
        parts = tuple(int(p) for p in parts)
    if not parts or any(p < 1 for p in parts):
        raise FlowAlgebraError(f"isotropy parts must be positive, got {parts}")
    if sum(parts) != k:
        raise FlowAlgebraError(f"isotropy parts {parts} sum to {sum(parts)}, not k = {k}")
    return parts


def young_label(parts: Sequence[int]) -> str:
    """``(6, 1) -> 'Delta(S_6 x S_1)'``; one block gives ``'Delta S_7'``."""
    if len(parts) == 1:
        return f"Delta S_{parts[0]}"
    return "Delta(" + " x ".join(f"S_{p}" for p in parts) + ")"


def young_latex(parts: Sequence[int]) -> str:
    """Inline math for the isotropy type, for prose statements."""
    if len(parts) == 1:
        return inline(sp.Mul(DELTA, sp.Symbol(f"S_{parts[0]}"), evaluate=False))
    return inline(times(*[sp.Symbol(f"S_{p}") for p in parts], wrap=DELTA))


def diagonal_young(k: int, parts: Sequence[int]) -> MatrixGroup:
    """:math:`\\Delta(S_{p_1}\\times\\dots\\times S_{p_r}) \\subset S_k\\times S_k` on consecutive blocks."""
    parts = parse_partition(tuple(parts), k)
    gens = [(g, g) for g in block_generators(k, young_blocks(parts))]
    return MatrixGroup(k, k, gens, name=young_label(parts))


@dataclass
class FixedSubspace:
    """:math:`\\mathrm{Fix}(H)`: orbits of ``H`` on entries, an exact basis and a parametrisation."""

    group: MatrixGroup
    orbits: list[list[tuple[int, int]]] = field(init=False)

    def __post_init__(self) -> None:
        self.orbits = self.group.entry_orbits()
        self._index = np.zeros((self.group.k, self.group.d), dtype=int)
        for o, orb in enumerate(self.orbits):
            for i, j in orb:
                self._index[i, j] = o
        self._sizes = np.array([len(o) for o in self.orbits], dtype=float)

    @property
    def dim(self) -> int:
        return len(self.orbits)

    @property
    def index(self) -> np.ndarray:
        """``index[i, j]`` = the orbit of entry ``(i, j)``."""
        return self._index

    @property
    def sizes(self) -> np.ndarray:
        return self._sizes

    def basis(self) -> list[sp.Matrix]:
        """The orbit indicator matrices (exact, 0/1): an orthogonal basis of Fix(H)."""
        out = []
        for orb in self.orbits:
            M = sp.zeros(self.group.k, self.group.d)
            for i, j in orb:
                M[i, j] = 1
            out.append(M)
        return out

    def symbols(self, prefix: str = "x") -> list[sp.Symbol]:
        return list(sp.symbols(f"{prefix}_0:{self.dim}", real=True))

    def symbolic_matrix(self, prefix: str = "x") -> sp.Matrix:
        """The general element of Fix(H), one symbol per orbit."""
        xs = self.symbols(prefix)
        return sp.Matrix(self.group.k, self.group.d, lambda i, j: xs[self._index[i, j]])

    def embed(self, p: Sequence[float]) -> np.ndarray:
        """The matrix with orbit values ``p``."""
        return np.asarray(p, dtype=float)[self._index]

    def coordinates(self, W: np.ndarray) -> np.ndarray:
        """Orbit averages of ``W``: the orthogonal projection onto Fix(H), in orbit coordinates."""
        sums = np.bincount(self._index.ravel(), weights=np.asarray(W, dtype=float).ravel(), minlength=self.dim)
        return sums / self._sizes

    def reduce_gradient(self, G: np.ndarray) -> np.ndarray:
        """Orbit sums of a gradient: the gradient of ``p -> F(embed(p))`` (chain rule)."""
        return np.bincount(self._index.ravel(), weights=np.asarray(G, dtype=float).ravel(), minlength=self.dim)

    def reduce_hessian(self, Hs: np.ndarray) -> np.ndarray:
        """``B^T Hs B`` for the orbit indicator basis ``B``: the Hessian of ``p -> F(embed(p))``."""
        n = self._index.size
        B = np.zeros((n, self.dim))
        B[np.arange(n), self._index.ravel()] = 1.0
        return B.T @ Hs @ B

    def orthonormal_basis(self) -> np.ndarray:
        """Columns: the orbit indicators scaled to unit Frobenius norm (float)."""
        n = self._index.size
        B = np.zeros((n, self.dim))
        B[np.arange(n), self._index.ravel()] = 1.0
        return B / np.sqrt(self._sizes)

    def contains(self, W: np.ndarray, tol: float = 1e-9) -> bool:
        return float(np.max(np.abs(self.embed(self.coordinates(W)) - W))) <= tol


def isotropy_blocks(W: np.ndarray, tol: float = 1e-9) -> list[list[int]]:
    """Index blocks of the largest diagonal Young group fixing a square ``W`` (transpositions test), largest first.

    A transposition ``(i j)`` acting on rows and columns fixes ``W`` iff
    swapping rows and columns ``i, j`` leaves it unchanged; the fixing
    transpositions form cliques (``(i j)(j l)(i j) = (i l)``), the blocks.
    """
    k = W.shape[0]
    parent = list(range(k))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in range(k):
        for j in range(i + 1, k):
            if find(i) == find(j):
                continue
            perm = list(range(k))
            perm[i], perm[j] = j, i
            if np.max(np.abs(W[np.ix_(perm, perm)] - W)) <= tol:
                parent[find(j)] = find(i)
    blocks: dict[int, list[int]] = {}
    for i in range(k):
        blocks.setdefault(find(i), []).append(i)
    return sorted(blocks.values(), key=lambda b: (-len(b), b[0]))


def isotropy_type(W: np.ndarray, tol: float = 1e-9) -> tuple[int, ...]:
    """Block sizes of :func:`isotropy_blocks`, largest first."""
    return tuple(len(b) for b in isotropy_blocks(W, tol))


def young_normal_form(W: np.ndarray, tol: float = 1e-9) -> tuple[np.ndarray, tuple[int, ...]]:
    """``(P W P^T, parts)`` with the isotropy blocks made consecutive (same orbit, same spectrum), so that
    the isotropy is the standard Delta(S_p1 x ... x S_pr).

    >>> W = np.diag([2.0, 1.0, 2.0])
    >>> young_normal_form(W)[1], np.diag(young_normal_form(W)[0]).tolist()
    ((2, 1), [2.0, 2.0, 1.0])
    """
    blocks = isotropy_blocks(W, tol)
    order = [i for b in blocks for i in b]
    return W[np.ix_(order, order)], tuple(len(b) for b in blocks)


def young_fix_dimension(parts: Sequence[int]) -> int:
    """:math:`\\dim\\mathrm{Fix}` by counting orbit types: diagonal, within-block, across blocks.

    >>> young_fix_dimension((6, 1)), young_fix_dimension((5, 1, 1))
    (5, 10)
    """
    r = len(parts)
    return sum(2 if p > 1 else 1 for p in parts) + r * (r - 1)


@dataclass(repr=False)
class FixDimResult(Result):
    """Dimension, exact basis and parametrisation of Fix(H): a diagonal Young group (``parts``) or a group
    given by generators (``parts`` is None)."""

    k: int
    d: int
    label: str
    parts: tuple[int, ...] | None
    order: int
    dim: int
    orbit_sizes: list[int]
    parametrisation: sp.Matrix
    generators: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "k": self.k, "d": self.d,
            "isotropy": list(self.parts) if self.parts else None,
            "generators": self.generators,
            "group": self.label,
            "order": self.order,
            "dim": self.dim,
            "orbit_sizes": self.orbit_sizes,
            "parametrisation": [[str(x) for x in row] for row in self.parametrisation.tolist()],
            "exact": True,
        }

    def summary(self) -> str:
        lines = [
            f"Fix({self.label}) in R^({self.k}x{self.d}): dimension {self.dim}",
            f"group order {self.order}; orbit sizes {self.orbit_sizes}",
        ]
        if self.k <= 8 and self.d <= 8:
            lines.append(sp.pretty(self.parametrisation, use_unicode=False))
        return "\n".join(lines)

    def derivation(self) -> Derivation:
        d = Derivation(f"Fixed-point subspace of {young_latex(self.parts) if self.parts else self.label}")
        group = young_latex(self.parts) if self.parts else f"H generated by {len(self.generators)} pairs of permutations"
        d.add(
            f"The group {group} of order {self.order} acts on {inline(element_of(sp.Symbol('W'), real_matrices(self.k, self.d)))} "
            "by $W \\mapsto P W Q^T$; its orbits on entries have sizes " + ", ".join(map(str, self.orbit_sizes)) + ".",
        )
        d.add("A matrix is fixed iff it is constant on every orbit, so the general fixed matrix is",
              self.parametrisation, "one parameter per orbit")
        d.conclusion = f"dim Fix = {self.dim} (exact: the orbit indicator matrices are a basis)."
        return d


def fixdim(k: int, isotropy: str | Sequence[int] | None = None, generators: Sequence[str] = (),
           d: int | None = None) -> FixDimResult:
    """The ``landscape fixdim`` result, for a Young type or for generators ``"ROWS:COLS"`` (image lists).

    >>> fixdim(7, "5,1,1").dim
    10
    >>> fixdim(3, generators=["1,2,0"]).dim      # diagonal 3-cycle: circulant matrices
    3
    """
    k = check_k(k)
    d = k if d is None else check_k(d, "d")
    if (isotropy is None) == (not generators):
        raise FlowAlgebraError("give either an isotropy type or generators (not both)")
    if isotropy is not None:
        if d != k:
            raise FlowAlgebraError(f"diagonal Young groups need k = d, got k = {k}, d = {d}")
        parts = parse_partition(isotropy, k)
        group = diagonal_young(k, parts)
        label = young_label(parts)
    else:
        from groups.symmetric.actions import parse_pair

        parts = None
        group = MatrixGroup(k, d, [parse_pair(g, k, d) for g in generators], name="H")
        label = "H = <" + "; ".join(generators) + ">"
    fix = FixedSubspace(group)
    return FixDimResult(k, d, label, parts, group.order(), fix.dim, [len(o) for o in fix.orbits], fix.symbolic_matrix(),
                        list(generators))
