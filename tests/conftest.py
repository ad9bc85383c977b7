"""Shared fixtures: the CLI run in-process, and one independent random generator per test.

Every test that needs randomness asks for ``rng``: a generator seeded from the test's own node id, so
no two tests share a stream and a test's draws do not depend on which tests ran before it.
"""
from __future__ import annotations

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
