"""The boundary of ``flowalgebra cogo ...`` (issue 10): every kind of mistake -- a group spec, a block
expression, a size whose estimated cost is over a named limit, a hostile run file -- is exit status 2 and
one line on stderr, quickly, before any heavy work; and the sizes at the limits are accepted."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest

from algebra.cogo.cli import MAX_CHECK_ORDER, MAX_CLASSIFY_RUNS
from algebra.cogo.constructions import MAX_EXPRESSION_LENGTH, MAX_NETWORK_NODES
from algebra.cogo.decomposition import MAX_PROOF_COST, MAX_PROOF_ORDER, MAX_PROOF_WIDTH
from algebra.cogo.ring import MAX_BLOCK_NODES
from algebra.cogo.table2 import MAX_TABLE2_SEEDS
from algebra.cogo.training import MAX_EPOCHS, MAX_ORDER, MAX_WIDTH, RUN_FORMAT, train

#: every bad input must be refused within this many seconds (the refusals come before the work)
REFUSAL_SECONDS = 10.0

OUT = "{tmp}/run.npz"
NU_I_13 = "*".join(["nu_i"] * 13)  # 2^13 = 8192 nodes
BLOCK_216 = "nu_i*xi*syn*syn*syn*nu_i"  # 216 nodes

BAD = [
    # cogo check: the group order
    pytest.param(["check", "F6", "--d", str(MAX_CHECK_ORDER + 1)], f"limited to d <= {MAX_CHECK_ORDER}",
                 id="check-d-over-limit"),
    pytest.param(["check", "F6", "--d", "0"], "d >= 2", id="check-d-zero"),
    pytest.param(["check", "F6", "--d", "9" * 13], "group order", id="check-d-13-digits"),
    pytest.param(["check", "F6", "--d", "\uff17"], "group order", id="check-d-full-width"),
    pytest.param(["check", "F6", "--d", "7.5"], "group order", id="check-d-decimal"),
    pytest.param(["check", "F6", "--d", "24"], "self-conjugate", id="check-even-order"),
    # cogo check --group: group specs
    pytest.param(["check", "F6", "--group", "0x5"], "d >= 2, got 0", id="group-zero-factor"),
    pytest.param(["check", "F6", "--group", "1"], "d >= 2, got 1", id="group-one"),
    pytest.param(["check", "F6", "--group", "3x"], "empty factor", id="group-trailing-x"),
    pytest.param(["check", "F6", "--group", "x3"], "empty factor", id="group-leading-x"),
    pytest.param(["check", "F6", "--group", "3xx5"], "empty factor", id="group-double-x"),
    pytest.param(["check", "F6", "--group", "\uff13x5"], "ASCII digits", id="group-full-width-digit"),
    pytest.param(["check", "F6", "--group", "\u00b3x5"], "ASCII digits", id="group-superscript-digit"),
    pytest.param(["check", "F6", "--group", "5" * 5000], "characters", id="group-5000-digits"),
    pytest.param(["check", "F6", "--group", "3x" + "9" * 40], "too large", id="group-40-digit-factor"),
    pytest.param(["check", "F6", "--group=-3x5"], "'-'", id="group-negative"),
    pytest.param(["check", "F6", "--group", "x".join(["3"] * 15)], "too large", id="group-15-factors"),
    pytest.param(["check", "F6", "--group", "101x103"], f"limited to |G| <= {MAX_CHECK_ORDER}",
                 id="group-product-over-limit"),
    pytest.param(["check", "F6", "--group", "3X5"], "'X'", id="group-capital-x"),
    pytest.param(["check", "F6", "--group", "3*5"], "'*'", id="group-star"),
    pytest.param(["check", "F6", "--group", ""], "group spec", id="group-empty"),
    pytest.param(["check", "F6", "--group", "3\x1b[31mx5"], "group spec", id="group-escape-sequence"),
    # cogo check NAME: block expressions and their cost
    pytest.param(["check", "nope", "--d", "5"], "unknown construction", id="check-unknown-name"),
    pytest.param(["check", "", "--d", "5"], "empty block expression", id="check-empty"),
    pytest.param(["check", "   ", "--d", "5"], "empty block expression", id="check-blank"),
    pytest.param(["check", "(nu_i*xi)", "--d", "5"], "parentheses", id="check-parentheses"),
    pytest.param(["check", "(" * 500 + "nu" + ")" * 500, "--d", "5"], "too long", id="check-deep-parentheses"),
    pytest.param(["check", "nu**2", "--d", "5"], "powers", id="check-power"),
    pytest.param(["check", "2*nu", "--d", "5"], "not numbers", id="check-number-factor"),
    pytest.param(["check", "nu xi", "--d", "5"], "missing '*' or '+'", id="check-missing-operator"),
    pytest.param(["check", "nu+", "--d", "5"], "empty term", id="check-trailing-plus"),
    pytest.param(["check", "*nu", "--d", "5"], "empty factor", id="check-leading-star"),
    pytest.param(["check", "nu\x07xi", "--d", "5"], "'\\x07'", id="check-control-character"),
    pytest.param(["check", "\uff4e\uff55", "--d", "5"], "names, '*' and '+' only", id="check-full-width-name"),
    pytest.param(["check", "os.system('ls')", "--d", "5"], "names, '*' and '+' only", id="check-code"),
    pytest.param(["check", "nu*" * 100 + "nu", "--d", "5"], f"limit {MAX_EXPRESSION_LENGTH}", id="check-long"),
    pytest.param(["check", NU_I_13, "--d", "5"], f"limited to {MAX_BLOCK_NODES}", id="check-block-too-big"),
    pytest.param(["check", BLOCK_216, "--d", "1853"], f"limited to {MAX_NETWORK_NODES}", id="check-network-too-big"),
    pytest.param(["check", "M", "--d", "33"], "limited", id="check-memorisation-too-big"),
    # cogo potentials
    pytest.param(["potentials", NU_I_13], "8192 nodes", id="potentials-8192-nodes"),
    pytest.param(["potentials", "*".join(["nu", "xi", "syn_ab"] * 4)], "20736 nodes", id="potentials-12-factors"),
    pytest.param(["potentials", "*".join(["nu"] * 66)], "about 10^19 nodes", id="potentials-66-factors"),
    pytest.param(["potentials", ""], "empty block expression", id="potentials-empty"),
    pytest.param(["potentials", "foo"], "unknown block 'foo'", id="potentials-unknown"),
    pytest.param(["potentials", "3"], "not numbers", id="potentials-number"),
    pytest.param(["potentials", "nu;xi"], "';'", id="potentials-semicolon"),
    pytest.param(["potentials", "nu\nxi"], "'\\n'", id="potentials-newline"),
    pytest.param(["potentials", "x" * 10_000], "too long", id="potentials-10000-characters"),
    pytest.param(["potentials", "nu++xi"], "empty term", id="potentials-double-plus"),
    # cogo proof
    pytest.param(["proof", "--width", "-1"], "positive integer", id="proof-negative-width"),
    pytest.param(["proof", "--width", "0"], "positive integer", id="proof-zero-width"),
    pytest.param(["proof", "--width", str(MAX_PROOF_WIDTH + 1)], "tiny networks", id="proof-width-over-limit"),
    pytest.param(["proof", "--d", str(MAX_PROOF_ORDER + 1)], "tiny groups", id="proof-d-over-limit"),
    pytest.param(["proof", "--d", "9", "--width", "3"], "tiny", id="proof-9-3"),
    pytest.param(["proof", "--d", "4", "--width", "3"], f"over the limit {MAX_PROOF_COST}", id="proof-cost-4-3"),
    pytest.param(["proof", "--d", "5", "--width", "2"], f"over the limit {MAX_PROOF_COST}", id="proof-cost-5-2"),
    pytest.param(["proof", "--d", "1"], "d >= 2", id="proof-d-one"),
    pytest.param(["proof", "--d", "1e3"], "group order", id="proof-d-float"),
    # cogo train: numbers, groups, memory
    pytest.param(["train", "--d", "5", "--checkpoint-every", "-3", "--out", OUT], "non-negative integer",
                 id="train-negative-checkpoints"),
    pytest.param(["train", "--d", "5", "--checkpoint-every", str(MAX_EPOCHS + 1), "--out", OUT], "at most",
                 id="train-checkpoints-over-limit"),
    pytest.param(["train", "--d", "5", "--width", str(MAX_WIDTH + 1), "--out", OUT], "width", id="train-wide"),
    pytest.param(["train", "--d", "5", "--epochs", str(MAX_EPOCHS + 1), "--out", OUT], "epochs", id="train-long"),
    pytest.param(["train", "--d", str(MAX_ORDER + 1), "--out", OUT], "<= 400", id="train-d-over-limit"),
    pytest.param(["train", "--group", "21x21", "--out", OUT], "limited to |G| <= 400", id="train-group-over-limit"),
    pytest.param(["train", "--group", "0x5", "--out", OUT], "d >= 2", id="train-group-zero"),
    pytest.param(["train", "--d", "400", "--width", "104", "--out", OUT], "the limit is 3.00 GB", id="train-memory"),
    pytest.param(["train", "--d", "23", "--width", "512", "--epochs", "2000000", "--checkpoint-every", "1",
                  "--out", OUT], "of checkpoints", id="train-checkpoint-memory"),
    pytest.param(["train", "--d", "5", "--out", "{tmp}/folder.npz"], "it is a folder", id="train-out-folder"),
    pytest.param(["train", "--d", "5", "--out", "{tmp}/run.txt"], ".npz", id="train-out-not-npz"),
    pytest.param(["train", "--d", "5", "--lr", "nan", "--out", OUT], "learning rate", id="train-lr-nan"),
    pytest.param(["train", "--d", "5", "--train-fraction", "0", "--out", OUT], "train fraction in (0, 1]",
                 id="train-fraction-zero"),
    pytest.param(["train", "--d", "5", "--train-fraction", "1.5", "--out", OUT], "train fraction in (0, 1]",
                 id="train-fraction-over-one"),
    # cogo classify: files
    pytest.param(["classify", "{tmp}/missing.npz"], "no such run", id="classify-missing"),
    pytest.param(["classify", "{tmp}/folder.npz"], "not a regular file", id="classify-folder"),
    pytest.param(["classify", "/dev/zero"], "not a regular file", id="classify-device"),
    pytest.param(["classify", "{tmp}/empty.npz"], "not a readable", id="classify-empty-file"),
    pytest.param(["classify", "{tmp}/text.npz"], "not a readable", id="classify-not-a-zip"),
    pytest.param(["classify", "{tmp}/pickle.npz"], "not a readable", id="classify-pickled-object"),
    pytest.param(["classify", "{tmp}/missing_fields.npz"], "missing W_a, W_b, W_c", id="classify-missing-fields"),
    pytest.param(["classify", "{tmp}/format.npz"], "expected flowalgebra-cogo-run-1", id="classify-wrong-format"),
    pytest.param(["classify", "{tmp}/format_array.npz"], "an array of type", id="classify-format-array"),
    pytest.param(["classify", "{tmp}/shapes.npz"], "do not fit", id="classify-wrong-shapes"),
    pytest.param(["classify", "{tmp}/nan.npz"], "NaN or infinity", id="classify-nan-weights"),
    pytest.param(["classify", "{tmp}/inf_checkpoint.npz"], "checkpoint weights contain NaN", id="classify-inf-checkpoint"),
    pytest.param(["classify", "{tmp}/complex.npz"], "real numbers", id="classify-complex-weights"),
    pytest.param(["classify", "{tmp}/strings.npz"], "real numbers", id="classify-string-weights"),
    pytest.param(["classify", "{tmp}/moduli_one.npz"], "d >= 2", id="classify-moduli-one"),
    pytest.param(["classify", "{tmp}/moduli_float.npz"], "list of integers", id="classify-moduli-float"),
    pytest.param(["classify", "{tmp}/moduli_big.npz"], "limited to |G| <= 400", id="classify-moduli-over-limit"),
    pytest.param(["classify", "{tmp}/seed_array.npz"], "seed must be a single int", id="classify-seed-array"),
    pytest.param(["classify", "{tmp}/lr_text.npz"], "lr must be a single float", id="classify-lr-text"),
    pytest.param(["classify", "{tmp}/history.npz"], "loss history", id="classify-loss-history"),
    pytest.param(["classify", "{tmp}/checkpoints.npz"], "checkpoints do not fit", id="classify-checkpoint-shapes"),
    pytest.param(["classify", "{tmp}/lying.npz"], "unpacks to", id="classify-huge-declared-array"),
    pytest.param(["classify", "{tmp}/members.npz"], "holds 65 arrays", id="classify-too-many-arrays"),
    pytest.param(["classify", "{tmp}/good.npz", "--at", "5"], "no checkpoint at epoch 5", id="classify-no-checkpoint"),
    pytest.param(["classify", "--at", "-1", "{tmp}/good.npz"], "non-negative integer", id="classify-negative-at"),
    pytest.param(["classify"] + ["{tmp}/good.npz"] * (MAX_CLASSIFY_RUNS + 1), f"at most {MAX_CLASSIFY_RUNS}",
                 id="classify-too-many-files"),
    # cogo table2: numbers, the training time and memory estimated before any run
    pytest.param(["table2", "--d", "2"], "d >= 3", id="table2-d-two"),
    pytest.param(["table2", "--d", str(MAX_ORDER + 1)], f"<= {MAX_ORDER}", id="table2-d-over-limit"),
    pytest.param(["table2", "--d", "23", "--seeds", "0"], "number of seeds", id="table2-zero-seeds"),
    pytest.param(["table2", "--d", "23", "--seeds", str(MAX_TABLE2_SEEDS + 1)], f"and {MAX_TABLE2_SEEDS}",
                 id="table2-seeds-over-limit"),
    pytest.param(["table2", "--d", "127", "--seeds", "100"], "MAX_TABLE2_SECONDS", id="table2-time-over-limit"),
    pytest.param(["table2", "--d", "5", "--width", str(MAX_WIDTH), "--method", "fourier"], "MAX_TRAIN_BYTES",
                 id="table2-memory-over-limit"),
    pytest.param(["table2", "--d", "23", "--method", "slow"], "invalid choice", id="table2-unknown-method"),
    pytest.param(["table2", "--d", "23", "--lr", "0"], "learning rate", id="table2-lr-zero"),
    pytest.param(["table2", "--d", "23", "--train-fraction", "0"], "train fraction in (0, 1]",
                 id="table2-fraction-zero"),
    pytest.param(["table2", "--d", "23", "--train-fraction", "-0.5"], "train fraction", id="table2-fraction-negative"),
    pytest.param(["table2", "--d", "23", "--train-fraction", "nan"], "train fraction", id="table2-fraction-nan"),
    pytest.param(["table2", "--d", "23", "--train-fraction", "1.01"], "train fraction", id="table2-fraction-over-one"),
    pytest.param(["table2", "--d", "23", "--train-fraction", "0.9", "--method", "fourier"], "sums over all pairs",
                 id="table2-fraction-fourier"),
]


def _run_fields(n: int = 5, N: int = 3, **changes) -> dict:
    rng = np.random.default_rng(0)
    fields = dict(format=RUN_FORMAT, moduli=np.array([n]), width=N, wd=1e-4, seed=0, epochs=10, lr=1e-3,
                  W_a=rng.normal(size=(N, n)), W_b=rng.normal(size=(N, n)), W_c=rng.normal(size=(n, N)),
                  loss_epochs=np.array([0, 10]), loss_history=np.array([1.0, 0.5]), seconds=0.1,
                  ckpt_epochs=np.array([0, 10]), ckpt_W_a=rng.normal(size=(2, N, n)),
                  ckpt_W_b=rng.normal(size=(2, N, n)), ckpt_W_c=rng.normal(size=(2, n, N)))
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def _lying_npz(path: str) -> None:
    """An .npz whose one array claims 10^6 x 10^6 floats (8 TB) in its header but holds a few bytes."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10 ** 6, 10 ** 6)})
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("W_a.npy", b"\x93NUMPY\x01\x00" + header.getvalue()[8:] + b"\x00" * 64)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> str:
    """A folder of hostile run files (and one good one)."""
    d = tmp_path_factory.mktemp("cogo_boundary")
    os.mkdir(d / "folder.npz")
    (d / "empty.npz").write_bytes(b"")
    (d / "text.npz").write_text("not a zip file\n")
    np.savez(d / "pickle.npz", **_run_fields(W_a=np.array([object()] * 15, dtype=object).reshape(3, 5)))
    np.savez(d / "missing_fields.npz", format=RUN_FORMAT, moduli=np.array([5]), width=3)
    np.savez(d / "format.npz", **_run_fields(format="something-else"))
    np.savez(d / "format_array.npz", **_run_fields(format=np.zeros(1000)))
    np.savez(d / "shapes.npz", **_run_fields(W_b=np.zeros((3, 4))))
    np.savez(d / "nan.npz", **_run_fields(W_c=np.full((5, 3), np.nan)))
    bad_ck = np.zeros((2, 3, 5))
    bad_ck[1, 2, 4] = np.inf
    np.savez(d / "inf_checkpoint.npz", **_run_fields(ckpt_W_a=bad_ck))
    np.savez(d / "complex.npz", **_run_fields(W_a=np.ones((3, 5)) * 1j))
    np.savez(d / "strings.npz", **_run_fields(W_a=np.full((3, 5), "1.0")))
    np.savez(d / "moduli_one.npz", **_run_fields(n=1))
    np.savez(d / "moduli_float.npz", **_run_fields(moduli=np.array([5.0])))
    np.savez(d / "moduli_big.npz", **_run_fields(n=401, N=1))
    np.savez(d / "seed_array.npz", **_run_fields(seed=np.arange(3)))
    np.savez(d / "lr_text.npz", **_run_fields(lr="fast"))
    np.savez(d / "history.npz", **_run_fields(loss_history=np.array([1.0, 0.5, 0.2])))
    np.savez(d / "checkpoints.npz", **_run_fields(ckpt_W_c=np.zeros((2, 3, 5))))
    _lying_npz(str(d / "lying.npz"))
    np.savez(d / "members.npz", **{f"x{i}": np.zeros(1) for i in range(65)})
    np.savez(d / "good.npz", **_run_fields())
    return str(d)


