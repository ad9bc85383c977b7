"""``flowalgebra cogo ...``: results, JSON (numbers as numbers), and one-line errors with exit status 2."""
import json
import re
import shutil

import numpy as np
import pytest

from algebra.app.main import main
from algebra.present import compile_latex
from algebra.present.audit import audit

#: a user's mistake is one line: ``flowalgebra: error: ...`` from a handler, ``flowalgebra: error: cogo <command>:
#: ...`` from an argument type
ONE_LINE_ERROR = re.compile(r"flowalgebra: error: ")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_F6_json(capsys):
    code, out, err = run(capsys, "cogo", "check", "F6", "--d", "23", "--json")
    assert code == 0 and err == ""
    j = json.loads(out)
    assert j["nodes"] == 66 and j["loss"] == 0 and j["global_optimizer"] is True
    assert len(j["free_parameters"]) == 11


def test_check_F4_6_json(capsys):
    code, out, _ = run(capsys, "cogo", "check", "F4_6", "--d", "23", "--json")
    j = json.loads(out)
    assert code == 0 and j["nodes"] == 46 and j["global_optimizer"] is True and j["notes"]


def test_check_naive_reports_remaining_terms(capsys):
    code, out, _ = run(capsys, "cogo", "check", "F4_6_naive", "--d", "7")
    assert code == 0 and "loss = 8/7 exactly" in out and "R_n" in out


def test_check_block_expression_over_product_group(capsys, tmp_path):
    tex = tmp_path / "d.tex"
    code, out, _ = run(capsys, "cogo", "check", "nu_i*syn_ab", "--group", "3x5", "--latex", str(tex))
    assert code == 0 and "loss = 0 exactly" in out
    assert tex.read_text().startswith("\\documentclass")


def test_list_potentials_proof(capsys):
    assert run(capsys, "cogo", "list", "--json")[0] == 0
    code, out, _ = run(capsys, "cogo", "potentials", "nu_i*xi", "--json")
    assert code == 0 and json.loads(out)["ell_k"] == 41
    code, out, _ = run(capsys, "cogo", "proof", "--d", "3")
    assert code == 0 and "identical" in out


@pytest.mark.parametrize("argv,needle", [
    (["check", "F6", "--d", "24"], "self-conjugate"),
    (["check", "F6", "--d", "1"], "d >= 2"),
    (["check", "F6", "--d", "-5"], "d >= 2"),
    (["check", "nope", "--d", "5"], "unknown construction"),
    (["check", "nu_i*os.system", "--d", "5"], "block expressions"),
    (["check", "F6", "--d", "10003"], "limited"),
    (["check", "M", "--d", "33"], "limited"),
    (["check", "F6", "--group", "2x3x4"], "self-conjugate"),
    (["check", "F6", "--group", "3;4"], "group spec"),
    (["train", "--d", "5", "--width", "0", "--out", "x.npz"], "width"),
    (["train", "--d", "5", "--out", "x.txt"], ".npz"),
    (["classify", "/nonexistent/run.npz"], "no such run"),
    (["proof", "--d", "9", "--width", "3"], "tiny"),
])
def test_bad_input_is_one_line_exit_2(capsys, argv, needle):
    code, out, err = run(capsys, "cogo", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and ONE_LINE_ERROR.match(err) and needle in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv,needle", [
    (["proof", "--width", "-1"], "positive integer"),
    (["proof", "--width", "0"], "positive integer"),
    (["proof", "--d", "1"], "d >= 2"),
    (["train", "--d", "5", "--checkpoint-every", "-3", "--out", "x.npz"], "non-negative integer"),
    (["train", "--d", "5", "--wd", "nan", "--out", "x.npz"], "weight decay"),
    (["train", "--d", "5", "--wd=-1e-4", "--out", "x.npz"], "weight decay"),
    (["train", "--d", "5", "--wd", "1", "--out", "x.npz"], "weight decay"),
    (["train", "--d", "5", "--lr", "inf", "--out", "x.npz"], "learning rate"),
    (["train", "--d", "5", "--lr", "0", "--out", "x.npz"], "learning rate"),
    (["train", "--d", "5", "--seed", "-1", "--out", "x.npz"], "seed"),
    (["train", "--d", "5", "--epochs", "0", "--out", "x.npz"], "epochs"),
    (["train", "--d", "401", "--out", "x.npz"], "<= 400"),
    (["train", "--d", "5", "--width", "1e3", "--out", "x.npz"], "width"),
    (["classify", "run.npz", "--at", "-1"], "non-negative integer"),
    (["train", "--d", "5", "--out", "/nonexistent/folder/run.npz"], "does not exist"),
    (["check", "F6", "--d", "7.0"], "group order"),
])
def test_numbers_are_checked_where_they_enter(capsys, argv, needle):
    """Argument types with named limits refuse bad numbers before any work (one line, exit status 2)."""
    code, out, err = run(capsys, "cogo", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"flowalgebra: error: cogo {argv[0]}: ") and needle in err


