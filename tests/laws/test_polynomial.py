"""Polynomial laws: exact kernels, matrix form, independence."""
import pytest
import sympy as sp
from hypothesis import given, settings

from algebra.errors import FlowAlgebraError
from laws.matrix_form import balance_matrices
from laws.models.model import Model, linear, relu
from laws.polynomial import find_polynomial_laws, prove_law
from laws.strategies import architectures


def test_two_layer_linear_laws_are_all_entries_of_the_balance_matrix():
    result = find_polynomial_laws(linear([2, 3, 2]), degree=2)
    assert result.kernel_dim == result.independent == 6
    assert [mf["which"] for mf in result.matrix_form] == ["all entries"]
    m = linear([2, 3, 2])
    u11, u12, v11, v12 = (m.symbols[m.params.index(n)] for n in ("u1_1", "u1_2", "v1_1", "v1_2"))
    assert sp.expand(u11**2 + u12**2 - v11**2 - v12**2) in [sp.expand(h) for h in result.laws]


def test_relu_laws_with_bias_are_the_diagonal_with_the_bias_squared():
    result = find_polynomial_laws(relu([2, 3, 2], bias=True), degree=2)
    assert result.kernel_dim == 3
    assert [mf["which"] for mf in result.matrix_form] == ["the diagonal entries"]
    assert all("b" in str(h) for h in result.laws)


def test_kernel_dimension_can_exceed_functional_independence():
    """phi = sum_k u_k v_k: nine quadratic laws, but only five independent functions (D - K = 5)."""
    result = find_polynomial_laws(linear([1, 3, 1]), degree=2)
    assert (result.kernel_dim, result.independent) == (9, 5)


def test_all_degrees_include_products_of_lower_laws():
    """phi = a*b: a^2 - b^2 and its square are laws (degree <= 4): kernel 2, one independent function."""
    m = Model.from_polynomials(["a*b"], params=["a", "b"])
    result = find_polynomial_laws(m, degree=4, homogeneous=False)
    assert (result.kernel_dim, result.independent) == (2, 1)
    assert find_polynomial_laws(m, degree=3).kernel_dim == 0


def test_completeness_is_reported_against_the_count():
    full = find_polynomial_laws(linear([2, 2, 2]), degree=2, expected_laws=3)
    assert full.complete is True and full.to_json()["complete"] is True
    partial = find_polynomial_laws(Model.from_polynomials(["a*b*c"], params=["a", "b", "c"]), degree=2, expected_laws=2)
    # a^2 - b^2 and b^2 - c^2 are the laws: complete at degree 2
    assert partial.independent == 2 and partial.complete


def test_sign_symmetries_of_a_linear_net_are_neuron_flips():
    # 2-layer linear [1,1,1]: u*v: flipping u and v together, and each endpoint flip
    m = linear([1, 1, 1])
    assert len(m.sign_symmetries()) == 2


def test_too_many_unknowns_is_a_clear_error():
    with pytest.raises(FlowAlgebraError, match="too many unknowns"):
        find_polynomial_laws(linear([20, 20, 20]), degree=3)


@settings(max_examples=10, deadline=None)
@given(architectures(max_depth=3, max_width=3))
def test_balance_matrix_laws_hold_exactly_for_random_architectures(model):
    """Every diagonal entry of W_l W_l^T + b b^T - W_{l+1}^T W_{l+1} is conserved (linear and ReLU);
    off-diagonal entries too for linear networks, and not for ReLU ones (when the layer has >= 2 neurons)."""
    for info in balance_matrices(model):
        for (i, j), entry in info["entries"]:
            holds = prove_law(model, entry)
            if i == j or model.structure.kind == "linear":
                assert holds
            else:
                assert not holds


def test_latex_of_poly_laws_contains_the_matrix_form():
    latex = find_polynomial_laws(linear([2, 2, 2]), degree=2).to_latex()
    assert "U U^{T} - V V^{T}" in latex and "\\begin{align*}" in latex
