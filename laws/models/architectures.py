"""The model zoo beyond plain layered networks; each is an exact polynomial phi.

On a region of fixed activation pattern every model here is multilinear in
its weights, so phi is a list of path products (or of their differences):

* ``attention(d, k, heads)``: per head h, phi = entries of Q_h K_h^T and
  V_h O_h^T (Q, K, V, O are d x k); the map X -> sum_h softmax(X Q_h K_h^T X^T) X V_h O_h^T
  depends on the weights only through them (Marcotte, Gribonval, Peyré,
  "Transformative or conservative?", 2025).
* ``softmax(dims)``: a ReLU network whose logits go through softmax /
  cross-entropy, which only sees logit differences: phi = path products to
  output i minus the same path to the last output.
* ``conv(n, k, c_in, c, m)``: 1-D valid convolution (length n, kernel k,
  c_in -> c channels) with ReLU, then a dense readout to m outputs; phi =
  readout weight x kernel weight for every (output, channel, position, tap).
* ``residual(n, h, m)``: x + W2 relu(W1 x) (+ biases), then an optional
  readout W3 (m > 0): the identity path carries W3 alone.
* ``nmf(n, r, m)``: X ~ W H with W (n x r), H (r x m): phi = entries of W H.
  Its natural flow is the mirror flow (:mod:`laws.flows.extended`).
* ``icnn(dims)``: input-convex network z_{l+1} = relu(Z_l z_l + X_l x + b_l)
  (Amos, Xu, Kolter 2017): paths may enter any layer from the input.

>>> attention(4, 2, heads=2).D, attention(4, 2, heads=2).N
(64, 64)
"""
from __future__ import annotations

import itertools
import math
from typing import Callable

import flint

from algebra.errors import FlowAlgebraError
from algebra.exact.parsing import shorten
from laws.models.model import Layered, Model, check_size, relu
from laws.naming import layered_notation

__all__ = ["attention", "softmax", "conv", "residual", "nmf", "icnn", "sizes"]


def _arrows(dims) -> str:
    """Widths in LaTeX, input to output: ``2 \\to 3 \\to 2``."""
    return " \\to ".join(map(str, dims))


def _build(name: str, description: str, names: list[str], terms: Callable[[dict], list], notation: str = "") -> Model:
    """The model from its parameter names and phi (the sizes were checked by the caller, by formula)."""
    ctx = flint.fmpq_mpoly_ctx.get(tuple(names), "deglex")
    gens = dict(zip(names, ctx.gens()))
    return Model(name, names, phi=terms(gens), ctx=ctx, description=description, notation=notation)


def sizes(family: str, dims: list[int], bias: bool = False) -> tuple[int, int, int]:
    """``(D, N, entries)`` of a zoo model by formula, before it is built: parameters, components of phi,
    and terms x degree of phi (an upper bound).

    >>> sizes("attention", [4, 2, 2]), (attention(4, 2, heads=2).D, attention(4, 2, heads=2).N)
    ((64, 64, 256), (64, 64))
    """
    b = int(bool(bias))
    if family == "attention":
        d, k, heads = (list(dims) + [1])[:3]
        return 4 * heads * d * k, 2 * heads * d * d, 2 * heads * d * d * k * 2
    if family == "conv":
        n, k, c_in, c, m = dims
        P = max(n - k + 1, 0)
        N = m * c * P * (c_in * k + b) + b * m
        return c * c_in * k + b * c + m * c * P + b * m, N, 2 * N
    if family == "residual":
        n, h, m = (list(dims) + [0])[:3]
        block = n * h * (n + b) + b * n
        if not m:
            return 2 * n * h + b * (h + n), block, 2 * block
        N = m * n * (1 + h * (n + b) + b)
        return 2 * n * h + b * (h + n) + m * n, N, 3 * N
    if family == "nmf":
        n, r, m = dims
        return n * r + r * m, n * m, 2 * n * m * r
    if family == "icnn":
        q = len(dims) - 1
        D = sum(dims[l] * dims[l - 1] for l in range(2, q + 1)) + sum(dims[l] * dims[0] for l in range(1, q + 1))
        D += b * sum(dims[1:])
        N = sum((dims[0] + b) * math.prod(dims[entry:]) for entry in range(1, q + 1))
        return D, N, N * q
    if family == "softmax":
        base = Layered("relu", tuple(dims), bool(bias))
        m = dims[-1]
        N = base.num_paths // m * (m - 1)
        return base.num_params, N, 2 * base.path_entries // m * (m - 1)
    raise ValueError(f"no size formula for {family!r}")


