"""The shared semantics on data mixed on purpose (tests/data/planning/mixed.ttl): two forecast
vintages and three scenarios, band systems that overlap (1-2 / 3-5 / 6 beside PxWeb's 0-6, Paavo's
0-2 / 3-6 / 7-12 / 13-15, 7-17), capacity dated 31.12.2024 asked for 2025-10-01, sub-districts
only, catchment areas with polygons, one unit with Finnish and Swedish places apart, small cells.
Every figure is worked out by hand in the comments.

The ``test_defect_*`` tests are the issue's list, one each: each check passes on today's answer and
is run on the 0.x ``.rq`` query it replaced (tests/data/planning/queries-0.x), where it must fail
(the 0.x figure is in the docstring and asserted).

Units (ECEC places as of 2025-10-01, all dated 2024-12-31; U1's 2023 figure of 99 is older):
  U1 Alfa   A1  fi 40 + sv 20 (per capacity), pre-school 10; offers shift care
  U2 Beta   A2  30, no language on the capacity, offers ECEC in Swedish only -> sv
  U3 Gamma  A3  25, no language, offers Finnish and Swedish -> unknown language
  U4 family A1  4 (head count)          U5 Delta A3  caretakers 3 x 7 = 21 (staff-based)
  U6 school A1  grades 1-6 200, 7-9 150 U7 Epsilon A1  fi 50
  ECEC places: A1 40 + 20 + 4 + 50 = 114, A2 30, A3 25 + 21 = 46; the city 190.
Forecast choice (baseline, latest per area): A1 and A2 the 2025 vintage, A3 the 2024 one (the 2025
forecast does not cover it); the high and low scenarios and A1's 2024 figures never count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from servicenet_vocab.errors import InputError
from servicenet_vocab.formats import RdfFormat
from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.planning.bands import Band, BandCell, count_range
from servicenet_vocab.planning.facts import held
from servicenet_vocab.planning.run import AnswerJob, run_answer, run_answer_job, warm_answers
from servicenet_vocab.queries import answer, bind, get_query, parse_query_file, values
from servicenet_vocab.store.embedded import OxigraphStore, open_store
from servicenet_vocab.vocabulary.files import load_all
from servicenet_vocab.workers import StoreSource, WorkerContext, WorkerPool

MIXED = Path(__file__).parents[1] / "data" / "planning" / "mixed.ttl"
EX = "https://example.org/mixed/"
SN = "https://w3id.org/servicenet/ontology#"
LEVEL = "https://w3id.org/servicenet/code/area-level/"
GRAPH = municipality_graph("853")  # Turku's graph, as the city would upload it
Row = dict[str, str | None]


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    opened = open_store("memory")
    load_all(opened, examples=False)
    opened.load(MIXED, graph=GRAPH)
    yield opened
    opened.close()


def run(store: OxigraphStore, name: str, **params: object) -> list[Row]:
    rows = run_answer(store, name, params).records()
    return [{k: _short(v) for k, v in row.items()} for row in rows]


def _short(value: str | None) -> str | None:
    if value and value.startswith(("https://", "http://")):
        return value.rstrip("/").rsplit("/", 1)[-1]
    return value


def by(rows: list[Row], key: str) -> dict[str | None, Row]:
    return {row[key]: row for row in rows}


def near(value: str | None, expected: str, tolerance: str = "0.05") -> bool:
    return value is not None and abs(Decimal(value) - Decimal(expected)) <= Decimal(tolerance)


# --- band arithmetic on its own -------------------------------------------------------------------


def test_bands_never_add_two_systems_and_report_a_straddling_band() -> None:
    cells = [BandCell(Band(1, 2), 20), BandCell(Band(3, 5), 30), BandCell(Band(6, 6), 10)]
    both = count_range([*cells, BandCell(Band(0, 6), 70)], Band(1, 6))
    assert (both.exact, both.estimate, both.complete) == (60, 60, True)  # 0-6 is not added
    paavo = count_range([BandCell(Band(0, 2), 30), BandCell(Band(3, 6), 40)], Band(1, 6))
    # 3-6 whole (40); 0-2 straddles: 30 / 3 years x 2 years (1, 2) = 20 in the estimate only
    assert (paavo.exact, paavo.estimate, paavo.straddling, paavo.complete) == (40, 60, ["0-2"], False)  # fmt: skip
    weighted = count_range(
        cells, Band(1, 6), lambda age: Decimal("1.75") if age < 3 else Decimal(1)
    )
    assert weighted.weighted == Decimal("75.00")  # 20 x 1.75 + 30 + 10
    hidden = count_range([BandCell(Band(1, 2), 6), BandCell(Band(3, 5), 9), BandCell(Band(6, 6), None)], Band(1, 6))  # fmt: skip
    assert (hidden.exact, hidden.suppressed, hidden.complete) == (15, ["6"], False)


# --- question 1 -----------------------------------------------------------------------------------


def test_q1_places_vs_forecast_on_mixed_data(store: OxigraphStore) -> None:
    rows = by(run(store, "places-vs-forecast"), "area")
    # 2030, sub-districts ("auto": the city has no districts), participation 0.8, under 3 x 1.75.
    # A1: 1-2 20, 3-5 30, 6 10 (the 0-6 cell of 70 is another band system): 60 children; weighted
    # 35 + 30 + 10 = 75; need 60; 60 / 114 = 0.5263 -> 0.526.
    assert (rows["A1"]["children"], rows["A1"]["need"], rows["A1"]["ratio"]) == (
        "60",
        "60",
        "0.526",
    )
    assert (rows["A1"]["vintage"], rows["A1"]["complete"], rows["A1"]["level"]) == ("2025", "true", "sub-district")  # fmt: skip
    # A2 (Paavo): 3-6 40 exact; 0-2 30 straddles: 10 a year for ages 1-2 -> estimate 60; weighted
    # 40 + 20 x 1.75 = 75; need 60; 60 / 30 = 2.
    a2 = rows["A2"]
    assert (a2["children"], a2["childrenEstimate"], a2["ratio"]) == ("40", "60", "2")
    assert (a2["complete"], a2["coverage"]) == ("false", "0-2 straddles")
    # A3 (PxWeb 0-6 only, the 2024 baseline): 70 / 7 years x 6 = 60; weighted 2 x 10 x 1.75 + 4 x
    # 10 = 75; need 60; 60 / 46 = 1.3043 -> 1.304.
    a3 = rows["A3"]
    assert (a3["childrenEstimate"], a3["ratio"], a3["vintage"], a3["coverage"]) == (
        "60",
        "1.304",
        "2024",
        "0-6 straddles",
    )
    assert [r["area"] for r in run(store, "places-vs-forecast")] == ["A2", "A3", "A1"]


def test_q1_rolls_up_to_the_municipality(store: OxigraphStore) -> None:
    (city,) = run(store, "places-vs-forecast", level="municipality")
    # children exact 60 + 40 + 0 = 100, estimate 180, need 0.8 x 225 = 180; 180 / 190 = 0.947
    assert (city["area"], city["areaName"], city["places"], city["children"]) == ("853", "Turku", "190", "100")  # fmt: skip
    assert (city["childrenEstimate"], city["need"], city["ratio"]) == ("180", "180", "0.947")
    assert city["vintage"] == "2024,2025"


def test_forecast_vintage_and_scenario_are_chosen_not_summed(store: OxigraphStore) -> None:
    # The 2024 vintage asked for: A1 has only its 1-2 cell of 500 (x 1.75 x 0.8 = 700 need);
    # the high scenario: A1 1-2 1000, A2 3-6 1000, A3 0-6 1000 (-> 857.1 for 1-6).
    old = by(run(store, "places-vs-forecast", vintage="2024"), "area")
    assert old["A1"]["children"] == "500" and old["A1"]["need"] == "700"
    high = by(run(store, "places-vs-forecast", scenario="high"), "area")
    assert (high["A1"]["children"], high["A2"]["children"], high["A3"]["childrenEstimate"]) == (
        "1000",
        "1000",
        "857.1",
    )
    with pytest.raises(InputError) as caught:
        answer(lambda text: iter(()), "places-vs-forecast", {"scenario": "optimistic"})
    assert caught.value.location is not None and caught.value.location.field == "scenario"
    with pytest.raises(InputError) as caught:
        values(get_query("places-vs-forecast"), {"year": "2030; DROP ALL"})
    assert caught.value.location is not None and caught.value.location.field == "year"


# --- the defects of issue #16, one test each ----------------------------------------------------
# Each test's check runs on today's answer (it must pass) and on the 0.x query it replaced
# (tests/data/planning/queries-0.x, bound with the values given; it must fail there).

OLD_QUERIES = MIXED.parent / "queries-0.x"
Check = Callable[[list[Row]], object]


def run_0x(store: OxigraphStore, name: str, **params: object) -> list[Row]:
    query = parse_query_file(OLD_QUERIES / f"{name}.rq")
    known = {p.name for p in query.params}
    rows = store.query(bind(query, {k: v for k, v in params.items() if k in known})).rows()
    return [{k: _short(v) for k, v in row.items()} for row in rows]


def fixed(store: OxigraphStore, name: str, check: Check, params: dict[str, object] | None = None, old: dict[str, object] | None = None) -> None:  # fmt: skip
    """``check`` passes on today's answer and fails on the 0.x query (``old``: its values)."""
    check(run(store, name, **(params or {})))
    before = run_0x(store, name, **(params or {}) | (old or {}))
    with pytest.raises((AssertionError, KeyError, ValueError)):
        check(before)


