"""Diagonal Young groups :math:`\\Delta(S_{p_1}\\times\\dots\\times S_{p_r}) \\subset S_k\\times S_k`: block sizes,
generators, names, the isotropy type of a matrix, and the names of the Young coordinates.

The group permutes rows and columns by the same permutation, preserving the consecutive index blocks
of sizes ``p_1, ..., p_r``; these are the isotropy types of the teacher-student landscape with
:math:`V = I_k` (Arjevani & Field, *Symmetry & critical points for a model shallow neural network*,
2020). Its orbits on the entries of a ``k x k`` matrix are the diagonal of block ``a`` (coordinate
:math:`x_a`), the off-diagonal entries inside block ``a`` (:math:`y_a`, absent if :math:`p_a = 1`) and
the entries in the rows of block ``a`` and the columns of block ``b \\ne a`` (:math:`z_{ab}`): the
Young coordinates of the fixed-point subspace
(:meth:`FixedSubspace.young <groups.symmetric.fixed_space.FixedSubspace.young>`).

>>> parse_partition("3,1", 4)
(3, 1)
>>> young_label((3, 1)), young_fix_dimension((3, 1))
('Delta(S_3 x S_1)', 5)
>>> young_names((3, 1))
('x_1', 'y_1', 'x_2', 'z_12', 'z_21')
>>> diagonal_young(4, (3, 1)).order()
6
>>> isotropy_type(np.diag([2.0, 1.0, 2.0]))
(2, 1)
"""
from __future__ import annotations

import functools
import itertools
import numbers
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from algebra.errors import FlowAlgebraError
from algebra.lazy import lazy_module
from algebra.present import inline, times
from groups.limits import parse_integers, shorten

if TYPE_CHECKING:  # sympy symbols, permutations and groups, imported when the first one is made
    from sympy.combinatorics import Permutation

    from algebra.present.symbols import Notation
    from groups.symmetric.actions import MatrixGroup

sp = lazy_module("sympy")  # so parsing and naming a Young type (parse_partition, young_label) imports no sympy
_combinatorics = lazy_module("sympy.combinatorics")
_symbols = lazy_module("algebra.present.symbols")
_actions = lazy_module("groups.symmetric.actions")

__all__ = ["DELTA", "delta_symbol", "young_blocks", "block_generators", "parse_partition", "young_label", "young_latex",
           "diagonal_young", "young_fix_dimension", "young_names", "young_entry_name", "YoungCoordinates",
           "isotropy_blocks", "isotropy_type", "young_normal_form"]

@functools.cache
def delta_symbol() -> Notation:
    r"""The diagonal embedding :math:`\Delta` as notation (a sympy symbol; also the module attribute ``DELTA``).

    >>> print(delta_symbol())
    \Delta
    """
    return _symbols.Notation(r"\Delta")


def __getattr__(name: str):
    """``DELTA`` (:func:`delta_symbol`), made on first use so that this module's notation costs nothing at import."""
    if name == "DELTA":
        return delta_symbol()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def young_blocks(parts: Sequence[int]) -> list[list[int]]:
    """Consecutive index blocks for a composition, e.g. ``(2, 1) -> [[0, 1], [2]]``."""
    out, start = [], 0
    for p in parts:
        out.append(list(range(start, start + p)))
        start += p
    return out


def block_generators(n: int, blocks: Iterable[Sequence[int]]) -> list[Permutation]:
    """Adjacent transpositions generating the Young subgroup with the given blocks."""
    gens = []
    for block in blocks:
        for a, b in itertools.pairwise(block):
            gens.append(_combinatorics.Permutation([[a, b]], size=n))
    return gens


def parse_partition(text: str | Sequence[int], k: int) -> tuple[int, ...]:
    """An isotropy type ``"6,1"`` as a composition of ``k`` (parsed by hand, never eval'd; ASCII digits only,
    :func:`~groups.limits.parse_integers`).

    >>> parse_partition("5,1,1", 7)
    (5, 1, 1)
    >>> parse_partition("5,1", 7)
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: isotropy parts (5, 1) sum to 6, not k = 7
    """
    if isinstance(text, str):
        parts = parse_integers(text, "isotropy", "positive integers")
    else:
        try:
            parts = tuple(text)
        except TypeError:
            raise FlowAlgebraError(f"isotropy must be block sizes, got {shorten(repr(text))}") from None
        if any(isinstance(p, bool) or not isinstance(p, numbers.Integral) for p in parts):
            raise FlowAlgebraError(f"isotropy parts must be integers, got {shorten(repr(parts))}")
        parts = tuple(int(p) for p in parts)
    if not parts or any(p < 1 for p in parts):
        raise FlowAlgebraError(f"isotropy parts must be positive, got {shorten(parts)}")
    if sum(parts) != k:
        raise FlowAlgebraError(f"isotropy parts {shorten(parts)} sum to {sum(parts)}, not k = {k}")
    return parts


def young_label(parts: Sequence[int]) -> str:
    """``(6, 1) -> 'Delta(S_6 x S_1)'``; one block gives ``'Delta S_7'``."""
    if len(parts) == 1:
        return f"Delta S_{parts[0]}"
    return "Delta(" + " x ".join(f"S_{p}" for p in parts) + ")"


