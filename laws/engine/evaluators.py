"""Fast exact evaluation of generator fields mod p, on jets.

The generators of W are the fields chi_i = grad phi_i. The engine only ever
needs ``grad psi_alpha`` for psi_alpha = sum_i alpha_i phi_i (alpha one-hot for
a single generator, random for a random element of W), evaluated at a point
whose coordinates are jets (:mod:`laws.engine.jets`), for a batch of alphas at once.

* :class:`SparseGradient`: any polynomial phi, from its expanded terms
  (ReLU path products, user polynomials);
* :class:`ChainGradient`: linear networks, by products of (augmented) layer
  matrices; its cost does not grow with the number of paths. Its :meth:`ChainGradient.brackets`
  gives generators and brackets of two at one point directly, structure-aware: the layer products at
  the point are formed once and shared by the batch, and only the directional parts are per bracket.

Both map ``alpha`` of shape (B, N) and a jet point of shape (2^m, B, D) to a
jet of shape (2^m, B, D).

>>> from laws.models.model import linear
>>> m = linear([2, 2, 1])
>>> ev = for_model(m)
>>> theta = np.array([[[1, 2, 3, 4, 5, 6]]])          # u1_1 u1_2 u2_1 u2_2 v1_1 v2_1
>>> ev.field(np.array([[1, 0]]), theta)[0, 0].tolist()   # grad of phi_1 = u1_1 v1_1 + u2_1 v2_1
[5, 0, 6, 0, 1, 3]
"""
from __future__ import annotations

import numpy as np

from algebra.exact.blocked_elimination import from_balanced, mulmod, reduce_balanced, to_balanced
from algebra.exact.modular import PRIME, fmpq_mod
from laws.engine import jets

__all__ = ["SparseGradient", "ChainGradient", "for_model"]

#: batch memory budget (int64 entries) for one sparse evaluation
_BUDGET = 6_000_000


