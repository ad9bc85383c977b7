"""``flowalgebra landscape ...`` and ``flowalgebra dynamics ...`` (groups/cli.py): bad input is one line and
exit status 2, at the boundary where it can be; results print as text, JSON and LaTeX."""
from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("argv, fragment", [
    (["landscape", "critical", "--k", "1", "--isotropy", "1"], "--k: expected an integer between 2 and 1000, got 1"),
    (["landscape", "critical", "--k", "7", "--isotropy", "5,1"], "sum to 6"),
    (["landscape", "fixdim", "--k", "7", "--isotropy", "6,a"], "positive integers"),
    (["landscape", "fixdim", "--k", "100000", "--isotropy", "100000"], "--k: expected an integer between 2 and 60"),
    (["landscape", "critical", "--k", "7", "--isotropy", "__import__('os')"], "positive integers"),
    (["landscape", "hessian", "--k", "7", "--at", "0,7"], "positive"),
    (["landscape", "reduced", "--shape", "k-1,2"], "add up to k"),
    (["landscape", "reduced", "--shape", "k+1"], "block sizes are"),
    (["landscape", "fixdim", "--k", "3", "--gen", "1,1,0"], "not a permutation"),
    (["landscape", "fixdim", "--k", "3"], "either an isotropy type or generators"),
    (["landscape", "critical", "--k", "4", "--isotropy", "4", "--gen", "1,0,2,3"], "not both"),
    (["landscape", "critical", "--k", "4", "--isotropy", "4", "--starts", "0"], "--starts: expected an integer between 1"),
    (["landscape", "critical", "--k", "4", "--isotropy", "4", "--seed", "-1"], "--seed: expected a seed"),
    (["landscape", "formulas", "--d", "7"], "--d: expected an integer between 1 and 6"),
    (["landscape", "arcs", "--k", "4", "--at", "3,1", "--sub", "3,1", "--radius", "nan"], "--radius: expected a radius"),
    (["landscape", "arcs", "--k", "4", "--at", "3,1", "--sub", "3,1", "--radius", "0"], "radius must be in (0, 100]"),
])
def test_cli_bad_input_is_one_line_exit_2(argv, fragment, run_cli):
    code, out, err = run_cli(argv)
    assert code == 2
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_critical_and_fixdim_json(run_cli):
    code, out, _ = run_cli(["landscape", "critical", "--k", "4", "--isotropy", "4", "--starts", "10", "--json"])
    assert code == 0
    data = json.loads(out)
    assert data["numeric"] is True and data["points"][0]["loss"] == 0
    code, out, _ = run_cli(["landscape", "fixdim", "--k", "7", "--isotropy", "5,1,1"])
    assert code == 0 and "dimension 10" in out


def test_cli_reduced_formulas_and_generators(run_cli):
    code, out, _ = run_cli(["landscape", "reduced", "--shape", "k-1,1", "--json"])
    data = json.loads(out)
    assert code == 0 and data["parameters"] == ["x_1", "y_1", "x_2", "z_12", "z_21"] and "k" in data["loss"]
    code, out, _ = run_cli(["landscape", "formulas", "--d", "2"])
    assert code == 0 and "checked against sympy.diff" in out
    code, out, _ = run_cli(["landscape", "fixdim", "--k", "3", "--d", "4", "--gen", "1,0,2:1,0,3,2", "--json"])
    assert code == 0 and json.loads(out)["dim"] == 6
    code, out, _ = run_cli(["landscape", "critical", "--k", "4", "--gen", "1,2,0,3", "--starts", "8", "--json"])
    assert code == 0 and json.loads(out)["group"] == "H = <1,2,0,3>"


def test_cli_hessian_latex(tmp_path, run_cli):
    path = tmp_path / "h.tex"
    code, out, _ = run_cli(["landscape", "hessian", "--k", "4", "--latex", str(path)])
    assert code == 0 and "yes" in out
    text = path.read_text()
    assert text.startswith("\\documentclass") and "\\toprule" in text and "\\textbf{Notation.}" in text


def test_cli_dynamics_commands(run_cli):
    code, out, _ = run_cli(["dynamics", "converge", "--d", "5", "--teachers", "2", "--students", "3", "--steps", "200",
                            "--json"])
    assert code == 0 and json.loads(out)["losses"][-1] < json.loads(out)["losses"][0]
    code, out, _ = run_cli(["dynamics", "odd-target", "--d", "5", "--width", "40", "--steps", "8", "--json"])
    assert code == 0 and json.loads(out)["runs"][0]["max_nonlinearity"] < 1e-12
    code, out, _ = run_cli(["dynamics", "symmetry", "--d", "2", "--steps", "10"])
    assert code == 0 and "deviation" in out


@pytest.mark.parametrize("argv, fragment", [
    (["dynamics", "odd-target", "--d", "5", "--width", "41"], "even"),
    (["dynamics", "converge", "--d", "0", "--teachers", "1", "--students", "1"], "--d: expected an integer between 1 and 500"),
    (["dynamics", "converge", "--d", "4", "--teachers", "3", "--students", "2"], "students must be"),
    (["dynamics", "converge", "--d", "4", "--teachers", "1", "--students", "1", "--noise", "11"], "--noise: expected"),
    (["dynamics", "symmetry", "--d", "3", "--group", "reflections:1,0,q"], "rationals"),
    (["dynamics", "symmetry", "--d", "9"], "--d: expected an integer between 1 and 8"),
    (["dynamics", "symmetry", "--d", "2", "--time", "inf"], "--time: expected a time"),
    (["landscape", "arcs", "--k", "6", "--at", "5,1", "--sub", "3,3"], "not a subgroup"),
])
def test_cli_dynamics_bad_input(argv, fragment, run_cli):
    code, _, err = run_cli(argv)
    assert code == 2 and fragment in err and err.count("\n") == 1
