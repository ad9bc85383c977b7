"""Named limits on the sizes of groups problems, the one parser of integer lists, and the cost check that
heavy work runs before it starts; shared by the library's checks and the command line.

One place for each limit: the library functions refuse values outside them with a one-line
:class:`~algebra.errors.FlowAlgebraError`, and :mod:`groups.cli` builds its argument types from the
same numbers. This module imports nothing heavy, so the command line can use it at start-up.

- :func:`parse_integers` reads every comma-separated list of integers a user types (isotropy types,
  permutations, block sizes): ASCII digits only (``str.isdigit`` would accept ``'²'``), no empty entry,
  at most :data:`~algebra.commandline.MAX_INTEGER_DIGITS` digits, at most :data:`MAX_LIST_TEXT` characters.
- :func:`check_cost` refuses work whose estimated time or memory is over :data:`MAX_SECONDS` or
  :data:`MAX_BYTES`, in one line naming the estimate and the limit; :func:`progress` shows a tqdm bar on
  stderr for accepted work estimated over :data:`PROGRESS_SECONDS` (Ctrl-C interrupts it: exit status 130).

>>> check_k(7)
7
>>> check_k(1)
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: k must be between 2 and 60, got 1
>>> check_k(3.0, "d")
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: d must be an integer, got 3.0
>>> parse_integers("6, 1", "isotropy", "positive integers")
(6, 1)
>>> parse_integers("6,1,", "isotropy", "positive integers")
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: isotropy must be comma-separated positive integers, got '6,1,' (entry 3 is empty)
>>> check_cost("a run", seconds=1e4)
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: a run: estimated 2.78 h, over the limit of 10 min (MAX_SECONDS)
"""
from __future__ import annotations

import numbers
import re
import sys
import threading
from contextlib import contextmanager
from typing import Iterable

from algebra.commandline import MAX_INTEGER_DIGITS
from algebra.errors import FlowAlgebraError

__all__ = ["check_k", "MIN_K", "MAX_K", "MAX_BLOCK_K", "MAX_STARTS", "MAX_FORMULA_D", "MAX_RADIUS", "MAX_DYNAMICS_D",
           "MAX_SYMMETRY_D", "MAX_STUDENTS", "MAX_STUDENT_COUNTS", "MAX_START_LOSSES", "MAX_CONVERGE_SEEDS", "MAX_START_LOSS",
           "MAX_WIDTH", "MAX_STEPS", "MAX_NOISE", "MAX_TIME", "MAX_PARTICLES",
           "MAX_LR", "MAX_QUADRATURE_NODES", "MAX_BLOCKS", "MAX_GENERATORS", "MAX_NORMALS", "GROUP_LIMIT", "MAX_LIST_TEXT", "MAX_FLOW_PARTICLES",
           "MAX_SECONDS", "MAX_BYTES", "PROGRESS_SECONDS", "EIGH_SECONDS", "shorten",
           "parse_integers", "check_cost", "progress", "working", "eigh_cost", "format_seconds", "format_bytes",
           "BLAS_THREADS", "single_blas"]

