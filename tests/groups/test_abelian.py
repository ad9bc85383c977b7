"""Finite Abelian groups, characters and the exact Fourier transform (groups/abelian.py)."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from algebra.exact.cyclotomic import CyclotomicField
from algebra.errors import FlowAlgebraError
from groups import AbelianGroup, Zd, parse_group, product
from algebra.cogo.strategies import small_groups


def test_names_orders_exponents():
    G = Zd(2) * Zd(3) * Zd(4)
    assert (G.order, G.exponent, G.name) == (24, 12, "Z_2 x Z_3 x Z_4")
    assert product(Zd(3), Zd(5)) == AbelianGroup((3, 5))
    assert parse_group(" 2 x 3x4 ") == G


@pytest.mark.parametrize("bad", ["", "2x", "x3", "2*3", "a", "2x3x" + "9" * 70, "__import__('os')"])
def test_parse_group_rejects(bad):
    with pytest.raises(FlowAlgebraError):
        parse_group(bad)


@pytest.mark.parametrize("d", [1, 0, -3])
def test_small_d_rejected(d):
    with pytest.raises(FlowAlgebraError, match="d >= 2"):
        Zd(d)


def test_absurd_order_rejected():
    with pytest.raises(FlowAlgebraError, match="too large"):
        Zd(1000) * Zd(1000)


@settings(max_examples=20, deadline=None)
@given(small_groups(), st.data())
def test_group_axioms(G, data):
    x, y, z = (data.draw(st.integers(0, G.order - 1)) for _ in range(3))
    assert G.add(x, G.add(y, z)) == G.add(G.add(x, y), z)
    assert G.add(x, y) == G.add(y, x)
    assert G.add(x, 0) == x and G.add(x, G.neg(x)) == 0
    assert G.from_tuple(G.to_tuple(x)) == x


@pytest.mark.parametrize("moduli", [(5,), (4,), (2, 2), (3, 3), (2, 3)])
def test_characters_are_orthogonal_exactly(moduli):
    G = AbelianGroup(moduli)
    F = G.field
    for k in range(G.order):
        for kk in range(G.order):
            s = F.zero()
            for g in G.elements():
                s = s + G.character(k, g) * G.character(kk, g).conj()
            assert s == (G.order if k == kk else 0)


@pytest.mark.parametrize("moduli", [(5,), (2, 3)])
def test_characters_are_homomorphisms(moduli):
    G = AbelianGroup(moduli)
    for k in range(G.order):
        for g in range(G.order):
            for h in range(G.order):
                assert G.character(k, G.add(g, h)) == G.character(k, g) * G.character(k, h)
            assert G.character(G.neg(k), g) == G.character(k, g).conj()


@settings(max_examples=25, deadline=None)
@given(small_groups(), st.data())
def test_fourier_round_trip_exact(G, data):
    row = data.draw(st.lists(st.builds(Fraction, st.integers(-9, 9), st.integers(1, 5)),
                             min_size=G.order, max_size=G.order))
    coeffs = G.fourier(row)
    back = G.inverse_fourier([coeffs])[0]
    assert [Fraction(x) if not hasattr(x, "poly") else x.to_fraction() for x in back] == row
    # a real row has conjugate-symmetric coefficients
    for k in range(G.order):
        ck, cmk = coeffs[k], coeffs[G.neg(k)]
        conj = ck.conj() if hasattr(ck, "conj") else ck
        assert cmk == conj


def test_exact_and_numeric_transforms_agree():
    G = Zd(3) * Zd(5)
    rng = np.random.default_rng(0)
    W = rng.integers(-4, 5, size=(3, G.order))
    exact = [G.fourier(list(map(int, r))) for r in W]
    num = G.fourier_numeric(W)
    assert np.allclose(np.array([[complex(x) for x in r] for r in exact]), num)


def test_conjugate_pairs_and_self_conjugate():
    assert Zd(7).conjugate_pairs() == [1, 2, 3]
    assert Zd(8).is_self_conjugate(4) and not Zd(8).is_self_conjugate(3)
    G = Zd(3) * Zd(3)
    assert len(G.conjugate_pairs()) == 4


def test_cyclotomic_field_embeddings():
    a = CyclotomicField(3).root_of_unity(3)
    b = CyclotomicField(12).root_of_unity(3)
    assert a == b and a * CyclotomicField(4).root_of_unity(4) == b * CyclotomicField(12).zeta(3)
    with pytest.raises(FlowAlgebraError):
        CyclotomicField(5).root_of_unity(3)
    with pytest.raises(FlowAlgebraError):
        CyclotomicField(5)(0.5)