def test_corrupt_npz(capsys, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"\x00" * 64)
    code, _, err = run(capsys, "cogo", "classify", str(bad))
    assert code == 2 and "not a readable" in err


def test_train_then_classify(capsys, tmp_path):
    out_path = tmp_path / "run.npz"
    code, out, _ = run(capsys, "cogo", "train", "--d", "5", "--width", "16", "--epochs", "300", "--lr", "0.01",
                       "--seed", "2", "--out", str(out_path), "--quiet", "--json")
    assert code == 0 and out_path.exists()
    j = json.loads(out)
    assert j["epochs"] == 300 and j["final_loss"] < 0.1
    assert isinstance(j["width"], int) and isinstance(j["wd"], float) and isinstance(j["lr"], float)
    code, out, _ = run(capsys, "cogo", "classify", str(out_path), "--quiet", "--json", "--details")
    j = json.loads(out)
    assert code == 0 and len(j["block_details"]) == 2 and j["runs"][0]["seed"] == 2
    assert all(isinstance(v, int) for v in j["sizes"].values()) and isinstance(j["blocks"], int)
    code, out, _ = run(capsys, "cogo", "classify", str(out_path), "--quiet", "--json")
    assert code == 0 and "block_details" not in json.loads(out)
    with np.load(out_path) as z:
        assert z["W_a"].shape == (16, 5)


def test_json_numbers_are_numbers(capsys):
    """Counts are integers and exact rationals {"p", "q"}; only symbolic values are strings."""
    code, out, _ = run(capsys, "cogo", "check", "F4_6_naive", "--d", "7", "--json")
    j = json.loads(out)
    assert code == 0 and j["loss"] == {"p": 8, "q": 7}
    assert isinstance(j["order"], int) and isinstance(j["num_remaining_terms"], int)
    assert all(t["weight"] == {"p": 1, "q": 4} and t["value"] in ("2 - 2*I", "2 + 2*I") for t in j["remaining_terms"])
    code, out, _ = run(capsys, "cogo", "potentials", "nu_i*xi", "--json")
    j = json.loads(out)
    assert j["nodes"] == 4 and j["remaining"]["r_{k,k,k}"] == 4 and j["remaining"]["r^a_{k,-k,k}"] == "2 - 2*I"
    code, out, _ = run(capsys, "cogo", "proof", "--d", "3", "--json")
    j = json.loads(out)
    assert j["identical"] is True and isinstance(j["variables"], int) and isinstance(j["monomials"], int)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex on PATH: install texlive-latex-base")
def test_train_and_classify_documents_read_clean(capsys, tmp_path):
    """The numeric results' documents: tables, the group in math, nothing leaked (as the audit reads them)."""
    run_path = tmp_path / "run.npz"
    train_tex, classify_tex = tmp_path / "train.tex", tmp_path / "classify.tex"
    assert run(capsys, "cogo", "train", "--d", "7", "--width", "32", "--epochs", "300", "--lr", "0.01", "--out",
               str(run_path), "--quiet", "--latex", str(train_tex))[0] == 0
    assert run(capsys, "cogo", "classify", str(run_path), "--quiet", "--latex", str(classify_tex))[0] == 0
    for tex in (train_tex, classify_tex):
        assert compile_latex(str(tex))
        source = tex.read_text()
        assert "\\toprule" in source and "\\mathbb{Z}_{7}" in source and "\\textbf{Notation.}" in source
        assert audit(source, tex.with_suffix(".log").read_text(errors="replace")) == []
