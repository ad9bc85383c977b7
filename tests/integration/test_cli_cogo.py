"""``flowalgebra cogo ...``: results, JSON, and one-line errors with exit status 2."""
import json

import numpy as np
import pytest

from algebra.app.main import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_F6_json(capsys):
    code, out, err = run(capsys, "cogo", "check", "F6", "--d", "23", "--json")
    assert code == 0 and err == ""
    j = json.loads(out)
    assert j["nodes"] == 66 and j["loss"] == "0" and j["global_optimizer"] is True
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
    assert code == 0 and json.loads(out)["ell_k"] == "41"
    code, out, _ = run(capsys, "cogo", "proof", "--d", "3")
    assert code == 0 and "identical" in out


@pytest.mark.parametrize("argv,needle", [
    (["check", "F6", "--d", "24"], "self-conjugate"),
    (["check", "F6", "--d", "1"], "d >= 2"),
    (["check", "F6", "--d", "-5"], "d >= 2"),
    (["check", "nope", "--d", "5"], "unknown construction"),
    (["check", "nu_i*os.system", "--d", "5"], "block expressions"),
    (["check", "F6", "--d", "5001"], "limited"),
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
    assert err.count("\n") == 1 and err.startswith("flowalgebra: error:") and needle in err
    assert "Traceback" not in err


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
    code, out, _ = run(capsys, "cogo", "classify", str(out_path), "--quiet", "--json", "--details")
    j = json.loads(out)
    assert code == 0 and len(j["block_details"]) == 2 and j["runs"][0]["seed"] == 2
    with np.load(out_path) as z:
        assert z["W_a"].shape == (16, 5)
