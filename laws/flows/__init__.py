"""Flows other than plain gradient flow, as generator systems on an extended state (mirror, momentum,
momentum-mirror), and the sign-gradient flow.

>>> from laws.models.model import linear
>>> flow_system(linear([2, 2, 2]), "momentum").D   # s, theta and v
17
>>> isinstance(flow_system(linear([2, 2, 2]), "sign"), SignFlowSystem)
True
"""
from laws.flows.extended import (FLOWS, Flow, FlowSystem, Gradient, Mirror, MirrorSystem, Momentum, MomentumSystem,
                                 Sign, flow_system, parse_flow)
from laws.flows.sign import SignFlowSystem, SignLawCount, SignLawVerification

__all__ = ["FLOWS", "Flow", "Gradient", "Mirror", "Momentum", "Sign", "flow_system", "parse_flow", "FlowSystem",
           "MirrorSystem", "MomentumSystem", "SignFlowSystem", "SignLawCount", "SignLawVerification"]
