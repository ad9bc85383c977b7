"""The model and flow zoo: counts known from the literature or derived by hand, with the reasoning.

Every count is cross-checked against exact polynomial laws (proved over Q): when the
independent polynomial laws of low degree match the Lie-closure count, the count is
certified from both sides (a lower bound on K by exact minors, an upper bound by the laws).
"""
import pytest

from laws.models.architectures import attention, conv, icnn, nmf, residual, softmax
from laws.closure import count_laws
from laws.flows.extended import FlowSystem, flow_system, parse_flow
from laws.models.model import linear, relu
from laws.polynomial import find_polynomial_laws
from laws.verify import verify_law
from algebra.errors import FlowAlgebraError


def certified(system, degree=2, homogeneous=False):
    """The count, checked to be fully explained by exact polynomial laws of the given degree."""
    laws = count_laws(system).laws
    poly = find_polynomial_laws(system, degree=degree, homogeneous=homogeneous, expected_laws=laws)
    assert poly.complete, (system.name, laws, poly.independent)
    return laws


@pytest.mark.parametrize("d, k, heads", [(3, 2, 1), (4, 2, 2), (3, 3, 1)])
def test_attention_laws_are_those_of_the_two_factorisations_per_head(d, k, heads):
    """phi = (Q_h K_h^T, V_h O_h^T): two 2-layer linear factorisations of inner size k <= d per head,
    each with the k(k+1)/2 laws of Q^T Q - K^T K (resp. V^T V - O^T O) (Marcotte et al. 2025)."""
    assert certified(attention(d, k, heads)) == heads * k * (k + 1)


@pytest.mark.parametrize("dims, bias, expected", [([3, 2], False, 3), ([3, 2], True, 4), ([2, 3, 3], False, 6),
                                                  ([2, 2, 3], True, 5)])
def test_softmax_output_adds_the_column_sums_of_the_last_layer(dims, bias, expected):
    """Softmax sees logits up to a common shift, so grad_{W_q} L = (p - y) h^T has zero column sums: the n_{q-1}
    column sums of W_q (and the sum of the output biases) are conserved, on top of one law per hidden ReLU neuron."""
    hidden = sum(dims[1:-1])
    assert expected == hidden + dims[-2] + (1 if bias else 0)
    assert certified(softmax(dims, bias=bias)) == expected


@pytest.mark.parametrize("n, k, c_in, c, m, bias", [(5, 2, 1, 2, 2, False), (4, 2, 2, 2, 1, True), (6, 3, 1, 3, 1, False)])
def test_conv_has_one_law_per_channel(n, k, c_in, c, m, bias):
    """Weight sharing leaves one rescaling symmetry per channel: ||K_ch||^2 (+ b_ch^2) - ||V_{:,ch,:}||^2."""
    assert certified(conv(n, k, c_in, c, m, bias=bias)) == c


@pytest.mark.parametrize("n, h, m, bias", [(2, 3, 0, False), (2, 3, 2, False), (3, 2, 2, True)])
def test_residual_connections_keep_the_block_laws(n, h, m, bias):
    """x + W2 relu(W1 x): the block's hidden neurons give its laws (MATH.md); the identity path carries the readout
    W3 alone, which breaks the rescaling between W3 and the block: no further law."""
    assert certified(residual(n, h, m, bias=bias)) == h


@pytest.mark.parametrize("dims, bias", [([2, 3, 2], False), ([2, 2, 2, 1], True)])
def test_icnn_has_one_law_per_hidden_neuron(dims, bias):
    """A hidden neuron's incoming weights (from the previous layer, the input skip, its bias) rescale against
    its outgoing weights; the input skips add paths but no symmetry."""
    assert certified(icnn(dims, bias=bias)) == sum(dims[1:-1])


def test_nmf_under_gradient_and_mirror_flows():
    """Gradient flow: W H is a 2-layer linear factorisation, r(r+1)/2 laws for r <= min(n, m).
    Mirror flow theta' = -theta * grad L: X_ij(h) = 0 for h = sum_i w_ik - sum_j h_kj (one per k), linear laws."""
    assert certified(nmf(3, 2, 3)) == 3
    mirror = flow_system(nmf(3, 2, 3), "mirror")
    assert certified(mirror, degree=1) == 2
    assert verify_law(mirror, "w1_1 + w2_1 + w3_1 - h1_1 - h1_2 - h1_3", numeric=False).conserved


@pytest.mark.parametrize("n, r, m", [(2, 2, 2), (2, 3, 2), (3, 2, 2)])
def test_momentum_keeps_only_the_antisymmetric_part_for_linear_nets(n, r, m):
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


def test_mirror_and_momentum_mirror_on_two_layer_nets():
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


def test_sign_flow_keeps_only_laws_of_parallel_coordinates():
    """theta' = -sign(grad L): h is conserved iff grad h is orthogonal to the sign vectors of W(theta); these span
    {x : x_i = sign(r) x_j for coordinates with proportional Jacobian columns}. For a ReLU net no two columns are
    proportional (different supports), so no law survives; for a softmax layer the columns of W_{1j} and W_{2j}
    are opposite (phi_j = W_1j - W_2j), so the column sums survive; phi = a*b keeps a - sign(ab) b."""
    assert count_laws(flow_system(relu([2, 3, 2]), "sign")).laws == 0
    result = count_laws(flow_system(softmax([2, 2]), "sign"))
    assert result.laws == 2 and result.law_strings == ["U1_1_1 + U1_2_1", "U1_1_2 + U1_2_2"]
    from laws.models.model import Model
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
    assert not refuted.conserved and refuted.to_json()["counterexample"]["value"] == "2"
    relu_law = verify_law(flow_system(relu([2, 3, 2]), "sign"), "u1_1**2 + u1_2**2 - v1_1**2 - v1_2**2")
    assert not relu_law.conserved
