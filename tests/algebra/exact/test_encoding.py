"""The JSON form of exact values: integers, {"p", "q"} rationals, strings only for symbolic values."""
import json
from fractions import Fraction

import pytest
import sympy as sp
from flint import fmpq
from hypothesis import given, strategies as st

from algebra.exact.cyclotomic import CyclotomicField
from algebra.exact.encoding import exact_json, from_exact_json, rational_json
from algebra.exact.parametric import Param, PVal

I = CyclotomicField(4).root_of_unity(4)


@pytest.mark.parametrize("value,form", [
    (0, 0), (-7, -7), (Fraction(8, 7), {"p": 8, "q": 7}), (Fraction(-6, 4), {"p": -3, "q": 2}), (Fraction(4, 2), 2),
    (fmpq(1, 3), {"p": 1, "q": 3}), (sp.Rational(5, 10), {"p": 1, "q": 2}), (sp.Integer(4), 4),
    (I * I, -1), ((I + 1) / 2 - I / 2, {"p": 1, "q": 2}), (2 - 2 * I, "2 - 2*I"),
    (PVal.const(Fraction(1, 4)), {"p": 1, "q": 4}), (PVal.const(I), "I"),
    (PVal.param(Param("nu")) + 1, "nu + 1"), (sp.sqrt(2), "sqrt(2)"),
])
def test_forms(value, form):
    assert exact_json(value) == form
    assert json.loads(json.dumps(exact_json(value))) == form


@pytest.mark.parametrize("value", [0.5, 1.0, 2j, True, sp.Float(0.5), sp.Float(2.0) * sp.Symbol("x"), "1/2", None])
def test_floats_and_other_things_are_not_exact(value):
    with pytest.raises(TypeError):
        exact_json(value)


@given(st.fractions(max_denominator=10**6))
def test_rationals_round_trip(f):
    form = rational_json(f)
    assert isinstance(form, int) == (f.denominator == 1)
    assert from_exact_json(json.loads(json.dumps(form))) == f


def test_reading_back():
    assert from_exact_json("2 - 2*I") == "2 - 2*I"
    for bad in (True, 0.5, {"p": 1}, [1, 2]):
        with pytest.raises(TypeError):
            from_exact_json(bad)
