"""The acceptance table of the boundary (issue 10): every bad or borderline input the suite knows, one test.

Each row is run through the real CLI (``algebra.app.main.main``, in-process) and must end as the boundary
promises: a bad input exits with status 2, prints exactly one line on stderr, starting
``flowalgebra: error:``, printable (no control character reaches the terminal) and at most
:data:`LINE_LIMIT` characters, nothing on stdout, no traceback, within :data:`SECONDS`; a borderline input
that is fine ("must succeed") exits 0 with no error line.

The table is the union of the per-area tables (re-run here, not copied: ``tests/laws/test_boundary_cli.py``,
``tests/laws/test_sweep_boundary.py``, ``tests/algebra/cogo/test_boundary_cli.py``,
``tests/groups/test_boundary_cli.py``) and the rows below (the issue's own examples the area tables lack,
output paths, terminal safety, the must-succeed rows); :data:`ISSUE_EXAMPLES` names the row of each example
of the issue. In all: ``len(ROWS)`` rows (:func:`test_the_table_is_large_and_covers_every_kind` states the
count: at least 120; 409 at this writing, 93 of them below and 7 of those must succeed, of every kind of :data:`KINDS`).

:data:`SECONDS` is generous: the slowest row (``cogo potentials`` at the node limit, must succeed) took 8.5 s
in-process on 2 cores under a load average of 8 (other suites running); x3, rounded up. A time bound, not a
timing measurement: the sizes and their times are in ``benchmarks/boundary_sizes.py``.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from laws.sweep import COLUMNS, load_spec

ROOT = Path(__file__).resolve().parents[2]
#: a row gets this many seconds of wall time
SECONDS = 30
#: an error line is at most this long (messages are cut at 300 characters, plus the command's name)
LINE_LIMIT = 400

KINDS = ("numbers", "expressions and files", "wrong successes", "output paths", "cost", "sweeps", "terminal safety",
         "must succeed")


def _load(relative: str):
    """A per-area test module, loaded for its table (its tests are collected where they live, not here)."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location("acceptance_" + path.stem + "_" + path.parent.name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_LAWS = _load("tests/laws/test_boundary_cli.py")
_SWEEP = _load("tests/laws/test_sweep_boundary.py")
_COGO = _load("tests/algebra/cogo/test_boundary_cli.py")
_GROUPS = _load("tests/groups/test_boundary_cli.py")

# the area tables' fixtures of hostile files, used here under their own names
files = _LAWS.files   # "{dir}": malformed model files
tmp = _COGO.tmp       # "{tmp}": hostile run files


@dataclass(frozen=True)
class Row:
    """One input: ``argv`` with placeholders ``{dir}``, ``{tmp}``, ``{here}`` (this row's own folder, also the
    working directory) and ``{spec}`` (``spec`` written by the sweep table's writer); ``make``: files written
    into ``{here}`` first (name -> text or bytes); ``code``: 2 for a refusal, 0 for a must-succeed row."""

    kind: str
    id: str
    argv: tuple
    fragment: str = ""
    code: int = 2
    make: dict = field(default_factory=dict)
    spec: object = None


def _area_kind(argv, fragment: str) -> str:
    text = " ".join(map(str, argv)) + " " + fragment
    if any(word in text for word in ("MAX_", "too many", "too costly", "limited", "limit ", "nodes", "terms",
                                     "memory", "GB", "--steps", "--width")):
        return "cost"
    if any(word in text for word in ("{dir}", "{tmp}", "--law", "file", "nested", "digits", "exponent", "bits")):
        return "expressions and files"
    return "numbers"


#: area rows of the kinds the keyword rule of :func:`_area_kind` cannot see
_KIND_OF = {
    "laws/residual m = 0": "wrong successes", "laws/string bias": "wrong successes",
    "laws/bias contradiction": "wrong successes", "laws/tau for mirror": "wrong successes",
    "cogo/proof-negative-width": "wrong successes", "cogo/proof-zero-width": "wrong successes",
    "cogo/train-negative-checkpoints": "wrong successes", "groups/zero-normal": "wrong successes",
    "groups/normal-duplicate": "wrong successes", "sweep/models-string": "wrong successes",
    "sweep/flows-string": "wrong successes", "sweep/bias-string": "wrong successes",
    "cogo/group-escape-sequence": "terminal safety", "cogo/check-control-character": "terminal safety",
    "cogo/potentials-newline": "terminal safety", "cogo/potentials-10000-characters": "terminal safety",
    "sweep/inline-nul": "terminal safety", "cogo/train-out-folder": "output paths",
    "cogo/train-out-not-npz": "output paths",
}