def test_defect_forecasts_were_summed_across_scenarios_and_vintages(store: OxigraphStore) -> None:
    """0.x places-per-100-children summed every forecast: 2030 children 1-2/3-5/6 20 + 30 + 10 +
    6 + 9 + 500 + 1000 + 1000 (A1, all forecasts, the Swedish breakdown too) = 2575 on the
    capacity's own date (on 2025-10-01 it had no row at all)."""

    def check(rows: list[Row]) -> None:
        (city,) = rows
        # one forecast per area: estimate 60 + 60 + 60 = 180; 100 x 190 / 180 = 105.556
        assert (city["childrenEstimate"], city["placesPer100"]) == ("180", "105.556")

    fixed(store, "places-per-100-children", check, {"year": 2030}, old={"date": "2024-12-31"})
    (summed,) = run_0x(store, "places-per-100-children", year=2030, date="2024-12-31")
    assert summed["children"] == "2575"


def test_defect_band_systems_gave_zero(store: OxigraphStore) -> None:
    """0.x counted only bands under 1-6: 12 children in 2025 (A1's single year 6); A2 (Paavo
    0-2 / 3-6) and A3 (PxWeb 0-6) gave 0."""

    def check(rows: list[Row]) -> None:
        (city,) = rows  # 2025
        # A1 0-6 84 -> 72 (6 of 7 years; the single year 6 would cover less), A2 0-2 33 -> 22 +
        # 3-6 44, A3 0-6 70 -> 60: 198; 100 x 190 / 198 = 95.960. Exact (bands inside 1-6): 44.
        assert (city["children"], city["childrenEstimate"], city["placesPer100"]) == ("44", "198", "95.96")  # fmt: skip
        assert city["coverage"] == "0-6 straddles; 0-2 straddles" and city["complete"] == "false"

    fixed(store, "places-per-100-children", check, old={"date": "2024-12-31"})
    (old,) = run_0x(store, "places-per-100-children", date="2024-12-31")
    assert old["children"] == "12"


