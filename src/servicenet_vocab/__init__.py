"""Shared vocabularies, shapes and tools for Finnish municipal service-network planning."""

__version__ = "0.1.0"
__all__ = ["__version__"]