def _check(family: str, name: str, dims: list[int], bias: bool = False) -> None:
    D, N, entries = sizes(family, dims, bias)
    check_size(name, D, N, entries, symbolic=True)   # the zoo builds phi exactly, at once


def _positive(name: str, values) -> None:
    if any((not isinstance(v, int)) or isinstance(v, bool) or v < 1 for v in values):
        raise FlowAlgebraError(f"{name} sizes must be positive integers, got {shorten(str(list(values)))}")


def _prod(factors, ctx_one):
    out = ctx_one
    for f in factors:
        out = out * f
    return out


def attention(d: int, k: int, heads: int = 1) -> Model:
    """Multi-head attention, embedding d, head dimension k."""
    _positive("attention", [d, k, heads])
    _check("attention", f"attention:{d},{k},{heads}", [d, k, heads])
    mats = ("Q", "K", "V", "O")
    names = [f"{M}{h + 1}_{i + 1}_{j + 1}" for h in range(heads) for M in mats for i in range(d) for j in range(k)]

    def terms(g):
        one = next(iter(g.values())).context().constant(1)
        phi = []
        for h in range(heads):
            for left, right in (("Q", "K"), ("V", "O")):
                for i in range(d):
                    for j in range(d):
                        phi.append(sum((g[f"{left}{h + 1}_{i + 1}_{a + 1}"] * g[f"{right}{h + 1}_{j + 1}_{a + 1}"]
                                        for a in range(k)), one * 0))
        return phi

    return _build(f"attention:{d},{k},{heads}", f"{heads}-head attention, embedding ${d}$, head dimension ${k}$", names,
                  terms, f"Head $h$ has $Q^{{(h)}}, K^{{(h)}}, V^{{(h)}}, O^{{(h)}} \\in \\mathbb{{R}}^{{{d} \\times {k}}}$ "
                  "with entries $Q^{(h)}_{ij}$ (row $i$, column $j$) and so on; the layer is "
                  "$X \\mapsto \\sum_h \\mathrm{softmax}(X Q^{(h)} K^{(h)T} X^{T}) X V^{(h)} O^{(h)T}$ [@marcotte2025]. "
                  "Indices start at $1$.")


def softmax(dims, bias: bool = False) -> Model:
    """ReLU network with a softmax / cross-entropy output (phi: logit differences)."""
    dims = list(dims)
    _positive("softmax", dims)
    if len(dims) < 2:
        raise FlowAlgebraError(f"dims need at least an input and an output size, got {dims}")
    if dims[-1] < 2:
        raise FlowAlgebraError("softmax needs at least 2 outputs")
    _check("softmax", f"softmax:{','.join(map(str, dims))}" + ("+bias" if bias else ""), dims, bias)
    base = relu(dims, bias=bias)
    s = base.structure
    names = list(base.params)
    m = s.dims[-1]

    def terms(g):
        ctx = next(iter(g.values())).context()
        gens = ctx.gens()
        phi = []
        for table in s.paths():
            # the last column is the output-layer weight (or the output bias for length-1 bias paths)
            by_rest: dict[tuple, dict[int, flint.fmpq_mpoly]] = {}
            for row in table.tolist():
                last = row[-1]
                out_index = _output_of(s, last)
                rest = tuple(row[:-1]) + (_column_of(s, last),)
                by_rest.setdefault(rest, {})[out_index] = _prod([gens[v] for v in row], ctx.constant(1))
            for outputs in by_rest.values():
                for i in range(m - 1):
                    phi.append(outputs[i] - outputs[m - 1])
        return phi

    return _build(f"softmax:{','.join(map(str, s.dims))}" + ("+bias" if bias else ""),
                  f"ReLU network ${_arrows(s.dims)}$ with softmax cross-entropy output"
                  + (" and biases" if bias else ""), names, terms,
                  layered_notation("relu", s.dims, bias) + " The logits go through softmax cross-entropy.")


