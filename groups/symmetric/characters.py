"""Characters of the symmetric groups, exactly: partitions, Murnaghan-Nakayama, class sizes.

Irreducible characters of :math:`S_n` are indexed by partitions ``lam`` of
``n``; conjugacy classes by cycle types ``mu``. Values are integers, computed
by the Murnaghan-Nakayama rule on beta-sets (rim hooks = bead moves on an
abacus), memoised.

>>> character((2, 1), (1, 1, 1)), character((2, 1), (2, 1)), character((2, 1), (3,))
(2, 0, -1)
>>> [character(lam, (1, 1, 1, 1)) for lam in partitions(4)]
[1, 3, 2, 3, 1]
>>> centralizer_order((2, 2, 1))
8
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Iterator, Sequence

__all__ = ["partitions", "partition_count", "centralizer_order", "character", "dimension", "class_average", "near_trivial_partitions",
           "partition_label"]


def partitions(n: int, largest: int | None = None) -> Iterator[tuple[int, ...]]:
    """All partitions of ``n`` as non-increasing tuples, in reverse lexicographic order.

    >>> list(partitions(3))
    [(3,), (2, 1), (1, 1, 1)]
    """
    if largest is None:
        largest = n
    if n == 0:
        yield ()
        return
    for first in range(min(n, largest), 0, -1):
        for rest in partitions(n - first, first):
            yield (first,) + rest


@lru_cache(maxsize=None)
def partition_count(n: int) -> int:
    """The number of partitions of ``n`` (the number of conjugacy classes of :math:`S_n`), without listing them.

    >>> [partition_count(n) for n in (0, 1, 4, 10)], partition_count(60)
    ([1, 1, 5, 42], 966467)
    """
    counts = [1] + [0] * n
    for part in range(1, n + 1):
        for m in range(part, n + 1):
            counts[m] += counts[m - part]
    return counts[n]


def centralizer_order(mu: Sequence[int]) -> int:
    """:math:`z_\\mu = \\prod_i i^{m_i} m_i!`, so the class of cycle type ``mu`` has ``n!/z_mu`` elements."""
    z = 1
    for part in set(mu):
        m = list(mu).count(part)
        z *= part**m * math.factorial(m)
    return z


def _beta(lam: tuple[int, ...]) -> tuple[int, ...]:
    length = len(lam)
    return tuple(part + length - 1 - i for i, part in enumerate(lam))


def _from_beta(beta: Sequence[int]) -> tuple[int, ...]:
    beads = sorted(beta, reverse=True)
    length = len(beads)
    lam = tuple(b - (length - 1 - i) for i, b in enumerate(beads))
    return tuple(p for p in lam if p > 0)


@lru_cache(maxsize=None)
def character(lam: tuple[int, ...], mu: tuple[int, ...]) -> int:
    """:math:`\\chi^\\lambda(\\mu)` by the Murnaghan-Nakayama rule (exact integer).

    ``lam`` and ``mu`` are partitions of the same ``n`` (``mu`` in any order).
    """
    lam = tuple(p for p in lam if p > 0)
    mu = tuple(sorted((p for p in mu if p > 0), reverse=True))
    if sum(lam) != sum(mu):
        raise ValueError(f"{lam} and {mu} are partitions of different integers")
    if not mu:
        return 1
    r, rest = mu[0], mu[1:]
    beta = _beta(lam)
    occupied = set(beta)
    total = 0
    for b in beta:
        target = b - r
        if target < 0 or target in occupied:
            continue
        sign = -1 if sum(1 for c in beta if target < c < b) % 2 else 1
        new = _from_beta([target if c == b else c for c in beta])
        total += sign * character(new, rest)
    return total


def dimension(lam: Sequence[int]) -> int:
    """Degree of the irreducible ``lam`` (hook length formula).

    >>> dimension((5, 2)), dimension((5, 1, 1))
    (14, 15)
    """
    lam = [p for p in lam if p > 0]
    n = sum(lam)
    conj = [sum(1 for p in lam if p > j) for j in range(lam[0])] if lam else []
    hooks = 1
    for i, row in enumerate(lam):
        for j in range(row):
            hooks *= row - j + conj[j] - i - 1
    return math.factorial(n) // hooks


def class_average(n: int, func, lam: Sequence[int]) -> Fraction:
    """:math:`\\langle f, \\chi^\\lambda\\rangle = \\sum_\\mu f(\\mu)\\chi^\\lambda(\\mu)/z_\\mu` for an integer class function ``f``.

    >>> class_average(4, lambda mu: list(mu).count(1), (3, 1))   # fixed points = trivial + standard
    Fraction(1, 1)
    """
    lam = tuple(lam)
    total = Fraction(0)
    for mu in partitions(n):
        value = func(mu)
        if value:
            total += Fraction(value * character(lam, mu), centralizer_order(mu))
    return total


def near_trivial_partitions(n: int, depth: int) -> list[tuple[int, ...]]:
    """Partitions of ``n`` with at most ``depth`` boxes below the first row.

    These are the only irreducibles of :math:`S_n` in the ``depth``-fold tensor
    power of the permutation module :math:`\\mathbb{R}^n`.

    >>> near_trivial_partitions(5, 2)
    [(5,), (4, 1), (3, 2), (3, 1, 1)]
    """
    return [lam for lam in partitions(n) if n - lam[0] <= depth]


def partition_label(lam: Sequence[int]) -> str:
    """Compact label, exponent notation for repeated parts: ``(5, 1, 1) -> '[5,1^2]'``."""
    out = []
    for part in sorted(set(lam), reverse=True):
        m = list(lam).count(part)
        out.append(f"{part}^{m}" if m > 1 else f"{part}")
    return "[" + ",".join(out) + "]"