def test_defect_district_anchor(store: OxigraphStore) -> None:
    """0.x places-vs-forecast and swedish-language-gap answered only districts: no rows here."""

    def check(rows: list[Row]) -> None:
        assert {r["area"] for r in rows} == {"A1", "A2", "A3"}

    fixed(store, "places-vs-forecast", check, old={"date": "2024-12-31"})
    fixed(store, "swedish-language-gap", check, {"year": 2030}, old={"date": "2024-12-31"})


def test_defect_exact_reference_date(store: OxigraphStore) -> None:
    """0.x matched sn:referenceDate = 2025-10-01: no places, no utilisation for 31.12.2024."""

    def check(rows: list[Row]) -> None:
        ecec = by([r for r in rows if r["serviceType"] == "ecec"], "unit")
        assert ecec["U1"]["capacityDate"] == "2024-12-31" and ecec["U1"]["places"] == "60"

    fixed(store, "utilisation", check)
    assert run_0x(store, "utilisation") == []
    # 31.12.2024 is 274 days before 1.10.2025: outside a 30-day window, so nothing is as of it
    assert run(store, "utilisation", window=30) == []


def test_defect_proactive_offers_published_small_cells(store: OxigraphStore) -> None:
    """0.x published declined = 3 for A1's Finnish e-service offers (12 sent, 9 accepted)."""

    def check(rows: list[Row]) -> None:
        languages = by(rows, "language")
        # 3 declined is small; 9 accepted would reveal it (12 - 9): both withheld, and the rate
        fi, sv = languages["fi"], languages["sv"]
        assert (fi["sent"], fi["accepted"], fi["declined"]) == ("12", None, None)
        assert (fi["acceptanceRate"], fi["suppressed"]) == (None, "true")
        # Swedish: 20 sent, 15 accepted, 5 declined: all >= 5, rate 15 / 20 = 0.75
        assert (sv["declined"], sv["acceptanceRate"], sv["suppressed"]) == ("5", "0.75", "false")

    fixed(store, "proactive-offers", check)
    assert by(run_0x(store, "proactive-offers"), "language")["fi"]["declined"] == "3"


