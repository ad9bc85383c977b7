"""The structure-aware brackets of linear networks (ChainGradient.brackets: layer products at one point shared
by the batch) equal the generic jet evaluation, exactly, for generators and brackets of two."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from laws.closure import _bracket_value, evaluate_brackets, random_point
from laws.engine import jets
from laws.models.model import linear


@settings(max_examples=30, deadline=None)
@given(dims=st.lists(st.integers(1, 5), min_size=2, max_size=5), bias=st.booleans(), level=st.sampled_from([1, 2]),
       seed=st.integers(0, 2**32 - 1), prime=st.sampled_from([2**31 - 1, 65521, 7]))
def test_structured_brackets_equal_the_jets(dims, bias, level, seed, prime):
    model = linear(dims, bias=bias)
    ev = model.evaluator(prime)
    theta = random_point(model.D, seed, 0, prime)
    rng = np.random.default_rng(seed)
    alphas = [rng.integers(0, prime, size=(6, model.N), dtype=np.int64) for _ in range(level)]
    by_jets = _bracket_value(ev, list(alphas), jets.constant(np.broadcast_to(theta, (6, model.D)), 0))[0]
    assert (ev.brackets(alphas, theta) == by_jets).all()
    assert (evaluate_brackets(ev, alphas, theta) == by_jets).all()


def test_longer_brackets_go_by_jets():
    model = linear([2, 2, 2])
    ev = model.evaluator(2**31 - 1)
    theta = random_point(model.D, 0, 0, ev.p)
    alphas = [np.eye(model.N, dtype=np.int64)[[0, 1, 2]] for _ in range(3)]
    assert ev.brackets(alphas, theta) is None
    assert evaluate_brackets(ev, alphas, theta).shape == (3, model.D)
