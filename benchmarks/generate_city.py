"""Deterministic generated city datasets of about N triples, as N-Triples bytes.

Daycare centres with fi/sv names, a municipality and its Statistics Finland code, status, opening
(and sometimes closing) dates, business ID, coordinates and an address; one capacity and one
enrolment observation per unit. About 2 % of units carry a defect each check should catch (a
missing name, a closing date before the opening date, coordinates outside Finland, a negative
capacity, a malformed postal code, enrolment far above capacity, an enrolment typed as a string).

    from benchmarks.generate_city import generate
    data = generate(100_000, seed=1)          # bytes, N-Triples

    python benchmarks/generate_city.py 100000 --seed 1 > city.nt
"""

from __future__ import annotations

import argparse
import random
import sys

SN = "https://w3id.org/servicenet/ontology#"
CODE = "https://w3id.org/servicenet/code/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "https://data.example.fi/"

MUNICIPALITIES = {
    "091": "helsinki",
    "049": "espoo",
    "092": "vantaa",
    "853": "turku",
    "297": "kuopio",
}
STATUSES = ("active", "active", "active", "planned", "temporarily-closed", "closed")
STREETS_FI = ("Koulukatu", "Puistotie", "Rantatie", "Kirkkokatu", "Metsätie", "Mäkitie")
STREETS_SV = ("Skolgatan", "Parkvägen", "Strandvägen", "Kyrkogatan", "Skogsvägen", "Backvägen")
NAMES = ("Aurinko", "Kuusi", "Meri", "Tähti", "Kallio", "Niitty", "Satu", "Puro", "Vaahtera")
DEFECTS = (
    "no-name",
    "closed-before-opened",
    "outside-finland",
    "negative-capacity",
    "bad-postal-code",
    "over-capacity",
    "string-enrolment",
    "duplicate-lang",
)


def _iri(value: str) -> str:
    return f"<{value}>"


def _str(value: str, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def _unit(rng: random.Random, i: int) -> list[tuple[str, str, str]]:
    code = rng.choice(list(MUNICIPALITIES))
    city = MUNICIPALITIES[code]
    unit = _iri(f"{BASE}{city}/unit/{i}")
    address = _iri(f"{BASE}{city}/unit/{i}/address")
    defect = DEFECTS[i % 50] if i % 50 < len(DEFECTS) else None
    name = f"{rng.choice(NAMES)}{i}"
    opened = rng.randint(1975, 2024)
    triples = [
        (unit, _iri(RDF_TYPE), _iri(SN + "DaycareCentre")),
        (unit, _iri(SN + "municipality"), _iri(f"{CODE}municipality/{code}")),
        (unit, _iri(SN + "municipalityCode"), _str(code)),
        (unit, _iri(SN + "unitStatus"), _iri(f"{CODE}unit-status/{rng.choice(STATUSES)}")),
        (unit, _iri(SN + "openingDate"), _typed(f"{opened}-08-01", "date")),
        (
            unit,
            _iri(SN + "businessId"),
            _str(f"{rng.randint(1000000, 9999999)}-{rng.randint(0, 9)}"),
        ),
        (unit, _iri(SN + "hasAddress"), address),
        (address, _iri(SN + "streetAddress"), _str(f"{rng.choice(STREETS_FI)} {i % 90 + 1}", "fi")),
        (address, _iri(SN + "streetAddress"), _str(f"{rng.choice(STREETS_SV)} {i % 90 + 1}", "sv")),
        (address, _iri(SN + "postalCode"), _str(f"{rng.randint(0, 99):02d}{rng.randint(0, 9)}00")),
    ]
    if defect != "no-name":
        triples.append((unit, _iri(SKOS + "prefLabel"), _str(f"Päiväkoti {name}", "fi")))
        triples.append((unit, _iri(SKOS + "prefLabel"), _str(f"Daghemmet {name}", "sv")))
    if defect == "duplicate-lang":
        triples.append((unit, _iri(SKOS + "prefLabel"), _str(f"Pk {name}", "fi")))
    if defect == "closed-before-opened":
        triples.append((unit, _iri(SN + "closingDate"), _typed(f"{opened - 1}-06-30", "date")))
    elif rng.random() < 0.1:
        triples.append((unit, _iri(SN + "closingDate"), _typed(f"{opened + 20}-06-30", "date")))
    lat, lon = round(rng.uniform(60.1, 62.9), 5), round(rng.uniform(21.0, 28.0), 5)
    if defect == "outside-finland":
        lat = 58.2
    triples.append((unit, _iri(SN + "latitude"), _typed(lat, "decimal")))
    triples.append((unit, _iri(SN + "longitude"), _typed(lon, "decimal")))
    if defect == "bad-postal-code":
        triples[9] = (address, _iri(SN + "postalCode"), _str("FI-0010"))
    places = rng.randint(21, 180)
    if defect == "negative-capacity":
        places = -places
    enrolled = rng.randint(int(abs(places) * 0.7), abs(places))
    if defect == "over-capacity":
        enrolled = abs(places) * 2
    capacity = _iri(f"{BASE}{city}/unit/{i}/capacity/2025")
    enrolment = _iri(f"{BASE}{city}/unit/{i}/enrolment/2025")
    date = _typed("2025-01-01", "date")
    enrolled_term = (
        _str(str(enrolled)) if defect == "string-enrolment" else _typed(enrolled, "integer")
    )
    triples += [
        (capacity, _iri(RDF_TYPE), _iri(SN + "CapacityObservation")),
        (capacity, _iri(SN + "unit"), unit),
        (capacity, _iri(SN + "places"), _typed(places, "integer")),
        (capacity, _iri(SN + "referenceDate"), date),
        (enrolment, _iri(RDF_TYPE), _iri(SN + "EnrolmentObservation")),
        (enrolment, _iri(SN + "unit"), unit),
        (enrolment, _iri(SN + "enrolledChildren"), enrolled_term),
        (enrolment, _iri(SN + "referenceDate"), date),
    ]
    return triples


def generate(n_triples: int, seed: int = 1) -> bytes:
    """About ``n_triples`` triples (whole units, never fewer), the same bytes for the same seed."""
    rng = random.Random(seed)
    lines: list[str] = []
    i = 0
    while len(lines) < n_triples:
        lines += [f"{s} {p} {o} ." for s, p, o in _unit(rng, i)]
        i += 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("triples", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.stdout.buffer.write(generate(args.triples, args.seed))


if __name__ == "__main__":
    main()
