"""The boundary of the finite Abelian groups used by CoGO (issue 10): group specs and moduli are refused in
one line, the order limit applies to the product, and the character table is built without a Python loop
over |G|^2 entries."""
from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from algebra.errors import FlowAlgebraError
from groups.abelian import MAX_FACTORS, MAX_ORDER, MAX_SPEC_LENGTH, AbelianGroup, Zd, parse_group

SET = settings(max_examples=80, deadline=None)


@pytest.mark.parametrize("spec,needle", [
    ("0x5", "d >= 2, got 0"), ("1", "d >= 2, got 1"), ("3x", "empty factor"), ("x3", "empty factor"),
    ("", "empty factor"), ("\uff13x5", "ASCII digits"), ("\u0663", "ASCII digits"), ("5" * 5000, "characters"),
    ("-3x5", "'-'"), ("+3", "'+'"), ("3x5x", "empty factor"), ("3.0", "'.'"), ("3\tx5", "'\\t'"),
    ("x".join(["2"] * (MAX_FACTORS + 1)), "at most 14 cyclic factors"), ("200x101", "too large (limit 20000)"),
    ("9" * 30, "factor"), ("3x5\n", "'\\n'"),
])
def test_bad_specs_are_one_line(spec, needle):
    with pytest.raises(FlowAlgebraError, match=None) as err:
        parse_group(spec)
    message = str(err.value)
    assert needle in message and "\n" not in message and len(message) < 200


@pytest.mark.parametrize("moduli,needle", [
    ((), "at least one"), ((2.5,), "integer orders"), (("3",), "integer orders"), ((True,), "integer orders"),
    ((10 ** 5000,), "of about 5001 digits"), ((-3,), "d >= 2"), ((2,) * 1_000_000, "at most 14 cyclic factors"),
    (5, "list of cyclic orders"),
])
def test_bad_moduli_are_one_line(moduli, needle):
    start = time.perf_counter()
    with pytest.raises(FlowAlgebraError, match=None) as err:
        AbelianGroup(moduli)
    assert needle in str(err.value) and len(str(err.value)) < 200
    assert time.perf_counter() - start < 1


def test_numpy_integers_are_orders():
    assert AbelianGroup(np.array([3, 5])).order == 15 and Zd(np.int64(7)).name == "Z_7"


@SET
@given(st.text(max_size=MAX_SPEC_LENGTH + 10))
def test_any_text_is_a_group_or_one_line(text):
    try:
        G = parse_group(text)
    except FlowAlgebraError as err:
        assert "\n" not in str(err) and len(str(err)) < 200
    else:
        assert 2 <= G.order <= MAX_ORDER and all(m >= 2 for m in G.moduli)


@SET
@given(st.lists(st.integers(0, 30), min_size=1, max_size=5), st.lists(st.sampled_from(["", " "]), min_size=2,
                                                                       max_size=2))
def test_written_groups_parse_to_their_moduli(moduli, pads):
    spec = "x".join(f"{pads[0]}{m}{pads[1]}" for m in moduli)
    try:
        G = parse_group(spec)
    except FlowAlgebraError:
        assert min(moduli) < 2 or np.prod(moduli, dtype=object) > MAX_ORDER
    else:
        assert G.moduli == tuple(moduli)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(2, 6), min_size=1, max_size=3))
def test_the_vectorised_character_table_is_the_definition(moduli):
    G = AbelianGroup(moduli)
    expected = [[G.char_exponent(k, g) for k in range(G.order)] for g in range(G.order)]
    assert G._exponent_table.tolist() == expected


def test_the_character_table_of_a_large_group_is_quick():
    start = time.perf_counter()
    G = Zd(2001)
    assert G._exponent_table.shape == (2001, 2001) and G._exponent_table[3, 5] == 15
    assert time.perf_counter() - start < 5