def test_defect_swedish_places_of_a_bilingual_unit(store: OxigraphStore) -> None:
    """0.x counted all of a unit's ECEC places as Swedish when it offered any Swedish ECEC: U1's
    60 (not 20) and U3's 25 (unknown) would have been Swedish. (On this data it also answered
    districts only, so it gave no row at all.)"""

    def check(rows: list[Row]) -> None:
        areas = by(rows, "area")
        # A1: U1's Swedish capacity 20 only. Swedish children 1-2 6, 3-5 9, 6 suppressed: 15 (not
        # complete); weighted 6 x 1.75 + 9 = 19.5; need 15.6; gap 15.6 - 20 = -4.4.
        a1 = areas["A1"]
        assert (a1["swedishPlaces"], a1["swedishChildren"], a1["need"], a1["gap"]) == ("20", "15", "15.6", "-4.4")  # fmt: skip
        assert (a1["complete"], a1["coverage"]) == ("false", "6 suppressed")
        # A2: U2's capacity gives no language; its only ECEC language is Swedish -> 30 Swedish.
        assert areas["A2"]["swedishPlaces"] == "30"
        # A3: U3 offers both languages without saying which places: unknown, never Swedish.
        assert (areas["A3"]["swedishPlaces"], areas["A3"]["unknownLanguagePlaces"]) == ("0", "25")

    fixed(store, "swedish-language-gap", check, {"year": 2030}, old={"date": "2024-12-31"})
    # with A1 tagged as a district, 0.x answers it: all 60 of U1's places as Swedish
    districts = EX + "as-districts"
    store.load(f"<{EX}A1> <{SN}areaLevel> <{LEVEL}district> .".encode(), RdfFormat.NTRIPLES, graph=districts)  # fmt: skip
    try:
        old = by(run_0x(store, "swedish-language-gap", year=2030, date="2024-12-31"), "district")
    finally:
        store.drop_graph(districts)
    assert old["A1"]["swedishPlaces"] == "60"


def test_defect_need_mix_shift_care_and_city_options(store: OxigraphStore) -> None:
    """0.x: the city's own full-day option counted nowhere (fullDay 0), the need with shift care
    but no option was dropped (shiftCare 20, total 70), places on the exact date (0)."""

    def check(rows: list[Row]) -> None:
        (a1,) = rows
        # full day 50 (the city's option refines full-day), part day 20 (with intermittent shift
        # care), 6 with full shift care and no option: other; shift care 20 + 6 = 26; total 76.
        assert (a1["fullDay"], a1["partDay"], a1["otherNeed"], a1["shiftCare"], a1["total"]) == (
            "50",
            "20",
            "6",
            "26",
            "76",
        )
        # 50 / 76 = 0.658, 20 / 76 = 0.263, 26 / 76 = 0.342; U1 offers shift care: its 60 places
        assert (a1["fullDayShare"], a1["partDayShare"], a1["shiftCareShare"]) == ("0.658", "0.263", "0.342")  # fmt: skip
        assert (a1["shiftCarePlaces"], a1["shiftCareGap"]) == ("60", "-34")

    fixed(store, "need-mix", check)
    (old,) = run_0x(store, "need-mix")
    assert (old["fullDay"], old["shiftCare"], old["total"], old["shiftCarePlaces"]) == ("0", "20", "70", "0")  # fmt: skip


