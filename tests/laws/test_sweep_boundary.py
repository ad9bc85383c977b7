"""The sweep's boundary: every mistake in a spec, a scheduler address or a folder is one line and exit status 2
before any task runs; two sweeps never write one folder; Ctrl-C is one line, exit 130 and a folder that resumes;
a sweep whose every task failed exits 2; the local cluster serves no dashboard."""
from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import laws.sweep as sweep
from algebra.errors import FlowAlgebraError
from laws.flows.extended import FLOWS
from laws.sweep import (COLUMNS, MAX_SPEC_BYTES, MAX_TASKS, MAX_WORKERS, SweepTask, fail_if_all_failed, load_spec,
                        local_cluster, run_sweep, scheduler_address, spec_tasks, sweep_lock)

ROOT = Path(__file__).resolve().parents[2]
#: a mistake is reported within this many seconds (connections time out after CONNECT_TIMEOUT, patched to 1 here)
BOUND = 10


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(1) as local:
        yield local


# -- the table of mistakes ------------------------------------------------------------------------------

def _json(data):
    return ("spec.json", json.dumps(data))


#: (id, spec: a dict (written as JSON), (file name, text or bytes), or an inline string, fragment of the error)
SPECS = [
    ("models-string", {"models": "relu:2,2,1"}, "models must be a list of model specs"),
    ("models-int-entry", {"models": ["relu:2,2,1", 3]}, "models[1] must be a model spec"),
    ("models-empty-entry", {"models": [""]}, "models[0] must be a model spec"),
    ("models-long-entry", {"models": ["relu:" + "2," * 600 + "2"]}, "1 to 1000 characters"),
    ("models-none", {"models": []}, "lists no models"),
    ("empty-spec", {}, "lists no models"),
    ("top-list", ("spec.json", "[1, 2]"), "must be a table/object of sweep settings"),
    ("unknown-key", {"models": ["relu:2,2,1"], "modles": 1}, "unknown keys: modles"),
    ("unknown-grid-key", {"grid": {"families": ["relu"], "depths": [2, 3]}}, "grid has unknown keys: depths"),
    ("grid-not-table", {"grid": [1, 2]}, "grid must be a table"),
    ("depth-not-list", {"grid": {"depth": 2}}, "grid.depth must be a depth range"),
    ("depth-one-entry", {"grid": {"depth": [2]}}, "grid.depth must be a depth range"),
    ("depth-reversed", {"grid": {"depth": [3, 2]}}, "1 <= min <= max"),
    ("depth-zero", {"grid": {"depth": [0, 2]}}, "grid.depth[0] must be an integer between 1 and 12"),
    ("depth-too-deep", {"grid": {"depth": [2, 13]}}, "grid.depth[1] must be an integer between 1 and 12"),
    ("depth-strings", {"grid": {"depth": ["2", "3"]}}, "grid.depth[0] must be an integer"),
    ("depth-float", {"grid": {"depth": [2.0, 3]}}, "grid.depth[0] must be an integer"),
    ("width-too-wide", {"grid": {"width": [1, 1001]}}, "grid.width[1] must be an integer between 1 and 1000"),
    ("width-bool", {"grid": {"width": [True, 2]}}, "grid.width[0] must be an integer"),
    ("bias-string", {"grid": {"bias": ["yes"]}}, "grid.bias[0] must be true or false"),
    ("bias-empty", {"grid": {"bias": []}}, "grid.bias must be a list of one or two booleans"),
    ("families-string", {"grid": {"families": "relu"}}, "grid.families must be a list"),
    ("families-empty", {"grid": {"families": []}}, "grid.families must be a list"),
    ("family-unknown", {"grid": {"families": ["tanh"]}}, "unknown model family 'tanh'"),
    ("family-wrong-arity", {"grid": {"families": ["attention"], "depth": [3, 3], "width": [2, 2]}},
     "attention takes 2 or 3 sizes"),
    ("family-no-bias", {"grid": {"families": ["nmf"], "depth": [2, 2], "width": [2, 2], "bias": [True]}},
     "nmf has no bias option"),
    ("grid-too-large", {"grid": {"families": ["relu"], "depth": [2, 6], "width": [1, 9]}}, "use sample"),
    ("flows-string", {"models": ["relu:2,2"], "flows": "gradient"}, "flows must be a list of flows"),
    ("flows-empty", {"models": ["relu:2,2"], "flows": []}, "flows must be a list of flows"),
    ("flow-unknown", {"models": ["relu:2,2"], "flows": ["adam"]}, "unknown flow 'adam'"),
    ("flow-int", {"models": ["relu:2,2"], "flows": [1]}, "flows[0] must be a flow name"),
    ("tau-string", {"models": ["relu:2,2"], "flows": ["momentum"], "tau": "1/2"}, "tau must be a list"),
    ("tau-negative", {"models": ["relu:2,2"], "flows": ["momentum"], "tau": ["-1"]}, "tau[0] must be an exact friction"),
    ("tau-negative-number", {"models": ["relu:2,2"], "flows": ["momentum"], "tau": [-0.5]}, "tau[0] must be an exact"),
    ("tau-zero-denominator", {"models": ["relu:2,2"], "flows": ["momentum"], "tau": ["1/0"]}, "tau[0] must be"),
    ("tau-word", {"models": ["relu:2,2"], "flows": ["momentum"], "tau": ["abc"]}, "tau[0] must be an exact friction"),
    ("tau-bool", {"models": ["relu:2,2"], "flows": ["momentum"], "tau": [True]}, "tau[0] must be an exact friction"),
    ("tau-overflow", {"models": ["relu:2,2"], "flows": ["momentum"], "tau": ["1e999"]}, "tau[0] must be an exact"),
    ("tau-huge-exponent", {"models": ["relu:2,2"], "flows": ["momentum"], "tau": ["1e999999999"]}, "tau[0] must be"),
    ("tau-too-many", {"models": ["relu:2,2"], "flows": ["momentum"], "tau": [str(i) for i in range(101)]},
     "tau must be a list of 1 to 100"),
    ("tau-on-sign-flow", {"models": ["relu:2,2"], "flows": ["sign"], "tau": ["x"]}, "tau[0] must be an exact"),
    ("sample-zero", {"models": ["relu:2,2"], "sample": 0}, "sample must be an integer >= 1"),
    ("sample-string", {"models": ["relu:2,2"], "sample": "3"}, "sample must be an integer"),
    ("sample-float", {"models": ["relu:2,2"], "sample": 1.5}, "sample must be an integer"),
    ("sample-bool", {"models": ["relu:2,2"], "sample": True}, "sample must be an integer"),
    ("seed-negative", {"models": ["relu:2,2"], "sample": 1, "seed": -1}, "seed must be an integer between 0"),
    ("seed-too-big", {"models": ["relu:2,2"], "sample": 1, "seed": 2**63}, "seed must be an integer between 0"),
    ("degree-too-high", {"models": ["relu:2,2"], "degree": 9}, "degree must be an integer between 0 and 8"),
    ("degree-negative", {"models": ["relu:2,2"], "degree": -1}, "degree must be an integer between 0 and 8"),
    ("degree-float", {"models": ["relu:2,2"], "degree": 1.5}, "degree must be an integer"),
    ("model-bad-dims", {"models": ["relu:2,2", "relu:0,2"]}, "model 'relu:0,2'"),
    ("model-unknown-family", {"models": ["tanh:2,2"]}, "unknown model family 'tanh'"),
    ("model-no-family", {"models": ["missing-model-file.json"]}, "model 'missing-model-file.json'"),
    ("model-bias-unsupported", {"models": ["nmf:3,2,3+bias"]}, "nmf has no bias option"),
    ("model-too-large", {"models": ["relu:99999999,2"]}, "model 'relu:99999999,2'"),
    ("json-syntax", ("spec.json", '{"models": ["relu:2,2",]}'), "malformed sweep spec"),
    ("json-duplicate-key", ("spec.json", '{"models": ["relu:2,2"], "models": ["linear:2,2"]}'), "given twice"),
    ("json-nested-duplicate-key", ("spec.json", '{"grid": {"depth": [2, 2], "depth": [3, 3]}}'), "given twice"),
    ("json-nan", ("spec.json", '{"models": ["relu:2,2"], "flows": ["momentum"], "tau": [NaN]}'), "NaN is not"),
    ("json-deep", ("spec.json", "[" * 100_000 + "]" * 100_000), "nested too deeply"),
    ("json-huge-integer", ("spec.json", '{"models": ["relu:2,2"], "sample": ' + "9" * 5000 + "}"),
     "malformed sweep spec"),
    ("not-utf8", ("spec.json", b'{"models": ["relu:2,2\xff"]}'), "malformed sweep spec"),
    ("toml-syntax", ("spec.toml", 'models = ["relu:2,2"\n'), "malformed sweep spec"),
    ("toml-duplicate-key", ("spec.toml", 'models = ["relu:2,2"]\nmodels = ["linear:2,2"]\n'), "malformed sweep spec"),
    ("toml-date", ("spec.toml", 'models = ["relu:2,2"]\nseed = 2024-01-01\n'), "seed must be an integer"),
    ("toml-nan-tau", ("spec.toml", 'models = ["relu:2,2"]\nflows = ["momentum"]\ntau = [nan]\n'), "nan is not a number"),
    ("too-big-file", ("spec.json", '{"models": ["relu:2,2"]}' + " " * MAX_SPEC_BYTES), "more than 1000000"),
    ("inline-bad-model", "relu:2,2;tanh:3,3", "unknown model family 'tanh'"),
    ("inline-too-long", "relu:2,2;" * 120_000, "longer than 1000000 bytes"),
    ("inline-nul", "relu:2\0,2", "model"),
    ("missing-file", "nothing-here.toml", "is neither a file nor a list"),
]


