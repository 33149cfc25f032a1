"""The Turtle of one area: class and level, code, names, part of its parent, geometry; a catchment
area also its kind, the unit it is served by, its language and school year."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

from servicenet_vocab.convert.emit import TYPE, Triple, bnode, checked_iri, iri, plain, sn, tagged
from servicenet_vocab.convert.iris import slug
from servicenet_vocab.namespaces import CODE, GEO, RDFS
from servicenet_vocab.sources.areas.columns import KINDS, LEVELS
from servicenet_vocab.sources.areas.hierarchy import Area, FeatureProblem

__all__ = ["Catchment", "Minter", "area_triples"]

LABEL = iri(RDFS + "label")
WKT_LITERAL = iri(GEO + "wktLiteral")
HAS_GEOMETRY = iri(GEO + "hasGeometry")
AS_WKT = iri(GEO + "asWKT")
GEOMETRY = iri(GEO + "Geometry")


@dataclass(frozen=True)
class Catchment:
    """What a catchment area adds: kind notation, the unit IRI token, language, school year."""

    kind: str
    unit: str
    language: str
    school_year: str


@dataclass(frozen=True)
class Minter:
    """IRIs of areas (``area/district-205``, ``area/0912205331``...) and of the units served."""

    base: str
    unit_pattern: str  # "unit/{id}" or "https://.../{id|slug}"

    def area(self, level: str, code: str, kind: str | None = None) -> str:
        prefix = LEVELS[level][1]
        if level == "catchment-area":
            prefix += f"{KINDS[kind or 'pre-school']}-"
        return self._token(f"{self.base}area/{prefix}{quote(code, safe='-._~')}", None)

    def unit(self, value: str, field_name: str | None) -> str:
        pattern = self.unit_pattern
        if not pattern.startswith(("http://", "https://", "urn:")):
            pattern = self.base + pattern
        text = pattern.replace("{id|slug}", slug(value)).replace("{id}", quote(value, safe="-._~"))
        return self._token(text, field_name)

    @staticmethod
    def _token(text: str, field_name: str | None) -> str:
        token = checked_iri(text)
        if token is None:
            raise FeatureProblem(field_name, f"gives the IRI '{text}', which is not valid")
        return token


def area_triples(
    node: str,
    area: Area,
    parent: str,
    *,
    wkt: str | None = None,
    original: str | None = None,
    catchment: Catchment | None = None,
) -> Iterator[Triple]:
    """``node``'s statements; ``parent`` is the IRI token of the area it is part of."""
    yield (node, TYPE, sn(LEVELS[area.level][0]))
    yield (node, TYPE, sn("PlanningArea"))
    yield (node, sn("areaLevel"), iri(f"{CODE}area-level/{area.level}"))
    yield (node, sn("areaCode"), plain(area.code))
    for language, name in (("fi", area.name_fi), ("sv", area.name_sv)):
        if name:
            yield (node, LABEL, tagged(name, language))
    yield (node, sn("partOfArea"), parent)
    if catchment is not None:
        yield (node, sn("catchmentKind"), iri(f"{CODE}catchment-kind/{catchment.kind}"))
        yield (node, sn("servedBy"), catchment.unit)
        yield (node, sn("serviceLanguage"), iri(f"{CODE}language/{catchment.language}"))
        yield (node, sn("schoolYear"), plain(catchment.school_year))
    geometries = [text for text in (wkt, original) if text]
    shapes = [bnode() for _ in geometries]
    for shape in shapes:
        yield (node, HAS_GEOMETRY, shape)
    for shape, text in zip(shapes, geometries, strict=True):
        yield (shape, TYPE, GEOMETRY)
        yield (shape, AS_WKT, f'"{text}"^^{WKT_LITERAL}')
