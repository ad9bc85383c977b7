"""Hypothesis strategies for conservation-law models, for your own property tests.

>>> from hypothesis import given, settings
>>> from laws.closure import count_laws
>>> @settings(max_examples=5, deadline=None)
... @given(architectures(kind="relu", max_depth=3, max_width=3))
... def test_relu_laws_are_one_per_hidden_neuron(model):
...     assert count_laws(model).laws == sum(model.structure.dims[1:-1])
>>> test_relu_laws_are_one_per_hidden_neuron()
"""
from __future__ import annotations

from hypothesis import strategies as st

from laws.models.model import Model, linear, relu

__all__ = ["dims_lists", "architectures", "polynomial_models"]


def dims_lists(min_depth: int = 2, max_depth: int = 3, min_width: int = 1, max_width: int = 4) -> st.SearchStrategy[list[int]]:
    """Lists [n0, ..., nq] with q in [min_depth, max_depth] and widths in [min_width, max_width]."""
    return st.integers(min_depth, max_depth).flatmap(
        lambda q: st.lists(st.integers(min_width, max_width), min_size=q + 1, max_size=q + 1))


def architectures(kind: str | None = None, max_depth: int = 3, max_width: int = 4,
                  bias: bool | None = None) -> st.SearchStrategy[Model]:
    """Layered models: ``kind`` "linear"/"relu" (or either), with or without biases."""
    kinds = st.just(kind) if kind else st.sampled_from(["linear", "relu"])
    biases = st.just(bias) if bias is not None else st.booleans()
    return st.builds(lambda k, dims, b: (linear if k == "linear" else relu)(dims, bias=b),
                     kinds, dims_lists(max_depth=max_depth, max_width=max_width), biases)


@st.composite
def polynomial_models(draw, max_params: int = 4, max_polys: int = 3, max_degree: int = 3) -> Model:
    """Random polynomial models with small integer coefficients."""
    D = draw(st.integers(1, max_params))
    names = [f"t{i}" for i in range(D)]
    polys = []
    for _ in range(draw(st.integers(1, max_polys))):
        terms = draw(st.lists(st.tuples(st.integers(-3, 3).filter(bool),
                                        st.lists(st.integers(0, D - 1), min_size=1, max_size=max_degree)),
                              min_size=1, max_size=4))
        polys.append(" + ".join(f"({c})*" + "*".join(names[v] for v in vars_) for c, vars_ in terms))
    return Model.from_polynomials(polys, params=names, name="random polynomial model")
