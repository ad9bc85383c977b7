"""CoGO, the user API: compose global optimizers of group-arithmetic networks exactly.

A thin facade over the idea-named modules: :mod:`groups.abelian` (groups,
characters, exact Fourier transform), :mod:`algebra.cogo.ring` (the semi-ring),
:mod:`algebra.cogo.potentials` (monomial potentials, ring homomorphisms),
:mod:`algebra.cogo.loss` (exact loss decomposition), :mod:`algebra.cogo.constructions`
(named partial solutions and global optimizers), :mod:`algebra.cogo.verify`
(verification with derivations), :mod:`algebra.cogo.training` (training) and
:mod:`algebra.cogo.classify` (factoring and classifying learned blocks).

>>> from algebra import cogo
>>> from groups import Zd
>>> z = cogo.construct("F6", Zd(23))
>>> z.num_nodes, cogo.loss(z)
(66, 0)
>>> (cogo.nu_i() * cogo.xi()).potentials().vanishing()[:3]
['r_{-k,k,k}', 'r_{k,-k,k}', 'r_{-k,-k,k}']
"""
from algebra.cogo.loss import (block_loss_terms, decomposition_derivation, direct_loss, direct_loss_numeric,  # noqa: F401
                               fourier_loss_numeric, loss, loss_terms, prove_decomposition)
from algebra.cogo.training import fourier_arrays, load_run, train  # noqa: F401
from algebra.cogo.ring import Block, Network  # noqa: F401
from algebra.cogo.verify import verify, verify_block  # noqa: F401
from algebra.cogo.constructions import (BLOCKS, NETWORKS, Z_F6, construct, nu, nu_i, one, parse_block_expression,  # noqa: F401
                                   scalar, syn, syn_ab, uniform, xi, z_1, z_2, z_F4_6, z_F4_6_naive, z_M, zero)
from algebra.exact.cyclotomic import CyclotomicField, Cyc  # noqa: F401
from algebra.cogo.classify import classify_block, classify_runs  # noqa: F401
from algebra.exact.parametric import Param, PVal  # noqa: F401
from algebra.cogo.potentials import LOCAL_POTENTIALS, MonomialPotential, block_potentials  # noqa: F401

__all__ = [
    "block_loss_terms",
    "decomposition_derivation",
    "direct_loss",
    "direct_loss_numeric",
    "fourier_loss_numeric",
    "loss",
    "loss_terms",
    "prove_decomposition",
    "fourier_arrays",
    "load_run",
    "train",
    "Block",
    "Network",
    "verify",
    "verify_block",
    "BLOCKS",
    "NETWORKS",
    "Z_F6",
    "construct",
    "nu",
    "nu_i",
    "one",
    "parse_block_expression",
    "scalar",
    "syn",
    "syn_ab",
    "uniform",
    "xi",
    "z_1",
    "z_2",
    "z_F4_6",
    "z_F4_6_naive",
    "z_M",
    "zero",
    "CyclotomicField",
    "Cyc",
    "classify_block",
    "classify_runs",
    "Param",
    "PVal",
    "LOCAL_POTENTIALS",
    "MonomialPotential",
    "block_potentials",
]
