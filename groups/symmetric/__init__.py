"""Symmetric groups and their actions on weight matrices: characters of :math:`S_n`, permutation
actions of :math:`S_k\\times S_d`, diagonal Young groups, fixed-point subspaces, isotypic
decompositions, and finite orthogonal groups of input space (versors).

>>> from groups.symmetric import FixedSubspace, fixdim
>>> fixdim(7, "6,1").dim, FixedSubspace.young((6, 1)).dim
(5, 5)
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from groups.symmetric.actions import (MatrixGroup, Pair, act, entry_permutation, full_group, orbit, parse_generators,
                                          parse_pair, parse_permutation, random_pair)
    from groups.symmetric.characters import (centralizer_order, character, class_average, dimension, near_trivial_partitions,
                                             partition_label, partitions)
    from groups.symmetric.fixed_space import FixDimResult, FixedSubspace, fixdim, real_matrices
    from groups.symmetric.isotypic import (PROJECTOR_LIMIT, HessianDecomposition, Irrep, IrrepMultiplicity, IsotypicBlock,
                                           class_representatives, decompose_hessian, decompose_square, eigenspace_irreps,
                                           irrep_character, irrep_dimension, irrep_label, isotypic_projectors, young_elements)
    from groups.symmetric.orthogonal import (GA_MAX_DIM, GROUP_LIMIT, OrthogonalGroup, ga_reflection_matrix, householder,
                                             invariant_teacher, named_generators, orbit_of_vector, parse_normals,
                                             reflection_group, teacher_is_invariant, versor_matrix)
    from groups.symmetric.young import (DELTA, YoungCoordinates, block_generators, diagonal_young, isotropy_blocks,
                                        isotropy_type, parse_partition, young_blocks, young_entry_name, young_fix_dimension,
                                        young_label, young_latex, young_names, young_normal_form)

__all__ = [
    # characters of S_n
    "partitions", "centralizer_order", "character", "dimension", "class_average", "near_trivial_partitions",
    "partition_label",
    # actions of S_k x S_d
    "Pair", "act", "entry_permutation", "parse_permutation", "parse_pair", "parse_generators", "MatrixGroup", "full_group", "orbit",
    "random_pair",
    # diagonal Young groups
    "DELTA", "young_blocks", "block_generators", "parse_partition", "young_label", "young_latex", "diagonal_young",
    "young_fix_dimension", "young_names", "young_entry_name", "YoungCoordinates", "isotropy_blocks", "isotropy_type",
    "young_normal_form",
    # fixed-point subspaces
    "real_matrices", "FixedSubspace", "FixDimResult", "fixdim",
    # isotypic decomposition
    "Irrep", "PROJECTOR_LIMIT", "irrep_label", "irrep_dimension", "irrep_character", "IrrepMultiplicity",
    "decompose_square", "class_representatives", "eigenspace_irreps", "young_elements", "isotypic_projectors",
    "IsotypicBlock", "HessianDecomposition", "decompose_hessian",
    # orthogonal groups of input space
    "GA_MAX_DIM", "GROUP_LIMIT", "householder", "ga_reflection_matrix", "versor_matrix", "parse_normals",
    "named_generators", "OrthogonalGroup", "reflection_group", "orbit_of_vector", "invariant_teacher",
    "teacher_is_invariant",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
