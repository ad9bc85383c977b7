"""Readable, stable parameter names and their LaTeX.

Two-layer networks use the neuron-wise names of the papers: ``u{k}_{i}`` is
the weight from input i into hidden neuron k, ``v{k}_{j}`` the weight from
hidden neuron k to output j, ``b{k}`` and ``c{j}`` the biases. Deeper networks
use layer matrices: ``U{l}_{i}_{j}`` is entry (i, j) of layer l's weight
matrix (rows: neurons of layer l), ``B{l}_{i}`` its bias. All indices start at 1. A momentum flow's
velocity of a parameter ``x`` is ``dot_x``, shown with a dot.

>>> latex_name("U1_2_3"), latex_name("u3_1"), latex_name("B2_10"), latex_name("theta")
('U^{(1)}_{23}', 'u_{31}', 'B^{(2)}_{10}', '\\\\theta')
>>> latex_name("dot_u1_2"), latex_name("dot_U2_1_1")
('\\\\dot{u}_{12}', '\\\\dot{U}^{(2)}_{11}')

:func:`notation` writes the "Notation." paragraph of a document about a model or its flow: which matrix
holds which weights, the index order, the flow's state and symbols. Names are strings here; a parameter as
a sympy symbol printed with this LaTeX is :class:`laws.parameter.Parameter`.
"""
from __future__ import annotations

import re

from algebra.lazy import lazy_module

__all__ = ["latex_name", "notation", "layered_notation", "describe", "is_gradient_flow"]

sp = lazy_module("sympy")  # for names without indices and exact frictions only

_INDEXED = re.compile(r"^([A-Za-z]+)(\d+)((?:_\d+)*)$")


def latex_name(name: str) -> str:
    """LaTeX for a parameter name (indices as sub/superscripts)."""
    if name.startswith("dot_") and len(name) > 4:
        inner = latex_name(name[4:])
        head = re.match(r"^(\\?[A-Za-z]+)(.*)$", inner, re.S)
        return f"\\dot{{{head.group(1)}}}{head.group(2)}" if head else f"\\dot{{{inner}}}"
    match = _INDEXED.match(name)
    if not match:
        return sp.latex(sp.Symbol(name))
    letter, first, rest = match.group(1), match.group(2), match.group(3)
    numbers = [first] + [n for n in rest.split("_") if n]
    if letter.isupper() and len(numbers) >= 2:
        return f"{letter}^{{({numbers[0]})}}_{{{_join(numbers[1:])}}}"
    return f"{letter}_{{{_join(numbers)}}}"


def _join(numbers: list[str]) -> str:
    return ("," if any(len(n) > 1 for n in numbers) else "").join(numbers)


def layered_notation(kind: str, dims: tuple[int, ...], bias: bool) -> str:
    r"""The notation of a layered network (``kind`` "linear" or "relu", widths ``dims``): which matrix holds which
    weights, in the names of :meth:`laws.models.model.Layered.parameter_names`.

    >>> print(layered_notation("relu", (2, 3, 2), False))  # doctest: +NORMALIZE_WHITESPACE
    The network is $x \mapsto V^{T} \sigma(U x)$ with $\sigma(z) = \max(z, 0)$ entrywise, widths $2 \to 3 \to 2$.
    $U \in \mathbb{R}^{3 \times 2}$ holds the first layer's weights: $u_{ki}$ (row $k$, column $i$) is the weight
    from input $i$ to hidden neuron $k$; $V \in \mathbb{R}^{3 \times 2}$ holds the second layer's: $v_{kj}$ is the
    weight from hidden neuron $k$ to output $j$. Rows of $U$ and $V$ are hidden neurons; indices start at $1$.
    """
    relu = kind == "relu"
    sigma = r" with $\sigma(z) = \max(z, 0)$ entrywise" if relu else ""
    widths = r" \to ".join(str(n) for n in dims)
    if len(dims) == 3:
        d, m, k = dims
        net = (r"V^{T} \sigma(U x + b) + c" if relu else r"V^{T} (U x + b) + c") if bias else (r"V^{T} \sigma(U x)" if relu else r"V^{T} U x")
        text = (f"The network is $x \\mapsto {net}${sigma}, widths ${widths}$. "
                f"$U \\in \\mathbb{{R}}^{{{m} \\times {d}}}$ holds the first layer's weights: $u_{{ki}}$ (row $k$, "
                f"column $i$) is the weight from input $i$ to hidden neuron $k$; "
                f"$V \\in \\mathbb{{R}}^{{{m} \\times {k}}}$ holds the second layer's: $v_{{kj}}$ is the weight from "
                f"hidden neuron $k$ to output $j$.")
        if bias:
            text += " $b_k$ is the bias of hidden neuron $k$ and $c_j$ that of output $j$."
        return text + " Rows of $U$ and $V$ are hidden neurons; indices start at $1$."
    q = len(dims) - 1
    if q == 1:
        return (f"The model is $x \\mapsto U^{{(1)}} x{' + B^{(1)}' if bias else ''}$ with "
                f"$U^{{(1)}} \\in \\mathbb{{R}}^{{{dims[1]} \\times {dims[0]}}}$: $U^{{(1)}}_{{ij}}$ (row $i$, column $j$) "
                "is the weight from input $j$ to output $i$" + ("; $B^{(1)}_i$ is the bias of output $i$." if bias else ".")
                + " Indices start at $1$.")
    inner = "U^{(1)} x" + (" + B^{(1)}" if bias else "")
    if relu or bias:
        f = r"\sigma" if relu else ""
        net = f"U^{{({q})}} {f}(\\cdots {f}({inner}) \\cdots)" + (f" + B^{{({q})}}" if bias else "")
    else:
        net = f"U^{{({q})}} \\cdots U^{{(1)}} x"
    text = (f"The network is $x \\mapsto {net}${sigma}, widths $n_0 \\to \\dots \\to n_{{{q}}} = "
            f"{widths}$. $U^{{(l)}} \\in \\mathbb{{R}}^{{n_l \\times n_{{l-1}}}}$ holds the weights of layer $l$: "
            f"$U^{{(l)}}_{{ij}}$ (row $i$, column $j$) is the weight from neuron $j$ of layer $l-1$ to neuron $i$ of "
            f"layer $l$")
    text += "; $B^{(l)}_i$ is the bias of neuron $i$ of layer $l$." if bias else "."
    return text + " Indices start at $1$."