def _write_spec(tmp_path: Path, spec) -> str:
    if isinstance(spec, str):
        return spec
    name, text = _json(spec) if isinstance(spec, dict) else spec
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(path)


def _one_line(code, err, fragment, seconds):
    lines = err.strip().splitlines()
    assert code == 2, (code, err)
    assert len(lines) == 1 and lines[0].startswith("flowalgebra"), err
    assert "Traceback" not in err and fragment in err, err
    assert seconds < BOUND, seconds


@pytest.mark.parametrize("spec, fragment", [row[1:] for row in SPECS], ids=[row[0] for row in SPECS])
def test_bad_specs_are_one_line_before_any_task(run_cli, tmp_path, spec, fragment):
    out = tmp_path / "out"
    start = time.perf_counter()
    code, _, err = run_cli(["laws", "sweep", _write_spec(tmp_path, spec), "--out", str(out)])
    _one_line(code, err, fragment, time.perf_counter() - start)
    assert not (out / "results.csv").exists()  # refused before the sweep began


def test_special_spec_files_are_refused_without_blocking(run_cli, tmp_path):
    fifo = tmp_path / "spec.json"
    os.mkfifo(fifo)  # opening a FIFO for reading would block: it is refused, not read
    for spec, fragment in [(fifo, "not a regular file"), (tmp_path, "is a folder")]:
        start = time.perf_counter()
        code, _, err = run_cli(["laws", "sweep", str(spec), "--out", str(tmp_path / "out")])
        _one_line(code, err, fragment, time.perf_counter() - start)


