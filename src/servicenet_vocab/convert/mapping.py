"""The mapping file (YAML): how an integrator's export maps onto a row model, without Python.

A mapping names the kind of input, where IRIs come from, the dataset's metadata, which source column
feeds which model field (``columns``), fixed values for fields the export lacks (``constants``) and
the city's own words for code values (``values``). Unreadable or inconsistent mappings raise
``InputError`` naming the mapping file and the key (and the YAML line and column for syntax errors).
See docs/integrator.md for a commented example.

Beyond a column name, a column may be written ``{column: NAME, pick: [notation, ...]}``: the cell
holds several code values (``CENTRE,PRESCHOOL``, a JSON list) and the field takes the first of
``pick`` that the cell has. A word in ``values`` may map to a list (several concepts, or none with
``[]``). JSON paths address list items by position (``osoitteet.0``) or by a condition
(``osoitteet[tyyppi=visiting].postinumero``, ``ontologytree_ids[=868|1088]``, ``[*]`` every item):
see ``reading.dig``. ``municipality_by_postcode`` takes each record's municipality from its
postal code (Statistics Finland's postcode key) when no ``municipality`` column gives it, and
``source.where`` keeps only the records that have a value at a path.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

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
    optional: list[str] = Field(
        default_factory=list,
        description="columns (JSON keys) the mapping names that an export may lack altogether",
    )
    where: str | None = Field(
        default=None,
        description="a path (with conditions) that must give a value for a record to be converted; "
        "the other records are left out and counted, not reported as errors",
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
    municipality_by_postcode: bool = Field(
        default=False,
        description="a record without its own municipality (column 'municipality') lies in the "
        "municipality of its postal code, by Statistics Finland's postcode key",
    )
    iris: dict[str, str] = Field(default_factory=dict)
    columns: dict[str, str] = Field(default_factory=dict)
    # field -> notations (or labels) in order of preference, for a single-valued code field whose
    # cell holds several values (written in columns as {column: ..., pick: [...]})
    picks: dict[str, list[str]] = Field(default_factory=dict)
    constants: dict[str, Any] = Field(default_factory=dict)
    values: dict[str, dict[str, str | list[str]]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _column_objects(cls, data: Any) -> Any:
        """``columns: {field: {column: NAME, pick: [...]}}`` → ``columns`` and ``picks``."""
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
            return data
        columns: dict[str, Any] = {}
        picks: dict[str, Any] = dict(data.get("picks") or {})
        for name, spec in data["columns"].items():
            if isinstance(spec, dict) and set(spec) <= {"column", "pick"} and "column" in spec:
                columns[name] = spec["column"]
                if spec.get("pick") is not None:
                    pick = spec["pick"]
                    picks[name] = [
                        str(item) for item in (pick if isinstance(pick, list) else [pick])
                    ]
            else:
                columns[name] = spec
        return {**data, "columns": columns, "picks": picks}

    @field_validator("values", mode="before")
    @classmethod
    def _value_targets(cls, value: Any) -> Any:
        """YAML reads ``1: active`` and ``[868, 1088]`` as numbers: words and targets are text."""
        if not isinstance(value, dict):
            return value
        return {
            field: {
                str(word): (
                    [str(t) for t in target]
                    if isinstance(target, list)
                    else []
                    if target is None
                    else str(target)
                )
                for word, target in table.items()
            }
            if isinstance(table, dict)
            else table
            for field, table in value.items()
        }

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

    @field_validator("columns", mode="before")
    @classmethod
    def _columns(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        for field, column in value.items():
            if isinstance(column, dict):
                unknown = sorted(set(column) - {"column", "pick"})
                raise ValueError(
                    f"column of {field!r}: write a column name or {{column: NAME, pick: [...]}}"
                    + (f"; unknown key {', '.join(unknown)}" if unknown else "")
                )
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
