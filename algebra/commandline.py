"""What every ``flowalgebra`` sub-command shares: the parser class, argument types with named limits,
the output flags and :func:`emit`, which prints a :class:`~algebra.present.result.Result`.

Argument types parse ASCII text by hand (``str.isdigit`` would accept superscript digits) and refuse
values outside their limits with one line, which argparse turns into exit status 2.

>>> positive("12"), seed("0")
(12, 0)
>>> positive("0")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: expected a positive integer, got 0
>>> nonneg_real("1e-3")
0.001
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from typing import Callable

from algebra.errors import FlowAlgebraError
from algebra.present.result import Result

__all__ = ["Parser", "close_progress_bars", "integer", "real", "between", "interval", "positive", "nonneg", "seed", "nonneg_real", "output_file", "output_folder",
           "add_output_flags", "check_output_flags", "emit", "MAX_INTEGER_DIGITS", "MAX_SEED", "MESSAGE_LIMIT", "STDOUT", "fail", "one_line"]

#: the path that means standard output (``--latex -``)
STDOUT = "-"

#: an integer argument has at most this many digits (anything longer is a typo or an attack)
MAX_INTEGER_DIGITS = 12
#: an error line is cut to this many characters (user input can be huge)
MESSAGE_LIMIT = 300
#: seeds are non-negative and below 2**63 (numpy's generators take any of them)
MAX_SEED = 2**63 - 1

_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_REAL = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$")


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (``prog: error: message (see --help)``, exit status 2)."""

    def error(self, message: str) -> None:  # pragma: no cover - exercised via CLI tests
        program, _, command = self.prog.partition(" ")  # every error line starts "flowalgebra: error:"
        where = f"{command}: " if command else ""
        self.exit(2, f"{program}: error: {where}{one_line(message)} (see --help)\n")


def integer(low: int | None = None, high: int | None = None, what: str = "an integer") -> Callable[[str], int]:
    """An argparse type: an ASCII integer in ``[low, high]`` (either bound may be None).

    >>> integer(2, 9, "a width")("5")
    5
    """

    def parse(text: str) -> int:
        body = text.strip()
        if not _INTEGER.match(body) or len(body.lstrip("+-")) > MAX_INTEGER_DIGITS:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        value = int(body)
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected {what}, got {value}")
        return value

    parse.__name__ = "integer"
    return parse


def real(low: float | None = None, high: float | None = None, what: str = "a finite number") -> Callable[[str], float]:
    """An argparse type: a finite decimal number in ``[low, high]`` (no nan, no inf, exponent of at most 3 digits).

    >>> real(0, 1, "a probability")("0.25")
    0.25
    """

    def parse(text: str) -> float:
        body = text.strip()
        if not _REAL.match(body):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        value = float(body)
        if not math.isfinite(value) or (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text}")
        return value

    parse.__name__ = "real"
    return parse


def between(low: int, high: int, what: str = "an integer") -> Callable[[str], int]:
    """An argparse type: an integer in ``[low, high]``, the bounds named in its error line.

    >>> between(1, 512, "a width")("2000")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a width between 1 and 512, got 2000
    """
    return integer(low, high, f"{what} between {low} and {high}")


def interval(low: float, high: float, what: str = "a number", ends: str = "[]") -> Callable[[str], float]:
    """An argparse type: a real number in an interval whose ``ends`` are closed (``[``, ``]``) or open
    (``(``, ``)``); the error line names the interval as written.

    >>> rate = interval(0, 1, "a learning rate", "()")
    >>> rate("0.5")
    0.5
    >>> rate("1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a learning rate in (0, 1), got 1
    """
    if len(ends) != 2 or ends[0] not in "[(" or ends[1] not in "])":
        raise ValueError(f"ends are two of [ ( ] ), got {ends!r}")
    lo = float(low) if ends[0] == "[" else math.nextafter(float(low), math.inf)
    hi = float(high) if ends[1] == "]" else math.nextafter(float(high), -math.inf)
    return real(lo, hi, f"{what} in {ends[0]}{low:g}, {high:g}{ends[1]}")


positive = integer(1, None, "a positive integer")
nonneg = integer(0, None, "a non-negative integer")
seed = integer(0, MAX_SEED, f"a seed between 0 and {MAX_SEED}")
nonneg_real = real(0.0, None, "a finite non-negative number")