def test_too_many_tasks_are_refused_and_a_sample_draws_within_the_limit(monkeypatch, run_cli, tmp_path):
    monkeypatch.setattr(sweep, "MAX_TASKS", 10)
    spec = _write_spec(tmp_path, {"models": [f"relu:2,{w},1" for w in range(1, 7)], "flows": ["gradient", "mirror"]})
    code, _, err = run_cli(["laws", "sweep", spec, "--out", str(tmp_path / "out")])
    _one_line(code, err, "12 tasks (6 models x 2 flows), more than 10 (MAX_TASKS)", 0)
    sampled = json.loads(Path(spec).read_text()) | {"sample": 11}
    with pytest.raises(FlowAlgebraError, match="a sample of 11 tasks is more than 10"):
        spec_tasks(sampled)
    assert len(spec_tasks(sampled | {"sample": 10})) == 10


# -- scheduler addresses, workers, the folder -------------------------------------------------------------

@pytest.mark.parametrize("address, fragment", [
    ("bogus://127.0.0.1:8786", "unknown protocol 'bogus'"),
    ("inproc://127.0.0.1/1/2", "unknown protocol 'inproc'"),
    ("http://127.0.0.1:8786", "unknown protocol 'http'"),
    ("127.0.0.1", "has no port"),
    ("tcp://localhost", "has no port"),
    ("tcp://:8786", "is not a host name"),
    ("tcp://bad host:8786", "is not a host name"),
    ("tcp://999.1.1.1:8786", "is not a host name"),
    ("tcp://[::1:8786", "is not a host name"),
    ("tcp://[nonsense]:8786", "is not a host name"),
    ("tcp://127.0.0.1:0", "port must be an integer from 1 to 65535"),
    ("tcp://127.0.0.1:65536", "port must be an integer from 1 to 65535"),
    ("tcp://127.0.0.1:http", "port must be an integer"),
    ("tcp://127.0.0.1:8786/path", "port must be an integer"),
    ("", "is not a host name"),
    ("tcp://" + "a" * 300 + ":1", "is not a host name"),
    ("ucx://127.0.0.1:8786", "protocol is not available here"),
    ("tls://127.0.0.1:8786", "needs TLS certificates"),
])
def test_scheduler_addresses_are_checked_before_connecting(run_cli, tmp_path, address, fragment):
    start = time.perf_counter()
    code, _, err = run_cli(["laws", "sweep", "relu:2,2,1", "--out", str(tmp_path), "--scheduler", address])
    _one_line(code, err, fragment, time.perf_counter() - start)


