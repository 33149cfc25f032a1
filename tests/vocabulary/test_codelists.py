"""The code lists' own facts (issue 14): age intervals, support levels of the 2025 reform, municipality
language status, Varda codes matched to the OPH koodisto, Sami languages, immersion and channels."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
CODELISTS = ROOT / "ontology" / "codelists"
SHARED = ROOT.parent / "shared" / "data"
CODE = "https://w3id.org/servicenet/code/"
OPH = "https://virkailija.opintopolku.fi/koodisto-service/rest/codeelement/latest/"
PREFIXES = f"""
PREFIX sn: <https://w3id.org/servicenet/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX cs: <{CODE}>
"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for path in sorted(CODELISTS.glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(PREFIXES + query)
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(term.value if term is not None else "" for term in row) for row in result]


def ages(store: ox.Store) -> dict[str, tuple[int, int | None]]:
    rows = select(
        store,
        """SELECT ?n ?lo ?hi WHERE { ?c skos:inScheme cs:age-group ; skos:notation ?n .
           OPTIONAL { ?c sn:lowestAge ?lo } OPTIONAL { ?c sn:highestAge ?hi } }""",
    )
    # an open-ended band ("85-", "0-" all ages) has a lowest age only
    assert all(lo and (hi or n.endswith("-")) for n, lo, hi in rows), (
        "every age group is an interval"
    )
    return {n: (int(lo), int(hi) if hi else None) for n, lo, hi in rows}


def test_every_age_group_is_the_interval_its_notation_names(store: ox.Store) -> None:
    for notation, (lo, hi) in ages(store).items():
        first, dash, last = notation.partition("-")
        assert (lo, hi) == (int(first), int(last) if last else None if dash else int(first)), (
            notation
        )


def test_published_bands_and_single_years_are_there(store: ox.Store) -> None:
    bands = ages(store)
    for published in ("0-6", "7-17", "3-6", "16-18", "0-2", "7-12", "13-15", "1-6", "7-15"):
        assert published in bands
    assert {str(year) for year in range(19)} <= set(bands)


def test_a_narrower_band_lies_inside_each_broader_one(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?n ?lo ?hi ?bn ?blo ?bhi WHERE {
             ?c skos:inScheme cs:age-group ; skos:broader ?b ; skos:notation ?n ;
                sn:lowestAge ?lo ; sn:highestAge ?hi .
             ?b skos:notation ?bn ; sn:lowestAge ?blo ; sn:highestAge ?bhi }""",
    )
    assert len(rows) >= 30
    for n, lo, hi, bn, blo, bhi in rows:
        assert int(blo) <= int(lo) <= int(hi) <= int(bhi), f"{n} is not inside {bn}"


def test_intervals_combine_bands_that_do_not_nest(store: ox.Store) -> None:
    """Helsinki's 7-17 and the upper-secondary 16-18 overlap without nesting: by interval a query finds the
    single years each covers, and the years they share."""
    rows = select(
        store,
        """SELECT ?year WHERE {
             cs:age-group\\/7-17 sn:lowestAge ?alo ; sn:highestAge ?ahi .
             cs:age-group\\/16-18 sn:lowestAge ?blo ; sn:highestAge ?bhi .
             ?c skos:inScheme cs:age-group ; skos:notation ?year ; sn:lowestAge ?lo ; sn:highestAge ?hi .
             FILTER (?lo = ?hi && ?lo >= ?alo && ?hi <= ?ahi && ?lo >= ?blo && ?hi <= ?bhi) }""",
    )
    assert sorted(int(year) for (year,) in rows) == [16, 17]


def test_support_levels_follow_the_2025_reform(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?n ?since (GROUP_CONCAT(DISTINCT STRAFTER(STR(?t), "service-type/"); separator=" ") AS ?types)
           WHERE { ?c skos:inScheme cs:support-level ; skos:notation ?n ; sn:serviceType ?t .
                   OPTIONAL { ?c sn:validFrom ?since } } GROUP BY ?n ?since""",
    )
    levels = {n: (since, set(types.split())) for n, since, types in rows}
    for new in ("group-level", "pupil-level"):
        assert levels[new] == ("2025-08-01", {"pre-school", "basic-education"})
    for old in ("general", "intensified", "special"):
        since, types = levels[old]
        assert since == "" and "ecec" in types, "ECEC keeps its three tiers"
    replaced = select(
        store,
        """SELECT ?old ?new WHERE { ?o dct:isReplacedBy ?n . ?o skos:notation ?old .
           ?n skos:notation ?new ; skos:inScheme cs:support-level }""",
    )
    assert {old for old, _ in replaced} == {"general", "intensified", "special"}
    assert {new for _, new in replaced} == {"group-level", "pupil-level"}