def _writable_folder(folder: str, text: str) -> None:
    where = "its folder" if folder == os.path.dirname(os.path.abspath(text)) else f"folder {folder!r}"
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: {where} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: {where} is not writable")
    import tempfile  # here, not at start: most command lines write no file

    try:  # access() says yes to root on a read-only or virtual file system (/sys, /proc): try it
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".flowalgebra-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: {where} is not writable "
                                         f"({err.strerror or err})") from None


def output_file(allow_stdout: bool = False) -> Callable[[str], str]:
    """An argparse type: a file the command will write, checked before any work starts (its folder exists
    and is writable; it is not a folder). With ``allow_stdout``, ``-`` means standard output.

    >>> output_file()("/")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: cannot write '/': it is a folder
    """

    def parse(text: str) -> str:
        if allow_stdout and text == STDOUT:
            return text
        if not text or "\0" in text:
            raise argparse.ArgumentTypeError(f"expected a file name, got {text!r}")
        if os.path.isdir(text):
            raise argparse.ArgumentTypeError(f"cannot write {text!r}: it is a folder")
        _writable_folder(os.path.dirname(os.path.abspath(text)), text)
        if os.path.exists(text) and not os.access(text, os.W_OK):
            raise argparse.ArgumentTypeError(f"cannot write {text!r}: the file is read-only")
        return text

    parse.__name__ = "output file"
    return parse


def output_folder(text: str) -> str:
    """An argparse type: a folder the command will create or write into, checked before any work starts.

    >>> output_folder("/proc/version/x")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: cannot write '/proc/version/x': '/proc/version' is a file, not a folder
    """
    if not text or "\0" in text:
        raise argparse.ArgumentTypeError(f"expected a folder name, got {text!r}")
    path = os.path.abspath(text)
    if os.path.exists(path):
        if not os.path.isdir(path):
            raise argparse.ArgumentTypeError(f"cannot write {text!r}: it is a file, not a folder")
        _writable_folder(path, text)
        return text
    parent = os.path.dirname(path)
    while not os.path.exists(parent):  # the folders that makedirs would create
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: {parent!r} is a file, not a folder")
    _writable_folder(parent, text)
    return text


def add_output_flags(parser: argparse.ArgumentParser) -> None:
    """``--json`` and ``--latex PATH`` (``-``: standard output), shared by every result-printing command."""
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--latex", metavar="PATH", type=output_file(allow_stdout=True),
                        help="write a standalone LaTeX document of the derivation (- for standard output)")


def check_output_flags(args: argparse.Namespace) -> None:
    """Refuse flag combinations that cannot both be honoured (before any work starts)."""
    if getattr(args, "latex", None) == STDOUT and getattr(args, "json", False):
        raise FlowAlgebraError("--latex - and --json would both write to standard output: choose one")


def emit(result: Result, args: argparse.Namespace) -> None:
    """Print a result value: JSON (``to_json()``) or its ``summary()``; write its derivation with ``--latex``
    (``--latex -`` prints the document instead of the summary)."""
    if not isinstance(result, Result):  # a programming error, not the user's
        raise TypeError(f"handlers return Result values, got {type(result).__name__}")
    latex = getattr(args, "latex", None)
    if latex:
        from algebra.present.documents import latex_document, write_document  # subprocess, for --latex only

        derivation = result.derivation()
        if latex == STDOUT:
            sys.stdout.write(latex_document([derivation], title=derivation.title))
            return
        write_document(latex, [derivation], title=derivation.title)
    if getattr(args, "json", False):
        print(json.dumps(result.to_json(), indent=None, sort_keys=False))
    else:
        print(result.summary())


def fail(message: str) -> FlowAlgebraError:
    """The error a handler raises for a user's mistake (one line, exit status 2)."""
    return FlowAlgebraError(message)


def close_progress_bars() -> bool:
    """Close the tqdm bars still open (an interrupt leaves them half drawn) and say whether there were any,
    so that the next line on stderr starts at the left margin.

    >>> close_progress_bars()
    False
    """
    from tqdm import tqdm  # not a project module: loaded only on an interrupt

    bars = list(getattr(tqdm, "_instances", ()))
    for bar in bars:
        bar.close()
    return bool(bars)


def one_line(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message as one printable line: control characters escaped, at most ``limit`` characters.

    >>> one_line("bad name 'a\\x1b[31mb'\\nsecond line")
    "bad name 'a\\\\x1b[31mb' second line"
    >>> len(one_line("(" * 10**5))
    300
    """
    text = " ".join(message.split("\n"))
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    if len(text) > limit:
        suffix = f" ... (cut: {len(text)} characters in all)"
        text = text[: limit - len(suffix)] + suffix
    return text