@pytest.mark.parametrize("argv,needle", BAD)
def test_bad_input_is_one_line_exit_2_quickly(run_cli, tmp, argv, needle):
    argv = ["cogo"] + [a.replace("{tmp}", tmp) for a in argv]
    start = time.perf_counter()
    code, out, err = run_cli(argv)
    seconds = time.perf_counter() - start
    assert code == 2 and out == "", err
    assert err.count("\n") == 1 and err.startswith("flowalgebra") and ": error: " in err, err
    assert "Traceback" not in err and needle in err, err
    assert len(err) < 400  # long user input is not echoed whole
    assert seconds < REFUSAL_SECONDS


def test_the_table_covers_every_command():
    assert len(BAD) >= 40
    assert {p.values[0][0] for p in BAD} == {"check", "potentials", "proof", "train", "classify", "table2"}


def test_good_run_file_is_accepted(run_cli, tmp):
    """The hostile files differ from this one in one field each."""
    code, out, err = run_cli(["cogo", "classify", f"{tmp}/good.npz", "--quiet", "--json"])
    assert code == 0 and json.loads(out)["runs"][0]["width"] == 3
    code, out, err = run_cli(["cogo", "classify", f"{tmp}/good.npz", "--at", "10", "--quiet", "--json"])
    assert code == 0 and json.loads(out)["runs"][0]["width"] == 3


