"""The OPH koodisto service's JSON (virkailija.opintopolku.fi/koodisto-service) as SKOS.

The Varda code lists (``vardatoimintamuoto``, ``vardajarjestamismuoto``, ...) and
``oppilaitosnumero`` live there. A code is an object with ``koodiUri`` (``<koodisto>_<koodiArvo>``),
``koodiArvo``, ``versio``, ``tila`` (HYVAKSYTTY, LUONNOS, PASSIIVINEN), ``voimassaAlkuPvm``,
``voimassaLoppuPvm`` and ``metadata`` (one object per ``kieli`` FI/SV/EN with ``nimi``, ``kuvaus``,
``lyhytNimi``); a koodisto has ``koodistoUri``, ``versio``, validity, ``tila`` and ``metadata``.

IRIs follow the form the project's code lists already link to with ``skos:exactMatch``: a code is
``<https://virkailija.opintopolku.fi/koodisto-service/rest/codeelement/latest/<koodiUri>>``, its
koodisto ``<https://virkailija.opintopolku.fi/koodisto-service/rest/codes/<koodistoUri>>``.

    koodiArvo -> skos:notation         metadata.nimi -> skos:prefLabel (per kieli)
    metadata.kuvaus -> skos:definition (when it says more than nimi)
    metadata.lyhytNimi -> skos:altLabel (when it differs from nimi)
    voimassaAlkuPvm / voimassaLoppuPvm -> sn:validFrom / sn:validTo
    tila PASSIIVINEN -> owl:deprecated true; LUONNOS is reported (SKOS has no draft status)
    versio -> owl:versionInfo
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import rdflib
from rdflib import OWL, RDF, SKOS, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from servicenet_vocab import namespaces as ns
from servicenet_vocab import rdfio
from servicenet_vocab.errors import InputError, Location

__all__ = [
    "CODE_ELEMENT_BASE",
    "KOODISTO_BASE",
    "OphImport",
    "code_iri",
    "koodisto_iri",
    "read_oph_koodisto",
]

KOODISTO_BASE = "https://virkailija.opintopolku.fi/koodisto-service/rest/codes/"
CODE_ELEMENT_BASE = "https://virkailija.opintopolku.fi/koodisto-service/rest/codeelement/latest/"
STATES = {"HYVAKSYTTY": "accepted", "LUONNOS": "draft", "PASSIIVINEN": "passive"}
SN = rdflib.Namespace(ns.SN)


def koodisto_iri(koodisto: str) -> URIRef:
    return URIRef(KOODISTO_BASE + koodisto)


def code_iri(koodi_uri: str) -> URIRef:
    return URIRef(CODE_ELEMENT_BASE + koodi_uri)


@dataclass
class OphImport:
    graph: rdflib.Graph
    koodisto: str
    codes: int
    warnings: list[str] = field(default_factory=list)


def _load(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            f"cannot read file: {error.strerror}", location=Location(source=str(path))
        ) from None
    return rdfio.load_json(data, source=str(path))


def _date(item: dict[str, Any], key: str, where: Location) -> date | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:T.*)?", str(value))
    try:
        if match:
            return date.fromisoformat(match.group(1))
    except ValueError:
        pass
    raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", location=where)


def _metadata(item: dict[str, Any], where: Location) -> list[tuple[str, dict[str, Any]]]:
    metadata = item.get("metadata")
    if metadata is None:
        return []
    if not isinstance(metadata, list) or not all(isinstance(m, dict) for m in metadata):
        raise InputError("metadata must be a list of objects with kieli and nimi", location=where)
    out = []
    for entry in metadata:
        language = str(entry.get("kieli") or "").strip().lower()
        if not re.fullmatch(r"[a-z]{2,3}", language):
            raise InputError(
                f"metadata entry without a language code (kieli): {entry}", location=where
            )
        out.append((language, entry))
    return out


def _state(
    graph: rdflib.Graph, subject: URIRef, item: dict[str, Any], where: Location, warnings: list[str]
) -> None:
    state = item.get("tila")
    if state is None:
        return
    if state not in STATES:
        raise InputError(f"tila {state!r} is not one of {', '.join(STATES)}", location=where)
    if state == "PASSIIVINEN":
        graph.add((subject, OWL.deprecated, Literal(True)))
    elif state == "LUONNOS":
        warnings.append(f"{subject}: tila LUONNOS (draft) has no SKOS counterpart")


def _validity(
    graph: rdflib.Graph, subject: URIRef, item: dict[str, Any], source: str, row: int | None
) -> None:
    for key, predicate in (("voimassaAlkuPvm", SN.validFrom), ("voimassaLoppuPvm", SN.validTo)):
        value = _date(item, key, Location(source=source, row=row, field=key))
        if value:
            graph.add((subject, predicate, Literal(value, datatype=XSD.date)))


def _koodisto_of(item: dict[str, Any]) -> str | None:
    nested = item.get("koodisto")
    if isinstance(nested, dict) and nested.get("koodistoUri"):
        return str(nested["koodistoUri"])
    uri, value = item.get("koodiUri"), item.get("koodiArvo")
    if isinstance(uri, str) and "_" in uri:
        if isinstance(value, str) and uri.lower().endswith("_" + value.lower()):
            return uri[: -len(value) - 1]
        return uri.rsplit("_", 1)[0]
    return None


def _scheme(
    graph: rdflib.Graph, koodisto: str, metadata_path: Path | None, warnings: list[str]
) -> URIRef:
    scheme = koodisto_iri(koodisto)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.notation, Literal(koodisto)))
    if metadata_path is None:
        return scheme
    document = _load(metadata_path)
    source = str(metadata_path)
    candidates = document if isinstance(document, list) else [document]
    found = [
        (index, c)
        for index, c in enumerate(candidates, start=1)
        if isinstance(c, dict) and c.get("koodistoUri") == koodisto
    ]
    if not found:
        raise InputError(
            f"no koodisto {koodisto!r} in the metadata file (expected an object with koodistoUri, "
            "or a list of them as the service's /codes answers)",
            location=Location(source=source),
        )
    index, item = found[0]
    row = index if isinstance(document, list) else None
    where = Location(source=source, row=row, field="metadata")
    for language, entry in _metadata(item, where):
        if entry.get("nimi"):
            graph.add((scheme, DCTERMS.title, Literal(str(entry["nimi"]).strip(), lang=language)))
        if entry.get("kuvaus"):
            graph.add(
                (scheme, SKOS.definition, Literal(str(entry["kuvaus"]).strip(), lang=language))
            )
    _validity(graph, scheme, item, source, row)
    _state(graph, scheme, item, Location(source=source, row=row, field="tila"), warnings)
    if item.get("versio") is not None:
        graph.add((scheme, OWL.versionInfo, Literal(str(item["versio"]))))
    return scheme


def read_oph_koodisto(
    path: Path, *, koodisto: str | None = None, metadata: Path | None = None
) -> OphImport:
    """SKOS for a JSON list of koodisto codes (optionally with the koodisto's own JSON)."""
    source = str(path)
    document = _load(path)
    if isinstance(document, dict) and isinstance(document.get("koodit"), list):
        document = document["koodit"]
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise InputError(
            "expected a JSON list of koodisto codes (objects with koodiArvo and metadata)",
            location=Location(source=source),
        )
    named = {k for k in (_koodisto_of(item) for item in document) if k}
    if koodisto is None:
        if len(named) != 1:
            raise InputError(
                "the codes do not name one koodisto (no koodiUri, or several): give --koodisto"
                + (f" (found {', '.join(sorted(named))})" if named else ""),
                location=Location(source=source),
            )
        koodisto = named.pop()
    elif named - {koodisto}:
        raise InputError(
            f"--koodisto {koodisto} but the codes belong to {', '.join(sorted(named - {koodisto}))}",
            location=Location(source=source),
        )
    graph = rdflib.Graph()
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    graph.bind("oph", CODE_ELEMENT_BASE)
    warnings: list[str] = []
    scheme = _scheme(graph, koodisto, metadata, warnings)
    seen: dict[str, int] = {}
    for row, item in enumerate(document, start=1):
        value = item.get("koodiArvo")
        if not isinstance(value, str) or not value.strip():
            raise InputError(
                "a code needs koodiArvo (text)",
                location=Location(source=source, row=row, field="koodiArvo"),
            )
        koodi_uri = str(item.get("koodiUri") or f"{koodisto}_{value}")
        if koodi_uri in seen:
            raise InputError(
                f"{koodi_uri} is already code {seen[koodi_uri]}",
                location=Location(source=source, row=row, field="koodiUri"),
            )
        seen[koodi_uri] = row
        concept = code_iri(koodi_uri)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, concept))
        graph.add((concept, SKOS.notation, Literal(value)))
        where = Location(source=source, row=row, field="metadata")
        labelled = False
        for language, entry in _metadata(item, where):
            name = str(entry.get("nimi") or "").strip()
            if not name:
                continue
            labelled = True
            graph.add((concept, SKOS.prefLabel, Literal(name, lang=language)))
            for key, predicate in (("kuvaus", SKOS.definition), ("lyhytNimi", SKOS.altLabel)):
                text = str(entry.get(key) or "").strip()
                if text and text != name:
                    graph.add((concept, predicate, Literal(text, lang=language)))
        if not labelled:
            warnings.append(f"{koodi_uri}: no name (metadata.nimi) in any language")
        _validity(graph, concept, item, source, row)
        _state(graph, concept, item, Location(source=source, row=row, field="tila"), warnings)
        if item.get("versio") is not None:
            graph.add((concept, OWL.versionInfo, Literal(str(item["versio"]))))
    return OphImport(graph, koodisto, len(seen), warnings)
