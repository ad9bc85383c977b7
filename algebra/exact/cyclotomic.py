"""Exact arithmetic in cyclotomic fields Q(zeta_n), fast.

An element of Q(zeta_n) is a rational polynomial in zeta_n reduced modulo the
cyclotomic polynomial Phi_n (python-flint ``fmpq_poly``), so every element has
one canonical form and equality is exact. Elements of different fields are
compared and combined in the compositum Q(zeta_lcm). Sympy is used only for
display (:meth:`Cyc.to_sympy`).

>>> F = CyclotomicField(12)
>>> i, w3 = F.root_of_unity(4), F.root_of_unity(3)
>>> i * i == -1, w3**3 == 1, 1 + w3 + w3**2 == 0
(True, True, True)
>>> (i * i.conj()) == 1
True
>>> CyclotomicField(4).root_of_unity(4) == CyclotomicField(12).root_of_unity(4)
True
"""
from __future__ import annotations

import cmath
import math
from fractions import Fraction
from functools import lru_cache
from numbers import Rational
from typing import Union

from flint import fmpq, fmpq_poly, fmpz_poly

from algebra.lazy import lazy_module
from algebra.errors import FlowAlgebraError

sp = lazy_module("sympy")

__all__ = ["CyclotomicField", "Cyc", "Number", "common_field", "power", "MAX_CONDUCTOR"]

#: largest conductor accepted (keeps a typo from allocating a huge field)
MAX_CONDUCTOR = 100_000


