"""Exact linear algebra over a prime field F_p, with numpy arrays as storage.

Values are ``int64`` arrays with entries in ``[0, p)``. The default prime
:data:`PRIME` = 2^31 - 1 keeps every product below 2^62, so elementwise work is
plain numpy; matrix products and the growing echelon basis of the counting engine
(:class:`EchelonBasis`) run on float64 BLAS, exactly (limbs of balanced residues, every
partial sum below 2^53: :mod:`algebra.exact.blocked_elimination`). Ranks, RREF and nullspaces
of one matrix go to python-flint's ``nmod_mat``.

A rank mod p of an integer matrix is an exact *lower bound* for its rank over
Q (a nonzero minor mod p is a nonzero integer minor); at a random point it is
the generic rank with probability at least ``1 - deg/p`` (Schwartz-Zippel).

>>> A = np.array([[1, 2], [2, 4]], dtype=np.int64)
>>> rank_mod(A)
1
>>> int(matmul_mod(A, A)[0, 0])
5
>>> rational_reconstruct((-3 * pow(7, -1, PRIME)) % PRIME, PRIME)
Fraction(-3, 7)
"""
from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np

from algebra.exact.blocked_elimination import (complement, echelon, from_balanced, mulmod, put_columns, submul,
                                               take_columns, to_balanced)

__all__ = ["PRIME", "COUNT_PRIME", "matmul_mod", "inv_mod", "to_nmod_mat", "from_nmod_mat", "rank_mod", "rref_mod", "nullspace_mod",
           "fmpq_mod", "rational_reconstruct", "EchelonBasis"]

#: default prime: 2^31 - 1 (a Mersenne prime)
PRIME = 2**31 - 1
#: the prime of the counting engine (:func:`laws.closure.count_laws`): 10^9 + 7, above every friction
#: denominator the command line admits (at most 10^9), and below 2^30, so products of its balanced residues
#: take two float64 limbs in pieces of 1,097 instead of three (17% faster at D = 10,000)
COUNT_PRIME = 10**9 + 7



