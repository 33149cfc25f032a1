"""Readers for the exports cities and national services actually publish, each a ``Source``.

``servicenet convert SOURCE FILE`` and ``POST /convert/{source}`` run them; unlike the mapped kinds
of ``servicenet_vocab.convert`` they need no mapping file, since the shape of the export is known
(PTV Open API v11, PxWeb, WFS/GeoJSON/GeoPackage areas, Varda, the Helsinki service map, the Turku
unit register, eVaka). One module (or package) per source, defining ``SOURCE``; it is imported
only when used (GDAL is loaded only when areas are read).

    >>> get_source("telex")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    servicenet_vocab.errors.InputError: unknown source 'telex'; sources: ...
"""

from __future__ import annotations

import importlib

from servicenet_vocab.errors import InputError
from servicenet_vocab.sources.base import Source, SourceOptions, convert_source

__all__ = ["Source", "SourceOptions", "convert_source", "get_source", "source_names"]

# The sources by module name: listed, not discovered, so helper modules (pxweb_formats, _records)
# are never taken for sources and listing them imports nothing.
_SOURCES = ("areas", "evaka", "ptv", "pxweb", "servicemap", "turku", "varda")


def source_names() -> tuple[str, ...]:
    """The sources this installation knows, sorted (module names, not imported)."""
    return _SOURCES


def get_source(name: str) -> Source:
    """The source called ``name`` (``InputError`` naming the known ones if there is none)."""
    if name not in source_names():
        raise InputError(f"unknown source {name!r}; sources: {', '.join(source_names())}")
    module = importlib.import_module(f"{__name__}.{name}")
    source: Source = module.SOURCE
    return source
