"""The building blocks of row models: typed fields that parse city values, and the context they use.

A row model is a pydantic model whose fields are the model's terms (``name_fi``, ``places``...), not
the city's columns; the mapping file connects the two. Field types here wrap the parsers in
``values`` and the code lists in ``codes``, so a row model is a declaration:

    class CapacityRow(RowModel):
        unit_id: Text
        places: Count
        age_group: Code("age-group")
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, ClassVar, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from servicenet_vocab.convert import values
from servicenet_vocab.convert.codes import CodeList, CodeLists, normalise
from servicenet_vocab.convert.iris import IriTemplate
from servicenet_vocab.convert.mapping import Mapping
from servicenet_vocab.convert.problems import RowProblem
from servicenet_vocab.namespaces import CODE

__all__ = [
    "Bool",
    "Code",
    "CodeScheme",
    "Codes",
    "ConversionContext",
    "Count",
    "Date",
    "Decimal_",
    "Parser",
    "RowModel",
    "RowProblem",
    "Text",
    "Year",
    "code_reader",
    "codes_reader",
    "concepts_reader",
    "marker",
]

_M = TypeVar("_M")
Words = dict[str, str | tuple[str, ...]]


@dataclass
class ConversionContext:
    """What validators and emitters share for one conversion run."""

    mapping: Mapping
    codes: CodeLists
    municipality: str
    source: str
    dataset: str  # IRI tokens (see emit)
    publisher: str
    # field -> normalised word -> concept, or the concepts (a tuple) a word stands for
    words: dict[str, Words] = field(default_factory=dict)
    # field -> the concepts a pick: list prefers, in order
    picks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    templates: dict[str, IriTemplate] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)  # IRIs of shared nodes already written
    claimed: dict[str, int] = field(default_factory=dict)  # subject IRI -> row that made it
    row: int = 0  # the row being converted
    area_nodes: dict[tuple[str | None, ...], str] = field(default_factory=dict)
    # (field, text) -> concept(s): code texts repeat on every row, look each up once
    found_codes: dict[tuple[str, str], str] = field(default_factory=dict)
    found_lists: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    @cached_property  # read on every row
    def municipality_concept(self) -> str:
        return f"{CODE}municipality/{self.municipality}"

    def claim(self, subject: str, field: str) -> None:
        """Refuse a second row minting the same subject (two units with one identifier)."""
        earlier = self.claimed.setdefault(subject, self.row)
        if earlier != self.row:
            raise RowProblem(field, f"gives the IRI {subject} that row {earlier} gave too")

    def first_time(self, key: str) -> bool:
        """True the first time a shared node (an area, a question, a forecast) is met."""
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def _context(info: ValidationInfo) -> ConversionContext:
    context = info.context
    if not isinstance(context, ConversionContext):  # pragma: no cover - programming error
        raise TypeError("row models are validated with a ConversionContext")
    return context


def _non_negative(value: int) -> int:
    if value < 0:
        raise PydanticCustomError(
            "negative", "'{value}' is negative; expected 0 or more", {"value": value}
        )
    return value


def concepts_reader(code_list: CodeList, words: Words | None) -> Callable[[Any], tuple[str, ...]]:
    """Code text → the concepts it names: one from the code list, or what the mapping's
    ``values`` give for the word (a concept, several, or none)."""

    def read(value: Any) -> tuple[str, ...]:
        text = values.parse_text(value)
        if words:
            found = words.get(normalise(text))
            if found is not None:
                return found if isinstance(found, tuple) else (found,)
        return (code_list.lookup(text),)

    return read


def code_reader(
    code_list: CodeList, words: Words | None, pick: tuple[str, ...] | None = None
) -> Callable[[Any], str]:
    """Code text → concept IRI for one field (``words``: the mapping's own words for it).

    With ``pick`` the value may hold several codes (a JSON list or separated text) and the field
    takes the first concept of ``pick`` among them (else the first of them)."""
    concepts = concepts_reader(code_list, words)
    if pick is not None:
        several = codes_reader(concepts)

        def read_picked(value: Any) -> str:
            found = several(value)
            if not found:
                raise PydanticCustomError(
                    "unknown_code",
                    "'{value}' gives no {scheme} code (the mapping's values map it to none)",
                    {"value": str(value), "scheme": code_list.name},
                )
            return next((concept for concept in pick if concept in found), found[0])

        return read_picked

    def read(value: Any) -> str:
        found = concepts(value)
        if len(found) != 1:
            raise PydanticCustomError(
                "unknown_code",
                "'{value}' stands for {count} {scheme} codes in the mapping's values; the field "
                "takes one (give the column a pick: list)",
                {"value": str(value), "count": len(found), "scheme": code_list.name},
            )
        return found[0]

    return read


_SEPARATORS = re.compile(r"\s*[,;/|]\s*|\s+ja\s+|\s+och\s+|\s+and\s+")


def codes_reader(concepts: Callable[[Any], tuple[str, ...]]) -> Callable[[Any], list[str]]:
    """Several codes (a JSON list, or text separated by , ; / | or "ja"/"och"/"and") → concepts,
    each once, in order. Text that is one code word as a whole ("yksityinen, yksityisen hoidon
    tuella") is that one code; an array written as text (``{CENTRE,PRESCHOOL}`` from PostgreSQL,
    ``["jm01", "jm02"]``) is its items."""

    def read_all(value: Any) -> list[str]:
        if isinstance(value, list):
            items: list[Any] = value
        else:
            text = str(value).strip()
            if text[:1] + text[-1:] in ("{}", "[]"):
                text = text[1:-1].replace('"', " ").strip()
            items = _SEPARATORS.split(text)
            if len(items) > 1:
                try:
                    return list(dict.fromkeys(concepts(text)))
                except PydanticCustomError:
                    pass  # not one word: its parts are
        found: list[str] = []
        for item in items:
            if str(item).strip():
                for concept in concepts(item):
                    if concept not in found:
                        found.append(concept)
        return found

    return read_all


def _code(scheme: str) -> Callable[[Any, ValidationInfo], str]:
    def lookup(value: Any, info: ValidationInfo) -> str:
        context = _context(info)
        name = info.field_name or ""
        key = (name, value) if type(value) is str else None
        if key is not None and key in context.found_codes:  # code texts repeat on every row
            return context.found_codes[key]
        reader = code_reader(
            context.codes[scheme], context.words.get(name), context.picks.get(name)
        )
        concept = reader(value)
        if key is not None:
            context.found_codes[key] = concept
        return concept

    return lookup


def _codes(scheme: str) -> Callable[[Any, ValidationInfo], list[str]]:
    def lookup_all(value: Any, info: ValidationInfo) -> list[str]:
        context = _context(info)
        name = info.field_name or ""
        key = (name, value) if type(value) is str else None
        if key is not None and key in context.found_lists:
            return list(context.found_lists[key])
        found = codes_reader(concepts_reader(context.codes[scheme], context.words.get(name)))(value)
        if key is not None:
            context.found_lists[key] = tuple(found)
        return found

    return lookup_all


@dataclass(frozen=True)
class Parser:
    """Marks a field type with its parser and the core type the parsed value has, so a compiled
    plan (``plan``) can run the parser itself and let pydantic check core types only."""

    parse: Callable[[Any], Any]
    core: Any


Text = Annotated[str, BeforeValidator(values.parse_text), Parser(values.parse_text, str)]
Count = Annotated[
    int,
    BeforeValidator(values.parse_int),
    AfterValidator(_non_negative),
    Parser(values.parse_int, Annotated[int, Field(ge=0)]),
]
Year = Annotated[int, BeforeValidator(values.parse_year), Parser(values.parse_year, int)]
Decimal_ = Annotated[
    Decimal, BeforeValidator(values.parse_decimal), Parser(values.parse_decimal, Decimal)
]
Date = Annotated[date, BeforeValidator(values.parse_date), Parser(values.parse_date, date)]
Bool = Annotated[bool, BeforeValidator(values.parse_bool), Parser(values.parse_bool, bool)]


@dataclass(frozen=True)
class CodeScheme:
    """Marks a field as holding concepts of the named code list (several if ``multiple``)."""

    name: str
    multiple: bool = False


def Code(scheme: str) -> Any:
    """A field holding one concept of a code list, given as notation or label."""
    return Annotated[str, BeforeValidator(_code(scheme)), CodeScheme(scheme)]


def Codes(scheme: str) -> Any:
    """A field holding one or more concepts, as a JSON list or text separated by , ; / or "ja"."""
    return Annotated[list[str], BeforeValidator(_codes(scheme)), CodeScheme(scheme, multiple=True)]


def rule(field: str, message: str, **values: object) -> PydanticCustomError:
    """An error from a row model's cross-field check, attributed to ``field``'s column."""
    return PydanticCustomError("row_rule", message, {"field": field, **values})


def marker(info: FieldInfo, cls: type[_M]) -> _M | None:
    """The ``cls`` marker on a field's type, also inside ``Optional[Annotated[...]]``."""
    return _marker_in([*info.metadata], info.annotation, cls)


def _marker_in(metadata: list[Any], annotation: Any, cls: type[_M]) -> _M | None:
    for meta in [*metadata, *getattr(annotation, "__metadata__", ())]:
        if isinstance(meta, cls):
            return meta
    for argument in get_args(annotation):
        found = _marker_in([], argument, cls)
        if found is not None:
            return found
    return None


class RowModel(BaseModel):
    """Base of every row model: immutable, unknown fields refused, code schemes declared."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The IRI templates a kind uses, with the default pattern below the mapping's base IRI.
    IRI_DEFAULTS: ClassVar[dict[str, str]] = {}

    @classmethod
    def code_schemes(cls) -> dict[str, str]:
        """Fields holding code-list concepts and their scheme (``values:`` may name only these)."""
        found = {}
        for name, info in cls.model_fields.items():
            scheme = marker(info, CodeScheme)
            if scheme:
                found[name] = scheme.name
        return found

    @classmethod
    def required_fields(cls) -> set[str]:
        return {name for name, info in cls.model_fields.items() if info.is_required()}


def words_for(mapping: Mapping, codes: CodeLists, schemes: dict[str, str]) -> dict[str, Words]:
    """The mapping's ``values`` resolved to concept IRIs, keyed by normalised word (a word
    mapped to a list stands for those concepts, in order)."""
    resolved: dict[str, Words] = {}
    for field_name, table in mapping.values.items():
        code_list = codes[schemes[field_name]]
        resolved[field_name] = {
            normalise(str(word)): (
                tuple(dict.fromkeys(code_list.lookup(str(t)) for t in target))
                if isinstance(target, list)
                else code_list.lookup(str(target))
            )
            for word, target in table.items()
        }
    return resolved


def iter_nonempty(*items: tuple[str, str | None]) -> Iterator[tuple[str, str]]:
    """(language, text) pairs whose text is present."""
    for language, text in items:
        if text:
            yield language, text
