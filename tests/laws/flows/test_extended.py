"""Mirror and momentum flows as generator systems on an extended state: counts from the literature, laws along
simulated flows, the flow values and their errors."""
from fractions import Fraction

import pytest

from algebra.errors import FlowAlgebraError
from laws.closure import LieLawCount, count_laws
from laws.flows.extended import (FLOWS, Flow, FlowSystem, Gradient, Mirror, MirrorSystem, Momentum, MomentumSystem,
                                 NmfMomentum, Sign, flow_system, parse_flow)
from laws.flows.sign import SignFlowSystem
from laws.models.architectures import attention, nmf
from laws.models.model import Model, linear, relu
from laws.polynomial import find_polynomial_laws
from laws.system import ModelFlowSystem, PolynomialSystem
from laws.verify import verify_law


def test_nmf_under_the_mirror_flow_has_linear_laws(certified):
    """Mirror flow theta' = -theta * grad L: X_ij(h) = 0 for h = sum_i w_ik - sum_j h_kj (one per k), linear laws."""
    mirror = flow_system(nmf(3, 2, 3), "mirror")
    assert certified(mirror, degree=1) == 2
    assert verify_law(mirror, "w1_1 + w2_1 + w3_1 - h1_1 - h1_2 - h1_3", numeric=False).conserved


@pytest.mark.parametrize("n, r, m", [(2, 2, 2), (2, 3, 2), (3, 2, 2)])
def test_momentum_keeps_only_the_antisymmetric_part_for_linear_nets(certified, n, r, m):
    """Heavy ball without friction on U V^T (Marcotte et al., "Keep the momentum", 2024): the laws are the
    r(r-1)/2 entries of the angular momentum (U^T U' - U'^T U) + (V^T V' - V'^T V) of the rotation symmetry
    (U, V) -> (U R, V R), by Noether; the symmetric balance U^T U - V^T V is lost."""
    assert certified(flow_system(linear([n, r, m]), "momentum")) == r * (r - 1) // 2


def test_momentum_with_friction_needs_the_exact_exponential():
    """With tau > 0 the same laws carry a factor e^{tau t} = s: degree 3 in (s, theta, v). Degree 2 does not
    explain the count, and the result says so."""
    system = flow_system(linear([2, 2, 2]), "momentum", "1/2")
    laws = count_laws(system).laws
    assert laws == 1
    low = find_polynomial_laws(system, degree=2, homogeneous=False, expected_laws=laws)
    assert low.complete is False and "non-polynomial laws or laws of higher degree exist" in low.summary()
    high = find_polynomial_laws(system, degree=3, expected_laws=laws)
    assert high.complete and all("s" in str(h).replace("dot_", "") for h in high.laws)


def test_momentum_destroys_the_relu_laws():
    """For ReLU nets the rescaling laws do not survive momentum: the count is 0 (Marcotte et al. 2024)."""
    assert count_laws(flow_system(relu([2, 3, 2]), "momentum")).laws == 0


def test_mirror_and_momentum_mirror_on_two_layer_nets(certified):
    """Mirror: one linear law per hidden neuron (sum of incoming - sum of outgoing weights).
    Momentum with the mirror metric (tau = 0): the velocity version and its time integral, 2 per neuron."""
    assert certified(flow_system(relu([2, 3, 2]), "mirror"), degree=1) == 3
    system = flow_system(linear([2, 2, 2]), "momentum-mirror")
    assert certified(system) == 4
    law = "u1_1 + u1_2 - v1_1 - v1_2 - t*(dot_u1_1 + dot_u1_2 - dot_v1_1 - dot_v1_2)"
    result = verify_law(system, law, seed=2)
    assert result.conserved and result.numeric["drift"][0] < 1e-8 < result.numeric["drift"][1]


def test_momentum_law_holds_along_a_simulated_heavy_ball_flow():
    system = flow_system(linear([2, 2, 2]), "momentum", "1/2")
    law = ("s*(u1_1*dot_u2_1 + u1_2*dot_u2_2 - u2_1*dot_u1_1 - u2_2*dot_u1_2"
           " + v1_1*dot_v2_1 + v1_2*dot_v2_2 - v2_1*dot_v1_1 - v2_2*dot_v1_2)")
    wrong_sign = law.replace("+ v1_1*dot_v2_1", "- v1_1*dot_v2_1")
    assert not verify_law(system, wrong_sign, numeric=False).conserved
    result = verify_law(system, law, seed=1)
    assert result.conserved
    assert result.numeric["drift"][0] < 1e-7 < 1e-2 < result.numeric["drift"][1]


