"""CSV/JSON exports of cities → RDF in the project's vocabulary, with row-and-column errors.

    >>> from servicenet_vocab.convert import convert_file, get_kind   # doctest: +SKIP
    >>> convert_file(get_kind("units"), Path("units.csv"), mapping=Path("units.mapping.yaml"),
    ...              output=Path("units.ttl"))  # doctest: +SKIP

Modules: ``reading`` (encodings, delimiters, JSON records), ``values`` (decimal comma, Finnish dates,
yes/no words), ``codes`` (code text → concept), ``mapping`` (the YAML mapping file), ``rows`` (field
types of row models), ``plan`` (a row model compiled for one mapping: the fast path), ``problems``
(row errors), ``emit`` (terms and the streaming writer), ``engine`` (the loop), and one module per
kind: ``units``, ``premises``, ``capacity``, ``forecast``, ``survey``, ``offers``. See
docs/integrator.md; speed and memory in docs/benchmarks.md.
"""

from __future__ import annotations

from servicenet_vocab.convert.engine import ConversionResult, Kind, convert_file, convert_stream
from servicenet_vocab.convert.kinds import KINDS, get_kind
from servicenet_vocab.convert.mapping import Mapping, load_mapping
from servicenet_vocab.convert.problems import RowError, RowsInvalidError

__all__ = [
    "KINDS",
    "ConversionResult",
    "Kind",
    "Mapping",
    "RowError",
    "RowsInvalidError",
    "convert_file",
    "convert_stream",
    "get_kind",
    "load_mapping",
]
