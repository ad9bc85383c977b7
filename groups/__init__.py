"""Finite groups, their actions and representations; teacher-student landscapes and symmetry of dynamics."""

from groups.abelian import AbelianGroup, Zd, parse_group, product  # noqa: E402,F401  (CoGO: finite Abelian groups)
