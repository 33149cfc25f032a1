"""Areas from GIS layers: GeoJSON, GML (WFS) and GeoPackage, in any CRS, through GDAL (pyogrio).

Each feature becomes a planning area of its level (``sn:MajorDistrict``, ``sn:District``,
``sn:SubDistrict``, ``sn:PostalCodeArea``, ``sn:CatchmentArea``...) with its code, fi/sv names, the
area it is part of and its geometry as a GeoSPARQL WKT literal in WGS84 (CRS84). The areas above it
are written too, once each, from the feature's parent columns or a known list (see ``hierarchy``);
a catchment or pre-school area also gets its kind, the unit it is served by (``toimipiste_id``, a TPR id →
the service map's unit IRI), its language and school year. Invalid geometry is an
error naming the feature unless ``--repair``. The layer is read twice, attributes only the first
time (to know the areas the file describes before any refers to them), and streams both times.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Any

from servicenet_vocab.convert.codes import CodeLists, load_code_lists
from servicenet_vocab.convert.dataset import dataset_triples, publisher_node
from servicenet_vocab.convert.emit import RdfWriter, Triple, checked_iri, iri, turtle
from servicenet_vocab.convert.engine import ConversionResult
from servicenet_vocab.convert.iris import slug
from servicenet_vocab.convert.mapping import Mapping
from servicenet_vocab.convert.problems import RowError
from servicenet_vocab.convert.rows import ConversionContext
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.namespaces import CODE
from servicenet_vocab.sources.areas.columns import HIERARCHY_ONLY, Columns, infer_columns
from servicenet_vocab.sources.areas.columns import level_of_aluejako as _level_of
from servicenet_vocab.sources.areas.geometry import Batch, Projector, crs_iri
from servicenet_vocab.sources.areas.hierarchy import (
    Area,
    FeatureProblem,
    Registry,
    describe,
    text_of,
)
from servicenet_vocab.sources.areas.layer import LayerInfo, features, layer_info
from servicenet_vocab.sources.areas.render import Catchment, Minter, area_triples
from servicenet_vocab.sources.base import Source, SourceOptions

__all__ = ["SOURCE", "read"]

TITLE = {"fi": "Aluejako", "sv": "Områdesindelning", "en": "Area division"}
OPTIONS = {
    "layer": "the layer to read when the file has several (GeoPackage)",
    "level": "the layer's area level when it cannot be inferred: major-district, district, "
    "sub-district, postal-code-area, grid-cell, catchment-area, service-area",
    "code": "the field holding the area code",
    "name_fi": "the field holding the Finnish name",
    "name_sv": "the field holding the Swedish name",
    "parent": "the field holding the code of the area one level up",
    "parents": "a known list: an area file beside the input describing the parent areas",
    "crs": "the layer's CRS when it has none or a wrong one (EPSG:3067, EPSG:3879...)",
    "original_crs": "yes: also keep the geometry in the layer's own CRS (a second WKT)",
    "kind": "catchment kind: pre-school, grades-1-6 or grades-7-9",
    "language": "catchment language of instruction: fi or sv",
    "school_year": "catchment school year (2024-2025) when the layer has no 'lukuvuosi'",
    "unit": "the field naming the unit a catchment area is served by (default toimipiste_id)",
    "unit_iri": "the unit IRI pattern, {id} or {id|slug} (default: the service map's for a "
    "toimipiste_id, else unit/{id} under the base IRI)",
}
_SCHOOL_YEAR = re.compile(r"^(20\d\d)-(20\d\d)$")
_LANGUAGES = {"fi": "fi", "suomi": "fi", "fin": "fi", "sv": "sv", "se": "sv", "ruotsi": "sv"}


def read(path: Path, out: IO[bytes], options: SourceOptions) -> ConversionResult:
    extra = dict(options.extra)
    source = path.name
    info = layer_info(path, extra.get("layer"))
    columns = infer_columns(info, extra, source)
    projector = Projector.of(extra.get("crs") or info.crs, source)
    codes = load_code_lists()
    municipality = _municipality(options, path, info, columns, codes)
    _check_catchment(columns, extra, source)
    registry = Registry()
    if "parents" in extra:
        known = _beside(path, extra["parents"])
        _register(known, layer_info(known, None), registry, municipality, extra, listing=True)
    _register(path, info, registry, municipality, extra, listing=False)
    mapping = Mapping(kind="areas", base_iri=options.base_iri, municipality=municipality)
    dataset = checked_iri(f"{options.base_iri}dataset/areas/{slug(path.stem) or 'layer'}")
    publisher = checked_iri(publisher_node(mapping))
    if dataset is None or publisher is None:
        raise InputError(
            f"'{options.base_iri}' gives invalid IRIs", location=Location(field="base")
        )
    context = ConversionContext(mapping, codes, municipality, source, dataset, publisher)
    writer = RdfWriter(out)
    writer.comment(f"converted from {source} (areas, layer {info.name}) by servicenet convert")
    writer.write(dataset_triples(TITLE, context))
    run = _Run(source, columns, registry, codes, context, projector, options, extra)
    for batch in features(path, info):
        run.batch(batch, writer)
    writer.flush()
    return ConversionResult(
        source=source,
        rows=run.number,
        converted=run.converted,
        triples=writer.triples,
        errors=run.errors,
    )


def _beside(path: Path, name: str) -> Path:
    """A file named by an option must lie beside the input (the API's uploads have none)."""
    candidates = [Path(name), path.parent / name]
    for candidate in candidates:
        if candidate.is_file() and candidate.resolve().parent == path.resolve().parent:
            return candidate
    raise InputError(
        f"--option parents={name}: no such file beside the input",
        location=Location(field="parents"),
    )


def _municipality(
    options: SourceOptions, path: Path, info: LayerInfo, columns: Columns, codes: CodeLists
) -> str:
    chosen = options.municipality
    if chosen is None and columns.municipality:
        for batch in features(path, info, columns=[columns.municipality], geometry=False):
            chosen = next((_code3(r.get(columns.municipality)) for r in batch), None)
            break
    if not chosen:
        raise InputError(
            "the municipality is not known: give --municipality CODE (the layer has no 'kunta')",
            location=Location(source=path.name),
        )
    if not _is_municipality(chosen, codes):
        raise InputError(
            f"'{chosen}' is not a municipality code of the code list",
            location=Location(source=path.name, field="municipality"),
        )
    return chosen


def _code3(value: Any) -> str | None:
    text = text_of(value)
    return text.zfill(3) if text and text.isdigit() and len(text) < 3 else text


def _is_municipality(code: str, codes: CodeLists) -> bool:
    return f"{codes['municipality'].scheme}/{code}" in codes["municipality"].notations


def _check_catchment(columns: Columns, extra: dict[str, str], source: str) -> None:
    if columns.level != "catchment-area":
        return
    where = Location(source=source)
    if columns.kind is None:
        raise InputError(
            "cannot tell the catchment kind from the layer name; give --option kind="
            "pre-school, grades-1-6 or grades-7-9",
            location=where,
        )
    if columns.language is None and _LANGUAGES.get(columns.language_value or "") is None:
        raise InputError(
            "cannot tell the language of instruction; give --option language=fi or sv",
            location=where,
        )
    if columns.unit is None:
        raise InputError(
            "no field names the unit the areas are served by; give --option unit=FIELD",
            location=where,
        )
    if columns.school_year is None and "school_year" not in extra:
        raise InputError(
            "the layer has no school year ('lukuvuosi'); give --option school_year=2024-2025",
            location=where,
        )


def _register(
    path: Path,
    info: LayerInfo,
    registry: Registry,
    municipality: str,
    extra: dict[str, str],
    *,
    listing: bool,
) -> None:
    """Know the areas a layer describes (attributes only); its problems are reported later."""
    options = {} if listing else extra
    columns = infer_columns(info, options, path.name)
    for batch in features(path, info, geometry=False):
        for record in batch:
            level = _level_of(text_of(record.get(columns.aluejako or "")), columns.level)
            if level is None:
                continue
            own = _code3(record.get(columns.municipality)) if columns.municipality else None
            try:
                area = describe(record, level, columns, own or municipality)
            except FeatureProblem:
                continue
            if area is not None:
                registry.add(area, path.name, listing=listing)


# toimipiste_id is the unit's id in the capital region's unit register (TPR): the unit IRIs of
# 'servicenet convert servicemap' (sources/mappings/servicemap.mapping.yaml), so the two link.
SERVICE_MAP_UNIT = "https://palvelukartta.hel.fi/unit/{id}"


def _unit_pattern(columns: Columns) -> str:
    return SERVICE_MAP_UNIT if (columns.unit or "").lower() == "toimipiste_id" else "unit/{id}"


class _Run:
    """The second pass: every feature's triples, or its errors."""

    def __init__(
        self,
        source: str,
        columns: Columns,
        registry: Registry,
        codes: CodeLists,
        context: ConversionContext,
        projector: Projector,
        options: SourceOptions,
        extra: dict[str, str],
    ) -> None:
        self.source, self.columns, self.registry, self.codes = source, columns, registry, codes
        self.context, self.projector, self.options, self.extra = context, projector, options, extra
        self.minter = Minter(options.base_iri, extra.get("unit_iri") or _unit_pattern(columns))
        self.original = extra.get("original_crs", "no").lower() in ("yes", "true", "1")
        self.crs_iri = crs_iri(projector.crs) if self.original else ""
        self.label = source.replace("\n", " ")
        self.number = self.converted = 0
        self.errors: list[RowError] = []
        self.own: dict[tuple[str, str], int] = {}

    def batch(self, records: list[dict[Any, Any]], writer: RdfWriter) -> None:
        wkbs = [record.pop(None, None) for record in records]
        geometries = Batch.of(
            wkbs, self.projector, repair=self.options.repair, original=self.original
        )
        for index, record in enumerate(records):
            self.number += 1
            self.context.row = self.number
            original = geometries.original[index]
            try:
                text, count = self.feature(
                    record,
                    geometries.wkt[index],
                    f"<{self.crs_iri}> {original}" if original else None,
                    geometries.problems.get(index),
                )
            except FeatureProblem as error:
                self.errors.append(
                    RowError(self.source, self.number, error.field, error.message, error.value)
                )
                continue
            note = "# geometry repaired (make_valid)\n" if index in geometries.repaired else ""
            if text:
                writer.text(f"\n# {self.label} row {self.number}\n{note}{text}", count)
            self.converted += 1

    def feature(
        self, record: dict[str, Any], wkt: str | None, original: str | None, problem: str | None
    ) -> tuple[str, int]:
        columns = self.columns
        municipality = self.context.municipality
        if columns.municipality:
            own = _code3(record.get(columns.municipality))
            if own and not _is_municipality(own, self.codes):
                raise FeatureProblem(
                    columns.municipality, f"'{own}' is not a municipality code", own
                )
            municipality = own or municipality
        value = text_of(record.get(columns.aluejako or ""))
        level = _level_of(value, columns.level)
        if level is None:
            raise FeatureProblem(
                columns.aluejako,
                f"'{value}' is not a level of the area-level code list; give --option level=LEVEL",
                value,
            )
        area = describe(record, level, columns, municipality)
        if area is None:  # pragma: no cover - describe returns an area for every level
            return "", 0
        top = iri(f"{CODE}municipality/{municipality}")
        chain = self._lineage(area)
        triples: list[Triple] = []
        for above in chain:
            node = self.minter.area(above.level, above.code)
            if self.context.first_time(node):
                triples += area_triples(node, above, self._parent(above, top))
        if level == HIERARCHY_ONLY:  # the sub-district it lies in was written above
            leaf = self.minter.area(area.level, area.code)
            if self.context.first_time(leaf):
                triples += area_triples(leaf, area, self._parent(area, top))
            return turtle(triples)
        if problem:
            raise FeatureProblem("geometry", problem)
        self._claim(area, columns)
        catchment = self._catchment(record) if level == "catchment-area" else None
        node = self.minter.area(level, area.code, columns.kind)
        self.context.seen.add(node)
        triples += area_triples(
            node,
            area,
            self._parent(area, top),
            wkt=wkt,
            original=original,
            catchment=catchment,
        )
        return turtle(triples)

    def _parent(self, area: Area, top: str) -> str:
        return top if area.parent is None else self.minter.area(*area.parent)

    def _claim(self, area: Area, columns: Columns) -> None:
        earlier = self.own.setdefault(area.key, self.number)
        if earlier != self.number:
            raise FeatureProblem(
                columns.code, f"'{area.code}' is the code of feature {earlier} too", area.code
            )

    def _lineage(self, area: Area) -> list[Area]:
        """The areas above ``area``, top down, from the feature itself or the known lists."""
        described = {above.key: above for above in area.ancestors}
        chain: list[Area] = []
        current = area
        while current.parent is not None:
            key = current.parent
            found = described.get(key) or self.registry.areas.get(key)
            if found is None:
                raise FeatureProblem(
                    current.parent_field,
                    f"{key[0]} '{key[1]}' (from '{current.parent_value}') is not in the file or "
                    "the known lists (--option parents=FILE)",
                    current.parent_value,
                )
            listed = self.registry.children.get(key)
            if listed is not None and current.code not in listed and key not in described:
                raise FeatureProblem(
                    self.columns.code if current is area else current.parent_field,
                    f"{current.level} '{current.code}' is not in the list of {key[0]} '{key[1]}' "
                    f"({self.registry.origin.get(key)})",
                    current.code,
                )
            chain.append(found)
            current = found
        return chain[::-1]

    def _catchment(self, record: dict[str, Any]) -> Catchment:
        columns = self.columns
        assert columns.kind is not None and columns.unit is not None
        year = (
            text_of(record.get(columns.school_year))
            if columns.school_year
            else self.extra.get("school_year")
        )
        year_field = columns.school_year or "school_year"
        match = _SCHOOL_YEAR.match(year or "")
        if year is None:
            raise FeatureProblem(year_field, "is empty; a catchment area needs its school year")
        if not match or int(match[2]) != int(match[1]) + 1:
            raise FeatureProblem(year_field, f"'{year}' is not a school year like 2024-2025", year)
        language_text = (
            text_of(record.get(columns.language)) if columns.language else columns.language_value
        )
        language = _LANGUAGES.get((language_text or "").lower())
        if language is None:
            raise FeatureProblem(
                columns.language, f"'{language_text}' is not a language (fi, sv)", language_text
            )
        unit = text_of(record.get(columns.unit))
        if unit is None:
            raise FeatureProblem(columns.unit, "is empty; the area must name the unit serving it")
        return Catchment(columns.kind, self.minter.unit(unit, columns.unit), language, year)


SOURCE = Source(
    name="areas",
    title={"fi": "Aluejaot", "sv": "Områdesindelningar", "en": "Areas"},
    summary="areas from WFS GML, GeoJSON or GeoPackage (any CRS): levels, codes, names, "
    "hierarchy, catchment areas, WGS84 WKT geometry",
    suffixes=(".geojson", ".json", ".gml", ".xml", ".gpkg"),
    read=read,
    options=OPTIONS,
)