# -- the sizes at the limits are accepted --------------------------------------------------------------
def test_check_F6_at_the_order_limit(run_cli):
    """F6 over Z_10001 sums five thousand placed blocks (the walk over a long sum used to be recursive:
    RecursionError), evaluated at the factor level."""
    start = time.perf_counter()
    code, out, err = run_cli(["cogo", "check", "F6", "--d", str(MAX_CHECK_ORDER), "--json"])
    j = json.loads(out)
    assert code == 0 and err == "" and j["nodes"] == 3 * (MAX_CHECK_ORDER - 1) and j["loss"] == 0
    assert j["global_optimizer"] is True and j["real_weights"] is True and len(j["free_parameters"]) == (MAX_CHECK_ORDER - 1) // 2
    assert j["method"] == "factor" and time.perf_counter() - start < 60


def test_check_F4_6_over_a_large_group(run_cli):
    code, out, _ = run_cli(["cogo", "check", "F4_6", "--d", "501", "--json"])
    j = json.loads(out)
    assert code == 0 and j["nodes"] == 1002 and j["global_optimizer"] is True


def test_a_block_at_the_node_limit_is_accepted(run_cli):
    code, out, _ = run_cli(["cogo", "potentials", "*".join(["nu_i"] * 12), "--json"])
    assert code == 0 and json.loads(out)["nodes"] == MAX_BLOCK_NODES


