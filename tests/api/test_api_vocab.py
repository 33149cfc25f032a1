"""``servicenet_vocab.vocabulary.index`` and the ``/vocab``, ``/ontology``, ``/code`` routes on a live
uvicorn: listings, label search in every language, dereferenceable terms by content negotiation,
and the error bodies (400 naming the parameter, 404, 406)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import rdflib
from conftest import LiveServer, run_live_server

from servicenet_vocab import namespaces as ns
from servicenet_vocab.errors import InputError, NotFoundError
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import OxigraphStore, open_store
from servicenet_vocab.vocabulary import files as project_vocabulary
from servicenet_vocab.vocabulary.index import (
    TermType,
    Vocabulary,
    document,
    fold,
    iter_types,
    shorten,
)

SERVICE_UNIT = ns.SN + "ServiceUnit"
ECEC = ns.CODE + "service-type/ecec"
EX = "https://w3id.org/servicenet/code/test/"


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    store = open_store("memory")
    project_vocabulary.load_all(store, examples=False)
    yield store
    store.close()


@pytest.fixture(scope="module")
def vocab(store: OxigraphStore) -> Vocabulary:
    return Vocabulary.from_store(store)


@pytest.fixture(scope="module")
def server(backend: str) -> Iterator[LiveServer]:
    with run_live_server(backend, workers=1) as live:
        yield live


# --- the library --------------------------------------------------------------------------------


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Päiväkoti") == "paivakoti"
    assert fold("ÖVERGÅNG") == "overgang"


def test_listings_hold_every_project_term_with_three_languages(
    vocab: Vocabulary, store: OxigraphStore
) -> None:
    classes = vocab.classes()
    owl_classes = store.query(
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) {{ GRAPH <{ns.ONTOLOGY_GRAPH}> {{ ?c a owl:Class "
        f'FILTER(STRSTARTS(STR(?c), "{ns.SN}")) }} }}'
    )
    assert len(classes) == int(next(owl_classes.rows())["n"] or 0)
    unit = vocab.term(SERVICE_UNIT)
    assert unit.labels == {"fi": "toimipaikka", "sv": "verksamhetsställe", "en": "service unit"}
    assert set(unit.definitions) == {"fi", "sv", "en"}
    kinds = {p.property_kind for p in vocab.properties()}
    assert kinds == {"object", "datatype", "annotation"}
    assert {s.name for s in vocab.schemes()} >= {"service-type", "age-group", "municipality"}
    assert vocab.languages == ["en", "fi", "sv"]


def test_concepts_in_hierarchy_order_with_depth(vocab: Vocabulary) -> None:
    concepts = [(term.name, depth) for term, depth in vocab.concepts("service-type")]
    position = {name: index for index, (name, _) in enumerate(concepts)}
    depth = dict(concepts)
    assert depth["service-type/ecec"] == 0
    assert depth["service-type/shift-care"] == 1
    assert depth["service-type/evening-weekend-care"] == 2
    # every narrower concept follows its broader one
    assert position["service-type/ecec"] < position["service-type/shift-care"]
    assert position["service-type/shift-care"] < position["service-type/evening-weekend-care"]
    with pytest.raises(NotFoundError) as caught:
        vocab.concepts("no-such-scheme")
    assert caught.value.location is not None and caught.value.location.field == "scheme"


def test_search_without_language_finds_labels_in_every_language(vocab: Vocabulary) -> None:
    swedish = vocab.search("daghem")
    assert {hit.term.iri for hit in swedish[:2]} == {
        ns.SN + "DaycareCentre",
        ns.CODE + "service-unit-type/daycare-centre",
    }
    assert {hit.label.lang for hit in swedish} == {"sv"}
    finnish = vocab.search("PAIVAKOTI")  # case- and accent-insensitive
    assert {hit.term.iri for hit in finnish} >= {ns.SN + "DaycareCentre"}
    assert all(hit.label.text.casefold() == "päiväkoti" for hit in finnish[:2])
    assert finnish[0].match == "exact"


def test_search_ranks_exact_before_prefix_before_word_before_substring(
    vocab: Vocabulary,
) -> None:
    hits = vocab.search("esiopetus", lang="fi")
    matches = [hit.match for hit in hits]
    assert matches == sorted(matches, key=("exact", "prefix", "word", "substring").index)
    assert hits[0].term.iri == ns.CODE + "service-type/pre-school"
    assert {"exact", "prefix"} <= set(matches)


def test_search_filters_language_type_and_scheme(vocab: Vocabulary) -> None:
    assert vocab.search("daghem", lang="fi") == []
    classes = vocab.search("unit", types=[TermType.CLASS])
    assert classes and {hit.term.type for hit in classes} == {TermType.CLASS}
    in_scheme = vocab.search("care", scheme="service-type")
    assert in_scheme and all(ns.CODE + "service-type" in h.term.schemes for h in in_scheme)
    assert {hit.term.type for hit in in_scheme} == {TermType.CONCEPT}
    assert len(vocab.search("a", limit=3)) == 3


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"query": "  "}, "q"),
        ({"query": "x" * 201}, "q"),
        ({"query": "koulu", "lang": "de"}, "lang"),
        ({"query": "koulu", "scheme": "nope"}, "scheme"),
    ],
    ids=["empty", "too-long", "unknown-language", "unknown-scheme"],
)
def test_search_errors_name_the_parameter(
    vocab: Vocabulary, kwargs: dict[str, str], field: str
) -> None:
    query = kwargs.pop("query")
    with pytest.raises((InputError, NotFoundError)) as caught:
        vocab.search(query, **kwargs)  # type: ignore[arg-type]
    assert caught.value.location is not None and caught.value.location.field == field


def test_type_values_are_checked() -> None:
    assert list(iter_types(["class,concept", ""])) == [TermType.CLASS, TermType.CONCEPT]
    with pytest.raises(InputError) as caught:
        list(iter_types(["klass"]))
    assert caught.value.location is not None and caught.value.location.field == "type"
    assert "klass" in caught.value.message


def _quads(turtle: str) -> list[ox.Quad]:
    graph = ox.NamedNode(ns.CODELISTS_GRAPH)
    return [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(turtle.encode(), ox.RdfFormat.TURTLE)
    ]


SMALL = f"""
@prefix skos: <{ns.SKOS}> . @prefix ex: <{EX}> . @prefix cs: <{ns.CODE}> .
cs:test a skos:ConceptScheme ; skos:prefLabel "Testi"@fi .
ex:a a skos:Concept ; skos:inScheme cs:test ; skos:notation "a" ;
    skos:prefLabel "koulukuljetus"@fi ; skos:altLabel "kyyti"@fi ; skos:broader ex:b ;
    skos:note [ skos:prefLabel "inner"@en ] .
