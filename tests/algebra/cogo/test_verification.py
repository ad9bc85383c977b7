"""Verification of constructions and blocks: what remains, the exact loss, derivations and JSON."""
from fractions import Fraction

import pytest

from algebra.cogo import constructions as C
from algebra.cogo.verification import BlockVerification, Verification, verify, verify_block
from groups import Zd


def test_uniform_nu_i_xi_is_not_a_global_optimizer_and_says_why():
    v = verify(C.construct("nu_i*xi", Zd(7)), "nu_i*xi")
    assert not v.global_optimizer
    assert v.loss == Fraction(12, 7)
    assert {t.constraint for t in v.remaining} == {"R_n"}
    assert "R_n" in v.summary()


@pytest.mark.parametrize("name", ["F6", "F4_6"])
def test_verification_derivation_and_json(name):
    v = verify(C.construct(name, Zd(7)), name)
    j = v.to_json()
    assert j["global_optimizer"] is True and j["loss"] == 0 and j["nodes"] in (18, 14)
    assert all(b["homomorphism_checked"] for b in j["blocks"])
    tex = v.to_latex()
    assert "global optimizer" in tex and "\\begin{align*}" in tex


def test_block_verification():
    bv = verify_block(C.nu_i() * C.xi())
    assert bv.to_json()["zeroes_all_but_target"] is False
    assert bv.ell == 41  # |4 - 1|^2 + (1/4) |8 - 8i|^2
    assert "r^a_{k,-k,k}" in bv.to_latex()


def test_json_holds_exact_numbers():
    v = verify(C.construct("nu_i*xi", Zd(7)), "nu_i*xi")
    j = v.to_json()
    assert isinstance(v, Verification) and j["loss"] == {"p": 12, "q": 7}
    assert j["order"] == 7 and j["nodes"] == 12 and j["num_remaining_terms"] == len(v.remaining)
    assert all(t["weight"] == {"p": 1, "q": 4} and isinstance(t["k"], int) for t in j["remaining_terms"])
    assert {t["value"] for t in j["remaining_terms"]} == {"2 - 2*I", "2 + 2*I"}  # exact, not rational: strings
    assert verify(C.construct("F6", Zd(7))).to_json()["loss"] == 0
    block = j["blocks"][0]
    assert block["remaining"]["r_{k,k,k}"] == 1 and block["remaining"]["r^a_{k,-k,k}"] == "1/2 - I/2"


@pytest.mark.parametrize("expression,scale,ell", [("syn", 1, {"p": 17, "q": 2}), ("xi", Fraction(1, 3), {"p": 5, "q": 3}),
                                                  ("nu*syn", 1, 25), ("nu_i", Fraction(1, 2), 5)])
def test_block_verification_json(expression, scale, ell):
    bv = verify_block(C.parse_block_expression(expression) * C.scalar(scale))
    assert isinstance(bv, BlockVerification) and bv.to_json()["ell_k"] == ell
    assert bv.ell == (Fraction(ell["p"], ell["q"]) if isinstance(ell, dict) else ell)


def test_symbolic_ell_is_a_string():
    ell = verify_block(C.nu()).to_json()["ell_k"]
    assert isinstance(ell, str) and "nu" in ell