def test_defect_utilisation_options_and_pre_school(store: OxigraphStore) -> None:
    """0.x dropped the 20 children without an option and counted the 8 pre-school-only children
    (x 0.5) against U1's ECEC places: (17.5 + 10.8 + 4) / 60 = 0.538 on the capacity's date."""

    def check(rows: list[Row]) -> None:
        units = {(r["unit"], r["serviceType"]): r for r in rows}
        u1 = units[("U1", "ecec")]
        # 0-2 full day 10 x 1.75 = 17.5; 3-5 without option 20 x 1.0 (full day, eVaka's
        # default); 3-5 part day 10 x 0.54 x support 2.0 = 10.8: 48.3 of 40 children; 48.3 / 60
        # = 0.805, under
        assert (u1["children"], u1["weightedChildren"], u1["utilisation"], u1["flag"]) == ("40", "48.3", "0.805", "under")  # fmt: skip

    fixed(store, "utilisation", check, old={"date": "2024-12-31"})
    old = by(run_0x(store, "utilisation", date="2024-12-31"), "unit")
    assert old["U1"]["utilisation"] == "0.538"
    rows = {(r["unit"], r["serviceType"]): r for r in run(store, "utilisation")}
    # the 8 pre-school-only children against U1's 10 pre-school places: 0.8
    assert rows[("U1", "pre-school")]["utilisation"] == "0.8"
    # family daycare: every child 1.75 (eVaka): 4 x 1.75 / 4 = 1.75; the 4 children withheld
    u4 = rows[("U4", "ecec")]
    assert (u4["utilisation"], u4["children"], u4["weightedChildren"], u4["suppressed"]) == ("1.75", None, None, "true")  # fmt: skip
    # staff-based U5 has no enrolment figures, so no row; U2 30 / 30 = 1, U7 30 / 50 = 0.6
    assert ("U5", "ecec") not in rows
    assert (rows[("U2", "ecec")]["utilisation"], rows[("U7", "ecec")]["utilisation"]) == (
        "1",
        "0.6",
    )


def test_defect_data_quality_national_identifier(store: OxigraphStore) -> None:
    """0.x took only sn:ophOid as national and wanted capacity on the exact date: U2 (Varda ID)
    and U4 (TPR ID) were flagged, and every unit lacked capacity."""

    def check(rows: list[Row]) -> None:
        # U3 has none of Varda ID, OPH OID, TPR ID (the unit shape's sh:or); U5 has no
        # coordinates (U4 is family daycare: exempt); every active unit has capacity dated
        # within the window.
        assert {(r["unit"], r["problem"]) for r in rows} == {("U3", "no-national-identifier"), ("U5", "no-coordinates")}  # fmt: skip

    fixed(store, "data-quality", check)
    old = {(r["unit"], r["problem"]) for r in run_0x(store, "data-quality")}
    assert {("U2", "no-national-identifier"), ("U4", "no-national-identifier"), ("U1", "no-capacity")} <= old  # fmt: skip


def test_staff_based_places_are_caretakers_times_seven(store: OxigraphStore) -> None:
    rows = by(run(store, "places-vs-forecast", level="sub-district"), "area")
    assert rows["A3"]["places"] == "46"  # U3 25 + U5 3.0 x 7 = 21


# --- the four new questions ---------------------------------------------------------------------


def test_q3_preschool_places_vs_six_year_olds(store: OxigraphStore) -> None:
    (c1,) = run(store, "preschool-places-vs-six-year-olds")
    # School year 2025-2026 -> children aged 6 at the end of 2025. C1 holds A1's and A2's points
    # (not A3's). A1: the single year 6 = 12 (the 0-6 cell would only share); A2: 3-6 44 straddles
    # -> 11. Exact 12, estimate 23. Places: U1's pre-school 10 (Finnish, as the area). 10 / 23 =
    # 0.435; gap 23 - 10 = 13.
    assert (c1["catchmentArea"], c1["places"], c1["children"], c1["childrenEstimate"]) == ("C1", "10", "12", "23")  # fmt: skip
    assert (c1["placesPerChild"], c1["gap"], c1["complete"]) == ("0.435", "13", "false")


def test_q11_school_capacity_vs_forecast(store: OxigraphStore) -> None:
    rows = by(run(store, "school-capacity-vs-forecast"), "catchmentArea")
    # C2 (grades 1-6, all three areas): 7-12 A1 90 + A2 60 exact + A3 7-17 110 x 6 / 11 = 60:
    # exact 150, estimate 210 (the high scenario's 5000 not counted); U6's 1-6 places 200;
    # 200 / 210 = 0.952; gap 10.
    c2 = rows["C2"]
    assert (c2["places"], c2["children"], c2["childrenEstimate"], c2["placesPerChild"], c2["gap"]) == (
        "200",
        "150",
        "210",
        "0.952",
        "10",
    )  # fmt: skip
    # C3 (grades 7-9): 13-15 A1 40 + A2 30 + 110 x 3 / 11 = 30: estimate 100; 150 / 100 = 1.5
    c3 = rows["C3"]
    assert (c3["places"], c3["children"], c3["childrenEstimate"], c3["placesPerChild"]) == ("150", "70", "100", "1.5")  # fmt: skip
    assert {c2["sharedCapacity"], c3["sharedCapacity"]} == {"false"}


