"""Laurent polynomials in free parameters: the kinds of parameter and how their variables behave."""
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from algebra.errors import FlowAlgebraError
from algebra.exact.cyclotomic import CyclotomicField
from algebra.exact.parametric import (KINDS, ComplexVariable, ConjugateVariable, Param, ParamKind, PVal, RealVariable,
                                      UnitVariable, exact_number, pval)

F12 = CyclotomicField(12)
I = F12.root_of_unity(4)
NU, XI, R = (PVal.param(Param("nu")), PVal.param(Param("xi", "complex")), PVal.param(Param("r", "real")))


def test_kinds_are_strings_with_their_variable():
    assert KINDS == ("unit", "complex", "real") and [k.value for k in ParamKind] == list(KINDS)
    assert ParamKind.UNIT == "unit" and ParamKind("complex") is ParamKind.COMPLEX
    assert [type(k.variable) for k in ParamKind] == [UnitVariable, ComplexVariable, RealVariable]
    assert Param("xi", "complex") == Param("xi", ParamKind.COMPLEX) and Param("xi", "complex").kind is ParamKind.COMPLEX
    assert repr(Param("nu")) == "Param(name='nu', kind='unit')" and f"{ParamKind.REAL}" == "real"
    assert [Param("a", k).var for k in KINDS] == ["u:a", "z:a", "r:a"]
    assert Param("x", "real").symbol() == sp.Symbol("x", real=True) and Param("x").symbol() == sp.Symbol("x")


@pytest.mark.parametrize("kind", ["circle", "", None, 3, "Unit"])
def test_unknown_kinds_are_refused(kind):
    with pytest.raises(FlowAlgebraError, match="parameter kind must be one of"):
        Param("a", kind)


def test_each_variable_conjugates_its_own_way():
    assert NU.conj() == NU ** -1  # unit circle
    assert R.conj() == R  # real
    assert XI.conj() != XI and XI.conj().conj() == XI  # complex: an independent conjugate
    assert str(XI.conj().to_sympy()) == "conjugate(xi)"
    assert UnitVariable().conjugate("nu", 3) == ("u:nu", -3)
    assert ComplexVariable().conjugate("xi", 2) == ("w:xi", 2) and ConjugateVariable().conjugate("xi", 2) == ("z:xi", 2)
    assert RealVariable().conjugate("r", 5) == ("r:r", 5)


def test_only_unit_parameters_invert():
    assert (NU ** 3).inverse() == NU ** -3
    for v in (XI, R, XI.conj()):
        with pytest.raises(FlowAlgebraError, match="only unit-circle parameters"):
            v.inverse()


def test_substitution_and_evaluation_follow_the_kind():
    v = NU * XI * XI.conj() + R
    assert v.subs({"xi": 2 * I}) == 4 * NU + R
    assert v.subs({"nu": I, "xi": 1, "r": Fraction(1, 2)}) == I + Fraction(1, 2)
    with pytest.raises(FlowAlgebraError, match="lies on the unit circle"):
        NU.subs({"nu": 2})
    assert (XI * XI.conj()).evaluate({"xi": 1 + 2j}) == pytest.approx(5)
    assert NU.conj().evaluate({"nu": 1j}) == pytest.approx(-1j)  # conj(nu) = 1/nu on the circle
    with pytest.raises(FlowAlgebraError, match="no value given"):
        R.evaluate({})


def test_exact_numbers():
    assert exact_number(PVal.const(3)) == 3 and type(exact_number(PVal.const(3))) is int
    assert exact_number(PVal.const(Fraction(3, 4))) == Fraction(3, 4)
    assert exact_number(PVal.const(I)) == PVal.const(I) and exact_number(NU) is NU
    assert pval(NU) is NU and pval(2) == 2


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.sampled_from([NU, XI, R, XI.conj(), PVal.const(I)]),
                          st.integers(0, 3)), max_size=4),
       st.lists(st.tuples(st.integers(-3, 3), st.sampled_from([NU, XI, R]), st.integers(0, 2)), max_size=3))
def test_conjugation_is_an_involutive_ring_map(xs, ys):
    x = sum((PVal.const(c) * v ** e for c, v, e in xs), PVal.const(0))
    y = sum((PVal.const(c) * v ** e for c, v, e in ys), PVal.const(0))
    assert x.conj().conj() == x
    assert (x * y).conj() == x.conj() * y.conj() and (x + y).conj() == x.conj() + y.conj()
    assert (x * x.conj()).conj() == x * x.conj()  # |x|^2 is real
