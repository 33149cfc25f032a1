"""IRI templates of a mapping: ``unit/{id}``, ``offers/{school_year|slug}/{area_code}/{channel?}``.

A placeholder names a row-model field; ``|slug`` makes a readable path segment of free text and
``?`` drops the segment (and its slash) when the field is empty. Filled-in IRIs are checked, so a
city value can never produce an IRI the RDF writers refuse.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from pydantic import (
    BaseModel,
)

from servicenet_vocab.convert.emit import BAD_IRI_CHARS, IRI_SCHEME, checked_iri
from servicenet_vocab.convert.problems import RowProblem
from servicenet_vocab.namespaces import CODE

__all__ = ["IriTemplate", "slug"]


_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)(\|slug)?(\?)?\}")


def slug(text: str) -> str:
    """``Päiväkoti Kannel`` → ``paivakoti-kannel``: ASCII, lower case, hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _segment(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "-".join(_segment(item) for item in value)
    text = str(value)
    return text.rsplit("/", 1)[1] if text.startswith(CODE) else text  # a concept: its notation


_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")
_DOUBLE_SLASH = re.compile(r"/{2,}")


@dataclass(frozen=True)
class IriTemplate:
    """An IRI pattern filled from a row: ``{field}``, ``{field|slug}``, ``{field?}`` (may be empty).

    A code value fills in as its notation (``age-group/1-2`` gives ``1-2``); other values are
    percent-encoded; empty optional parts drop out with their slash.
    """

    name: str
    pattern: str
    # (text before, field, as slug, optional) for each placeholder, then the text after the last
    parts: tuple[tuple[str, str, bool, bool], ...] = field(init=False, repr=False, compare=False)
    tail: str = field(init=False, repr=False, compare=False)
    # Filled-in parts are unreserved characters or %XX, never what an IRI refuses; so when the
    # pattern's fixed text starts with a scheme and is clean, every IRI it gives is valid.
    trusted: bool = field(init=False, repr=False, compare=False)
    # (text before, field) when every placeholder is plain (no slug, not optional) and trusted
    plain: tuple[tuple[str, str], ...] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts, position = [], 0
        for found in _PLACEHOLDER.finditer(self.pattern):
            before = self.pattern[position : found.start()]
            parts.append((before, found.group(1), bool(found.group(2)), bool(found.group(3))))
            position = found.end()
        tail = self.pattern[position:]
        fixed = "".join(part[0] for part in parts) + tail
        trusted = bool(IRI_SCHEME.match(parts[0][0] if parts else tail))
        object.__setattr__(self, "parts", tuple(parts))
        object.__setattr__(self, "tail", tail)
        trusted = trusted and not BAD_IRI_CHARS.search(fixed)
        object.__setattr__(self, "trusted", trusted)
        simple = trusted and not any(as_slug or optional for _, _, as_slug, optional in parts)
        object.__setattr__(self, "plain", tuple(p[:2] for p in parts) if simple else None)

    def fields(self) -> list[str]:
        return [part[1] for part in self.parts]

    def expand(self, row: BaseModel) -> str:
        """The IRI token for a row (``RowProblem`` when a needed value is empty or it is invalid)."""
        if self.plain is not None:  # the usual case, for every row: letters and digits, dates
            values = row.__dict__
            pieces: list[str] = []
            for before, key in self.plain:
                value = values.get(key)
                if type(value) is str and value.isalnum() and value.isascii():
                    pieces += (before, value)
                elif type(value) is date:
                    pieces += (before, value.isoformat())
                else:
                    return self._expand(row)
            pieces.append(self.tail)
            return f"<{''.join(pieces)}>"
        return self._expand(row)

    def _expand(self, row: BaseModel) -> str:
        pieces: list[str] = []
        dropped = False
        for before, key, as_slug, optional in self.parts:
            pieces.append(before)
            value = getattr(row, key, None)
            if not value and (value is None or value == "" or value == []):
                if not optional:
                    raise RowProblem(
                        key, f"is empty but the {self.name} IRI needs it ({self.pattern})"
                    )
                dropped = True
                continue
            if type(value) is str and not value.startswith(CODE):
                text = value
            elif type(value) is date:
                text = value.isoformat()
            else:
                text = _segment(value)
            if as_slug:
                pieces.append(slug(text))
            else:
                safe = (text.isascii() and text.isalnum()) or _SAFE.match(text)
                pieces.append(text if safe else quote(text, safe="-._~"))
        pieces.append(self.tail)
        text = "".join(pieces)
        if dropped:
            scheme, separator, rest = text.partition("://")
            text = scheme + separator + _DOUBLE_SLASH.sub("/", rest).rstrip("/")
        if self.trusted:
            return f"<{text}>"
        token = checked_iri(text)
        if token is None:
            raise RowProblem(None, f"the {self.name} IRI '{text}' is not a valid IRI")
        return token
