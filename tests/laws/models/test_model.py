"""Models: parameters, phi, evaluators, the system interface of gradient flow."""
import numpy as np
import pytest
import sympy as sp

from algebra.exact.modular import PRIME
from laws.engine.evaluators import _from_polynomials
from laws.models.model import Model, linear, relu
from laws.system import PolynomialSystem


def test_two_layer_names_follow_the_papers():
    m = relu([2, 3, 2], bias=True)
    assert m.params[:2] == ("u1_1", "u1_2")
    assert "v3_2" in m.params and "b3" in m.params and "c2" in m.params
    assert sp.latex(m.symbols[m.params.index("v3_2")]) == "v_{32}"


def test_deep_names_are_layer_matrices_with_latex_superscripts():
    m = linear([2, 2, 2, 2], bias=True)
    assert m.params[0] == "U1_1_1" and "B3_2" in m.params
    assert sp.latex(m.symbols[0]) == "U^{(1)}_{11}"


def test_linear_phi_is_the_matrix_product():
    m = linear([1, 2, 1])
    assert [str(p) for p in m.phi] == ["u1_1*v1_1 + u2_1*v2_1"]


def test_relu_phi_counts_input_and_bias_paths():
    m = relu([2, 3, 2, 2], bias=True)
    assert m.N == len(m.phi) == 2 * 3 * 2 * 2 + 3 * 2 * 2 + 2 * 2 + 2
    assert all(len(p) == 1 for p in m.phi)  # each path product is one monomial


@pytest.mark.parametrize("model", [linear([2, 3, 2]), linear([3, 2, 2, 2], bias=True), relu([2, 3, 2]),
                                   relu([2, 2, 3, 2], bias=True)], ids=lambda m: m.name)
def test_structured_evaluators_agree_with_the_symbolic_phi_on_jets(model):
    rng = np.random.default_rng(5)
    alpha = rng.integers(0, PRIME, (3, model.N))
    x = rng.integers(0, PRIME, (4, 3, model.D))       # jets with two nilpotents
    assert np.array_equal(model.evaluator().field(alpha, x), _from_polynomials(model, PRIME).field(alpha, x))


def test_from_polynomials_accepts_strings_and_sympy():
    a, b = sp.symbols("a b")
    m1 = Model.from_polynomials(["a*b", "a**2/2"], params=["a", "b"])
    m2 = Model.from_polynomials([a * b, a**2 / 2], params=["a", "b"])
    assert [str(p) for p in m1.phi] == [str(p) for p in m2.phi] == ["a*b", "1/2*a^2"]


def test_subscript_syntax_names_parameters():
    m = Model.from_polynomials(["U1[1,2] * U2[2,1]"])
    assert m.params == ("U1_1_2", "U2_2_1")


def test_a_model_is_the_polynomial_system_of_its_gradient_flow(rng):
    m = Model.from_polynomials(["a*b", "a*c"], params=["a", "b", "c"])
    assert isinstance(m, PolynomialSystem) and m.model is m
    theta = rng.normal(size=3)
    dynamics = m.float_dynamics(lambda th: (0.0, np.array([th[1], th[0], 1.0])), theta, rng)
    assert dynamics.start is theta and np.array_equal(dynamics.theta(theta), theta)
    assert np.array_equal(dynamics.field(theta), -np.array([theta[1], theta[0], 1.0]))
