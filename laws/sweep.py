"""Sweeps: counts over a grid or a random sample of architectures and flows, on Dask.

A sweep spec (TOML or JSON file of at most :data:`MAX_SPEC_BYTES`, or an inline ``;``-separated list of models)::

    models = ["attention:4,2,2", "nmf:3,2,3"]          # explicit models, and/or
    [grid]                                              # layered families over depths and widths
    families = ["relu", "linear"]
    depth = [2, 3]                                      # inclusive ranges
    width = [2, 4]
    bias = [false, true]
    # every task is run under every flow (tau applies to momentum flows)
    flows = ["gradient", "momentum"]
    tau = ["0", "1/2"]
    sample = 20                                         # optional: random sample of the tasks
    seed = 0
    degree = 2                                          # optional: also degree-2 polynomial laws

A spec is checked in one place, :func:`spec_tasks`, before any task starts: its shape against
:data:`SPEC_SCHEMA` (a JSON Schema: every field's type and range, unknown keys refused), then every model
through :func:`~laws.models.specs.parse_model`, every flow and friction through
:func:`~laws.flows.extended.parse_flow` (tau is exact: an integer, ``"p/q"`` or a decimal), and the number of
tasks against :data:`MAX_TASKS`. A mistake is one line (:class:`~algebra.errors.FlowAlgebraError`).

Tasks run on a Dask cluster (a local one with two worker processes by default, loopback only and without
a dashboard, or an existing one given by its scheduler address, :func:`scheduler_address`, reached within
:data:`CONNECT_TIMEOUT` seconds). One sweep at a time writes a folder (:func:`sweep_lock`). Every finished
task is appended to ``results.csv`` at once, whole, so an interrupted sweep (Ctrl-C) resumes where it
stopped; at the end ``results.md`` (a Markdown table) and ``results.png`` (laws against D) are written.
Rows are typed (integers, booleans, seconds as a float, ``None`` for a blank cell) whether they were just
computed or read back from ``results.csv``; in JSON the friction tau is an exact rational (an integer, or
``{"p": ..., "q": ...}``) and the ranks by bracket level a list of integers.

>>> tasks = load_spec("relu:2,2,1;linear:2,2,2")
>>> [t.key for t in tasks]
['relu:2,2,1|gradient|0|-', 'linear:2,2,2|gradient|0|-']
>>> spec_tasks({"models": "relu:2,2,1"})
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: sweep spec: models must be a list of model specs like ["relu:2,3,2"] (at most 100000), got a string 'relu:2,2,1'
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import ipaddress
import itertools
import logging
import math
import os
import re
import signal
import threading
import time
import warnings
from dataclasses import dataclass, field
from fractions import Fraction

import filelock
import jsonschema
import sympy as sp

from algebra.commandline import integer, real
from algebra.errors import FlowAlgebraError
from algebra.exact.encoding import rational_json
from algebra.exact.random import MAX_SEED, generator
from algebra.files import MissingFile, read_data
from algebra.present import Derivation, Result, inline
from laws.closure import count_laws
from laws.flows.extended import REGISTRY, flow_system, parse_flow
from laws.models.specs import FAMILIES, is_model_file, parse_model
from laws.polynomial import find_polynomial_laws
from laws.system import PolynomialSystem

__all__ = ["SweepTask", "SweepResult", "load_spec", "spec_tasks", "run_task", "run_sweep", "read_results",
           "markdown_table", "plot_laws", "scheduler_address", "local_cluster", "sweep_lock", "fail_if_all_failed",
           "COLUMNS", "SPEC_SCHEMA", "MAX_SPEC_BYTES", "MAX_MODEL_CHARS", "MAX_MODELS", "MAX_TASKS", "MAX_TAUS",
           "MAX_GRID_DEPTH", "MAX_GRID_WIDTH", "MAX_DEGREE", "MAX_WORKERS", "MAX_CLUSTER_MEMORY", "CONNECT_TIMEOUT", "WORKER_TIMEOUT",
           "CLOSE_TIMEOUT", "SCHEDULER_PROTOCOLS", "LOCK_NAME"]

COLUMNS = ["key", "model", "flow", "tau", "D", "generators", "trace_dim", "laws", "closed", "levels",
           "poly_independent", "complete", "seconds", "error"]
#: how a results.csv cell is read back: integer, boolean and float columns (blank cells are None)
_INTEGERS = ("D", "generators", "trace_dim", "laws", "poly_independent")
_BOOLEANS = ("closed", "complete")

#: a spec file, or an inline spec, has at most this many bytes
MAX_SPEC_BYTES = 1_000_000
#: a model entry (``family:dims[+bias]`` or a model file's path) has at most this many characters
MAX_MODEL_CHARS = 1000
#: a spec names at most this many distinct models (explicit ones and the grid's together)
MAX_MODELS = 100_000
#: a sweep runs at most this many tasks (after ``sample``)
MAX_TASKS = 100_000
#: a spec gives at most this many frictions
MAX_TAUS = 100
#: grid depths (number of layers) and widths are at most these
MAX_GRID_DEPTH = 12
MAX_GRID_WIDTH = 1000
#: the optional polynomial degree of a sweep is at most this (0: no polynomial laws)
MAX_DEGREE = 8
#: a local cluster has at most this many worker processes (each holds the toolkit, about 150 MB)
MAX_WORKERS = 8
#: a local cluster's workers share this much memory, in bytes (a worker over its share is restarted and its task
#: becomes a row with an error)
MAX_CLUSTER_MEMORY = 4 * 2**30
#: seconds to reach a given scheduler, for a worker to join it, and to close a cluster
CONNECT_TIMEOUT = 5
WORKER_TIMEOUT = 10
CLOSE_TIMEOUT = 10
#: the schedulers' protocols accepted (``HOST:PORT`` alone means ``tcp://HOST:PORT``)
SCHEDULER_PROTOCOLS = ("tcp", "tls", "ws", "wss", "ucx")
#: the lock file that keeps a second sweep out of a folder
LOCK_NAME = ".sweep.lock"

#: a message echoes at most this many characters of a user's text
_ECHO = 80


def _shorten(text: str, limit: int = _ECHO) -> str:
    """At most ``limit`` characters of a user's text, marked when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _echo(value) -> str:
    """A short repr of a user's value for a message."""
    return _shorten(repr(value))


