"""Sweeps: counts over a grid or a random sample of architectures and flows, on Dask.

A sweep spec (TOML or JSON file, or an inline ``;``-separated list of models)::

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

Tasks run on a Dask cluster (a local one with two worker processes by
default, or an existing one given by its scheduler address). Every finished
task is appended to ``results.csv`` at once, so an interrupted sweep resumes
where it stopped; at the end ``results.md`` (a Markdown table) and
``results.png`` (laws against D) are written. Rows are typed (integers, booleans, seconds as a float,
``None`` for a blank cell) whether they were just computed or read back from ``results.csv``; in JSON the
friction tau is an exact rational (an integer, or ``{"p": ..., "q": ...}``) and the ranks by bracket level a list of integers.

>>> tasks = load_spec("relu:2,2,1;linear:2,2,2")
>>> [t.key for t in tasks]
['relu:2,2,1|gradient|0|-', 'linear:2,2,2|gradient|0|-']
"""
from __future__ import annotations

import csv
import itertools
import json
import os
import time
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

from algebra.present import Derivation, Result, inline
from algebra.errors import FlowAlgebraError
from algebra.exact.encoding import rational_json
from algebra.exact.random import MAX_SEED, generator
from laws.closure import count_laws
from laws.flows.extended import flow_system, parse_flow
from laws.models.specs import parse_model
from laws.polynomial import find_polynomial_laws
from laws.system import PolynomialSystem

__all__ = ["SweepTask", "SweepResult", "load_spec", "run_task", "run_sweep", "read_results", "markdown_table",
           "plot_laws", "COLUMNS"]

COLUMNS = ["key", "model", "flow", "tau", "D", "generators", "trace_dim", "laws", "closed", "levels",
           "poly_independent", "complete", "seconds", "error"]
#: how a results.csv cell is read back: integer, boolean and float columns (blank cells are None)
_INTEGERS = ("D", "generators", "trace_dim", "laws", "poly_independent")
_BOOLEANS = ("closed", "complete")


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


def load_spec(spec: str) -> list[SweepTask]:
    """Tasks from a spec file (.toml/.json) or an inline ``;``-separated list of models."""
    if os.path.exists(spec):
        data = _read_spec_file(spec)
    elif ":" in spec and not spec.endswith((".toml", ".json")):
        data = {"models": [s.strip() for s in spec.split(";") if s.strip()]}
    else:
        raise FlowAlgebraError(f"sweep spec {spec!r} is neither a file nor a list like 'relu:2,3,2;linear:2,2,2'")
    unknown = set(data) - {"models", "grid", "flows", "tau", "sample", "seed", "degree"}
    if unknown:
        raise FlowAlgebraError(f"sweep spec has unknown keys: {', '.join(sorted(unknown))}")
    models = list(data.get("models", []))
    if "grid" in data:
        models += _grid_models(data["grid"])
    if not models:
        raise FlowAlgebraError("sweep spec lists no models (give 'models' or a [grid])")
    flows = data.get("flows", ["gradient"])
    taus = [str(t) for t in data.get("tau", ["0"])]
    degree = _spec_integer(data, "degree", 0, 0, 8)
    tasks = []
    for model, flow in itertools.product(models, flows):
        for tau in (taus if flow.startswith("momentum") else ["0"]):
            parse_flow(flow, tau)  # validate early, with a clear message
            tasks.append(SweepTask(str(model), flow, tau, degree))
    tasks = list(dict.fromkeys(tasks))
    if "sample" in data:
        n = _spec_integer(data, "sample", 1, 1, None)
        rng = generator(_spec_integer(data, "seed", 0, 0, MAX_SEED), "sweep sample")
        chosen = rng.choice(len(tasks), size=min(n, len(tasks)), replace=False)
        tasks = [tasks[int(i)] for i in chosen]
    return tasks