def matmul_mod(a: np.ndarray, b: np.ndarray, p: int = PRIME) -> np.ndarray:
    """Matrix product mod p, exact, on float64 BLAS (limbs of balanced residues,
    :func:`algebra.exact.blocked_elimination.mulmod`).

    Works on stacks of matrices like ``np.matmul``; any inner dimension (long ones in chunks). Entries of
    ``a`` and ``b`` in [0, p) with an inner dimension of at most 62 (the jets of the counting engine) take a
    shorter path: ``a`` in two 16-bit limbs, each product below 62 (2^16 2^31) + 2^47 < 2^53.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if a.shape[-1] <= _SHORT and p < (1 << 31) and a.size and b.size:
        # callers pass residues; anything outside [0, p) is reduced first
        if a.min() < 0 or a.max() >= p:
            a = a % p
        if b.min() < 0 or b.max() >= p:
            b = b % p
        fb = b.astype(np.float64)
        high = np.matmul((a >> 16).astype(np.float64), fb)     # < 62 * 2^15 * 2^31
        low = np.matmul((a & 0xFFFF).astype(np.float64), fb)    # < 62 * 2^16 * 2^31
        out = high.astype(np.int64)
        out %= p
        out <<= 16
        out += low.astype(np.int64)
        out %= p
        return out
    return from_balanced(mulmod(to_balanced(a, p), to_balanced(b, p), p), p)


#: inner dimensions of at most this take the short path of :func:`matmul_mod`
_SHORT = 62


def inv_mod(a: np.ndarray, p: int = PRIME) -> np.ndarray:
    """Elementwise inverse mod p (entries must be nonzero mod p)."""
    a = np.asarray(a, dtype=np.int64) % p
    if np.any(a == 0):
        raise ZeroDivisionError("zero has no inverse mod p")
    return _pow_mod(a, p - 2, p)


def _pow_mod(a: np.ndarray, e: int, p: int) -> np.ndarray:
    result = np.ones_like(a)
    base = a.copy()
    while e:
        if e & 1:
            result = result * base % p
        base = base * base % p
        e >>= 1
    return result


def to_nmod_mat(a: np.ndarray, p: int = PRIME) -> flint.nmod_mat:
    """A 2-d array as a flint ``nmod_mat``."""
    a = np.asarray(a, dtype=np.int64)
    rows, cols = a.shape
    if rows == 0 or cols == 0:
        return flint.nmod_mat(rows, cols, p)
    return flint.nmod_mat(rows, cols, a.ravel().tolist(), p)


def from_nmod_mat(m: flint.nmod_mat) -> np.ndarray:
    """A flint ``nmod_mat`` as an int64 array."""
    rows, cols = m.nrows(), m.ncols()
    if rows == 0 or cols == 0:
        return np.zeros((rows, cols), dtype=np.int64)
    return np.fromiter(map(int, m.entries()), dtype=np.int64, count=rows * cols).reshape(rows, cols)


def rank_mod(a: np.ndarray, p: int = PRIME) -> int:
    """Rank of an integer matrix mod p."""
    a = np.asarray(a)
    if a.size == 0:
        return 0
    return to_nmod_mat(a % p, p).rank()


def rref_mod(a: np.ndarray, p: int = PRIME) -> tuple[np.ndarray, list[int]]:
    """Reduced row echelon form mod p: (nonzero rows, pivot columns)."""
    a = np.asarray(a, dtype=np.int64) % p
    if a.size == 0:
        return np.zeros((0, a.shape[1] if a.ndim == 2 else 0), dtype=np.int64), []
    reduced, rank = to_nmod_mat(a, p).rref()
    rows = from_nmod_mat(reduced)[:rank]
    pivots = [int(np.flatnonzero(row)[0]) for row in rows]
    return rows, pivots


def nullspace_mod(a: np.ndarray, p: int = PRIME) -> np.ndarray:
    """A basis of the right kernel {x : a x = 0} mod p, as rows in reduced echelon form."""
    a = np.asarray(a, dtype=np.int64) % p
    n = a.shape[1]
    if a.shape[0] == 0:
        return np.eye(n, dtype=np.int64)
    rows, pivots = rref_mod(a, p)
    free = [j for j in range(n) if j not in set(pivots)]
    basis = np.zeros((len(free), n), dtype=np.int64)
    for k, f in enumerate(free):
        basis[k, f] = 1
        for r, pc in enumerate(pivots):
            basis[k, pc] = (-rows[r, f]) % p
    if len(free):
        basis, _ = rref_mod(basis, p)
    return basis


def fmpq_mod(q, p: int = PRIME) -> int:
    """An exact rational as an element of F_p: numerator * denominator^(-1) mod p, in ``[0, p)``.

    ``q`` is anything with an integer ``numerator`` and ``denominator``: a python-flint ``fmpq``,
    a ``Fraction``, an ``int``, a sympy ``Rational``. Inverse of :func:`rational_reconstruct` for small
    fractions.

    >>> fmpq_mod(flint.fmpq(-3, 7), 11), fmpq_mod(Fraction(1, 2), 5), fmpq_mod(4, 3)
    (9, 3, 1)
    >>> rational_reconstruct(fmpq_mod(Fraction(-3, 7)), PRIME)
    Fraction(-3, 7)
    """
    numerator, denominator = int(q.numerator), int(q.denominator)
    if denominator % p == 0:
        raise ZeroDivisionError(f"{q} has no value mod {p}: its denominator is divisible by {p}")
    return numerator * pow(denominator, -1, p) % p


def rational_reconstruct(a: int, m: int) -> Fraction | None:
    """The fraction n/d with |n|, d <= sqrt(m/2) and n = a d (mod m), or None.

    Wang's algorithm (extended Euclid stopped half-way).
    """
    a %= m
    bound = int((m // 2) ** 0.5)
    r0, r1 = m, a
    s0, s1 = 0, 1
    while r1 > bound:
        q = r0 // r1
        r0, r1 = r1, r0 - q * r1
        s0, s1 = s1, s0 - q * s1
    if s1 == 0 or abs(s1) > bound:
        return None
    from math import gcd

    if gcd(r1, abs(s1)) != 1:
        return None
    return Fraction(r1, s1)


class EchelonBasis:
    """A growing subspace of F_p^n in echelon form on float64 BLAS, kept as a few blocks of rows.

    Block k's rows are the identity on its pivot columns and zero on the pivots of the blocks before it;
    it is stored (balanced residues) on the columns that were free after it, *not* reduced against the
    pivots of later blocks. A vector is reduced by one product per block, in order. ``add(rows)`` reduces a
    batch, eliminates what is left (:func:`~algebra.exact.blocked_elimination.echelon`) and appends it as
    a block; a block of fewer than :attr:`MERGE` rows is first merged into the next one (back-substituted
    by one product), so there are few blocks, while large ones are never rewritten: about n r^2 / 2 - r^3 / 6
    multiply-adds for rank r instead of a reduced form's n r^2 - 2 r^3 / 3. It returns, per row, whether it
    raised the rank (greedily, in order).

    >>> basis = EchelonBasis(3)
    >>> basis.add(np.array([[1, 0, 1], [2, 0, 2], [0, 1, 0]]))
    [True, False, True]
    >>> basis.rank, basis.add(np.array([[1, 1, 1]]))
    (2, [False])
    >>> basis.rows.tolist(), basis.pivots
    ([[1, 0, 1], [0, 1, 0]], [0, 1])
    """

    #: rows inserted at a time (a larger batch goes in steps)
    STEP = 1024
    #: a block of fewer rows is merged into the one after it
    MERGE = 512

    def __init__(self, n: int, p: int = PRIME):
        self.n = n
        self.p = p
        self.pivots: list[int] = []
        self._free = np.arange(n)
        # per block: its pivots and the columns it is stored on, as positions among the columns the block
        # before it is stored on (all n columns for the first), and its rows on those columns
        self._blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    @property
    def rank(self) -> int:
        return len(self.pivots)

    @property
    def rows(self) -> np.ndarray:
        """The basis rows in reduced echelon form, in [0, p) (one per pivot, in the order of :attr:`pivots`)."""
        while len(self._blocks) > 1:
            self._merge(len(self._blocks) - 2)
        out = np.zeros((self.rank, self.n), dtype=np.int64)
        if self._blocks:
            pivots, columns, data = self._blocks[0]
            out[np.arange(self.rank), pivots] = 1
            put_columns(out, columns, from_balanced(data, self.p))
        return out

    def _merge(self, k: int) -> None:
        """Merge block k into block k + 1: back-substitute k's rows on k + 1's pivots."""
        piv_a, col_a, A = self._blocks[k]
        piv_b, col_b, B = self._blocks[k + 1]
        rows = take_columns(A, col_b)
        if rows.size and B.size:
            submul(rows, take_columns(A, piv_b), B, self.p)
        self._blocks[k:k + 2] = [(np.concatenate([piv_a, col_a[piv_b]]), col_a[col_b], np.concatenate([rows, B]))]

    def _reduced_free(self, vectors, balanced: bool = False) -> np.ndarray:
        """Balanced vectors reduced against the basis, on the free columns only (they vanish on the pivots)."""
        w = np.atleast_2d(vectors) if balanced else to_balanced(np.atleast_2d(vectors), self.p)
        for pivots, columns, data in self._blocks:
            coefficients = take_columns(w, pivots)
            w = take_columns(w, columns)
            if w.size and data.size:
                submul(w, coefficients, data, self.p)
        return w

    def reduce(self, vectors: np.ndarray) -> np.ndarray:
        """Vectors reduced against the basis: zero on all pivot columns."""
        w = self._reduced_free(vectors)
        out = np.zeros((w.shape[0], self.n), dtype=np.int64)
        out[:, self._free] = from_balanced(w, self.p)
        return out

    def add(self, vectors: np.ndarray, balanced: bool = False) -> list[bool]:
        """Insert a batch (integers, or with ``balanced`` float64 balanced residues mod p, as
        :func:`~algebra.exact.blocked_elimination.to_balanced` gives); per row, whether it raised the rank
        (greedily, in order: the elimination finds the independent rows as it goes)."""
        vectors = np.atleast_2d(vectors)
        if balanced and (vectors.dtype != np.float64 or np.abs(vectors).max(initial=0) > self.p // 2 + 4):
            raise ValueError("balanced vectors must be float64 residues of absolute value at most p/2 + 4")
        if vectors.shape[0] > self.STEP:    # in steps, so the products' temporaries stay bounded
            return [flag for s in range(0, vectors.shape[0], self.STEP)
                    for flag in self.add(vectors[s:s + self.STEP], balanced)]
        w = self._reduced_free(vectors, balanced)
        raised = [False] * w.shape[0]
        if w.shape[0] == 0 or not w.any():
            return raised
        new, local, independent = echelon(w, self.p)
        if len(local) == 0:
            return raised
        for i in independent:
            raised[int(i)] = True
        keep = complement(local, self._free.size)
        self._blocks.append((np.asarray(local, dtype=np.int64), keep, take_columns(new, keep)))
        self.pivots = self.pivots + [int(c) for c in self._free[local]]
        self._free = self._free[keep]
        while len(self._blocks) > 1 and self._blocks[-2][2].shape[0] < self.MERGE:
            self._merge(len(self._blocks) - 2)
        return raised