def _printable(text) -> str:
    """A user's name as printable text (control characters escaped), for a list in a message."""
    text = str(text)
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


@dataclass(frozen=True)
class SweepTask:
    """One count: a model spec (bias included as ``+bias``), a flow, a friction, an optional degree."""

    model: str
    flow: str = "gradient"
    tau: str = "0"
    degree: int = 0

    @property
    def key(self) -> str:
        return f"{self.model}|{self.flow}|{self.tau}|{self.degree or '-'}"


# -- the spec: read, checked in one place ---------------------------------------------------------------

def _integer_node(low: int, high: int | None, what: str = "an integer") -> dict:
    expected = f"{what} between {low} and {high}" if high is not None else f"{what} >= {low}"
    node = {"type": "integer", "minimum": low, "expected": expected}
    if high is not None:
        node["maximum"] = high
    return node


def _range_node(high: int, what: str) -> dict:
    return {"type": "array", "minItems": 2, "maxItems": 2, "items": _integer_node(1, high),
            "expected": f"a {what} range [min, max] of integers, 1 <= min <= max <= {high}"}


#: the shape of a sweep spec (JSON Schema; ``expected`` says in words what a field must be)
SPEC_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "expected": "a table/object of sweep settings (models, grid, flows, tau, sample, seed, degree)",
    "properties": {
        "models": {"type": "array", "maxItems": MAX_MODELS,
                   "expected": f'a list of model specs like ["relu:2,3,2"] (at most {MAX_MODELS})',
                   "items": {"type": "string", "minLength": 1, "maxLength": MAX_MODEL_CHARS,
                             "expected": f'a model spec like "relu:2,3,2" or a model file (1 to {MAX_MODEL_CHARS} '
                                         "characters)"}},
        "grid": {
            "type": "object", "additionalProperties": False,
            "expected": "a table with families = [...], depth = [min, max], width = [min, max], bias = [...]",
            "properties": {
                "families": {"type": "array", "minItems": 1, "maxItems": 100,
                             "expected": 'a list of model families like ["relu", "linear"]',
                             "items": {"type": "string", "maxLength": 100, "expected": 'a family name like "relu"'}},
                "depth": _range_node(MAX_GRID_DEPTH, "depth"),
                "width": _range_node(MAX_GRID_WIDTH, "width"),
                "bias": {"type": "array", "minItems": 1, "maxItems": 2,
                         "expected": "a list of one or two booleans, like [false, true]",
                         "items": {"type": "boolean", "expected": "true or false"}},
            },
        },
        "flows": {"type": "array", "minItems": 1, "maxItems": 100,
                  "expected": 'a list of flows like ["gradient", "momentum"]',
                  "items": {"type": "string", "maxLength": 100, "expected": 'a flow name like "gradient"'}},
        "tau": {"type": "array", "minItems": 1, "maxItems": MAX_TAUS,
                "expected": f'a list of 1 to {MAX_TAUS} exact frictions like ["0", "1/2"]',
                "items": {"type": ["string", "number"], "maxLength": 40,
                          "expected": 'an exact friction >= 0 like 0, "1/2" or "0.5" (at most 40 characters)'}},
        "sample": _integer_node(1, None),
        "seed": _integer_node(0, MAX_SEED),
        "degree": _integer_node(0, MAX_DEGREE),
    },
}

