"""Example property tests with the exported hypothesis strategies, written as a user would in their own suite.

Each module of strategies gets one example (also shown in the README):
``laws.strategies`` (models), ``algebra.cogo.strategies`` (ring elements, potentials),
``groups.strategies`` (group actions, isotropy types, fixed points).
"""
import numpy as np
from hypothesis import given, settings, strategies as st

from algebra.cogo.strategies import monomial_potentials, ring_elements, small_groups
from groups.symmetric.actions import act
from groups.strategies import fixed_points, isotropy_types, permutation_pairs
from groups.symmetric.young import diagonal_young
from laws.closure import count_laws
from laws.strategies import architectures, polynomial_models

EXAMPLES = settings(max_examples=15, deadline=None)


# -- models (laws.strategies) ---------------------------------------------------
@EXAMPLES
@given(architectures(kind="relu", max_depth=2, max_width=3, bias=False))
def test_two_layer_relu_has_one_law_per_hidden_neuron(model):
    """Marcotte et al. 2023: ||u_k||^2 - ||v_k||^2, one per hidden neuron, and nothing else."""
    assert count_laws(model).laws == sum(model.structure.dims[1:-1])


@EXAMPLES
@given(polynomial_models(max_params=4))
def test_law_count_is_between_zero_and_the_generators_corank(model):
    counted = count_laws(model)
    assert 0 <= counted.laws <= model.D - counted.levels[0].rank
    assert counted.trace_dim == counted.levels[-1].rank


# -- ring elements (algebra.cogo.strategies) -----------------------------------------
@EXAMPLES
@given(st.data())
def test_potentials_are_ring_homomorphisms(data):
    """Tian 2024: every monomial potential r satisfies r(x * y) = r(x) r(y) and r(x + y) = r(x) + r(y)."""
    G = data.draw(small_groups())
    x, y = data.draw(ring_elements(G)), data.draw(ring_elements(G))
    r = data.draw(monomial_potentials(G))
    assert r(x * y) == r(x) * r(y)
    assert r(x + y) == r(x) + r(y)


# -- group actions (groups.strategies) ------------------------------------------
@EXAMPLES
@given(st.data())
def test_action_of_sk_x_sd_is_a_group_action(data):
    k, d = data.draw(st.integers(2, 5)), data.draw(st.integers(2, 5))
    W = np.arange(k * d, dtype=float).reshape(k, d)
    g, h = data.draw(permutation_pairs(k, d)), data.draw(permutation_pairs(k, d))
    gh = (g[0] * h[0], g[1] * h[1])  # sympy composes left to right: (g h)(i) = h(g(i))
    assert np.array_equal(act(act(W, g), h), act(W, gh))


@EXAMPLES
@given(isotropy_types(max_k=5).flatmap(lambda parts: st.tuples(st.just(parts), fixed_points(parts))))
def test_fixed_points_are_fixed_by_their_isotropy_group(case):
    parts, W = case
    group = diagonal_young(sum(parts), parts)
    for g in group.generators:
        assert np.allclose(act(W, g), W)
