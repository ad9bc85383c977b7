"""The generator-system interface: every flow honours it, the polynomial ones give exact and fast fields."""
import flint
import numpy as np
import pytest
import sympy as sp

from algebra.exact.modular import PRIME
from laws.flows.extended import FLOWS, flow_system
from laws.models.architectures import nmf
from laws.models.model import linear, relu
from laws.system import FloatDynamics, GeneratorSystem, PolynomialSystem, polynomial_to_sympy, sparse_gradient


@pytest.mark.parametrize("flow", FLOWS)
def test_every_flow_gives_a_generator_system_with_symbols_and_parsing(flow):
    model = relu([2, 2, 1])
    system = flow_system(model, flow)
    assert isinstance(system, GeneratorSystem) and system.model is model
    assert system.D == len(system.params) == len(system.symbols) and system.N >= model.N
    h = system.parse(system.params[-1] + "**2 - 3")
    assert str(system.to_sympy(h)) == f"{system.params[-1]}**2 - 3"
    assert system.name.startswith(model.name) and system.description


@pytest.mark.parametrize("flow", [f for f in FLOWS if f != "sign"])
def test_polynomial_systems_give_exact_fields_that_agree_with_their_mod_p_evaluator(flow, rng):
    """For every polynomial flow: the exact generators evaluated mod p at a point equal the fast evaluator's values."""
    system = flow_system(nmf(2, 2, 2), flow)
    assert isinstance(system, PolynomialSystem)
    fields = system.generator_fields()
    assert len(fields) == system.N
    theta = rng.integers(1, 1000, size=system.D)
    point = [flint.fmpq(int(v)) for v in theta]
    alpha = np.eye(system.N, dtype=np.int64)
    fast = system.evaluator(PRIME).field(alpha, theta[None, None, :].repeat(system.N, axis=1))[0]
    for i, field in enumerate(fields):
        exact = [0] * system.D
        for v, comp in field.items():
            value = comp(*point)
            exact[v] = int(value.p) % PRIME
        assert fast[i].tolist() == exact


def test_generator_system_is_abstract_and_a_subclass_must_give_n_and_model():
    with pytest.raises(TypeError):
        GeneratorSystem()

    class Incomplete(PolynomialSystem):
        params = ("x",)

        @property
        def N(self):
            return 1

        @property
        def model(self):
            return self

    with pytest.raises(TypeError, match="abstract"):
        Incomplete()


def test_the_float_dynamics_of_the_flows():
    model = linear([1, 1, 1])
    rng = np.random.default_rng(0)
    grad = lambda th: (0.0, np.ones_like(th))
    theta = np.array([-1.0, 2.0])
    gradient = model.float_dynamics(grad, theta, rng)
    mirror = flow_system(model, "mirror").float_dynamics(grad, theta, rng)
    momentum = flow_system(model, "momentum", "1/2").float_dynamics(grad, theta, rng)
    assert all(isinstance(d, FloatDynamics) for d in (gradient, mirror, momentum))
    assert gradient.field(theta).tolist() == [-1.0, -1.0]
    assert mirror.start.tolist() == [1.1, 2.1] and mirror.field(mirror.start).tolist() == [-1.1, -2.1]
    assert momentum.start[0] == 1.0 and momentum.start[1:3].tolist() == [-1.0, 2.0] and len(momentum.start) == 5
    y = np.array([2.0, 0.0, 0.0, 1.0, 1.0])
    assert momentum.field(y).tolist() == [1.0, 1.0, 1.0, -1.5, -1.5] and momentum.theta(y).tolist() == [0.0, 0.0]


def test_sparse_gradients_and_sympy_conversion():
    ctx = flint.fmpq_mpoly_ctx.get(("x", "y", "z"), "deglex")
    x, y, z = ctx.gens()
    grad = sparse_gradient(x**2 * y + flint.fmpq(1, 2) * y, 3)
    assert sorted(grad) == [0, 1] and str(grad[1]) == "x^2 + 1/2"
    X, Y, Z = sp.symbols("x y z")
    assert polynomial_to_sympy(x**2 * y + flint.fmpq(1, 2) * y, (X, Y, Z)) == X**2 * Y + Y / 2
