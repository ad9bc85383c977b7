"""The exact loss decomposition: proved symbolically, checked numerically, used exactly."""
from fractions import Fraction

import numpy as np
import pytest

from algebra.cogo import constructions as C
from algebra.cogo.decomposition import (direct_loss, direct_loss_numeric, fourier_loss_numeric, loss, loss_terms,
                               prove_decomposition)
from algebra.cogo.training import fourier_arrays
from algebra.cogo.ring import Network
from algebra.errors import FlowAlgebraError
from algebra.exact.random import generator
from groups import AbelianGroup, Zd


@pytest.mark.parametrize("moduli,width", [((3,), 1), ((4,), 1), ((2, 2), 1), ((3,), 2), ((2,), 2)])
def test_decomposition_is_a_polynomial_identity(moduli, width):
    proof = prove_decomposition(AbelianGroup(moduli), width)
    assert proof.identical
    assert proof.direct_terms > 50  # a real polynomial, not a trivial zero
    assert "identical" in proof.summary()


@pytest.mark.parametrize("moduli", [(5,), (7,), (6,), (3, 3), (2, 2, 3)])
@pytest.mark.parametrize("dc", [True, False])
def test_decomposition_matches_direct_loss_numerically(moduli, dc):
    G = AbelianGroup(moduli)
    rng = generator(sum(moduli) + dc)
    W_a, W_b, W_c = rng.normal(size=(7, G.order)), rng.normal(size=(7, G.order)), rng.normal(size=(G.order, 7))
    if not dc:  # remove the DC component of the input weights
        W_a -= W_a.mean(axis=1, keepdims=True)
        W_b -= W_b.mean(axis=1, keepdims=True)
    A, B, Cc = fourier_arrays(G, W_a, W_b, W_c)
    assert np.allclose(A[:, 0], 0) == (not dc)
    direct = direct_loss_numeric(G, W_a, W_b, W_c)
    assert direct > 1.0
    assert fourier_loss_numeric(G, A, B, Cc) == pytest.approx(direct, rel=1e-10)


def test_exact_loss_of_small_integer_network_matches_direct_loss():
    G = Zd(5)
    W_a = [[1, 0, 2, -1, 0], [0, 1, 1, 0, -2]]
    W_b = [[0, 1, 0, 0, 1], [2, 0, -1, 1, 0]]
    W_c = [[1, 0], [0, 1], [1, 1], [-1, 0], [0, 2]]
    z = Network.from_weights(G, W_a, W_b, W_c)
    exact = loss(z)
    assert isinstance(exact, Fraction) and exact == direct_loss(G, W_a, W_b, W_c)
    assert float(exact) == pytest.approx(direct_loss_numeric(G, np.array(W_a, float), np.array(W_b, float), np.array(W_c, float)))


def test_zero_network_misses_every_target():
    for d in (3, 5, 8):
        assert loss(Network.zero(Zd(d))) == Fraction(d - 1, d)
        assert len(loss_terms(Network.zero(Zd(d)))) == d - 1


def test_Z_F6_real_weights_have_exactly_zero_direct_loss():
    """Independent of the decomposition: the real weight matrices of Z_F6 (nu_k fixed to
    roots of unity) fit every pair exactly, computed in Q(zeta_60) on all 25 pairs."""
    G = Zd(5)
    z = C.construct("F6", G, symbolic=False).subs({})
    W_a, W_b, W_c = z.to_weights()
    assert direct_loss(G, W_a, W_b, W_c) == 0
    z2 = C.construct("F6", G).subs({"nu_1": C.F12.zeta(1), "nu_2": C.F12.zeta(5)})
    assert direct_loss(G, *z2.to_weights()) == 0


def test_naive_F4_6_direct_loss_equals_decomposition():
    G = Zd(5)
    z = C.construct("F4_6_naive", G, symbolic=False)
    exact = loss(z)
    assert exact == Fraction(4, 5)  # two R_n terms (k = 2, 3 = -2), each (1/4)|2 - 2i|^2 / 5
    assert direct_loss(G, *z.to_weights()) == exact


def test_symbolic_loss_is_identically_zero_for_every_nu():
    z = C.construct("F6", Zd(7))
    assert z.params() == {"nu_1", "nu_2", "nu_3"}
    assert loss(z) == 0


def test_direct_loss_refuses_large_exact_instances():
    G = Zd(40)
    with pytest.raises(FlowAlgebraError, match="too large"):
        direct_loss(G, [[0] * 40] * 40, [[0] * 40] * 40, [[0] * 40] * 40)


def test_every_kind_of_potential_lands_in_its_term():
    """r_{k1 k2 k} with k1, k2 != 0 is an R_c term; with a DC index it joins S^a / S^b (R_*) or the
    input-independent sum (R_n); r^a, r^b join S^a_{k1+k2}, S^b_{k1+k2}."""
    G = Zd(3)
    W_a, W_b, W_c = [[1, 0, 2]], [[0, 1, 1]], [[1], [0], [2]]
    terms = loss_terms(Network.from_weights(G, W_a, W_b, W_c))
    by_kind = {c: [t.expression for t in terms if t.constraint == c] for c in ("target", "R_c", "R_*", "R_n")}
    assert by_kind["target"] == ["r_{1,1,1} - 1", "r_{2,2,2} - 1"]
    assert by_kind["R_c"] == ["r_{1,1,2}", "r_{1,2,1}", "r_{1,2,2}", "r_{2,1,1}", "r_{2,1,2}", "r_{2,2,1}"]
    assert by_kind["R_n"] == ["2 r_{0,0,1} + S^a_{0,1} + S^b_{0,1}", "2 r_{0,0,2} + S^a_{0,2} + S^b_{0,2}"]
    assert by_kind["R_*"][0] == "2 r_{1,0,1} + S^a_{1,1}" and by_kind["R_*"][-1] == "2 r_{0,2,2} + S^b_{2,2}"
    assert {t.weight for t in terms if t.constraint in ("R_*", "R_n")} == {Fraction(1, 4)}
    assert loss(Network.from_weights(G, W_a, W_b, W_c)) == direct_loss(G, W_a, W_b, W_c) == Fraction(440, 9)
    # no DC: only the squares r^a_{1,1,1}, r^b_{1,1,1} remain besides the missed targets, in S^a_{2,1}, S^b_{2,1}
    square = loss_terms(Network.from_nodes(Zd(5), [({1: 1}, {1: 1}, {1: 1})]))
    assert [t.expression for t in square if t.constraint == "R_*"] == ["2 r_{2,0,1} + S^a_{2,1}", "2 r_{0,2,1} + S^b_{2,1}"]


def test_terms_json_holds_exact_numbers():
    terms = loss_terms(C.construct("F4_6_naive", Zd(5), symbolic=False))
    j = [t.to_json() for t in terms]
    assert {t["weight"]["q"] for t in j} == {4} and all(t["weight"]["p"] == 1 for t in j)
    assert all(isinstance(t["k"], int) and t["value"] in ("2 - 2*I", "2 + 2*I") for t in j)
    zero = loss_terms(Network.zero(Zd(3)))[0].to_json()
    assert zero == {"constraint": "target", "k": 1, "term": "r_{1,1,1} - 1", "value": -1, "weight": 1}


def test_decomposition_proof_json_is_typed():
    j = prove_decomposition(Zd(3), 1).to_json()
    assert j == {"group": "Z_3", "width": 1, "variables": 9, "monomials": j["monomials"], "identical": True}
    assert isinstance(j["monomials"], int) and j["monomials"] > 50
