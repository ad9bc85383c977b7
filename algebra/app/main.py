"""The ``flowalgebra`` command: a thin shell over the library.

The parser is built from the areas' own ``register(subparsers)`` functions, named here (:data:`AREAS`:
:mod:`laws.cli`, :mod:`groups.cli`, :mod:`algebra.cogo.cli`, :mod:`algebra.app.report`); a handler
returns a :class:`~algebra.present.result.Result` and :func:`~algebra.commandline.emit` prints it.
A command line imports only the area of its command (``flowalgebra laws count ...`` never imports CoGO,
the landscapes or sympy), and ``flowalgebra --help`` none: it lists the commands from the ``add_parser`` calls
of the areas' ``register`` functions, read from their sources (:func:`command_index`).
A user's mistake (:class:`~algebra.errors.FlowAlgebraError`) is one line on stderr and exit status 2,
an interrupt one line and 130; a closed pipe on standard output (``| head``) ends quietly; a bug of
ours is one line with a hint and exit status 1. Error lines are printable and short (:func:`~algebra.commandline.one_line`).

>>> main(["laws", "count", "linear:0,2"])
2
"""
from __future__ import annotations

import argparse
import ast
import functools
import os
import sys
import traceback
from typing import TYPE_CHECKING, Sequence

from algebra.commandline import Parser, check_output_flags, close_progress_bars, emit, one_line
from algebra.errors import FlowAlgebraError
from algebra.lazy import lazy_module, module_source

if TYPE_CHECKING:  # the areas, imported by build_parser when their commands are needed
    import groups.cli
    import laws.cli
    from algebra.app import report
    from algebra.cogo import cli as cogo_cli

__all__ = ["main", "build_parser", "command_index", "AREAS", "DEBUG_VARIABLE"]

#: set this environment variable to see the traceback of an internal error
DEBUG_VARIABLE = "FLOWALGEBRA_DEBUG"

#: the modules of the areas, each with a ``register(subparsers)``, in the order ``flowalgebra --help`` lists them
AREAS = ("laws.cli", "algebra.app.report", "groups.cli", "algebra.cogo.cli")


@functools.cache
def _area_commands(area: str) -> dict[str, str | None]:
    """The top-level commands ``area`` registers and their help, read from the ``add_parser(name, help=...)``
    calls on the first parameter of its ``register`` (the area is not imported); a help that is not a literal
    string is None (that area is then imported to list it)."""
    with open(module_source(area), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    register = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "register")
    sub = register.args.args[0].arg
    commands: dict[str, str | None] = {}
    for node in ast.walk(register):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_parser"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == sub and node.args
                and isinstance(node.args[0], ast.Constant)):
            help_text = next((k.value for k in node.keywords if k.arg == "help"), None)
            literal = isinstance(help_text, ast.Constant) and isinstance(help_text.value, str)
            commands[node.args[0].value] = help_text.value if literal else None
    return commands


def command_index() -> dict[str, tuple[str, str | None]]:
    """Each top-level command, in order: the area module that registers it and its one-line help (None when
    it is not a literal string), read from the areas' sources (:data:`AREAS`; none is imported).

    >>> command_index()["laws"]
    ('laws.cli', 'conservation laws of gradient flows')
    >>> [name for name, (area, _) in command_index().items() if area == "groups.cli"]
    ['landscape', 'dynamics']
    """
    return {name: (area, help_text) for area in AREAS for name, help_text in _area_commands(area).items()}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line: one sub-command per area. With ``argv`` that starts with a command, only the area of
    that command is imported and registered (the areas' sources are read in order until one has it); with other
    ``argv`` (``--help``, an unknown command) no area is imported: each command is listed by name and help
    (:func:`command_index`), enough for the help and for the error. Without ``argv``, every area is registered.

    >>> sorted(build_parser(["laws", "count"])._subparsers._group_actions[0].choices)
    ['laws']
    """
    parser = Parser(prog="flowalgebra", description="Exact algebra of neural-network training.")
    parser.add_argument("--version", action="version", version="flowalgebra 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    if argv is None:
        for area in AREAS:
            lazy_module(area).register(sub)
        return parser
    if argv and not argv[0].startswith("-"):  # a command first: nothing but its area is needed to run it
        area = next((a for a in AREAS if argv[0] in _area_commands(a)), None)
        if area is not None:
            lazy_module(area).register(sub)
            return parser
    index = command_index()
    listed_by_area = {area for area, help_text in index.values() if help_text is None}
    for name, (area, help_text) in index.items():
        if area not in listed_by_area:
            sub.add_parser(name, help=help_text)  # listed only: this command line runs none of them
        elif name == next(n for n, (a, _) in index.items() if a == area):  # the area lists its commands itself
            lazy_module(area).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``flowalgebra argv``; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
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
