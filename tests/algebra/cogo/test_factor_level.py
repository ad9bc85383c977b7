"""The factor-level evaluation of sums of placed blocks (issue 13, part 5) against the direct computation
(the potential table of the whole network, built from its nodes)."""
from __future__ import annotations

from fractions import Fraction

import pytest

from algebra.cogo import constructions as C
from algebra.cogo.decomposition import factor_loss, loss, loss_terms, placed_blocks
from algebra.cogo.ring import Block, Network, PlacedNetwork
from algebra.cogo.verification import verify
from algebra.errors import FlowAlgebraError
from algebra.exact.parametric import PVal
from groups import Zd
from groups.abelian import parse_group

NAMES = ("F6", "F4_6", "F4_6_naive", "nu_i*xi", "syn_ab*nu_i")


def _agree(z) -> None:
    fast, slow = verify(z, method="factor"), verify(z, method="direct")
    assert fast.method == "factor" and slow.method == "direct"
    assert loss_terms(z, "factor") == loss_terms(z, "direct")
    assert fast.loss == slow.loss and fast.nonzero_potentials == slow.nonzero_potentials
    assert fast.free_parameters == slow.free_parameters and fast.num_nodes == slow.num_nodes
    assert fast.global_optimizer == slow.global_optimizer and fast.real == slow.real


@pytest.mark.parametrize("d", [3, 5, 9, 15, 27, 49, 101])
def test_factor_level_agrees_with_the_direct_computation(d):
    for name in ("F6", "F4_6", "F4_6_naive"):
        _agree(C.construct(name, Zd(d)))


@pytest.mark.parametrize("spec", ["3x3", "3x5", "5x5"])
def test_factor_level_agrees_over_product_groups_and_block_expressions(spec):
    for name in NAMES:
        _agree(C.construct(name, parse_group(spec)))


@pytest.mark.parametrize("d", [7, 11])
def test_factor_level_agrees_with_the_materialised_nodes(d):
    """The direct side here is a plain leaf of the network's own nodes: no placed block involved."""
    for name in ("F6", "F4_6", "F4_6_naive"):
        z = C.construct(name, Zd(d))
        flat = Network.from_nodes(Zd(d), z.nodes())
        assert loss_terms(z, "factor") == loss_terms(flat, "direct")
        assert factor_loss(z).table_size == len(flat.potential_table())


@pytest.mark.parametrize("d", [5, 9, 15, 21, 45])
def test_the_naive_sum_keeps_one_R_n_bracket_per_order_4_pair(d):
    """Not a global optimizer: each of the (d-3)/2 order-4 pairs keeps ell = 2, so L = 2(d-3)/d."""
    z = C.construct("F4_6_naive", Zd(d))
    fl = factor_loss(z)
    assert fl.loss == Fraction(2 * (d - 3), d) == loss(z, "direct")
    assert sorted((str(b.value), b.count) for b in fl.brackets) == [("0", 1), ("2", (d - 3) // 2)]
    assert [t.constraint for t in fl.terms] == ["R_n"] * (d - 3)


def test_output_weights_at_pairs_without_a_block():
    G = Zd(7)
    six = C.nu() * C.syn() * C.scalar(Fraction(1, 6))
    gamma = PVal.const(Fraction(1, 5)) + C.I
    z = six.at(G, 1, outputs={2: gamma, 4: gamma.conj()})  # 4 = -3: the pair {3, 4} seen from 4
    _agree(z)
    brackets = {b.description: b for b in factor_loss(z).brackets}
    assert brackets["no block, output weights of another block"].count == 2


def test_an_even_order_is_left_to_the_direct_computation_where_the_pairs_do_not_separate():
    """In Z_8 the block at k = 2 has 2k = -2k = 4: S^a_{4,2} adds two potentials, and the self-conjugate
    frequency 4 has one target term, so the sum over pairs of odd orders would give another loss."""
    G = Zd(8)
    block = Block.from_nodes([(1, 1, 1), (2, 1, 1)], "b")
    z = Network.sum_of(G, [block.at(G, k) for k in (1, 2, 3)])
    assert placed_blocks(z) is None and factor_loss(z) is None
    with pytest.raises(FlowAlgebraError, match="odd order") as err:
        loss_terms(z, "factor")
    assert "\n" not in str(err.value)
    ell = loss(block)  # the bracket of the block alone at a pair of an odd order
    pairwise = (2 * 3 * Fraction(ell) + 1) / 8
    direct = loss(z)
    assert verify(z).method == "direct" and direct == loss(z, "direct") and direct != pairwise


def test_two_blocks_at_one_pair_are_left_to_the_direct_computation():
    G = Zd(9)
    z = C.nu_i().at(G, 1) + C.xi().at(G, 8)
    assert factor_loss(z) is None and verify(z).method == "direct"
    assert loss(z) == loss(Network.from_nodes(G, z.nodes()))


def test_the_factor_level_never_lists_the_nodes():
    z = C.construct("F4_6", Zd(2001))
    v = verify(z, "F4_6")
    assert v.global_optimizer and v.method == "factor" and v.num_nodes == 2 * 2001
    assert all(isinstance(leaf, PlacedNetwork) and leaf._nodes is None for leaf in z.leaves())
    assert v.to_json()["pair_brackets"][0]["count"] == 1 and len(v.free_parameters) == 1000


def test_methods_are_named():
    z = C.construct("F6", Zd(5))
    with pytest.raises(FlowAlgebraError, match="method must be one of"):
        verify(z, method="fast")
    with pytest.raises(FlowAlgebraError, match="not one"):
        verify(C.construct("M", Zd(3)), method="factor")
