"""Sweeps on a real local Dask cluster of two worker processes; resuming; specs."""
import csv
import json

import pytest

from algebra.app.main import main
from algebra.errors import FlowAlgebraError
from laws.sweep import SweepTask, load_spec, local_cluster, read_results, run_sweep


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(2) as local:  # the sweep's own local cluster: loopback only, no dashboard
        assert len(local.workers) == 2
        yield local.scheduler_address


def test_sweep_on_two_workers_writes_table_and_plot(cluster, tmp_path):
    tasks = load_spec("relu:2,3,2;linear:2,2,2") + [SweepTask("nmf:2,2,2", "mirror")]
    result = run_sweep(tasks, out=str(tmp_path), scheduler=cluster, progress=False)
    assert result.executed == 3 and result.skipped == 0
    laws = {r["key"]: int(r["laws"]) for r in result.rows}
    assert laws == {"relu:2,3,2|gradient|0|-": 3, "linear:2,2,2|gradient|0|-": 3, "nmf:2,2,2|mirror|0|-": 2}
    assert (tmp_path / "results.png").stat().st_size > 1000
    assert "| relu:2,3,2 | gradient |" in (tmp_path / "results.md").read_text()


def test_sweep_resumes_after_interruption(cluster, tmp_path):
    tasks = load_spec("relu:2,2,1;relu:2,2,2;linear:1,2,1")
    run_sweep(tasks[:2], out=str(tmp_path), scheduler=cluster, progress=False)
    # an interrupted write leaves a partial line: it must be ignored, and the task re-run
    with open(tmp_path / "results.csv", "a") as fh:
        fh.write("linear:1,2,1|gradient|0|-,linear:1,2")
    assert set(read_results(str(tmp_path / "results.csv"))) == {t.key for t in tasks[:2]}
    result = run_sweep(tasks, out=str(tmp_path), scheduler=cluster, progress=False)
    assert (result.executed, result.skipped) == (1, 2)
    with open(tmp_path / "results.csv") as fh:
        keys = [row["key"] for row in csv.DictReader(fh) if row.get("seconds")]
    assert sorted(keys) == sorted(t.key for t in tasks)


def test_bad_models_are_rows_with_errors_not_crashes(cluster, tmp_path):
    result = run_sweep([SweepTask("relu:0,2")], out=str(tmp_path), scheduler=cluster, progress=False)
    assert "positive integers" in result.rows[0]["error"]


def test_spec_files_grid_flows_and_sample(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text('flows = ["gradient", "momentum"]\ntau = ["0", "1/2"]\nsample = 5\nseed = 3\n'
                    '[grid]\nfamilies = ["relu"]\ndepth = [2, 2]\nwidth = [1, 2]\nbias = [false, true]\n')
    tasks = load_spec(str(spec))
    assert len(tasks) == 5 and len({t.key for t in tasks}) == 5
    full = load_spec(str(spec).replace("s.toml", "s.toml"))  # same seed, same sample
    assert [t.key for t in full] == [t.key for t in tasks]
    (tmp_path / "bad.json").write_text(json.dumps({"models": ["relu:2,2"], "flows": ["adam"]}))
    with pytest.raises(FlowAlgebraError, match="unknown flow"):
        load_spec(str(tmp_path / "bad.json"))
    (tmp_path / "huge.json").write_text(json.dumps({"grid": {"families": ["relu"], "depth": [2, 6], "width": [1, 9]}}))
    with pytest.raises(FlowAlgebraError, match="use sample"):
        load_spec(str(tmp_path / "huge.json"))


def test_cli_sweep_json(cluster, tmp_path, capsys):
    code = main(["laws", "sweep", "relu:2,2,1", "--out", str(tmp_path), "--scheduler", cluster, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["executed"] == 1 and data["rows"][0]["laws"] == 2


@pytest.mark.parametrize("entry, message", [({"seed": -1}, "seed must be an integer between 0"),
                                            ({"sample": 0}, "sample must be an integer >= 1"),
                                            ({"sample": "3"}, "sample must be an integer"),
                                            ({"degree": 1.5}, "degree must be an integer")])
def test_spec_numbers_are_checked_with_one_clear_error(tmp_path, entry, message):
    spec = tmp_path / "s.json"
    spec.write_text(json.dumps({"models": ["relu:2,2,1", "relu:2,3,1"], "sample": 1, **entry}))
    with pytest.raises(FlowAlgebraError, match=message):
        load_spec(str(spec))


def test_a_sample_depends_on_the_seed_only(tmp_path):
    spec = tmp_path / "s.json"
    models = [f"relu:2,{w},1" for w in range(1, 9)]
    for seed in (0, 1):
        spec.write_text(json.dumps({"models": models, "sample": 3, "seed": seed}))
        first, again = load_spec(str(spec)), load_spec(str(spec))
        assert [t.key for t in first] == [t.key for t in again] and len({t.key for t in first}) == 3
