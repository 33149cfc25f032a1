"""A row model compiled for one mapping: per-column parsers with memos, then pydantic on core types.

Validating a raw row with the row model runs one Python ``BeforeValidator`` call per field, and
those calls were the largest cost of a conversion after writing the triples. A ``RowPlan`` is built
once per run. It takes each field's parser from the model's own declaration (the ``Parser`` marker
of ``Text``, ``Count``, ``Date``... and ``CodeScheme`` for codes), binds it to its column, and
remembers what each distinct cell text parsed to (code words, dates and numbers repeat on every
row). The parsed values are then validated by pydantic against a *core* twin of the row model: the
same fields with core types (``str``, ``int >= 0``, ``Decimal``, ``date``...), validated strictly,
and the model's own cross-field validators, inherited.

The plan is a fast path, never a second set of rules: the parsers are the very functions the model's
validators call, so a row the plan accepts is the row the model would give. Whenever a parser or
pydantic refuses a row, ``parse`` returns None and the engine validates the row with the row model
itself, which words the errors (row, column, value, what was expected) exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional, get_args

from pydantic import BaseModel, ConfigDict, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from servicenet_vocab.convert.rows import (
    CodeScheme,
    ConversionContext,
    Parser,
    RowModel,
    code_reader,
    codes_reader,
    concepts_reader,
    marker,
)
from servicenet_vocab.convert.values import parse_decimal, parse_text

__all__ = ["MEMO_LIMIT", "RowPlan", "core_model"]

MEMO_LIMIT = 16384  # distinct texts remembered per column: memory stays flat on unique values
_MISS = object()
_UNREMEMBERED = (parse_text, parse_decimal)
# What a parser raises for a value it refuses (the row then goes to the row model for its error).
_REFUSED = (PydanticCustomError, ValueError, ArithmeticError)

Parse = Callable[[Any], Any]
# field, column (index in a CSV row), parser, memo of text -> parsed value (None: not worth one)
Column = tuple[str, Any, Parse, dict[Any, Any] | None]


_CORE_MODELS: dict[type[RowModel], type[RowModel] | None] = {}


def core_model(model: type[RowModel]) -> type[RowModel] | None:
    """The row model with each parsed field typed by its core type (cached per model), or None
    when a field's type has no ``Parser`` marker (then the row model validates every row).

    A subclass, so its instances are rows of ``model`` and the model's validators run on them.
    """
    if model not in _CORE_MODELS:
        _CORE_MODELS[model] = _core_twin(model)
    return _CORE_MODELS[model]


def _core_twin(model: type[RowModel]) -> type[RowModel] | None:
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        core = _core_type(info)
        if core is None:
            return None
        fields[name] = (core, ... if info.is_required() else info.default)
    # The plan passes model fields only, so refusing unknown keys would check nothing; not looking
    # for them saves about a sixth of the validation.
    relaxed = type(
        model.__name__,
        (model,),
        {"__module__": model.__module__, "model_config": ConfigDict(extra="ignore")},
    )
    twin: type[RowModel] = create_model(
        f"{model.__name__}Core", __base__=relaxed, __module__=model.__module__, **fields
    )
    return twin


def _core_type(info: FieldInfo) -> Any:
    scheme = marker(info, CodeScheme)
    if scheme is not None:
        core: Any = list[str] if scheme.multiple else str
    else:
        parser = marker(info, Parser)
        if parser is None:
            return None
        core = parser.core
    return Optional[core] if type(None) in get_args(info.annotation) else core  # noqa: UP045


def field_parsers(model: type[RowModel], context: ConversionContext) -> dict[str, Parse]:
    """Each field's parser, code fields bound to their code list and the mapping's words."""
    parsers: dict[str, Parse] = {}
    for name, info in model.model_fields.items():
        scheme = marker(info, CodeScheme)
        if scheme is not None:
            code_list, words = context.codes[scheme.name], context.words.get(name)
            if scheme.multiple:
                parsers[name] = codes_reader(concepts_reader(code_list, words))
            else:
                parsers[name] = code_reader(code_list, words, context.picks.get(name))
        else:
            parser = marker(info, Parser)
            if parser is not None:  # (without one there is no plan: see core_model)
                parsers[name] = parser.parse
    return parsers


class RowPlan:
    """Parses rows of one export with the kind's row model, fast when the row is valid."""

    def __init__(
        self,
        model: type[RowModel],
        context: ConversionContext,
        columns: dict[str, Any],
    ) -> None:
        """``columns``: field -> where its value is (index in a CSV row)."""
        core = core_model(model)
        self._validate = core.__pydantic_validator__.validate_python if core else None
        self.parsers = parsers = field_parsers(model, context) if core else {}
        # Free text and decimals (names, coordinates) seldom repeat and are cheap to parse again:
        # remembering them would only cost memory.
        self.columns: list[Column] = [
            (name, where, parsers[name], None if parsers[name] in _UNREMEMBERED else {})
            for name, where in (columns.items() if core else ())
        ]
        # None: no row can take the fast path (no core twin, or a constant the model refuses).
        self.constants = self._parsed_constants(context.mapping.constants) if core else None

    def _parsed_constants(self, constants: dict[str, Any]) -> dict[str, Any] | None:
        parsed = {}
        for name, value in constants.items():
            try:
                parsed[name] = self.parsers[name](value)
            except _REFUSED:  # every row fails on it: the row model words the error
                return None
        return parsed

    def parse(self, values: Any) -> BaseModel | None:
        """The row from a CSV row's values (a list), or None when the row model must decide."""
        if self.constants is None:
            return None
        data = self.constants.copy()
        try:
            for name, index, parse, memo in self.columns:
                text = values[index]
                if not text:  # an empty cell is an absent value
                    continue
                if memo is None:
                    # parse_text inlined (most cells of most exports are free text)
                    data[name] = " ".join(text.split()) if parse is parse_text else parse(text)
                else:
                    value = memo.get(text, _MISS)
                    if value is _MISS:
                        value = parse(text)
                        if len(memo) < MEMO_LIMIT:
                            memo[text] = value
                    data[name] = value
        except _REFUSED:
            return None
        return self._validated(data)

    def parse_picked(self, picked: dict[str, Any]) -> BaseModel | None:
        """The row from values already picked by field (JSON values, any type), or None."""
        if self.constants is None:
            return None
        data = self.constants.copy()
        try:
            for name, value in picked.items():
                data[name] = self.parsers[name](value)
        except _REFUSED:
            return None
        return self._validated(data)

    def _validated(self, data: dict[str, Any]) -> BaseModel | None:
        assert self._validate is not None  # constants is None without it
        try:
            row: BaseModel = self._validate(data, strict=True)
        except ValidationError:
            return None
        return row
