r"""The catalogue printed by ``flowalgebra laws models``: model families and flows.

>>> print(Catalogue().summary().splitlines()[0])
linear:n0,n1,...,nq    q-layer linear network, phi = U_q ... U_1; e.g. linear:2,3,2
>>> spec_latex("conv", "n,k,c_in,c,m"), spec_latex("linear", "n0,n1,...,nq")
('$\\texttt{conv:}n,k,c_{\\mathrm{in}},c,m$', '$\\texttt{linear:}n_{0},n_{1},\\dots,n_{q}$')
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from algebra.present import Derivation, Result, escape_text, notation_paragraph, table
from laws.flows import REGISTRY
from laws.models.specs import FAMILIES

__all__ = ["Catalogue", "FAMILY_LATEX", "spec_latex"]

#: each family of :data:`~laws.models.specs.FAMILIES` described in LaTeX (its ``summary`` is plain text)
FAMILY_LATEX = {
    "linear": r"$q$-layer linear network; $\phi$: the entries of $U^{(q)} \cdots U^{(1)}$",
    "relu": r"$q$-layer ReLU network; $\phi$: the path products",
    "softmax": r"ReLU network, softmax cross-entropy; $\phi$: logit differences",
    "attention": r"multi-head attention; $\phi$: $Q_h K_h^{T}$, $V_h O_h^{T}$ per head",
    "conv": r"ReLU convolution: length $n$, kernel $k$, $c_{\mathrm{in}} \to c$ channels, readout $m$",
    "residual": r"residual block $x + W_2 \, \sigma(W_1 x)$, optional readout $m$",
    "nmf": r"non-negative matrix factorisation $X \approx W H$",
    "icnn": r"input-convex network (input skips into every layer)",
}


def spec_latex(family: str, dims: str) -> str:
    """A spec ``family:dims`` in math: the family's name in typewriter type, the sizes as symbols."""
    sizes = dims.replace("...", r"\dots").replace("c_in", r"c_{\mathrm{in}}").replace("heads", r"\mathit{heads}")
    sizes = re.sub(r"\b([a-z])(\d+|q)\b", r"\1_{\2}", sizes)
    return f"$\\texttt{{{family}:}}{sizes}$"


@dataclass(repr=False)
class Catalogue(Result):
    """The list printed by ``flowalgebra laws models``."""

    def derivation(self) -> Derivation:
        d = Derivation("Model families and flows", notation=notation_paragraph([
            "A model is given on the command line as $\\texttt{family:}$sizes, input to output",
            (r"\theta", "denotes its parameters and $L(\\theta)$ a loss"),
            (r"\phi", "the reparametrisation through which the model depends on $\\theta$ [@marcotte2023]"),
            (r"\dot\theta", "the time derivative along a flow"),
            (r"\odot", "the entrywise product"),
            (r"\tau \ge 0", "the friction of the momentum flows")]))
        rows = [[spec_latex(name, f.dims), FAMILY_LATEX.get(name, escape_text(f.summary))]
                for name, f in FAMILIES.items()]
        plain = [name for name, f in FAMILIES.items() if not f.bias]
        d.add("The model families (the sizes after the colon):", table(
            ["family", "model"], rows,
            note=("For example $\\texttt{relu:}2,3,2,2$ is the $3$-layer ReLU network $2 \\to 3 \\to 2 \\to 2$. "
                  + (f"Every family except {' and '.join(plain)} also comes with biases." if plain else ""))))
        for entry in REGISTRY.values():
            d.add(*entry.statement())
        return d

    def to_json(self) -> dict:
        return {name: {"dims": f.dims, "summary": f.summary, "example": f.example, "bias": f.bias}
                for name, f in FAMILIES.items()} | {"flows": {n: e.to_json() for n, e in REGISTRY.items()}}

    def summary(self) -> str:
        width = max(len(f"{n}:{f.dims}") for n, f in FAMILIES.items())
        lines = [f"{(n + ':' + f.dims):{width}s}  {f.summary}{'' if f.bias else ' (no --bias)'}; e.g. {f.example}"
                 for n, f in FAMILIES.items()]
        return "\n".join(lines + ["or a model file (.json/.toml) with phi = [...] and optional params", "",
                                   "flows (--flow):"] + [e.line() for e in REGISTRY.values()])
