"""Conservation laws of gradient flows: models, flows, the Lie-closure count, polynomial laws, proofs, sweeps.

Marcotte, Gribonval, Peyré, "Abide by the law and follow the flow" (NeurIPS 2023) and "Keep the
momentum" (2024). The names a user types:

>>> from laws import count_laws, find_polynomial_laws, verify_law, linear, relu
>>> count_laws(relu([2, 3, 2])).laws
3
>>> len(find_polynomial_laws(linear([2, 2, 2])).laws)
3

Every flow of a model is a :class:`GeneratorSystem`, and the three engines accept any of them:

>>> count_laws(flow_system(relu([2, 3, 2]), "sign")).laws
0
>>> isinstance(flow_system(linear([2, 2]), "mirror"), PolynomialSystem)
True
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from laws.closure import Certificate, LawCount, count_laws, replay
    from laws.flows import FLOWS, Flow, flow_system, parse_flow
    from laws.models import Model, attention, conv, icnn, linear, load_model_file, nmf, parse_model, relu, residual, softmax
    from laws.polynomial import PolynomialLaws, find_polynomial_laws, prove_law
    from laws.sweep import SweepResult, SweepTask, load_spec, run_sweep
    from laws.system import GeneratorSystem, PolynomialSystem
    from laws.verify import LawVerification, verify_law

__all__ = ["count_laws", "replay", "LawCount", "Certificate", "find_polynomial_laws", "prove_law", "PolynomialLaws",
           "verify_law", "LawVerification", "Model", "linear", "relu", "softmax", "attention", "conv", "residual", "nmf",
           "icnn", "parse_model", "load_model_file", "FLOWS", "Flow", "flow_system", "parse_flow", "GeneratorSystem",
           "PolynomialSystem", "load_spec", "run_sweep", "SweepTask", "SweepResult"]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
