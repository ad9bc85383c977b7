"""Hypothesis strategies for the CoGO semi-ring (exported for users' own property tests).

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, deadline=None)
... @given(blocks())
... def check(z):
...     assert z * Block.one() == z
>>> check()
"""
from __future__ import annotations

from hypothesis import strategies as st

from algebra.cogo.potentials import LOCAL_POTENTIALS, MonomialPotential
from algebra.cogo.ring import Block, Network
from algebra.exact.cyclotomic import CyclotomicField
from algebra.exact.parametric import PVal
from groups.abelian import AbelianGroup, Zd

__all__ = ["cyclotomic_numbers", "values", "blocks", "odd_cyclic_groups", "small_groups", "ring_elements",
           "real_weights", "monomial_potentials", "local_potentials", "F12"]

F12 = CyclotomicField(12)


@st.composite
def cyclotomic_numbers(draw, field: CyclotomicField = F12, max_terms: int = 2, bound: int = 3):
    """Small elements of Q(zeta_n): a few integer multiples of roots of unity (0 included)."""
    terms = draw(st.lists(st.tuples(st.integers(-bound, bound), st.integers(0, field.n - 1)), max_size=max_terms))
    x = field.zero()
    for coeff, power in terms:
        x = x + field.zeta(power) * coeff
    return x


def values(field: CyclotomicField = F12):
    """PVal constants drawn from :func:`cyclotomic_numbers`."""
    return cyclotomic_numbers(field).map(PVal.const)


@st.composite
def blocks(draw, max_nodes: int = 3, field: CyclotomicField = F12):
    """Single-frequency ring elements with 0..max_nodes nodes of small cyclotomic weights."""
    q = draw(st.integers(0, max_nodes))
    return Block.from_nodes([tuple(draw(values(field)) for _ in range(3)) for _ in range(q)])


def odd_cyclic_groups(min_d: int = 3, max_d: int = 9):
    """Z_d for odd d."""
    return st.integers(min_d // 2, max_d // 2).map(lambda h: Zd(2 * h + 1))


def small_groups():
    """Z_d (2 <= d <= 7) and a few products."""
    return st.sampled_from([(2,), (3,), (4,), (5,), (7,), (2, 2), (3, 3), (2, 3)]).map(AbelianGroup)


@st.composite
def ring_elements(draw, group, max_nodes: int = 3, max_support: int = 2):
    """Networks over ``group``: a few nodes, each with a sparse random support of frequencies."""
    q = draw(st.integers(0, max_nodes))
    freq = st.integers(0, group.order - 1)
    nodes = []
    for _ in range(q):
        node = []
        for _ in range(3):
            support = draw(st.lists(freq, max_size=max_support, unique=True))
            node.append({k: draw(values(group.field if group.field.n % 12 == 0 else F12)) for k in support})
        nodes.append(tuple(node))
    return Network.from_nodes(group, nodes)


@st.composite
def real_weights(draw, group, max_nodes: int = 2, bound: int = 3):
    """Integer weight matrices (W_a, W_b, W_c) of a real network over ``group``."""
    N = draw(st.integers(1, max_nodes))
    n = group.order
    ints = st.integers(-bound, bound)
    W_a = [[draw(ints) for _ in range(n)] for _ in range(N)]
    W_b = [[draw(ints) for _ in range(n)] for _ in range(N)]
    W_c = [[draw(ints) for _ in range(N)] for _ in range(n)]
    return W_a, W_b, W_c


@st.composite
def monomial_potentials(draw, group, max_factors: int = 3):
    """Random monomial potentials over ``group`` (p in a/b/c, any frequency, exponents 1..2)."""
    k = st.integers(0, group.order - 1)
    factors = draw(st.lists(st.tuples(st.sampled_from("abc"), k, st.integers(1, 2)), min_size=1, max_size=max_factors,
                            unique_by=lambda t: (t[0], t[1])))
    return MonomialPotential(tuple(factors))


def local_potentials():
    """One of the ten local potentials of a block."""
    return st.sampled_from(LOCAL_POTENTIALS)