def _area_rows() -> list[Row]:
    rows = []
    for name, argv, fragment in _LAWS.BAD:
        rows.append(Row(_area_kind(argv, fragment), "laws/" + name, ("laws", *argv), fragment))
    for param in _COGO.BAD:
        argv, needle = param.values
        rows.append(Row(_area_kind(argv, needle), "cogo/" + param.id, ("cogo", *argv), needle))
    for param in _GROUPS.BAD:
        argv, fragment = param.values
        rows.append(Row(_area_kind(argv, fragment), "groups/" + param.id, tuple(argv), fragment))
    for name, spec, fragment in _SWEEP.SPECS:
        rows.append(Row("sweeps", "sweep/" + name, ("laws", "sweep", "{spec}", "--out", "{here}/out"), fragment,
                        spec=spec))
    return [replace(row, kind=_KIND_OF.get(row.id, row.kind)) for row in rows]


FLAT_SUM = " + ".join(["u1_1"] * 5000) + " - 5000*u1_1"
CC = "\x1b[31m"  # a colour escape: it must not reach the terminal
MODEL = ("laws", "count", "relu:2,3,2")
FAILED_CSV = "failed"  # a marker: make() writes a results.csv whose every task failed


def _own_rows() -> list[Row]:
    R = Row
    return [
        # -- number parsing
        R("numbers", "seed-negative-laws", (*MODEL, "--seed", "-1"), "--seed"),
        R("numbers", "seed-negative-landscape", ("landscape", "critical", "--k", "4", "--isotropy", "3,1", "--seed", "-1"),
          "--seed"),
        R("numbers", "seed-negative-cogo", ("cogo", "train", "--d", "5", "--seed", "-1", "--out", "{here}/run.npz"),
          "--seed"),
        R("numbers", "seed-negative-dynamics", ("dynamics", "odd-target", "--seed", "-5"), "--seed"),
        R("numbers", "seed-21-digits", (*MODEL, "--seed", "9" * 21), "--seed"),
        R("numbers", "seed-superscript", (*MODEL, "--seed", "\u00b9"), "--seed"),
        R("numbers", "tau-1e-1000000", ("laws", "count", "linear:2,2", "--flow", "momentum", "--tau", "1e-1000000"),
          "--tau"),
        R("numbers", "tau-1e100000000", ("laws", "count", "linear:2,2", "--flow", "momentum", "--tau", "1e100000000"),
          "--tau"),
        R("numbers", "tau-nan", ("laws", "count", "linear:2,2", "--flow", "momentum", "--tau", "nan"), "--tau"),
        R("numbers", "k-superscript", ("landscape", "hessian", "--k", "\u00b2"), "--k"),
        R("numbers", "cogo-d-superscript", ("cogo", "check", "F6", "--d", "\u00b3"), "group order"),
        R("numbers", "proof-d-superscript", ("cogo", "proof", "--d", "\u00b3"), "--d"),
        R("numbers", "steps-as-float", ("dynamics", "odd-target", "--steps", "1e9"), "--steps"),
        R("numbers", "students-negative", ("dynamics", "converge", "--d", "4", "--teachers", "1", "--students", "-3"),
          "students"),
        R("numbers", "starts-zero", ("landscape", "critical", "--k", "4", "--isotropy", "3,1", "--starts", "0"),
          "--starts"),
        R("numbers", "degree-zero", ("laws", "poly", "relu:2,3,2", "--degree", "0"), "--degree"),
        R("numbers", "degree-superscript", ("laws", "poly", "relu:2,3,2", "--degree", "\u2074"), "--degree"),
        R("numbers", "workers-superscript", ("laws", "sweep", "relu:2,2", "--out", "{here}/o", "--workers", "\u00b2"),
          "--workers"),
        R("numbers", "residual-zero-hidden", ("laws", "count", "residual:3,0"), "positive"),
        # -- expressions and files
        R("expressions and files", "json-bias-string-false", ("laws", "count", "{here}/m.json"), "true or false",
          make={"m.json": '{"model": "relu:2,3,2", "bias": "false"}'}),
        R("expressions and files", "json-bias-one", ("laws", "count", "{here}/m.json"), "true or false",
          make={"m.json": '{"model": "relu:2,3,2", "bias": 1}'}),
        R("expressions and files", "json-infinity", ("laws", "count", "{here}/m.json"), "not a number",
          make={"m.json": '{"phi": ["a"], "name": Infinity}'}),
        R("expressions and files", "json-float-overflow", ("laws", "count", "{here}/m.json"), "out of range",
          make={"m.json": '{"phi": ["a"], "name": 1e999}'}),
        R("expressions and files", "json-huge-integer", ("laws", "count", "{here}/m.json"), "malformed model file",
          make={"m.json": '{"phi": ["a"], "name": ' + "9" * 5000 + "}"}),
        R("expressions and files", "json-40-levels", ("laws", "count", "{here}/m.json"), "nested too deeply",
          make={"m.json": '{"phi": ["a"], "name": ' + "[" * 40 + "]" * 40 + "}"}),
        R("expressions and files", "toml-bias-nan", ("laws", "count", "{here}/m.toml"), "not a number",
          make={"m.toml": 'model = "relu:2,3,2"\nbias = nan\n'}),
        R("expressions and files", "toml-40-levels", ("laws", "count", "{here}/m.toml"), "nested too deeply",
          make={"m.toml": 'phi = ["a"]\nname = ' + "[" * 40 + "]" * 40 + "\n"}),
        R("expressions and files", "toml-duplicate-key", ("laws", "count", "{here}/m.toml"), "malformed model file",
          make={"m.toml": 'model = "relu:2,3,2"\nmodel = "linear:2,2"\n'}),
        R("expressions and files", "empty-file", ("laws", "count", "{here}/m.json"), "malformed model file",
          make={"m.json": ""}),
        R("expressions and files", "model-is-a-list", ("laws", "count", "{here}/m.json"), "must be a string",
          make={"m.json": '{"model": ["relu:2,3,2"]}'}),
        R("expressions and files", "model-names-itself-relative", ("laws", "count", "{here}/self.json"),
          "not another file", make={"self.json": '{"model": "self.json"}'}),
        R("expressions and files", "phi-tower", ("laws", "count", "{here}/m.json"), "degree",
          make={"m.json": json.dumps({"phi": ["(((a**64)**64)**64)"]})}),
        R("expressions and files", "phi-huge-exponent", ("laws", "count", "{here}/m.json"), "exponent",
          make={"m.json": json.dumps({"phi": ["a*1e1000000000"]})}),
        R("expressions and files", "phi-4000-digits", ("laws", "count", "{here}/m.json"), "digits",
          make={"m.json": json.dumps({"phi": ["a*" + "7" * 4000]})}),
        R("expressions and files", "phi-deep-brackets", ("laws", "count", "{here}/m.json"), "nested too deeply",
          make={"m.json": json.dumps({"phi": ["(" * 5000 + "a" + ")" * 5000]})}),
        R("expressions and files", "law-big-power", ("laws", "verify", "linear:2,2", "--law", "U1_1_1**99999999"), ""),
        R("expressions and files", "law-divide-by-zero", ("laws", "verify", "linear:2,2", "--law", "U1_1_1/0"), ""),
        R("expressions and files", "law-unicode-minus", ("laws", "verify", "linear:2,2", "--law", "U1_1_1 \u2212 1"), ""),
        R("expressions and files", "law-attribute", ("laws", "verify", "linear:2,2", "--law", "U1_1_1.__class__"), ""),
        R("expressions and files", "cogo-100000-parentheses", ("cogo", "check", "(" * 100_000, "--d", "5"), "too long"),
        R("expressions and files", "model-file-is-dev-null", ("laws", "count", "/dev/null"), "not a regular file"),
        # -- wrong successes
        R("wrong successes", "second-normal-zero", ("dynamics", "symmetry", "--steps", "2", "--group",
                                                    "reflections:1,0,0;0,0,0"), "zero"),
        R("wrong successes", "all-failed-sweep", ("laws", "sweep", "relu:2,2,1;linear:2,2", "--out", "{here}/out"),
          "all 2 tasks of the sweep failed", make={FAILED_CSV: "relu:2,2,1;linear:2,2"}),
        R("wrong successes", "sweep-spec-named-file-in-cwd", ("laws", "sweep", "linear:0,2", "--out", "{here}/out"),
          "linear:0,2", make={"linear:0,2": '{"models": ["relu:2,2,1"]}'}),
        R("wrong successes", "proof-width-minus-nine", ("cogo", "proof", "--width", "-9"), "--width"),
        R("wrong successes", "bias-on-a-family-without", ("laws", "count", "nmf:3,2,3", "--bias"), "bias"),
        # -- output paths: checked before the work
        R("output paths", "latex-missing-folder", (*MODEL, "--latex", "{here}/missing/x.tex"), "does not exist"),
        R("output paths", "latex-is-a-folder", (*MODEL, "--latex", "{here}"), "is a folder"),
        R("output paths", "latex-under-a-file", (*MODEL, "--latex", "{here}/f.txt/x.tex"), "cannot write",
          make={"f.txt": "x"}),
        R("output paths", "latex-read-only-sys", (*MODEL, "--latex", "/sys/x.tex"), "not writable"),
        R("output paths", "latex-virtual-proc", (*MODEL, "--latex", "/proc/x.tex"), "not writable"),
        R("output paths", "latex-empty", (*MODEL, "--latex", ""), "file name"),
        R("output paths", "latex-dash-and-json", (*MODEL, "--latex", "-", "--json"), "standard output"),
        R("output paths", "landscape-latex-read-only", ("landscape", "fixdim", "--k", "3", "--latex", "/sys/x.tex"),
          "not writable"),
        R("output paths", "dynamics-latex-missing", ("dynamics", "odd-target", "--latex", "{here}/no/x.tex"),
          "does not exist"),
        R("output paths", "cogo-latex-folder", ("cogo", "check", "F6", "--d", "5", "--latex", "{here}"), "is a folder"),
        R("output paths", "report-out-file", ("report", "--out", "{here}/f.txt"), "is a file",
          make={"f.txt": "x"}),
        R("output paths", "report-out-under-file", ("report", "--out", "{here}/f.txt/sub"), "is a file",
          make={"f.txt": "x"}),
        R("output paths", "report-out-read-only", ("report", "--out", "/sys/report"), "not writable"),
        R("output paths", "train-out-missing-folder", ("cogo", "train", "--d", "5", "--out", "{here}/no/run.npz"),
          "does not exist"),
        R("output paths", "train-out-read-only", ("cogo", "train", "--d", "5", "--out", "/sys/run.npz"), "not writable"),
        R("output paths", "sweep-out-file", ("laws", "sweep", "relu:2,2", "--out", "{here}/f.txt"), "cannot write",
          make={"f.txt": "x"}),
        R("output paths", "sweep-out-read-only", ("laws", "sweep", "relu:2,2", "--out", "/sys/sweep"), "not writable"),
        # -- cost
        R("cost", "potentials-20-factors", ("cogo", "potentials", "*".join(["nu_i"] * 20)), "1048576 nodes"),
        R("cost", "potentials-20-mixed-factors", ("cogo", "potentials", "*".join(["nu", "xi", "syn_ab", "nu_i"] * 5)),
          "nodes"),
        R("cost", "count-momentum-doubles-the-state", ("laws", "count", "linear:70,70,70", "--flow", "momentum"),
          "MAX_COUNT_WORK"),
        R("cost", "poly-degree-8-large", ("laws", "poly", "relu:4,4,4", "--degree", "8", "--no-count"), ""),
        R("cost", "odd-target-widest-longest", ("dynamics", "odd-target", "--d", "500", "--width", "6000", "--steps",
                                                "1000000"), "MAX_SECONDS"),
        R("cost", "reduced-9-blocks", ("landscape", "reduced", "--shape", "k-8," + ",".join(["1"] * 8)), "blocks"),
        # -- sweeps
        R("sweeps", "scheduler-bogus", ("laws", "sweep", "relu:2,2", "--out", "{here}/o", "--scheduler",
                                        "bogus://127.0.0.1:8786"), "unknown protocol"),
        R("sweeps", "scheduler-no-port", ("laws", "sweep", "relu:2,2", "--out", "{here}/o", "--scheduler", "127.0.0.1"),
          "has no port"),
        R("sweeps", "workers-zero", ("laws", "sweep", "relu:2,2", "--out", "{here}/o", "--workers", "0"), "--workers"),
        R("sweeps", "spec-folder-named-json", ("laws", "sweep", "{here}/d.json", "--out", "{here}/o"), "is a folder",
          make={"d.json/": ""}),
        R("sweeps", "inline-5000-digit-dims", ("laws", "sweep", "relu:" + "9" * 5000 + ",2;linear:2,2", "--out",
                                               "{here}/o"), "model"),
        R("sweeps", "spec-without-suffix-or-slash", ("laws", "sweep", "myspec", "--out", "{here}/o"),
          "neither a file nor a list", make={"myspec": '{"models": ["relu:2,2,1"]}'}),
        R("sweeps", "spec-dev-zero", ("laws", "sweep", "/dev/zero", "--out", "{here}/o"), "not a regular file"),
        # -- terminal safety: control characters escaped, long echoes cut
        R("terminal safety", "control-characters-in-model-file-name",
          ("laws", "count", "{here}/evil" + CC + "\x07\x08.json"), "no such model file"),
        R("terminal safety", "control-characters-in-an-existing-file-name",
          ("laws", "count", "{here}/bad" + CC + ".json"), "malformed", make={"bad" + CC + ".json": "{"}),
        R("terminal safety", "law-100000-parentheses", ("laws", "verify", "linear:2,2", "--law", "(" * 100_000), ""),
        R("terminal safety", "escape-in-spec", ("laws", "count", "relu:2,3,2" + CC), "dims"),
        R("terminal safety", "escape-in-isotropy", ("landscape", "critical", "--k", "4", "--isotropy", CC), "isotropy"),
        R("terminal safety", "escape-in-arc-types-k", ("landscape", "arc-types", "--k", "6.." + CC), "k"),
        R("numbers", "arc-types-k-superscript", ("landscape", "arc-types", "--k", "\u00b2..7"), "k"),
        R("terminal safety", "bell-in-block-expression", ("cogo", "potentials", "nu\x07xi"), "x07"),
        R("terminal safety", "escape-in-sweep-spec", ("laws", "sweep", CC + "relu:2,2", "--out", "{here}/o"), "model"),
        R("terminal safety", "escape-in-reflections", ("dynamics", "symmetry", "--group", "reflections:" + CC), ""),
        R("terminal safety", "200-kb-flow-name", (*MODEL, "--flow", "x" * 200_000), "flow"),
        R("terminal safety", "newlines-in-law", ("laws", "verify", "linear:2,2", "--law", "U1_1_1\n\nimport os"), ""),
        # -- must succeed: borderline inputs that are fine
        R("must succeed", "flat-5000-term-sum", ("laws", "verify", "linear:1,1,1", "--law", FLAT_SUM, "--no-numeric"),
          code=0),
        R("must succeed", "check-F6-d-1001", ("cogo", "check", "F6", "--d", "1001", "--json"), code=0),
        R("must succeed", "spec-wins-over-a-file-of-its-name", ("laws", "count", "relu:2,3,2", "--json"), code=0,
          make={"relu:2,3,2": "{not json"}),
        R("must succeed", "json-bias-true", ("laws", "count", "{here}/m.json", "--json"), code=0,
          make={"m.json": '{"model": "relu:2,3,2", "bias": true}'}),
        R("must succeed", "potentials-at-the-node-limit", ("cogo", "potentials", "*".join(["nu_i"] * 12), "--json"),
          code=0),
        R("must succeed", "model-file-with-params", ("laws", "count", "{here}/m.json", "--json"), code=0,
          make={"m.json": json.dumps({"phi": ["a*b"], "params": ["a", "b"]})}),
        R("must succeed", "latex-dash", (*MODEL, "--latex", "-"), code=0),
    ]


