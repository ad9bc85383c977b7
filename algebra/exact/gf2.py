"""Linear algebra over GF(2) with rows as Python integers (bit masks).

>>> basis = Gf2Basis()
>>> [basis.add(r) for r in (0b011, 0b110, 0b101)]
[True, True, False]
>>> kernel_basis([0b011, 0b110], 3)       # s with s.r = 0 for both rows: s = 111
[7]
"""
from __future__ import annotations

from typing import Iterable

__all__ = ["Gf2Basis", "kernel_basis"]


class Gf2Basis:
    """An echelon basis of a subspace of GF(2)^n (rows are ints, pivot = highest bit)."""

    def __init__(self) -> None:
        self.by_pivot: dict[int, int] = {}

    def reduce(self, row: int) -> int:
        while row:
            top = row.bit_length() - 1
            pivot_row = self.by_pivot.get(top)
            if pivot_row is None:
                return row
            row ^= pivot_row
        return 0

    def add(self, row: int) -> bool:
        """Insert a row; True if it raised the rank."""
        row = self.reduce(row)
        if not row:
            return False
        self.by_pivot[row.bit_length() - 1] = row
        return True

    @property
    def rank(self) -> int:
        return len(self.by_pivot)


def kernel_basis(rows: Iterable[int], n: int) -> list[int]:
    """A basis of {s in GF(2)^n : popcount(s & r) even for every row r}."""
    basis = Gf2Basis()
    for r in rows:
        basis.add(r)
    # fully reduce, then read the kernel off the free columns
    pivots = sorted(basis.by_pivot)
    reduced = {}
    for pc in pivots:
        row = basis.by_pivot[pc]
        for other in pivots:
            if other < pc and (row >> other) & 1 and other in reduced:
                row ^= reduced[other]
        reduced[pc] = row
    for pc in pivots:  # eliminate higher pivots from lower rows too
        for other in pivots:
            if other != pc and (reduced[other] >> pc) & 1:
                reduced[other] ^= reduced[pc]
    free = [j for j in range(n) if j not in reduced]
    kernel = []
    for f in free:
        s = 1 << f
        for pc, row in reduced.items():
            if (row >> f) & 1:
                s |= 1 << pc
        kernel.append(s)
    return kernel
