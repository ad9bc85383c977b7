"""Linear algebra over GF(2) on bit masks: rank and kernel."""
from hypothesis import given, strategies as st

from algebra.exact.gf2 import Gf2Basis, kernel_basis


def parity(x: int) -> int:
    return bin(x).count("1") % 2


@given(st.integers(1, 10).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.integers(0, 2 ** n - 1), max_size=8))))
def test_kernel_is_orthogonal_and_of_the_right_dimension(case):
    n, rows = case
    basis = Gf2Basis()
    for r in rows:
        basis.add(r)
    kernel = kernel_basis(rows, n)
    assert len(kernel) == n - basis.rank
    assert all(parity(s & r) == 0 for s in kernel for r in rows)
    independent = Gf2Basis()
    assert all(independent.add(s) for s in kernel)
