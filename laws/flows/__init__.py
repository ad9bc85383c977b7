"""Flows other than plain gradient flow, as generator systems on an extended state (mirror, momentum,
momentum-mirror), and the sign-gradient flow.

>>> from laws.models.model import linear
>>> flow_system(linear([2, 2, 2]), "momentum").D   # s, theta and v
17
"""
from laws.flows.extended import FLOWS, Flow, FlowSystem, flow_system, parse_flow

__all__ = ["FLOWS", "Flow", "FlowSystem", "flow_system", "parse_flow"]