def test_every_municipality_has_one_language_status(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?code (COUNT(?s) AS ?n) (SAMPLE(STRAFTER(STR(?s), "language-status/")) AS ?status) WHERE {
             ?m skos:inScheme cs:municipality ; sn:municipalityCode ?code .
             OPTIONAL { ?m sn:languageStatus ?s . ?s skos:inScheme cs:language-status } } GROUP BY ?code""",
    )
    assert len(rows) == 308
    assert all(n == "1" for _, n, _ in rows), [code for code, n, _ in rows if n != "1"]
    status = {code: s for code, _, s in rows}
    counts = {s: list(status.values()).count(s) for s in set(status.values())}
    # Kuntaliitto's published counts for 2023-2032: 18 + 15 bilingual, 16 Swedish (all in Åland).
    assert counts == {
        "bilingual-finnish-majority": 18,
        "bilingual-swedish-majority": 15,
        "unilingual-swedish": 16,
        "unilingual-finnish": 308 - 49,
    }
    assert status["091"] == status["853"] == "bilingual-finnish-majority"  # Helsinki, Turku
    assert status["710"] == status["545"] == "bilingual-swedish-majority"  # Raasepori, Närpiö
    assert status["478"] == "unilingual-swedish"  # Maarianhamina
    assert status["837"] == "unilingual-finnish"  # Tampere


def test_bilingual_is_one_broader_step(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT (COUNT(?m) AS ?n) WHERE {
             ?m sn:languageStatus/skos:broader* <https://w3id.org/servicenet/code/language-status/bilingual> }""",
    )
    assert rows == [("33",)]


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data")
def test_municipality_code_list_is_what_the_generator_writes() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_municipalities", ROOT / "tools" / "build_municipalities.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build(SHARED) == (CODELISTS / "municipality.ttl").read_text(encoding="utf-8")


VARDA_KOODISTO = {
    "organisation-form": "vardajarjestamismuoto",
    "service-unit-type": "vardatoimintamuoto",
    "pedagogical-system": "vardakasvatusopillinenjarjestelma",
}


def test_varda_codes_match_the_oph_koodisto_code_uris(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?scheme ?code ?match WHERE { ?c sn:vardaCode ?code ; skos:inScheme ?s .
             OPTIONAL { ?c skos:exactMatch ?match . FILTER STRSTARTS(STR(?match), "https://virkailija.") }
             BIND (STRAFTER(STR(?s), STR(cs:)) AS ?scheme) FILTER (?scheme != "language") }""",
    )
    found: dict[str, set[str]] = {}
    for scheme, code, match in rows:
        assert match == f"{OPH}{VARDA_KOODISTO[scheme]}_{code}", (scheme, code, match)
        found.setdefault(scheme, set()).add(code)
    assert found["organisation-form"] == {f"jm0{n}" for n in range(1, 6)}
    assert found["service-unit-type"] == {"tm01", "tm02", "tm03"}
    assert found["pedagogical-system"] == {"kj01", "kj02", "kj03", "kj04", "kj05", "kj98", "kj99"}


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data")
def test_varda_koodistos_exist_with_as_many_codes() -> None:
    koodistot = json.loads((SHARED / "oph_koodisto" / "codes.json").read_text(encoding="utf-8"))
    counts = {k["koodistoUri"]: k["koodiCount"] for k in koodistot}
    text = {s: (CODELISTS / f"{s}.ttl").read_text(encoding="utf-8") for s in VARDA_KOODISTO}
    for scheme, koodisto in VARDA_KOODISTO.items():
        ours = set(re.findall(rf"oph:{koodisto}_(\w+)", text[scheme]))
        assert len(ours) == counts[koodisto], scheme


def test_sami_languages_apart_and_immersion_is_not_bilingual_service(store: ox.Store) -> None:
    sami = select(
        store,
        """SELECT ?n WHERE { ?c skos:broader <https://w3id.org/servicenet/code/language/sami> ;
           skos:notation ?n }""",
    )
    assert sorted(n for (n,) in sami) == ["se", "smn", "sms"]
    immersion = select(
        store,
        """SELECT ?n WHERE { ?c skos:inScheme cs:language ; skos:notation ?n .
           FILTER (CONTAINS(?n, "immersion"))
           FILTER NOT EXISTS { ?c skos:broader* <https://w3id.org/servicenet/code/language/fi-sv> } }""",
    )
    assert sorted(n for (n,) in immersion) == ["fi-immersion", "sv-immersion"]


def test_sms_and_letter_channels(store: ox.Store) -> None:
    rows = select(store, "SELECT ?n WHERE { ?c skos:inScheme cs:channel ; skos:notation ?n }")
    assert {
        "sms",
        "letter",
        "e-service",
        "web-page",
        "printable-form",
        "phone",
        "service-location",
    } == {n for (n,) in rows}
