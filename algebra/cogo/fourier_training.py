"""The loss of the CoGO network and its exact gradient without the |G|^2 input pairs (numeric, float64).

:func:`algebra.cogo.training.loss_and_grads` forms the hidden activations of all |G|^2 input pairs
(three products of cost |G|^3 N per step, N hidden nodes). The loss is a polynomial in the weights
whose sum over pairs can be done in closed form, which is what the frequency decomposition of
[@tian2024] (Theorem 1; MATH.md section 2) does: with U = P W_c (output weights centred over the
outputs), a_j, b_j the rows of W_a, W_b, alpha = a^2 and beta = b^2 entrywise, the centred output is

    P o(g1, g2) = X1[:, g1] + X2[:, g2] + 2 T[:, g1, g2],
    X1 = U alpha,  X2 = U beta  (|G| x |G|),  T[l, g1, g2] = sum_j U[l, j] a_j(g1) b_j(g2),

and the target term picks out l = g1 + g2, a circular convolution. Summing over pairs leaves

    |G|^2 L = |G| (|X1|^2 + |X2|^2) + 2 <X1 1, X2 1> + 4 <X1 + X2, T> + 4 |T|^2 - 4 sum_j <u_j, a_j * b_j>
              + |G| (|G| - 1),

where |T|^2 = sum_{j j'} (U^T U)_{jj'} (a a^T)_{jj'} (b b^T)_{jj'} is the sum over every frequency triple
(k1, k2, k) of |r_{k1 k2 k}|^2 (Parseval), and the convolutions a_j * b_j go through the group's FFT. A
step costs about 6 |G| N^2 + O(|G|^2 N) multiply-adds instead of 3 |G|^3 N: the same at |G| = 23,
N = 512, 5 times fewer at |G| = 71 and 16 times fewer at |G| = 127. The gradient is the exact
gradient of the same loss, so :func:`train_fourier` follows the same Adam trajectory as
:func:`algebra.cogo.training.train` (to rounding; tests compare both to 1e-10).

>>> import numpy as np
>>> from groups.abelian import Zd
>>> from algebra.cogo.training import loss_and_grads
>>> rng = np.random.default_rng(0)
>>> W = rng.normal(size=(6, 7)), rng.normal(size=(6, 7)), rng.normal(size=(7, 6))
>>> slow, fast = loss_and_grads(Zd(7), *W), fourier_loss_and_grads(Zd(7), *W)
>>> all(np.allclose(s, f, rtol=1e-10, atol=0) for s, f in zip(slow, fast))
True
"""
from __future__ import annotations

import numpy as np

from algebra.cogo.training import TrainRun, train

__all__ = ["fourier_loss_and_grads", "train_fourier", "fourier_step_bytes", "step_flops", "fastest"]


def _dft(G, x: np.ndarray) -> np.ndarray:
    """Rows of x (functions on G) to Fourier: X[:, k] = sum_g x[:, g] conj(chi_k(g)) (multi-dimensional FFT)."""
    shape = (x.shape[0], *reversed(G.moduli))  # mixed radix, first factor fastest = last axis
    axes = tuple(range(1, len(shape)))
    return np.fft.fftn(x.reshape(shape), axes=axes).reshape(x.shape[0], G.order)


def _idft(G, y: np.ndarray) -> np.ndarray:
    """The inverse of :func:`_dft`: (1/|G|) sum_k y[:, k] chi_k(g), real part."""
    shape = (y.shape[0], *reversed(G.moduli))
    axes = tuple(range(1, len(shape)))
    return np.fft.ifftn(y.reshape(shape), axes=axes).real.reshape(y.shape[0], G.order)


