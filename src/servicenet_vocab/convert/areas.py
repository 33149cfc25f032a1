"""Planning areas named in rows (a district, a sub-district, a postal code area...).

Several kinds refer to areas; each area is written once per output, typed by its level, with its
code, names and ``sn:partOfArea`` the municipality, so the reference resolves inside the dataset.
"""

from __future__ import annotations

from collections.abc import Iterator

from servicenet_vocab.convert.emit import TYPE, Triple, iri, plain, sn, tagged
from servicenet_vocab.convert.rows import Code, ConversionContext, RowModel, RowProblem, Text
from servicenet_vocab.namespaces import CODE, RDFS

__all__ = ["AreaFields", "area_triples"]

LABEL = iri(RDFS + "label")
AREA_CLASSES = {
    "major-district": "MajorDistrict",
    "district": "District",
    "sub-district": "SubDistrict",
    "postal-code-area": "PostalCodeArea",
    "grid-cell": "StatisticalGridCell",
    "catchment-area": "CatchmentArea",
}
DEFAULT_LEVEL = CODE + "area-level/district"


class AreaFields(RowModel):
    """Fields naming the area a row refers to; the IRI comes from the ``area`` template."""

    area_code: Text | None = None
    area_name_fi: Text | None = None
    area_name_sv: Text | None = None
    area_level: Code("area-level") | None = None  # type: ignore[valid-type]

    def has_area(self) -> bool:
        return bool(self.area_code or self.area_name_fi or self.area_name_sv)


def area_node(row: AreaFields, context: ConversionContext) -> str:
    if not row.has_area():
        raise RowProblem("area_code", "is empty; the row must name its area")
    key = (row.area_code, row.area_name_fi, row.area_name_sv)
    node = context.area_nodes.get(key)
    if node is None:  # areas recur on many rows: expand each once
        node = context.area_nodes[key] = context.templates["area"].expand(row)
    return node


def area_triples(row: AreaFields, context: ConversionContext) -> Iterator[Triple]:
    """The area's own triples, only the first time the area appears."""
    node = area_node(row, context)
    if not context.first_time(node):
        return
    level = row.area_level or DEFAULT_LEVEL
    notation = level.rsplit("/", 1)[1]
    if notation == "municipality":
        raise RowProblem("area_level", "names the municipality; areas here are planning areas")
    yield (node, TYPE, sn(AREA_CLASSES[notation]))
    yield (node, TYPE, sn("PlanningArea"))
    yield (node, sn("areaLevel"), iri(level))
    yield (node, sn("partOfArea"), iri(context.municipality_concept))
    if row.area_code:
        yield (node, sn("areaCode"), plain(row.area_code))
    for language, name in (("fi", row.area_name_fi), ("sv", row.area_name_sv)):
        if name:
            yield (node, LABEL, tagged(name, language))
