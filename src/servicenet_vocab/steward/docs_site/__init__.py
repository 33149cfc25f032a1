"""Static HTML reference of the vocabulary (``servicenet docs``): a page per class and per code
list in fi, sv and en, an index and an SVG class diagram; relative links only, no scripts or CDN."""

from servicenet_vocab.steward.docs_site.build import build_site

__all__ = ["build_site"]