#: fewest neurons of a landscape problem (k = d)
MIN_K = 2
#: most neurons (and input dimensions) of a landscape problem whose work is dense in the k d entries (fixdim, the
#: tangency arcs): the Hessian has (k d)^2 entries
MAX_K = 60
#: most neurons of ``landscape critical`` and ``landscape hessian``: at Delta S_k and Delta(S_(k-1) x S_1) points
#: the reduced loss costs the same at every k and the spectrum comes from the isotypic blocks (k = 1000 in
#: about a minute); other isotropies, generators and the full method are refused by their cost estimates
MAX_BLOCK_K = 1000
#: most random starts of a critical-point search
MAX_STARTS = 100_000
#: largest input dimension for the symbolic check of the closed forms (sympy.diff of the kernel)
MAX_FORMULA_D = 6
#: largest radius of a tangency arc
MAX_RADIUS = 100.0
#: largest input dimension of the dynamics runs (local convergence, odd target)
MAX_DYNAMICS_D = 500
#: largest input dimension of the symmetry check (a reflection group of order up to 2^d d!)
MAX_SYMMETRY_D = 8
#: most students in the local-convergence run
MAX_STUDENTS = 2000
#: most student counts n compared in one local-rates run (``--students 3,6,12``)
MAX_STUDENT_COUNTS = 8
#: most starting losses of one threshold experiment (``--start-loss``), and most seeds for each
MAX_START_LOSSES = 12
MAX_CONVERGE_SEEDS = 64
#: largest loss a start, a fit threshold or a convergence tolerance may name
MAX_START_LOSS = 1e4
#: most particles of a mean-field simulation: every step holds several (particles x particles) arrays
MAX_FLOW_PARTICLES = 6000
#: largest width of the odd-target simulation (its particles)
MAX_WIDTH = MAX_FLOW_PARTICLES
#: most gradient-descent or RK4 steps
MAX_STEPS = 1_000_000
#: largest initial perturbation of the students
MAX_NOISE = 10.0
#: longest integration time of the mean-field flow
MAX_TIME = 1000.0
#: most base particles of the symmetry check (each is replicated over the group)
MAX_PARTICLES = 50
#: most Gauss-Jacobi nodes of the average over the orthogonal sphere (low-dimensional targets)
MAX_QUADRATURE_NODES = 64
#: largest gradient-descent step size (the default, 1/lambda_max of the initial Hessian, is far below)
MAX_LR = 1000.0
#: most blocks of a Young type whose exact reduced loss is built (sympy; its size grows like blocks^3)
MAX_BLOCKS = 8
#: most generators of a subgroup of S_k x S_d (--gen)
MAX_GENERATORS = 64
#: most reflection normals of a reflection group
MAX_NORMALS = 16
#: most elements of a finite orthogonal group that is enumerated (exact matrices)
GROUP_LIMIT = 5000
#: most characters of one comma-separated argument
MAX_LIST_TEXT = 2000
#: heavy work estimated to take longer than this (seconds) is refused before it starts
MAX_SECONDS = 600.0
#: heavy work estimated to need more memory than this (bytes) is refused before it starts
MAX_BYTES = 3 * 2**30
#: accepted work estimated to take longer than this (seconds) shows a progress bar on stderr
PROGRESS_SECONDS = 5.0

#: seconds per n^3 of a dense symmetric eigendecomposition (numpy eigh / eigvalsh), measured with one BLAS
#: thread (the cost estimates below are calibrated on a 2-core machine, single-threaded BLAS)
EIGH_SECONDS = 5e-10

_ASCII_INTEGER = re.compile(r"[0-9]+")
_ASCII_SIGNED = re.compile(r"[+-]?[0-9]+")


def check_k(k: object, name: str = "k", low: int = MIN_K, high: int = MAX_K) -> int:
    """``k`` as an int in ``[low, high]``, or a one-line :class:`FlowAlgebraError` naming it ``name``."""
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise FlowAlgebraError(f"{name} must be an integer, got {shorten(repr(k))}")
    if not low <= int(k) <= high:
        raise FlowAlgebraError(f"{name} must be between {low} and {high}, got {k}")
    return int(k)


def shorten(text: object, limit: int = 60) -> str:
    """``text`` (or its ``str``) cut to ``limit`` characters, for echoing a user's input in a message.

    >>> shorten("1," * 100, 12)
    '1,1,1,1,1...'
    """
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_integers(text: object, what: str, kind: str = "", signed: bool = False) -> tuple[int, ...]:
    """A comma-separated list of ASCII integers (non-negative unless ``signed``), read by hand.

    ``what`` names the argument and ``kind`` its entries in the one-line error (an empty entry, a non-ASCII
    digit, a number of more than ``MAX_INTEGER_DIGITS`` digits, a text of more than ``MAX_LIST_TEXT``
    characters).

    >>> parse_integers("-1,2", "a vector", signed=True)
    (-1, 2)
    >>> parse_integers("1,²", "a permutation")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: a permutation must be comma-separated non-negative integers, got '1,²' (entry 2 is '²')
    """
    if not isinstance(text, str):
        raise FlowAlgebraError(f"{what} must be text, got {shorten(repr(text))}")
    if len(text) > MAX_LIST_TEXT:
        raise FlowAlgebraError(f"{what} is {len(text)} characters long, more than the limit {MAX_LIST_TEXT}")
    kind = kind or ("integers" if signed else "non-negative integers")
    if not text.strip():
        raise FlowAlgebraError(f"{what} must be comma-separated {kind}, got {shorten(text)!r}")
    pattern = _ASCII_SIGNED if signed else _ASCII_INTEGER
    out = []
    for n, token in enumerate(text.split(","), start=1):
        token = token.strip()
        if not token:
            raise FlowAlgebraError(f"{what} must be comma-separated {kind}, got {shorten(text)!r} "
                                   f"(entry {n} is empty)")
        if not pattern.fullmatch(token):
            raise FlowAlgebraError(f"{what} must be comma-separated {kind}, got {shorten(text)!r} "
                                   f"(entry {n} is {shorten(token, 20)!r})")
        if len(token.lstrip("+-")) > MAX_INTEGER_DIGITS:
            raise FlowAlgebraError(f"{what}: entry {n} has {len(token.lstrip('+-'))} digits, more than "
                                   f"{MAX_INTEGER_DIGITS}")
        out.append(int(token))
    return tuple(out)