def young_latex(parts: Sequence[int]) -> str:
    """Inline math for the isotropy type, for prose statements."""
    if len(parts) == 1:
        return inline(sp.Mul(delta_symbol(), sp.Symbol(f"S_{parts[0]}"), evaluate=False))
    return inline(times(*[sp.Symbol(f"S_{p}") for p in parts], wrap=delta_symbol()))


def diagonal_young(k: int, parts: Sequence[int]) -> MatrixGroup:
    """:math:`\\Delta(S_{p_1}\\times\\dots\\times S_{p_r}) \\subset S_k\\times S_k` on consecutive blocks."""
    parts = parse_partition(tuple(parts), k)
    gens = [(g, g) for g in block_generators(k, young_blocks(parts))]
    return _actions.MatrixGroup(k, k, gens, name=young_label(parts))


def young_fix_dimension(parts: Sequence[int]) -> int:
    """:math:`\\dim\\mathrm{Fix}` by counting orbit types: diagonal, within-block, across blocks.

    >>> young_fix_dimension((6, 1)), young_fix_dimension((5, 1, 1))
    (5, 10)
    """
    r = len(parts)
    return sum(2 if p > 1 else 1 for p in parts) + r * (r - 1)


def _z_name(a: int, b: int, r: int) -> str:
    """``z_ab`` for blocks ``a != b`` (0-based) of ``r``; a comma separates the indices from ten blocks on."""
    return f"z_{a + 1}{b + 1}" if r < 10 else f"z_{a + 1},{b + 1}"


def young_names(sizes: Sequence) -> tuple[str, ...]:
    """The Young coordinates in their fixed order: ``x_a`` and ``y_a`` block by block (no ``y_a`` for a
    block of size 1), then ``z_ab`` for ``a != b``. Sizes may be sympy expressions (``k - 1``): a block
    has a ``y`` unless its size is the number 1.

    >>> young_names((2, 1, 1))
    ('x_1', 'y_1', 'x_2', 'x_3', 'z_12', 'z_13', 'z_21', 'z_23', 'z_31', 'z_32')
    """
    r = len(sizes)
    names = []
    for a in range(r):
        names.append(f"x_{a + 1}")
        if sizes[a] != 1:
            names.append(f"y_{a + 1}")
    names += [_z_name(a, b, r) for a in range(r) for b in range(r) if a != b]
    return tuple(names)


def young_entry_name(parts: Sequence[int], i: int, j: int) -> str:
    """The Young coordinate carrying entry ``(i, j)`` of a matrix in Fix(Delta(S_p1 x ... x S_pr)).

    >>> [young_entry_name((2, 1), i, j) for i, j in [(0, 0), (0, 1), (0, 2), (2, 0), (2, 2)]]
    ['x_1', 'y_1', 'z_12', 'z_21', 'x_2']
    """
    block = [a for a, p in enumerate(parts) for _ in range(p)]
    a, b = block[i], block[j]
    if a != b:
        return _z_name(a, b, len(parts))
    return f"x_{a + 1}" if i == j else f"y_{a + 1}"


class YoungCoordinates:
    """Names and sympy symbols of the Young coordinates for block sizes that may be symbols (``k - 1``).

    For concrete sizes these are the coordinate names of
    :meth:`FixedSubspace.young <groups.symmetric.fixed_space.FixedSubspace.young>`; with symbolic sizes
    they serve the exact reduced loss for every ``k`` (:mod:`groups.landscape.reduced`).

    >>> k = sp.Symbol("k")
    >>> c = YoungCoordinates((k - 1, 1))
    >>> c.names
    ('x_1', 'y_1', 'x_2', 'z_12', 'z_21')
    >>> c.symbol("y", 1), c.symbol("z", 0, 1)
    (0, z_12)
    """

    def __init__(self, sizes: Sequence):
        self.sizes: tuple[sp.Expr, ...] = tuple(s if isinstance(s, sp.Basic) else sp.Integer(int(s)) for s in sizes)
        self.names: tuple[str, ...] = young_names(self.sizes)
        self.symbols: tuple[sp.Symbol, ...] = tuple(sp.Symbol(n) for n in self.names)

    def __repr__(self) -> str:
        return f"YoungCoordinates({list(self.sizes)})"

    def symbol(self, kind: str, a: int, b: int | None = None) -> sp.Expr:
        """The symbol of ``x_a``, ``y_a`` or ``z_ab`` (0-based blocks), or 0 where there is none (``y`` of a
        block of size 1)."""
        if kind == "z":
            if b is None or b == a:
                raise ValueError("z_ab needs two different blocks")
            name = _z_name(a, b, len(self.sizes))
        elif kind in ("x", "y"):
            name = f"{kind}_{a + 1}"
        else:
            raise ValueError(f"a Young coordinate is x, y or z, got {kind!r}")
        return self.symbols[self.names.index(name)] if name in self.names else sp.Integer(0)


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
    """Block sizes of :func:`isotropy_blocks`, largest first.

    >>> isotropy_type(np.eye(4))
    (4,)
    """
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
