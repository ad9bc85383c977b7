"""Exact Gauss-Jordan elimination mod p (p < 2^31) on float64 BLAS, with no round trips through Python lists.

Residues are kept *balanced*, as float64 integers in about [-p/2, p/2] (|x| <= 2^30 + 4). A product
A B mod p splits A into as few balanced limbs as keep it exact (:func:`_plans`: for p = 2^31 - 1, two
16-bit limbs for inner dimensions up to 253, three 11-bit ones up to 8,189, longer ones in chunks; one limb
for p below about 2^20) and multiplies all limbs by B in one float64 BLAS call: every partial sum is an integer
below 2^53, so the products are exact. Reducing mod p is ``x - rint(x/p) p``, exact for |x| < 2^53.

Elimination is recursive on the rows: the top half is eliminated, the bottom half is reduced against it
by one product, eliminated on its free columns, and the top half back-substituted by one product; a leaf
of at most :data:`LEAF` rows eliminates a narrow panel of its first nonzero columns in int64 and applies
the accumulated row operations to the whole leaf by one product. Rows are taken greedily in order, so
the rows kept are the first independent ones (the row rank profile).

>>> p = 2**31 - 1
>>> W = to_balanced(np.array([[1, 2, 3], [2, 4, 6], [0, 1, 1]]), p)
>>> R, pivots, independent = echelon(W, p)
>>> from_balanced(R, p).tolist(), pivots.tolist(), independent.tolist()
([[1, 0, 1], [0, 1, 1]], [0, 1], [0, 2])
>>> int(from_balanced(mulmod(to_balanced([[p - 1]], p), to_balanced([[p - 1]], p), p), p)[0, 0])
1
"""
from __future__ import annotations

import contextlib
import functools
import os
import time

import numpy as np

__all__ = ["complement", "take_columns", "put_columns", "MAX_MODULUS", "LEAF", "REDUCE_CHUNK", "SMALL_PRODUCT", "to_balanced", "from_balanced", "reduce_balanced", "mulmod", "submul",
           "echelon"]

#: moduli below this (so balanced residues are at most 2^30 in absolute value)
MAX_MODULUS = 2**31
#: rows eliminated row by row (on a narrow panel, in int64) before one product applies them
LEAF = 64


def complement(indices, n: int) -> np.ndarray:
    """The sorted positions of range(n) not in ``indices`` (as ``np.setdiff1d(np.arange(n), indices)``, which
    imports numpy.ma: 10-20 ms of every count's start-up).

    >>> complement([3, 0], 5).tolist()
    [1, 2, 4]
    """
    keep = np.ones(n, dtype=bool)
    keep[np.asarray(indices, dtype=np.int64)] = False
    return np.flatnonzero(keep)