def test_flow_state_and_errors():
    system = flow_system(linear([1, 1, 1]), "momentum", "0.25")
    assert isinstance(system, FlowSystem) and system.params == ("s", "u1_1", "v1_1", "dot_u1_1", "dot_v1_1")
    assert system.N == 2
    assert flow_system(linear([1, 1, 1]), "gradient") is not system
    with pytest.raises(FlowAlgebraError, match="unknown flow"):
        parse_flow("adam")
    with pytest.raises(FlowAlgebraError, match="momentum flows only"):
        parse_flow("mirror", "1")
    with pytest.raises(FlowAlgebraError, match=">= 0"):
        parse_flow("momentum", "-1")


def test_basis_and_random_modes_agree_on_flows():
    for system in (flow_system(linear([2, 2, 2]), "momentum", "1/3"), flow_system(relu([2, 2, 2]), "mirror"),
                   attention(3, 2)):
        assert count_laws(system, mode="basis").laws == count_laws(system, mode="random").laws


# -- the flow values -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, tau, cls, printed", [
    ("gradient", "0", Gradient, "gradient"), ("mirror", "0", Mirror, "mirror"),
    ("momentum", "1/2", Momentum, "momentum(tau=1/2)"), ("momentum-mirror", "0.5", Momentum, "momentum-mirror(tau=1/2)"),
    ("nmf-momentum", "1/2", NmfMomentum, "nmf-momentum(tau=1/2)"), ("sign", "0", Sign, "sign")])
def test_every_cli_name_parses_to_a_flow_value_with_its_printed_name(name, tau, cls, printed):
    flow = parse_flow(name, tau)
    assert type(flow) is cls and isinstance(flow, Flow) and flow.name == printed
    assert parse_flow(name, tau) == flow and hash(parse_flow(name, tau)) == hash(flow)   # values, not identities
    assert name in FLOWS
    assert sorted(FLOWS) == sorted(["gradient", "mirror", "momentum", "momentum-mirror", "nmf-momentum", "sign"])


def test_friction_stays_an_exact_rational():
    flow = parse_flow("momentum", "0.1")
    assert flow.tau == Fraction(1, 10) and isinstance(flow.tau, Fraction)
    assert parse_flow("momentum", Fraction(1, 3)).tau == Fraction(1, 3)


@pytest.mark.parametrize("name", ["gradient", "mirror", "sign"])
def test_friction_is_refused_for_flows_without_it(name):
    with pytest.raises(FlowAlgebraError, match="momentum flows only"):
        parse_flow(name, "1/2")


@pytest.mark.parametrize("name, system_class, D, N", [
    ("gradient", None, 6, 1), ("mirror", MirrorSystem, 6, 1), ("momentum", MomentumSystem, 13, 2),
    ("momentum-mirror", MomentumSystem, 13, 2), ("nmf-momentum", MomentumSystem, 13, 2), ("sign", SignFlowSystem, 6, 1)])
def test_each_flow_builds_its_own_system_of_the_model(name, system_class, D, N):
    model = linear([1, 3, 1])
    system = parse_flow(name).system(model)
    assert system is model if system_class is None else type(system) is system_class
    assert (system.D, system.N, system.model) == (D, N, model)
    assert flow_system(model, name).params == system.params


def test_flow_systems_are_polynomial_systems_and_count_by_lie_closure():
    for name in ("mirror", "momentum", "momentum-mirror", "nmf-momentum"):
        system = flow_system(relu([2, 2, 1]), name)
        assert isinstance(system, PolynomialSystem)
        assert type(count_laws(system)) is LieLawCount


def test_momentum_state_names_must_not_clash_with_the_parameters():
    with pytest.raises(FlowAlgebraError, match="clash"):
        flow_system(Model.from_polynomials(["t*a"], params=["t", "a"]), "momentum")


def test_flow_systems_share_one_base_for_what_every_flow_of_a_model_has():
    """The model, the name, repr and the evaluation size are defined once (:class:`laws.system.ModelFlowSystem`),
    for the polynomial flow systems and the sign flow alike."""
    model = relu([2, 2, 1])
    for name in ("mirror", "momentum", "nmf-momentum", "sign"):
        system = flow_system(model, name)
        assert isinstance(system, ModelFlowSystem) and system.model is model
        assert system.evaluation_entries == model.evaluation_entries
        assert repr(system) == f"{type(system).__name__}({system.name!r}, D={system.D}, N={system.N})"
        assert system.name.startswith("relu:2,2,1 [") and system.description.startswith(model.description + ", ")
        for attribute in ("__repr__", "model", "evaluation_entries"):
            assert all(attribute not in vars(cls) for cls in type(system).__mro__ if cls is not ModelFlowSystem
                       and issubclass(cls, ModelFlowSystem))
