"""The one user-facing error type."""
import pytest

from algebra.errors import FlowAlgebraError


def test_a_users_mistake_is_a_value_error_with_one_line():
    with pytest.raises(ValueError, match="^dims must be positive$"):
        raise FlowAlgebraError("dims must be positive")
    assert issubclass(FlowAlgebraError, ValueError)
