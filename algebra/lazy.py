"""Lazy re-exports for package ``__init__`` files (PEP 562), so that importing a package costs only what is used.

A package lists the names it re-exports as ordinary ``from module import names`` lines inside an
``if TYPE_CHECKING:`` block -- type checkers, editors and import-linter read them as before -- and ends with
``__getattr__, __dir__ = lazy_exports(__name__, __file__)``. The first time a name is asked for
(``from laws import count_laws``, ``laws.count_laws``, ``from laws import *``), :func:`lazy_exports` reads that
block from the package's source, imports the one module that defines the name and keeps the value in the
package; a subpackage or module of the package (``laws.closure``) is imported on first use too, and a re-exported
name that is also the name of a module of the package keeps the re-exported object, as with an eager
``__init__``. The same idea as scientific-python's ``lazy_loader.attach_stub`` (SPEC 1), without a stub file.

A module that needs a heavy library only inside some functions names it with :func:`lazy_module`
(``sp = lazy_module("sympy")`` in place of ``import sympy as sp``): the library is imported when a function
first uses it. So ``flowalgebra laws count`` never imports sympy, matplotlib or Dask.

>>> import sys, laws.models
>>> from laws.models import parse_model
>>> parse_model("relu:2,3,2").D
12
>>> "parse_model" in dir(laws.models) and "laws.models.specs" in sys.modules
True
>>> laws.models.no_such_name
Traceback (most recent call last):
...
AttributeError: module 'laws.models' has no attribute 'no_such_name'
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import types
from typing import Any, Callable

__all__ = ["lazy_exports", "exported_modules", "lazy_module", "lazy_callable", "module_source"]


def exported_modules(path: str) -> dict[str, str]:
    """Each re-exported name of the package whose ``__init__`` is ``path`` and the module that defines it, read
    from the ``from module import ...`` lines of the file's ``if TYPE_CHECKING:`` block (absolute imports only).

    >>> import laws
    >>> exported_modules(laws.__file__)["count_laws"]
    'laws.closure'
    """
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), filename=path)
    table: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for line in node.body:
                if isinstance(line, ast.ImportFrom) and line.level == 0 and line.module:
                    table.update({alias.asname or alias.name: line.module for alias in line.names})
    return table


def lazy_exports(package: str, path: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of ``package``, whose ``__init__`` file is ``path``."""
    table: dict[str, str] | None = None

    def names() -> dict[str, str]:
        nonlocal table
        if table is None:
            table = exported_modules(path)
        return table

    def __getattr__(name: str) -> Any:
        module = sys.modules[package]
        source = names().get(name)
        if source is not None and source != package:
            value = getattr(importlib.import_module(source), name)
        elif not name.startswith("__"):  # a module of the package, imported on first use as an eager __init__ did
            try:
                value = importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as err:
                if err.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(module, name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(names()))

    sys.modules[package].__class__ = _LazyPackage
    sys.modules[package]._lazy_names = names
    return __getattr__, __dir__


class _LazyPackage(types.ModuleType):
    """A package with lazy re-exports. A re-exported name that is also the name of one of its modules (say
    ``table``, a function of ``notation``, and the module ``table``) keeps the re-exported object when that
    module is imported later (the import system would put the module there), as an eager ``__init__`` did."""

    def __setattr__(self, name: str, value: Any) -> None:
        if (isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.{name}"
                and self._lazy_names().get(name, self.__name__) != self.__name__):
            return
        super().__setattr__(name, value)


class _LazyModule(types.ModuleType):
    """Stands for the module of its name, imported on first attribute access; see :func:`lazy_module`."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(importlib.import_module(self.__name__), name)
        setattr(self, name, value)  # the next access is a plain attribute
        return value

    def __repr__(self) -> str:
        state = "imported" if self.__name__ in sys.modules else "not imported yet"
        return f"<lazy module {self.__name__!r} ({state})>"


def lazy_module(name: str) -> types.ModuleType:
    """``name`` (a module), imported the first time an attribute of it is used, not now: the drop-in for
    ``import name as alias`` in a module that needs a heavy library only inside some of its functions. The
    stand-in is kept out of ``sys.modules``, so ``name in sys.modules`` still says whether it was imported.

    >>> json = lazy_module("json")
    >>> json.dumps([1, 2])
    '[1, 2]'
    """
    return _LazyModule(name)


def lazy_callable(module: str, name: str) -> Callable[..., Any]:
    """A function that calls ``module.name`` (a class or function), importing ``module`` on the first call: the
    drop-in for ``from module import name`` where ``name`` is only called (say the sympy ``Notation`` class,
    whose module imports sympy).

    >>> fraction = lazy_callable("fractions", "Fraction")
    >>> fraction(1, 3)
    Fraction(1, 3)
    """
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported on the first call"
    return call


def module_source(name: str) -> str:
    """The path of the source file of module ``name``, found without importing it (its parent packages are).

    >>> module_source("laws.cli").endswith("laws/cli.py")
    True
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        raise ImportError(f"no Python source for module {name!r}")
    return spec.origin
