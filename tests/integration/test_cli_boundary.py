"""The shared boundary of every command: argument types with limits, output paths checked before the
work starts, ``--latex -``, and a closed pipe."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from algebra.commandline import MAX_INTEGER_DIGITS, integer, nonneg_real, output_file, output_folder, positive, real, seed

BAD_INTEGERS = ["", " ", "²", "2²", "١٢", "1.5", "1e3", "--2", "+-1", "0x10", "1_000", "nan", "inf", "3,4", "½",
                "9" * (MAX_INTEGER_DIGITS + 1), "-" + "9" * (MAX_INTEGER_DIGITS + 1)]


@pytest.mark.parametrize("text", BAD_INTEGERS)
def test_integer_types_refuse_what_is_not_an_ascii_integer(text):
    for parse in (positive, seed, integer(-5, 5)):
        with pytest.raises(argparse.ArgumentTypeError):
            parse(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=8))
def test_integer_type_accepts_exactly_ascii_integers_in_range(text):
    parse = integer(-50, 50, "a small integer")
    stripped = text.strip()
    ascii_int = stripped != "" and stripped.lstrip("+-").isascii() and stripped.lstrip("+-").isdigit() \
        and stripped.count("+") + stripped.count("-") <= 1 and stripped[0] in "+-0123456789"
    if ascii_int and -50 <= int(stripped) <= 50:
        assert parse(text) == int(stripped)
    else:
        with pytest.raises(argparse.ArgumentTypeError):
            parse(text)


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e1000000", "1e-1000000", "1e400", "", "1/2", "0x1p3", "½",
                                  "-0.5", "1,5"])
def test_nonneg_real_refuses(text):
    with pytest.raises(argparse.ArgumentTypeError):
        nonneg_real(text)


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_real_type_round_trips_and_keeps_its_bounds(x):
    parse = real(-1.0, 1.0, "a number in [-1, 1]")
    text = repr(x)
    if -1.0 <= x <= 1.0:
        assert parse(text) == x
    else:
        with pytest.raises(argparse.ArgumentTypeError):
            parse(text)


def test_output_paths_are_checked_before_the_work(tmp_path):
    with pytest.raises(argparse.ArgumentTypeError, match="does not exist"):
        output_file()(str(tmp_path / "missing" / "out.tex"))
    with pytest.raises(argparse.ArgumentTypeError, match="is a folder"):
        output_file()(str(tmp_path))
    (tmp_path / "f").write_text("x")
    with pytest.raises(argparse.ArgumentTypeError, match="is a file"):
        output_folder(str(tmp_path / "f" / "sub"))
    assert output_folder(str(tmp_path / "new" / "deeper")) == str(tmp_path / "new" / "deeper")
    assert output_file(allow_stdout=True)("-") == "-"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder_is_refused(tmp_path):  # pragma: no cover - CI runs as root
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    with pytest.raises(argparse.ArgumentTypeError, match="not writable"):
        output_file()(str(ro / "x.tex"))


def test_latex_to_a_missing_folder_fails_at_once_with_one_line(run_cli, tmp_path):
    code, out, err = run_cli(["laws", "count", "relu:2,3,2", "--latex", str(tmp_path / "nope" / "x.tex")])
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "does not exist" in err


def test_latex_dash_prints_the_document(run_cli):
    code, out, err = run_cli(["laws", "count", "relu:2,3,2", "--latex", "-"])
    assert code == 0 and err == ""
    assert out.startswith("\\documentclass") and out.rstrip().endswith("\\end{document}")


def test_latex_dash_and_json_together_are_refused(run_cli):
    code, out, err = run_cli(["laws", "count", "relu:2,3,2", "--latex", "-", "--json"])
    assert code == 2 and out == "" and "standard output" in err


def test_a_closed_pipe_ends_quietly():
    """``flowalgebra laws models | head -c 0``: no BrokenPipe traceback, exit status 0."""
    proc = subprocess.Popen([sys.executable, "-m", "algebra.app.main", "laws", "models"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_an_internal_error_is_one_line_with_a_hint_and_exit_1(run_cli, monkeypatch):
    import laws.cli

    def broken(args):
        raise ZeroDivisionError("a bug of ours")

    monkeypatch.setattr(laws.cli, "_count", broken)
    code, out, err = run_cli(["laws", "count", "relu:2,3,2"])
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("flowalgebra: internal error: ZeroDivisionError: a bug of ours")
    assert "report" in err and "FLOWALGEBRA_DEBUG" in err and "Traceback" not in err
    monkeypatch.setenv("FLOWALGEBRA_DEBUG", "1")
    code, _, err = run_cli(["laws", "count", "relu:2,3,2"])
    assert code == 1 and "Traceback" in err  # on request


@pytest.mark.parametrize("message", ["name \x1b[31mred\x1b[0m", "two\nlines\r\n", "(" * 100_000, "\x00\x07bell", "é∂ ok"])
def test_user_error_lines_are_printable_single_and_short(run_cli, monkeypatch, message):
    import laws.cli
    from algebra.errors import FlowAlgebraError

    def refuse(args):
        raise FlowAlgebraError(message)

    monkeypatch.setattr(laws.cli, "_count", refuse)
    code, out, err = run_cli(["laws", "count", "relu:2,3,2"])
    assert code == 2 and out == "" and err.endswith("\n") and err.count("\n") == 1
    line = err[:-1]
    assert line.startswith("flowalgebra: error: ") and line.isprintable() and len(line) <= 330
    assert "\x1b" not in line


def test_argparse_errors_are_cut_and_escaped_too(run_cli):
    code, out, err = run_cli(["laws", "count", "relu:2,3,2", "--mode", "\x1b[2J" + "x" * 5000])
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err and len(err) < 400


def test_an_interrupt_under_a_half_drawn_bar_is_a_line_of_its_own(monkeypatch, capsys):
    """Ctrl-C while a progress bar is on stderr: the bar is closed and the message starts a new line."""
    from tqdm import tqdm

    from algebra.app import main as entry
    from algebra.commandline import Parser

    def interrupted(args):
        bar = tqdm(total=10, desc="RK4", file=sys.stderr, leave=False)
        bar.update(1)
        sys.stderr.write("RK4")  # the bar's line, cut where a signal may cut it
        raise KeyboardInterrupt

    parser = Parser(prog="flowalgebra")
    parser.set_defaults(handler=interrupted, json=False, latex=None)
    monkeypatch.setattr(entry, "build_parser", lambda argv=None: parser)
    assert entry.main([]) == 130
    err = capsys.readouterr().err
    assert err.replace("\r", "\n").strip().splitlines()[-1] == "flowalgebra: interrupted"
    assert not list(getattr(tqdm, "_instances", ()))