# integers are Python ints (not booleans, not 2.0); numbers are finite ints or floats (not booleans)
_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine_many({
    "integer": lambda checker, value: isinstance(value, int) and not isinstance(value, bool),
    "number": lambda checker, value: isinstance(value, (int, float)) and not isinstance(value, bool),
})
_VALIDATOR = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=_TYPES)(SPEC_SCHEMA)

_KINDS = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}


def _describe(value) -> str:
    """What a user's value is, briefly: ``a string 'abc'``, ``a list of length 3``, ``a table with keys a, b``."""
    if isinstance(value, list):
        return f"a list of length {len(value)}"
    if isinstance(value, dict):
        return f"a table with keys {_shorten(', '.join(map(_printable, value)))}" if value else "an empty table"
    kind = next((name for cls, name in _KINDS.items() if type(value) is cls), f"a {type(value).__name__}")
    return f"{kind} {_echo(value)}"


def _where(path) -> str:
    """``grid.depth[0]`` from a schema error's path."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{_printable(part)}" if text else _printable(part))
    return _shorten(text)


def _schema_message(error: jsonschema.ValidationError) -> str:
    where = _where(error.absolute_path)
    if error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        unknown = sorted(_printable(k) for k in error.instance if k not in known)
        return (f"sweep spec{' ' + where if where else ''} has unknown keys: {_shorten(', '.join(unknown))} "
                f"(known: {', '.join(sorted(known))})")
    expected = error.schema.get("expected", "something else")
    return f"sweep spec{': ' + where if where else ''} must be {expected}, got {_describe(error.instance)}"


_numerator = integer(0, None, "a numerator")
_denominator = integer(1, None, "a denominator")
_decimal = real(0.0, None, "a finite decimal")


def _tau_text(value, where: str) -> str:
    """A friction of the spec as exact text (integers and decimals as written, ``p/q``), checked to be a
    bounded exact rational >= 0 (at most 12 digits a part, exponents of at most 3 digits)."""
    text = repr(value) if isinstance(value, float) else str(value)
    numerator, slash, denominator = text.strip().partition("/")
    try:
        if isinstance(value, float) and not math.isfinite(value):
            raise argparse.ArgumentTypeError(text)
        if slash:
            _numerator(numerator), _denominator(denominator)
        else:
            _decimal(text)
    except argparse.ArgumentTypeError:
        raise FlowAlgebraError(f"sweep spec: {where} must be an exact friction >= 0 like 0, \"1/2\" or \"0.5\", "
                               f"got {_describe(value)}") from None
    return text


def load_spec(spec: str, progress: bool = False) -> list[SweepTask]:
    """Tasks from a spec file or an inline ``;``-separated list of models, checked by :func:`spec_tasks`
    (``progress``: a bar while many models are checked).

    File or list? The rule of model specs (:func:`~laws.models.specs.is_model_file`): a text without ``;``
    that ends in ``.toml``/``.json`` or contains a ``/`` is a spec file, read by
    :func:`algebra.files.read_data` (a regular file of at most :data:`MAX_SPEC_BYTES`, UTF-8, TOML or strict
    JSON); anything else is a list of models, whatever files the folder holds (``./relu:2,2`` is the file).
    """
    if not isinstance(spec, str):
        raise FlowAlgebraError(f"a sweep spec is a file name or a list like 'relu:2,3,2;linear:2,2,2', got "
                               f"{type(spec).__name__}")
    if len(spec.encode("utf-8", "surrogatepass")) > MAX_SPEC_BYTES:
        raise FlowAlgebraError(f"sweep spec is longer than {MAX_SPEC_BYTES} bytes (MAX_SPEC_BYTES)")
    neither = (f"sweep spec {_echo(spec)} is neither a file nor a list like 'relu:2,3,2;linear:2,2,2' (a spec "
               "file's name ends in .toml or .json, or contains a /)")
    if ";" not in spec and is_model_file(spec.strip()):
        try:
            data = read_data(spec.strip(), "sweep spec", MAX_SPEC_BYTES, "MAX_SPEC_BYTES")
        except MissingFile:
            raise FlowAlgebraError(neither.replace(" (a spec", ": there is no such file (a spec")) from None
    elif ":" in spec:
        data = {"models": [s.strip() for s in spec.split(";") if s.strip()]}
    else:
        raise FlowAlgebraError(neither)
    return spec_tasks(data, progress)


def spec_tasks(data, progress: bool = False) -> list[SweepTask]:
    """The tasks of a spec given as a dict (a parsed spec file), all checked before any runs: the shape
    (:data:`SPEC_SCHEMA`), the grid's families and size (:data:`MAX_MODELS`), every flow and friction
    (:func:`~laws.flows.extended.parse_flow`), the number of tasks (:data:`MAX_TASKS`), then every model given
    in ``models`` and every model a task will run, by :func:`~laws.models.specs.parse_model` (with a progress
    bar on stderr when there are many and ``progress``; a grid's models that ``sample`` leaves out are not
    built). Any mistake raises :class:`~algebra.errors.FlowAlgebraError` with one line.

    >>> [t.key for t in spec_tasks({"models": ["linear:2,2"], "flows": ["momentum"], "tau": [0, "1/2"]})]
    ['linear:2,2|momentum|0|-', 'linear:2,2|momentum|1/2|-']
    """
    try:
        errors = list(_VALIDATOR.iter_errors(data))
    except RecursionError:
        raise FlowAlgebraError("sweep spec is too deeply nested") from None
    if errors:  # the first in the spec's order: a key before its entries, entries by index
        first = min(errors, key=lambda e: [f"{p:020d}" if isinstance(p, int) else str(p) for p in e.absolute_path])
        raise FlowAlgebraError(_schema_message(first))
    explicit = list(dict.fromkeys(data.get("models", [])))
    models = explicit + (_grid_models(data["grid"], room=MAX_MODELS - len(explicit)) if "grid" in data else [])
    models = list(dict.fromkeys(models))
    if not models:
        raise FlowAlgebraError("sweep spec lists no models (give 'models' or a [grid])")
    flows = list(dict.fromkeys(data.get("flows", ["gradient"])))
    taus = list(dict.fromkeys(_tau_text(t, f"tau[{i}]") for i, t in enumerate(data.get("tau", ["0"]))))
    degree = data.get("degree", 0)
    combos = []  # (flow, tau) for each model, in the order of the flows, then of the frictions
    for i, flow in enumerate(flows):
        for tau in (taus if _has_friction(flow) else ["0"]):
            try:
                parse_flow(flow, tau)
            except FlowAlgebraError as err:
                raise FlowAlgebraError(f"sweep spec: flows[{i}]: {err}") from None
            combos.append((flow, tau))
    total = len(models) * len(combos)
    if "sample" in data:
        n = min(data["sample"], total)
        if n > MAX_TASKS:
            raise FlowAlgebraError(f"sweep spec: a sample of {n} tasks is more than {MAX_TASKS} (MAX_TASKS)")
        rng = generator(data.get("seed", 0), "sweep sample")
        chosen = [int(i) for i in rng.choice(total, size=n, replace=False)]
    elif total > MAX_TASKS:
        raise FlowAlgebraError(f"sweep spec has {total} tasks ({len(models)} models x {len(combos)} flows), more "
                               f"than {MAX_TASKS} (MAX_TASKS): use sample = N or fewer models")
    else:
        chosen = range(total)
    tasks = [SweepTask(models[i // len(combos)], *combos[i % len(combos)], degree) for i in chosen]
    _check_models(list(dict.fromkeys(explicit + [t.model for t in tasks])), progress)
    return tasks


def _check_models(models: list[str], progress: bool) -> None:
    """Every model through the model-spec validator; a transient progress bar when there are many (building a
    large model takes milliseconds)."""
    from tqdm import tqdm

    with tqdm(models, desc="checking models", unit="model", leave=False,
              disable=not progress or len(models) < _BAR_FROM) as bar:
        for model in bar:
            _check_model(model)


#: the models are checked with a progress bar from this many on
_BAR_FROM = 1000


def _check_model(model: str) -> None:
    """A model entry through the model-spec validator (``+bias`` asks for biases), with the entry named."""
    spec, bias = (model[:-5], True) if model.endswith("+bias") else (model, False)
    try:
        parse_model(spec, bias=bias)
    except FlowAlgebraError as err:
        raise FlowAlgebraError(f"sweep spec: model {_echo(model)}: {err}") from None


def _grid_models(grid: dict, room: int) -> list[str]:
    """The grid's model specs (already of the right shape, :data:`SPEC_SCHEMA`), at most ``room`` of them."""
    families = list(dict.fromkeys(grid.get("families", ["relu"])))
    for i, family in enumerate(families):
        if family not in FAMILIES:
            raise FlowAlgebraError(f"sweep spec: grid.families[{i}]: unknown model family {_echo(family)} "
                                   f"(known: {', '.join(FAMILIES)})")
    dmin, dmax = grid.get("depth", [2, 3])
    wmin, wmax = grid.get("width", [2, 3])
    biases = list(dict.fromkeys(grid.get("bias", [False])))
    if not (dmin <= dmax and wmin <= wmax):
        raise FlowAlgebraError(f"sweep spec: grid ranges must satisfy 1 <= min <= max (depth {dmin}-{dmax}, "
                               f"width {wmin}-{wmax})")
    count = sum((wmax - wmin + 1) ** (q + 1) for q in range(dmin, dmax + 1)) * len(families) * len(biases)
    if count > room:
        raise FlowAlgebraError(f"sweep spec: the grid has {count} architectures, more than {room} (MAX_MODELS = "
                               f"{MAX_MODELS} in all): narrow depth or width (then use sample = N to draw tasks)")
    models = []
    for family, bias in itertools.product(families, biases):
        for q in range(dmin, dmax + 1):
            for dims in itertools.product(range(wmin, wmax + 1), repeat=q + 1):
                models.append(f"{family}:{','.join(map(str, dims))}" + ("+bias" if bias else ""))
    return models