@pytest.mark.parametrize("address, expected", [
    ("127.0.0.1:8786", "tcp://127.0.0.1:8786"), ("tcp://localhost:8786", "tcp://localhost:8786"),
    (" TCP://node-1.example.org:08786 ", "tcp://node-1.example.org:8786"), ("tls://10.0.0.1:1", "tls://10.0.0.1:1"),
    ("[::1]:8786", "tcp://[::1]:8786"), ("ws://scheduler:80", "ws://scheduler:80"), ("wss://h:443", "wss://h:443"),
    ("ucx://h:1", "ucx://h:1"),
])
def test_good_scheduler_addresses_are_normalised(address, expected):
    assert scheduler_address(address) == expected


@contextlib.contextmanager
def _silent_listener():
    """A TCP port on the loopback interface that accepts and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_schedulers_fail_fast_with_one_line(monkeypatch, run_cli, tmp_path):
    monkeypatch.setattr(sweep, "CONNECT_TIMEOUT", 1)
    with _silent_listener() as silent:
        for port in (_closed_port(), silent):
            start = time.perf_counter()
            code, _, err = run_cli(["laws", "sweep", "relu:2,2,1", "--out", str(tmp_path),
                                    "--scheduler", f"tcp://127.0.0.1:{port}"])
            _one_line(code, err, "cannot reach the Dask scheduler", time.perf_counter() - start)
            assert "within 1 s" in err


def test_a_worker_is_not_a_scheduler(cluster, run_cli, tmp_path):
    worker = next(iter(cluster.scheduler_info["workers"]))
    start = time.perf_counter()
    code, _, err = run_cli(["laws", "sweep", "relu:2,2,1", "--out", str(tmp_path), "--scheduler", worker])
    _one_line(code, err, "is not a Dask scheduler (it says it is 'Worker')", time.perf_counter() - start)


def test_a_scheduler_without_workers_is_one_line(monkeypatch, run_cli, tmp_path):
    from distributed import LocalCluster

    monkeypatch.setattr(sweep, "WORKER_TIMEOUT", 1)
    with LocalCluster(n_workers=0, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False}) as empty:
        start = time.perf_counter()
        code, _, err = run_cli(["laws", "sweep", "relu:2,2,1", "--out", str(tmp_path),
                                "--scheduler", empty.scheduler_address])
    _one_line(code, err, "has no workers", time.perf_counter() - start)


@pytest.mark.parametrize("argv, fragment", [
    (["--workers", "0"], "argument --workers"),
    (["--workers", str(MAX_WORKERS + 1)], "argument --workers"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "--workers sets the local cluster's size"),
    (["--out", "{file}"], "--out: cannot write"),
    (["--out", "{file}/sub"], "--out: cannot write"),
])
def test_bad_flags_are_one_line(run_cli, tmp_path, argv, fragment):
    (tmp_path / "file").write_text("")
    argv = [a.replace("{file}", str(tmp_path / "file")) for a in argv]
    start = time.perf_counter()
    code, _, err = run_cli(["laws", "sweep", "relu:2,2,1", *argv])
    _one_line(code, err, fragment, time.perf_counter() - start)


def test_the_help_states_the_limits():
    from algebra.app.main import build_parser

    parser = build_parser()
    text = parser._subparsers._group_actions[0].choices["laws"]._subparsers._group_actions[0].choices["sweep"].format_help()
    flat = " ".join(text.split())
    assert f"1 to {MAX_WORKERS}" in flat and f"at most {MAX_TASKS} tasks" in flat and "within 5 s" in flat
    assert f"sharing {sweep.MAX_CLUSTER_MEMORY // 2**30} GB" in flat
    assert sweep.CONNECT_TIMEOUT == 5 and MAX_SPEC_BYTES == 1_000_000 and "Exit status 2" in flat


# -- one sweep per folder ---------------------------------------------------------------------------------

def _csv_rows(path: Path) -> list[list[str]]:
    with open(path, newline="") as fh:
        return list(csv.reader(fh))


def test_a_held_folder_is_refused_in_one_line(run_cli, tmp_path):
    with sweep_lock(str(tmp_path)):
        start = time.perf_counter()
        code, _, err = run_cli(["laws", "sweep", "relu:2,2,1", "--out", str(tmp_path)])
        _one_line(code, err, f"another sweep holds the folder {str(tmp_path)!r}", time.perf_counter() - start)
    assert not (tmp_path / "results.csv").exists()
    with sweep_lock(str(tmp_path)):  # released: the next sweep may take it
        pass


def _sweep_process(spec: str, out: Path, *extra: str, preexec_fn=None) -> subprocess.Popen:
    """``flowalgebra laws sweep`` in a session of its own (its output as bytes: carriage returns kept)."""
    return subprocess.Popen([sys.executable, "-m", "algebra.app.main", "laws", "sweep", spec, "--out", str(out),
                             *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=preexec_fn)


def _wait_for(predicate, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _rows_written(path: Path) -> int:
    return path.read_bytes().count(b"\n") - 1 if path.exists() else -1


def test_two_sweeps_on_one_folder_do_not_corrupt_it(cluster, run_cli, tmp_path):
    spec = ";".join(f"relu:{a},{b},1" for a in range(1, 5) for b in range(1, 6))
    out = tmp_path / "out"
    first = _sweep_process(spec, out, "--scheduler", cluster.scheduler_address, "--json")
    try:
        _wait_for(lambda: _rows_written(out / "results.csv") >= 0 or first.poll() is not None)  # header: locked
        start = time.perf_counter()
        code, second, err = run_cli(["laws", "sweep", spec, "--out", str(out), "--scheduler",
                                     cluster.scheduler_address, "--json"])
        seconds = time.perf_counter() - start
        stdout, stderr = first.communicate(timeout=120)
    finally:
        first.kill()
    assert first.returncode == 0, stderr
    assert json.loads(stdout)["executed"] == 20
    if code == 0:  # (rare) the first had finished before the second came: every row was done
        assert json.loads(second)["skipped"] == 20
    else:
        _one_line(code, err, "another sweep holds the folder", seconds)
    rows = _csv_rows(out / "results.csv")
    assert rows[0] == COLUMNS and sum(row == COLUMNS for row in rows) == 1
    assert sorted(row[0] for row in rows[1:]) == sorted(t.key for t in load_spec(spec))


def test_threads_sweeping_one_folder_write_each_row_once(cluster, tmp_path):
    tasks = load_spec(";".join(f"linear:{a},{b}" for a in range(1, 4) for b in range(1, 5)))
    outcomes = []

    def run():
        try:
            outcomes.append(run_sweep(tasks, out=str(tmp_path), scheduler=cluster.scheduler_address, progress=False))
        except FlowAlgebraError as err:
            outcomes.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(outcomes) == 2 and any(not isinstance(o, FlowAlgebraError) for o in outcomes)
    assert all("another sweep holds" in str(o) for o in outcomes if isinstance(o, FlowAlgebraError))
    rows = _csv_rows(tmp_path / "results.csv")
    assert sum(row == COLUMNS for row in rows) == 1 and sorted(r[0] for r in rows[1:]) == sorted(t.key for t in tasks)


# -- Ctrl-C, failures, the cluster ------------------------------------------------------------------------

def _terminal_lines(text: str) -> list[str]:
    """What a terminal shows of a stream: each line's text after its last carriage return, blank lines dropped."""
    return [shown for line in text.split("\n") if (shown := line.rsplit("\r", 1)[-1].strip())]


