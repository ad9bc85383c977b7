"""Exact values with free parameters: Laurent polynomials over Q(zeta_n).

A :class:`PVal` is a finite sum of cyclotomic coefficients times monomials in
free parameters. Three kinds of parameter (:class:`Param`, :class:`ParamKind`):

* ``unit``: a point of the unit circle (conj(nu) = 1/nu, so negative powers are allowed);
* ``complex``: an arbitrary complex number (its conjugate is an independent variable);
* ``real``: a real number (conj(x) = x).

A monomial is a sorted tuple of (variable, exponent); a variable is a tag and the
parameter's name (``u:nu``, ``z:xi``, ``w:xi`` for conj(xi), ``r:x``), and the tag's
:class:`Variable` says how it conjugates, inverts, displays and takes values.

A PVal is zero as a function of its parameters exactly when all its
coefficients are zero, so ``== 0`` is an exact, symbolic statement ("for every
nu on the unit circle"). Sympy is used only for display.

>>> nu = Param("nu")
>>> v = PVal.param(nu)
>>> (v * v.conj()) == 1
True
>>> w = 1 + v * (-v) * (-(v ** -2))
>>> w == 2
True
>>> str((PVal.param(Param("xi", "complex")) * PVal.param(Param("xi", "complex")).conj()).to_sympy())
'xi*conjugate(xi)'
>>> Param("xi", "complex").kind is ParamKind.COMPLEX, exact_number(w), exact_number(v / 2 + v / 2 - v + Fraction(1, 3))
(True, 2, Fraction(1, 3))
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Iterable, Mapping

from algebra.lazy import lazy_module
from algebra.exact.cyclotomic import Cyc, CyclotomicField, common_field, power
from algebra.errors import FlowAlgebraError

sp = lazy_module("sympy")

__all__ = ["Param", "ParamKind", "PVal", "Variable", "UnitVariable", "ComplexVariable", "ConjugateVariable", "RealVariable",
           "KINDS", "exact_number", "pval", "total"]


# ---------------------------------------------------------------------------
# variables of monomials: one small class per tag, the behaviour as methods
# ---------------------------------------------------------------------------
class Variable:
    """How the variables with one tag behave in a monomial (a parameter, or the conjugate of a complex one)."""

    tag: str = ""
    #: has a monomial inverse (only unit-circle parameters: 1/nu = conj(nu))
    invertible: bool = False

    def conjugate(self, name: str, exponent: int) -> tuple[str, int]:
        """The factor ``conj(var ** exponent)`` as (variable, exponent)."""
        raise NotImplementedError

    def symbol(self, name: str) -> sp.Expr:
        """The variable for display."""
        return sp.Symbol(name)

    def value(self, name: str, v: "PVal") -> "PVal":
        """The exact value of this variable when the parameter ``name`` takes the value ``v``."""
        return v

    def number(self, x: complex) -> complex:
        """The numeric value of this variable when the parameter takes the value ``x``."""
        return x

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class UnitVariable(Variable):
    """A point of the unit circle: conj(nu) = nu^-1."""

    tag = "u:"
    invertible = True

    def conjugate(self, name: str, exponent: int) -> tuple[str, int]:
        return self.tag + name, -exponent

    def value(self, name: str, v: "PVal") -> "PVal":
        if not (v * v.conj() == 1):
            raise FlowAlgebraError(f"parameter {name} lies on the unit circle; {v} does not")
        return v


class ComplexVariable(Variable):
    """An arbitrary complex number: its conjugate is the independent variable :class:`ConjugateVariable`."""

    tag = "z:"

    def conjugate(self, name: str, exponent: int) -> tuple[str, int]:
        return ConjugateVariable.tag + name, exponent


class ConjugateVariable(Variable):
    """The conjugate of a complex parameter."""

    tag = "w:"

    def conjugate(self, name: str, exponent: int) -> tuple[str, int]:
        return ComplexVariable.tag + name, exponent

    def symbol(self, name: str) -> sp.Expr:
        return sp.conjugate(sp.Symbol(name))

    def value(self, name: str, v: "PVal") -> "PVal":
        return v.conj()

    def number(self, x: complex) -> complex:
        return x.conjugate()


class RealVariable(Variable):
    """A real number: conj(x) = x."""

    tag = "r:"

    def conjugate(self, name: str, exponent: int) -> tuple[str, int]:
        return self.tag + name, exponent

    def symbol(self, name: str) -> sp.Expr:
        return sp.Symbol(name, real=True)


_VARIABLES: dict[str, Variable] = {v.tag: v for v in (UnitVariable(), ComplexVariable(), ConjugateVariable(), RealVariable())}


def _variable(var: str) -> tuple[Variable, str]:
    """The behaviour and the parameter name of a monomial variable such as ``u:nu``."""
    return _VARIABLES[var[:2]], var[2:]


class ParamKind(str, Enum):
    """The kind of a free parameter; each member carries the :class:`Variable` of its parameters.

    Members are strings (``ParamKind.UNIT == "unit"``), so ``Param("xi", "complex")`` still reads as written.
    """

    UNIT = ("unit", UnitVariable.tag)
    COMPLEX = ("complex", ComplexVariable.tag)
    REAL = ("real", RealVariable.tag)

    def __new__(cls, value: str, tag: str) -> "ParamKind":
        member = str.__new__(cls, value)
        member._value_ = value
        member.variable = _VARIABLES[tag]
        return member

    def __repr__(self) -> str:
        return repr(self.value)

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


#: the kinds a parameter may have, by name
KINDS = tuple(kind.value for kind in ParamKind)


@dataclass(frozen=True)
class Param:
    """A free parameter: a name and a kind (``unit``, ``complex`` or ``real``, see :class:`ParamKind`)."""

    name: str
    kind: ParamKind = ParamKind.UNIT

    def __post_init__(self) -> None:
        try:
            kind = ParamKind(self.kind)
        except (ValueError, TypeError):
            raise FlowAlgebraError(f"parameter kind must be one of {KINDS}, got {self.kind!r}") from None
        object.__setattr__(self, "kind", kind)
        if not self.name or not all(ch.isalnum() or ch == "_" for ch in self.name):
            raise FlowAlgebraError(f"parameter names are letters, digits and _, got {self.name!r}")

    @property
    def var(self) -> str:
        """The monomial variable of this parameter (tag and name)."""
        return self.kind.variable.tag + self.name

    def symbol(self) -> sp.Symbol:
        return self.kind.variable.symbol(self.name)


Monomial = tuple  # sorted tuple of (var, exponent)


def _mono_mul(m1: Monomial, m2: Monomial) -> Monomial:
    if not m1:
        return m2
    if not m2:
        return m1
    exps = dict(m1)
    for v, e in m2:
        e2 = exps.get(v, 0) + e
        if e2:
            exps[v] = e2
        else:
            exps.pop(v, None)
    return tuple(sorted(exps.items()))


def _mono_conj(m: Monomial) -> Monomial:
    out = []
    for var, e in m:
        kind, name = _variable(var)
        out.append(kind.conjugate(name, e))
    return tuple(sorted(out))


class PVal:
    """A Laurent polynomial in free parameters with cyclotomic coefficients (immutable)."""

    __slots__ = ("field", "terms")

    def __init__(self, field: CyclotomicField, terms: Mapping[Monomial, Cyc]):
        self.field = field
        self.terms = terms  # never holds zero coefficients; all coefficients in ``field``

    # -- constructors ----------------------------------------------------
    @staticmethod
    def const(x, field: CyclotomicField | None = None) -> "PVal":
        if isinstance(x, PVal):
            return x if field is None or x.field is field else x.to_field(common_field(x.field, field))
        if isinstance(x, Cyc):
            f = x.field if field is None else common_field(x.field, field)
            c = f(x)
        else:
            f = field or CyclotomicField(1)
            c = f(x)
        return PVal(f, {(): c} if c else {})

    @staticmethod
    def param(p: Param, field: CyclotomicField | None = None) -> "PVal":
        f = field or CyclotomicField(1)
        return PVal(f, {((p.var, 1),): f.one()})

    def to_field(self, field: CyclotomicField) -> "PVal":
        if field is self.field:
            return self
        return PVal(field, {m: field(c) for m, c in self.terms.items()})

    def _pair(self, other) -> tuple["PVal", "PVal"]:
        if not isinstance(other, PVal):
            other = PVal.const(other, self.field) if not isinstance(other, Cyc) else PVal.const(other)
        if other.field is self.field:
            return self, other
        f = common_field(self.field, other.field)
        return self.to_field(f), other.to_field(f)

    # -- arithmetic ------------------------------------------------------
    def __add__(self, other) -> "PVal":
        a, b = self._pair(other)
        if not b.terms:
            return a
        if not a.terms:
            return b
        terms = dict(a.terms)
        for m, c in b.terms.items():
            s = terms.get(m)
            s = c if s is None else s + c
            if s:
                terms[m] = s
            else:
                terms.pop(m, None)
        return PVal(a.field, terms)

    __radd__ = __add__

    def __neg__(self) -> "PVal":
        return PVal(self.field, {m: -c for m, c in self.terms.items()})

    def __sub__(self, other) -> "PVal":
        a, b = self._pair(other)
        return a + (-b)

    def __rsub__(self, other) -> "PVal":
        a, b = self._pair(other)
        return b + (-a)

    def __mul__(self, other) -> "PVal":
        a, b = self._pair(other)
        if not a.terms or not b.terms:
            return PVal(a.field, {})
        if len(a.terms) == 1 and len(b.terms) == 1:
            (m1, c1), = a.terms.items()
            (m2, c2), = b.terms.items()
            c = c1 * c2
            return PVal(a.field, {_mono_mul(m1, m2): c} if c else {})
        terms: dict = {}
        for m1, c1 in a.terms.items():
            for m2, c2 in b.terms.items():
                m = _mono_mul(m1, m2)
                s = terms.get(m)
                p = c1 * c2
                terms[m] = p if s is None else s + p
        return PVal(a.field, {m: c for m, c in terms.items() if c})

    __rmul__ = __mul__

    def __pow__(self, e: int) -> "PVal":
        if not isinstance(e, int):
            raise TypeError("PVal powers need an integer exponent")
        base = self
        if e < 0:
            base, e = self.inverse(), -e
        return power(base, e, PVal.const(1, self.field))

    def inverse(self) -> "PVal":
        """Inverse of a single term whose parameters are all on the unit circle."""
        if len(self.terms) != 1:
            raise FlowAlgebraError(f"only monomials can be inverted exactly, not {self}")
        (m, c), = self.terms.items()
        if any(not _variable(v)[0].invertible for v, _ in m):
            raise FlowAlgebraError(f"cannot invert {self}: only unit-circle parameters have inverses")
        return PVal(self.field, {tuple((v, -e) for v, e in m): c.inverse()})

    def __truediv__(self, other) -> "PVal":
        if isinstance(other, PVal):
            return self * other.inverse()
        if isinstance(other, Cyc):
            return self * PVal.const(other.inverse())
        if other == 0:
            raise ZeroDivisionError("division of a PVal by zero")
        return self * PVal.const(Fraction(1) / Fraction(other), self.field)

    def conj(self) -> "PVal":
        return PVal(self.field, {_mono_conj(m): c.conj() for m, c in self.terms.items()})

    def abs2(self) -> "PVal":
        return self * self.conj()

    # -- predicates ------------------------------------------------------
    def is_zero(self) -> bool:
        return not self.terms

    def __bool__(self) -> bool:
        return bool(self.terms)

    def __eq__(self, other) -> bool:
        if not isinstance(other, (PVal, Cyc, int, Fraction)):
            return NotImplemented
        return (self - other).is_zero()

    def __hash__(self) -> int:
        return hash(self.key())

    def is_constant(self) -> bool:
        return not self.terms or (len(self.terms) == 1 and () in self.terms)

    def constant(self) -> Cyc:
        if not self.is_constant():
            raise FlowAlgebraError(f"{self} depends on free parameters")
        return self.terms.get((), self.field.zero())

    def key(self) -> tuple:
        """A canonical hashable form (within one field)."""
        return tuple(sorted((m, c.key()) for m, c in self.terms.items()))

    def params(self) -> set[str]:
        """Names of the free parameters this value depends on."""
        return {v[2:] for m in self.terms for v, _ in m}

    # -- substitution / evaluation ---------------------------------------
    def subs(self, values: Mapping[str, "PVal | Cyc | int | Fraction"]) -> "PVal":
        """Substitute exact values for parameters (by name); a unit parameter needs |value| = 1."""
        out = PVal.const(0, self.field)
        cache: dict[str, PVal] = {}

        def val_of(var: str) -> PVal | None:
            kind, name = _variable(var)
            if name not in values:
                return None
            if var not in cache:
                cache[var] = kind.value(name, pval(values[name]))
            return cache[var]

        for m, c in self.terms.items():
            term = PVal(self.field, {(): c})
            rest = []
            for var, e in m:
                v = val_of(var)
                if v is None:
                    rest.append((var, e))
                else:
                    term = term * (v ** e)
            term = term * PVal(self.field, {tuple(rest): self.field.one()})
            out = out + term
        return out

    def evaluate(self, values: Mapping[str, complex] | None = None) -> complex:
        """Numeric value (floats: for the numeric backend and for display only)."""
        values = values or {}
        total = 0j
        for m, c in self.terms.items():
            t = complex(c)
            for var, e in m:
                kind, name = _variable(var)
                if name not in values:
                    raise FlowAlgebraError(f"no value given for parameter {name}")
                t *= kind.number(complex(values[name])) ** e
            total += t
        return total

    def to_sympy(self) -> sp.Expr:
        out = []
        for m, c in self.terms.items():
            t = c.to_sympy()
            for var, e in m:
                kind, name = _variable(var)
                t = t * kind.symbol(name) ** e
            out.append(t)
        return sp.Add(*out)

    def __repr__(self) -> str:
        return f"PVal({self.to_sympy()})"

    def __str__(self) -> str:
        return str(self.to_sympy())


def pval(x, field: CyclotomicField | None = None) -> PVal:
    """Coerce a number, Cyc or PVal to a PVal."""
    return x if isinstance(x, PVal) and field is None else PVal.const(x, field)


def total(values: Iterable[PVal], field: CyclotomicField | None = None) -> PVal:
    """Sum of PVals (0 for an empty iterable)."""
    out = PVal.const(0, field)
    for v in values:
        out = out + v
    return out


def exact_number(v: PVal) -> "int | Fraction | PVal":
    """``v`` as an ``int`` or ``Fraction`` when it is a rational constant, else ``v`` itself (how results
    hold exact values: plain numbers whenever they are numbers)."""
    if v.is_constant() and v.constant().is_rational():
        f = v.constant().to_fraction()
        return int(f) if f.denominator == 1 else f
    return v