ROWS = _area_rows() + _own_rows()

#: the examples of the issue, each with the id of its row
ISSUE_EXAMPLES = {
    "superscript digits (laws)": "laws/superscript digit",
    "superscript digits (isotropy)": "groups/superscript-digit",
    "linear:--2,3": "laws/double minus",
    "5000-digit dims": "laws/5000-digit size",
    "negative --seed": "seed-negative-laws",
    "--tau 1e-1000000": "tau-1e-1000000",
    "--tau 1e100000000": "tau-1e100000000",
    "deep nesting in JSON": "laws/deep json",
    "deep nesting in TOML": "laws/deep toml",
    "deep nesting in an expression": "laws/deep brackets",
    "4000-digit constants": "laws/4000-digit constant",
    "1e1000000000": "laws/huge exponent literal",
    "towers (((9**64)**64)**64)": "laws/tower",
    "a model file naming itself": "laws/self reference",
    "/dev/zero as a model file": "laws/dev zero",
    "duplicate JSON keys": "laws/duplicate keys",
    "residual:3,4,0": "laws/residual m = 0",
    '"bias": "false"': "json-bias-string-false",
    "cogo proof --width -1": "cogo/proof-negative-width",
    "--checkpoint-every -3": "cogo/train-negative-checkpoints",
    "reflections with a zero normal": "groups/zero-normal",
    "sweep models as a string": "sweep/models-string",
    "a sweep whose every task fails": "all-failed-sweep",
    "a file named like a model spec in the cwd": "spec-wins-over-a-file-of-its-name",
    "a file named like a sweep list in the cwd": "sweep-spec-named-file-in-cwd",
    "--latex to a missing folder": "latex-missing-folder",
    "--out is a file": "report-out-file",
    "--out in a read-only place": "train-out-read-only",
    # issue 10's example linear:60,60,60,60 (D = 10,800) now counts in well under a minute (issue 13); the row
    # refuses linear:141,141 (D = 19,881, a full-rank square frame) instead
    "laws count linear:60,60,60,60": "laws/count frame too large",
    "block products of 20 factors": "potentials-20-factors",
    "dynamics odd-target --steps 1000000000": "groups/odd-target-steps-1e9",
    "landscape reduced with 40 blocks": "groups/shape-40-blocks",
    "control characters in a model file's name": "control-characters-in-model-file-name",
    "a 10^5-parenthesis input cut to a short line": "law-100000-parentheses",
    "a flat 5000-term sum is accepted": "flat-5000-term-sum",
    "cogo check F6 --d 1001 succeeds": "check-F6-d-1001",
}


