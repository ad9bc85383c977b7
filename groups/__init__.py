"""Finite groups, their actions and representations; teacher-student landscapes and symmetry of dynamics."""
