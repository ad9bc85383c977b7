"""Cyclotomic fields: canonical forms, conjugation, embeddings, and exact-only coercion."""
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from algebra.errors import FlowAlgebraError
from algebra.exact.cyclotomic import MAX_CONDUCTOR, CyclotomicField, common_field, power


def test_roots_of_unity_and_canonical_form():
    F = CyclotomicField(12)
    i, w3 = F.root_of_unity(4), F.root_of_unity(3)
    assert i * i == -1 and w3 ** 3 == 1 and 1 + w3 + w3 ** 2 == 0
    assert F.zeta(13) == F.zeta(1) and F.zeta(-1) == F.zeta(11) == F.zeta().inverse()
    assert (i * i / 2).to_fraction() == Fraction(-1, 2) and not i.is_rational()
    assert CyclotomicField(12) is F and common_field(CyclotomicField(3), CyclotomicField(4)) is F


def test_exact_only():
    with pytest.raises(FlowAlgebraError, match="floats are not exact"):
        CyclotomicField(4)(0.5)
    with pytest.raises(FlowAlgebraError, match="conductor"):
        CyclotomicField(MAX_CONDUCTOR + 1)
    with pytest.raises(FlowAlgebraError, match="not a subfield"):
        CyclotomicField(4)(CyclotomicField(3).zeta())
    with pytest.raises(ZeroDivisionError):
        CyclotomicField(5).zero().inverse()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-4, 4), st.integers(0, 14)), min_size=1, max_size=4), st.integers(0, 6))
def test_conjugation_and_powers(terms, e):
    F = CyclotomicField(15)
    x = sum((F.zeta(j) * c for c, j in terms), F.zero())
    assert x.conj().conj() == x and (x * x.conj()).is_real()
    assert power(x, e, F.one()) == x ** e
    assert complex(x.conj()) == pytest.approx(complex(x).conjugate(), abs=1e-9)
    big = CyclotomicField(45)
    assert big(x) == x and big(x).conj() == big(x.conj())
