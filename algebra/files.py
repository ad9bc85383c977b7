"""Reading a user's file, once and strictly: the one reader of model files, sweep specs and run files.

A user's file is read only if it is a regular file (a FIFO, a device such as ``/dev/zero`` or a folder is
refused before a byte is read, and opening never blocks) of at most a named number of bytes, default
:data:`MAX_FILE_BYTES`; text must be UTF-8. :func:`read_data` parses it as TOML (a name ending in ``.toml``)
or as strict JSON: a key given twice, ``NaN``/``Infinity`` and numbers that overflow to infinity are
refused (TOML's ``nan``/``inf`` too), and so is nesting deeper than :data:`MAX_NESTING` levels (checked
without recursion, after a parser's own recursion limit). Every failure is one
:class:`~algebra.errors.FlowAlgebraError` line naming the file and, for a limit, the limit's name; a file
that does not exist is a :class:`MissingFile` (a subclass), so a caller can say what else the name might
have meant.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> path = os.path.join(folder, "spec.json")
>>> _ = open(path, "w").write('{"models": ["relu:2,3,2"], "flows": ["gradient"]}')
>>> read_data(path, "sweep spec")
{'models': ['relu:2,3,2'], 'flows': ['gradient']}
>>> _ = open(path, "w").write('{"models": [], "models": []}')
>>> read_data(path, "sweep spec")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: malformed sweep spec '.../spec.json': repeated key 'models' (it is given twice)
>>> read_data("/dev/zero", "model file")
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: model file '/dev/zero' is not a regular file
"""
from __future__ import annotations

import json
import math
import os
import stat
import tomllib

from algebra.errors import FlowAlgebraError
from algebra.exact.parsing import shorten

__all__ = ["MAX_FILE_BYTES", "MAX_NESTING", "MissingFile", "regular_file", "read_text", "parse_data", "read_data",
           "nesting_depth"]

#: a user's text file (model file, sweep spec) has at most this many bytes unless its reader names another limit
MAX_FILE_BYTES = 1_000_000
#: lists and tables in a data file nest at most this deep (a model file needs 2 levels, a sweep spec 3)
MAX_NESTING = 32


class MissingFile(FlowAlgebraError):
    """The file does not exist (one line, like every :class:`FlowAlgebraError`)."""


def _shown(path) -> str:
    return repr(shorten(str(path)))


def _check(info: os.stat_result, path, what: str, limit: int, limit_name: str) -> int:
    if stat.S_ISDIR(info.st_mode):
        raise FlowAlgebraError(f"{what} {_shown(path)} is a folder, not a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise FlowAlgebraError(f"{what} {_shown(path)} is not a regular file")
    if info.st_size > limit:
        raise FlowAlgebraError(f"{what} {_shown(path)} is too large: {info.st_size} bytes, more than {limit} "
                               f"({limit_name})")
    return info.st_size


def _os_error(err: Exception, path, what: str) -> FlowAlgebraError:
    if isinstance(err, FileNotFoundError):
        return MissingFile(f"no such {what} {_shown(path)}")
    return FlowAlgebraError(f"cannot read {what} {_shown(path)}: {getattr(err, 'strerror', None) or err}")


def regular_file(path, what: str, limit: int = MAX_FILE_BYTES, limit_name: str = "MAX_FILE_BYTES") -> int:
    """The size of ``path`` if it is a regular file of at most ``limit`` bytes (checked with ``stat``, nothing
    is opened); else one line. For readers that open the file themselves (an ``.npz`` archive).

    >>> regular_file("/", "run file")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: run file '/' is a folder, not a regular file
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError) as err:
        raise _os_error(err, path, what) from None
    return _check(info, path, what, limit, limit_name)


def read_text(path, what: str, limit: int = MAX_FILE_BYTES, limit_name: str = "MAX_FILE_BYTES") -> str:
    """The UTF-8 text of ``path``, a regular file of at most ``limit`` bytes (opened without blocking, checked
    on the open descriptor, read at most ``limit + 1`` bytes so a growing file cannot slip through)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (OSError, ValueError) as err:
        raise _os_error(err, path, what) from None
    try:
        _check(os.fstat(fd), path, what, limit, limit_name)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(limit + 1)
    except OSError as err:
        raise _os_error(err, path, what) from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise FlowAlgebraError(f"{what} {_shown(path)} is too large: more than {limit} bytes ({limit_name})")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise FlowAlgebraError(f"malformed {what} {_shown(path)}: not UTF-8 text (byte {err.start})") from None


class _Refused(ValueError):
    """Valid syntax, refused content (a repeated key, a non-finite number)."""


def _unique(pairs: list) -> dict:
    out = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"repeated key {shorten(key, 30)!r} (it is given twice)")
        out[key] = value
    return out


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"{shorten(text, 20)} is not a number here (NaN and infinity are refused)"
                       if text.lstrip("+-").lower() in ("nan", "inf") else
                       f"{shorten(text, 20)} is out of range (not a finite number)")
    return value


def _constant(name: str):
    raise _Refused(f"{name} is not a number here (NaN and infinity are refused)")


def nesting_depth(data) -> int:
    """How deeply lists and tables nest in ``data`` (a scalar is 0), without recursion.

    >>> nesting_depth({"a": [1, [2]]}), nesting_depth(3)
    (3, 0)
    """
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_data(text: str, what: str, path, toml: bool = False, max_depth: int = MAX_NESTING):
    """``text`` (the contents of ``path``) parsed as TOML or strict JSON, with the rules of the module docstring.

    >>> parse_data('{"tau": [NaN]}', "sweep spec", "s.json")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: malformed sweep spec 's.json': NaN is not a number here (NaN and infinity are refused)
    >>> parse_data("x = " + "[" * 40 + "]" * 40, "model file", "m.toml", toml=True)
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: malformed model file 'm.toml': nested too deeply (more than 32 levels, MAX_NESTING)
    """
    deep = f"nested too deeply (more than {max_depth} levels, MAX_NESTING)"
    try:
        if toml:
            data = tomllib.loads(text, parse_float=_finite)
        else:
            data = json.loads(text, object_pairs_hook=_unique, parse_constant=_constant, parse_float=_finite)
    except RecursionError:
        raise FlowAlgebraError(f"malformed {what} {_shown(path)}: {deep}") from None
    except ValueError as err:  # JSON and TOML syntax, and the refusals above
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise FlowAlgebraError(f"malformed {what} {_shown(path)}: {shorten(reason, 120)}") from None
    if nesting_depth(data) > max_depth:
        raise FlowAlgebraError(f"malformed {what} {_shown(path)}: {deep}")
    return data


def read_data(path, what: str, limit: int = MAX_FILE_BYTES, limit_name: str = "MAX_FILE_BYTES",
              max_depth: int = MAX_NESTING):
    """The data of a TOML (name ending in ``.toml``, any case) or strict JSON file: :func:`read_text` then
    :func:`parse_data`."""
    text = read_text(path, what, limit, limit_name)
    return parse_data(text, what, path, toml=str(path).lower().endswith(".toml"), max_depth=max_depth)
