"""``servicenet import oph-koodisto``: the OPH koodisto service's JSON as SKOS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, SKOS, XSD, Literal, URIRef

from servicenet_vocab import namespaces as ns
from servicenet_vocab.cli import main
from servicenet_vocab.errors import InputError
from servicenet_vocab.quality.sources import parse_file, to_graph
from servicenet_vocab.steward.oph_koodisto import (
    CODE_ELEMENT_BASE,
    KOODISTO_BASE,
    read_oph_koodisto,
)
from servicenet_vocab.vocabulary.files import vocabulary_files

DATA = Path(__file__).resolve().parents[1] / "data" / "oph_koodisto"
SN = rdflib.Namespace(ns.SN)


def test_oppilaitosnumero_codes_become_concepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "oppilaitos.ttl"
    assert (
        main(["import", "oph-koodisto", str(DATA / "oppilaitosKoodit.json"), "-o", str(out)]) == 0
    )
    printed = capsys.readouterr().out
    assert "koodisto oppilaitosnumero, 2 concepts" in printed
    assert "LUONNOS" in printed
    graph = rdflib.Graph().parse(out)
    source = json.loads((DATA / "oppilaitosKoodit.json").read_text())
    scheme = URIRef(KOODISTO_BASE + "oppilaitosnumero")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    for item in source:
        concept = URIRef(CODE_ELEMENT_BASE + item["koodiUri"])
        assert (concept, SKOS.inScheme, scheme) in graph
        assert (concept, SKOS.notation, Literal(item["koodiArvo"])) in graph  # "04526" stays text
        assert (concept, SN.validFrom, Literal(item["voimassaAlkuPvm"], datatype=XSD.date)) in graph
        assert (concept, SN.validTo, Literal(item["voimassaLoppuPvm"], datatype=XSD.date)) in graph
        for entry in item["metadata"]:
            assert (
                concept,
                SKOS.prefLabel,
                Literal(entry["nimi"], lang=entry["kieli"].lower()),
            ) in graph
        assert (concept, OWL.deprecated, None) not in graph


def test_codes_without_koodiuri_take_the_koodisto_and_its_metadata(tmp_path: Path) -> None:
    result = read_oph_koodisto(
        DATA / "kuntaKoodistoKoodit.json", koodisto="kunta", metadata=DATA / "kuntaKoodisto.json"
    )
    source = json.loads((DATA / "kuntaKoodistoKoodit.json").read_text())
    assert result.codes == len(source)
    scheme = URIRef(KOODISTO_BASE + "kunta")
    assert (scheme, rdflib.DCTERMS.title, Literal("kommun", lang="sv")) in result.graph
    assert (scheme, SN.validFrom, Literal("2018-02-08", datatype=XSD.date)) in result.graph
    first = URIRef(CODE_ELEMENT_BASE + "kunta_" + source[0]["koodiArvo"])
    assert (
        first,
        SKOS.prefLabel,
        Literal(source[0]["metadata"][0]["nimi"], lang="fi"),
    ) in result.graph
    with pytest.raises(InputError, match="give --koodisto"):
        read_oph_koodisto(DATA / "kuntaKoodistoKoodit.json")


def test_passive_codes_are_deprecated_and_bad_values_are_located(tmp_path: Path) -> None:
    items = json.loads((DATA / "aluehallintovirastoKoodit.json").read_text())
    items[0]["tila"] = "PASSIIVINEN"
    path = tmp_path / "avi.json"
    path.write_text(json.dumps(items))
    result = read_oph_koodisto(path)
    concept = URIRef(CODE_ELEMENT_BASE + items[0]["koodiUri"])
    assert (concept, OWL.deprecated, Literal(True)) in result.graph
    items[0]["voimassaLoppuPvm"] = "31.12.2030"
    path.write_text(json.dumps(items))
    with pytest.raises(InputError, match="not a date") as caught:
        read_oph_koodisto(path)
    assert str(caught.value.location) == f"{path}, row 1, column 'voimassaLoppuPvm'"
    items[0]["voimassaLoppuPvm"] = None
    items[0]["tila"] = "POISTETTU"
    path.write_text(json.dumps(items))
    assert main(["import", "oph-koodisto", str(path), "-o", str(tmp_path / "x.ttl")]) == 2


def test_iris_follow_the_exact_match_links_of_the_code_lists() -> None:
    paths = [f.path for f in vocabulary_files() if f.graph == ns.CODELISTS_GRAPH]
    graph = to_graph([q for p in paths for q in parse_file(p)])
    links = [
        str(o)
        for o in graph.objects(None, SKOS.exactMatch)
        if str(o).startswith("https://virkailija.opintopolku.fi/koodisto-service/")
    ]
    if not links:
        pytest.skip("no code list links to the OPH koodisto service")
    assert all(link.startswith(CODE_ELEMENT_BASE) for link in links), links
