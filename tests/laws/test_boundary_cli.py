"""The boundary of ``flowalgebra laws``: every kind of user mistake gets exit status 2 and one line on stderr,
quickly; never a traceback, a hang, a huge allocation or a silent success with another meaning."""
from __future__ import annotations

import json
import os
import time

import pytest

from algebra.exact.parsing import MAX_LENGTH

#: each refusal is given this many seconds (they are all estimated before any heavy work)
SECONDS = 10

FLAT_SUM = " + ".join(["u1_1"] * 5000)

# (name, argv after "laws"; "{dir}" is a folder of model files made by the fixture, a fragment of the message)
BAD = [
    # numbers in specs
    ("superscript digit", ["count", "linear:\u00b2,3"], "comma-separated integers"),
    ("double minus", ["count", "linear:--2,3"], "comma-separated integers"),
    ("plus sign", ["count", "linear:+2,3"], "comma-separated integers"),
    ("fullwidth digits", ["count", "relu:\uff12,\uff13"], "comma-separated integers"),
    ("5000-digit size", ["count", "linear:" + "9" * 5000 + ",2"], "too long"),
    ("12-digit size", ["count", "linear:" + "9" * 12 + ",2"], "too large"),
    ("zero size", ["count", "linear:0,2"], "positive integers"),
    ("empty dims", ["count", "linear:"], "empty size"),
    ("trailing comma", ["count", "linear:2,3,"], "empty size"),
    ("doubled comma", ["count", "linear:2,,3"], "empty size"),
    ("one size", ["count", "relu:3"], "at least an input and an output"),
    ("residual m = 0", ["count", "residual:3,4,0"], "readout size m must be positive"),
    ("residual arity", ["count", "residual:3,4,2,2"], "residual takes 2 or 3 sizes"),
    ("conv arity", ["count", "conv:6,3"], "conv takes 5 sizes"),
    ("conv kernel", ["count", "conv:3,4,1,2,2"], "exceeds the input length"),
    ("softmax one output", ["count", "softmax:2,3,1"], "at least 2 outputs"),
    ("attention bias", ["count", "attention:4,2", "--bias"], "no bias option"),
    ("+bias suffix", ["count", "relu:2,3,2+bias"], "--bias"),
    ("unknown family", ["count", "tanh:2,2"], "unknown model family"),
    ("upper-case family", ["count", "LINEAR:2,2"], "unknown model family"),
    ("no colon", ["count", "relu"], "unknown model"),
    ("empty spec", ["count", " "], "empty model spec"),
    ("too many layers", ["count", "linear:" + ",".join(["1"] * 40)], "too many sizes"),
    ("too many parameters", ["count", "linear:100000,2"], "too many parameters"),
    ("too many paths", ["count", "relu:100,100,100,100"], "too many parameters"),
    ("too many zoo paths", ["count", "attention:2000,1,1"], "too many components of phi"),
    ("exact phi too large", ["verify", "relu:10,10,10,10,10,20", "--law", "U1_1_1"], "exact phi"),
    # flows and frictions
    ("flow case", ["count", "linear:2,2", "--flow", "Mirror"], "unknown flow"),
    ("flow space", ["count", "linear:2,2", "--flow", " mirror"], "unknown flow"),
    ("tau for mirror", ["count", "linear:2,2", "--flow", "mirror", "--tau", "1/2"], "momentum flows only"),
    ("tau tiny", ["count", "linear:2,2", "--flow", "momentum", "--tau", "1e-400"], "argument --tau"),
    ("tau huge", ["count", "linear:2,2", "--flow", "momentum", "--tau", "1e300"], "argument --tau"),
    ("tau prime denominator", ["count", "linear:2,2", "--flow", "momentum", "--tau", "1/2147483647"], "argument --tau"),
    ("tau negative", ["count", "linear:2,2", "--flow", "momentum", "--tau", "-1/2"], "argument --tau"),
    ("tau underscore", ["count", "linear:2,2", "--flow", "momentum", "--tau", "1_0"], "argument --tau"),
    ("mode on sign", ["count", "softmax:2,2", "--flow", "sign", "--mode", "basis"], "--mode"),
    # laws (the safe parser)
    ("huge exponent literal", ["verify", "linear:2,2", "--law", "1e1000000000"], "exponent"),
    ("tower", ["verify", "linear:2,2", "--law", "(((9**64)**64)**64)", "--no-numeric"], "bits"),
    ("4000-digit constant", ["verify", "linear:2,2", "--law", "7" * 4000], "digits"),
    ("deep brackets", ["verify", "linear:2,2", "--law", "(" * 5000 + "U1_1_1" + ")" * 5000], "nested too deeply"),
    ("power chain", ["verify", "linear:2,2", "--law", "**".join(["U1_1_1"] * 500)], "nested too deeply"),
    ("unbalanced", ["verify", "linear:2,2", "--law", "(U1_1_1 + 1"], "unbalanced"),
    ("unknown name", ["verify", "linear:2,2", "--law", "w**2"], "unknown parameter"),
    ("function call", ["verify", "linear:2,2", "--law", "__import__('os').system('true')"], "function call"),
    ("big expansion", ["verify", "relu:2,3,2", "--law", "(u1_1+u1_2+u2_1+u2_2+u3_1+u3_2+v1_1)**40"], "terms"),
    ("law too long", ["verify", "linear:2,2", "--law", "1+" * (MAX_LENGTH // 2 + 1) + "1"], "characters"),
    ("empty law", ["verify", "linear:2,2", "--law", "  "], "empty expression"),
    ("comparison", ["verify", "linear:2,2", "--law", "U1_1_1 < 1"], "comparison"),
    ("hex literal", ["verify", "linear:2,2", "--law", "0x10 * U1_1_1"], "number literal"),
    # cost before heavy work
    ("count frame too large", ["count", "linear:141,141"], "MAX_COUNT_WORK"),
    ("count paths too costly", ["count", "relu:2,40,40,40,15"], "MAX_COUNT_WORK"),
    ("basis mode too costly", ["count", "linear:20,20,20,20,20", "--mode", "basis"], "mode basis"),
    ("poly too costly", ["poly", "linear:3,3,3", "--degree", "6", "--no-count"], "MAX_POLY_WORK"),
    ("poly too many unknowns", ["poly", "linear:30,30,30", "--degree", "3", "--no-count"], "too many unknowns"),
    ("poly count first", ["poly", "linear:141,141", "--degree", "1"], "MAX_COUNT_WORK"),
    ("degree too high", ["poly", "relu:2,3,2", "--degree", "9"], "--degree"),
    # model files
    ("missing file", ["count", "{dir}/missing.toml"], "unknown model"),
    ("self reference", ["count", "{dir}/self.toml"], "not another file"),
    ("file chain", ["count", "{dir}/chain.json"], "not another file"),
    ("dev zero", ["count", "/dev/zero"], "not a regular file"),
    ("folder", ["count", "{dir}/"], "not a regular file"),
    ("fifo", ["count", "{dir}/pipe.json"], "not a regular file"),
    ("too large", ["count", "{dir}/big.json"], "too large"),
    ("duplicate keys", ["count", "{dir}/dup.json"], "repeated key"),
    ("string bias", ["count", "{dir}/strbias.toml"], "true or false"),
    ("bias contradiction", ["count", "{dir}/nobias.toml", "--bias"], "contradicts"),
    ("bias on phi file", ["count", "{dir}/phi.json", "--bias"], "--bias applies to model specs"),
    ("model and phi", ["count", "{dir}/both.json"], "not both"),
    ("name with model", ["count", "{dir}/named.json"], "belong to a 'phi' model"),
    ("neither", ["count", "{dir}/empty.json"], "needs 'model'"),
    ("deep json", ["count", "{dir}/deep.json"], "nested too deeply"),
    ("deep toml", ["count", "{dir}/deep.toml"], "nested too deeply"),
    ("NaN", ["count", "{dir}/nan.json"], "not a number"),
    ("not utf-8", ["count", "{dir}/latin.json"], "not UTF-8"),
    ("keyword parameter", ["count", "{dir}/keyword.json"], "invalid parameter name"),
    ("constant phi", ["count", "{dir}/constant.json"], "at least one parameter"),
    ("phi expansion", ["count", "{dir}/expand.json"], "terms in all"),
    ("deep phi", ["count", "{dir}/deepphi.json"], "nested too deeply"),
    ("unknown keys", ["count", "{dir}/extra.json"], "unknown keys"),
    ("no suffix", ["count", "mymodel"], "a model file"),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A folder of malformed model files."""
    d = tmp_path_factory.mktemp("models")
    (d / "self.toml").write_text(f'model = "{d}/self.toml"\n')
    (d / "chain.json").write_text(json.dumps({"model": "other.toml"}))
    (d / "big.json").write_text(" " * 1_000_001)
    (d / "dup.json").write_text('{"model": "relu:2,3,2", "model": "linear:2,2"}')
    (d / "strbias.toml").write_text('model = "relu:2,3,2"\nbias = "false"\n')
    (d / "nobias.toml").write_text('model = "relu:2,3,2"\nbias = false\n')
    (d / "phi.json").write_text(json.dumps({"phi": ["a*b"]}))
    (d / "both.json").write_text(json.dumps({"phi": ["a*b"], "model": "relu:2,2"}))
    (d / "named.json").write_text(json.dumps({"model": "relu:2,2", "name": "mine"}))
    (d / "empty.json").write_text("{}")
    (d / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    (d / "deep.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    (d / "nan.json").write_text('{"phi": ["a"], "name": NaN}')
    (d / "latin.json").write_bytes('{"phi": ["\u00e9"]}'.encode("latin-1"))
    (d / "keyword.json").write_text(json.dumps({"phi": ["a*b"], "params": ["lambda", "a", "b"]}))
    (d / "constant.json").write_text(json.dumps({"phi": ["1", "2/3"]}))
    (d / "expand.json").write_text(json.dumps({"phi": ["(a+b+c+d+e+f+g+h+i+j)**8"] * 60}))
    (d / "deepphi.json").write_text(json.dumps({"phi": ["(" * 1000 + "a" + ")" * 1000]}))
    (d / "extra.json").write_text(json.dumps({"phi": ["a"], "params\n": 1}))
    os.mkfifo(d / "pipe.json")
    return d


@pytest.mark.parametrize("name, argv, fragment", BAD, ids=[row[0] for row in BAD])
def test_a_mistake_is_one_line_and_exit_2_quickly(run_cli, files, name, argv, fragment):
    argv = ["laws"] + [a.replace("{dir}", str(files)) for a in argv]
    start = time.perf_counter()
    code, out, err = run_cli(argv)
    seconds = time.perf_counter() - start
    lines = err.strip().splitlines()
    assert code == 2, (name, code, err[-300:])
    assert len(lines) == 1 and lines[0].startswith("flowalgebra"), (name, err[-300:])
    assert "Traceback" not in err and fragment in err, (name, err[-300:])
    assert out == "" and seconds < SECONDS, (name, seconds)


def test_a_spec_is_a_spec_even_if_a_file_of_that_name_exists(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "relu:2,3,2").write_text(json.dumps({"phi": ["a*b"]}))
    code, out, _ = run_cli(["laws", "count", "relu:2,3,2", "--json"])
    assert code == 0 and json.loads(out)["D"] == 12            # the spec, not the file
    code, out, _ = run_cli(["laws", "count", "./relu:2,3,2", "--json"])
    assert code == 0 and json.loads(out)["D"] == 2             # a path is a file


def test_a_flat_sum_of_5000_terms_is_a_fine_law(run_cli):
    start = time.perf_counter()
    code, out, err = run_cli(["laws", "verify", "linear:1,1,1", "--law", FLAT_SUM + " - 5000*u1_1", "--no-numeric"])
    assert code == 0 and "CONSERVED" in out and time.perf_counter() - start < SECONDS, err
    # more terms than a law may have once expanded, but they collapse: the bound knows it before expanding
    law = " + ".join(["u1_1*v1_1"] * 12000) + " - 12000*u1_1*v1_1 + u1_1**2 - v1_1**2"
    code, out, err = run_cli(["laws", "verify", "linear:1,1,1", "--law", law, "--no-numeric"])
    assert code == 0 and "CONSERVED" in out, err


def test_a_model_file_with_a_5000_term_polynomial_is_accepted(run_cli, tmp_path):
    f = tmp_path / "flat.json"
    f.write_text(json.dumps({"phi": [" + ".join(f"a{i % 50}*b{i % 50}" for i in range(5000))]}))
    code, out, err = run_cli(["laws", "count", str(f), "--json"])
    assert code == 0 and json.loads(out)["D"] == 100, err


def test_bias_in_a_model_file_is_a_real_boolean(run_cli, tmp_path):
    f = tmp_path / "m.toml"
    f.write_text('model = "relu:2,3,2"\nbias = true\n')
    code, out, _ = run_cli(["laws", "count", str(f), "--json"])
    assert code == 0 and json.loads(out)["model"] == "relu:2,3,2+bias"
    code, out, _ = run_cli(["laws", "count", str(f), "--bias", "--json"])   # agreeing is fine
    assert code == 0 and json.loads(out)["model"] == "relu:2,3,2+bias"


@pytest.mark.parametrize("verb, limit", [("count", "MAX_COUNT_WORK"), ("poly", "MAX_POLY_WORK"),
                                         ("verify", "terms once expanded"), ("count", "1,000,000 bytes")])
def test_help_names_the_limits(run_cli, verb, limit):
    code, out, _ = run_cli(["laws", verb, "--help"])
    assert code == 0 and limit in " ".join(out.split())