ex:b a skos:Concept ; skos:inScheme cs:test ; skos:notation "b" ;
    skos:prefLabel "kyyti"@sv ; skos:broader ex:a .
"""


def test_alternative_labels_match_after_preferred_ones_and_cycles_end() -> None:
    vocab = Vocabulary(_quads(SMALL))
    hits = vocab.search("kyyti")
    assert [(h.term.iri, h.label.kind.value) for h in hits] == [
        (EX + "b", "prefLabel"),
        (EX + "a", "altLabel"),
    ]
    assert vocab.term(EX + "a").labels == {"fi": "koulukuljetus"}  # altLabel is not a name
    assert [t.iri for t, _ in vocab.concepts("test")] == []  # a broader cycle has no root
    described = vocab.describe(EX + "a")
    assert any(isinstance(t.subject, ox.BlankNode) for t in described)  # follows blank nodes
    values = [s.value for s in vocab.statements(EX + "a")]
    assert "[ ]" in values and "koulukuljetus" in values


def test_documents_in_rdf_formats_and_compacted_json_ld(vocab: Vocabulary) -> None:
    triples = vocab.describe(SERVICE_UNIT)
    turtle = document(triples, RdfFormat.TURTLE)
    assert b"sn:ServiceUnit" in turtle
    assert len(list(ox.parse(turtle, ox.RdfFormat.TURTLE))) == len(triples)
    body = json.loads(document(triples, RdfFormat.JSONLD))
    assert body["label"] == {"fi": "toimipaikka", "sv": "verksamhetsställe", "en": "service unit"}
    assert body["id"] == "sn:ServiceUnit"
    assert body["@context"]["ServiceUnit"] == "sn:ServiceUnit"  # the project's context, inlined
    reparsed = rdflib.Graph().parse(data=json.dumps(body), format="json-ld")
    assert len(reparsed) == len(triples)


def test_shorten() -> None:
    assert shorten(SERVICE_UNIT) == "sn:ServiceUnit"
    assert shorten(ECEC) == "code:service-type/ecec"
    assert shorten(ns.SKOS + "prefLabel") == "skos:prefLabel"
    assert shorten("urn:x") == "urn:x"


def test_unknown_term_is_not_found(vocab: Vocabulary) -> None:
    with pytest.raises(NotFoundError):
        vocab.describe(ns.SN + "Nothing")
    assert vocab.find(ns.SN + "Nothing") is None


# --- the routes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "key", "expected"),
    [
        ("/vocab/classes", "classes", SERVICE_UNIT),
        ("/vocab/properties", "properties", ns.SN + "municipality"),
        ("/vocab/schemes", "schemes", ns.CODE + "service-type"),
    ],
)
def test_listings_as_json(server: LiveServer, path: str, key: str, expected: str) -> None:
    response = server.client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    found = {item["iri"]: item for item in response.json()[key]}
    assert expected in found
    assert set(found[expected]["labels"]) == {"fi", "sv", "en"}


def test_property_listing_has_domain_and_range(server: LiveServer) -> None:
    found = {p["name"]: p for p in server.client.get("/vocab/properties").json()["properties"]}
    places = found["places"]
    assert places["propertyKind"] == "datatype"
    assert places["range"] == [ns.XSD + "integer"]
    schemes = {s["name"]: s for s in server.client.get("/vocab/schemes").json()["schemes"]}
    assert schemes["service-type"]["concepts"] == 8


def test_listing_as_html(server: LiveServer) -> None:
    response = server.client.get("/vocab/classes", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    assert 'lang="sv">verksamhetsställe</td>' in response.text
    schemes = server.client.get("/vocab/schemes?format=html")
    assert "<code>code:service-type</code>" in schemes.text


def test_one_scheme_with_its_concepts(server: LiveServer) -> None:
    body = server.client.get("/vocab/schemes/service-type").json()
    assert body["scheme"]["labels"]["sv"] == "Tjänstearter"
    concepts = {c["notation"]: c for c in body["concepts"]}
    assert concepts["evening-weekend-care"]["depth"] == 2
    assert concepts["evening-weekend-care"]["broader"] == [ns.CODE + "service-type/shift-care"]
    missing = server.client.get("/vocab/schemes/nope")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "NOT_FOUND",
        "message": "no concept scheme 'nope'",
        "location": {"field": "scheme"},
    }
    page = server.client.get("/vocab/schemes/service-type", headers={"Accept": "text/html"})
    assert "skiftomsorg" in page.text


def test_search_route_without_language_reports_the_matched_language(server: LiveServer) -> None:
    body = server.client.get("/vocab/search", params={"q": "grundskola"}).json()
    assert body["lang"] is None
    first = body["results"][0]
    assert first["matchedLabel"] == "grundskola" and first["lang"] == "sv"
    assert first["labels"]["fi"] in ("peruskoulu", "perusopetus", "yhtenäiskoulu")


def test_search_route_filters(server: LiveServer) -> None:
    body = server.client.get(
        "/vocab/search", params=[("q", "koulu"), ("lang", "fi"), ("type", "concept")]
    ).json()
    assert body["results"]
    assert {r["type"] for r in body["results"]} == {"concept"}
    assert {r["lang"] for r in body["results"]} == {"fi"}
    scoped = server.client.get(
        "/vocab/search", params={"q": "care", "scheme": "service-type", "limit": "2"}
    ).json()["results"]
    assert len(scoped) == 2 and all(r["schemes"] == [ns.CODE + "service-type"] for r in scoped)
    page = server.client.get(
        "/vocab/search", params={"q": "daghem"}, headers={"Accept": "text/html"}
    )
    assert "daghem" in page.text and "@sv" in page.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "koulu", "lang": "xx"}, "lang"),
        ({"q": "koulu", "type": "thing"}, "type"),
        ({"q": "koulu", "limit": "0"}, "limit"),
        ({"q": "koulu", "limit": "many"}, "limit"),
    ],
    ids=["missing-q", "bad-lang", "bad-type", "zero-limit", "text-limit"],
)
def test_search_route_400_names_the_parameter(
    server: LiveServer, params: dict[str, str], field: str
) -> None:
    response = server.client.get("/vocab/search", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "INVALID_INPUT"
    assert body["location"] == {"field": field}


@pytest.mark.parametrize(
    ("path", "iri"),
    [
        ("/vocab/term/ServiceUnit", SERVICE_UNIT),
        ("/code/service-type/ecec", ECEC),
        ("/code/service-type", ns.CODE + "service-type"),
        (f"/vocab/term?iri={ECEC}", ECEC),
    ],
)
def test_terms_dereference_as_turtle_by_default(server: LiveServer, path: str, iri: str) -> None:
    response = server.client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.headers["vary"] == "Accept"
    subjects = {t.subject.value for t in ox.parse(response.content, ox.RdfFormat.TURTLE)}
    assert iri in subjects


@pytest.mark.parametrize(
    ("accept", "media_type", "fmt"),
    [
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("text/html;q=0.5, text/turtle;q=0.9", "text/turtle", "turtle"),
    ],
)
def test_term_content_negotiation(
    server: LiveServer, accept: str, media_type: str, fmt: str
) -> None:
    response = server.client.get("/vocab/term/ServiceUnit", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = rdflib.Graph().parse(data=response.text, format=fmt)
    labels = {str(o) for o in graph.objects(rdflib.URIRef(SERVICE_UNIT), rdflib.RDFS.label)}
    assert labels == {"toimipaikka", "verksamhetsställe", "service unit"}


def test_term_page_for_browsers(server: LiveServer) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = server.client.get("/vocab/term/ServiceUnit?ui=sv", headers={"Accept": browser})
    assert page.status_code == 200
    assert '<html lang="sv">' in page.text
    assert "<h1>verksamhetsställe</h1>" in page.text
    assert '<link rel="alternate" type="text/turtle"' in page.text
    assert 'href="/vocab/term/openingDate?ui=sv"' in page.text  # a property with this domain
    concept = server.client.get("/code/service-type/shift-care", headers={"Accept": browser})
    assert 'href="/code/service-type/ecec?ui=en"' in concept.text  # broader, as a local link
    assert "skos:prefLabel" in concept.text


def test_ontology_iri_serves_the_whole_ontology(server: LiveServer, store: OxigraphStore) -> None:
    turtle = server.client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert len(list(ox.parse(turtle.content, ox.RdfFormat.TURTLE))) == store.triple_count(
        ns.ONTOLOGY_GRAPH
    )
    page = server.client.get("/ontology", headers={"Accept": "text/html"})
    assert "Service-network planning ontology" in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/vocab/term/NoSuchClass",
        "/code/service-type/no-such-code",
        "/code/no-such-scheme",
        "/vocab/term?iri=https://example.org/x",
        "/vocab/term/bad%20name",
    ],
)
def test_unknown_terms_are_404_in_any_format(server: LiveServer, path: str) -> None:
    for accept in ("text/turtle", "text/html", "image/png"):
        response = server.client.get(path, headers={"Accept": accept})
        assert response.status_code == 404
        assert response.json()["error"] == "NOT_FOUND"


def test_term_without_iri_is_400(server: LiveServer) -> None:
    response = server.client.get("/vocab/term")
    assert response.status_code == 400
    assert response.json()["location"] == {"field": "iri"}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/vocab/term/ServiceUnit", {}),
        ("/vocab/classes", {}),
        ("/vocab/search", {"q": "koulu"}),
    ],
)
def test_not_acceptable_lists_the_supported_types(
    server: LiveServer, path: str, params: dict[str, str]
) -> None:
    response = server.client.get(path, params=params, headers={"Accept": "image/png"})
    assert response.status_code == 406
    body = response.json()
    assert body["error"] == "NOT_ACCEPTABLE"
    assert "image/png" in body["message"] and "text/html" in body["message"]
    bad_format = server.client.get(path, params={**params, "format": "docx"})
    assert bad_format.status_code == 406 and "docx" in bad_format.json()["message"]


def test_vocab_routes_are_in_openapi(server: LiveServer) -> None:
    paths = server.client.get("/openapi.json").json()["paths"]
    for path in (
        "/vocab/classes",
        "/vocab/properties",
        "/vocab/schemes",
        "/vocab/schemes/{scheme}",
        "/vocab/search",
        "/vocab/term",
        "/vocab/term/{name}",
        "/ontology",
        "/code/{scheme}",
        "/code/{scheme}/{notation}",
    ):
        assert path in paths, path
    search = paths["/vocab/search"]["get"]
    assert {p["name"] for p in search["parameters"]} == {"q", "lang", "type", "scheme", "limit"}