def _wait_until_training(proc, rss=400 * 2**20, timeout=60.0):
    """Wait until the process holds the training arrays (its resident memory passes ``rss``; a loaded machine
    can take several seconds just to import), or 4 s where /proc is not there."""
    statm = f"/proc/{proc.pid}/statm"
    if not os.path.exists(statm):
        time.sleep(4)
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        with open(statm) as fh:
            if int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") > rss:
                time.sleep(0.5)  # inside the epoch loop
                return
        time.sleep(0.1)


def test_ctrl_c_stops_training_with_one_line_and_status_130(tmp_path, interruptible):
    """A long run is interrupted between steps: one line, exit status 130, no traceback."""
    cmd = [os.path.join(os.path.dirname(sys.executable), "flowalgebra")]
    proc = subprocess.Popen(cmd + ["cogo", "train", "--d", "101", "--width", "2000", "--epochs", "100000",
                                   "--checkpoint-every", "0", "--out", str(tmp_path / "run.npz"), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=interruptible)
    _wait_until_training(proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and out == ""
    assert err.strip().splitlines() == ["flowalgebra: interrupted"] and "Traceback" not in err
    assert not (tmp_path / "run.npz").exists()


def test_training_estimates_its_memory_before_it_starts():
    """The refusal comes before any allocation: it is immediate even for a run that would need terabytes."""
    start = time.perf_counter()
    with pytest.raises(Exception, match="limit is"):
        train(23, width=16384, epochs=MAX_EPOCHS, checkpoint_every=1, progress=False)
    assert time.perf_counter() - start < 1