class SparseGradient:
    """grad psi_alpha from expanded terms: term t is ``coef[t] * prod_j x[var[t, j]]``,
    belonging to phi_{owner[t]}; ``var`` is padded with ``D`` (a constant 1)."""

    def __init__(self, D: int, N: int, var: np.ndarray, coef: np.ndarray, owner: np.ndarray, p: int = PRIME):
        self.D, self.N, self.p = D, N, p
        self.var = np.asarray(var, dtype=np.int64)
        self.coef = np.asarray(coef, dtype=np.int64) % p
        self.owner = np.asarray(owner, dtype=np.int64)
        T, L = self.var.shape
        self.T, self.L = T, L
        flat = self.var.reshape(-1)
        # partial j of term t adds to coordinate var[t, j]: the columns grouped by coordinate, summed by reduceat
        order = np.argsort(flat, kind="stable")
        self._order = order[flat[order] < D]
        grouped = flat[self._order]
        self._starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if grouped.size else grouped
        self._targets = grouped[self._starts]

    def batch_limit(self, m: int) -> int:
        """The largest batch that fits the memory budget at jet order m."""
        return max(1, _BUDGET // ((1 << m) * max(1, self.T) * max(1, self.L)))

    def field(self, alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
        limit = self.batch_limit(jets.order(x))
        if alpha.shape[0] > limit:
            parts = [self.field(alpha[s:s + limit], x[:, s:s + limit]) for s in range(0, alpha.shape[0], limit)]
            return np.concatenate(parts, axis=1)
        p = self.p
        size, batch = x.shape[0], x.shape[1]
        one = np.zeros((size, batch, 1), dtype=np.int64)
        one[0] = 1
        xe = np.concatenate([x, one], axis=2)
        factors = xe[:, :, self.var]                       # (2^m, B, T, L)
        weight = (alpha[:, self.owner] % p) * self.coef % p  # (B, T)
        # prefix[j] = prod_{j' < j}, suffix[j] = prod_{j' > j}
        prefix = [jets.constant(np.broadcast_to(weight, (batch, self.T)), jets.order(x))]
        for j in range(self.L - 1):
            prefix.append(jets.mul(prefix[-1], factors[..., j], p))
        suffix = jets.constant(np.ones((batch, self.T), dtype=np.int64), jets.order(x))
        partials = [None] * self.L
        for j in range(self.L - 1, -1, -1):
            partials[j] = jets.mul(prefix[j], suffix, p)
            if j:
                suffix = jets.mul(suffix, factors[..., j], p)
        stacked = np.stack(partials, axis=-1).reshape(size * batch, self.T * self.L)  # (2^m B, T L)
        out = np.zeros((size * batch, self.D), dtype=np.int64)
        if self._order.size:
            out[:, self._targets] = np.add.reduceat(stacked[:, self._order], self._starts, axis=1)
        out %= p
        return out.reshape(size, batch, self.D)


class ChainGradient:
    """grad psi_alpha for a linear network, psi_alpha = tr(A^T U_q ... U_1) on augmented matrices."""

    def __init__(self, structure, p: int = PRIME):
        self.s = structure
        self.p = p
        self.D = structure.num_params
        self.N = structure.num_phi
        q = structure.depth
        self._blocks = []  # per layer: (rows, cols, slice of weights, slice of biases)
        for l in range(1, q + 1):
            rows, cols = structure.dims[l], structure.dims[l - 1]
            w0 = structure.weight_offset(l)
            self._blocks.append((rows, cols, w0, w0 + rows * cols))

    def batch_limit(self, m: int) -> int:
        return max(1, _BUDGET // ((1 << m) * max(n * n for n in self.s.dims) * 4))

    def _matrix(self, x: np.ndarray, l: int) -> np.ndarray:
        """Augmented layer matrix l (1-based) as a jet (2^m, B, rows', cols')."""
        rows, cols, w0, b0 = self._blocks[l - 1]
        size, batch = x.shape[0], x.shape[1]
        mat = x[:, :, w0:w0 + rows * cols].reshape(size, batch, rows, cols)
        if not self.s.bias:
            return mat
        b = x[:, :, b0:b0 + rows].reshape(size, batch, rows, 1)
        mat = np.concatenate([mat, b], axis=3)
        if l < self.s.depth:
            last = np.zeros((size, batch, 1, cols + 1), dtype=np.int64)
            last[0, :, 0, cols] = 1
            mat = np.concatenate([mat, last], axis=2)
        return mat

    def field(self, alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
        p = self.p
        q = self.s.depth
        size, batch = x.shape[0], x.shape[1]
        n0, nq = self.s.dims[0], self.s.dims[-1]
        A = alpha[:, : nq * n0].reshape(batch, nq, n0) % p
        if self.s.bias:
            A = np.concatenate([A, alpha[:, nq * n0:].reshape(batch, nq, 1) % p], axis=2)
        A = jets.constant(A, 0)
        mats = [self._matrix(x, l) for l in range(1, q + 1)]
        # right[l] = U_l ... U_1 (right[0] = None means identity); left[l] = U_q ... U_l
        right = [None]
        for l in range(q):
            right.append(mats[l] if right[-1] is None else jets.matmul(mats[l], right[-1], p))
        left = [None] * (q + 2)
        for l in range(q, 0, -1):
            left[l] = mats[l - 1] if left[l + 1] is None else jets.matmul(left[l + 1], mats[l - 1], p)
        out = np.zeros((size, batch, self.D), dtype=np.int64)
        for l in range(1, q + 1):
            # d psi / d U_l = (U_q..U_{l+1})^T A (U_{l-1}..U_1)^T
            g = A if left[l + 1] is None else jets.matmul(np.swapaxes(left[l + 1], -1, -2), A, p)
            if right[l - 1] is not None:
                g = jets.matmul(g, np.swapaxes(right[l - 1], -1, -2), p)
            rows, cols, w0, b0 = self._blocks[l - 1]
            g = jets.widen(g, jets.order(x))
            out[:, :, w0:w0 + rows * cols] = g[:, :, :rows, :cols].reshape(size, batch, rows * cols)
            if self.s.bias:
                out[:, :, b0:b0 + rows] = g[:, :, :rows, cols]
        return out


    # -- structure-aware evaluation at one point (generators and brackets of two) -------------------------
    def _layers_at(self, theta: np.ndarray) -> list[np.ndarray]:
        """The augmented layer matrices at one point, as balanced residues."""
        x = np.asarray(theta, dtype=np.int64).reshape(1, 1, -1)
        return [to_balanced(self._matrix(x, l)[0, 0], self.p) for l in range(1, self.s.depth + 1)]

    def _alpha(self, alpha: np.ndarray) -> np.ndarray:
        nq, n0 = self.s.dims[-1], self.s.dims[0]
        batch = alpha.shape[0]
        A = alpha[:, : nq * n0].reshape(batch, nq, n0)
        if self.s.bias:
            A = np.concatenate([A, alpha[:, nq * n0:].reshape(batch, nq, 1)], axis=2)
        return to_balanced(A, self.p)

    def _gradients(self, A: np.ndarray, left: list, right: list) -> tuple[list, list]:
        """Per layer l, G_l = L_{l+1}^T A R_{l-1}^T (augmented), and the factors L_{l+1}^T A and A R_{l-1}^T."""
        p, q = self.p, self.s.depth
        G, LA, AR = [], [], []
        for l in range(1, q + 1):
            la = A if left[l + 1] is None else mulmod(left[l + 1].T, A, p)
            ar = A if right[l - 1] is None else mulmod(A, right[l - 1].T, p)
            G.append(la if right[l - 1] is None else mulmod(la, right[l - 1].T, p))
            LA.append(la)
            AR.append(ar)
        return G, LA, AR

    def _direction(self, G: list) -> list:
        """Per-layer gradients as a direction: the augmented constant row zeroed."""
        V = []
        for l, g in enumerate(G, start=1):
            rows = self._blocks[l - 1][0]
            v = g.copy()
            v[:, rows:, :] = 0
            V.append(v)
        return V

    def _derivative(self, V: list, LA: list, AR: list, mats: list, left: list, right: list) -> list:
        """Per layer l, the derivative of G_l along V: dL_{l+1}^T A R_{l-1}^T + L_{l+1}^T A dR_{l-1}^T."""
        p, q = self.p, self.s.depth
        dR = [None] * (q + 1)          # dR[l] = d(M_l ... M_1)
        for l in range(1, q):
            term = V[l - 1] if right[l - 1] is None else mulmod(V[l - 1], right[l - 1], p)
            if dR[l - 1] is not None:
                term = reduce_balanced(term + mulmod(mats[l - 1], dR[l - 1], p), p)
            dR[l] = term
        dL = [None] * (q + 2)          # dL[l] = d(M_q ... M_l)
        for l in range(q, 1, -1):
            term = V[l - 1] if left[l + 1] is None else mulmod(left[l + 1], V[l - 1], p)
            if dL[l + 1] is not None:
                term = reduce_balanced(term + mulmod(dL[l + 1], mats[l - 1], p), p)
            dL[l] = term
        out = []
        for l in range(1, q + 1):
            total = None
            if dL[l + 1] is not None:
                total = mulmod(np.swapaxes(dL[l + 1], -1, -2), AR[l - 1], p)
            if dR[l - 1] is not None:
                part = mulmod(LA[l - 1], np.swapaxes(dR[l - 1], -1, -2), p)
                total = part if total is None else reduce_balanced(total + part, p)
            out.append(total if total is not None else np.zeros_like(LA[l - 1]))
        return out

    def _vector(self, G: list, balanced: bool = False) -> np.ndarray:
        """The per-layer values as vectors of length D: int64 in [0, p), or balanced float64 residues."""
        batch = G[0].shape[0]
        out = np.zeros((batch, self.D)) if balanced else np.zeros((batch, self.D), dtype=np.int64)
        convert = (lambda v: v) if balanced else (lambda v: from_balanced(v, self.p))
        for l, g in enumerate(G, start=1):
            rows, cols, w0, b0 = self._blocks[l - 1]
            out[:, w0:w0 + rows * cols] = convert(g[:, :rows, :cols]).reshape(batch, rows * cols)
            if self.s.bias:
                out[:, b0:b0 + rows] = convert(g[:, :rows, cols])
        return out

    def brackets(self, alphas: list[np.ndarray], theta: np.ndarray, balanced: bool = False) -> np.ndarray | None:
        """Values at theta of X_1 (one alpha) or [X_1, X_2] = DX_2 X_1 - DX_1 X_2 (two), shape (B, D) mod p
        (int64 in [0, p), or with ``balanced`` float64 balanced residues, as :class:`~algebra.exact.modular.
        EchelonBasis` takes them); None for longer brackets (they go by jets).

        >>> from laws.models.model import linear
        >>> ev = for_model(linear([2, 2, 1]))
        >>> ev.brackets([np.array([[1, 0]])], np.arange(1, 7)).tolist()     # as field() at this point
        [[5, 0, 6, 0, 1, 3]]
        """
        if len(alphas) > 2:
            return None
        p, q = self.p, self.s.depth
        mats = self._layers_at(theta)
        right = [None]
        for l in range(q):
            right.append(mats[l] if right[-1] is None else mulmod(mats[l], right[-1], p))
        left = [None] * (q + 2)
        for l in range(q, 0, -1):
            left[l] = mats[l - 1] if left[l + 1] is None else mulmod(left[l + 1], mats[l - 1], p)
        first = self._gradients(self._alpha(alphas[0]), left, right)
        if len(alphas) == 1:
            return self._vector(first[0], balanced)
        second = self._gradients(self._alpha(alphas[1]), left, right)
        ahead = self._derivative(self._direction(first[0]), second[1], second[2], mats, left, right)   # DX_2 X_1
        back = self._derivative(self._direction(second[0]), first[1], first[2], mats, left, right)    # DX_1 X_2
        return self._vector([reduce_balanced(a - b, p) for a, b in zip(ahead, back)], balanced)


def for_model(model, p: int = PRIME):
    """The fastest evaluator for a model."""
    s = model.structure
    if s is not None and s.kind == "linear":
        return ChainGradient(s, p)
    if s is not None and s.kind == "relu":
        tables = s.paths()
        L = max(t.shape[1] for t in tables)
        var = np.concatenate([np.pad(t, ((0, 0), (0, L - t.shape[1])), constant_values=model.D) for t in tables])
        T = var.shape[0]
        return SparseGradient(model.D, T, var, np.ones(T, dtype=np.int64), np.arange(T), p)
    return _from_polynomials(model, p)


def _from_polynomials(model, p: int) -> SparseGradient:
    rows, coefs, owners = [], [], []
    for i, poly in enumerate(model.phi):
        for exps, c in poly.terms():
            factors = [v for v, e in enumerate(exps) for _ in range(int(e))]
            rows.append(factors)
            coefs.append(fmpq_mod(c, p))
            owners.append(i)
    L = max([len(r) for r in rows] + [1])
    var = np.full((len(rows), L), model.D, dtype=np.int64)
    for t, r in enumerate(rows):
        var[t, : len(r)] = r
    return SparseGradient(model.D, len(model.phi), var, np.array(coefs, dtype=np.int64), np.array(owners, dtype=np.int64), p)