# -- one task ---------------------------------------------------------------------------------------------

def run_task(task: SweepTask) -> dict:
    """Count (and optionally find degree-k polynomial laws) for one task; never raises for bad input (the
    error's text, on one line, is the row's ``error``)."""
    row = {c: None for c in COLUMNS}
    row.update(key=task.key, model=task.model, flow=task.flow, tau=task.tau)
    start = time.perf_counter()
    try:
        spec, bias = (task.model[:-5], True) if task.model.endswith("+bias") else (task.model, False)
        system = flow_system(parse_model(spec, bias=bias), parse_flow(task.flow, task.tau))
        counted = count_laws(system)
        row.update(D=system.D, generators=system.N, trace_dim=counted.trace_dim, laws=counted.laws,
                   closed=counted.closed, levels="-".join(str(rank) for rank in counted.ranks) or None)
        if task.degree and isinstance(system, PolynomialSystem):  # the sign flow has no polynomial fields
            poly = find_polynomial_laws(system, degree=task.degree, homogeneous=False, expected_laws=counted.laws)
            row.update(poly_independent=poly.independent, complete=poly.complete)
    except FlowAlgebraError as err:
        row["error"] = " ".join(str(err).splitlines())
    row["seconds"] = round(time.perf_counter() - start, 3)
    return row


