"""CoGO, the user API: compose global optimizers of group-arithmetic networks exactly.

A curated facade over the idea-named modules, holding the names a user types:

* the ring: :class:`Block` (single-frequency partial solutions), :class:`Network` (networks over a group);
* named blocks: :func:`one`, :func:`zero`, :func:`scalar`, :func:`nu`, :func:`nu_i`, :func:`xi`,
  :func:`syn`, :func:`syn_ab`, :func:`parse_block_expression`, :data:`BLOCKS`;
* constructions: :func:`construct`, :func:`uniform`, :func:`Z_F6`, :func:`z_F4_6`, :func:`z_F4_6_naive`,
  :func:`z_M`, :func:`z_1`, :func:`z_2`, :data:`NETWORKS`;
* exact checks: :func:`verify`, :func:`verify_block`, :func:`loss`, :func:`prove_decomposition`, the
  potentials :data:`LOCAL_POTENTIALS` and :class:`MonomialPotential`;
* the numeric side: :func:`train`, :func:`load_run`, :func:`classify_runs`, :func:`classify_block`;
* exact numbers: :class:`CyclotomicField`, :class:`Cyc`, :class:`Param`, :class:`PVal`.

Everything else lives in its module and is imported from there: :mod:`algebra.cogo.ring`,
:mod:`algebra.cogo.potentials`, :mod:`algebra.cogo.decomposition` (``loss_terms``, ``direct_loss``, the
``*_numeric`` checks), :mod:`algebra.cogo.constructions`, :mod:`algebra.cogo.verification`,
:mod:`algebra.cogo.training` (``fourier_arrays``, ``loss_and_grads``), :mod:`algebra.cogo.classify`,
:mod:`algebra.cogo.figures` and :mod:`algebra.cogo.strategies`; groups and characters are
:mod:`groups.abelian`.

>>> from algebra import cogo
>>> from groups import Zd
>>> z = cogo.construct("F6", Zd(23))
>>> z.num_nodes, cogo.loss(z)
(66, 0)
>>> (cogo.nu_i() * cogo.xi()).potentials().vanishing()[:3]
['r_{-k,k,k}', 'r_{k,-k,k}', 'r_{-k,-k,k}']
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from algebra.cogo.classify import classify_block, classify_runs
    from algebra.cogo.constructions import (BLOCKS, NETWORKS, Z_F6, construct, nu, nu_i, one, parse_block_expression, scalar,
                                            syn, syn_ab, uniform, xi, z_1, z_2, z_F4_6, z_F4_6_naive, z_M, zero)
    from algebra.cogo.decomposition import loss, prove_decomposition
    from algebra.cogo.potentials import LOCAL_POTENTIALS, MonomialPotential
    from algebra.cogo.ring import Block, Network
    from algebra.cogo.training import load_run, train
    from algebra.cogo.fourier_training import train_fourier
    from algebra.cogo.verification import verify, verify_block
    from algebra.exact.cyclotomic import Cyc, CyclotomicField
    from algebra.exact.parametric import Param, PVal

__all__ = [
    # the ring
    "Block", "Network",
    # named blocks
    "one", "zero", "scalar", "nu", "nu_i", "xi", "syn", "syn_ab", "parse_block_expression", "BLOCKS",
    # constructions
    "construct", "uniform", "Z_F6", "z_F4_6", "z_F4_6_naive", "z_M", "z_1", "z_2", "NETWORKS",
    # exact checks
    "verify", "verify_block", "loss", "prove_decomposition", "LOCAL_POTENTIALS", "MonomialPotential",
    # numeric
    "train", "load_run", "classify_runs", "classify_block", "train_fourier",
    # exact numbers
    "CyclotomicField", "Cyc", "Param", "PVal",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
