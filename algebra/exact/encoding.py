"""The JSON form of exact values: one convention for every result's ``to_json()``.

* an integer is a JSON integer;
* any other rational number is ``{"p": numerator, "q": denominator}`` (``q > 1``, in lowest terms);
* an irrational cyclotomic number, or a value that depends on free parameters, is a string: sympy's
  ``str`` of its exact form (``"2 - 2*I"``, ``"nu_1**2 + 1"``), never a float.

Floats belong to the numeric backends and are JSON numbers there; they are not exact values and
:func:`exact_json` refuses them. :func:`from_exact_json` reads the numbers back.

>>> from fractions import Fraction
>>> exact_json(Fraction(8, 7)), exact_json(Fraction(4, 2)), exact_json(0)
({'p': 8, 'q': 7}, 2, 0)
>>> from algebra.exact.cyclotomic import CyclotomicField
>>> exact_json(2 - 2 * CyclotomicField(4).root_of_unity(4))
'2 - 2*I'
>>> from_exact_json({"p": 8, "q": 7}), from_exact_json(3)
(Fraction(8, 7), 3)
"""
from __future__ import annotations

from fractions import Fraction
from numbers import Rational

from flint import fmpq

from algebra.lazy import lazy_module
from algebra.exact.cyclotomic import Cyc
from algebra.exact.parametric import PVal, exact_number

sp = lazy_module("sympy")

__all__ = ["exact_json", "from_exact_json", "rational_json"]


def rational_json(value: Fraction | int) -> int | dict:
    """An exact rational: an ``int`` when it is an integer, else ``{"p": ..., "q": ...}``."""
    f = Fraction(value)
    return int(f) if f.denominator == 1 else {"p": f.numerator, "q": f.denominator}


def exact_json(value) -> int | dict | str:
    """The JSON form of an exact value (int, Fraction, fmpq, sympy number, :class:`Cyc` or :class:`PVal`)."""
    if isinstance(value, bool) or isinstance(value, (float, complex)):
        raise TypeError(f"{type(value).__name__} {value!r} is not an exact value")
    if isinstance(value, (int, Fraction)) or (isinstance(value, Rational) and not isinstance(value, sp.Basic)):
        return rational_json(Fraction(int(value.numerator), int(value.denominator)))
    if isinstance(value, fmpq):
        return rational_json(Fraction(int(value.p), int(value.q)))
    if isinstance(value, Cyc):
        return rational_json(value.to_fraction()) if value.is_rational() else str(value.to_sympy())
    if isinstance(value, PVal):
        number = exact_number(value)
        return rational_json(number) if not isinstance(number, PVal) else str(value.to_sympy())
    if isinstance(value, sp.Basic):
        if value.is_Rational:
            return rational_json(Fraction(int(value.p), int(value.q)))
        if value.is_Float or value.has(sp.Float):
            raise TypeError(f"{value} holds floats; it is not an exact value")
        return str(value)
    raise TypeError(f"cannot encode {type(value).__name__} as an exact JSON value")


def from_exact_json(obj) -> int | Fraction | str:
    """Read :func:`exact_json`'s form back: an ``int``, a ``Fraction`` or the string of a symbolic value."""
    if isinstance(obj, bool):
        raise TypeError("a JSON boolean is not an exact value")
    if isinstance(obj, int):
        return obj
    if isinstance(obj, dict) and set(obj) == {"p", "q"}:
        return Fraction(int(obj["p"]), int(obj["q"]))
    if isinstance(obj, str):
        return obj
    raise TypeError(f"not the JSON form of an exact value: {obj!r}")