def fourier_loss_and_grads(G, W_a: np.ndarray, W_b: np.ndarray, W_c: np.ndarray, E=None):
    """Loss (1/|G|^2) sum ||P o - P e||^2 and its gradients with respect to W_a, W_b, W_c, summed over the
    input pairs in closed form (the module's formula); the same values as
    :func:`algebra.cogo.training.loss_and_grads` (``E`` is accepted for that signature and ignored)."""
    n = G.order
    a, b = W_a, W_b
    U = W_c - W_c.mean(axis=0)  # P W_c
    alpha, beta = a * a, b * b
    sa, sb = a.sum(axis=1), b.sum(axis=1)
    # |X1 + X2|^2 over (l, g1, g2)
    X1, X2 = U @ alpha, U @ beta  # (l, g1), (l, g2)
    r1, r2 = X1.sum(axis=1), X2.sum(axis=1)
    q1 = n * (np.einsum("ij,ij->", X1, X1) + np.einsum("ij,ij->", X2, X2)) + 2.0 * r1 @ r2
    Y1, Y2 = 2.0 * n * X1 + 2.0 * r2[:, None], 2.0 * n * X2 + 2.0 * r1[:, None]
    gU = Y1 @ alpha.T + Y2 @ beta.T
    galpha, gbeta = U.T @ Y1, U.T @ Y2
    # 4 <X1 + X2, T> = 4 (F1 + F2)
    Ub, Ua = U * sb, U * sa
    M1, M2 = X1 @ a.T, X2 @ b.T  # (l, j)
    f12 = np.einsum("ij,ij->", Ub, M1) + np.einsum("ij,ij->", Ua, M2)
    Pa, Pb = Ub @ a, Ua @ b  # U D_b a, U D_a b: (l, g)
    gU += 4.0 * (M1 * sb + Pa @ alpha.T + M2 * sa + Pb @ beta.T)
    galpha += 4.0 * (U.T @ Pa)
    gbeta += 4.0 * (U.T @ Pb)
    ga = 4.0 * (sb[:, None] * (U.T @ X1)) + 4.0 * np.einsum("ij,ij->j", U, M2)[:, None]
    gb = 4.0 * (sa[:, None] * (U.T @ X2)) + 4.0 * np.einsum("ij,ij->j", U, M1)[:, None]
    # 4 |T|^2 by Gram matrices
    K, Gaa, Gbb = U.T @ U, a @ a.T, b @ b.T
    H = Gaa * Gbb
    q3 = 4.0 * np.einsum("ij,ij->", K, H)
    gU += 8.0 * (U @ H)
    ga += 8.0 * ((K * Gbb) @ a)
    gb += 8.0 * ((K * Gaa) @ b)
    # the target: -4 sum_j sum_{g1, g2} U[g1 + g2, j] a_j(g1) b_j(g2), by convolution
    Ah, Bh, Uh = _dft(G, a), _dft(G, b), _dft(G, U.T)
    conv = _idft(G, Ah * Bh)  # (j, l)
    cross = np.einsum("ij,ji->", U, conv)
    gU -= 4.0 * conv.T
    ga -= 4.0 * _idft(G, Uh * np.conj(Bh))
    gb -= 4.0 * _idft(G, Uh * np.conj(Ah))
    ga += 2.0 * a * galpha
    gb += 2.0 * b * gbeta
    scale = 1.0 / n ** 2
    loss = float((q1 + 4.0 * f12 + q3 - 4.0 * cross + n * (n - 1)) * scale)
    gW_c = gU - gU.mean(axis=0)
    return loss, ga * scale, gb * scale, gW_c * scale


def step_flops(order: int, width: int, method: str = "fourier") -> int:
    """Multiply-adds of one loss-and-gradient step (leading terms): ``direct`` 3 |G|^3 N,
    ``fourier`` 6 |G| N^2 + 14 |G|^2 N.

    >>> round(step_flops(71, 512, "direct") / step_flops(71, 512), 1)
    3.7
    """
    n, N = int(order), int(width)
    return 3 * n ** 3 * N if method == "direct" else 6 * n * N * N + 14 * n * n * N


def fourier_step_bytes(order: int, width: int) -> int:
    """Working memory of one :func:`fourier_loss_and_grads` step: about six N x N Gram-type arrays and
    twenty |G| x N ones (floats), the FFTs of three more (complex).

    >>> round(fourier_step_bytes(23, 512) / 2**20)
    15
    """
    n, N = int(order), int(width)
    return 8 * (6 * N * N + 20 * n * N) + 16 * 6 * n * N


def train_fourier(*args, **kwargs) -> TrainRun:
    """:func:`algebra.cogo.training.train` (same arguments, same checks, same Adam steps and seeds) with the
    gradient of :func:`fourier_loss_and_grads`. The closed form sums over all pairs: with ``train_fraction``
    below 1 this is :func:`~algebra.cogo.training.train` itself (the all-pairs step, masked).

    >>> run = train_fourier(5, width=16, wd=1e-4, seed=0, epochs=200, progress=False)
    >>> slow = train(5, width=16, wd=1e-4, seed=0, epochs=200, progress=False)
    >>> bool(abs(run.final_loss - slow.final_loss) < 1e-9 * slow.final_loss)
    True
    """
    if kwargs.get("train_fraction", 1.0) != 1:
        return train(*args, **kwargs)
    return train(*args, loss_fn=fourier_loss_and_grads, step_bytes=fourier_step_bytes, **kwargs)


def fastest(order: int, width: int) -> str:
    """The cheaper exact step by :func:`step_flops`: ``direct`` (all pairs) while |G|^2 < 2 N roughly,
    ``fourier`` beyond (measured at N = 512, one thread: |G| = 23 direct 1.6 ms, Fourier 6.4 ms per step;
    |G| = 71 42 ms vs 18 ms; |G| = 127 292 ms vs 22 ms).

    >>> fastest(23, 512), fastest(71, 512)
    ('direct', 'fourier')
    """
    return "direct" if step_flops(order, width, "direct") <= step_flops(order, width, "fourier") else "fourier"