def _spec_integer(data: dict, key: str, default: int, low: int, high: int | None) -> int:
    """An integer entry of a sweep spec in [low, high], with a clear error."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        limits = f"between {low} and {high}" if high is not None else f">= {low}"
        raise FlowAlgebraError(f"sweep spec: {key} must be an integer {limits}, got {value!r}")
    return value


def _read_spec_file(path: str) -> dict:
    try:
        with open(path, "rb") as fh:
            raw = fh.read().decode("utf-8")
        if path.endswith(".toml"):
            import tomllib

            return tomllib.loads(raw)
        return json.loads(raw)
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise FlowAlgebraError(f"cannot read sweep spec {path!r}: {str(err).splitlines()[0]}") from None


def _grid_models(grid: dict) -> list[str]:
    try:
        families = grid.get("families", ["relu"])
        dmin, dmax = grid.get("depth", [2, 3])
        wmin, wmax = grid.get("width", [2, 3])
        biases = grid.get("bias", [False])
    except (TypeError, ValueError):
        raise FlowAlgebraError("grid needs families = [...], depth = [min, max], width = [min, max], bias = [...]") from None
    if not (1 <= dmin <= dmax and 1 <= wmin <= wmax):
        raise FlowAlgebraError(f"grid ranges must satisfy 1 <= min <= max (depth {dmin}-{dmax}, width {wmin}-{wmax})")
    count = sum((wmax - wmin + 1) ** (q + 1) for q in range(dmin, dmax + 1)) * len(families) * len(biases)
    if count > 100_000:
        raise FlowAlgebraError(f"grid has {count} architectures: use sample = N or smaller ranges")
    models = []
    for family, bias in itertools.product(families, biases):
        for q in range(dmin, dmax + 1):
            for dims in itertools.product(range(wmin, wmax + 1), repeat=q + 1):
                models.append(f"{family}:{','.join(map(str, dims))}" + ("+bias" if bias else ""))
    return models


def run_task(task: SweepTask) -> dict:
    """Count (and optionally find degree-k polynomial laws) for one task; never raises for bad input."""
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
        row["error"] = str(err)
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

    def to_json(self) -> dict:
        return {"out": self.out, "tasks": len(self.rows), "executed": self.executed, "skipped": self.skipped,
                "errors": sum(1 for r in self.rows if r.get("error")), "seconds": round(self.seconds, 2),
                "paths": self.paths, "rows": [_json_row(r) for r in self.rows]}

    def summary(self) -> str:
        errors = sum(1 for r in self.rows if r.get("error"))
        return (f"sweep: {len(self.rows)} tasks ({self.executed} run now, {self.skipped} resumed from "
                f"{self.paths.get('csv')}), {errors} errors, {self.seconds:.1f} s\n" + markdown_table(self.rows))

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


def read_results(path: str) -> dict[str, dict]:
    """Completed rows of a results file, by key, typed as :func:`run_task` makes them (malformed or partial lines
    are ignored)."""
    if not os.path.exists(path):
        return {}
    done = {}
    with open(path, newline="", encoding="utf-8") as fh:
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


def run_sweep(tasks: list[SweepTask], out: str = "sweep", scheduler: str | None = None, workers: int = 2,
              progress: bool = True) -> SweepResult:
    """Run the tasks not already in ``out/results.csv`` on Dask; write CSV, Markdown and a plot."""
    from tqdm import tqdm

    os.makedirs(out, exist_ok=True)
    csv_path = os.path.join(out, "results.csv")
    _drop_partial_line(csv_path)
    done = read_results(csv_path)
    pending = [t for t in tasks if t.key not in done]
    start = time.perf_counter()
    new_file = not os.path.exists(csv_path) or os.path.getsize(csv_path) == 0
    with open(csv_path, "a", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        if new_file:
            writer.writeheader()
        if pending:
            with _client(scheduler, workers) as client:
                from distributed import as_completed

                futures = client.map(run_task, pending, pure=False)
                for future in tqdm(as_completed(futures), total=len(futures), desc="sweep", unit="task",
                                   disable=not progress):
                    row = future.result()
                    writer.writerow(row)
                    fh.flush()
                    done[row["key"]] = row
    rows = [done[t.key] for t in tasks if t.key in done]
    paths = {"csv": csv_path, "markdown": os.path.join(out, "results.md"), "plot": os.path.join(out, "results.png")}
    with open(paths["markdown"], "w", encoding="utf-8") as fh:
        fh.write(markdown_table(rows))
    plot_laws(rows, paths["plot"])
    return SweepResult(out, rows, len(pending), len(tasks) - len(pending), time.perf_counter() - start, paths)


def _drop_partial_line(path: str) -> None:
    """Cut a last line left unfinished by an interruption (rows are written whole, newline last)."""
    if not os.path.exists(path):
        return
    with open(path, "rb+") as fh:
        data = fh.read()
        if data and not data.endswith(b"\n"):
            fh.truncate(data.rfind(b"\n") + 1)


class _client:
    """A Dask client: the given scheduler, or a local cluster of worker processes (closed on exit)."""

    def __init__(self, scheduler: str | None, workers: int):
        self.scheduler, self.workers = scheduler, workers
        self.cluster = self.client = None

    def __enter__(self):
        from distributed import Client, LocalCluster

        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="20s")
            else:
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=40)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as err:
            raise FlowAlgebraError(f"cannot reach the Dask scheduler {self.scheduler!r}: {err}") from None
        return self.client

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False


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
    label = lambda r: r["flow"] + (f" (tau={r['tau']})" if r["flow"].startswith("momentum") else "")
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