def test_ctrl_c_prints_one_line_and_leaves_a_folder_that_resumes(cluster, tmp_path, interruptible):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"grid": {"families": ["relu", "linear"], "depth": [1, 2], "width": [1, 3]},
                                "flows": ["gradient", "mirror"]}))
    tasks = load_spec(str(spec))
    out = tmp_path / "out"
    proc = _sweep_process(str(spec), out, "--workers", "1", preexec_fn=interruptible)  # a local cluster, a bar
    try:
        _wait_for(lambda: _rows_written(out / "results.csv") >= 2 or proc.poll() is not None, 120)
        os.killpg(proc.pid, signal.SIGINT)  # as the terminal does: to the sweep and its worker processes
        _, raw = proc.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    stderr = raw.decode()
    assert proc.returncode == 130, stderr
    assert _terminal_lines(stderr) == ["flowalgebra: interrupted"], repr(stderr)
    rows = _csv_rows(out / "results.csv")
    assert rows[0] == COLUMNS and all(len(row) == len(COLUMNS) and row[12] for row in rows[1:])
    assert 2 <= len(rows) - 1 < len(tasks)
    result = run_sweep(tasks, out=str(out), scheduler=cluster.scheduler_address, progress=False)
    assert result.skipped == len(rows) - 1 and result.executed == len(tasks) - result.skipped
    rows = _csv_rows(out / "results.csv")
    assert sum(row == COLUMNS for row in rows) == 1 and sorted(r[0] for r in rows[1:]) == sorted(t.key for t in tasks)
    assert result.errors == 0


