"""Named partial solutions and constructions: exactly which potentials vanish, which are global optimizers."""
from fractions import Fraction

import pytest

from algebra.cogo import constructions as C
from algebra.cogo.decomposition import block_loss_terms, loss, loss_terms
from algebra.errors import FlowAlgebraError
from algebra.exact.parametric import Param, PVal
from groups import AbelianGroup, Zd

RC = ["r_{-k,k,k}", "r_{k,-k,k}", "r_{-k,-k,k}"]
RSTAR = ["r^a_{k,k,k}", "r^a_{-k,-k,k}", "r^b_{k,k,k}", "r^b_{-k,-k,k}"]
RN = ["r^a_{k,-k,k}", "r^b_{k,-k,k}"]

EXPECTED_VANISHING = {
    "nu": ["r^a_{k,k,k}", "r^b_{k,k,k}"],
    "nu_i": RC[:2] + RSTAR,
    "xi": ["r_{-k,-k,k}"],
    "syn": RC + ["r^a_{-k,-k,k}", "r^b_{-k,-k,k}"] + RN,
    "syn_ab": ["r_{-k,-k,k}"] + RN,
    "nu*syn": RC + RSTAR + RN,
    "nu_i*syn_ab": RC + RSTAR + RN,
    "nu_i*syn": RC + RSTAR + RN,
    "nu_i*xi": RC + RSTAR,
}


@pytest.mark.parametrize("name", sorted(EXPECTED_VANISHING))
def test_vanishing_sets(name):
    pots = C.parse_block_expression(name).potentials()
    assert sorted(pots.vanishing()) == sorted(EXPECTED_VANISHING[name])


def test_exact_values_of_what_remains():
    assert C.nu_i().potentials().remaining() == {"r_{k,k,k}": 2, "r_{-k,-k,k}": 2, "r^a_{k,-k,k}": 2, "r^b_{k,-k,k}": 2}
    syn = C.syn().potentials()
    assert syn.value("r_{k,k,k}") == 3 and syn.value("r^a_{k,k,k}") == 3
    left = (C.nu_i() * C.xi()).potentials().remaining()
    one_minus_i = 2 - 2 * C.I
    assert left["r_{k,k,k}"] == 4 and left["r^a_{k,-k,k}"] == one_minus_i and left["r^b_{k,-k,k}"] == one_minus_i
    nu = C.nu().potentials()
    v = PVal.param(Param("nu"))
    assert nu.values["r_{-k,k,k}"] == 1 + v ** -2
    assert nu.values["r^a_{-k,-k,k}"] == 1 - v ** -4


def test_xi_off_the_unit_circle_needs_modulus_one():
    pots = C.xi(unit=False).potentials()
    x = PVal.param(Param("xi", "complex"))
    assert pots.values["r_{-k,-k,k}"] == 1 - x * x.conj()
    assert "r_{-k,-k,k}" not in pots.vanishing()


@pytest.mark.parametrize("name", ["nu*syn", "nu_i*syn_ab", "nu_i*syn"])
def test_order6_blocks_zero_every_non_target_term(name):
    b = C.parse_block_expression(name)
    terms = block_loss_terms(b * C.scalar(Fraction(1, 6)))
    assert terms == []
    assert loss(b * C.scalar(Fraction(1, 6))) == 0


def test_order4_block_leaves_only_R_n():
    b = C.nu_i() * C.xi() * C.scalar(Fraction(1, 4))
    terms = block_loss_terms(b)
    assert [t.constraint for t in terms] == ["R_n"]
    assert terms[0].value == 2 - 2 * C.I
    assert loss(b) == 2  # (1/4) |2 - 2i|^2


@pytest.mark.parametrize("d", [3, 5, 7, 9, 11, 13, 15, 21])
def test_Z_F6_and_z_F4_6_are_global_optimizers(d):
    G = Zd(d)
    for name, nodes in (("F6", 3 * (d - 1)), ("F4_6", 2 * d)):
        z = C.construct(name, G)
        assert z.num_nodes == nodes
        assert loss(z) == 0 and loss_terms(z) == []


@pytest.mark.parametrize("moduli", [(3, 3), (3, 5)])
def test_constructions_over_product_groups(moduli):
    G = AbelianGroup(moduli)
    for name in ("F6", "F4_6", "nu*syn", "nu_i*syn_ab"):
        assert loss(C.construct(name, G)) == 0
    assert loss(C.construct("nu_i*xi", G)) != 0


@pytest.mark.parametrize("d", [5, 7, 11])
def test_naive_F4_6_leaves_R_n_of_every_order4_frequency(d):
    z = C.construct("F4_6_naive", Zd(d))
    terms = loss_terms(z)
    order4 = Zd(d).conjugate_pairs()[1:]
    assert {t.constraint for t in terms} == {"R_n"}
    assert sorted(t.k for t in terms) == sorted(order4 + [d - k for k in order4])
    assert all(t.value == 2 - 2 * C.I or t.value == 2 + 2 * C.I for t in terms)
    assert loss(z) == Fraction(2 * (d - 3), d)


@pytest.mark.parametrize("moduli", [(2,), (3,), (4,), (5,), (2, 2), (2, 3)])
def test_perfect_memorisation(moduli):
    G = AbelianGroup(moduli)
    z = C.construct("M", G)
    assert z.num_nodes == G.order ** 2
    assert loss(z) == 0
    assert loss(C.z_1(G) * Fraction(1, G.order)) != 0  # one factor alone is not enough


def test_memorisation_is_a_real_one_hot_network():
    G = Zd(3)
    z = C.construct("M", G)
    W_a, _, _ = z.to_weights()
    assert sorted(tuple(int(x.constant().to_fraction()) for x in row) for row in W_a) == \
        sorted([(3, 0, 0), (0, 3, 0), (0, 0, 3)] * 3)


@pytest.mark.parametrize("d", [2, 4, 8])
def test_even_d_is_rejected_for_per_frequency_constructions(d):
    for name in ("F6", "F4_6", "nu_i*xi"):
        with pytest.raises(FlowAlgebraError, match="self-conjugate"):
            C.construct(name, Zd(d))


@pytest.mark.parametrize("bad", ["foo", "nu**2", "nu*", "__import__", "nu;syn", "F7"])
def test_unknown_names_are_rejected(bad):
    with pytest.raises(FlowAlgebraError):
        C.construct(bad, Zd(5))


def test_user_ring_expressions_extend():
    z = (C.nu_i() + C.nu()) * C.syn()
    assert z.num_nodes == 12
    # a sum of two block types: r_kkk = 2*3 + 2*3 and the syn factor still zeroes R_c and R_n
    pots = z.potentials()
    assert pots.value("r_{k,k,k}") == 12
    assert set(RC + RN) <= set(pots.vanishing())


def test_catalog_lists_every_name():
    cat = C.catalog()
    assert set(cat.to_json()) == set(C.NETWORKS) | set(C.BLOCKS)
    assert all(isinstance(v, str) for v in cat.to_json().values())
    assert cat.summary().splitlines()[0].startswith("F6")
    assert cat.derivation().title == "CoGO constructions"
