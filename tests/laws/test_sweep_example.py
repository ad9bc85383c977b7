"""The example sweep spec shipped in the repository (``laws/examples/sweep.toml``) loads, and its tasks run."""
from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

from laws.closure import count_laws
from laws.flows.extended import flow_system
from laws.models.specs import parse_model
from laws.sweep import load_spec, run_task

EXAMPLE = Path(__file__).resolve().parents[2] / "laws" / "examples" / "sweep.toml"


def test_the_example_is_the_grid_times_the_flows_it_says():
    spec = tomllib.loads(EXAMPLE.read_text())
    grid = spec["grid"]
    grid_models = [f"{family}:" + ",".join([str(width)] * (depth + 1))
                   for family in grid["families"]
                   for depth in range(grid["depth"][0], grid["depth"][1] + 1)
                   for width in range(grid["width"][0], grid["width"][1] + 1)]
    models = spec["models"] + grid_models
    runs = [(flow, tau) for flow in spec["flows"] for tau in (spec["tau"] if flow.startswith("momentum") else ["0"])]
    tasks = load_spec(str(EXAMPLE))
    assert sorted((t.model, t.flow, t.tau) for t in tasks) == sorted(
        (m, f, t) for m, (f, t) in itertools.product(models, runs))
    assert {t.degree for t in tasks} == {spec["degree"]} and len(tasks) == 24


def test_the_gradient_tasks_of_the_example_count_what_the_library_counts():
    for task in [t for t in load_spec(str(EXAMPLE)) if t.flow == "gradient"]:
        row = run_task(task)
        assert row["error"] in (None, ""), row
        assert row["laws"] == count_laws(flow_system(parse_model(task.model), "gradient")).laws, task
        assert row["complete"] is True, task  # degree-2 laws explain the whole count for these small models