def test_a_sweep_whose_every_task_failed_exits_2(cluster, run_cli, tmp_path):
    result = run_sweep([SweepTask("relu:0,2"), SweepTask("relu:2,0")], out=str(tmp_path),
                       scheduler=cluster.scheduler_address, progress=False)
    assert result.errors == 2 and all("positive integers" in row["error"] for row in result.rows)
    with pytest.raises(FlowAlgebraError, match=r"all 2 tasks of the sweep failed: the errors are in .*results.csv"):
        fail_if_all_failed(result)
    # on the command line: the same rows, resumed from results.csv (no task runs), exit status 2 and one line
    tasks = load_spec("relu:2,2,1;linear:2,2")
    with open(tmp_path / "failed.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for task in tasks:
            writer.writerow(dict.fromkeys(COLUMNS, "") | {"key": task.key, "model": task.model, "flow": task.flow,
                                                          "tau": task.tau, "seconds": 0.1, "error": "out of time"})
    out = tmp_path / "cli"
    out.mkdir()
    os.replace(tmp_path / "failed.csv", out / "results.csv")
    code, _, err = run_cli(["laws", "sweep", "relu:2,2,1;linear:2,2", "--out", str(out)])
    _one_line(code, err, "all 2 tasks of the sweep failed", 0)
    assert "out of time" in (out / "results.md").read_text()


def test_the_local_cluster_has_no_dashboard_and_workers_ignore_ctrl_c(cluster):
    http = cluster.scheduler.http_server
    assert http.address == "127.0.0.1" and http.port != 8787
    with pytest.raises(urllib.error.HTTPError) as info:  # no routes at all: no dashboard, no status pages
        urllib.request.urlopen(f"http://127.0.0.1:{http.port}/status", timeout=5)
    assert info.value.code == 404
    assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    limits = [info["memory_limit"] for info in cluster.scheduler_info["workers"].values()]
    assert limits == [sweep.MAX_CLUSTER_MEMORY // len(cluster.workers)] * len(cluster.workers)  # 4 GB, shared
    if threading.current_thread() is threading.main_thread():
        pids = [worker.process.pid for worker in cluster.workers.values()]
        for pid in pids:
            ignored = int(next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                               if line.startswith("SigIgn")).split()[1], 16)
            assert ignored & (1 << (signal.SIGINT - 1)), pid


# -- hypothesis: malformed specs and addresses are FlowAlgebraErrors, never another exception ---------------

_JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                     max_leaves=8)
_INTS = st.integers(-3, 12) | st.sampled_from([2**63, 2**63 - 1, 10**30, -(10**30)])
_MODELS = st.sampled_from(["relu:2,2,1", "linear:2,2", "relu:2,2,1+bias", "relu:0,2", "tanh:2,2", "relu", "",
                           "nmf:3,2,3+bias", "attention:2,2,2,2", "relu:2,a", "relu:99999999,2", ":", "relu:"])
