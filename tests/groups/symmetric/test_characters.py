"""Characters of the symmetric groups (groups/symmetric/characters.py): closed forms, orthogonality,
and identities checked with hypothesis."""
from __future__ import annotations

import math

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from groups.symmetric.characters import centralizer_order, character, dimension, near_trivial_partitions, partitions


def test_characters_against_closed_forms_and_orthogonality():
    n = 7
    for mu in partitions(n):
        m1, m2 = mu.count(1), mu.count(2)
        assert character((n - 1, 1), mu) == m1 - 1
        assert character((n - 2, 2), mu) == m1 * (m1 - 3) // 2 + m2
        assert character((n - 2, 1, 1), mu) == (m1 - 1) * (m1 - 2) // 2 - m2
    assert sum(dimension(lam) ** 2 for lam in partitions(n)) == math.factorial(n)
    lams = list(partitions(5))
    for a in lams:
        for b in lams:
            inner = sum(sp.Rational(character(a, mu) * character(b, mu), centralizer_order(mu)) for mu in partitions(5))
            assert inner == (1 if a == b else 0)
    assert near_trivial_partitions(3, 2) == [(3,), (2, 1), (1, 1, 1)]


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 9).flatmap(lambda n: st.tuples(st.sampled_from(list(partitions(n))),
                                                     st.sampled_from(list(partitions(n))))))
def test_character_identities(pair):
    lam, mu = pair
    n = sum(lam)
    assert character(lam, tuple([1] * n)) == dimension(lam)
    # second orthogonality relation: sum over irreducibles of chi(mu)^2 = z_mu
    assert sum(character(nu, mu) ** 2 for nu in partitions(n)) == centralizer_order(mu)