def take_columns(x: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``x[:, columns]``, C-contiguous (numpy's fancy index on the second axis returns a Fortran-ordered
    array and is about 6x slower on a 1024 x 10,000 frame; every later pass over it is slower too).

    >>> take_columns(np.arange(6.0).reshape(2, 3), np.array([2, 0])).tolist()
    [[2.0, 0.0], [5.0, 3.0]]
    """
    return np.take(x, columns, axis=1)


def put_columns(x: np.ndarray, columns: np.ndarray, values: np.ndarray) -> None:
    """``x[:, columns] = values``, row by row (about 5x faster than the fancy assignment on large frames).

    >>> x = np.zeros((2, 3)); put_columns(x, np.array([2, 0]), np.ones((2, 2))); x.tolist()
    [[1.0, 0.0, 1.0], [1.0, 0.0, 1.0]]
    """
    for row, value in zip(x, values):
        row[columns] = value


def _check(p: int) -> None:
    if not 2 <= p < MAX_MODULUS:
        raise ValueError(f"modulus must be below 2^31 for exact float64 products, got {p}")


def to_balanced(a, p: int) -> np.ndarray:
    """Integers (any range) as balanced float64 residues mod p."""
    _check(p)
    x = np.asarray(a, dtype=np.int64) % p
    f = x.astype(np.float64)
    np.subtract(f, float(p), out=f, where=f > p // 2)
    return f


def from_balanced(f: np.ndarray, p: int) -> np.ndarray:
    """Balanced residues (|f| < 2^53, integer-valued) as int64 in [0, p)."""
    x = np.asarray(f).astype(np.int64)
    x %= p
    return x


#: elements reduced at a time by :func:`reduce_balanced` (its four passes then stay in cache: 3x faster than
#: whole-array passes on 10^7 elements)
REDUCE_CHUNK = 1 << 14


def reduce_balanced(x: np.ndarray, p: int) -> np.ndarray:
    """x mod p, balanced, in place, for integer-valued float64 |x| < 2^53 (``x - rint(x/p) p``, in chunks of
    :data:`REDUCE_CHUNK` elements when x is contiguous).

    >>> reduce_balanced(np.array([7.0, -9.0, 2.0**52]), 7).tolist()
    [0.0, -2.0, 2.0]
    """
    inverse, modulus = 1.0 / p, float(p)
    flat = x.reshape(-1) if x.flags.c_contiguous else None
    if flat is None or flat.size <= REDUCE_CHUNK:
        q = x * inverse
        np.rint(q, out=q)
        q *= modulus
        x -= q
        return x
    buffer = np.empty(REDUCE_CHUNK)
    for s in range(0, flat.size, REDUCE_CHUNK):
        v = flat[s:s + REDUCE_CHUNK]
        q = buffer[:v.size]
        np.multiply(v, inverse, out=q)
        np.rint(q, out=q)
        q *= modulus
        v -= q
    return x


def _limbs(a: np.ndarray, bits: int, count: int) -> list[np.ndarray]:
    """Balanced limbs of a (|a| <= 2^30 + 2): a = sum_i limb_i 2^(bits i), |limb_i| <= 2^(bits - 1) (the top one
    at most 2^(31 - bits (count - 1) - 1) + 1)."""
    out = []
    rest = a
    for i in range(count - 1, 0, -1):
        scale = float(1 << (bits * i))
        top = np.rint(rest * (1.0 / scale))
        out.append(top)
        rest = rest - top * scale
    out.append(rest)
    return out[::-1]  # lowest limb first


#: every float64 value in a product stays within this (the quotient in :func:`reduce_balanced` times p is exact)
_EXACT = (1 << 53) - (1 << 32)


@functools.lru_cache(maxsize=None)
def _plans(p: int) -> tuple[tuple[int, int, int], ...]:
    """(limb bits, limbs, widest exact inner dimension) for 1, 2 and 3 limbs of balanced residues mod p.

    A limb is at most M = max(2^(bits - 1), 2^top) in absolute value (top = the bits left for the highest
    limb; residues are below 2^width), residues at most h = (p - 1)/2 + 4 (the slack of
    :func:`reduce_balanced`); the widest inner dimension k keeps every partial sum, and the recombination
    r 2^bits + part, within 2^53 - 2^32 (so that ``rint(x/p) p`` is exact too): h (M k + 2^bits) <= 2^53 - 2^32.

    >>> _plans(2**31 - 1), _plans(2**20 - 3)[0]
    (((16, 2, 253), (11, 3, 8189)), (20, 1, 32767))
    """
    h = (p - 1) // 2 + 4
    width = h.bit_length()
    plans = []
    for count in (1, 2, 3):
        bits = -(-width // count)
        top = width - bits * (count - 1)
        M = max(1 << (bits - 1), 1 << top) if count > 1 else h
        widest = _EXACT // h - (1 << bits if count > 1 else 0)
        widest //= M
        if widest >= 1:
            plans.append((bits, count, widest))
    return tuple(plans)


#: a plan of fewer limbs is used in pieces of its widest inner dimension when that is at least this (each
#: piece costs one pass of reduction, against widest multiply-adds per entry)
MIN_PIECE = 512


def _plan(p: int, k: int) -> tuple[int, int, int]:
    """The plan of :func:`_plans` for inner dimension k: the fewest limbs that take k in one piece, or in
    pieces of at least :data:`MIN_PIECE` (cheaper: for p = 10^9 + 7, two limbs in pieces of 1,097 instead of
    three), else the widest.

    >>> _plan(10**9 + 7, 5000), _plan(2**31 - 1, 5000)
    ((15, 2, 1097), (11, 3, 8189))
    """
    plans = _plans(p)
    return next((plan for plan in plans if k <= plan[2] or plan[2] >= MIN_PIECE), plans[-1])


def mulmod(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """A B mod p for balanced float64 residues (``np.matmul`` shapes, stacks allowed); balanced result.

    >>> p = 101
    >>> a = to_balanced(np.arange(12).reshape(3, 4), p); b = to_balanced(np.arange(8).reshape(4, 2) * 50, p)
    >>> bool((from_balanced(mulmod(a, b, p), p) == (np.arange(12).reshape(3, 4) @ (np.arange(8).reshape(4, 2) * 50)) % p).all())
    True
    """
    k = a.shape[-1]
    if k == 0 or a.size == 0 or b.size == 0:
        return np.zeros(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1]))
    fused = _fused(a, b, p)
    return fused if fused is not None else reduce_balanced(_product(a, b, p), p)


def submul(w: np.ndarray, a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """w - A B mod p, in place in ``w`` (balanced residues; one reduction fewer than ``w - mulmod(a, b)``).

    >>> p = 7
    >>> w = to_balanced([[1, 2]], p)
    >>> from_balanced(submul(w, to_balanced([[3]], p), to_balanced([[1, 1]], p), p), p).tolist()
    [[5, 6]]
    """
    k = a.shape[-1]
    if k == 0 or a.size == 0 or b.size == 0:
        return w
    if _fused(a, b, p, into=w) is not None:
        return w
    w -= _product(a, b, p)          # |w| <= h and |product| <= 2^53 - 2^32: exact, and reducible
    return reduce_balanced(w, p)


def _fused(a: np.ndarray, b: np.ndarray, p: int, into: np.ndarray | None = None) -> np.ndarray | None:
    """A B mod p (or ``into`` - A B mod p, in place) for 2D operands whose inner dimension one plan covers:
    one BLAS call for all limbs, then the recombination, the subtraction and the reduction in one pass a
    few thousand elements at a time (:func:`_recombine`); None where that does not apply."""
    if a.ndim != 2 or b.ndim != 2 or (into is not None and not into.flags.c_contiguous):
        return None
    k = a.shape[1]
    bits, count, widest = _plan(p, k)
    target, negate = into, False
    if k > widest and into is None:     # the sum of the pieces' products, subtracted from zero, negated
        target, negate = np.zeros((a.shape[0], b.shape[1])), True
    for s in range(0, k, widest):
        piece = a[:, s:s + widest]
        with _threads(count * a.shape[0] * piece.shape[1] * b.shape[1]):
            stacked = np.matmul(_stacked_limbs(piece, bits, count), b[s:s + widest])
        result = _recombine(stacked, count, bits, p, target)
    if negate:
        np.negative(result, out=result)
    return result


def _product(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """A B, congruent mod p and integer-valued, of absolute value at most 2^53 - 2^32 (not yet reduced).

    A stack times one matrix (or one matrix times a stack) is one 2D product, so BLAS sees one large call
    instead of many small ones.
    """
    if a.ndim == 3 and b.ndim == 2:
        stack, m, k = a.shape
        return _product(a.reshape(stack * m, k), b, p).reshape(stack, m, b.shape[1])
    if a.ndim == 2 and b.ndim == 3:
        stack, k, n = b.shape
        wide = np.ascontiguousarray(b.transpose(1, 0, 2)).reshape(k, stack * n)
        return _product(a, wide, p).reshape(a.shape[0], stack, n).transpose(1, 0, 2)
    k = a.shape[-1]
    bits, count, widest = _plan(p, k)
    if k > widest:
        total = None
        for s in range(0, k, widest):
            part = reduce_balanced(_product(a[..., s:s + widest], b[..., s:s + widest, :], p), p)
            total = part if total is None else reduce_balanced(np.add(total, part, out=total), p)
        return total
    m = a.shape[-2]
    batch = int(np.prod(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]), dtype=np.int64))
    with _threads(count * batch * m * k * b.shape[-1]):
        parts = [np.matmul(limb, b) for limb in _limbs(a, bits, count)]
    scale = float(1 << bits)
    r = parts[-1]
    for part in parts[-2::-1]:
        reduce_balanced(r, p)
        r *= scale
        r += part
    return r


def _stacked_limbs(a: np.ndarray, bits: int, count: int) -> np.ndarray:
    """The limbs of a 2D array (as :func:`_limbs`) stacked on the rows, lowest first: (count m) x k, computed
    a few rows at a time so the passes stay in cache."""
    if count == 1:
        return a
    m, k = a.shape
    out = np.empty((count * m, k))
    step = max(1, REDUCE_CHUNK // max(k, 1))
    rest = np.empty((min(step, m), k))
    spare = np.empty_like(rest)
    for s in range(0, m, step):
        e = min(s + step, m)
        r, t = rest[:e - s], spare[:e - s]
        np.copyto(r, a[s:e])
        for i in range(count - 1, 0, -1):
            scale = float(1 << (bits * i))
            top = out[i * m + s:i * m + e]
            np.multiply(r, 1.0 / scale, out=top)
            np.rint(top, out=top)
            np.multiply(top, scale, out=t)
            r -= t
        out[s:e] = r
    return out


def _recombine(stacked: np.ndarray, count: int, bits: int, p: int, into: np.ndarray | None = None) -> np.ndarray:
    """From the products of the limbs stacked on the rows (contiguous, lowest first), sum_i part_i 2^(bits i)
    mod p, reduced between the steps so every value stays below 2^53 - 2^32, and balanced; with ``into``,
    ``into`` minus that sum, in place. A few thousand elements at a time, so every pass stays in cache;
    without ``into`` the result overwrites the highest part (m x n)."""
    m = stacked.shape[0] // count
    size = m * stacked.shape[1]
    flat = stacked.reshape(-1)
    target = None if into is None else into.reshape(-1)
    high = (count - 1) * size
    scale, inverse, modulus = float(1 << bits), 1.0 / p, float(p)
    buffer = np.empty(min(REDUCE_CHUNK, size))
    for s in range(0, size, REDUCE_CHUNK):
        e = min(s + REDUCE_CHUNK, size)
        r, q = flat[high + s:high + e], buffer[:e - s]
        for i in range(count - 2, -1, -1):
            np.multiply(r, inverse, out=q)
            np.rint(q, out=q)
            q *= modulus
            r -= q
            r *= scale
            r += flat[i * size + s:i * size + e]
        if target is not None:          # |into| <= h, |r| <= 2^53 - 2^32: exact, and reducible
            r = np.subtract(target[s:e], r, out=target[s:e])
        np.multiply(r, inverse, out=q)
        np.rint(q, out=q)
        q *= modulus
        r -= q
    return stacked[high // stacked.shape[1]:] if into is None else into


#: products of fewer multiply-adds than this run BLAS on one thread (on a shared machine a multi-threaded BLAS
#: is up to 50 times slower on them; measured with 64 x 64 x 2304 products at load 6 on 2 cores)
SMALL_PRODUCT = 1 << 28
_controller = None
_load = [0.0, 0.0]        # (time checked, whether the cores are busy)


def _busy() -> bool:
    """Whether the machine's 1-minute load leaves no core free (checked at most once a second; this
    process's own threads count in it, so a long count settles on one thread). Then a multi-threaded BLAS
    waits on descheduled threads, and one thread is faster even on large products (measured at loads 4-6
    on 2 cores)."""
    now = time.monotonic()
    if now - _load[0] > 1.0:
        _load[0] = now
        _load[1] = float(os.getloadavg()[0] >= (os.cpu_count() or 1) - 0.5)
    return bool(_load[1])


def _threads(work: int):
    """A context: one BLAS thread for a small product or on a busy machine, the default otherwise."""
    global _controller
    if work >= SMALL_PRODUCT and not _busy():
        return contextlib.nullcontext()
    if _controller is None:
        from threadpoolctl import ThreadpoolController
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def _inverse(x: int, p: int) -> int:
    return pow(int(x), p - 2, p)


def echelon(W: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reduced row echelon form of balanced residues W (b x c) mod p.

    Returns ``(R, pivots, independent)``: R (r x c, balanced) has the identity on its pivot columns
    (``pivots[i]`` is row i's; not sorted), and ``independent`` lists (increasing) the rows of W that
    are not combinations of the rows before them; they span the same space as R.
    """
    _check(p)
    W = np.asarray(W, dtype=np.float64)
    b, c = W.shape
    if b == 0 or c == 0:
        return np.zeros((0, c)), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if b <= LEAF:
        return _leaf(W, p)
    h = b // 2
    R1, piv1, ind1 = echelon(W[:h], p)
    R2, piv2, ind2 = _below(R1, piv1, W[h:], p)
    return (np.concatenate([R1, R2]), np.concatenate([piv1, piv2]),
            np.concatenate([ind1, ind2 + h]))


def _below(R1: np.ndarray, piv1: np.ndarray, bottom: np.ndarray, p: int):
    """Eliminate ``bottom`` against the RREF rows R1 (pivots piv1, modified in place: back-substituted) and
    return the new rows (zero on piv1), their pivots, and which rows of ``bottom`` were independent."""
    c = bottom.shape[1]
    if len(piv1) == 0:
        return echelon(bottom, p)
    free = complement(piv1, c)
    B = take_columns(bottom, free)
    if B.size:
        submul(B, take_columns(bottom, piv1), take_columns(R1, free), p)
    if not B.any():
        return np.zeros((0, c)), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    R2f, piv2f, ind2 = echelon(B, p)
    if len(piv2f) == 0:
        return np.zeros((0, c)), np.zeros(0, dtype=np.int64), ind2
    # back-substitute: R1 zero on the new pivot columns
    R1f = take_columns(R1, free)
    put_columns(R1, free, submul(R1f, take_columns(R1f, piv2f), R2f, p))
    R2 = np.zeros((len(piv2f), c))
    put_columns(R2, free, R2f)
    return R2, free[piv2f], ind2


def _leaf(W: np.ndarray, p: int):
    """Echelon of at most LEAF rows: Gauss-Jordan on the first nonzero columns (with the identity alongside,
    in int64), then the row operations applied to all columns by one product; rows that vanish on that panel
    go on with the remaining columns."""
    b, c = W.shape
    nonzero = np.flatnonzero(W.any(axis=0))
    if nonzero.size == 0:
        return np.zeros((0, c)), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    panel = nonzero[: b + 8]
    w = panel.size
    aug = np.zeros((b, w + b), dtype=np.int64)
    aug[:, :w] = from_balanced(take_columns(W, panel), p)
    aug[np.arange(b), w + np.arange(b)] = 1
    pivot_rows, pivot_cols, residual = [], [], []
    for i in range(b):
        row = aug[i]
        hits = np.flatnonzero(row[:w])
        if hits.size == 0:
            residual.append(i)
            continue
        j = int(hits[0])
        row = row * _inverse(row[j], p) % p
        aug[i] = row
        column = aug[:, j].copy()
        column[i] = 0
        others = np.flatnonzero(column)
        if others.size:
            aug[others] = (aug[others] - np.outer(column[others], row)) % p
        pivot_rows.append(i)
        pivot_cols.append(j)
    T = to_balanced(aug[:, w:], p)
    full = mulmod(T, W, p)
    R = full[pivot_rows]
    pivots = panel[pivot_cols].astype(np.int64)
    independent = np.array(pivot_rows, dtype=np.int64)
    if residual:
        rest = full[residual]                   # zero on the panel
        R3, piv3, ind3 = _below(R, pivots, rest, p)
        if len(piv3):
            R = np.concatenate([R, R3])
            pivots = np.concatenate([pivots, piv3])
            independent = np.sort(np.concatenate([independent, np.array(residual, dtype=np.int64)[ind3]]))
            # independent is sorted; rows of R need not follow it (pivots are aligned with R's rows)
    return R, pivots, independent