def test_q10_distance_to_free_place(store: OxigraphStore) -> None:
    rows = by(run(store, "distance-to-free-place"), "area")
    # Units with a free Finnish ECEC place: U1 (60 - 48.3 = 11.7 free), U7 (50 - 30 = 20); U2 is
    # full and Swedish, U3's language is unknown, U4 and U5 have no coordinates.
    # A1 (22.25 E, 60.45 N) -> U1 (60.451 N): 0.001 deg of latitude = 0.111 km.
    assert rows["A1"]["nearestUnit"] == "U1" and near(rows["A1"]["distanceKm"], "0.11")
    # A2 (22.30, 60.45) -> U7 (22.26, 60.46): 0.04 deg x 111.3 x cos 60.45 = 2.19 km east-west,
    # 0.01 deg x 111.3 = 1.11 km north-south: sqrt(2.19^2 + 1.11^2) = 2.46 km (U1: 2.75 km).
    assert rows["A2"]["nearestUnit"] == "U7" and near(rows["A2"]["distanceKm"], "2.46")
    # A3 (22.40, 60.50) -> U7: 0.14 x 111.3 x 0.493 = 7.68, 0.04 x 111.3 = 4.45: 8.88 km.
    assert rows["A3"]["nearestUnit"] == "U7" and near(rows["A3"]["distanceKm"], "8.88")
    # farther than 2 km: A2 and A3; children 0-6 in 2025: A1 84, A2 33 + 44 = 77, A3 70.
    assert {a for a, r in rows.items() if r["farther"] == "true"} == {"A2", "A3"}
    assert (rows["A1"]["children"], rows["A2"]["children"], rows["A3"]["children"]) == ("84", "77", "70")  # fmt: skip
    relaxed = by(run(store, "distance-to-free-place", maxKm=3), "area")
    assert {a for a, r in relaxed.items() if r["farther"] == "true"} == {"A3"}


def test_q14_closure_impact(store: OxigraphStore) -> None:
    first, last = run(store, "closure-impact", unit=EX + "U1")
    # U1's ECEC children: 40, weighing 48.3 (1.2075 each). Within 5 km, with Finnish or Swedish
    # places (U1's languages) and free places: U7 only (U2 is full, U3's language unknown), 1.14
    # km away (0.01 deg x 111.3 x 0.493 = 0.55 km, 0.009 deg x 111.3 = 1.00 km). Its 20 free
    # places take floor(20 / 1.2075) = 16 children (19.32): 30 / 50 = 0.6 before, (30 + 19.32) /
    # 50 = 0.9864 -> 0.986 after. 40 - 16 = 24 cannot be placed.
    assert (first["receivingUnit"], first["childrenReceived"], first["freePlaces"]) == ("U7", "16", "20")  # fmt: skip
    assert near(first["distanceKm"], "1.14")
    assert (first["utilisationBefore"], first["utilisationAfter"]) == ("0.6", "0.986")
    assert (last["receivingUnit"], last["childrenNotPlaced"]) == (None, "24")
    # within 1 km nobody can take them
    (only,) = run(store, "closure-impact", unit=EX + "U1", maxKm=1)
    assert only["childrenNotPlaced"] == "40"


# --- the facade's workers read the facts before a planner asks ----------------------------------


def facts_held(context: WorkerContext) -> tuple[object, list[str]]:
    return held()


