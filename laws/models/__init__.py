"""Models: exact parameters theta and polynomial reparametrisations phi(theta); families, specs and files.

>>> parse_model("relu:2,3,2").D
12
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from laws.models.architectures import attention, conv, icnn, nmf, residual, softmax
    from laws.models.model import Layered, Model, linear, relu
    from laws.models.specs import FAMILIES, Family, load_model_file, parse_dims, parse_model

__all__ = ["Model", "Layered", "linear", "relu", "attention", "conv", "icnn", "nmf", "residual", "softmax", "FAMILIES",
           "Family", "parse_model", "parse_dims", "load_model_file"]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
