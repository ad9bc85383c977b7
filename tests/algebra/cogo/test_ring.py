"""The CoGO semi-ring: axioms up to node permutation, homomorphisms, real <-> Fourier round trips, node types."""
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from algebra.cogo.ring import Block, LeafNetwork, Network, Placement, ProductNetwork, ScalarNetwork, SumNetwork
from algebra.errors import FlowAlgebraError
from algebra.exact.parametric import Param, PVal
from algebra.cogo.potentials import LOCAL_POTENTIALS, MonomialPotential
from algebra.cogo.strategies import blocks, local_potentials, monomial_potentials, real_weights, ring_elements
from groups import Zd

SET = settings(max_examples=30, deadline=None)
G5 = Zd(5)
G33 = Zd(3) * Zd(3)


# -- ring axioms (blocks) ------------------------------------------------------
@SET
@given(blocks(), blocks(), blocks())
def test_block_semiring_axioms(x, y, z):
    one, zero = Block.one(), Block.zero()
    assert x + y == y + x
    assert (x + y) + z == x + (y + z)
    assert x * y == y * x
    assert (x * y) * z == x * (y * z)
    assert x * (y + z) == x * y + x * z
    assert x + zero == x and x * one == x
    assert x * zero == zero


@SET
@given(blocks(max_nodes=4), st.randoms())
def test_block_equality_is_up_to_permutation(x, rnd):
    nodes = list(x.nodes)
    rnd.shuffle(nodes)
    assert Block(nodes) == x
    if x.num_nodes:
        changed = [nodes[0][:2] + (nodes[0][2] + 1,)] + nodes[1:]
        assert Block(changed) != x


# -- ring axioms (networks over a group) --------------------------------------
@settings(max_examples=20, deadline=None)
@given(st.data())
def test_network_semiring_axioms(data):
    G = data.draw(st.sampled_from([G5, G33]))
    x, y, z = (data.draw(ring_elements(G)) for _ in range(3))
    assert x + y == y + x
    assert (x * y) * z == x * (y * z)
    assert x * (y + z) == x * y + x * z
    assert x * Network.one(G) == x
    assert x * Network.zero(G) == Network.zero(G)


def test_networks_over_different_groups_do_not_mix():
    with pytest.raises(FlowAlgebraError):
        Network.zero(Zd(5)) + Network.zero(Zd(7))


# -- homomorphisms -------------------------------------------------------------
@SET
@given(blocks(), blocks(), local_potentials())
def test_every_local_potential_is_a_homomorphism(x, y, r):
    assert r(x + y) == r(x) + r(y)
    assert r(x * y) == r(x) * r(y)
    assert r(Block.one()) == 1 and r(Block.zero()) == 0


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_every_monomial_potential_is_a_homomorphism(data):
    G = data.draw(st.sampled_from([G5, G33]))
    x, y = data.draw(ring_elements(G)), data.draw(ring_elements(G))
    r = data.draw(monomial_potentials(G))
    assert r(x + y) == r(x) + r(y)
    assert r(x * y) == r(x) * r(y)
    assert r(Network.one(G)) == 1


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_potential_table_matches_direct_monomials(data):
    """The table (computed through the homomorphisms for sums and products) equals each monomial evaluated node by node."""
    G = G5
    x, y = data.draw(ring_elements(G)), data.draw(ring_elements(G))
    z = x * y + x
    table = z.potential_table()
    for k1 in range(G.order):
        for k2 in range(G.order):
            for k in range(1, G.order):
                for kind, pot in (("ab", MonomialPotential.r(k1, k2, k)), ("aa", MonomialPotential.rp("a", k1, k2, k)),
                                  ("bb", MonomialPotential.rp("b", k1, k2, k))):
                    assert table.get((kind, k1, k2, k), PVal.const(0)) == pot(z)


def test_symbolic_homomorphism():
    nu = PVal.param(Param("nu"))
    x = Block.from_nodes([(1, 1, 1), (nu, -nu, -(nu ** -2))])
    y = Block.from_nodes([(nu, 2, 3)])
    for r in LOCAL_POTENTIALS:
        assert r(x * y) == r(x) * r(y)


# -- real <-> Fourier ---------------------------------------------------------
@settings(max_examples=15, deadline=None)
@given(st.data())
def test_real_weights_round_trip(data):
    G = data.draw(st.sampled_from([Zd(3), Zd(4), Zd(2) * Zd(2), Zd(5)]))
    W_a, W_b, W_c = data.draw(real_weights(G))
    z = Network.from_weights(G, W_a, W_b, W_c)
    assert z.is_real()
    Va, Vb, Vc = z.to_weights()
    assert [[x for x in r] for r in Va] == [[PVal.const(x) for x in r] for r in W_a]
    assert Vb == [[PVal.const(x) for x in r] for r in W_b]
    assert Vc == [[PVal.const(x) for x in r] for r in W_c]
    assert Network.from_weights(G, Va, Vb, Vc) == z


