"""Flows other than plain gradient flow, as generator systems on an extended state (mirror, momentum,
the NMF momentum flow of "Keep the momentum", momentum-mirror), and the sign-gradient flow.

>>> from laws.models.model import linear
>>> flow_system(linear([2, 2, 2]), "momentum").D   # s, theta and v
17
>>> flow_system(linear([2, 2, 2]), "nmf-momentum").N   # the drift and the 4 forces
5
>>> isinstance(flow_system(linear([2, 2, 2]), "sign"), SignFlowSystem)
True
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from laws.flows.extended import (FLOWS, REGISTRY, Flow, FlowEntry, FlowSystem, Gradient, Mirror, MirrorSystem,
                                     Momentum, MomentumSystem, NmfMomentum, Sign, flow_system, parse_flow)
    from laws.flows.sign import SignFlowSystem, SignLawCount, SignLawVerification

__all__ = ["FLOWS", "REGISTRY", "Flow", "FlowEntry", "Gradient", "Mirror", "Momentum", "NmfMomentum", "Sign",
           "flow_system", "parse_flow", "FlowSystem", "MirrorSystem", "MomentumSystem", "SignFlowSystem",
           "SignLawCount", "SignLawVerification"]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
