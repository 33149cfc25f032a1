"""PTV (Suomi.fi service catalogue) Open API v11: service locations as service units.

The input is a channels response (``/api/v11/ServiceChannel/...``: a page ``{"pageNumber",
"pageCount", "itemList"}``, a list of such pages, or a bare list of items); the services the
channels are linked to come from the same input (pages of both kinds may be mixed) or from
``--option services=FILE`` (a services response beside the input). Each ``ServiceLocation`` channel
whose services are ECEC, pre-school or basic education (PTV service classes P3.4, P6.1, P6.2, found
by URI, code or name; a service classed only broadly, as "Koulutus", by its own name) becomes an
``sn:ServiceUnit``: fi/sv/en names, the address (street and number joined) in fi/sv/en, postal code
and post office, the point, one ``sn:ServiceOffering`` per linked service with its PTV id, languages
and weekly service hours (schema.org syntax), and the channel's PTV id. Other channels (phone, web,
e-service) and locations of other services (a health centre) are read and left out.

PTV's ``latitude``/``longitude`` hold ETRS-TM35FIN metres (northing/easting): the point is written
with its WGS84 ``sn:latitude``/``sn:longitude`` (pyproj) and the original as the WKT literal with its
CRS, ``<http://www.opengis.net/def/crs/EPSG/0/3067> POINT(easting northing)``. The municipality is
the record's own (address, else service area) when it is a code of the municipality code list, else
``--municipality`` (PTV's test data uses municipality "1"). A page is read whole: PTV pages hold at
most a thousand items.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Any

from servicenet_vocab.convert.codes import CodeLists, load_code_lists
from servicenet_vocab.convert.dataset import dataset_triples, publisher_node
from servicenet_vocab.convert.emit import (
    TYPE,
    RdfWriter,
    Triple,
    bnode,
    checked_iri,
    iri,
    plain,
    sn,
    tagged,
    turtle,
)
from servicenet_vocab.convert.engine import ConversionResult
from servicenet_vocab.convert.iris import slug
from servicenet_vocab.convert.mapping import Mapping
from servicenet_vocab.convert.problems import RowError
from servicenet_vocab.convert.rows import ConversionContext
from servicenet_vocab.convert.units import UNIT_CLASSES
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.namespaces import CODE, GEO, RDFS
from servicenet_vocab.sources.base import Source, SourceOptions
from servicenet_vocab.sources.ptv.records import (
    LANGUAGES,
    TM35FIN,
    UNIT_TYPE,
    UUID,
    Problem,
    by_language,
    decimal,
    is_channel,
    metres,
    service_types,
)
from servicenet_vocab.sources.ptv.records import hours as weekly_hours
from servicenet_vocab.sources.ptv.records import items as ptv_items
from servicenet_vocab.sources.ptv.records import point as tm35fin_point

__all__ = ["SOURCE", "read"]

LABEL = iri(RDFS + "label")
WKT = iri(GEO + "wktLiteral")

TITLE = {"fi": "PTV:n palvelupaikat", "sv": "Serviceställen i PTV", "en": "PTV service locations"}
OPTIONS = {
    "services": "the services response (JSON) beside the input, to link channels to their classes",
    "unit_iri": "the unit IRI pattern with {id} (the channel's PTV id); default unit/{id}",
}


class _Run:
    def __init__(
        self,
        source: str,
        options: SourceOptions,
        codes: CodeLists,
        services: dict[str, dict[str, Any]],
        linked: dict[str, list[tuple[str, str | None]]],
        context: ConversionContext,
    ) -> None:
        self.source, self.options, self.codes = source, options, codes
        self.services, self.linked, self.context = services, linked, context
        self.unit_pattern = options.extra.get("unit_iri", "unit/{id}")

    def municipality(self, channel: dict[str, Any]) -> str:
        candidates = [
            ((a.get("streetAddress") or {}).get("municipality") or {}).get("code")
            for a in channel.get("addresses") or ()
        ]
        for area in channel.get("areas") or ():
            candidates += [m.get("code") for m in area.get("municipalities") or ()]
        for code in candidates:
            text = str(code or "").strip()
            text = text.zfill(3) if text.isdigit() else text
            if (
                f"{self.codes['municipality'].scheme}/{text}"
                in self.codes["municipality"].notations
            ):
                return text
        if self.options.municipality:
            return self.options.municipality
        raise Problem(
            "addresses.streetAddress.municipality.code",
            f"the record's municipality {candidates[0] if candidates else None!r} is not a code "
            "of the municipality code list; give --municipality CODE",
        )

    def unit(self, channel: dict[str, Any]) -> list[Triple] | str:
        """The unit's triples, or why the channel is not a unit (not an error)."""
        kind = channel.get("serviceChannelType")
        if kind != "ServiceLocation":
            return f"a {kind} channel, not a service location"
        ptv_id = str(channel.get("id") or "")
        if not UUID.match(ptv_id):
            raise Problem("id", f"'{ptv_id}' is not a PTV id (a UUID)", ptv_id)
        offerings = []
        for service_id, name in self.linked.get(ptv_id, []):
            types = service_types(self.services.get(service_id), name)
            offerings += [(service_id, t) for t in types]
        if not offerings:
            return "its services are not ECEC, pre-school or basic education"
        names = by_language(channel.get("serviceChannelNames"), "Name")
        if not (names.get("fi") or names.get("sv")):
            raise Problem("serviceChannelNames", "the location has no name in Finnish or Swedish")
        languages = [
            f"{CODE}language/{code}"
            for code in channel.get("languages") or ()
            if f"{self.codes['language'].scheme}/{code}" in self.codes["language"].notations
        ]
        if not languages:
            raise Problem("languages", "the location names no language of service")
        municipality = self.municipality(channel)
        offered = {t for _, t in offerings}
        unit_type = next(u for s, u in UNIT_TYPE if s in offered)
        node = self._unit_iri(ptv_id)
        triples: list[Triple] = [
            (node, TYPE, sn(UNIT_CLASSES[unit_type])),
            (node, TYPE, sn("ServiceUnit")),
            (node, sn("unitType"), iri(f"{CODE}service-unit-type/{unit_type}")),
            (node, sn("municipality"), iri(f"{CODE}municipality/{municipality}")),
        ]
        triples += [(node, LABEL, tagged(names[lang], lang)) for lang in LANGUAGES if lang in names]
        triples.append((node, sn("ptvId"), plain(ptv_id)))
        pairs, blocks = self._address(node, channel)
        triples += pairs
        hours = weekly_hours(channel)
        for service_id, service_type in offerings:
            offering = bnode()
            triples.append((node, sn("offers"), offering))
            blocks += [
                (offering, TYPE, sn("ServiceOffering")),
                (offering, sn("serviceType"), iri(f"{CODE}service-type/{service_type}")),
                *((offering, sn("serviceLanguage"), iri(language)) for language in languages),
                *((offering, sn("openingHours"), plain(text)) for text in hours),
            ]
            if UUID.match(service_id):
                blocks.append((offering, sn("ptvId"), plain(service_id)))
        return triples + blocks

    def _unit_iri(self, ptv_id: str) -> str:
        pattern = self.unit_pattern
        if not pattern.startswith(("http://", "https://", "urn:")):
            pattern = self.options.base_iri + pattern
        token = checked_iri(pattern.replace("{id}", ptv_id.lower()))
        if token is None:
            raise Problem("id", f"--option unit_iri={self.unit_pattern} gives an invalid IRI")
        return token

    def _address(self, node: str, channel: dict[str, Any]) -> tuple[list[Triple], list[Triple]]:
        """The unit's address and point: its own statements, and the nodes'."""
        for address in channel.get("addresses") or ():
            street = address.get("streetAddress")
            if address.get("type") != "Location" or not isinstance(street, dict):
                continue
            number = str(street.get("streetNumber") or "").strip()
            streets = by_language(street.get("street"))
            offices = by_language(street.get("postOffice"))
            postal = str(street.get("postalCode") or "").strip()
            if postal and not re.match(r"^\d{5}$", postal):
                raise Problem("postalCode", f"'{postal}' is not a five-digit postal code", postal)
            blank = bnode()
            pairs: list[Triple] = [(node, sn("hasAddress"), blank)]
            triples: list[Triple] = [(blank, TYPE, sn("Address"))]
            for lang, text in streets.items():
                joined = f"{text} {number}" if number else text
                triples.append((blank, sn("streetAddress"), tagged(joined, lang)))
            if postal:
                triples.append((blank, sn("postalCode"), plain(postal)))
            for lang, text in offices.items():
                triples.append((blank, sn("postOffice"), tagged(text.title(), lang)))
            point = tm35fin_point(street)
            if point is not None:
                easting, northing, longitude, latitude = point
                shape = bnode()
                pairs.append((node, iri(GEO + "hasGeometry"), shape))
                wkt = f"<{TM35FIN}> POINT({metres(easting)} {metres(northing)})"
                triples += [
                    (shape, TYPE, iri(GEO + "Geometry")),
                    (shape, iri(GEO + "asWKT"), f'"{wkt}"^^{WKT}'),
                    (shape, sn("latitude"), decimal(latitude)),
                    (shape, sn("longitude"), decimal(longitude)),
                ]
            return pairs, triples
        return [], []


