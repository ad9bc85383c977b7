"""Named limits of the conservation-law commands that ``flowalgebra laws --help`` states: one place for each
number, used by the library's checks (:mod:`laws.closure`, :mod:`laws.polynomial`, :mod:`laws.verify`,
:mod:`laws.flows.extended`, :mod:`laws.models.specs`, which re-export them) and by :mod:`laws.cli`. This module
imports nothing, so the command line states them at start-up without loading the engines.

>>> MAX_COUNT_WORK, MAX_UNKNOWNS
(65000000000, 400000)
"""
from __future__ import annotations

__all__ = ["MAX_COUNT_WORK", "MAX_FRICTION_PART", "MAX_MODEL_FILE_BYTES", "MAX_UNKNOWNS", "MAX_POLY_WORK",
           "MAX_LAW_TERMS"]

#: refuse a count whose estimated work (:func:`laws.closure.count_work`, in operations of the echelon frame, about
#: 2e8 a second on 2 cores) exceeds this (about five minutes: linear:70,70,70,70,70 and linear:100,100,100, D = 19,600
#: and 20,000, count in about 4 minutes)
MAX_COUNT_WORK = 65 * 10**9
#: the friction tau = p/q has 0 <= p <= this and 1 <= q <= this (so q is invertible mod every prime used)
MAX_FRICTION_PART = 10**9
#: a model file has at most this many bytes
MAX_MODEL_FILE_BYTES = 1_000_000
#: refuse systems with more unknowns than this
MAX_UNKNOWNS = 400_000
#: refuse a search whose estimated work (:func:`laws.polynomial.poly_cost`: sampling the rows, eliminating each
#: block) exceeds this (about two minutes on one core)
MAX_POLY_WORK = 4 * 10**10
#: a law to verify expands to at most this many terms (bounded before expanding)
MAX_LAW_TERMS = 10_000