@dataclass(repr=False)
class SweepResult(Result):
    """What a sweep wrote and found."""

    out: str
    rows: list[dict]
    executed: int
    skipped: int
    seconds: float
    paths: dict = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """The number of rows with an error."""
        return sum(1 for r in self.rows if r.get("error"))

    def to_json(self) -> dict:
        return {"out": self.out, "tasks": len(self.rows), "executed": self.executed, "skipped": self.skipped,
                "errors": self.errors, "seconds": round(self.seconds, 2),
                "paths": self.paths, "rows": [_json_row(r) for r in self.rows]}

    def summary(self) -> str:
        return (f"sweep: {len(self.rows)} tasks ({self.executed} run now, {self.skipped} resumed from "
                f"{self.paths.get('csv')}), {self.errors} errors, {self.seconds:.1f} s\n" + markdown_table(self.rows))

    def derivation(self) -> Derivation:
        d = Derivation("Sweep of conservation-law counts")
        for row in self.rows:
            if row.get("error"):
                d.add(f"{row['model']} under {row['flow']} flow: {row['error']}")
            else:
                d.add(f"{row['model']} under {row['flow']} flow (tau = {row['tau']}): "
                      f"{inline(sp.Eq(sp.Symbol('D'), int(row['D'])))}, {inline(sp.Eq(sp.Symbol('K'), int(row['trace_dim'])))}, "
                      f"{row['laws']} independent laws.")
        return d


def fail_if_all_failed(result: SweepResult) -> SweepResult:
    """The result, unless every task of the sweep failed: then one line saying how many and where the errors are
    (:class:`~algebra.errors.FlowAlgebraError`, exit status 2 on the command line)."""
    if result.rows and result.errors == len(result.rows):
        raise FlowAlgebraError(f"all {len(result.rows)} tasks of the sweep failed: the errors are in "
                               f"{result.paths.get('csv')} (column 'error') and {result.paths.get('markdown')}")
    return result


def read_results(path: str) -> dict[str, dict]:
    """Completed rows of a results file, by key, typed as :func:`run_task` makes them (malformed or partial lines
    are ignored)."""
    if not os.path.exists(path):
        return {}
    done = {}
    with open(path, newline="", encoding="utf-8", errors="replace") as fh:
        for row in csv.DictReader(fh):
            if row.get("key") and row.get("seconds") not in (None, ""):
                try:
                    done[row["key"]] = _typed_row(row)
                except ValueError:  # a damaged line: the task runs again
                    continue
    return done


def _typed_row(row: dict) -> dict:
    """A results.csv row (all text) with its numbers and booleans back; blank cells are None."""
    out = {}
    for column in COLUMNS:
        text = row.get(column)
        if text in (None, ""):
            out[column] = None
        elif column in _INTEGERS:
            out[column] = int(text)
        elif column in _BOOLEANS:
            if text not in ("True", "False"):
                raise ValueError(f"not a boolean: {text!r}")
            out[column] = text == "True"
        elif column == "seconds":
            out[column] = float(text)
        else:
            out[column] = text
    return out


