"""The largest input each command accepts, and what it costs: wall time and peak memory of one run.

For every command a family of inputs grows with one size ``n`` (the rest fixed). The largest accepted ``n`` is
found by asking the CLI itself: a refusal of the cost estimate comes before any work, so a run that has not
exited with status 2 within a few seconds (four times the time of a plain refusal, at least 15 s; if the run
of the size found is refused after all, the search is repeated below it with twice the patience) was accepted. The largest
accepted size is then run once in a subprocess, its wall time and peak resident memory taken from
``os.wait4`` (the child's own ``ru_maxrss``), and the refusal line of the next size is shown as the limit that
stops it. A run over :data:`RUN_SECONDS` is stopped and marked so (its memory up to then is still shown); one
over :data:`BUG_BYTES` of memory is stopped and reported as a bug (nothing accepted may allocate 4 GB).

Run ``python benchmarks/boundary_sizes.py [NAME ...]`` (names as in the first column); it takes about 20 min.
The machine's other load is printed first: the times are as measured, not corrected for it.

>>> _fmt_mb(3 * 2**20)
'3'
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Callable

__all__ = ["Case", "CASES", "largest_accepted", "measure", "main", "RUN_SECONDS", "BUG_BYTES"]

#: a run of the largest accepted size is stopped after this many seconds
RUN_SECONDS = 180
#: a run that grows past this much resident memory is stopped: accepting it is a bug
BUG_BYTES = 4 * 2**30
#: the CLI, from the same environment as this interpreter
FLOWALGEBRA = os.path.join(os.path.dirname(sys.executable), "flowalgebra")

TMP = tempfile.mkdtemp(prefix="boundary_sizes_")


@dataclass(frozen=True)
class Case:
    """One command and its growing family of inputs: ``argv(n)`` for ``lo <= n <= hi``; ``note`` says what
    ``n`` is."""

    name: str
    argv: Callable[[int], list[str]]
    lo: int
    hi: int
    note: str


def _flat_law(n: int) -> list[str]:
    return ["laws", "verify", "linear:1,1,1", "--law", " + ".join(["u1_1"] * n) + f" - {n}*u1_1", "--no-numeric"]


def _sweep(n: int) -> list[str]:
    return ["laws", "sweep", ";".join(f"relu:2,{w},1" for w in range(1, n + 1)), "--out", f"{TMP}/sweep{n}",
            "--workers", "2"]


CASES = [
    Case("laws count", lambda n: ["laws", "count", f"linear:{n},{n},{n}"], 2, 400, "linear:n,n,n"),
    Case("laws poly", lambda n: ["laws", "poly", "relu:2,3,2", "--degree", str(n)], 1, 8, "relu:2,3,2 --degree n"),
    Case("laws poly (width)", lambda n: ["laws", "poly", f"linear:{n},{n},{n}", "--degree", "2", "--no-count"], 2, 200,
         "linear:n,n,n --degree 2 --no-count"),
    Case("laws verify", _flat_law, 1, 18_000, "a flat sum of n terms (an argument has at most 128 KiB)"),
    Case("laws sweep (small)", _sweep, 12, 12, "n models relu:2,w,1 (MAX_TASKS = 100000 tasks is accepted)"),
    Case("cogo check", lambda n: ["cogo", "check", "F6", "--d", str(2 * n + 1)], 1, 1500, "F6 --d 2n+1"),
    Case("cogo potentials", lambda n: ["cogo", "potentials", "*".join(["nu_i"] * n)], 1, 30, "n factors nu_i"),
    Case("cogo proof", lambda n: ["cogo", "proof", "--d", "3", "--width", str(n)], 1, 10, "--d 3 --width n"),
    Case("cogo train", lambda n: ["cogo", "train", "--d", "400", "--width", str(n), "--epochs", "3",
                                  "--checkpoint-every", "0", "--out", f"{TMP}/train{n}.npz", "--quiet"], 1, 2000,
         "--d 400 --width n --epochs 3"),
    Case("landscape critical", lambda n: ["landscape", "critical", "--k", str(n), "--isotropy", f"{n - 1},1"], 3, 60,
         "--k n --isotropy n-1,1"),
    Case("landscape hessian", lambda n: ["landscape", "hessian", "--k", str(n)], 2, 60, "--k n (at W = I)"),
    Case("landscape reduced", lambda n: ["landscape", "reduced", "--shape", ",".join([f"k-{n - 1}"] + ["1"] * (n - 1))],
         1, 40, "--shape with n blocks"),
    Case("landscape fixdim", lambda n: ["landscape", "fixdim", "--k", str(n), "--isotropy", f"{n - 2},1,1"], 3, 60,
         "--k n --isotropy n-2,1,1"),
    Case("dynamics odd-target", lambda n: ["dynamics", "odd-target", "--d", "100", "--width", "2000", "--steps", str(n)],
         1, 1_000_000, "--d 100 --width 2000 --steps n"),
    Case("dynamics symmetry", lambda n: ["dynamics", "symmetry", "--d", "8", "--group", "sign-flips",
                                         "--particles", str(n)], 1, 100, "--d 8 sign-flips --particles n"),
    Case("dynamics converge", lambda n: ["dynamics", "converge", "--d", "10", "--teachers", "1", "--students", str(n)],
         1, 2000, "--d 10 --teachers 1 --students n"),
]


def _fmt_mb(nbytes: float) -> str:
    return f"{nbytes / 2**20:.0f}"


@dataclass
class Run:
    code: int | None          # None: stopped (time or memory)
    seconds: float
    peak_bytes: int
    err: str
    why_stopped: str = ""


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(argv: list[str], limit: float = RUN_SECONDS, accept_after: float | None = None) -> Run:
    """Run ``flowalgebra argv`` once; stop it after ``limit`` s or past :data:`BUG_BYTES` of memory, or (a probe)
    as soon as it has run ``accept_after`` s without exiting. Peak memory is the child's ``ru_maxrss``."""
    err_file = tempfile.TemporaryFile(mode="w+")
    start = time.perf_counter()
    proc = subprocess.Popen([FLOWALGEBRA] + argv, stdout=subprocess.DEVNULL, stderr=err_file, start_new_session=True)
    why = ""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        elapsed = time.perf_counter() - start
        if accept_after is not None and elapsed > accept_after:
            why = "probe"
        elif elapsed > limit:
            why = f"stopped after {limit} s"
        elif _rss_bytes(proc.pid) > BUG_BYTES:
            why = "BUG: over 4 GB"
        if why:
            os.killpg(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    proc.returncode = 0  # reaped by wait4
    seconds = time.perf_counter() - start
    err_file.seek(0)
    err = err_file.read()
    code = os.waitstatus_to_exitcode(status) if not why else None
    return Run(code, seconds, usage.ru_maxrss * 1024, err, why)


def largest_accepted(case: Case, patience: float) -> tuple[int | None, str]:
    """The largest ``n`` in ``[case.lo, case.hi]`` not refused (by bisection, assuming refusal is monotone), and
    the refusal line of ``n + 1`` (empty if ``n`` is ``hi``)."""
    def refused(n: int) -> tuple[bool, str]:
        run = measure(case.argv(n), accept_after=patience)
        return run.code == 2, run.err.strip().splitlines()[-1] if run.code == 2 and run.err.strip() else ""

    bad, line = refused(case.lo)
    if bad:
        return None, line
    ok, stop_line = case.lo, ""
    top_bad, top_line = refused(case.hi)
    if not top_bad:
        return case.hi, ""
    hi, stop_line = case.hi, top_line
    while hi - ok > 1:
        mid = (ok + hi) // 2
        bad, line = refused(mid)
        if bad:
            hi, stop_line = mid, line
        else:
            ok = mid
    return ok, (stop_line if hi == ok + 1 else refused(ok + 1)[1])


def main(names: list[str]) -> int:
    base = measure(["laws", "count", "linear:0,1"])
    patience = max(15.0, 4 * base.seconds)
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[:3]
    print(f"# {os.cpu_count()} cores, load average {' '.join(load)}; a refusal takes {base.seconds:.1f} s, so a probe"
          f" still running after {patience:.0f} s counts as accepted; runs stopped after {RUN_SECONDS} s", flush=True)
    print("| command | largest accepted input | seconds | peak MB | exit | what stops the next size |")
    print("|---|---|---|---|---|---|", flush=True)
    for case in CASES:
        if names and case.name not in names:
            continue
        wait, hi = patience, case.hi
        while True:  # under load a refusal can outlast the probe: then search below it with more patience
            n, stop = largest_accepted(Case(case.name, case.argv, case.lo, hi, case.note), wait)
            if n is None:
                break
            run = measure(case.argv(n))
            if run.code != 2 or n == case.lo:
                break
            stop, hi, wait = run.err.strip().splitlines()[-1], n - 1, 2 * wait
        if n is None:
            print(f"| {case.name} | none ({case.note}, n = {case.lo}) | | | | {stop[:160]} |", flush=True)
            continue
        shown = " ".join(case.argv(n))
        shown = shown if len(shown) <= 90 else shown[:60] + f"... ({case.note}, n = {n})"
        exit_text = run.why_stopped or str(run.code)
        if run.code not in (0, None):
            exit_text += ": " + run.err.strip().splitlines()[-1][:80] if run.err.strip() else ""
        print(f"| {case.name} | {shown} | {run.seconds:.1f} | {_fmt_mb(run.peak_bytes)} | {exit_text} | "
              f"{stop[:200] or 'top of the probed range'} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
