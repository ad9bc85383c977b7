"""Isotropy subgroups and their fixed-point subspaces in :math:`\\mathbb{R}^{k\\times d}`.

The diagonal Young groups :math:`\\Delta(S_{p_1}\\times\\dots\\times S_{p_r})`
(:mod:`groups.symmetric.young`) are the isotropy types of the teacher-student landscape with
:math:`V = I_k`; any other subgroup of :math:`S_k\\times S_d` can be given by generators
(:class:`~groups.symmetric.actions.MatrixGroup`).

The fixed-point subspace :math:`\\mathrm{Fix}(H)` is spanned, exactly, by the
0/1 indicator matrices of the orbits of ``H`` on entries; the coordinate of a
matrix along an orbit is the common value of its entries there. Coordinates
have names: ``x_0, x_1, ...`` by default (orbits listed by their first entry),
or the Young coordinates ``x_a, y_a, z_ab`` of :meth:`FixedSubspace.young`.

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
>>> young = FixedSubspace.young((3, 1))
>>> young.names
('x_1', 'y_1', 'x_2', 'z_12', 'z_21')
>>> young.embed({"x_1": 1.0, "x_2": 1.0}).tolist() == np.eye(4).tolist()
True
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Notation, Result, element_of, inline, superscript, times
from groups.limits import PROGRESS_SECONDS, check_k, working
from groups.symmetric.actions import MatrixGroup, parse_generators
from groups.symmetric.notation import fix_tex, landscape_notation
from groups.symmetric.young import (diagonal_young, parse_partition, young_blocks, young_entry_name, young_label, young_latex,
                                  young_names)

__all__ = ["real_matrices", "FixedSubspace", "FixDimResult", "fixdim"]


def real_matrices(k: int, d: int):
    """The space of real k x d matrices, as notation."""
    return superscript(sp.Reals, times(k, d), parens=False)


@dataclass
class FixedSubspace:
    """:math:`\\mathrm{Fix}(H)`: orbits of ``H`` on entries, an exact basis and a parametrisation.

    ``orbits`` fixes the order of the coordinates (default: the orbits of ``H`` listed by their first
    entry) and ``names`` names them (default ``x_0, x_1, ...``); :meth:`young` gives the Young
    coordinates of a diagonal Young group.
    """

    group: MatrixGroup
    orbits: list[list[tuple[int, int]]] | None = None
    names: tuple[str, ...] | None = None
    #: the orbits given are known to be the group's (:meth:`young` builds them in closed form; sympy's orbits on
    #: the k^2 entries take a minute at k = 200)
    known_orbits: bool = field(default=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.orbits is None:
            self.orbits = self.group.entry_orbits()
        elif not self.known_orbits:
            self.orbits = [sorted(tuple(e) for e in orb) for orb in self.orbits]
            if sorted(self.orbits) != self.group.entry_orbits():
                raise FlowAlgebraError("the orbits given are not the orbits of the group on entries")
        self.names = tuple(f"x_{o}" for o in range(len(self.orbits))) if self.names is None else tuple(self.names)
        if len(self.names) != len(self.orbits) or len(set(self.names)) != len(self.names):
            raise FlowAlgebraError(f"Fix has {len(self.orbits)} coordinates: give as many distinct names, got {self.names}")
        self._index = np.zeros((self.group.k, self.group.d), dtype=int)
        for o, orb in enumerate(self.orbits):
            for i, j in orb:
                self._index[i, j] = o
        self._sizes = np.array([len(o) for o in self.orbits], dtype=float)

    @classmethod
    def young(cls, parts: Sequence[int]) -> FixedSubspace:
        """Fix(Delta(S_p1 x ... x S_pr)), ``k = sum(parts)``, in the Young coordinates of
        :func:`~groups.symmetric.young.young_names`: ``x_a`` on the diagonal of block ``a``, ``y_a`` off the
        diagonal inside it, ``z_ab`` in the rows of block ``a`` and the columns of block ``b``.

        >>> FixedSubspace.young((2, 2)).names
        ('x_1', 'y_1', 'x_2', 'y_2', 'z_12', 'z_21')
        """
        parts = tuple(parts)
        k = sum(parts) if all(isinstance(p, numbers.Integral) for p in parts) else 0
        parts = parse_partition(parts, k)
        group = diagonal_young(k, parts)
        blocks = young_blocks(parts)
        orbits = [[(i, i) for i in A] for A in blocks]   # the orbits in closed form: diagonal, within, across blocks
        orbits += [[(i, j) for i in A for j in A if i != j] for A in blocks if len(A) > 1]
        orbits += [[(i, j) for i in A for j in B] for A in blocks for B in blocks if A is not B]
        by_name = {young_entry_name(parts, *orb[0]): orb for orb in orbits}
        names = young_names(parts)
        return cls(group, [by_name[n] for n in names], names, known_orbits=True)

    @property
    def dim(self) -> int:
        return len(self.orbits)

    @property
    def index(self) -> np.ndarray:
        """``index[i, j]`` = the coordinate (orbit) of entry ``(i, j)``."""
        return self._index

    @property
    def sizes(self) -> np.ndarray:
        """The orbit sizes, coordinate by coordinate (float)."""
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

    def symbols(self, prefix: str | None = None) -> list[sp.Symbol]:
        """One real symbol per coordinate: named by :attr:`names`, or ``prefix_0, prefix_1, ...``."""
        if prefix is None:
            return [sp.Symbol(n, real=True) for n in self.names]
        return list(sp.symbols(f"{prefix}_0:{self.dim}", real=True))

    def symbolic_matrix(self, prefix: str | None = None) -> sp.Matrix:
        """The general element of Fix(H), one symbol per orbit (see :meth:`symbols`)."""
        xs = self.symbols(prefix)
        return sp.Matrix(self.group.k, self.group.d, lambda i, j: xs[self._index[i, j]])

    def embed(self, p: Sequence[float] | Mapping[str, float]) -> np.ndarray:
        """The matrix with coordinates ``p``: a sequence in the order of :attr:`names`, or a mapping from
        names to values (names left out are 0)."""
        if isinstance(p, Mapping):
            unknown = set(p) - set(self.names)
            if unknown:
                raise FlowAlgebraError(f"unknown coordinates {sorted(unknown)}; Fix has {', '.join(self.names)}")
            p = [p.get(n, 0.0) for n in self.names]
        return np.asarray(p, dtype=float)[self._index]

    def coordinates(self, W: np.ndarray) -> np.ndarray:
        """Orbit averages of ``W``: the orthogonal projection onto Fix(H), in orbit coordinates."""
        sums = np.bincount(self._index.ravel(), weights=np.asarray(W, dtype=float).ravel(), minlength=self.dim)
        return sums / self._sizes

    def named_coordinates(self, W: np.ndarray) -> dict[str, float]:
        """:meth:`coordinates` by name."""
        return {n: float(v) for n, v in zip(self.names, self.coordinates(W))}

    def reduce_gradient(self, G: np.ndarray) -> np.ndarray:
        """Orbit sums of a gradient: the gradient of ``p -> F(embed(p))`` (chain rule)."""
        return np.bincount(self._index.ravel(), weights=np.asarray(G, dtype=float).ravel(), minlength=self.dim)

    def _indicators(self) -> np.ndarray:
        n = self._index.size
        B = np.zeros((n, self.dim))
        B[np.arange(n), self._index.ravel()] = 1.0
        return B

    def reduce_hessian(self, Hs: np.ndarray) -> np.ndarray:
        """``B^T Hs B`` for the orbit indicator basis ``B``: the Hessian of ``p -> F(embed(p))``."""
        B = self._indicators()
        return B.T @ Hs @ B

    def orthonormal_basis(self) -> np.ndarray:
        """Columns: the orbit indicators scaled to unit Frobenius norm (float)."""
        return self._indicators() / np.sqrt(self._sizes)

    def contains(self, W: np.ndarray, tol: float = 1e-9) -> bool:
        return float(np.max(np.abs(self.embed(self.coordinates(W)) - W))) <= tol


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
        group = young_latex(self.parts) if self.parts else "$H$"
        d = Derivation(f"Fixed-point subspace of {group}", notation=landscape_notation(self.k, self.d, [
            "the parameters $x_0, x_1, \\dots$ of $\\mathrm{Fix}(H)$ are numbered from $0$, one per orbit of $H$ on "
            "the entries, in the order of the orbits' first entries (row by row)"]))
        given = "" if self.parts else f" (generated by {len(self.generators)} pairs of permutations)"
        sizes = ", ".join(map(str, self.orbit_sizes))
        d.add(f"The group {group}{given} of order {self.order} acts on "
              f"{inline(element_of(sp.Symbol('W'), real_matrices(self.k, self.d)))} by $W \\mapsto P W Q^T$; its "
              f"{len(self.orbit_sizes)} orbits on the entries of $W$ have sizes {sizes}.")
        d.add("A matrix is fixed if and only if it is constant on every orbit, so the general fixed matrix, with one "
              "parameter per orbit, is", sp.Eq(sp.Symbol("W"), self.parametrisation, evaluate=False))
        dim = Notation(f"\\dim {fix_tex(self.parts or 'H')}")
        d.conclusion = f"{inline(sp.Eq(dim, self.dim))} (exact: the orbit indicator matrices are a basis)."
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
        parts = None
        group = MatrixGroup(k, d, parse_generators(generators, k, d), name="H")
        label = "H = <" + "; ".join(generators) + ">"
    fix = FixedSubspace(group)
    if parts is not None:
        order = math.prod(math.factorial(p) for p in parts)
    else:
        with working(f"group order (Schreier-Sims on {k + d} points)", show=group.order_seconds() > PROGRESS_SECONDS):
            order = group.order()
    return FixDimResult(k, d, label, parts, order, fix.dim, [len(o) for o in fix.orbits], fix.symbolic_matrix(),
                        list(generators))
