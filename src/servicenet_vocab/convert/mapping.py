"""The mapping file (YAML): how an integrator's export maps onto a row model, without Python.

A mapping names the kind of input, where IRIs come from, the dataset's metadata, which source column
feeds which model field (``columns``), fixed values for fields the export lacks (``constants``) and
the city's own words for code values (``values``). Unreadable or inconsistent mappings raise
``InputError`` naming the mapping file and the key (and the YAML line and column for syntax errors).
See docs/integrator.md for a commented example.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from servicenet_vocab.errors import InputError, Location

__all__ = ["DatasetOptions", "Mapping", "PublisherOptions", "SourceOptions", "load_mapping"]

CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
_MUNICIPALITY = re.compile(r"^[0-9]{3}$")
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_LANGS = {"fi", "sv", "en", "se"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceOptions(_Strict):
    """How to read the export: format, text encoding, CSV delimiter, where JSON keeps its records."""

    format: Literal["csv", "json"] | None = None
    encoding: str = "auto"
    delimiter: str = "auto"
    records: str | None = Field(
        default=None, description="dotted path to the list of records in a JSON export"
    )

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, value: str) -> str:
        value = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ","}.get(value, value)
        if value != "auto" and len(value) != 1:
            raise ValueError("delimiter must be one character, 'tab' or 'auto'")
        return value


class DatasetOptions(_Strict):
    """Metadata of the ``dcat:Dataset`` the output describes."""

    iri: str | None = None
    title: dict[str, str] = Field(default_factory=dict)
    description: dict[str, str] = Field(default_factory=dict)
    license: str = CC_BY_4
    issued: date | None = None
    modified: date | None = None
    start: date | None = None
    end: date | None = None

    @field_validator("title", "description")
    @classmethod
    def _languages(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - _LANGS
        if unknown:
            raise ValueError(f"language tags must be among {sorted(_LANGS)}, not {sorted(unknown)}")
        return value


class PublisherOptions(_Strict):
    """The organisation publishing the dataset; by default the municipality itself."""

    iri: str | None = None
    name: dict[str, str] = Field(default_factory=dict)
    business_id: str | None = None


class Mapping(_Strict):
    """A whole mapping file."""

    kind: str
    base_iri: str
    municipality: str | None = None
    source: SourceOptions = Field(default_factory=SourceOptions)
    dataset: DatasetOptions = Field(default_factory=DatasetOptions)
    publisher: PublisherOptions = Field(default_factory=PublisherOptions)
    iris: dict[str, str] = Field(default_factory=dict)
    columns: dict[str, str] = Field(default_factory=dict)
    constants: dict[str, Any] = Field(default_factory=dict)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)

    @field_validator("base_iri")
    @classmethod
    def _base_iri(cls, value: str) -> str:
        if not _IRI.match(value) or not value.endswith(("/", "#")):
            raise ValueError(f"'{value}' is not an http(s) IRI ending in '/' or '#'")
        return value

    @field_validator("municipality", mode="before")
    @classmethod
    def _municipality(cls, value: object) -> object:
        if isinstance(value, int):  # YAML reads 091 as text only when quoted; be kind
            value = f"{value:03d}"
        if value is not None and not _MUNICIPALITY.match(str(value)):
            raise ValueError(f"'{value}' is not a 3-digit Statistics Finland municipality code")
        return value

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: dict[str, str]) -> dict[str, str]:
        for field, column in value.items():
            if not isinstance(column, str) or not column.strip():
                raise ValueError(f"column for {field!r} must be a non-empty column name")
        return value


def load_mapping(path: Path | str) -> Mapping:
    """Read and check a mapping file; raises ``InputError`` with the file and the key or line."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except OSError as error:
        raise InputError(
            f"cannot read mapping file: {error.strerror}", location=Location(source=str(path))
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            "mapping file is not UTF-8 text", location=Location(source=str(path))
        ) from None
    return parse_mapping(text, source=str(path))


def parse_mapping(text: str, *, source: str = "mapping") -> Mapping:
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = Location(
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        )
        raise InputError(f"mapping is not valid YAML: {error.problem}", location=where) from None
    except yaml.YAMLError as error:  # pragma: no cover - non-marked YAML errors are rare
        raise InputError(
            f"mapping is not valid YAML: {error}", location=Location(source=source)
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            "a mapping file must be a YAML mapping (key: value lines)",
            location=Location(source=source),
        )
    try:
        return Mapping.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or None
        message = first["msg"].removeprefix("Value error, ")
        more = len(error.errors()) - 1
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise InputError(message, location=Location(source=source, path=key)) from None
