"""The CLI: JSON keys, exit codes, one-line errors, LaTeX output."""
import json
import subprocess
import sys

import pytest

from algebra.app.main import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_count_json_keys(capsys):
    code, out, _ = run(capsys, "laws", "count", "linear:2,3,2", "--json")
    data = json.loads(out)
    assert code == 0 and {"D", "trace_dim", "laws"} <= set(data)
    assert (data["D"], data["trace_dim"], data["laws"]) == (12, 6, 6)


def test_count_relu_with_bias(capsys):
    code, out, _ = run(capsys, "laws", "count", "relu:2,3,2,2", "--bias", "--json")
    assert code == 0 and json.loads(out)["laws"] == 5


def test_poly_json_keys(capsys):
    code, out, _ = run(capsys, "laws", "poly", "linear:2,2,2", "--degree", "2", "--json")
    data = json.loads(out)
    assert {"degree", "kernel_dim", "independent", "laws"} <= set(data)
    assert data["kernel_dim"] == 3 and len(data["laws"]) == 3 and data["complete"] is True


def test_verify_text_and_latex_file(capsys, tmp_path):
    tex = tmp_path / "out.tex"
    code, out, _ = run(capsys, "laws", "verify", "relu:2,3,2", "--law", "u1_1**2 + u1_2**2 - v1_1**2 - v1_2**2",
                       "--no-numeric", "--latex", str(tex))
    assert code == 0 and "CONSERVED" in out
    text = tex.read_text()
    assert text.startswith("\\documentclass") and "\\end{document}" in text


@pytest.mark.parametrize("argv, fragment", [
    (["laws", "count", "linear:0,2"], "positive integers"),
    (["laws", "count", "mlp:2,2"], "unknown model family"),
    (["laws", "count", "missing.toml"], "unknown model"),
    (["laws", "poly", "linear:2,2", "--degree", "0"], "--degree"),
    (["laws", "verify", "relu:2,2,1", "--law", "exec('1')"], "unsupported syntax"),
    (["laws", "count", "linear:100000,2"], "too many parameters"),
    (["laws", "frobnicate"], "invalid choice"),
])
def test_bad_input_gives_one_line_and_exit_2(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and fragment in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_console_script_runs_as_a_subprocess():
    proc = subprocess.run([sys.executable, "-m", "algebra.app.main", "laws", "count", "relu:2,2,1", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and json.loads(proc.stdout)["laws"] == 2


def test_poly_on_the_sign_flow_explains_why_there_is_nothing_to_solve(capsys):
    code, out, err = run(capsys, "laws", "poly", "softmax:2,2", "--flow", "sign")
    assert code == 2 and "not polynomial" in err and "laws count --flow sign" in err
    assert len(err.strip().splitlines()) == 1


def test_count_and_verify_on_the_sign_flow(capsys):
    code, out, _ = run(capsys, "laws", "count", "softmax:2,2", "--flow", "sign", "--json")
    data = json.loads(out)
    assert code == 0 and data["laws"] == 2 and data["flow"] == "sign"
    code, out, _ = run(capsys, "laws", "verify", "softmax:2,2", "--flow", "sign", "--law", "U1_1_1 + U1_2_1")
    assert code == 0 and "CONSERVED" in out


def test_exact_friction_on_the_command_line(capsys):
    code, out, _ = run(capsys, "laws", "count", "linear:2,2,2", "--flow", "momentum", "--tau", "0.5", "--json")
    data = json.loads(out)
    assert code == 0 and data["laws"] == 1 and "tau=1/2" in data["model"]


@pytest.mark.parametrize("argv, fragment", [
    (["laws", "count", "linear:2,2", "--seed", "-1"], "argument --seed"),
    (["laws", "count", "linear:2,2", "--seed", "x"], "argument --seed"),
    (["laws", "poly", "linear:2,2", "--degree", "9"], "a degree between 1 and 8"),
    (["laws", "count", "linear:2,2", "--flow", "momentum", "--tau", "-1/2"], "argument --tau"),
    (["laws", "count", "linear:2,2", "--flow", "momentum", "--tau", "nan"], "argument --tau"),
    (["laws", "count", "linear:2,2", "--flow", "momentum", "--tau", "1/0"], "argument --tau"),
    (["laws", "count", "linear:2,2", "--flow", "sign", "--tau", "1"], "momentum flows only"),
    (["laws", "count", "linear:2,2", "--flow", "adam"], "unknown flow"),
    (["laws", "sweep", "relu:2,2,1", "--workers", "0"], "argument --workers"),
])
def test_bad_numbers_are_refused_where_they_enter(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
