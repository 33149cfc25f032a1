"""Parsers for the values found in city exports, each failing with what was expected.

Spreadsheets written by Finnish Excel use a decimal comma, ``d.m.yyyy`` dates and words for booleans
("kyllä"/"ei", "ja"/"nej"). Every parser accepts the value as text (CSV) or as the JSON type it
arrives in, and raises ``PydanticCustomError`` whose message names the offending value, so a row
model's error reads "'12,5' is not a whole number".
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from pydantic_core import PydanticCustomError

__all__ = [
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_text",
    "parse_year",
]

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")

TRUE_WORDS = frozenset({"kyllä", "kylla", "k", "ja", "j", "yes", "y", "true", "tosi", "1", "x"})
FALSE_WORDS = frozenset({"ei", "e", "nej", "n", "no", "false", "epätosi", "0"})


def _invalid(kind: str, value: object, expected: str) -> PydanticCustomError:
    return PydanticCustomError(kind, "'{value}' " + expected, {"value": str(value)})


def parse_text(value: Any) -> str:
    """Text with runs of whitespace (also no-break spaces from Excel) collapsed and ends trimmed."""
    if type(value) is str:  # the common case, in C: str.split() knows Unicode spaces
        return " ".join(value.split())
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _invalid("text", value, "is not text")
    return " ".join(str(value).split())


def parse_int(value: Any) -> int:
    """A whole number: ``12``, ``"12"``, ``"1 200"`` (thousands separated by spaces)."""
    if type(value) is str and value.isascii() and value.isdigit():  # the common case, in C
        return int(value)
    if isinstance(value, bool):
        raise _invalid("whole_number", value, "is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _SPACES.sub("", str(value))
    if not _INTEGER.match(text):
        raise _invalid("whole_number", value, "is not a whole number")
    return int(text)


def parse_decimal(value: Any) -> Decimal:
    """A decimal number with a comma or a point: ``"12,5"``, ``"12.5"``, ``"1 234,5"``."""
    if type(value) is str and value.isascii():  # the common case, in C: digits, one separator
        text = value.replace(",", ".", 1)
        if text.replace(".", "", 1).isdigit():
            return Decimal(text)
    if isinstance(value, bool):
        raise _invalid("decimal", value, "is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _SPACES.sub("", str(value))
    if not _DECIMAL.match(text):
        raise _invalid("decimal", value, "is not a number (use 12,5 or 12.5)")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise _invalid("decimal", value, "is not a number") from None


def parse_date(value: Any) -> date:
    """A date as ``d.m.yyyy`` (Finnish) or ``yyyy-mm-dd`` (ISO, a time part is ignored)."""
    if isinstance(value, date):
        return value
    return _date_from_text(str(value).strip())


@lru_cache(maxsize=4096)  # exports repeat the same dates on many rows
def _date_from_text(text: str) -> date:
    value = text
    found = _FINNISH_DATE.match(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
    else:
        found = _ISO_DATE.match(text)
        if not found:
            raise _invalid("date", value, "is not a date (use d.m.yyyy or yyyy-mm-dd)")
        year, month, day = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise _invalid("date", value, "is not a valid calendar date") from None


def parse_year(value: Any) -> int:
    """A calendar year between 1800 and 2200."""
    year = parse_int(value)
    if not 1800 <= year <= 2200:
        raise _invalid("year", value, "is not a year between 1800 and 2200")
    return year


def parse_bool(value: Any) -> bool:
    """A yes/no value in Finnish, Swedish or English (``kyllä``, ``ja``, ``yes``, ``1``...)."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _invalid("boolean", value, "is not yes or no (kyllä/ei, ja/nej, yes/no, 1/0)")
