"""``flowalgebra report``: the main job, on defaults that need no input."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="run the curated results of every area and write a report folder")
    p.add_argument("--out", default="report", help="output folder (default: ./report)")
    p.add_argument("--quick", action="store_true", help="smaller instances, for a fast look")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> None:
    from algebra.report import write_report

    written = write_report(args.out, quick=args.quick)
    print("report written:")
    for path in written:
        print(path)
