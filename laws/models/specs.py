"""Model specs: the families and their CLI names ``family:dims``, dims, and model files (JSON or TOML).

>>> parse_model("attention:8,4,2").D
256
>>> parse_model("tanh:2,2")
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: unknown model family 'tanh' (known: linear, relu, softmax, attention, conv, residual, nmf, icnn; or give a model file)
"""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from typing import Callable

from algebra.errors import FlowAlgebraError
from laws.models import architectures
from laws.models.model import Model, linear, relu

__all__ = ["Family", "FAMILIES", "parse_model", "parse_dims", "load_model_file"]


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


def parse_model(spec: str, bias: bool = False) -> Model:
    """A model from a CLI spec (``relu:2,3,2``, ``attention:8,4,2``, ...) or a model file path.

    The families are :data:`FAMILIES`.

    >>> parse_model("relu:2,3,2", bias=True).name
    'relu:2,3,2+bias'
    """
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


def parse_dims(text: str) -> list[int]:
    """``"2,3,2"`` -> ``[2, 3, 2]``, with clear errors.

    >>> parse_dims("2, 3,2")
    [2, 3, 2]
    """
    parts = [t.strip() for t in text.split(",")]
    dims = []
    for part in parts:
        if not part.lstrip("-").isdigit():
            raise FlowAlgebraError(f"dims must be comma-separated integers, got {text!r}")
        dims.append(int(part))
    return dims


def load_model_file(path: str, bias: bool = False) -> Model:
    """Load a model file (JSON or TOML) with either ``model = "relu:2,3,2"`` (and
    optional ``bias``) or ``phi = [...]`` (strings) and optional ``params``, ``name``."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        raise FlowAlgebraError(f"cannot read model file {path!r}: {err.strerror}") from None
    try:
        if path.endswith(".toml"):
            data = tomllib.loads(raw.decode("utf-8"))
        else:
            data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise FlowAlgebraError(f"malformed model file {path!r}: {str(err).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise FlowAlgebraError(f"malformed model file {path!r}: expected a table/object at top level")
    unknown = set(data) - {"model", "bias", "phi", "params", "name", "description"}
    if unknown:
        raise FlowAlgebraError(f"model file {path!r} has unknown keys: {', '.join(sorted(unknown))}")
    if "model" in data:
        if not isinstance(data["model"], str):
            raise FlowAlgebraError(f"model file {path!r}: 'model' must be a string like \"relu:2,3,2\"")
        return parse_model(data["model"], bias=bool(data.get("bias", bias)))
    phi = data.get("phi")
    if not isinstance(phi, list) or not all(isinstance(p, str) for p in phi):
        raise FlowAlgebraError(f"model file {path!r}: 'phi' must be a list of polynomial strings")
    params = data.get("params")
    if params is not None and (not isinstance(params, list) or not all(isinstance(p, str) for p in params)):
        raise FlowAlgebraError(f"model file {path!r}: 'params' must be a list of names")
    name = str(data.get("name", os.path.basename(path)))
    return Model.from_polynomials(phi, params=params, name=name, description=str(data.get("description", name)))