_NEAR = {
    "models": st.lists(_MODELS | _JSON, max_size=4) | _JSON,
    "grid": st.fixed_dictionaries({}, optional={
        "families": st.lists(st.sampled_from(["relu", "linear", "tanh", "attention", "nmf"]) | _JSON, max_size=3),
        "depth": st.lists(_INTS | _JSON, max_size=3) | _JSON, "width": st.lists(_INTS | _JSON, max_size=3) | _JSON,
        "bias": st.lists(st.booleans() | _JSON, max_size=3) | _JSON, "junk": _JSON}) | _JSON,
    "flows": st.lists(st.sampled_from(FLOWS + ("adam",)) | _JSON, max_size=3) | _JSON,
    "tau": st.lists(st.sampled_from(["0", "1/2", "0.5", "-1", "1/0", "abc", "1e999", " 3 "]) | _INTS | st.floats(),
                    max_size=3) | _JSON,
    "sample": _INTS | _JSON, "seed": _INTS | _JSON, "degree": _INTS | _JSON, "bogus": _JSON,
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional=_NEAR) | _JSON)
def test_malformed_spec_dicts_are_refused_with_one_line(data):
    try:
        tasks = spec_tasks(data)
    except FlowAlgebraError as err:
        assert "\n" not in str(err) and len(str(err)) < 600
    else:
        assert 0 < len(tasks) <= MAX_TASKS and len({t.key for t in tasks}) == len(tasks)
        assert all(isinstance(t, SweepTask) and isinstance(t.degree, int) for t in tasks)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode), st.sampled_from([".json", ".toml"]))
def test_malformed_spec_files_are_refused_with_one_line(raw, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "spec" + suffix)
        with open(path, "wb") as fh:
            fh.write(raw)
        try:
            load_spec(path)
        except FlowAlgebraError as err:
            assert "\n" not in str(err)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40) | st.builds("{}://{}:{}".format, st.sampled_from(["tcp", "tls", "ws", "x", ""]),
                                        st.text(max_size=10), st.integers(-5, 70000)))
def test_scheduler_addresses_are_normalised_or_refused(text):
    try:
        address = scheduler_address(text)
    except FlowAlgebraError as err:
        assert "\n" not in str(err)
    else:
        assert address == scheduler_address(address)
        assert address.split("://")[0] in sweep.SCHEDULER_PROTOCOLS and 1 <= int(address.rsplit(":", 1)[1]) <= 65535


def test_every_flow_with_a_friction_gets_every_tau(tmp_path):
    """The flows that take a friction are read from the flow registry, not from their names."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"models": ["nmf:2,2,2"], "flows": ["nmf-momentum", "gradient", "momentum-mirror"],
                                "tau": ["0", "1/2"]}))
    assert [(t.flow, t.tau) for t in load_spec(str(spec))] == [
        ("nmf-momentum", "0"), ("nmf-momentum", "1/2"), ("gradient", "0"), ("momentum-mirror", "0"),
        ("momentum-mirror", "1/2")]
