"""Questions 6, 8 and 13: proactive offers, the need mix, data quality; with the shared rules
(small cells withheld, places as of a date, areas at any level, identifiers as the shapes say)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from servicenet_vocab.planning.facts import PREFIXES, Fetch, code, fetch_options, fetch_units
from servicenet_vocab.planning.observations import fetch_capacity
from servicenet_vocab.planning.places import places_on
from servicenet_vocab.planning.semantics import area_index, is_small, parse_level, ratio, withhold
from servicenet_vocab.planning.table import Column, Table
from servicenet_vocab.queries.answers.base import (
    LEVEL,
    WINDOW,
    Answer,
    Params,
    as_date,
    date_param,
    param,
)
from servicenet_vocab.queries.params import term

__all__ = ["ANSWERS"]

SHIFT_SERVICES = ("shift-care", "evening-weekend-care")
# the identifiers sn-shapes:ServiceUnitIdentifiersShape accepts as national (sh:or)
NATIONAL_IDENTIFIERS = ("vardaId", "ophOid", "tprId")


def proactive_offers(fetch: Fetch, p: Params) -> Table:
    year = term(param("schoolYear", "xsd:string", "", ""), p["schoolYear"])
    text = (
        PREFIXES
        + f"""SELECT ?area ?channel ?language ?s ?a ?d WHERE {{
      ?obs sn:schoolYear {year} ; a sn:ProactiveOfferStatistic ; sn:area ?area ;
        sn:channel ?channel ; sn:serviceLanguage ?language ;
        sn:offersSent ?s ; sn:offersAccepted ?a ; sn:offersDeclined ?d . }}"""
    )
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in fetch(text):
        key = (str(row["area"]), str(code(row["channel"])), str(code(row["language"])))
        for i, name in enumerate(("s", "a", "d")):
            sums[key][i] += int(str(row[name]))
    index = area_index(fetch) if sums else None
    table = Table(
        [
            Column("municipality", "iri"),
            Column("area", "iri"),
            Column("areaName"),
            Column("channel"),
            Column("language"),
            Column("sent", "xsd:integer"),
            Column("accepted", "xsd:integer"),
            Column("declined", "xsd:integer"),
            Column("acceptanceRate", "xsd:decimal"),
            Column("suppressed", "xsd:boolean"),
        ]
    )
    for (area, channel, language), (sent, accepted, declined) in sorted(sums.items()):
        assert index is not None
        # sent = accepted + declined (+ unanswered): withholding one of the two answers alone
        # would let the other reveal it, so a small answer withholds both, and the rate
        small = is_small(accepted) or is_small(declined)
        shown_sent = withhold(sent)
        table.add(
            index.municipality(area),
            area,
            index.label(area),
            channel,
            language,
            shown_sent,
            None if small or shown_sent is None else accepted,
            None if small or shown_sent is None else declined,
            None if small or shown_sent is None else ratio(accepted, sent),
            small or shown_sent is None,
        )
    table.rows.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[3]), str(r[4])))
    return table


def need_mix(fetch: Fetch, p: Params) -> Table:
    year, day, window = int(p["year"]), as_date(p["date"]), int(p["window"])
    level = parse_level(str(p["level"]))
    text = (
        PREFIXES
        + f"""SELECT ?area ?option ?shift ?n WHERE {{
      ?need sn:referenceYear {year} ; a sn:ServiceNeed ; sn:area ?area ; sn:childrenInNeed ?n .
      OPTIONAL {{ ?need sn:serviceNeedOption ?option }} OPTIONAL {{ ?need sn:shiftCare ?shift }} }}"""
    )
    options = fetch_options(fetch)
    own: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # full, part, other, shift
    for row in fetch(text):
        n = int(str(row["n"]))
        option = options.get(str(row["option"])) if row["option"] else None
        national = code(option.national) if option and option.national else code(row["option"])
        deprecated_shift = national == "shift-care"
        figures = own[str(row["area"])]
        if option is None:
            figures[2] += n  # no option given: neither full nor part day
        elif deprecated_shift or option.part_day is False:
            figures[0] += n
        elif option.part_day:
            figures[1] += n
        else:
            figures[2] += n
        if deprecated_shift or code(row["shift"]) in ("intermittent", "full"):
            figures[3] += n
    index = area_index(fetch)
    rolled = index.roll_up(own, lambda a, b: [x + y for x, y in zip(a, b, strict=True)], lambda: [0, 0, 0, 0])  # fmt: skip
    units = fetch_units(fetch)
    places = places_on(fetch, day, window)
    shift_places: dict[str, Decimal] = defaultdict(Decimal)
    for unit in units.values():
        own_shift = [places[(unit.iri, s)] for s in SHIFT_SERVICES if (unit.iri, s) in places]
        if own_shift:
            found = sum((f.total for f in own_shift), Decimal(0))
        elif any(unit.offers(s, day) for s in SHIFT_SERVICES) and (unit.iri, "ecec") in places:
            found = places[(unit.iri, "ecec")].total
        else:
            continue
        for target in index.ancestors(unit.area or unit.municipality or ""):
            shift_places[target] += found
    table = Table(
        [
            Column("municipality", "iri"),
            Column("area", "iri"),
            Column("areaName"),
            Column("level"),
            Column("fullDay", "xsd:integer"),
            Column("partDay", "xsd:integer"),
            Column("otherNeed", "xsd:integer"),
            Column("shiftCare", "xsd:integer"),
            Column("total", "xsd:integer"),
            Column("fullDayShare", "xsd:decimal"),
            Column("partDayShare", "xsd:decimal"),
            Column("shiftCareShare", "xsd:decimal"),
            Column("shiftCarePlaces", "xsd:decimal"),
            Column("shiftCareGap", "xsd:decimal"),
            Column("suppressed", "xsd:boolean"),
        ]
    )
    for municipality, targets in sorted(index.targets(level).items()):
        for target in targets:
            rolled_up = rolled(target)
            if rolled_up is None:
                continue
            full, part, other, shift = rolled_up
            total = full + part + other
            # the parts add up to the total: one small part withholds all parts
            small_part = any(is_small(x) for x in (full, part, other))
            shown = None if small_part or is_small(total) else (full, part, other)
            shift_shown = withhold(shift)
            spaces = shift_places.get(target, Decimal(0))
            table.add(
                municipality,
                target,
                index.label(target),
                index.level(target),
                *(shown if shown else (None, None, None)),
                shift_shown,
                withhold(total),
                ratio(full, total) if shown else None,
                ratio(part, total) if shown else None,
                ratio(shift, total) if shift_shown is not None else None,
                spaces,
                None if shift_shown is None else shift - spaces,
                shown is None or shift_shown is None,
            )
    return table


def data_quality(fetch: Fetch, p: Params) -> Table:
    day, window = as_date(p["date"]), int(p["window"])
    units = fetch_units(fetch, offerings=False)
    values = " ".join(f"sn:{name}" for name in NATIONAL_IDENTIFIERS)
    identified = {
        str(r["unit"])
        for r in fetch(
            PREFIXES + f"SELECT DISTINCT ?unit WHERE {{ VALUES ?p {{ {values} }} ?unit ?p ?id }}"
        )
    }
    located = {
        str(r["unit"])
        for r in fetch(
            PREFIXES
            + "SELECT DISTINCT ?unit WHERE { ?unit geo:hasGeometry ?g . ?g sn:latitude ?lat }"
        )
    }
    with_capacity = {c.unit for c in fetch_capacity(fetch, day, window)}
    table = Table(
        [
            Column("municipality", "iri"),
            Column("unit", "iri"),
            Column("unitName"),
            Column("problem"),
        ]
    )
    for iri, unit in units.items():
        problems = []
        if iri not in identified:
            problems.append("no-national-identifier")
        if not unit.family and iri not in located:
            problems.append("no-coordinates")
        if unit.status == "active" and "OpenEarlyEducation" not in unit.classes and iri not in with_capacity:  # fmt: skip
            problems.append("no-capacity")
        for problem in problems:
            table.add(unit.municipality, iri, unit.label, problem)
    table.rows.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[3])))
    return table


ANSWERS = {
    "proactive-offers": Answer(
        "proactive-offers",
        "Proactive pre-school offers per area, channel and language",
        "Planners' question 6. Places offered proactively per area for a school year, with how many were accepted and declined and the acceptance rate, by channel and language. Counts of 1–4 are withheld (an accepted or declined count of 1–4 withholds both, since the sent count would reveal it), flagged suppressed.",
        (param("schoolYear", "xsd:string", "2025-2026", "School year of the offers"),),
        proactive_offers,
    ),
    "need-mix": Answer(
        "need-mix",
        "Mix of full-day, part-day and shift-care need per area, and shift-care places",
        "Planners' question 8. Children in need per area in a year: full day and part day by the option's part-day flag (a city's own options through their national option), other needs without an option, and of all these the children needing shift care (a flag on the need, intermittent or full; the deprecated option shift-care is full day with shift care); each share, and the places as of the date of units offering shift care or evening and weekend care against the shift-care need. Counts of 1–4 withheld.",
        (
            param("year", "xsd:integer", "2026", "Year of the need figures"),
            date_param("Reference date of the places (as of)"),
            LEVEL,
            WINDOW,
        ),
        need_mix,
    ),
    "data-quality": Answer(
        "data-quality",
        "Units lacking a national identifier, coordinates or capacity",
        "Planners' question 13 (data quality). One row per unit and problem: no national identifier (Varda ID, OPH OID or TPR ID, as the unit shape checks), no coordinates (family daycare is exempt: it runs in a private home), or no capacity observation as of the date (within the window) for an active unit that should have places (open early education has none).",
        (date_param("Reference date the capacity should exist for (as of)"), WINDOW),
        data_quality,
    ),
}
