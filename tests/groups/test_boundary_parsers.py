"""The parsers and cost checks of groups (issue 10): every text either parses to a value that satisfies the
parser's promise or is refused with a one-line FlowAlgebraError -- never another exception -- and the cost
estimates refuse and show progress as documented."""
from __future__ import annotations

import math
import string

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from algebra.errors import FlowAlgebraError
from groups.landscape.critical_points import search_cost
from groups.landscape.reduced import K_SYMBOL, parse_symbolic_shape
from groups.limits import MAX_BLOCKS, MAX_SECONDS, check_cost, parse_integers, progress
from groups.symmetric.actions import parse_pair, parse_permutation
from groups.symmetric.isotypic import decomposition_cost
from groups.symmetric.orthogonal import check_finite_pairs, parse_normals, reflection_group
from groups.symmetric.young import parse_partition

#: text a user might type into a list argument, with the characters that break naive parsers
LIST_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(list("0123456789,:;/-+ k") + ["²", "٣", "½", "\n", "é"]), max_size=24),
    st.lists(st.integers(-3, 10**14), min_size=1, max_size=6).map(lambda xs: ",".join(map(str, xs))))
EXAMPLES = settings(max_examples=150, deadline=None)


def _one_line(err: FlowAlgebraError) -> None:
    message = str(err)
    assert message and "\n" not in message and len(message) < 400


@EXAMPLES
@given(LIST_TEXT)
def test_parse_integers_is_ascii_integers_or_one_line(text):
    try:
        values = parse_integers(text, "a list")
    except FlowAlgebraError as err:
        _one_line(err)
        return
    tokens = [t.strip() for t in text.split(",")]
    assert all(t.isascii() and t.isdigit() for t in tokens)
    assert values == tuple(int(t) for t in tokens)


@EXAMPLES
@given(LIST_TEXT, st.integers(2, 12))
def test_parse_partition_is_a_composition_of_k_or_one_line(text, k):
    try:
        parts = parse_partition(text, k)
    except FlowAlgebraError as err:
        _one_line(err)
        return
    assert sum(parts) == k and all(isinstance(p, int) and p >= 1 for p in parts)


@EXAMPLES
@given(st.permutations(list(range(5))), st.sampled_from(["", ",", " ", ",,", "²"]), st.integers(0, 5))
def test_parse_permutation_accepts_exactly_permutations(images, junk, where):
    text = ",".join(map(str, images))
    assert parse_permutation(text, 5).array_form == images
    broken = text[:where] + junk + text[where:] if junk else text + ","
    try:
        perm = parse_permutation(broken, 5)
    except FlowAlgebraError as err:
        _one_line(err)
    else:  # a space, or junk that landed next to a comma and left a valid list
        assert sorted(perm.array_form) == list(range(5))


@EXAMPLES
@given(LIST_TEXT, st.integers(2, 5), st.integers(2, 5))
def test_parse_pair_is_a_pair_of_permutations_or_one_line(text, k, d):
    try:
        sigma, tau = parse_pair(text, k, d)
    except FlowAlgebraError as err:
        _one_line(err)
        return
    assert sigma.size == k and tau.size == d


@EXAMPLES
@given(LIST_TEXT, st.integers(1, 4))
def test_parse_normals_are_nonzero_and_pairwise_distinct_reflections_or_one_line(text, d):
    try:
        normals = parse_normals(text, d)
    except FlowAlgebraError as err:
        _one_line(err)
        return
    assert normals and all(n.shape == (d, 1) and any(n) for n in normals)
    for i, n in enumerate(normals):
        for m in normals[i + 1:]:
            assert (n.T * m)[0] ** 2 != (n.T * n)[0] * (m.T * m)[0]


@EXAMPLES
@given(LIST_TEXT)
def test_parse_symbolic_shape_sums_to_k_or_one_line(text):
    try:
        sizes = parse_symbolic_shape(text)
    except FlowAlgebraError as err:
        _one_line(err)
        return
    assert sp.expand(sum(sizes)) == K_SYMBOL and len(sizes) <= MAX_BLOCKS


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(-3, 3), min_size=2, max_size=2), min_size=1, max_size=3))
def test_reflection_groups_are_finite_or_refused_quickly(vectors):
    """Random rational normals in the plane: a finite dihedral group (its order is 2m with m in 1, 2, 3, 4, 6)
    or a one-line refusal; never a closure that runs into the limit."""
    text = ";".join(",".join(map(str, v)) for v in vectors)
    try:
        group = reflection_group(parse_normals(text, 2))
    except FlowAlgebraError as err:
        _one_line(err)
        return
    assert group.order in {2, 4, 6, 8, 12}


def test_niven_pairs():
    check_finite_pairs([sp.Matrix([1, -1, 0]), sp.Matrix([0, 1, -1])])   # 120 degrees: S_3
    with pytest.raises(FlowAlgebraError, match="infinite group"):
        check_finite_pairs([sp.Matrix([1, 0, 0]), sp.Matrix([1, 2, 2])])


def test_cost_checks_refuse_in_one_line_and_decide_the_progress_bar():
    assert check_cost("x", seconds=MAX_SECONDS) is True and check_cost("x", seconds=0.1) is False
    with pytest.raises(FlowAlgebraError, match="MAX_SECONDS"):
        check_cost("x", seconds=MAX_SECONDS * 1.01)
    seconds, each, nbytes = search_cost(60, 5, 60)
    assert 10 < each < 100 and seconds < MAX_SECONDS and nbytes < 2**30
    assert decomposition_cost(40, (40,))[0] < MAX_SECONDS < decomposition_cost(45, (45,))[0]
    assert math.isfinite(decomposition_cost(7, (7,), "projectors")[0])


def test_a_long_run_shows_a_progress_bar_on_stderr(monkeypatch, run_cli):
    import groups.limits as limits

    monkeypatch.setattr(limits, "PROGRESS_SECONDS", 0.0)
    code, out, err = run_cli(["dynamics", "odd-target", "--d", "3", "--width", "10", "--steps", "6"])
    assert code == 0 and "RK4" in err and "%|" in err and "odd target" in out
    assert list(progress(range(3), desc="quiet")) == [0, 1, 2]


def test_no_non_ascii_digit_is_an_integer():
    for ch in ("²", "٣", "߀", "𝟙", "½", "Ⅻ"):
        assert not (ch.isascii() and ch in string.digits)
        with pytest.raises(FlowAlgebraError):
            parse_integers(f"1,{ch}", "a list")


def test_ctrl_c_stops_a_long_run_with_one_line_and_status_130(tmp_path, interruptible):
    """A run long enough for a progress bar, interrupted: exit status 130, ``flowalgebra: interrupted``."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "algebra.app.main", "dynamics", "odd-target", "--d", "20",
                             "--width", "1000", "--steps", "2000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=tmp_path, preexec_fn=interruptible)
    deadline = time.monotonic() + 60
    seen = ""
    while "RK4" not in seen and time.monotonic() < deadline:   # the bar is up: the work has started
        seen += proc.stderr.read(1) or ""
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    lines = (seen + err).replace("\r", "\n").strip().splitlines()
    assert lines[-1].strip() == "flowalgebra: interrupted" and "Traceback" not in err


def test_a_long_silent_step_shows_its_elapsed_time(capsys):
    """One long step inside a library that reports nothing (sympy's Schreier-Sims) shows a ticking line."""
    import time

    from groups.limits import working

    with working("group order", show=True, every=0.01):
        time.sleep(0.1)
    assert "group order: 00:00" in capsys.readouterr().err
