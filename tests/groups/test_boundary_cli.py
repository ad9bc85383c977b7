"""The boundary of ``flowalgebra landscape ...`` and ``flowalgebra dynamics ...`` (issue 10): every kind of
mistake -- a malformed number list, an impossible group, a size whose estimated cost is over the limits --
is exit status 2 and one line on stderr, quickly, before any heavy work."""
from __future__ import annotations

import time

import pytest

from groups.limits import GROUP_LIMIT, MAX_BLOCKS, MAX_FLOW_PARTICLES, MAX_GENERATORS, MAX_LIST_TEXT, MAX_NORMALS

#: every bad input must be refused within this many seconds (the refusals come before the work)
REFUSAL_SECONDS = 10.0

FIX = ["landscape", "fixdim", "--k", "7", "--isotropy"]
GEN3 = ["landscape", "fixdim", "--k", "3", "--gen"]
SHAPE = ["landscape", "reduced", "--shape"]
SYM = ["dynamics", "symmetry", "--steps", "2"]
CONVERGE = ["dynamics", "converge", "--d", "4", "--teachers", "1", "--students", "2", "--steps", "20"]
IDENTITY60 = ",".join(str(i) for i in range(60))

BAD = [
    # isotropy types (parse_partition): non-ASCII digits, empty parts, huge, negative, zero, wrong sum, too many blocks
    pytest.param(["landscape", "critical", "--k", "7", "--isotropy", "²,5"], "entry 1 is '²'", id="superscript-digit"),
    pytest.param(FIX + ["٣,4"], "positive integers", id="arabic-indic-digit"),
    pytest.param(FIX + ["5,2,"], "entry 3 is empty", id="trailing-comma"),
    pytest.param(FIX + [",5,2"], "entry 1 is empty", id="leading-comma"),
    pytest.param(FIX + ["5,,2"], "entry 2 is empty", id="double-comma"),
    pytest.param(FIX + [""], "positive integers", id="empty-isotropy"),
    pytest.param(FIX + ["9" * 30 + ",1"], "digits", id="huge-part"),
    pytest.param(FIX[:-1] + ["--isotropy=-1,8"], "entry 1 is '-1'", id="negative-part"),
    pytest.param(FIX + ["0,7"], "positive", id="zero-part"),
    pytest.param(FIX + ["3,3"], "sum to 6, not k = 7", id="wrong-sum"),
    pytest.param(FIX + ["7.0"], "positive integers", id="decimal-part"),
    pytest.param(FIX + ["1," * (MAX_LIST_TEXT // 2 + 1) + "1"], "characters long", id="huge-text"),
    pytest.param(["landscape", "critical", "--k", "10", "--isotropy", ",".join(["1"] * 10)], f"at most {MAX_BLOCKS}",
                 id="critical-too-many-blocks"),
    pytest.param(["landscape", "hessian", "--k", "9", "--at", ",".join(["1"] * 9)], "MAX_BLOCKS", id="hessian-too-many-blocks"),
    pytest.param(["landscape", "hessian", "--k", "7", "--at", "6,²"], "entry 2", id="hessian-superscript"),
    # generators ROWS:COLS (parse_pair, parse_permutation)
    pytest.param(GEN3 + ["1,0,²"], "entry 3 is '²'", id="gen-superscript"),
    pytest.param(GEN3 + ["1,0,2:"], "nothing after ':'", id="gen-empty-cols"),
    pytest.param(GEN3 + ["1,0,2,:1,0,2"], "entry 4 is empty", id="gen-trailing-comma"),
    pytest.param(GEN3 + ["1,0,2:1,0,2:1,0,2"], "more than one ':'", id="gen-two-colons"),
    pytest.param(GEN3 + ["1,0"], "2 images, not 3", id="gen-short"),
    pytest.param(GEN3 + ["0,1,3"], "out of range", id="gen-out-of-range"),
    pytest.param(GEN3 + ["0,0,1"], "appears twice", id="gen-duplicate"),
    pytest.param(GEN3[:-1] + ["--gen=-1,0,1"], "entry 1 is '-1'", id="gen-negative"),
    pytest.param(GEN3 + ["9" * 20 + ",0,1"], "digits", id="gen-huge"),
    pytest.param(["landscape", "fixdim", "--k", "3", "--d", "4", "--gen", "1,0,2"], "needs k = d", id="gen-rows-alone-k-ne-d"),
    pytest.param(["landscape", "fixdim", "--k", "3"] + ["--gen", "1,0,2"] * (MAX_GENERATORS + 1), "MAX_GENERATORS",
                 id="gen-too-many"),
    pytest.param(["landscape", "critical", "--k", "4", "--gen", "1,0,2,3:0,1,2"], "3 images, not 4", id="critical-gen-cols"),
    # symbolic shapes (parse_symbolic_shape)
    pytest.param(SHAPE + ["k-²,1,1"], "block sizes are", id="shape-superscript"),
    pytest.param(SHAPE + ["k-1,1,"], "block 3 is empty", id="shape-trailing-comma"),
    pytest.param(SHAPE + ["k-1,2"], "add up to k + 1", id="shape-wrong-sum"),
    pytest.param(SHAPE + ["k,k-1,1"], "add up to 2*k", id="shape-two-k"),
    pytest.param(SHAPE + ["k,0"], "block sizes are", id="shape-zero"),
    pytest.param(SHAPE + ["k-1,-1,2"], "block sizes are", id="shape-negative"),
    pytest.param(SHAPE + ["k-9999999999999,9999999999999"], "digits", id="shape-huge"),
    pytest.param(SHAPE + ["k-39," + ",".join(["1"] * 39)], "40 blocks", id="shape-40-blocks"),
    # reflection groups (parse_normals, reflection_group)
    pytest.param(SYM + ["--group", "reflections:0,0,0"], "is zero", id="zero-normal"),
    pytest.param(SYM + ["--group", "reflections:1,²,0"], "rationals", id="normal-superscript"),
    pytest.param(SYM + ["--group", "reflections:1,1/0,0"], "divides by zero", id="normal-zero-denominator"),
    pytest.param(SYM + ["--group", "reflections:1,0,0;"], "vector 2 of", id="normal-trailing-semicolon"),
    pytest.param(SYM + ["--group", "reflections:1,0,0;2,0,0"], "parallel", id="normal-duplicate"),
    pytest.param(SYM + ["--group", "reflections:1,0"], "needs 3 entries", id="normal-short"),
    pytest.param(SYM + ["--group", "reflections:1/" + "9" * 20 + ",0,0"], "digits", id="normal-huge"),
    pytest.param(SYM + ["--d", "2", "--group", "reflections:1,0;3,4"], "infinite group", id="infinite-dihedral"),
    pytest.param(SYM + ["--d", "2", "--group", "reflections:" + ";".join(["1,0"] * (MAX_NORMALS + 1))], "MAX_NORMALS",
                 id="too-many-normals"),
    pytest.param(SYM + ["--d", "6"], f"more than the limit {GROUP_LIMIT}", id="hyperoctahedral-too-large"),
    pytest.param(SYM + ["--d", "8", "--group", "permutations"], "40320 elements", id="permutations-too-large"),
    pytest.param(SYM + ["--d", "5", "--particles", "2"], f"limit {MAX_FLOW_PARTICLES}", id="replicated-particles"),
    pytest.param(SYM + ["--group", "cube"], "unknown group", id="unknown-group"),
    pytest.param(["dynamics", "symmetry", "--d", "2", "--time", "1000", "--steps", "1"], "blew up", id="symmetry-rk4-blows-up"),
    # dynamics: steps, width, time, particles, lr, cost
    pytest.param(["dynamics", "odd-target", "--d", "5", "--width", "40", "--steps", "1000000000"], "--steps: expected",
                 id="odd-target-steps-1e9"),
    pytest.param(["dynamics", "odd-target", "--d", "5", "--width", "20000"], "--width: expected", id="odd-target-width"),
    pytest.param(["dynamics", "odd-target", "--d", "500", "--width", "6000", "--steps", "1000000"], "MAX_SECONDS",
                 id="odd-target-cost"),
    pytest.param(["dynamics", "odd-target", "--d", "2", "--width", "2", "--steps", "2", "--time", "1000"], "blew up",
                 id="odd-target-rk4-blows-up"),
    pytest.param(["dynamics", "odd-target", "--d", "5", "--width", "40", "--time", "-1"], "--time: expected", id="negative-time"),
    pytest.param(["dynamics", "converge", "--d", "500", "--teachers", "1", "--students", "2000"], "MAX_BYTES",
                 id="converge-hessian-memory"),
    pytest.param(["dynamics", "converge", "--d", "100", "--teachers", "1", "--students", "2000", "--lr", "0.1",
                  "--steps", "1000000"], "MAX_SECONDS", id="converge-cost"),
    pytest.param(CONVERGE + ["--lr", "1e300"], "--lr: expected", id="converge-absurd-lr"),
    pytest.param(CONVERGE + ["--lr", "1000"], "diverged", id="converge-diverges"),
    pytest.param(["dynamics", "converge", "--d", "4", "--teachers", "5", "--students", "6"], "teachers must be between 1 and 4",
                 id="teachers-over-d"),
    pytest.param(["dynamics", "converge", "--d", "4", "--teachers", "3", "--students", "2"], "students must be between 3",
                 id="teachers-over-students"),
    # landscapes: cost before heavy work
    pytest.param(["landscape", "critical", "--k", "60", "--isotropy", "60", "--starts", "100000"], "MAX_SECONDS",
                 id="critical-starts-cost"),
    pytest.param(["landscape", "critical", "--k", "60", "--gen", IDENTITY60], "MAX_SECONDS", id="critical-generic-cost"),
    # the full route (the default isotypic blocks take a second here: groups/landscape/isotypic_blocks.py)
    pytest.param(["landscape", "hessian", "--k", "60", "--method", "characters"], "MAX_BYTES", id="hessian-identity-memory"),
    pytest.param(["landscape", "hessian", "--k", "45", "--method", "characters"], "MAX_SECONDS", id="hessian-identity-time"),
    pytest.param(["landscape", "hessian", "--k", "20", "--method", "projectors"], "too large for explicit projectors",
                 id="hessian-projectors"),
    pytest.param(["landscape", "arcs", "--k", "6", "--at", "5,1", "--sub", "3,3"], "not a subgroup", id="arcs-sub-not-refining"),
    pytest.param(["landscape", "arcs", "--k", "6", "--at", "1,5", "--sub", "5,1"], "not a subgroup", id="arcs-sub-shifted"),
    pytest.param(["landscape", "arcs", "--k", "60", "--at", "59,1", "--sub", "59,1", "--radius", "100", "--starts", "100000"],
                 "MAX_SECONDS", id="arcs-cost"),
    pytest.param(["landscape", "arcs", "--k", "9", "--at", "identity", "--sub", ",".join(["1"] * 9)], "MAX_BLOCKS",
                 id="arcs-too-many-blocks"),
    pytest.param(["landscape", "arcs", "--k", "6", "--at", "5,1"], "--sub or every arc type with --all", id="arcs-no-sub"),
    pytest.param(["landscape", "arcs", "--k", "6", "--at", "5,1", "--sub", "4,1,1", "--all"], "(one of them)",
                 id="arcs-sub-and-all"),
    pytest.param(["landscape", "arcs", "--k", "6", "--at", "3,3", "--all"], "one block of size at least 4",
                 id="arcs-all-two-blocks"),
    pytest.param(["landscape", "arcs", "--k", "60", "--at", "59,1", "--all", "--radius", "100"], "MAX_SECONDS",
                 id="arcs-all-cost"),
    pytest.param(["landscape", "arcs", "--k", "6", "--at", "5,1", "--sub", "4,1,1", "--which", "1"], "--which picks",
                 id="arcs-which-without-all"),
    pytest.param(["landscape", "arc-types", "--k", "10..6"], "low <= high", id="arc-types-empty-range"),
    pytest.param(["landscape", "arc-types", "--k", "6..x"], "flowalgebra: error", id="arc-types-not-a-range"),
    pytest.param(["landscape", "arc-types", "--k", "6..61"], "flowalgebra: error", id="arc-types-k-over-limit"),
    pytest.param(["landscape", "arc-types", "--k", "40..60", "--radius", "100"], "MAX_SECONDS", id="arc-types-cost"),
]


@pytest.mark.parametrize("argv, fragment", BAD)
def test_a_mistake_is_one_line_and_exit_status_2(argv, fragment, run_cli):
    start = time.perf_counter()
    code, out, err = run_cli(argv)
    elapsed = time.perf_counter() - start
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("flowalgebra"), err
    assert "Traceback" not in err and fragment in err, err
    assert out == ""
    assert elapsed < REFUSAL_SECONDS, f"refused only after {elapsed:.1f} s"