def _json_row(row: dict) -> dict:
    """A row for JSON: tau as an exact rational (:func:`~algebra.exact.encoding.rational_json`: an integer, or
    {"p", "q"}), the ranks by level as a list of integers."""
    levels = [int(rank) for rank in row["levels"].split("-")] if row.get("levels") else []
    try:
        tau = Fraction(str(row["tau"]))
    except (ValueError, ZeroDivisionError):  # a task that failed on its own tau: the error says why
        return dict(row, tau=None, levels=levels)
    return dict(row, tau=rational_json(tau), levels=levels)


# -- where tasks run: the scheduler, the local cluster, the folder's lock ----------------------------------

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")
_PORT = re.compile(r"^[0-9]{1,5}$")


def scheduler_address(text: str) -> str:
    """A Dask scheduler's address, checked in form before any connection: ``PROTOCOL://HOST:PORT`` with a
    protocol of :data:`SCHEDULER_PROTOCOLS` (``HOST:PORT`` alone means ``tcp://``), HOST a host name, an IPv4
    address or ``[IPv6]``, PORT 1 to 65535.

    >>> scheduler_address("127.0.0.1:8786"), scheduler_address("tls://[::1]:8786")
    ('tcp://127.0.0.1:8786', 'tls://[::1]:8786')
    >>> scheduler_address("127.0.0.1")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: scheduler address '127.0.0.1' has no port: give tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786
    """
    shown = _echo(text)
    body = text.strip()
    scheme, sep, location = body.partition("://")
    if not sep:
        scheme, location = "tcp", body
    if scheme.lower() not in SCHEDULER_PROTOCOLS:
        raise FlowAlgebraError(f"scheduler address {shown}: unknown protocol {_echo(scheme)} (use "
                               f"{', '.join(p + '://' for p in SCHEDULER_PROTOCOLS)}HOST:PORT)")
    scheme = scheme.lower()
    if location.startswith("["):
        host, bracket, rest = location[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else None
        try:
            ok = bool(bracket) and (rest == "" or rest.startswith(":")) and ipaddress.IPv6Address(host) is not None
        except ValueError:
            ok = False
        host = f"[{host}]"
    else:
        host, colon, port = location.rpartition(":")
        if not colon:
            host, port = location, None
        ok = bool(_HOSTNAME.match(host)) and not (host.replace(".", "").isdigit() and not _ipv4(host))
    if not ok:
        raise FlowAlgebraError(f"scheduler address {shown}: {_echo(host)} is not a host name, an IPv4 address or "
                               "[IPv6] (give tcp://HOST:PORT)")
    if port is None:
        raise FlowAlgebraError(f"scheduler address {shown} has no port: give tcp://HOST:PORT, "
                               "e.g. tcp://127.0.0.1:8786")
    if not _PORT.match(port) or not 1 <= int(port) <= 65535:
        raise FlowAlgebraError(f"scheduler address {shown}: the port must be an integer from 1 to 65535, "
                               f"got {_echo(port)}")
    return f"{scheme}://{host}:{int(port)}"


def _ipv4(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host.rstrip("."))
        return True
    except ValueError:
        return False


@contextlib.contextmanager
def sweep_lock(out: str):
    """Hold ``out``'s lock (:data:`LOCK_NAME`) for a sweep; a second sweep on the folder is refused at once."""
    path = os.path.join(out, LOCK_NAME)
    lock = filelock.FileLock(path, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise FlowAlgebraError(f"another sweep holds the folder {_echo(out)} (lock {LOCK_NAME}): wait for it to "
                               "finish, or choose another --out") from None
    except OSError as err:
        raise FlowAlgebraError(f"cannot lock the folder {_echo(out)}: {err.strerror or err}") from None
    try:
        yield path
    finally:
        lock.release()


#: a local cluster serves nothing besides the scheduler (no dashboard, no HTTP routes), and a task whose worker
#: died (over its memory) is not tried again
_LOCAL = {"distributed.scheduler.http.routes": [], "distributed.worker.http.routes": [],
          "distributed.scheduler.allowed-failures": 0}
_LOGGERS = ("distributed", "tornado", "asyncio")


@contextlib.contextmanager
def _sigint(handler):
    """SIGINT handled by ``handler`` (SIG_IGN, or a function) inside the block, where it can be (the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _quiet():
    """Dask's, distributed's and tornado's logs and warnings off (a closing cluster is noisy)."""
    levels = {name: logging.getLogger(name).level for name in _LOGGERS}
    for name in _LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _close(*closables) -> None:
    """Close a client and a cluster quietly, a Ctrl-C during it deferred (it would interrupt the shutdown and
    print tracebacks of distributed's threads): the first interrupt already ends the sweep."""
    with _sigint(lambda signum, frame: None), _quiet():
        for thing in closables:
            if thing is not None:
                with contextlib.suppress(Exception):
                    thing.close(timeout=CLOSE_TIMEOUT)


@contextlib.contextmanager
def local_cluster(workers: int = 2):
    """A local Dask cluster of ``workers`` processes: on the loopback interface only, no dashboard and no HTTP
    routes, quiet logs, :data:`MAX_CLUSTER_MEMORY` shared by the workers, and workers that ignore Ctrl-C (the
    terminal sends it to them too; the sweep's own process handles it and closes them). Ctrl-C is ignored while
    the workers start (a few seconds)."""
    from distributed import LocalCluster
    import dask

    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise FlowAlgebraError(f"a local cluster has 1 to {MAX_WORKERS} workers (MAX_WORKERS), got {_echo(workers)}")
    with dask.config.set(_LOCAL), _sigint(signal.SIG_IGN):  # the workers inherit SIG_IGN
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                               worker_dashboard_address=None, memory_limit=MAX_CLUSTER_MEMORY // workers,
                               silence_logs=logging.CRITICAL)
    try:
        yield cluster
    finally:
        _close(cluster)


def _check_protocol(scheduler: str) -> None:
    """Refuse, before connecting, a protocol this installation cannot speak (``ucx://`` needs its own package,
    ``tls://`` certificates in Dask's configuration): a failed client would linger and time out at exit."""
    from distributed.comm.registry import get_backend
    from distributed.security import Security

    scheme = scheduler.partition("://")[0]
    try:
        get_backend(scheme).get_connector()
        context = Security().get_connection_args("client")["ssl_context"] if scheme == "tls" else True
    except Exception as err:  # e.g. ucx:// without distributed-ucxx: an abstract connector
        raise FlowAlgebraError(f"cannot use the scheduler {_echo(scheduler)}: the {scheme}:// protocol is not "
                               f"available here ({_shorten(str(err) or type(err).__name__, 100)})") from None
    if context is None:
        raise FlowAlgebraError(f"cannot use the scheduler {_echo(scheduler)}: {scheme}:// needs TLS certificates in "
                               "Dask's configuration (distributed.comm.tls: ca-file, client.cert, client.key)")


def _probe(scheduler: str) -> None:
    """Connect to the scheduler and ask who it is, all within CONNECT_TIMEOUT seconds (distributed's own
    handshake waits forever on a port that accepts and never answers); in a thread of its own, so that it
    also runs where an event loop is already running (Jupyter)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import connect

    async def identity():
        comm = await connect(scheduler, timeout=CONNECT_TIMEOUT)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    def run():
        with _quiet():
            return asyncio.run(asyncio.wait_for(identity(), CONNECT_TIMEOUT))

    with ThreadPoolExecutor(1, thread_name_prefix="sweep-probe") as pool:
        try:
            reply = pool.submit(run).result()
        except Exception as err:  # refused, timed out, not speaking Dask's protocol
            text = str(err).splitlines()[0] if str(err) else f"no answer ({type(err).__name__})"
            raise FlowAlgebraError(f"cannot reach the Dask scheduler {_echo(scheduler)} within {CONNECT_TIMEOUT} s: "
                                   f"{_shorten(text, 120)}") from None
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        kind = reply.get("type") if isinstance(reply, dict) else type(reply).__name__
        raise FlowAlgebraError(f"{_echo(scheduler)} is not a Dask scheduler (it says it is {_echo(kind)})")


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int):
    """A Dask client: of the given scheduler (reached within CONNECT_TIMEOUT seconds, with a worker within
    WORKER_TIMEOUT), or of a local cluster (:func:`local_cluster`); closed quietly on the way out."""
    from distributed import Client

    if scheduler is None:
        with local_cluster(workers) as cluster:
            client = Client(cluster, set_as_default=False)
            try:
                yield client
            finally:
                _close(client)
        return
    _check_protocol(scheduler)
    _probe(scheduler)
    try:
        with _quiet():
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as err:  # refused, timed out, a TLS address without certificates, not a scheduler
        text = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise FlowAlgebraError(f"cannot reach the Dask scheduler {_echo(scheduler)} within {CONNECT_TIMEOUT} s: "
                               f"{_shorten(text, 120)}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
        except Exception:
            raise FlowAlgebraError(f"the Dask scheduler {_echo(scheduler)} has no workers (waited {WORKER_TIMEOUT} s)"
                                   ) from None
        yield client
    finally:
        _close(client)


# -- the sweep ----------------------------------------------------------------------------------------------

def run_sweep(tasks: list[SweepTask], out: str = "sweep", scheduler: str | None = None, workers: int = 2,
              progress: bool = True) -> SweepResult:
    """Run the tasks not already in ``out/results.csv`` on Dask; write CSV, Markdown and a plot.

    The folder is locked for the sweep (:func:`sweep_lock`). A ``scheduler`` is checked by
    :func:`scheduler_address`; without one a local cluster of ``workers`` processes runs the tasks. Ctrl-C
    (``KeyboardInterrupt``) stops the sweep quietly and leaves only whole rows, which a rerun skips."""
    from tqdm import tqdm

    if scheduler is not None:
        scheduler = scheduler_address(scheduler)
    elif isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise FlowAlgebraError(f"--workers must be 1 to {MAX_WORKERS} (MAX_WORKERS), got {_echo(workers)}")
    try:
        os.makedirs(out, exist_ok=True)
    except (OSError, ValueError) as err:
        raise FlowAlgebraError(f"cannot make the folder {_echo(out)}: {getattr(err, 'strerror', None) or err}"
                               ) from None
    start = time.perf_counter()
    with sweep_lock(out):
        csv_path = os.path.join(out, "results.csv")
        paths = {"csv": csv_path, "markdown": os.path.join(out, "results.md"),
                 "plot": os.path.join(out, "results.png")}
        try:
            _drop_partial_line(csv_path)
            done = read_results(csv_path)
            pending = [t for t in tasks if t.key not in done]
            new_file = not os.path.exists(csv_path) or os.path.getsize(csv_path) == 0
            with open(csv_path, "a", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=COLUMNS)
                if new_file:
                    writer.writeheader()
                    fh.flush()
                if pending:
                    with _client(scheduler, workers) as client:
                        _run_pending(client, pending, writer, fh, done, progress, tqdm)
            rows = [done[t.key] for t in tasks if t.key in done]
            with open(paths["markdown"], "w", encoding="utf-8") as fh:
                fh.write(markdown_table(rows))
        except OSError as err:
            raise FlowAlgebraError(f"cannot write the sweep's files in {_echo(out)}: "
                                   f"{err.strerror or err} ({_echo(err.filename or '')})") from None
        plot_laws(rows, paths["plot"])
    return SweepResult(out, rows, len(pending), len(tasks) - len(pending), time.perf_counter() - start, paths)


def _has_friction(flow: str) -> bool:
    """Whether a flow named in a results row takes a friction tau (``REGISTRY``; an unknown name: no)."""
    entry = REGISTRY.get(flow)
    return bool(entry and entry.friction)


def _run_pending(client, pending, writer, fh, done, progress, tqdm) -> None:
    """Submit the tasks and write each row, whole, as it arrives; on Ctrl-C clear the progress bar (the one line
    left is the interrupt's)."""
    from distributed import as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    futures = client.map(run_task, pending, pure=False)
    task_of = {future.key: task for future, task in zip(futures, pending)}
    bar = tqdm(total=len(futures), desc="sweep", unit="task", disable=not progress)
    try:
        for future in as_completed(futures, loop=client.loop):
            try:
                row = future.result()
            except (KilledWorker, FutureCancelledError) as err:  # a worker died on it (out of memory?)
                task = task_of[future.key]
                row = {c: None for c in COLUMNS}
                row.update(key=task.key, model=task.model, flow=task.flow, tau=task.tau, seconds=0.0,
                           error=f"the worker running this task died ({type(err).__name__}: over its memory "
                                 "share, or killed)")
            writer.writerow(row)
            fh.flush()
            done[row["key"]] = row
            bar.update()
    except BaseException:
        bar.leave = False  # clear the bar's line
        raise
    finally:
        bar.close()


def _drop_partial_line(path: str) -> None:
    """Cut a last line left unfinished by an interruption (rows are written whole, newline last)."""
    if not os.path.exists(path):
        return
    with open(path, "rb+") as fh:
        data = fh.read()
        if data and not data.endswith(b"\n"):
            fh.truncate(data.rfind(b"\n") + 1)


def markdown_table(rows: list[dict]) -> str:
    """The results as a Markdown table."""
    head = "| model | flow | tau | D | K | laws | closed | poly laws | seconds | error |\n|---|---|---|---|---|---|---|---|---|---|\n"
    cell = lambda r, key: "" if r.get(key) is None else r[key]
    body = "".join(
        "| " + " | ".join(str(cell(r, key)) for key in ("model", "flow", "tau", "D", "trace_dim", "laws", "closed",
                                                         "poly_independent", "seconds", "error")) + " |\n"
        for r in rows)
    return head + body


def plot_laws(rows: list[dict], path: str) -> str:
    """Scatter of the number of laws against D, one colour per flow."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ok = [r for r in rows if not r.get("error")]
    label = lambda r: r["flow"] + (f" (tau={r['tau']})" if _has_friction(r["flow"]) else "")
    for name in sorted({label(r) for r in ok}):
        pts = [(int(r["D"]), int(r["laws"])) for r in ok if label(r) == name]
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], label=name, s=18)
    ax.set_xlabel("state dimension D (parameters; 2 x parameters + 1 for momentum)")
    ax.set_ylabel("independent conservation laws D - K")
    ax.set_title("Conservation laws across the sweep")
    if ok:
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
