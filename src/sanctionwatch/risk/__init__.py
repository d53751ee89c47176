"""Vessel risk: a transparent additive model, each factor with its evidence (issue 13)."""
