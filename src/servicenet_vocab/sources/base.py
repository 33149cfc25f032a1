"""What every source reader is, and the one way each is run (all or nothing, located errors).

A reader gets the input path, a binary stream for its Turtle and the options; it writes as it
reads (flat memory), puts ``# <file> row N`` before each record's triples (``N`` is the record,
feature or cell number, so ``--validate`` traces a SHACL result back to it, see
``convert.lineage``) and returns a ``ConversionResult`` whose ``errors`` name the file, the record
and the field. ``convert_source`` writes the target only when no record failed, unless
``skip_invalid``; a file it cannot read at all is an ``InputError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

from servicenet_vocab.convert.engine import ConversionResult, write_conversion
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.rdfio import RdfFormat

__all__ = ["Reader", "Source", "SourceOptions", "convert_source"]

DEFAULT_BASE_IRI = "https://w3id.org/servicenet/data/"


@dataclass(frozen=True)
class SourceOptions:
    """The choices a user makes for one conversion; ``extra`` holds a source's own ``key=value``
    options (``--option level=district``), each checked by the source against ``Source.options``."""

    municipality: str | None = None  # 3-digit code: the publisher, and records without their own
    base_iri: str = DEFAULT_BASE_IRI
    repair: bool = False  # areas: repair invalid geometry instead of reporting it
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parsed(
        cls,
        items: Sequence[str],
        *,
        name: str,
        municipality: str | None = None,
        base_iri: str | None = None,
        repair: bool = False,
    ) -> SourceOptions:
        """Options from ``KEY=VALUE`` items as a user typed them; ``name`` is what the user calls
        them (``--option`` on the CLI, ``option`` over HTTP), for the error."""
        extra: dict[str, str] = {}
        for item in items:
            key, equals, value = item.partition("=")
            if not equals or not key.strip():
                raise InputError(f"{name} {item!r} is not KEY=VALUE", location=Location(field=name))
            extra[key.strip()] = value.strip()
        return cls(
            municipality=municipality,
            base_iri=base_iri or DEFAULT_BASE_IRI,
            repair=repair,
            extra=extra,
        )


Reader = Callable[[Path, IO[bytes], SourceOptions], ConversionResult]


@dataclass(frozen=True)
class Source:
    """One kind of real export: its name, titles, the files it reads and its reader."""

    name: str
    title: dict[str, str]  # fi / sv / en
    summary: str  # one line for ``servicenet convert --help`` and the OpenAPI description
    suffixes: tuple[str, ...]  # file name endings it reads, e.g. (".json",)
    read: Reader
    options: dict[str, str] = field(default_factory=dict)  # extra option -> what it means

    def check(self, options: SourceOptions) -> None:
        unknown = sorted(set(options.extra) - set(self.options))
        if unknown:
            known = ", ".join(self.options) or "none"
            raise InputError(
                f"source {self.name!r} has no option {', '.join(unknown)}; its options: {known}"
            )


def convert_source(
    source: Source,
    input_path: Path,
    *,
    options: SourceOptions | None = None,
    output: Path | None = None,
    skip_invalid: bool = False,
    fmt: RdfFormat | None = None,
    stdout: BinaryIO | None = None,
) -> ConversionResult:
    """Convert ``input_path`` with ``source``; raises ``RowsInvalidError`` listing every record
    error (nothing written) unless ``skip_invalid``, or ``InputError`` for an unreadable file."""
    chosen = options or SourceOptions()
    source.check(chosen)
    if not input_path.is_file():
        raise InputError("no such file", location=Location(source=str(input_path)))
    return write_conversion(
        lambda part: source.read(input_path, part, chosen),
        output=output,
        skip_invalid=skip_invalid,
        fmt=fmt,
        stdout=stdout,
    )
