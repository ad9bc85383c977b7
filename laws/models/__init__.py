"""Models: exact parameters theta and polynomial reparametrisations phi(theta); families, specs and files.

>>> parse_model("relu:2,3,2").D
12
"""
from laws.models.architectures import attention, conv, icnn, nmf, residual, softmax
from laws.models.model import Layered, Model, linear, relu
from laws.models.specs import FAMILIES, Family, load_model_file, parse_dims, parse_model

__all__ = ["Model", "Layered", "linear", "relu", "attention", "conv", "icnn", "nmf", "residual", "softmax", "FAMILIES",
           "Family", "parse_model", "parse_dims", "load_model_file"]