def _services_beside(path: Path, name: str) -> list[dict[str, Any]]:
    for candidate in (Path(name), path.parent / name):
        if candidate.is_file() and candidate.resolve().parent == path.resolve().parent:
            return list(ptv_items(candidate))
    raise InputError(
        f"--option services={name}: no such file beside the input",
        location=Location(field="services"),
    )


def _first_municipality(channels: list[tuple[int, dict[str, Any]]], codes: CodeLists) -> str | None:
    probe = _Run("", SourceOptions(), codes, {}, {}, None)  # type: ignore[arg-type]
    for _, channel in channels:
        try:
            return probe.municipality(channel)
        except Problem:
            continue
    return None


def read(path: Path, out: IO[bytes], options: SourceOptions) -> ConversionResult:
    source = path.name
    items = list(ptv_items(path))
    extra_services = (
        _services_beside(path, options.extra["services"]) if "services" in options.extra else []
    )
    services = {str(s.get("id")): s for s in [*items, *extra_services] if not is_channel(s)}
    channels = [(number, item) for number, item in enumerate(items, 1) if is_channel(item)]
    if not channels:
        raise InputError(
            "the file holds no service channels; convert the channels response (with "
            "--option services=FILE for its services)",
            location=Location(source=source),
        )
    linked: dict[str, list[tuple[str, str | None]]] = {}
    for _, channel in channels:
        for link in channel.get("services") or ():
            service = link.get("service") or {}
            linked.setdefault(str(channel.get("id")), []).append(
                (str(service.get("id")), service.get("name"))
            )
    for service_id, service in services.items():
        for link in service.get("serviceChannels") or ():
            channel_id = str((link.get("serviceChannel") or {}).get("id"))
            pairs = linked.setdefault(channel_id, [])
            if all(sid != service_id for sid, _ in pairs):
                pairs.append((service_id, None))
    codes = load_code_lists()
    municipality = options.municipality or _first_municipality(channels, codes)
    if municipality is None:
        raise InputError(
            "no record names a municipality of the code list (PTV's test data uses '1'): give "
            "--municipality CODE, the publisher and the municipality of such records",
            location=Location(source=source),
        )
    mapping = Mapping(kind="ptv", base_iri=options.base_iri, municipality=municipality)
    dataset = checked_iri(f"{options.base_iri}dataset/ptv/{slug(path.stem) or 'channels'}")
    publisher = checked_iri(publisher_node(mapping))
    if dataset is None or publisher is None:
        raise InputError(
            f"'{options.base_iri}' gives invalid IRIs", location=Location(field="base")
        )
    context = ConversionContext(mapping, codes, municipality, source, dataset, publisher)
    run = _Run(source, options, codes, services, linked, context)
    writer = RdfWriter(out)
    writer.comment(f"converted from {source} (PTV v11 service channels) by servicenet convert")
    writer.write(dataset_triples(TITLE, context))
    result = ConversionResult(source=source, rows=len(channels))
    label = source.replace("\n", " ")
    for number, channel in channels:
        try:
            made = run.unit(channel)
        except Problem as problem:
            result.errors.append(
                RowError(source, number, problem.field, problem.message, problem.value)
            )
            continue
        if isinstance(made, str):
            writer.comment(f"{label} record {number} left out: {made}")
            continue
        text, count = turtle(made)
        writer.text(f"\n# {label} row {number}\n{text}", count)
        result.converted += 1
    writer.flush()
    result.triples = writer.triples
    return result


SOURCE = Source(
    name="ptv",
    title={"fi": "Palvelutietovaranto (PTV)", "sv": "Servicedatalagret (PTV)", "en": "PTV"},
    summary="Suomi.fi PTV Open API v11 service channels (and services): service locations of "
    "ECEC, pre-school and basic education as service units",
    suffixes=(".json",),
    read=read,
    options=OPTIONS,
)
