"""The model zoo under gradient flow: counts known from the literature or derived by hand, with the reasoning.

Every count is cross-checked against exact polynomial laws (proved over Q): when the
independent polynomial laws of low degree match the Lie-closure count, the count is
certified from both sides (a lower bound on K by exact minors, an upper bound by the laws).
"""
import pytest

from laws.models.architectures import attention, conv, icnn, nmf, residual, softmax


@pytest.mark.parametrize("d, k, heads", [(3, 2, 1), (4, 2, 2), (3, 3, 1)])
def test_attention_laws_are_those_of_the_two_factorisations_per_head(certified, d, k, heads):
    """phi = (Q_h K_h^T, V_h O_h^T): two 2-layer linear factorisations of inner size k <= d per head,
    each with the k(k+1)/2 laws of Q^T Q - K^T K (resp. V^T V - O^T O) (Marcotte et al. 2025)."""
    assert certified(attention(d, k, heads)) == heads * k * (k + 1)


@pytest.mark.parametrize("dims, bias, expected", [([3, 2], False, 3), ([3, 2], True, 4), ([2, 3, 3], False, 6),
                                                  ([2, 2, 3], True, 5)])
def test_softmax_output_adds_the_column_sums_of_the_last_layer(certified, dims, bias, expected):
    """Softmax sees logits up to a common shift, so grad_{W_q} L = (p - y) h^T has zero column sums: the n_{q-1}
    column sums of W_q (and the sum of the output biases) are conserved, on top of one law per hidden ReLU neuron."""
    hidden = sum(dims[1:-1])
    assert expected == hidden + dims[-2] + (1 if bias else 0)
    assert certified(softmax(dims, bias=bias)) == expected


@pytest.mark.parametrize("n, k, c_in, c, m, bias", [(5, 2, 1, 2, 2, False), (4, 2, 2, 2, 1, True), (6, 3, 1, 3, 1, False)])
def test_conv_has_one_law_per_channel(certified, n, k, c_in, c, m, bias):
    """Weight sharing leaves one rescaling symmetry per channel: ||K_ch||^2 (+ b_ch^2) - ||V_{:,ch,:}||^2."""
    assert certified(conv(n, k, c_in, c, m, bias=bias)) == c


@pytest.mark.parametrize("n, h, m, bias", [(2, 3, 0, False), (2, 3, 2, False), (3, 2, 2, True)])
def test_residual_connections_keep_the_block_laws(certified, n, h, m, bias):
    """x + W2 relu(W1 x): the block's hidden neurons give its laws (MATH.md); the identity path carries the readout
    W3 alone, which breaks the rescaling between W3 and the block: no further law."""
    assert certified(residual(n, h, m, bias=bias)) == h


@pytest.mark.parametrize("dims, bias", [([2, 3, 2], False), ([2, 2, 2, 1], True)])
def test_icnn_has_one_law_per_hidden_neuron(certified, dims, bias):
    """A hidden neuron's incoming weights (from the previous layer, the input skip, its bias) rescale against
    its outgoing weights; the input skips add paths but no symmetry."""
    assert certified(icnn(dims, bias=bias)) == sum(dims[1:-1])


def test_nmf_under_gradient_flow_is_a_two_layer_linear_factorisation(certified):
    """W H is a 2-layer linear factorisation: r(r+1)/2 laws for r <= min(n, m)."""
    assert certified(nmf(3, 2, 3)) == 3
