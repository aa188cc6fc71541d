"""Personalised exercise handouts and weekly checklists for plantar heel pain."""

__version__ = "0.1.0"