def test_real_network_maps_to_real_network():
    from algebra.cogo import constructions as C

    z = C.construct("F6", Zd(5))
    assert z.is_real()
    W_a, W_b, W_c = z.to_weights()
    for M in (W_a, W_b, W_c):
        for row in M:
            for x in row:
                assert x == x.conj()
    assert Network.from_weights(Zd(5), W_a, W_b, W_c) == z


def test_block_placed_off_a_pair_is_not_real():
    z = Network.from_nodes(G5, [({1: 1}, {1: 1}, {1: 1})])
    assert not z.is_real()


def test_floats_are_refused_by_the_exact_ring():
    import numpy as np

    with pytest.raises(FlowAlgebraError, match="floats"):
        Network.from_weights(G5, np.ones((1, 5)), np.ones((1, 5)), np.ones((5, 1)))
    with pytest.raises(FlowAlgebraError):
        Block.from_nodes([(0.5, 1, 1)])


def test_self_conjugate_frequency_rejected_for_complex_block():
    with pytest.raises(FlowAlgebraError, match="self-conjugate"):
        Block.one().at(Zd(4), 2)


def test_product_counts_nodes_without_materialising():
    from algebra.cogo import constructions as C

    z = C.z_1(Zd(7)) * C.z_2(Zd(7))
    assert z.num_nodes == 49 and z._nodes is None
    assert z * Fraction(1, 49) is not None


# -- node types of networks ------------------------------------------------------
def test_each_way_of_building_a_network_has_its_node_type():
    x = Network.from_nodes(G5, [({1: 2}, {1: 3}, {1: 5})])
    one = Network.one(G5)
    cases = [(x, LeafNetwork, "leaf", 1), (Network.zero(G5), LeafNetwork, "leaf", 0), (one, ScalarNetwork, "scalar", 1),
             (x + x, SumNetwork, "sum", 2), (x * x, ProductNetwork, "prod", 1), (x * 3, ProductNetwork, "prod", 1),
             (3 * x, ProductNetwork, "prod", 1), ((x + one) * (x + x), ProductNetwork, "prod", 4),
             (Network.from_weights(G5, [[1] * 5], [[0] * 5], [[1]] * 5), LeafNetwork, "leaf", 1)]
    for z, cls, kind, n in cases:
        assert type(z) is cls and z.kind == kind and z.num_nodes == n == len(z.nodes())
        assert isinstance(z, Network)
    assert [leaf.label for leaf in ((x + one) * (x + x)).leaves()] == [x.label, one.label, x.label, x.label]


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_recorded_operations_match_their_materialised_nodes(data):
    """Sums and products (and scalars on either side) give the nodes and the potential table of the
    leaf built from their node lists: the homomorphisms hold node type by node type."""
    G = data.draw(st.sampled_from([G5, G33]))
    x, y = data.draw(ring_elements(G)), data.draw(ring_elements(G))
    lam = Network.scalar(G, Fraction(data.draw(st.integers(-3, 3)), data.draw(st.integers(1, 3))))
    for z in (x + y, x * y, x * lam, lam * x, (x + y) * x, x * (lam * y), x * lam * lam):
        leaf = Network.from_nodes(G, z.nodes())
        assert z == leaf and z.num_nodes == leaf.num_nodes
        assert z.potential_table() == leaf.potential_table()


def test_scalar_tables_are_refused():
    one = Network.one(G5)
    with pytest.raises(FlowAlgebraError, match="scalar network is not sparse"):
        one.potential_table()
    with pytest.raises(FlowAlgebraError, match="product of scalars"):
        (one * Network.scalar(G5, 2)).potential_table()
    assert one.nodes()[0][2] == {k: PVal.const(1) for k in range(5)}
    assert (one * Network.scalar(G5, 2)).nodes()[0][2] == {k: PVal.const(2) for k in range(5)}


def test_named_keeps_the_node_type_and_its_work():
    x = Network.from_nodes(G5, [({1: 2, 2: 1}, {1: 3}, {1: 5})])
    for z in (x, x + x, x * x, Network.one(G5)):
        z.notes.append("built here")
        w = z.named("w")
        assert type(w) is type(z) and str(w.label) == "w" and w == z and w.notes == z.notes
        w.notes.append("only on the copy")
        assert z.notes == ["built here"]
    p = x * x
    table = p.potential_table()
    assert p.named("p").potential_table() is table


def test_a_placed_block_records_where_it_sits():
    block = Block.from_nodes([(1, 1, 1), (2, 3, 5)], "b")
    z = block.at(G5, 2)
    assert z.source == Placement(block, 2) and z.source.block is block and z.source.k == 2
    assert (z + z).source is None and [leaf.source.k for leaf in (z + z).leaves()] == [2, 2]