def test_workers_read_the_facts_after_each_change_of_the_data(tmp_path: Path) -> None:
    data = open_store("memory")
    load_all(data, examples=False)
    data.load(MIXED, graph=GRAPH)
    with WorkerPool(1, source=StoreSource.snapshot(tmp_path), warm_job=warm_answers) as pool:
        generation = pool.publish(data)
        for thread in pool.warming:
            thread.join(timeout=120)
        token, names = pool.call(facts_held, timeout=60)
        assert token == ("generation", generation)
        assert {"_every_capacity", "_every_enrolment", "fetch_units", "fetch_forecasts"} <= set(names)  # fmt: skip
        # another date is answered from the observations held (all dates), as today's answer
        table = pool.call(run_answer_job, AnswerJob("utilisation", {"date": "2025-01-15"}), timeout=60)  # fmt: skip
        expected = list(run_answer(data, "utilisation", {"date": "2025-01-15"}).records())
        assert list(table.records()) == expected and len(expected) > 3
        assert pool.call(facts_held, timeout=60) == (token, names)  # no other fact was read
        data.update(f"DELETE WHERE {{ GRAPH <{GRAPH}> {{ <{EX}U7> ?p ?o }} }}")
        changed = pool.publish(data, [GRAPH])
        for thread in pool.warming:
            thread.join(timeout=120)
        assert pool.call(facts_held, timeout=60)[0] == ("generation", changed)
        rows = list(pool.call(run_answer_job, AnswerJob("utilisation"), timeout=60).records())
        assert EX + "U7" not in {row["unit"] for row in rows} and len(rows) > 3


# --- question 9 ----------------------------------------------------------------------------------


def test_q9_places_by_organisation_form_as_of_each_year(store: OxigraphStore) -> None:
    rows = {(r["date"], r["organisationForm"]): r for r in run(store, "places-by-organisation-form", years=2)}  # fmt: skip
    # 2025-10-01 (as of: the 31.12.2024 figures): municipal U1 60 + U4 4 + U5 3 x 7 = 85, U2
    # purchased 30, U3 service voucher 25, U7 without a form 50; 190 in all.
    today = {form: (r["units"], r["places"], r["share"]) for (day, form), r in rows.items() if day == "2025-10-01"}  # fmt: skip
    assert today == {
        "municipal": ("3", "85", "0.447"),  # 85 / 190
        "purchased": ("1", "30", "0.158"),
        "service-voucher": ("1", "25", "0.132"),
        "unknown": ("1", "50", "0.263"),
    }
    # 2024-10-01: only U1's 2023-12-31 figure (99) lies in the year before
    assert {f: r["places"] for (d, f), r in rows.items() if d == "2024-10-01"} == {
        "municipal": "99"
    }
    by_area = {(r["area"], r["organisationForm"]): r["places"] for r in run(store, "places-by-organisation-form", years=1, level="sub-district")}  # fmt: skip
    # A1: U1 60 + U4 4 municipal, U7 50; A3: U5 21 municipal, U3 25 voucher
    assert by_area == {
        ("A1", "municipal"): "64",
        ("A1", "unknown"): "50",
        ("A2", "purchased"): "30",
        ("A3", "municipal"): "21",
        ("A3", "service-voucher"): "25",
    }


def test_defect_places_by_organisation_form_by_reference_date(store: OxigraphStore) -> None:
    """0.x summed sn:places per reference date: U5's staff-based places (3 x 7) were nothing,
    units without a form were missing from the forms but in the total, and a city reporting on
    two days a year had two partial totals (here 2023-12-31 and 2024-12-31, never 2025-10-01)."""

    def check(rows: list[Row]) -> None:
        municipal = {r["date"]: r["places"] for r in rows if r["organisationForm"] == "municipal"}
        assert municipal["2025-10-01"] == "85"

    fixed(store, "places-by-organisation-form", check)
    old = {(r["date"], r["organisationForm"]): r["places"] for r in run_0x(store, "places-by-organisation-form")}  # fmt: skip
    assert old[("2024-12-31", "municipal")] == "64"  # U1 60 + U4 4, U5 missing


# --- question 5 ----------------------------------------------------------------------------------


def test_q5_premises_risk_with_the_places_they_carry(store: OxigraphStore) -> None:
    rows = by(run(store, "premises-risk"), "unit")
    # to 2030-10-01 (repairs up to 2030): U1's lease ends 30.6.2027, U5's premises are poor,
    # U6's repair falls due in 2029; U3 left its very poor premises on 30.6.2024.
    assert set(rows) == {"U1", "U5", "U6"}
    u1, u5, u6 = rows["U1"], rows["U5"], rows["U6"]
    # U1 as of 2025-10-01: ECEC fi 40 + sv 20 = 60, pre-school 10: 70
    assert (u1["places"], u1["ececPlaces"], u1["preSchoolPlaces"], u1["leaseEnding"]) == ("70", "60", "10", "true")  # fmt: skip
    # U5: staff-based, 3 caretakers x 7 = 21
    assert (u5["places"], u5["poorCondition"], u5["leaseEnding"]) == ("21", "true", "false")
    # U6: grades 1-6 200 + 7-9 150
    assert (u6["places"], u6["basicEducationPlaces"], u6["repairDue"]) == ("350", "350", "true")
    # one year (to 2026-10-01, repairs up to 2026): only U5's condition
    assert [r["unit"] for r in run(store, "premises-risk", years=1)] == ["U5"]


