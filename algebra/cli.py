"""The ``flowalgebra`` command: a thin shell over the library.

Each area registers its sub-commands from its own ``cli`` module (listed in
:data:`AREA_COMMANDS`); a handler returns a result value, and :func:`emit`
prints it (JSON with ``--json``) and writes a LaTeX document with ``--latex``.
User errors (:class:`~algebra.errors.FlowAlgebraError`) become one line on
stderr and exit status 2.

>>> main(["laws", "count", "linear:0,2"])
2
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any, Sequence

from algebra.errors import FlowAlgebraError

#: modules with a ``register(subparsers)`` function, one per area
AREA_COMMANDS = ["laws.cli", "algebra.report_cli", "groups.cli", "algebra.cogo_cli"]


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors."""

    def error(self, message: str) -> None:  # pragma: no cover - exercised via CLI tests
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="flowalgebra", description="Exact algebra of neural-network training.")
    parser.add_argument("--version", action="version", version="flowalgebra 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in AREA_COMMANDS:
        importlib.import_module(module).register(sub)
    return parser


def add_output_flags(parser: argparse.ArgumentParser) -> None:
    """``--json`` and ``--latex PATH``, shared by every result-printing command."""
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--latex", metavar="PATH", help="write a standalone LaTeX document of the derivation")


def emit(result: Any, args: argparse.Namespace) -> None:
    """Print a result value: JSON (``to_json()``) or text (``str``); write LaTeX if asked."""
    if getattr(args, "latex", None):
        from algebra.derivation import write_document

        if not hasattr(result, "derivation"):
            raise FlowAlgebraError("this command has no derivation to write with --latex")
        derivation = result.derivation()
        write_document(args.latex, [derivation], title=derivation.title)
    if getattr(args, "json", False):
        print(json.dumps(result.to_json(), indent=None, sort_keys=False))
    else:
        print(result.summary() if hasattr(result, "summary") else str(result))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its line
        return int(exc.code or 0)
    try:
        result = args.handler(args)
        if result is not None:
            emit(result, args)
    except FlowAlgebraError as err:
        print(f"flowalgebra: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("flowalgebra: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
