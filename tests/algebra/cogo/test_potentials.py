"""Monomial potentials: exact values as plain numbers when rational, the JSON form of a block's potentials."""
import json
from fractions import Fraction

import pytest

from algebra.cogo import constructions as C
from algebra.cogo.potentials import LOCAL_POTENTIALS, BlockPotentials, MonomialPotential, local_potential, table_value
from algebra.cogo.ring import Block, Network
from algebra.errors import FlowAlgebraError
from algebra.exact.parametric import PVal
from groups import Zd


def test_rational_values_are_plain_numbers():
    pots = (C.nu_i() * C.xi() * C.scalar(Fraction(1, 4))).potentials()
    assert isinstance(pots, BlockPotentials)
    assert pots.value("r_{k,k,k}") == 1 and type(pots.value("r_{k,k,k}")) is int
    assert isinstance(pots.value("r^a_{k,-k,k}"), PVal)  # (1 - i)/2 is not rational
    half = (C.syn() * C.scalar(Fraction(1, 2))).potentials()
    assert half.value("r_{k,k,k}") == Fraction(3, 2)
    z = Network.from_nodes(Zd(5), [({1: 1}, {1: 1}, {1: Fraction(1, 3)})])
    assert MonomialPotential.r(1, 1, 1)(z) == Fraction(1, 3) and MonomialPotential.r(1, 1, 1)(z + z) == Fraction(2, 3)


def test_json_form_of_the_potentials():
    j = json.loads(json.dumps((C.nu_i() * C.xi()).potentials().to_json()))
    assert j["nodes"] == 4 and list(j["potentials"]) == [p.name for p in LOCAL_POTENTIALS]
    assert j["potentials"]["r_{k,k,k}"] == 4 and j["potentials"]["r_{-k,k,k}"] == 0
    assert j["potentials"]["r^a_{k,-k,k}"] == "2 - 2*I"
    assert sorted(j["vanishing"]) == sorted(n for n, v in j["potentials"].items() if v == 0)
    symbolic = C.nu().potentials().to_json()["potentials"]
    assert symbolic["r_{k,k,k}"] == 2 and symbolic["r_{-k,k,k}"] == "1 + nu**(-2)"
    assert C.syn_ab().potentials().to_json()["potentials"]["r_{k,k,k}"] == 3


def test_names_and_table_entries():
    assert local_potential("r^b_{k,-k,k}").exps == (0, 0, 1, 1)
    with pytest.raises(FlowAlgebraError, match="unknown local potential"):
        local_potential("r_{k}")
    z = Network.from_nodes(Zd(5), [({1: 2}, {1: 3}, {1: 5})])
    assert table_value(z, "ab", 1, 1, 1) == 30 and table_value(z, "aa", 1, 1, 1) == 20 and table_value(z, "bb", 2, 2, 1) == 0
    with pytest.raises(FlowAlgebraError):
        MonomialPotential((("d", 1, 1),))
    assert Block.one().potentials().vanishing() == []