class CyclotomicField:
    """The field Q(zeta_n), zeta_n = exp(2 pi i / n); one shared instance per n."""

    _instances: dict[int, "CyclotomicField"] = {}

    def __new__(cls, n: int) -> "CyclotomicField":
        n = int(n)
        if n < 1 or n > MAX_CONDUCTOR:
            raise FlowAlgebraError(f"cyclotomic conductor must be in 1..{MAX_CONDUCTOR}, got {n}")
        inst = cls._instances.get(n)
        if inst is None:
            inst = super().__new__(cls)
            inst.n = n
            inst.modulus = fmpq_poly(fmpz_poly.cyclotomic(n))
            inst.degree = inst.modulus.degree()
            cls._instances[n] = inst
        return inst

    def __repr__(self) -> str:
        return f"CyclotomicField({self.n})"

    def __reduce__(self):
        return (CyclotomicField, (self.n,))

    # -- constructors ----------------------------------------------------
    def element(self, poly: fmpq_poly) -> "Cyc":
        return Cyc(self, poly % self.modulus if poly.degree() >= self.degree else poly)

    def zero(self) -> "Cyc":
        return Cyc(self, fmpq_poly([]))

    def one(self) -> "Cyc":
        return Cyc(self, fmpq_poly([1]))

    def zeta(self, j: int = 1) -> "Cyc":
        """zeta_n ** j (any integer j)."""
        j %= self.n
        coeffs = [0] * (j + 1)
        coeffs[j] = 1
        return self.element(fmpq_poly(coeffs))

    def root_of_unity(self, order: int, power: int = 1) -> "Cyc":
        """exp(2 pi i power / order); ``order`` must divide the conductor."""
        if self.n % order:
            raise FlowAlgebraError(f"Q(zeta_{self.n}) has no primitive {order}-th root of unity")
        return self.zeta(power * (self.n // order))

    def __call__(self, x: "Number") -> "Cyc":
        """Coerce an int, Fraction, fmpq or Cyc (of a subfield) into this field."""
        if isinstance(x, Cyc):
            if x.field is self:
                return x
            if self.n % x.field.n:
                raise FlowAlgebraError(f"Q(zeta_{x.field.n}) is not a subfield of Q(zeta_{self.n})")
            step = self.n // x.field.n
            coeffs = x.poly.coeffs()
            big = [0] * (step * (len(coeffs) - 1) + 1) if coeffs else []
            for i, c in enumerate(coeffs):
                big[i * step] = c
            return self.element(fmpq_poly(big))
        if isinstance(x, bool):
            x = int(x)
        if isinstance(x, int):
            return Cyc(self, fmpq_poly([x]))
        if isinstance(x, (Fraction, Rational)):
            return Cyc(self, fmpq_poly([fmpq(int(x.numerator), int(x.denominator))]))
        if isinstance(x, fmpq):
            return Cyc(self, fmpq_poly([x]))
        raise FlowAlgebraError(f"cannot use {type(x).__name__} {x!r} as an exact number (floats are not exact)")


@lru_cache(maxsize=None)
def _conj_exponents(n: int, length: int) -> tuple[int, ...]:
    return tuple((-i) % n for i in range(length))


class Cyc:
    """An element of a cyclotomic field (immutable)."""

    __slots__ = ("field", "poly")

    def __init__(self, field: CyclotomicField, poly: fmpq_poly):
        self.field = field
        self.poly = poly

    # -- coercion --------------------------------------------------------
    def _pair(self, other) -> tuple["Cyc", "Cyc"]:
        if isinstance(other, Cyc):
            if other.field is self.field:
                return self, other
            big = common_field(self.field, other.field)
            return big(self), big(other)
        return self, self.field(other)

    # -- arithmetic ------------------------------------------------------
    def __add__(self, other) -> "Cyc":
        if not isinstance(other, _EXACT):
            return NotImplemented
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            return Cyc(self.field, self.poly + fmpq_poly([_fq(other)]))
        a, b = self._pair(other)
        return Cyc(a.field, a.poly + b.poly)

    __radd__ = __add__

    def __neg__(self) -> "Cyc":
        return Cyc(self.field, -self.poly)

    def __sub__(self, other) -> "Cyc":
        if not isinstance(other, _EXACT):
            return NotImplemented
        a, b = self._pair(other)
        return Cyc(a.field, a.poly - b.poly)

    def __rsub__(self, other) -> "Cyc":
        if not isinstance(other, _EXACT):
            return NotImplemented
        a, b = self._pair(other)
        return Cyc(a.field, b.poly - a.poly)

    def __mul__(self, other) -> "Cyc":
        if not isinstance(other, _EXACT):
            return NotImplemented
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            return Cyc(self.field, self.poly * _fq(other))
        a, b = self._pair(other)
        return a.field.element(a.poly * b.poly)

    __rmul__ = __mul__

    def __truediv__(self, other) -> "Cyc":
        if not isinstance(other, _EXACT):
            return NotImplemented
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            if other == 0:
                raise ZeroDivisionError("division by zero in a cyclotomic field")
            return Cyc(self.field, self.poly / _fq(other))
        a, b = self._pair(other)
        return a * b.inverse()

    def __rtruediv__(self, other) -> "Cyc":
        return self.field(other) * self.inverse()

    def __pow__(self, e: int) -> "Cyc":
        if not isinstance(e, int):
            raise TypeError("cyclotomic powers need an integer exponent")
        if e < 0:
            return self.inverse() ** (-e)
        return power(self, e, self.field.one())

    def inverse(self) -> "Cyc":
        if self.poly.is_zero():
            raise ZeroDivisionError("inverse of 0 in a cyclotomic field")
        g, s, _ = self.poly.xgcd(self.field.modulus)
        return self.field.element(s / g[0])

    def conj(self) -> "Cyc":
        """Complex conjugate: zeta -> zeta^-1."""
        coeffs = self.poly.coeffs()
        if len(coeffs) <= 1:
            return self
        n = self.field.n
        big = [0] * n
        for i, e in enumerate(_conj_exponents(n, len(coeffs))):
            big[e] += coeffs[i]
        return self.field.element(fmpq_poly(big))

    def abs2(self) -> "Cyc":
        """|x|^2 = x * conj(x) (a real element)."""
        return self * self.conj()

    # -- predicates ------------------------------------------------------
    def is_zero(self) -> bool:
        return self.poly.is_zero()

    def __bool__(self) -> bool:
        return not self.poly.is_zero()

    def __eq__(self, other) -> bool:
        if isinstance(other, Cyc) or isinstance(other, (int, Fraction, fmpq)):
            a, b = self._pair(other)
            return a.poly == b.poly
        return NotImplemented

    def __hash__(self) -> int:
        # rationals hash as rationals in every field; other elements hash by their key in their
        # own field (compare elements of one field when hashing matters, e.g. node multisets)
        coeffs = self.poly.coeffs()
        if len(coeffs) <= 1:
            return hash(Fraction(int(coeffs[0].p), int(coeffs[0].q)) if coeffs else 0)
        return hash((self.field.n, tuple(str(c) for c in coeffs)))

    def key(self) -> tuple:
        """A canonical, hashable key (within one field)."""
        return tuple(str(c) for c in self.poly.coeffs())

    def is_rational(self) -> bool:
        return self.poly.degree() <= 0

    def to_fraction(self) -> Fraction:
        if not self.is_rational():
            raise FlowAlgebraError(f"{self} is not rational")
        coeffs = self.poly.coeffs()
        return Fraction(int(coeffs[0].p), int(coeffs[0].q)) if coeffs else Fraction(0)

    def is_real(self) -> bool:
        return self == self.conj()

    # -- conversion ------------------------------------------------------
    def __complex__(self) -> complex:
        n = self.field.n
        return sum((float(c) * cmath.exp(2j * math.pi * i / n) for i, c in enumerate(self.poly.coeffs())), 0j)

    def to_sympy(self) -> sp.Expr:
        """A sympy number (radicals when n divides 24, else exp(2 pi i j/n) terms)."""
        n = self.field.n
        terms = []
        for i, c in enumerate(self.poly.coeffs()):
            if c != 0:
                terms.append(sp.Rational(int(c.p), int(c.q)) * sp.exp(2 * sp.pi * sp.I * sp.Rational(i, n)))
        expr = sp.Add(*terms)
        if 24 % n == 0:
            expr = sp.expand_complex(expr)
        return expr

    def __repr__(self) -> str:
        return f"Cyc({self.field.n}, {self.poly.coeffs()})"

    def __str__(self) -> str:
        return str(self.to_sympy())


Number = Union[int, Fraction, fmpq, Cyc]
_EXACT = (Cyc, int, Fraction, fmpq, Rational)


def _fq(x) -> fmpq:
    return fmpq(int(x.numerator), int(x.denominator)) if isinstance(x, Fraction) else fmpq(x)


def power(base, e: int, one):
    """base ** e by repeated squaring (e >= 0), for any multiplicative type with identity ``one``."""
    result = one
    while e:
        if e & 1:
            result = result * base
        base = base * base
        e >>= 1
    return result


def common_field(*fields: CyclotomicField) -> CyclotomicField:
    """The smallest cyclotomic field containing all the given ones.

    >>> common_field(CyclotomicField(3), CyclotomicField(4)).n
    12
    """
    n = 1
    for f in fields:
        n = n * f.n // math.gcd(n, f.n)
    return CyclotomicField(n)
