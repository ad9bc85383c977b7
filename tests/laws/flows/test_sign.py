"""The sign-gradient flow: a generator system without polynomial fields, with its own count, verification and
a clear refusal to look for polynomial laws, all through the generic engines."""
import pytest

from algebra.errors import FlowAlgebraError
from laws.closure import LawCount, LieLawCount, count_laws
from laws.flows.extended import flow_system
from laws.flows.sign import NOT_POLYNOMIAL, SignFlowSystem, SignLawCount, SignLawVerification, count_sign_laws
from laws.models.architectures import softmax
from laws.models.model import Model, relu
from laws.polynomial import find_polynomial_laws
from laws.system import GeneratorSystem, PolynomialSystem
from laws.verify import GeneratorLawVerification, LawVerification, verify_law


def test_sign_flow_keeps_only_laws_of_parallel_coordinates():
    """theta' = -sign(grad L): h is conserved iff grad h is orthogonal to the sign vectors of W(theta); these span
    {x : x_i = sign(r) x_j for coordinates with proportional Jacobian columns}. For a ReLU net no two columns are
    proportional (different supports), so no law survives; for a softmax layer the columns of W_{1j} and W_{2j}
    are opposite (phi_j = W_1j - W_2j), so the column sums survive; phi = a*b keeps a - sign(ab) b."""
    assert count_laws(flow_system(relu([2, 3, 2]), "sign")).laws == 0
    result = count_laws(flow_system(softmax([2, 2]), "sign"))
    assert result.laws == 2 and result.law_strings == ["U1_1_1 + U1_2_1", "U1_1_2 + U1_2_2"]
    ab = count_laws(flow_system(Model.from_polynomials(["a*b", "c"], params=["a", "b", "c", "d"]), "sign"))
    assert ab.laws == 2 and "d" in ab.law_strings and len(ab.law_strings) == 2   # d unused; a -+ b
    with pytest.raises(FlowAlgebraError, match="not polynomial"):
        find_polynomial_laws(flow_system(relu([2, 2, 1]), "sign"), degree=2)


def test_sign_flow_verification_is_exact_class_by_class():
    """A law of the sign flow has, on every class of parallel coordinates, a vanishing signed sum of partial
    derivatives; the ReLU balance law fails (its derivative along the singleton class u1_1 is 2 u1_1)."""
    sign_softmax = flow_system(softmax([2, 2]), "sign")
    assert verify_law(sign_softmax, "(U1_1_1 + U1_2_1)**2 - 3*(U1_1_2 + U1_2_2)").conserved
    refuted = verify_law(sign_softmax, "U1_1_1 - U1_2_1")
    assert not refuted.conserved and refuted.to_json()["counterexample"]["value"] == 2   # an exact integer
    relu_law = verify_law(flow_system(relu([2, 3, 2]), "sign"), "u1_1**2 + u1_2**2 - v1_1**2 - v1_2**2")
    assert not relu_law.conserved


def test_the_sign_system_is_a_generator_system_but_not_a_polynomial_one():
    model = softmax([2, 2])
    system = flow_system(model, "sign")
    assert isinstance(system, SignFlowSystem) and isinstance(system, GeneratorSystem)
    assert not isinstance(system, PolynomialSystem)
    assert not hasattr(system, "generator_fields") and not hasattr(system, "evaluator")
    assert (system.D, system.N, system.params, system.model) == (model.D, model.N, model.params, model)
    h = system.parse("U1_1_1 - 2*U1_2_1")
    assert system.to_sympy(h) == model.to_sympy(model.parse("U1_1_1 - 2*U1_2_1"))
    assert "sign" in system.name and "sign" in repr(system)


def test_count_dispatch_returns_the_count_of_each_kind_of_system():
    model = softmax([2, 2])
    lie, sign = count_laws(model), count_laws(flow_system(model, "sign"))
    assert type(lie) is LieLawCount and type(sign) is SignLawCount
    for result in (lie, sign):   # the annotated return type of the generic count_laws
        assert isinstance(result, LawCount)
        assert result.laws == result.D - result.trace_dim and result.closed is True
        assert isinstance(result.ranks, tuple)
    assert sign.ranks == () and lie.ranks == tuple(lv.rank for lv in lie.levels)


def test_the_sign_count_is_the_registered_one_and_seeded_like_it():
    model = softmax([2, 3, 3])
    via_engine = count_laws(flow_system(model, "sign"), seed=4, points=3)
    direct = count_sign_laws(model, seed=4, points=3)
    assert (via_engine.classes, via_engine.signs, via_engine.seed) == (direct.classes, direct.signs, 4)


def test_verify_dispatch_returns_a_verification_of_each_kind():
    model = relu([2, 2, 1])
    law = "u1_1**2 + u1_2**2 - v1_1**2"
    exact, sign = verify_law(model, law, numeric=False), verify_law(flow_system(model, "sign"), law)
    assert type(exact) is GeneratorLawVerification and type(sign) is SignLawVerification
    assert all(isinstance(r, LawVerification) for r in (exact, sign))
    assert exact.conserved and not sign.conserved


def test_polynomial_laws_of_the_sign_flow_are_refused_with_the_explanation():
    with pytest.raises(FlowAlgebraError) as info:
        find_polynomial_laws(flow_system(softmax([2, 2]), "sign"), degree=1, homogeneous=False)
    assert str(info.value) == NOT_POLYNOMIAL and "laws count --flow sign" in NOT_POLYNOMIAL


def test_the_engines_refuse_what_is_not_a_generator_system():
    for engine in (count_laws, find_polynomial_laws):
        with pytest.raises(TypeError, match="generator system"):
            engine("relu:2,3,2")
    with pytest.raises(TypeError, match="generator system"):
        verify_law("relu:2,3,2", "u1_1")


def test_an_unknown_mode_is_refused_for_the_sign_flow_too():
    with pytest.raises(FlowAlgebraError, match="unknown mode"):
        count_laws(flow_system(softmax([2, 2]), "sign"), mode="fast")