#: BLAS threads for the numeric backend: the cost estimates are calibrated single-threaded, and on a loaded
#: 2-core machine an OpenBLAS pool of 2 threads was measured 4x (eigh) to 13x (eigvalsh) slower than 1 thread
#: at n = 1800 (load average 6)
BLAS_THREADS = 1


def single_blas(fn):
    """Run ``fn`` with BLAS limited to :data:`BLAS_THREADS` threads (threadpoolctl), so the estimate holds.

    >>> single_blas(lambda: 3)()
    3
    """
    import functools

    @functools.wraps(fn)
    def limited(*args, **kwargs):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=BLAS_THREADS):
            return fn(*args, **kwargs)
    return limited


def eigh_cost(n: int) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of diagonalising a dense symmetric ``n x n`` matrix (eigenvectors
    included).

    >>> eigh_cost(3600)[1] > 1e8
    True
    """
    return EIGH_SECONDS * float(n) ** 3, 24.0 * float(n) ** 2


def format_seconds(seconds: float) -> str:
    """``4200 -> '1.17 h'``: a duration for messages."""
    if seconds < 60:
        return f"{seconds:.3g} s"
    if seconds < 3600:
        return f"{seconds / 60:.3g} min"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.3g} h"
    return f"{seconds / 86400:.3g} days"


def format_bytes(nbytes: float) -> str:
    """``3 * 2**30 -> '3.22 GB'``: a size for messages (decimal units)."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if nbytes >= size:
            return f"{nbytes / size:.3g} {unit}"
    return f"{nbytes / 1e3:.3g} kB"


def check_cost(what: str, seconds: float = 0.0, nbytes: float = 0.0, hint: str = "") -> bool:
    """Refuse ``what`` in one line if its estimated time or memory is over :data:`MAX_SECONDS` or
    :data:`MAX_BYTES`; otherwise say whether it deserves a progress bar (estimate over
    :data:`PROGRESS_SECONDS`). ``hint`` says what to lower.

    >>> check_cost("a run", seconds=1.0)
    False
    >>> check_cost("a run", nbytes=1e10, hint="lower --width")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: a run: estimated memory 10 GB, over the limit of 3.22 GB (MAX_BYTES); lower --width
    """
    tail = f"; {hint}" if hint else ""
    if nbytes > MAX_BYTES:
        raise FlowAlgebraError(f"{what}: estimated memory {format_bytes(nbytes)}, over the limit of "
                               f"{format_bytes(MAX_BYTES)} (MAX_BYTES){tail}")
    if seconds > MAX_SECONDS:
        raise FlowAlgebraError(f"{what}: estimated {format_seconds(seconds)}, over the limit of "
                               f"{format_seconds(MAX_SECONDS)} (MAX_SECONDS){tail}")
    return seconds > PROGRESS_SECONDS


@contextmanager
def working(desc: str, show: bool = False, every: float = 0.5):
    """A progress line on stderr for one long step that reports nothing itself (``show``): the description and
    the elapsed time, refreshed every ``every`` seconds by a daemon thread, removed at the end.

    >>> with working("quiet"):
    ...     pass
    """
    from tqdm import tqdm  # not a project module: loaded when a bar is needed

    bar = tqdm(total=None, desc=desc, disable=not show, file=sys.stderr, leave=False, bar_format="{desc}: {elapsed}",
               dynamic_ncols=True)
    done = threading.Event()

    def tick() -> None:
        while not done.wait(every):
            bar.refresh()

    thread = threading.Thread(target=tick, daemon=True)
    if show:
        thread.start()
    try:
        yield bar
    finally:
        done.set()
        if show:
            thread.join()
        bar.close()


def progress(iterable: Iterable | None = None, total: int | None = None, desc: str = "", show: bool = False,
             unit: str = "it"):
    """A tqdm progress bar on stderr (``show``), or the plain iterable wrapped silently; the bar is
    removed when it finishes. Ctrl-C raises KeyboardInterrupt through it as usual.

    >>> sum(progress(range(4), desc="sum"))
    6
    """
    from tqdm import tqdm  # not a project module: loaded when a bar is needed

    return tqdm(iterable, total=total, desc=desc, disable=not show, file=sys.stderr, leave=False,
                mininterval=0.5, unit=unit, dynamic_ncols=True)