def _output_of(s, index: int) -> int:
    """Output neuron of a last-layer parameter (weight row, or output bias)."""
    q = s.depth
    off = s.weight_offset(q)
    rows, cols = s.dims[q], s.dims[q - 1]
    if index < off + rows * cols:
        return (index - off) // cols
    return index - off - rows * cols


def _column_of(s, index: int) -> int:
    q = s.depth
    off = s.weight_offset(q)
    rows, cols = s.dims[q], s.dims[q - 1]
    if index < off + rows * cols:
        return (index - off) % cols
    return -1  # output bias


def conv(n: int, k: int, c_in: int, c: int, m: int, bias: bool = False) -> Model:
    """1-D convolution (valid) with ReLU and a dense readout."""
    _positive("conv", [n, k, c_in, c, m])
    if k > n:
        raise FlowAlgebraError(f"kernel size {k} exceeds the input length {n}")
    _check("conv", f"conv:{n},{k},{c_in},{c},{m}", [n, k, c_in, c, m], bias)
    P = n - k + 1
    names = [f"K{ch + 1}_{ci + 1}_{t + 1}" for ch in range(c) for ci in range(c_in) for t in range(k)]
    if bias:
        names += [f"b{ch + 1}" for ch in range(c)]
    names += [f"V{o + 1}_{ch + 1}_{pos + 1}" for o in range(m) for ch in range(c) for pos in range(P)]
    if bias:
        names += [f"c{o + 1}" for o in range(m)]

    def terms(g):
        phi = []
        for o, ch, pos in itertools.product(range(m), range(c), range(P)):
            v = g[f"V{o + 1}_{ch + 1}_{pos + 1}"]
            for ci, t in itertools.product(range(c_in), range(k)):
                phi.append(v * g[f"K{ch + 1}_{ci + 1}_{t + 1}"])
            if bias:
                phi.append(v * g[f"b{ch + 1}"])
        if bias:
            phi += [g[f"c{o + 1}"] for o in range(m)]
        return phi

    return _build(f"conv:{n},{k},{c_in},{c},{m}" + ("+bias" if bias else ""),
                  f"1-D ReLU convolution (length ${n}$, kernel ${k}$, ${c_in} \\to {c}$ channels) with a readout to ${m}$"
                  + (", biases" if bias else ""), names, terms,
                  "$K^{(c)}_{it}$ is tap $t$ of the kernel from input channel $i$ to channel $c$, and $V^{(o)}_{cp}$ "
                  "the readout weight from channel $c$ at position $p$ to output $o$"
                  + ("; $b_1, b_2, \\dots$ are the channel biases and $c_1, c_2, \\dots$ the output biases." if bias else ".")
                  + " Indices start at $1$.")


def residual(n: int, h: int, m: int = 0, bias: bool = False) -> Model:
    """Residual block x + W2 relu(W1 x + b1) + b2, then a readout W3 if m > 0."""
    _positive("residual", [n, h] + ([m] if m else []))
    _check("residual", f"residual:{n},{h}" + (f",{m}" if m else ""), [n, h, m], bias)
    names = [f"U1_{i + 1}_{j + 1}" for i in range(h) for j in range(n)]
    names += [f"B1_{i + 1}" for i in range(h)] if bias else []
    names += [f"U2_{i + 1}_{j + 1}" for i in range(n) for j in range(h)]
    names += [f"B2_{i + 1}" for i in range(n)] if bias else []
    names += [f"U3_{i + 1}_{j + 1}" for i in range(m) for j in range(n)] if m else []

    def terms(g):
        block = []  # (block output i, path monomial) for the residual branch
        for i, a in itertools.product(range(n), range(h)):
            w2 = g[f"U2_{i + 1}_{a + 1}"]
            for j in range(n):
                block.append((i, w2 * g[f"U1_{a + 1}_{j + 1}"]))
            if bias:
                block.append((i, w2 * g[f"B1_{a + 1}"]))
        if bias:
            block += [(i, g[f"B2_{i + 1}"]) for i in range(n)]
        if not m:
            return [p for _, p in block]
        phi = []
        for o, i in itertools.product(range(m), range(n)):
            w3 = g[f"U3_{o + 1}_{i + 1}"]
            phi.append(w3)  # identity path x_i -> output o
            phi += [w3 * p for bi, p in block if bi == i]
        return phi

    return _build(f"residual:{n},{h}" + (f",{m}" if m else "") + ("+bias" if bias else ""),
                  f"residual ReLU block (width ${n}$, hidden ${h}$)" + (f" with a readout to ${m}$" if m else "")
                  + (", biases" if bias else ""), names, terms,
                  f"The block is $x \\mapsto x + U^{{(2)}} \\sigma(U^{{(1)}} x{' + B^{(1)}' if bias else ''})"
                  f"{' + B^{(2)}' if bias else ''}$ with $\\sigma(z) = \\max(z, 0)$ entrywise"
                  + (", followed by the readout $U^{(3)}$" if m else "")
                  + "; $U^{(l)}_{ij}$ is row $i$, column $j$ of $U^{(l)}$. Indices start at $1$.")


