"""Finite Abelian groups Z_{m1} x ... x Z_{mr}, their characters, and the exact
Fourier transform of weight matrices.

Elements and frequencies (characters) are both indexed by integers
``0 .. order-1`` in mixed radix (first factor fastest). The character of
frequency k is chi_k(g) = exp(2 pi i sum_t k_t g_t / m_t), a root of unity of
order dividing the exponent of G, so every character value lies in
Q(zeta_exponent) and the transform is exact.

Conventions (matching MATH.md section 2 and :mod:`algebra.cogo.ring`): for a
row w of a weight matrix indexed by group elements,
``fourier(w)[k] = (1/|G|) sum_g w[g] conj(chi_k(g))`` and
``w[g] = sum_k fourier(w)[k] chi_k(g)``.

>>> G = Zd(5)
>>> G.order, G.exponent, G.name
(5, 5, 'Z_5')
>>> H = Zd(2) * Zd(3) * Zd(4)
>>> H.order, H.exponent, H.name
(24, 12, 'Z_2 x Z_3 x Z_4')
>>> G.add(3, 4), G.neg(2)
(2, 3)
>>> row = [1, 0, 0, 0, 0]
>>> G.inverse_fourier([G.fourier(row)]) == [[1, 0, 0, 0, 0]]
True
"""
from __future__ import annotations

import math
import numbers
from fractions import Fraction
from functools import cached_property
from typing import Sequence

import numpy as np

from algebra.exact.cyclotomic import Cyc, CyclotomicField
from algebra.errors import FlowAlgebraError

__all__ = ["MAX_ORDER", "MAX_FACTORS", "MAX_SPEC_LENGTH", "AbelianGroup", "Zd", "product", "parse_group"]

#: largest group order accepted
MAX_ORDER = 20_000
#: most cyclic factors (each has order >= 2, so more would exceed MAX_ORDER)
MAX_FACTORS = MAX_ORDER.bit_length() - 1
#: longest group spec accepted by :func:`parse_group` (characters)
MAX_SPEC_LENGTH = 60


