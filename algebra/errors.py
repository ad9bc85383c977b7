"""The one error type users see.

Everything that is the user's fault (bad dims, unknown model, malformed file,
absurd size) raises :class:`FlowAlgebraError` with a one-line message; the CLI
prints it on stderr and exits with status 2, never with a traceback.

>>> try:
...     raise FlowAlgebraError("dims must be positive integers, got [2, 0]")
... except ValueError as err:
...     print(err)
dims must be positive integers, got [2, 0]
"""

__all__ = ["FlowAlgebraError"]


class FlowAlgebraError(ValueError):
    """A user-facing error whose message is one clear line."""