def _prepare(row: Row, here: Path, dir_: Path, tmp_: str) -> list[str]:
    for name, content in row.make.items():
        if name == FAILED_CSV:  # a finished sweep whose every task failed: a rerun resumes it and runs nothing
            out = here / "out"
            out.mkdir()
            with open(out / "results.csv", "w", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=COLUMNS)
                writer.writeheader()
                for task in load_spec(content):
                    writer.writerow(dict.fromkeys(COLUMNS, "") | {"key": task.key, "model": task.model,
                                                                  "flow": task.flow, "tau": task.tau, "seconds": 0.1,
                                                                  "error": "out of time"})
        elif name.endswith("/"):
            (here / name).mkdir()
        else:
            (here / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    spec = _SWEEP._write_spec(here, row.spec) if row.spec is not None else ""
    return [a.replace("{dir}", str(dir_)).replace("{tmp}", tmp_).replace("{here}", str(here)).replace("{spec}", spec)
            for a in row.argv]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_every_input_ends_as_the_boundary_promises(row, run_cli, files, tmp, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    argv = _prepare(row, here, files, tmp)
    start = time.perf_counter()
    code, out, err = run_cli(argv)
    seconds = time.perf_counter() - start
    assert "Traceback" not in err and "Traceback" not in out, err[-500:]
    assert seconds < SECONDS, f"{row.id}: {seconds:.1f} s"
    if row.code == 0:
        assert code == 0, (row.id, err[-300:])
        assert "error" not in err.lower() and out, (row.id, err[-300:])
        if "--json" in argv:
            json.loads(out)
        return
    lines = err.splitlines()
    assert code == 2, (row.id, code, err[-300:])
    assert len(lines) == 1 and err.endswith("\n"), (row.id, err[-300:])
    line = lines[0]
    assert line.startswith("flowalgebra: error: "), line
    assert line.isprintable() and "\x1b" not in line and len(line) <= LINE_LIMIT, (row.id, len(line))
    assert row.fragment in line, (row.id, row.fragment, line)
    assert out == "", (row.id, out[:200])


def test_the_table_is_large_and_covers_every_kind():
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids)) and len(ROWS) >= 120
    assert {row.kind for row in ROWS} == set(KINDS)
    assert set(_KIND_OF) <= set(ids)
    assert all(ISSUE_EXAMPLES[example] in ids for example in ISSUE_EXAMPLES), \
        sorted(e for e, i in ISSUE_EXAMPLES.items() if i not in ids)
    counts = {kind: sum(row.kind == kind for row in ROWS) for kind in KINDS}
    assert all(count >= 5 for count in counts.values()), counts
