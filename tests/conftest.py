"""Shared fixtures: the CLI run in-process, one independent random generator per test, and child
processes that a test can interrupt.

Every test that needs randomness asks for ``rng``: a generator seeded from the test's own node id, so
no two tests share a stream and a test's draws do not depend on which tests ran before it.
"""
from __future__ import annotations

import signal
import zlib

import numpy as np
import pytest

from algebra.app.main import main


@pytest.fixture
def run_cli(capsys):
    """``run_cli(argv) -> (exit code, stdout, stderr)`` of ``flowalgebra argv``, in-process."""

    def run(argv):
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def rng(request) -> np.random.Generator:
    """A generator of this test's own, seeded from its node id (stable across runs and orderings)."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


@pytest.fixture
def interruptible():
    """A ``preexec_fn`` for a child process that the test interrupts with SIGINT: it puts SIGINT back to its
    default action. A shell runs background jobs (``cmd &``, some CI runners) with SIGINT ignored, and
    Python keeps an ignored SIGINT ignored, so without this the child would never see the Ctrl-C."""

    def reset() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    return reset