def nmf(n: int, r: int, m: int) -> Model:
    """Non-negative matrix factorisation X ~ W H (phi = entries of W H)."""
    _positive("nmf", [n, r, m])
    _check("nmf", f"nmf:{n},{r},{m}", [n, r, m])
    names = [f"w{i + 1}_{a + 1}" for i in range(n) for a in range(r)] + \
            [f"h{a + 1}_{j + 1}" for a in range(r) for j in range(m)]

    def terms(g):
        zero = next(iter(g.values())).context().constant(0)
        return [sum((g[f"w{i + 1}_{a + 1}"] * g[f"h{a + 1}_{j + 1}"] for a in range(r)), zero)
                for i in range(n) for j in range(m)]

    return _build(f"nmf:{n},{r},{m}", f"non-negative matrix factorisation ${n} \\times {m}$, rank ${r}$", names, terms,
                  f"$X \\approx W H$ with $W \\in \\mathbb{{R}}^{{{n} \\times {r}}}$, entries $w_{{ia}}$, and "
                  f"$H \\in \\mathbb{{R}}^{{{r} \\times {m}}}$, entries $h_{{aj}}$. Indices start at $1$.")


def icnn(dims, bias: bool = False) -> Model:
    """Input-convex network on dims [n0, n1, ..., nq] (Z-weights, input skips X, biases)."""
    dims = list(dims)
    _positive("icnn", dims)
    if len(dims) < 2:
        raise FlowAlgebraError(f"dims need at least an input and an output size, got {dims}")
    _check("icnn", f"icnn:{','.join(map(str, dims))}", dims, bias)
    q = len(dims) - 1
    names = []
    for l in range(1, q + 1):
        if l >= 2:
            names += [f"Z{l}_{i + 1}_{j + 1}" for i in range(dims[l]) for j in range(dims[l - 1])]
        names += [f"X{l}_{i + 1}_{j + 1}" for i in range(dims[l]) for j in range(dims[0])]
        if bias:
            names += [f"B{l}_{i + 1}" for i in range(dims[l])]

    def terms(g):
        one = next(iter(g.values())).context().constant(1)
        phi = []
        for entry in range(1, q + 1):  # the layer where a path enters from the input (or a bias)
            sources = [("X", j) for j in range(dims[0])] + ([("B", None)] if bias else [])
            for kind, j in sources:
                for route in itertools.product(*[range(dims[l]) for l in range(entry, q + 1)]):
                    first = g[f"X{entry}_{route[0] + 1}_{j + 1}"] if kind == "X" else g[f"B{entry}_{route[0] + 1}"]
                    term = one * first
                    for pos in range(1, len(route)):
                        l = entry + pos
                        term = term * g[f"Z{l}_{route[pos] + 1}_{route[pos - 1] + 1}"]
                    phi.append(term)
        return phi

    return _build(f"icnn:{','.join(map(str, dims))}" + ("+bias" if bias else ""),
                  f"input-convex network ${_arrows(dims)}$" + (" with biases" if bias else ""), names, terms,
                  "The layers are $z_1 = \\sigma(X^{(1)} x" + (" + B^{(1)}" if bias else "") + ")$ and $z_l = "
                  "\\sigma(Z^{(l)} z_{l-1} + X^{(l)} x" + (" + B^{(l)}" if bias else "") + ")$, with "
                  "$\\sigma(z) = \\max(z, 0)$ entrywise: $Z^{(l)}_{ij}$ and $X^{(l)}_{ij}$ are row $i$, column $j$ of "
                  "$Z^{(l)}$ and of the skip $X^{(l)}$ from the input. Indices start at $1$.")