class AbelianGroup:
    """The group Z_{m1} x ... x Z_{mr} (every m_t >= 2)."""

    def __init__(self, moduli: Sequence[int]):
        try:
            moduli = tuple(moduli)
        except TypeError:
            raise FlowAlgebraError(f"an Abelian group needs a list of cyclic orders, got {type(moduli).__name__}") from None
        if not moduli:
            raise FlowAlgebraError("an Abelian group needs at least one cyclic factor")
        if len(moduli) > MAX_FACTORS:  # every factor has order >= 2
            raise FlowAlgebraError(f"group order is too large: a group has at most {MAX_FACTORS} cyclic factors "
                                   f"(each of order >= 2, more exceed {MAX_ORDER}), got {len(moduli)}")
        for m in moduli:
            if isinstance(m, bool) or not isinstance(m, numbers.Integral):
                raise FlowAlgebraError(f"cyclic factors have integer orders, got {type(m).__name__} {str(m)[:20]}")
            if m < 2:
                raise FlowAlgebraError(f"cyclic factors need order d >= 2, got {_number(m)}")
            if m > MAX_ORDER:
                raise FlowAlgebraError(f"group order is too large: the factor {_number(m)} exceeds the limit {MAX_ORDER}")
        moduli = tuple(int(m) for m in moduli)
        order = math.prod(moduli)
        if order > MAX_ORDER:
            raise FlowAlgebraError(f"group order {order} is too large (limit {MAX_ORDER})")
        self.moduli = moduli
        self.order = order
        self.exponent = math.lcm(*moduli)
        strides, s = [], 1
        for m in moduli:
            strides.append(s)
            s *= m
        self._strides = tuple(strides)

    # -- identity --------------------------------------------------------
    @property
    def name(self) -> str:
        return " x ".join(f"Z_{m}" for m in self.moduli)

    def __repr__(self) -> str:
        return f"AbelianGroup({list(self.moduli)})"

    def __eq__(self, other) -> bool:
        return isinstance(other, AbelianGroup) and other.moduli == self.moduli

    def __hash__(self) -> int:
        return hash(self.moduli)

    def __mul__(self, other: "AbelianGroup") -> "AbelianGroup":
        """Direct product."""
        return AbelianGroup(self.moduli + other.moduli)

    def __len__(self) -> int:
        return self.order

    @property
    def field(self) -> CyclotomicField:
        """Q(zeta_exponent): holds every character value."""
        return CyclotomicField(self.exponent)

    # -- elements --------------------------------------------------------
    def elements(self) -> range:
        return range(self.order)

    def to_tuple(self, g: int) -> tuple[int, ...]:
        return tuple((g // s) % m for s, m in zip(self._strides, self.moduli))

    def from_tuple(self, t: Sequence[int]) -> int:
        if len(t) != len(self.moduli):
            raise FlowAlgebraError(f"{self.name} elements have {len(self.moduli)} coordinates, got {list(t)}")
        return sum((int(x) % m) * s for x, m, s in zip(t, self.moduli, self._strides))

    @cached_property
    def _add_table(self) -> np.ndarray:
        tup = np.array([self.to_tuple(g) for g in range(self.order)], dtype=np.int64).reshape(self.order, -1)
        mods = np.array(self.moduli)
        strides = np.array(self._strides)
        s = (tup[:, None, :] + tup[None, :, :]) % mods
        return (s * strides).sum(axis=2)

    @cached_property
    def _neg_table(self) -> list[int]:
        return [self.from_tuple([-x for x in self.to_tuple(g)]) for g in range(self.order)]

    def add(self, g: int, h: int) -> int:
        if self.order <= 2048:
            return int(self._add_table[g, h])
        return self.from_tuple([x + y for x, y in zip(self.to_tuple(g), self.to_tuple(h))])

    def neg(self, g: int) -> int:
        return self._neg_table[g]

    def sub(self, g: int, h: int) -> int:
        return self.add(g, self.neg(h))

    def is_self_conjugate(self, k: int) -> bool:
        """True when chi_k is real (k = -k)."""
        return self.neg(k) == k

    def conjugate_pairs(self) -> list[int]:
        """One representative k of each pair {k, -k} with k != -k, in increasing order."""
        return [k for k in range(1, self.order) if k < self.neg(k)]

    # -- characters ------------------------------------------------------
    def char_exponent(self, k: int, g: int) -> int:
        """j with chi_k(g) = zeta_exponent^j."""
        e = self.exponent
        return sum(a * b * (e // m) for a, b, m in zip(self.to_tuple(k), self.to_tuple(g), self.moduli)) % e

    def character(self, k: int, g: int, field: CyclotomicField | None = None) -> Cyc:
        F = field or self.field
        return F(self.field.zeta(self.char_exponent(k, g)))

    @cached_property
    def _exponent_table(self) -> np.ndarray:
        """E[g, k] = char_exponent(k, g), computed with numpy (sum_t k_t g_t (exponent / m_t) mod exponent)."""
        g = np.arange(self.order, dtype=np.int64)
        tup = np.stack([(g // s) % m for s, m in zip(self._strides, self.moduli)], axis=1)
        scaled = tup * np.array([self.exponent // m for m in self.moduli], dtype=np.int64)
        return (tup @ scaled.T) % self.exponent

    def character_matrix(self) -> np.ndarray:
        """Numeric X[g, k] = chi_k(g) (complex128; for the numeric backend)."""
        return np.exp(2j * np.pi * self._exponent_table / self.exponent)

    # -- Fourier transform -----------------------------------------------
    def fourier(self, row: Sequence) -> list:
        """Exact transform of one row: ``[(1/|G|) sum_g row[g] conj(chi_k(g)) for k]``."""
        return self._transform(row, sign=-1, scale=Fraction(1, self.order))

    def inverse_fourier(self, rows: Sequence[Sequence]) -> list[list]:
        """Exact inverse transform of rows of Fourier coefficients: ``w[g] = sum_k a[k] chi_k(g)``."""
        return [self._transform(r, sign=+1, scale=Fraction(1)) for r in rows]

    def _transform(self, row: Sequence, sign: int, scale: Fraction) -> list:
        if len(row) != self.order:
            raise FlowAlgebraError(f"a row over {self.name} needs {self.order} entries, got {len(row)}")
        F = self.field
        zetas = [F.zeta(j) for j in range(self.exponent)]
        table = self._exponent_table
        out = []
        for k in range(self.order):
            acc = None
            for g in range(self.order):
                x = row[g]
                if isinstance(x, (int, Fraction)) and x == 0:
                    continue
                if hasattr(x, "is_zero") and x.is_zero():
                    continue
                term = x * zetas[(sign * int(table[g, k])) % self.exponent]
                acc = term if acc is None else acc + term
            if acc is None:
                out.append(0)
            else:
                out.append(_normalise(acc * scale))
        return out

    def fourier_numeric(self, W: np.ndarray) -> np.ndarray:
        """Numeric transform of the rows of W (nodes x elements): ``W conj(X) / |G|``."""
        W = np.asarray(W)
        if W.shape[-1] != self.order:
            raise FlowAlgebraError(f"weight rows over {self.name} need {self.order} columns, got {W.shape[-1]}")
        return W @ np.conj(self.character_matrix()) / self.order


def _normalise(x):
    """Rational Cyc values come back as Fractions, integers as ints."""
    if isinstance(x, Cyc) and x.is_rational():
        f = x.to_fraction()
        return int(f) if f.denominator == 1 else f
    return x


def Zd(d: int) -> AbelianGroup:
    """The cyclic group Z_d.

    >>> Zd(23).name
    'Z_23'
    """
    return AbelianGroup((d,))


def product(*groups: AbelianGroup) -> AbelianGroup:
    """Direct product of groups.

    >>> product(Zd(2), Zd(3)).name
    'Z_2 x Z_3'
    """
    moduli: tuple[int, ...] = ()
    for g in groups:
        moduli += g.moduli
    return AbelianGroup(moduli)


_DIGITS = frozenset("0123456789")


def _number(m: int) -> str:
    """An integer for an error line (a 5000-digit factor is not echoed)."""
    if abs(m) < 10 ** 30:
        return str(m)
    return f"of about {int(abs(m).bit_length() * 0.30103) + 1} digits"  # str() refuses 4300+ digits


#: characters of a user's spec echoed in an error message
_ECHO = 60


def parse_group(spec: str) -> AbelianGroup:
    """Parse ``"23"`` or ``"2x3x4"`` (ASCII digits and ``x``, spaces around them allowed); every mistake is
    one :class:`FlowAlgebraError` line.

    >>> parse_group("2x3x4").moduli
    (2, 3, 4)
    >>> parse_group("3x")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: group spec must look like 23 or 2x3x4, got '3x' (an empty factor)
    """
    if not isinstance(spec, str):
        raise FlowAlgebraError(f"group spec must be text such as 23 or 2x3x4, got {type(spec).__name__}")
    if len(spec) > MAX_SPEC_LENGTH:
        raise FlowAlgebraError(f"group spec must look like 23 or 2x3x4, got {len(spec)} characters "
                               f"(limit {MAX_SPEC_LENGTH})")
    shown = repr(spec) if len(repr(spec)) <= _ECHO else repr(spec)[:_ECHO - 3] + "..."  # escapes lengthen a repr
    factors = [part.strip(" ") for part in spec.split("x")]
    for part in factors:
        if not part:
            raise FlowAlgebraError(f"group spec must look like 23 or 2x3x4, got {shown} (an empty factor)")
        bad = next((ch for ch in part if ch not in _DIGITS), None)
        if bad is not None:
            why = "only the ASCII digits 0-9" if bad.isdigit() else f"the character {bad!r}"
            raise FlowAlgebraError(f"group spec must look like 23 or 2x3x4, got {shown} ({why})")
    return AbelianGroup(tuple(int(t) for t in factors))
