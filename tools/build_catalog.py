"""Build ontology/catalog.ttl: one dcat:Dataset per vocabulary with fi/sv/en title and named graph.

The catalogue and its entries carry what DCAT-AP asks for (description, distribution, contact point,
theme, spatial coverage, keywords); tests/validation/test_dcat_ap.py checks them with the official
DCAT-AP shapes and avoindata.fi's extension.

    .venv/bin/python tools/build_catalog.py > ontology/catalog.ttl
Code-list entries reuse the scheme IRI and copy its dct:title; tests check that every file is listed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, SKOS

ROOT = Path(__file__).resolve().parent.parent
VERSION = "1.0.0"
GRAPH = "https://w3id.org/servicenet/graph/"
THEME = "http://publications.europa.eu/resource/authority/data-theme/EDUC"
FINLAND = "http://publications.europa.eu/resource/authority/country/FIN"
LANGUAGES = ("FIN", "SWE", "ENG")
AVAILABILITY = "http://publications.europa.eu/resource/authority/planned-availability/STABLE"
KEYWORDS = (
    ("varhaiskasvatus", "fi"), ("perusopetus", "fi"), ("sanasto", "fi"),
    ("småbarnspedagogik", "sv"), ("grundläggande utbildning", "sv"), ("vokabulär", "sv"),
    ("early childhood education and care", "en"), ("basic education", "en"), ("vocabulary", "en"),
)  # fmt: skip

FIXED = [
    (
        "https://w3id.org/servicenet/ontology",
        {
            "fi": "Palveluverkkojen suunnittelun ontologia",
            "sv": "Ontologi för planering av servicenät",
            "en": "Service-network planning ontology",
        },
        {
            "fi": "Varhaiskasvatuksen, esiopetuksen ja perusopetuksen palveluverkon suunnittelun"
            " luokat ja ominaisuudet: yksiköt, tilat, alueet, paikat, lapsimäärät, ennusteet ja kyselyt.",
            "sv": "Klasser och egenskaper för planering av servicenätet inom småbarnspedagogik,"
            " förskole- och grundläggande utbildning: enheter, lokaler, områden, platser, barn,"
            " prognoser och enkäter.",
            "en": "Classes and properties for planning the ECEC, pre-school and basic-education"
            " service network: units, premises, areas, places, children, forecasts and surveys.",
        },
        "ontology",
        "servicenet.ttl",
    ),
    (
        "https://w3id.org/servicenet/shapes",
        {
            "fi": "Palveluverkkoaineistojen SHACL-muodot",
            "sv": "SHACL-former för servicenätsdata",
            "en": "SHACL shapes for service-network data",
        },
        {
            "fi": "Säännöt, joiden mukaan kaupunkien palveluverkkoaineistot tarkistetaan ennen"
            " julkaisua.",
            "sv": "Reglerna som städernas servicenätsdata kontrolleras mot före publicering.",
            "en": "The rules cities' service-network datasets are checked against before they are"
            " published.",
        },
        "shapes",
        "../shapes/",
    ),
    (
        "https://w3id.org/servicenet/alignments",
        {
            "fi": "Vastaavuudet muihin sanastoihin",
            "sv": "Mappningar till andra vokabulärer",
            "en": "Alignments to other vocabularies",
        },
        {
            "fi": "Ontologian vastaavuudet schema.orgiin, W3C ORGiin, CPSV-AP:hen, DCATiin,"
            " GeoSPARQLiin ja RDF Data Cubeen.",
            "sv": "Ontologins mappningar till schema.org, W3C ORG, CPSV-AP, DCAT, GeoSPARQL och"
            " RDF Data Cube.",
            "en": "The ontology's alignments to schema.org, W3C ORG, CPSV-AP, DCAT, GeoSPARQL and"
            " RDF Data Cube.",
        },
        "alignments",
        "alignments/",
    ),
]


def _texts(texts: dict[str, str]) -> str:
    return " , ".join(f"{json.dumps(texts[lang], ensure_ascii=False)}@{lang}" for lang in texts)


def _entry(
    iri: str, titles: dict[str, str], descriptions: dict[str, str], graph: str, path: str
) -> str:
    keywords = " , ".join(
        f"{json.dumps(word, ensure_ascii=False)}@{lang}" for word, lang in KEYWORDS
    )
    distribution = {
        "fi": f"Nimetty graafi <{GRAPH}{graph}> palveluverkkoalustan SPARQL-rajapinnassa.",
        "sv": f"Den namngivna grafen <{GRAPH}{graph}> i servicenätsplattformens SPARQL-gränssnitt.",
        "en": f"The named graph <{GRAPH}{graph}> in the service-network platform's SPARQL interface.",
    }
    return (
        f"<{iri}> a dcat:Dataset ;\n"
        f"    dct:title {_texts(titles)} ;\n"
        f"    dct:description {_texts(descriptions)} ;\n"
        f"    dcat:theme <{THEME}> ; dct:spatial <{FINLAND}> ;\n"
        f"    dcat:keyword {keywords} ;\n"
        "    dcat:contactPoint <https://w3id.org/servicenet/contact> ;\n"
        "    dcat:distribution [ a dcat:Distribution ;\n"
        f"        dcat:accessURL <{GRAPH}{graph}> ;\n"
        "        dct:format <http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE> ;\n"
        "        dcat:mediaType <https://www.iana.org/assignments/media-types/text/turtle> ;\n"
        "        dct:license <https://creativecommons.org/licenses/by/4.0/> ;\n"
        f"        dcatap:availability <{AVAILABILITY}> ;\n"
        f"        dct:description {_texts(distribution)} ] ;\n"
        f'    dcat:version "{VERSION}" ; owl:versionInfo "{VERSION}" ;\n'
        "    dct:license <https://creativecommons.org/licenses/by/4.0/> ;\n"
        "    dct:publisher <https://w3id.org/servicenet/> ;\n"
        f'    dct:identifier "{path}" ;\n'
        f"    sn:namedGraph <{GRAPH}{graph}> .\n"
    )


CATALOG_DESCRIPTION = {
    "fi": "Palveluverkkoalustan sanastot: ontologia, koodistot, vastaavuudet ja SHACL-muodot.",
    "sv": "Servicenätsplattformens vokabulärer: ontologin, kodlistorna, mappningarna och SHACL-formerna.",
    "en": "The service-network platform's vocabularies: the ontology, code lists, alignments and SHACL"
    " shapes.",
}


def build() -> str:
    entries = [_entry(*row) for row in FIXED]
    for path in sorted((ROOT / "ontology" / "codelists").glob("*.ttl")):
        graph = rdflib.Graph().parse(path)
        scheme = next(graph.subjects(rdflib.RDF.type, SKOS.ConceptScheme))
        titles = {t.language: str(t) for t in graph.objects(scheme, DCTERMS.title)}
        ordered = {lang: titles[lang] for lang in ("fi", "sv", "en")}
        # the scheme's own definition describes the code list
        defined = {d.language: str(d) for d in graph.objects(scheme, SKOS.definition)}
        described = {lang: defined[lang] for lang in ("fi", "sv", "en")}
        entries.append(
            _entry(str(scheme), ordered, described, "codelists", f"codelists/{path.name}")
        )
    datasets = " ,\n        ".join(e.split(">", 1)[0] + ">" for e in entries)
    head = (
        "# The vocabulary catalogue: every vocabulary of the platform, its version, licence and the\n"
        "# named graph it is loaded into. GENERATED by tools/build_catalog.py; re-run after adding a file.\n"
        "@prefix sn:   <https://w3id.org/servicenet/ontology#> .\n"
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
        "@prefix dct:  <http://purl.org/dc/terms/> .\n"
        "@prefix owl:  <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .\n"
        "@prefix dcatap: <http://data.europa.eu/r5r/> .\n\n"
        "<https://w3id.org/servicenet/catalog> a dcat:Catalog ;\n"
        '    dct:title "Palveluverkkosanastojen luettelo"@fi , "Katalog över servicenätsvokabulärer"@sv ,\n'
        '        "Catalogue of service-network vocabularies"@en ;\n'
        "    dct:description " + _texts(CATALOG_DESCRIPTION) + " ;\n"
        "    dct:license <https://creativecommons.org/licenses/by/4.0/> ;\n"
        "    dct:publisher <https://w3id.org/servicenet/> ;\n"
        f"    dct:spatial <{FINLAND}> ;\n"
        "    dct:language "
        + " , ".join(
            f"<http://publications.europa.eu/resource/authority/language/{code}>"
            for code in LANGUAGES
        )
        + " ;\n"
        "    dcat:themeTaxonomy <http://publications.europa.eu/resource/authority/data-theme> ;\n"
        f"    sn:namedGraph <{GRAPH}catalog> ;\n"
        f"    dcat:dataset {datasets} .\n\n"
        "<https://w3id.org/servicenet/> a foaf:Organization ;\n"
        '    foaf:name "servicenet-vocab contributors" .\n\n'
        "<https://w3id.org/servicenet/contact> a vcard:Kind ;\n"
        '    vcard:fn "servicenet-vocab contributors" .\n\n'
    )
    return head + "\n".join(entries)


if __name__ == "__main__":
    sys.stdout.write(build())
