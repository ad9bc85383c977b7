"""Exact linear algebra over a prime field F_p, with numpy arrays as storage.

Values are ``int64`` arrays with entries in ``[0, p)``. The default prime
:data:`PRIME` = 2^31 - 1 keeps every product below 2^62, so elementwise work is
plain numpy; matrix products are split into 16-bit limbs and done by float64
BLAS (three products, Karatsuba), exactly: every partial sum stays below 2^53
for inner dimensions up to 2^18. Ranks, RREF and nullspaces go to python-flint's ``nmod_mat``.

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

__all__ = ["PRIME", "matmul_mod", "inv_mod", "to_nmod_mat", "from_nmod_mat", "rank_mod", "rref_mod", "nullspace_mod",
           "fmpq_mod", "rational_reconstruct", "EchelonBasis"]

#: default prime: 2^31 - 1 (a Mersenne prime)
PRIME = 2**31 - 1

_LIMB = 1 << 16


def matmul_mod(a: np.ndarray, b: np.ndarray, p: int = PRIME) -> np.ndarray:
    """Matrix product mod p, exact, via 16-bit limbs and float64 BLAS.

    Works on stacks of matrices like ``np.matmul``. Inner dimension up to 2^18.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if a.shape[-1] > (1 << 18):
        raise ValueError("inner dimension too large for exact limb product")
    a0 = (a & (_LIMB - 1)).astype(np.float64)
    a1 = (a >> 16).astype(np.float64)
    b0 = (b & (_LIMB - 1)).astype(np.float64)
    b1 = (b >> 16).astype(np.float64)
    # Karatsuba: three exact float products (sums of K products < 2^34 each, K <= 2^18)
    low = np.matmul(a0, b0)
    high = np.matmul(a1, b1)
    mid = np.matmul(a0 + a1, b0 + b1) - low - high
    # value = high * 2^32 + mid * 2^16 + low = ((high' * 2^16 + mid) mod p) * 2^16 + low  (mod p),
    # high' = high mod p; with inner dimension K <= 2^18 every intermediate stays below 2^53
    # (high < K 2^30, mid < K 2^34, low < K 2^32), so float64 is exact throughout
    fp = float(p)
    inner = _fmod_p(high, fp)
    inner *= 65536.0
    inner += mid
    inner = _fmod_p(inner, fp)
    inner *= 65536.0
    inner += low
    return _fmod_p(inner, fp).astype(np.int64)


def _fmod_p(x: np.ndarray, fp: float) -> np.ndarray:
    """x mod p for non-negative integer-valued floats below 2^53 (exact).

    The float quotient is off by at most one, so one correction each way suffices.
    """
    q = x * (1.0 / fp)
    np.floor(q, out=q)
    q *= fp
    r = np.subtract(x, q, out=q)
    np.add(r, fp, out=r, where=r < 0)
    np.subtract(r, fp, out=r, where=r >= fp)
    return r


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
    """A growing subspace of F_p^n, kept as blocks of rows in reduced echelon form.

    Each inserted block is reduced against the earlier ones (zero on their
    pivot columns) and is itself in reduced echelon form, so a vector is
    reduced by one matrix product per block, in order; earlier blocks are
    never rewritten. ``add(rows)`` returns, per row, whether it raised the
    rank (rows considered in order).

    >>> basis = EchelonBasis(3)
    >>> basis.add(np.array([[1, 0, 1], [2, 0, 2], [0, 1, 0]]))
    [True, False, True]
    >>> basis.rank, basis.add(np.array([[1, 1, 1]]))
    (2, [False])
    """

    def __init__(self, n: int, p: int = PRIME):
        self.n = n
        self.p = p
        self.blocks: list[tuple[np.ndarray, list[int]]] = []
        self.pivots: list[int] = []

    @property
    def rank(self) -> int:
        return len(self.pivots)

    @property
    def rows(self) -> np.ndarray:
        """All basis rows (block by block)."""
        if not self.blocks:
            return np.zeros((0, self.n), dtype=np.int64)
        return np.vstack([rows for rows, _ in self.blocks])

    def reduce(self, vectors: np.ndarray) -> np.ndarray:
        """Vectors reduced against every block: zero on all pivot columns."""
        v = np.asarray(vectors, dtype=np.int64) % self.p
        for rows, pivots in self.blocks:
            if v.size:
                v = (v - matmul_mod(v[:, pivots], rows, self.p)) % self.p
        return v

    def add(self, vectors: np.ndarray, which: bool = True) -> list[bool]:
        """Insert a batch; per row, whether it raised the rank (greedily, in order).

        With ``which=False`` only the number of True flags is meaningful (they
        come first), which saves one elimination.
        """
        v = self.reduce(np.atleast_2d(vectors))
        if v.shape[0] == 0:
            return []
        if not np.any(v):
            return [False] * v.shape[0]
        free = np.setdiff1d(np.arange(self.n), self.pivots) if self.pivots else np.arange(self.n)
        w = v[:, free]  # the pivot columns of v are zero
        if which:
            # the rows that raise the rank, greedily in order, are the pivot
            # columns of the transposed batch
            _, independent = rref_mod(w.T, self.p)
            w = w[independent]
        reduced, local_pivots = rref_mod(w, self.p)
        new_rows = np.zeros((reduced.shape[0], self.n), dtype=np.int64)
        new_rows[:, free] = reduced
        new_pivots = [int(free[c]) for c in local_pivots]
        raised = [False] * len(v)
        for i in (independent if which else range(len(new_pivots))):
            raised[i] = True
        if new_pivots:
            self.blocks.append((new_rows, new_pivots))
            self.pivots = self.pivots + new_pivots
        return raised
