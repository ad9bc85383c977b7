"""Model specs: the families and their CLI names ``family:dims``, dims, and model files (JSON or TOML).

Every model a user names is checked here, once, before anything is built: :func:`parse_model` is the one
validator of model specs (family, dims: ASCII digits, arity, positivity, the family's own rules, and the
sizes D, N and phi's entries computed by formula against the named limits of :mod:`laws.models.model`),
:func:`load_model_file` the one validator of model files.

Spec or file? A text ending in ``.json`` or ``.toml``, or containing a ``/``, is a model file (so
``./relu:2,3,2`` is a file and ``relu:2,3,2`` is always the spec, whatever files the folder holds);
anything else is a spec ``family:DIMS``. A model file is read by :func:`algebra.files.read_data` (a regular
file of at most :data:`MAX_MODEL_FILE_BYTES` bytes, UTF-8, strict JSON or, if its name ends in ``.toml``,
TOML, nested at most :data:`algebra.files.MAX_NESTING` deep), holding either

* ``model = "relu:2,3,2"`` (a spec, not another file) and optionally ``bias = true`` (a real boolean), or
* ``phi = ["a*b", ...]`` (polynomial strings), optionally ``params = [...]``, ``name``, ``description``;

nothing else (unknown keys and, in JSON, repeated keys are refused).

>>> parse_model("attention:8,4,2").D
256
>>> parse_model("tanh:2,2")
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: unknown model family 'tanh' (known: linear, relu, softmax, attention, conv, residual, nmf, icnn; or give a model file)
>>> parse_model("residual:3,4,0")
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: residual: the readout size m must be positive (leave it out for no readout), got residual:3,4,0
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Callable

from algebra.errors import FlowAlgebraError
from algebra.exact.parsing import shorten
from algebra.files import MissingFile, read_data
from laws.limits import MAX_MODEL_FILE_BYTES
from laws.models import architectures
from laws.models.model import MAX_NAME_LENGTH, Layered, Model, check_size, linear, relu

__all__ = ["Family", "FAMILIES", "parse_model", "parse_dims", "load_model_file", "is_model_file", "MAX_SPEC_LENGTH",
           "MAX_DIMS", "MAX_DIM_DIGITS", "MAX_MODEL_FILE_BYTES", "MAX_DESCRIPTION_LENGTH", "MODEL_FILE_SUFFIXES"]

#: a model spec has at most this many characters
MAX_SPEC_LENGTH = 500
#: a spec has at most this many sizes (layers + 1)
MAX_DIMS = 32
#: a size has at most this many digits
MAX_DIM_DIGITS = 6
#: a model file's description has at most this many characters
MAX_DESCRIPTION_LENGTH = 1_000
#: names ending so are model files (as is any name containing a /)
MODEL_FILE_SUFFIXES = (".json", ".toml")

_SIZE = re.compile(r"[0-9]+")


def _layered_sizes(kind: str) -> Callable[[list[int], bool], tuple[int, int, int]]:
    def sizes(dims: list[int], bias: bool) -> tuple[int, int, int]:
        s = Layered(kind, tuple(dims), bool(bias))
        return s.num_params, s.num_phi, s.evaluation_entries
    return sizes


def _zoo_sizes(family: str) -> Callable[[list[int], bool], tuple[int, int, int]]:
    return lambda dims, bias: architectures.sizes(family, dims, bias)


def _conv_rule(dims: list[int]) -> str | None:
    n, k = dims[0], dims[1]
    return f"the kernel size k = {k} exceeds the input length n = {n}" if k > n else None


def _softmax_rule(dims: list[int]) -> str | None:
    return "softmax needs at least 2 outputs" if dims[-1] < 2 else None


def _residual_rule(dims: list[int]) -> str | None:
    return "the readout size m must be positive (leave it out for no readout)" if dims[2:] == [0] else None


@dataclass(frozen=True)
class Family:
    """A model family: how to build it from dims, what the dims mean, an example, and what is checked before
    it is built (``arity``, the family's ``rule``, its ``sizes`` by formula; ``exact``: phi is built at once)."""

    build: Callable[[list[int], bool], Model]
    dims: str
    summary: str
    example: str
    arity: tuple[int, int] | None = None   # allowed number of dims (min, max); None: 2 to MAX_DIMS
    bias: bool = True
    sizes: Callable[[list[int], bool], tuple[int, int, int]] | None = None
    rule: Callable[[list[int]], str | None] | None = None
    exact: bool = True

    def validate(self, name: str, dims: list[int], bias: bool) -> None:
        """Every check of ``name:dims`` (with ``bias``), before anything is built."""
        low, high = self.arity or (2, MAX_DIMS)
        if not low <= len(dims) <= high:
            expected = low if low == high else (f"{low} or {high}" if high == low + 1 else f"{low} to {high}")
            if self.arity is None and len(dims) < low:
                raise FlowAlgebraError(f"dims need at least an input and an output size, got {dims}")
            raise FlowAlgebraError(f"{name} takes {expected} sizes ({self.dims}), got {len(dims)}")
        problem = self.rule(dims) if self.rule else None
        if problem:
            raise FlowAlgebraError(f"{name}: {problem}, got {name}:{','.join(map(str, dims))}")
        if any(n < 1 for n in dims):
            raise FlowAlgebraError(f"dims must be positive integers, got {shorten(str(dims))}")
        if bias and not self.bias:
            raise FlowAlgebraError(f"{name} has no bias option")
        if self.sizes is not None:
            D, N, entries = self.sizes(dims, bias)
            check_size(f"{name}:{','.join(map(str, dims))}" + ("+bias" if bias else ""), D, N, entries,
                       symbolic=self.exact)

    def make(self, name: str, dims: list[int], bias: bool) -> Model:
        self.validate(name, dims, bias)
        return self.build(dims, bias)


FAMILIES: dict[str, Family] = {
    "linear": Family(lambda d, b: linear(d, bias=b), "n0,n1,...,nq", "q-layer linear network, phi = U_q ... U_1",
                     "linear:2,3,2", sizes=_layered_sizes("linear"), exact=False),
    "relu": Family(lambda d, b: relu(d, bias=b), "n0,n1,...,nq", "q-layer ReLU network, phi = path products",
                   "relu:2,3,2,2", sizes=_layered_sizes("relu"), exact=False),
    "softmax": Family(lambda d, b: architectures.softmax(d, bias=b), "n0,...,nq",
                      "ReLU network with softmax cross-entropy output (logit differences)", "softmax:2,3,3",
                      sizes=_zoo_sizes("softmax"), rule=_softmax_rule),
    "attention": Family(lambda d, b: architectures.attention(*d), "d,k[,heads]",
                        "multi-head attention, phi = Q_h K_h^T and V_h O_h^T", "attention:8,4,2", (2, 3), bias=False,
                        sizes=_zoo_sizes("attention")),
    "conv": Family(lambda d, b: architectures.conv(*d, bias=b), "n,k,c_in,c,m",
                   "1-D ReLU convolution (length n, kernel k, c_in -> c channels), readout to m", "conv:6,3,1,2,2",
                   (5, 5), sizes=_zoo_sizes("conv"), rule=_conv_rule),
    "residual": Family(lambda d, b: architectures.residual(*d, bias=b), "n,h[,m]",
                       "residual block x + W2 relu(W1 x), optional readout to m", "residual:3,4,2", (2, 3),
                       sizes=_zoo_sizes("residual"), rule=_residual_rule),
    "nmf": Family(lambda d, b: architectures.nmf(*d), "n,r,m", "non-negative matrix factorisation X ~ W H",
                  "nmf:3,2,3", (3, 3), bias=False, sizes=_zoo_sizes("nmf")),
    "icnn": Family(lambda d, b: architectures.icnn(d, bias=b), "n0,n1,...,nq",
                   "input-convex network (input skips into every layer)", "icnn:2,3,2", sizes=_zoo_sizes("icnn")),
}


def is_model_file(text: str) -> bool:
    """The rule that tells a model file from a spec: a name ending in ``.json``/``.toml`` or containing ``/``.

    >>> is_model_file("relu:2,3,2"), is_model_file("./relu:2,3,2"), is_model_file("net.TOML")
    (False, True, True)
    """
    return "/" in text or text.lower().endswith(MODEL_FILE_SUFFIXES)


def parse_model(spec: str, bias: bool = False) -> Model:
    """A model from a CLI spec (``relu:2,3,2``, ``attention:8,4,2``, ...) or a model file path (see the module
    docstring for which is which), checked before it is built.

    The families are :data:`FAMILIES`.

    >>> parse_model("relu:2,3,2", bias=True).name
    'relu:2,3,2+bias'
    """
    if not isinstance(spec, str):
        raise FlowAlgebraError(f"a model spec is a string like \"relu:2,3,2\", got {type(spec).__name__}")
    text = spec.strip()
    if not text:
        raise FlowAlgebraError("empty model spec: use family:DIMS (see `flowalgebra laws models`) or a model file")
    if len(text) > MAX_SPEC_LENGTH:
        raise FlowAlgebraError(f"model spec too long ({len(text):,} characters, limit {MAX_SPEC_LENGTH})")
    if is_model_file(text):
        return load_model_file(text, bias=bias)
    family, colon, dims_text = text.partition(":")
    if not colon:
        raise FlowAlgebraError(f"unknown model {shorten(text)!r}: use family:DIMS (see `flowalgebra laws models`) "
                               "or a model file (a name ending in .json/.toml, or a path containing /)")
    if family not in FAMILIES:
        raise FlowAlgebraError(f"unknown model family {shorten(family)!r} (known: {', '.join(FAMILIES)}; "
                               "or give a model file)")
    if dims_text.rstrip().endswith("+bias"):
        raise FlowAlgebraError(f"write {family}:{shorten(dims_text.rstrip()[:-5])} --bias (or bias = true in a "
                               "model file), not +bias")
    return FAMILIES[family].make(family, parse_dims(dims_text), bias)


def parse_dims(text: str) -> list[int]:
    """``"2,3,2"`` -> ``[2, 3, 2]``: ASCII digits only, no empty sizes, at most :data:`MAX_DIMS` sizes of at most
    :data:`MAX_DIM_DIGITS` digits each.

    >>> parse_dims("2, 3,2")
    [2, 3, 2]
    >>> parse_dims("2,3,")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: empty size in dims '2,3,' (a doubled or trailing comma?)
    """
    parts = [t.strip() for t in text.split(",")]
    if len(parts) > MAX_DIMS:
        raise FlowAlgebraError(f"too many sizes in dims ({len(parts)}, limit {MAX_DIMS})")
    dims = []
    for part in parts:
        if not part:
            raise FlowAlgebraError(f"empty size in dims {shorten(text)!r} (a doubled or trailing comma?)")
        if not _SIZE.fullmatch(part):
            raise FlowAlgebraError(f"dims must be comma-separated integers (positive, ASCII digits), got {shorten(text)!r}")
        if len(part.lstrip("0")) > MAX_DIM_DIGITS:
            raise FlowAlgebraError(f"size {shorten(part, 20)} too large (at most {MAX_DIM_DIGITS} digits)")
        dims.append(int(part))
    return dims


def _string(data: dict, key: str, shown: str, limit: int) -> str | None:
    value = data.get(key)
    if value is None and key not in data:
        return None
    if not isinstance(value, str):
        raise FlowAlgebraError(f"model file {shown!r}: {key!r} must be a string")
    if len(value) > limit:
        raise FlowAlgebraError(f"model file {shown!r}: {key!r} too long ({len(value):,} characters, limit {limit})")
    return value


def _strings(data: dict, key: str, shown: str, what: str) -> list[str] | None:
    value = data.get(key)
    if value is None and key not in data:
        return None
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise FlowAlgebraError(f"model file {shown!r}: {key!r} must be a list of {what}")
    return value


def load_model_file(path: str, bias: bool = False) -> Model:
    """Load a model file (JSON or TOML; see the module docstring), checked key by key; ``bias`` is the CLI's
    ``--bias`` (it applies to a ``model`` spec, and may not contradict the file's ``bias``)."""
    shown = shorten(path)
    try:
        data = read_data(path, "model file", MAX_MODEL_FILE_BYTES, "MAX_MODEL_FILE_BYTES")
    except MissingFile:
        raise FlowAlgebraError(f"unknown model {shown!r}: there is no such model file") from None
    if not isinstance(data, dict):
        raise FlowAlgebraError(f"malformed model file {shown!r}: expected a table/object at top level")
    unknown = set(data) - {"model", "bias", "phi", "params", "name", "description"}
    if unknown:
        listed = ", ".join(shorten(repr(k), 30) for k in sorted(unknown)[:5])
        raise FlowAlgebraError(f"model file {shown!r} has unknown keys: {listed}")
    if "model" in data and "phi" in data:
        raise FlowAlgebraError(f"model file {shown!r}: give either 'model' or 'phi', not both")
    if "model" in data:
        extra = sorted({"params", "name", "description"} & set(data))
        if extra:
            raise FlowAlgebraError(f"model file {shown!r}: {', '.join(extra)} belong to a 'phi' model; a 'model' "
                                   "file takes 'model' and 'bias' only")
        spec = _string(data, "model", shown, MAX_SPEC_LENGTH)
        if is_model_file(spec.strip()):
            raise FlowAlgebraError(f"model file {shown!r}: 'model' must be a spec like \"relu:2,3,2\", not another "
                                   "file")
        file_bias = data.get("bias", None)
        if "bias" in data and not isinstance(file_bias, bool):
            raise FlowAlgebraError(f"model file {shown!r}: 'bias' must be true or false, got "
                                   f"{shorten(repr(file_bias), 20)}")
        if bias and file_bias is False:
            raise FlowAlgebraError(f"--bias contradicts bias = false in model file {shown!r}")
        return parse_model(spec, bias=bool(bias or file_bias))
    if "bias" in data:
        raise FlowAlgebraError(f"model file {shown!r}: 'bias' applies to a 'model' spec; a 'phi' model writes its "
                               "biases as parameters")
    if bias:
        raise FlowAlgebraError(f"--bias applies to model specs, not to the 'phi' model in {shown!r}")
    phi = _strings(data, "phi", shown, "polynomial strings")
    if phi is None:
        raise FlowAlgebraError(f"model file {shown!r} needs 'model' (a spec like \"relu:2,3,2\") or 'phi' (a list "
                               "of polynomial strings)")
    params = _strings(data, "params", shown, "names")
    name = _string(data, "name", shown, MAX_NAME_LENGTH) or os.path.basename(path)
    description = _string(data, "description", shown, MAX_DESCRIPTION_LENGTH) or name
    return Model.from_polynomials(phi, params=params, name=name, description=description)
