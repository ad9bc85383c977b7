"""The ``flowalgebra`` command: a thin shell over the library.

The parser is built from the areas' own ``register(subparsers)`` functions, imported here by name
(:mod:`laws.cli`, :mod:`groups.cli`, :mod:`algebra.cogo.cli`, :mod:`algebra.app.report`); a handler
returns a :class:`~algebra.present.result.Result` and :func:`~algebra.commandline.emit` prints it.
A user's mistake (:class:`~algebra.errors.FlowAlgebraError`) is one line on stderr and exit status 2,
an interrupt one line and 130; a closed pipe on standard output (``| head``) ends quietly; a bug of
ours is one line with a hint and exit status 1. Error lines are printable and short (:func:`~algebra.commandline.one_line`).

>>> main(["laws", "count", "linear:0,2"])
2
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Sequence

import groups.cli
import laws.cli
from algebra.app import report
from algebra.cogo import cli as cogo_cli
from algebra.commandline import Parser, check_output_flags, close_progress_bars, emit, one_line
from algebra.errors import FlowAlgebraError

__all__ = ["main", "build_parser", "AREAS", "DEBUG_VARIABLE"]

#: set this environment variable to see the traceback of an internal error
DEBUG_VARIABLE = "FLOWALGEBRA_DEBUG"

#: the areas, in the order ``flowalgebra --help`` lists them
AREAS = (laws.cli, report, groups.cli, cogo_cli)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: one sub-command per area."""
    parser = Parser(prog="flowalgebra", description="Exact algebra of neural-network training.")
    parser.add_argument("--version", action="version", version="flowalgebra 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for area in AREAS:
        area.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``flowalgebra argv``; return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its line
        return int(exc.code or 0)
    try:
        check_output_flags(args)
        result = args.handler(args)
        if result is not None:
            emit(result, args)
        sys.stdout.flush()
    except FlowAlgebraError as err:
        print(f"flowalgebra: error: {one_line(str(err))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # a half-drawn progress bar is closed first: the message is a line of its own
        print("\nflowalgebra: interrupted" if close_progress_bars() else "flowalgebra: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`... --json | head`): not an error, and no traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as err:  # a bug of ours, not the user's mistake: one line, a hint, the details on request
        if os.environ.get(DEBUG_VARIABLE):
            traceback.print_exc()
        print(f"flowalgebra: internal error: {one_line(f'{type(err).__name__}: {err}')} (this is a bug: please "
              f"report it with the command line; set {DEBUG_VARIABLE}=1 for the traceback)", file=sys.stderr)
        return 1
    return 0



if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
