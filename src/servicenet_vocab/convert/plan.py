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


_CORE_MODELS: dict[type[RowModel], type[RowModel]] = {}


def core_model(model: type[RowModel]) -> type[RowModel]:
    """The row model with each parsed field typed by its core type (cached per model).

    A subclass, so its instances are rows of ``model`` and the model's validators run on them.
    """
    core = _CORE_MODELS.get(model)
    if core is None:
        fields: dict[str, Any] = {
            name: (_core_type(info), ... if info.is_required() else info.default)
            for name, info in model.model_fields.items()
        }
        # The plan passes model fields only, so refusing unknown keys would check nothing; not
        # looking for them saves about a sixth of the validation.
        relaxed = type(
            model.__name__,
            (model,),
            {"__module__": model.__module__, "model_config": ConfigDict(extra="ignore")},
        )
        core = create_model(
            f"{model.__name__}Core", __base__=relaxed, __module__=model.__module__, **fields
        )
        _CORE_MODELS[model] = core
    return core


def _core_type(info: FieldInfo) -> Any:
    scheme = marker(info, CodeScheme)
    if scheme is not None:
        core: Any = list[str] if scheme.multiple else str
    else:
        parser = marker(info, Parser)
        if parser is None:  # pragma: no cover - every row model field is declared with rows' types
            raise TypeError(f"field type without a parser: {info.annotation}")
        core = parser.core
    return Optional[core] if type(None) in get_args(info.annotation) else core  # noqa: UP045


def field_parsers(model: type[RowModel], context: ConversionContext) -> dict[str, Parse]:
    """Each field's parser, code fields bound to their code list and the mapping's words."""
    parsers: dict[str, Parse] = {}
    for name, info in model.model_fields.items():
        scheme = marker(info, CodeScheme)
        if scheme is not None:
            single = code_reader(context.codes[scheme.name], context.words.get(name))
            parsers[name] = codes_reader(single) if scheme.multiple else single
        else:
            parser = marker(info, Parser)
            assert parser is not None  # checked by core_model
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
        """``columns``: field -> where its value is (index in a CSV row, or a JSON path)."""
        self._validate = core_model(model).__pydantic_validator__.validate_python
        self.parsers = parsers = field_parsers(model, context)
        # Free text and decimals (names, coordinates) seldom repeat and are cheap to parse again:
        # remembering them would only cost memory.
        self.columns: list[Column] = [
            (name, where, parsers[name], None if parsers[name] in _UNREMEMBERED else {})
            for name, where in columns.items()
        ]
        constants: dict[str, Any] | None = {}
        for name, value in context.mapping.constants.items():
            try:
                constants[name] = parsers[name](value)  # type: ignore[index]
            except _REFUSED:  # every row fails on it: the row model words the error
                constants = None
                break
        self.constants = constants

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
        try:
            row: BaseModel = self._validate(data, strict=True)
        except ValidationError:
            return None
        return row
