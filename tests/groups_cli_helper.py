"""Run ``flowalgebra`` in-process with only the groups commands registered (shared by the groups CLI tests)."""
from __future__ import annotations

import algebra.cli


def run_cli(argv, capsys):
    """``(exit code, stdout, stderr)`` of ``flowalgebra argv``."""
    old = algebra.cli.AREA_COMMANDS
    algebra.cli.AREA_COMMANDS = ["groups.cli"]
    try:
        code = algebra.cli.main(argv)
    finally:
        algebra.cli.AREA_COMMANDS = old
    captured = capsys.readouterr()
    return code, captured.out, captured.err