def test_defect_premises_risk_dropped_staff_based_places(store: OxigraphStore) -> None:
    """0.x added the sn:places of the latest date: U5's 3 caretakers (21 places) carried
    nothing."""

    def check(rows: list[Row]) -> None:
        assert by(rows, "unit")["U5"]["places"] == "21"

    fixed(store, "premises-risk", check)
    assert by(run_0x(store, "premises-risk"), "unit")["U5"]["places"] is None


# --- question 7 ----------------------------------------------------------------------------------


def test_q7_survey_results_per_unit_and_per_area(store: OxigraphStore) -> None:
    units = by(run(store, "survey-results"), "unit")
    # U1: 12 of 40 = 0.3, mean 4; U2: 8 of 20 = 0.4, mean 3.5
    assert (units["U1"]["responses"], units["U1"]["responseRate"], units["U1"]["meanScore"]) == ("12", "0.3", "4")  # fmt: skip
    assert (units["U2"]["responses"], units["U2"]["responseRate"], units["U2"]["meanScore"]) == ("8", "0.4", "3.5")  # fmt: skip
    # U7: 3 responses, a count of 1-4: the count, its rate and the mean withheld
    u7 = units["U7"]
    assert (u7["invitations"], u7["responses"], u7["responseRate"], u7["meanScore"], u7["suppressed"]) == ("30", None, None, None, "true")  # fmt: skip
    areas = by(run(store, "survey-results", level="sub-district"), "area")
    # A1 = U1 + U7: 70 invited, 15 responses (0.214), mean (12 x 4 + 3 x 5) / 15 = 4.2
    a1 = areas["A1"]
    assert (a1["invitations"], a1["responses"], a1["responseRate"], a1["meanScore"]) == ("70", "15", "0.214", "4.2")  # fmt: skip
    assert (a1["unit"], a1["suppressed"]) == (None, "false")
    (city,) = run(store, "survey-results", level="municipality")
    # 90 invited, 23 responses (0.256), mean (48 + 15 + 28) / 23 = 3.956 -> 3.96
    assert (city["area"], city["responses"], city["responseRate"], city["meanScore"]) == ("853", "23", "0.256", "3.96")  # fmt: skip
    # a stricter threshold: 15 < 20 withholds A1's mean, not its count
    strict = by(run(store, "survey-results", level="sub-district", minResponses=20), "area")
    assert (strict["A1"]["responses"], strict["A1"]["meanScore"], strict["A1"]["suppressed"]) == ("15", None, "true")  # fmt: skip


# --- question 13 (lineage) and the e-service target ----------------------------------------------


def sparql(store: OxigraphStore, name: str, **params: object) -> list[Row]:
    rows = store.query(bind(get_query(name), params)).rows()
    return [{k: _short(v) for k, v in row.items()} for row in rows]


def test_q13_lineage_lists_every_forecast_behind_the_figures(store: OxigraphStore) -> None:
    rows = sparql(store, "lineage")
    assert {r["modified"] for r in rows} == {"2025-11-15"} and {r["municipality"] for r in rows} == {"853"}  # fmt: skip
    # both vintages and the three 2024 scenarios: the answers choose one per area, lineage shows all
    assert {(r["forecast"], r["vintage"], r["scenario"], r["issued"]) for r in rows} == {
        ("f24b", "2024", "baseline", "2024-05-01"),
        ("f24h", "2024", "high", "2024-05-01"),
        ("f24l", "2024", "low", "2024-05-01"),
        ("f25b", "2025", "baseline", "2025-05-01"),
    }


def test_electronic_application_share_against_the_target(store: OxigraphStore) -> None:
    rows = {r["year"]: r for r in sparql(store, "electronic-application-share")}
    # 2024: 90 / (90 + 110) = 0.45; 2025: 130 / 200 = 0.65, which meets the 65 % target
    assert (rows["2024"]["electronicShare"], rows["2024"]["meetsTarget"]) == ("0.45", "false")
    assert (rows["2025"]["electronicShare"], rows["2025"]["meetsTarget"]) == ("0.65", "true")
