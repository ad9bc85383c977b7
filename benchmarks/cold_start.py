"""Cold start of the command line (issue 13): the median wall time of a few short commands, each a fresh
process, next to the floor of the machine (a Python that does nothing, and one that imports numpy and
python-flint, which every exact command needs).

Run ``python benchmarks/cold_start.py [--repeat N]``; the load average is printed before and after, since other
work on the machine moves every figure (compare a command with the floors of the same run). To time another tree
of the sources (say an export of an older commit), run it with ``PYTHONPATH=that/tree``: the commands run with
this environment. ``python -X importtime -c "import algebra.app.main"`` shows where a start spends its time.

>>> _median([0.3, 0.1, 0.2])
0.2
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

__all__ = ["COMMANDS", "REFUSED", "FLOORS", "wall_times", "main"]

#: the floor: what any command pays before flowalgebra's own imports
FLOORS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    'python -c "import numpy, flint"': [sys.executable, "-c", "import numpy, flint"],
}

_HERE = os.path.dirname(os.path.abspath(__file__))
_ENTRY = "import sys; from algebra.app.main import main; sys.exit(main())"

#: the commands timed, as typed after ``flowalgebra`` (the help and the bad arguments import no heavy library;
#: cogo check and landscape fixdim import sympy when they run: their labels and matrices are sympy objects)
COMMANDS = [
    "laws count relu:2,3,2 --json",
    "--help",
    "cogo --help",
    "landscape --help",
    "dynamics --help",
    "cogo check F6 --d 1",
    "cogo check F6 --d 23",
    "landscape fixdim --k 4 --isotropy 3,1",
]
#: commands that exit with status 2 on purpose (a bad argument, refused in one line)
REFUSED = {"cogo check F6 --d 1"}


def _median(values: list[float]) -> float:
    return statistics.median(values)


def wall_times(argv: list[str], repeat: int, status: int = 0) -> list[float]:
    """Wall seconds of ``repeat`` runs of ``argv``, each a fresh process (output discarded; an exit status other
    than ``status`` raises)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        # run from this folder: ``python -c`` puts the working directory first on sys.path, before PYTHONPATH
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=_HERE)
        times.append(time.perf_counter() - start)
        if proc.returncode != status:
            raise RuntimeError(f"{' '.join(argv)} exited with {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return times


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (default 5); the median is shown")
    args = parser.parse_args(argv)
    print(f"cold start, median of {args.repeat} fresh processes ({_load()})")
    floors = {}
    for label, command in FLOORS.items():
        floors[label] = _median(wall_times(command, args.repeat))
        print(f"  {floors[label]:6.3f} s  {label}")
    floor = floors['python -c "import numpy, flint"']
    for line in COMMANDS:
        seconds = _median(wall_times([sys.executable, "-c", _ENTRY, *line.split()], args.repeat, 2 if line in REFUSED else 0))
        print(f"  {seconds:6.3f} s  flowalgebra {line}   ({seconds - floor:+.3f} s over numpy + flint)")
    print(f"({_load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