def notation(system, prime: int | None = None) -> str:
    r"""The "Notation." paragraph for a document about ``system`` (a model, or a model under a flow): the
    model's weights (its ``notation``, else its parameters listed), the reparametrisation $\phi$ and, for
    a momentum flow, the state; with ``prime``, the prime of the modular ranks.

    >>> from laws.models.model import linear
    >>> text = notation(linear([2, 2, 2]), prime=2**31 - 1)
    >>> "$U \\in \\mathbb{R}^{2 \\times 2}$" in text, text.endswith("The prime of the exact ranks is $p = 2^{31} - 1$.")
    (True, True)
    """
    model = getattr(system, "model", system)
    parts = [getattr(model, "notation", "") or _listed(model.params)]
    generators = (r"the generators are $\chi_i = \nabla \phi_i$ [@marcotte2023]" if is_gradient_flow(system) else
                  r"the generators $\chi_i$ are the flow's vector fields on its state [@marcotte2024]")
    collects = (r"The vector $\theta \in \mathbb{R}^{D}$ collects the $D$ parameters" if is_gradient_flow(system) else
                r"The vector $\theta$ collects the model's parameters")
    parts.append(collects + r"; the model depends on them through $\phi = (\phi_1, \dots, \phi_N)$, and "
                 + generators + ".")
    params = tuple(getattr(system, "params", ()))
    if any(p.startswith("dot_") for p in params):
        clock = params[0]
        tau = getattr(getattr(system, "flow", None), "tau", None)
        state = (r"The flow's state, of dimension $D$, is $(%s, \theta, \dot\theta)$: " % clock
                 + (r"the clock $s = e^{\tau t}$" if clock == "s" else "the time $t$")
                 + r", the position $\theta$ and the velocity $\dot\theta$ (so $%s$ is the velocity of $%s$)"
                 % (latex_name("dot_" + model.params[0]), latex_name(model.params[0])))
        if tau is not None:
            state += r"; $\tau = %s$ is the friction" % sp.latex(sp.Rational(tau.numerator, tau.denominator))
        parts.append(state + ".")
    if prime is not None:
        parts.append(f"The prime of the exact ranks is ${_prime_tex(prime)}$.")
    return " ".join(parts)


def is_gradient_flow(system) -> bool:
    """True for a model itself (its gradient flow), False for a model under another flow."""
    return getattr(system, "model", system) is system


_FLOW_NAME = re.compile(r"^([A-Za-z-]+)\(tau=([^)]*)\)$")


def describe(system) -> str:
    r"""The system in words and math, for a title: the model's description, then the flow unless it is gradient flow.

    >>> from laws.models.model import linear
    >>> from laws.flows.extended import flow_system
    >>> describe(linear([2, 2, 2])), describe(flow_system(linear([2, 2, 2]), "momentum", "1/2"))
    ('2-layer linear network $2 \\to 2 \\to 2$', '2-layer linear network $2 \\to 2 \\to 2$, momentum flow with $\\tau = 1/2$')
    """
    model = getattr(system, "model", system)
    if is_gradient_flow(system):
        return model.description
    flow = getattr(getattr(system, "flow", None), "name", None)
    if flow is None:
        return system.description
    match = _FLOW_NAME.match(flow)
    if match:
        return f"{model.description}, {match.group(1)} flow with $\\tau = {match.group(2)}$"
    return f"{model.description}, {flow} flow"


def _prime_tex(p: int) -> str:
    """``p = 2^{31} - 1`` for the Mersenne prime, ``p = 10^{9} + 7`` for the counts' prime, else the number with
    thin spaces.

    >>> _prime_tex(10**9 + 7), _prime_tex(65521)
    ('p = 10^{9} + 7', 'p = 65{,}521')
    """
    if p == 2**31 - 1:
        return "p = 2^{31} - 1"
    if p == 10**9 + 7:
        return "p = 10^{9} + 7"
    return "p = " + "{,}".join(_groups(str(p)))


def _groups(digits: str) -> list[str]:
    head = len(digits) % 3 or 3
    return [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]


def _listed(params) -> str:
    """The parameters, first to last of each family of names (a custom model's notation)."""
    families: dict[str, list[str]] = {}
    for name in params:
        match = _INDEXED.match(name)
        families.setdefault(match.group(1) if match else name, []).append(name)
    shown = []
    for names in families.values():
        first, last = latex_name(names[0]), latex_name(names[-1])
        shown.append(f"${first}$" if len(names) == 1 else
                     f"${first}, {latex_name(names[1])}$" if len(names) == 2 else f"${first}, \\dots, {last}$")
    return "The parameters are " + ", ".join(shown) + " (in this order)."
