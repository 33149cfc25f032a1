"""What one feature says about its area and the areas above it, and the lists codes are checked on.

A feature names its own area (level, code, fi/sv names) and its parent: from parent columns
(``osaalue_tunnus``, ``peruspiiri_tunnus``, ``suurpiiri_tunnus`` with their ``_nimi_fi``/``_nimi_se``,
as on Helsinki's *pienalue* layer), from a Helsinki-style ten-digit code (municipality, major
district, district, sub-district: ``0912205331`` is sub-district 331 of district 205 of major district
2 of Helsinki 091) or from ``--option parent=FIELD``. A parent must be described in the file or in a
known list (``--option parents=FILE``: another area layer, e.g. ``pienalueet.geojson``), and a
sub-district must be in its district's list when a known list gives one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from servicenet_vocab.sources.areas.columns import HIERARCHY, HIERARCHY_ONLY, Columns

__all__ = ["Area", "FeatureProblem", "Registry", "describe", "text_of"]

_FULL_CODE = re.compile(r"^\d{10}$")
_POSTAL_CODE = re.compile(r"^\d{5}$")

Key = tuple[str, str]  # (level, code)


class FeatureProblem(Exception):
    """What is wrong with one feature, and in which field."""

    def __init__(self, field_name: str | None, message: str, value: Any = None) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message
        self.value = None if value is None else str(value)


@dataclass(frozen=True)
class Area:
    """An area as a feature or a known list describes it."""

    level: str
    code: str
    name_fi: str | None
    name_sv: str | None
    parent: Key | None  # None: directly part of the municipality
    parent_field: str | None = None  # the field the parent's code came from
    parent_value: str | None = None
    ancestors: tuple[Area, ...] = ()  # areas above it that the same feature describes

    @property
    def key(self) -> Key:
        return (self.level, self.code)


def text_of(value: Any) -> str | None:
    """A field value as text: integers without ``.0``, blanks as ``None``."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def name_of(value: Any) -> str | None:
    """A name; Helsinki writes its districts in capitals (``KAARELA``): those are title-cased."""
    text = text_of(value)
    if text and text.isupper():
        return text.title()
    return text


@dataclass
class Registry:
    """Areas known by (level, code), and for parents from known lists the codes listed under them."""

    areas: dict[Key, Area] = field(default_factory=dict)
    origin: dict[Key, str] = field(default_factory=dict)
    children: dict[Key, set[str]] = field(default_factory=dict)

    def add(self, area: Area, origin: str, *, listing: bool) -> None:
        for known in (*area.ancestors, area):
            self.areas.setdefault(known.key, known)
            self.origin.setdefault(known.key, origin)
            if listing and known.parent is not None:
                self.children.setdefault(known.parent, set()).add(known.code)


def _chain(record: dict[str, Any], columns: Columns, municipality: str) -> dict[str, Area]:
    """The areas the parent columns describe (suurpiiri, peruspiiri, osa-alue), linked upwards."""
    found: dict[str, Area] = {}
    parent: Key | None = None
    parent_field: str | None = None
    for level in HIERARCHY:
        if level not in columns.chain:
            continue
        code_field, fi_field, sv_field = columns.chain[level]
        code = text_of(record.get(code_field))
        if code is None:
            continue
        if level == "sub-district":
            code = _full_code(code, found, municipality)
        area = Area(
            level,
            code,
            name_of(record.get(fi_field)) if fi_field else None,
            name_of(record.get(sv_field)) if sv_field else None,
            parent,
            parent_field,
            None if parent is None else parent[1],
        )
        found[level] = area
        parent, parent_field = area.key, code_field
    return found


def _full_code(code: str, chain: dict[str, Area], municipality: str) -> str:
    """A sub-district's three-digit code made unique in the municipality: ``0912205331``."""
    if len(code) == 3 and "district" in chain and "major-district" in chain:
        return f"{municipality}{chain['major-district'].code}{chain['district'].code}{code}"
    return code


def describe(
    record: dict[str, Any], level: str, columns: Columns, municipality: str
) -> Area | None:
    """The feature's own area (``None`` for a small area, which only carries the hierarchy) with
    the ancestors it describes itself; ``FeatureProblem`` when its codes do not hold together."""
    chain = _chain(record, columns, municipality)
    if level == HIERARCHY_ONLY:
        if "sub-district" not in chain:
            raise FeatureProblem(None, "the small area names no sub-district (osaalue_tunnus)")
        leaf = chain.pop("sub-district")
        return _with_ancestors(leaf, chain)
    code_field = columns.code
    code = text_of(record.get(code_field)) if code_field else None
    if code is None:
        raise FeatureProblem(
            code_field,
            "is empty; the area has no code"
            if code_field
            else "the layer has no code field; give --option code=FIELD",
        )
    name_fi = name_of(record.get(columns.name_fi)) if columns.name_fi else None
    name_sv = name_of(record.get(columns.name_sv)) if columns.name_sv else None
    if not (name_fi or name_sv):
        field_name = columns.name_fi or columns.name_sv
        raise FeatureProblem(
            field_name,
            "is empty; the area has no name in Finnish or Swedish"
            if field_name
            else "the layer has no name field; give --option name_fi=FIELD or name_sv=FIELD",
        )
    if level == "postal-code-area" and not _POSTAL_CODE.match(code):
        raise FeatureProblem(code_field, f"'{code}' is not a five-digit postal code", code)
    if level not in HIERARCHY:
        return Area(level, code, name_fi, name_sv, None)
    above = {
        lvl: area for lvl, area in chain.items() if HIERARCHY.index(lvl) < HIERARCHY.index(level)
    }
    parent_level = HIERARCHY[HIERARCHY.index(level) - 1] if level != HIERARCHY[0] else None
    parent: Key | None = None
    parent_field = parent_value = None
    if level == "sub-district":
        code = _full_code(code, above, municipality)
        if _FULL_CODE.match(code):
            parent, parent_field = _decoded(code, code_field, above, municipality)
            parent_value = code
    if parent_level and parent_level in above:
        parent = above[parent_level].key
        parent_field = columns.chain[parent_level][0]
        parent_value = parent[1]
    if parent is None and parent_level and columns.parent:
        value = text_of(record.get(columns.parent))
        if value is not None:
            parent, parent_field, parent_value = (parent_level, value), columns.parent, value
    own = Area(level, code, name_fi, name_sv, parent, parent_field, parent_value)
    return _with_ancestors(own, above)


def _decoded(
    code: str, code_field: str | None, above: dict[str, Area], municipality: str
) -> tuple[Key, str | None]:
    """The district a ten-digit sub-district code names, checked against the parent columns."""
    if code[:3] != municipality:
        raise FeatureProblem(
            code_field, f"'{code}' does not start with the municipality code {municipality}", code
        )
    major, district = code[3], code[4:7]
    for level, expected in (("major-district", major), ("district", district)):
        if level in above and above[level].code != expected:
            raise FeatureProblem(
                code_field,
                f"'{code}' names {level} {expected}, but the feature's {level} is "
                f"{above[level].code}",
                code,
            )
    # with the code alone, the known lists must describe the district (and its major district)
    return ("district", district), code_field


def _with_ancestors(area: Area, above: dict[str, Area]) -> Area:
    ancestors = tuple(above[level] for level in HIERARCHY if level in above)
    return Area(
        area.level,
        area.code,
        area.name_fi,
        area.name_sv,
        area.parent,
        area.parent_field,
        area.parent_value,
        ancestors,
    )
