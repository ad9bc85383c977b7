"""The catalogue of model families: CLI names ``family:dims`` and how to build them.

>>> parse_spec("attention:8,4,2").D
256
>>> parse_spec("tanh:2,2")
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: unknown model family 'tanh' (known: linear, relu, softmax, attention, conv, residual, nmf, icnn; or give a model file)
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from algebra.derivation import Derivation, Explained
from algebra.errors import FlowAlgebraError
from laws import architectures
from laws.model import Model, linear, load_model_file, parse_dims, relu


@dataclass(frozen=True)
class Family:
    """A model family: how to build it from dims, what the dims mean, an example."""

    build: Callable[[list[int], bool], Model]
    dims: str
    summary: str
    example: str
    arity: tuple[int, int] | None = None   # allowed number of dims (min, max); None: any >= 2
    bias: bool = True

    def make(self, name: str, dims: list[int], bias: bool) -> Model:
        if self.arity and not (self.arity[0] <= len(dims) <= self.arity[1]):
            expected = self.arity[0] if self.arity[0] == self.arity[1] else f"{self.arity[0]} or {self.arity[1]}"
            raise FlowAlgebraError(f"{name} takes {expected} sizes ({self.dims}), got {len(dims)}")
        if bias and not self.bias:
            raise FlowAlgebraError(f"{name} has no bias option")
        return self.build(dims, bias)


FAMILIES: dict[str, Family] = {
    "linear": Family(lambda d, b: linear(d, bias=b), "n0,n1,...,nq", "q-layer linear network, phi = U_q ... U_1",
                     "linear:2,3,2"),
    "relu": Family(lambda d, b: relu(d, bias=b), "n0,n1,...,nq", "q-layer ReLU network, phi = path products",
                   "relu:2,3,2,2"),
    "softmax": Family(lambda d, b: architectures.softmax(d, bias=b), "n0,...,nq",
                      "ReLU network with softmax cross-entropy output (logit differences)", "softmax:2,3,3"),
    "attention": Family(lambda d, b: architectures.attention(*d), "d,k[,heads]",
                        "multi-head attention, phi = Q_h K_h^T and V_h O_h^T", "attention:8,4,2", (2, 3), bias=False),
    "conv": Family(lambda d, b: architectures.conv(*d, bias=b), "n,k,c_in,c,m",
                   "1-D ReLU convolution (length n, kernel k, c_in -> c channels), readout to m", "conv:6,3,1,2,2",
                   (5, 5)),
    "residual": Family(lambda d, b: architectures.residual(*d, bias=b), "n,h[,m]",
                       "residual block x + W2 relu(W1 x), optional readout to m", "residual:3,4,2", (2, 3)),
    "nmf": Family(lambda d, b: architectures.nmf(*d), "n,r,m", "non-negative matrix factorisation X ~ W H",
                  "nmf:3,2,3", (3, 3), bias=False),
    "icnn": Family(lambda d, b: architectures.icnn(d, bias=b), "n0,n1,...,nq",
                   "input-convex network (input skips into every layer)", "icnn:2,3,2"),
}


def parse_spec(spec: str, bias: bool = False) -> Model:
    """``family:dims`` or a model file path -> a model."""
    spec = spec.strip()
    if os.path.exists(spec):
        return load_model_file(spec, bias=bias)
    if ":" not in spec:
        raise FlowAlgebraError(f"unknown model {spec!r}: use family:DIMS (see `flowalgebra laws models`) "
                               "or a model file (.json/.toml)")
    family, _, dims_text = spec.partition(":")
    if family not in FAMILIES:
        raise FlowAlgebraError(f"unknown model family {family!r} (known: {', '.join(FAMILIES)}; or give a model file)")
    return FAMILIES[family].make(family, parse_dims(dims_text), bias)


@dataclass
class Catalogue(Explained):
    """The list printed by ``flowalgebra laws models``."""

    def derivation(self) -> Derivation:
        d = Derivation("Model families and flows")
        for name, f in FAMILIES.items():
            d.add(f"{name}:{f.dims} -- {f.summary} (e.g. {f.example}).")
        from laws.flows import FLOWS

        d.add("Flows: " + ", ".join(FLOWS) + "; momentum flows take an exact friction tau.")
        return d

    def to_json(self) -> dict:
        return {name: {"dims": f.dims, "summary": f.summary, "example": f.example, "bias": f.bias}
                for name, f in FAMILIES.items()}

    def summary(self) -> str:
        width = max(len(f"{n}:{f.dims}") for n, f in FAMILIES.items())
        lines = [f"{(n + ':' + f.dims):{width}s}  {f.summary}{'' if f.bias else ' (no --bias)'}; e.g. {f.example}"
                 for n, f in FAMILIES.items()]
        return "\n".join(lines + ["or a model file (.json/.toml) with phi = [...] and optional params"])
