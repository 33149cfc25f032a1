"""Unit registers read as the mapped ``units`` kind, each with a mapping shipped in the package.

Varda, the Helsinki service map (TPR v4), the Turku unit register and eVaka are unit registers: one
record is one unit. Their readers are the ``units`` kind of ``servicenet_vocab.convert`` run with a
mapping from ``sources/mappings/<source>.mapping.yaml``; whatever those exports needed (the
municipality per record, multi-valued cells, list items chosen by a condition) is in the mapping
language, so a city's own spreadsheet gets it too. The conversion keeps the kind's guarantees:
errors name the file, the record (row) and the field (column or JSON path); nothing is written
when a record fails unless ``skip_invalid``; each record's Turtle follows ``# <file> row N``, so
``--validate`` traces SHACL results back to the record; records stream through (flat memory).

The options a user gives: ``--municipality`` (the organiser publishing the dataset: its
``dct:publisher`` and the dataset's ``sn:municipality``; every unit still gets its own
municipality), ``--base-iri`` (the base of the minted IRIs) and ``--option date=YYYY-MM-DD`` (the
day the export was taken: the dataset's ``dct:modified`` and the reference date of the places),
``--option language=sv`` (the language of service of units whose record names none).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO

from servicenet_vocab.convert.engine import ConversionResult, convert_stream
from servicenet_vocab.convert.kinds import get_kind
from servicenet_vocab.convert.mapping import Mapping, parse_mapping
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.sources.base import Source, SourceOptions

__all__ = ["OPTIONS", "configured_mapping", "mapped_source", "shipped_mapping"]

OPTIONS = {
    "date": "the day the export was taken, YYYY-MM-DD: the dataset's dct:modified and the "
    "reference date of the places (default: today)",
    "language": "the language of service (fi, sv, ...) of units whose record names none "
    "(servicemap and turku: fi unless given; their registers state no language)",
}


@cache
def shipped_mapping(name: str) -> Mapping:
    """The mapping shipped for source ``name`` (``sources/mappings/<name>.mapping.yaml``)."""
    path = f"mappings/{name}.mapping.yaml"
    text = resources.files(__package__).joinpath(path).read_text("utf-8")
    return parse_mapping(text, source=f"servicenet_vocab/sources/{path}")


def configured_mapping(name: str, options: SourceOptions) -> Mapping:
    """The shipped mapping with the user's organiser, base IRI and date."""
    mapping = shipped_mapping(name)
    municipality = options.municipality or mapping.municipality
    if not municipality:
        raise InputError(
            f"source {name!r} needs the organiser publishing the dataset: give --municipality "
            "CODE (the API: municipality=CODE); each unit keeps its own municipality",
            location=Location(field="--municipality"),
        )
    taken = _date(options.extra.get("date"))
    dataset = mapping.dataset.model_copy(
        update={
            "iri": f"{options.base_iri}dataset/{name}-{municipality}",
            "modified": taken,
        }
    )
    publisher = mapping.publisher.model_copy(
        update={"iri": f"{options.base_iri}organisation/{municipality}"}
    )
    constants = dict(mapping.constants)
    if "places" in mapping.columns:
        constants["capacity_date"] = taken
    if options.extra.get("language"):
        constants["languages"] = options.extra["language"]
    return mapping.model_copy(
        update={
            "base_iri": options.base_iri,
            "municipality": municipality,
            "dataset": dataset,
            "publisher": publisher,
            "constants": constants,
        }
    )


def _date(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"date={text!r} is not a date YYYY-MM-DD", location=Location(field="--option date")
        ) from None


def mapped_source(
    name: str,
    *,
    title: dict[str, str],
    summary: str,
    suffixes: tuple[str, ...],
) -> Source:
    """A ``Source`` reading unit records with the mapping shipped for ``name``."""

    def read(path: Path, out: IO[bytes], options: SourceOptions) -> ConversionResult:
        mapping = configured_mapping(name, options)
        return convert_stream(
            get_kind("units"), path, mapping, out, municipality=mapping.municipality
        )

    return Source(
        name=name, title=title, summary=summary, suffixes=suffixes, read=read, options=OPTIONS
    )
