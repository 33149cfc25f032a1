"""PxWeb tables (Statistics Finland's StatFin and Paavo, the Helsinki region's Aluesarjat) as
population observations and population forecasts.

Reads JSON-stat 2.0, PxWeb ``json`` (``columns`` / ``data``), the CSV export and ``.px`` files
(``pxweb_formats``). Each cell becomes an ``sn:PopulationObservation`` (actual population on a
reference date) or an ``sn:PopulationForecastObservation`` in the ``sn:PopulationForecast`` of its
vintage and scenario; a cell published as ``.`` / ``..`` / ``...`` becomes an ``sn:SuppressedCell``
with its ``sn:observationStatus``, never a 0. Areas: StatFin municipality codes (``KU091``,
``091``) are the municipality concepts; 10-digit codes (``0911101010``) are checked against the
area list of their municipality (Helsinki's is built in, others with ``--option areas=FILE``) and
written with their level, names and the areas they lie in; Paavo's postal code areas are written
as ``sn:PostalCodeArea``. Ages are mapped to the age-group code list by the interval they name.
Cells of a breakdown the model does not have (sex) are read at its total only.

Errors name the file, the cell (``row N``: the cell's number in the table, or the CSV line) and
the variable; ``# <file> row N`` comments before each cell's triples let ``--validate`` trace a
result back to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from servicenet_vocab.convert.areas import AREA_CLASSES
from servicenet_vocab.convert.codes import CodeLists, load_code_lists
from servicenet_vocab.convert.dataset import dataset_triples, described_dataset
from servicenet_vocab.convert.emit import (
    TYPE,
    RdfWriter,
    Triple,
    checked_iri,
    integer,
    iri,
    plain,
    sn,
    tagged,
    turtle,
    xsd_date,
)
from servicenet_vocab.convert.engine import ConversionResult
from servicenet_vocab.convert.forecast import TITLES as FORECAST_TITLES
from servicenet_vocab.convert.iris import slug
from servicenet_vocab.convert.mapping import DatasetOptions, Mapping
from servicenet_vocab.convert.problems import RowError
from servicenet_vocab.convert.rows import ConversionContext
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.namespaces import CODE, DCT, QB, RDFS
from servicenet_vocab.sources.base import Source, SourceOptions
from servicenet_vocab.sources.pxweb_areas import AreaEntry, AreaList, helsinki, read_area_list
from servicenet_vocab.sources.pxweb_codes import (
    age_interval,
    age_notation,
    is_total,
    reference_day_in,
    role_of,
    vintage_of,
)
from servicenet_vocab.sources.pxweb_formats import Dimension, Table, read_table

__all__ = ["SOURCE", "read"]

TITLES = {"fi": "Väestö", "sv": "Befolkning", "en": "Population"}
DSD = "https://w3id.org/servicenet/ontology/dsd/"
STATUS = CODE + "observation-status/"
SYMBOLS = {
    ".": STATUS + "not-applicable",
    "..": STATUS + "confidential-or-unavailable",
    "...": STATUS + "confidential-or-unavailable",
}
ZERO = {"-"}  # Statistics Finland's "magnitude nil": a true zero
LABEL = iri(RDFS + "label")
_POPULATION_WORDS = (
    "väestö",
    "befolkning",
    "population",
    "väkiluku",
    "folkmängd",
    "inhabitants",
    "asukkaat",
    "invånare",
    "vaesto",
    "ennuste",
    "prognos",
    "forecast",
)
_FORECAST_WORDS = ("ennuste", "prognos", "forecast")
_MUNICIPALITY_CODE = re.compile(r"^(?:KU)?(\d{3})(?:\s+.*)?$")
_AREA_CODE = re.compile(r"^(\d{3})(\d{7})$")
_POSTAL = re.compile(r"^(\d{5})\s+(.*?)\s*(?:\(([^()]+)\))?$")
_DAY = re.compile(r"^(\d{2})-(\d{2})$")

OPTIONS = {
    "measure": "population (actual, on a reference date) or forecast; by default forecast when "
    "the table has a 'Laatimisvuosi ja vaihtoehto' variable or its title says so",
    "reference_day": "MM-DD of the population's reference date when the title does not say "
    "(StatFin's 'Väestö 31.12.' gives 12-31)",
    "vintage": "the forecast's vintage year when the table has no vintage variable",
    "scenario": "the scenario of a vintage code that gives none (E2025, 2024): baseline (default), "
    "high or low",
    "areas": "a CSV area list (code,level,parent,name_fi,name_sv) for 10-digit codes of "
    "municipalities other than Helsinki",
}


def read(path: Path, out: IO[bytes], options: SourceOptions) -> ConversionResult:
    table = read_table(path)
    plan = _Plan(table, options, load_code_lists())
    writer = RdfWriter(out)
    writer.comment(f"converted from {table.source} (pxweb, {table.format}) by servicenet convert")
    writer.write(plan.header())
    result = ConversionResult(source=table.source)
    plan.convert(writer, result)
    writer.flush()
    result.triples = writer.triples
    return result


@dataclass
class _Resolved:
    """A dimension value turned into what the output needs, or why it cannot be."""

    segment: str = ""  # its part of the observation's IRI
    token: str = ""  # its RDF term
    first: tuple[Triple, ...] = ()  # triples written the first time it is used (an area)
    error: str | None = None
    skip: bool = False  # a cell of a breakdown the model does not have


class _Plan:
    """One conversion: the table's variables, what each value means, and the output's terms."""

    def __init__(self, table: Table, options: SourceOptions, codes: CodeLists) -> None:
        self.table, self.options, self.codes = table, options, codes
        self.name = table.source
        self.roles = [role_of(d) for d in table.dimensions]
        for role in ("area", "age", "time", "tongue", "vintage"):
            if self.roles.count(role) > 1:
                names = [
                    d.label for d, r in zip(table.dimensions, self.roles, strict=True) if r == role
                ]
                raise InputError(
                    f"more than one {role} variable: {', '.join(names)}",
                    location=Location(source=self.name),
                )
        self._check_required()
        self.measure = self._measure()
        self.day = self._reference_day() if self.measure == "population" else None
        self.municipality = self._municipality()
        self.area_lists = self._area_lists()
        base = options.base_iri
        self.base = base
        mapping = Mapping(
            kind="pxweb",
            base_iri=base,
            municipality=self.municipality,
            dataset=DatasetOptions(
                description={k: v for k, v in table.titles.items() if k in {"fi", "sv", "en"} and v}
                or ({"fi": table.titles[""]} if table.titles.get("") else {}),
                modified=date.fromisoformat(table.updated) if table.updated else None,
            ),
        )
        dataset = checked_iri(f"{base}dataset/{slug(Path(self.name).stem) or 'pxweb'}")
        publisher = checked_iri(f"{base}organisation")
        if dataset is None or publisher is None:
            raise InputError(
                f"'{base}' does not give valid IRIs", location=Location(field="--base-iri")
            )
        self.context = ConversionContext(
            mapping=mapping,
            codes=codes,
            municipality=self.municipality,
            source=self.name,
            dataset=dataset,
            publisher=publisher,
        )
        self.by_tongue = self._has_breakdown("tongue")
        self.age_from_contents = "age" not in self.roles and self._contents_are_ages()
        self._ages: set[str] = set()  # age bands met in a contents variable (Paavo)
        self.caches: list[dict[str, _Resolved]] = [{} for _ in table.dimensions]
        self.resolvers = [self._resolver(role) for role in self.roles]

    # --- what the table is -------------------------------------------------------------------

    def _check_required(self) -> None:
        if "area" not in self.roles:
            raise InputError(
                "the table has no area variable (Alue): its figures are for the whole country, "
                "which is not an area of the model; query the table by municipality or area",
                location=Location(source=self.name),
            )
        if "time" not in self.roles:
            raise InputError(
                "the table has no year variable (Vuosi)", location=Location(source=self.name)
            )

    def _texts(self) -> list[str]:
        texts = list(self.table.titles.values())
        for dimension, role in zip(self.table.dimensions, self.roles, strict=True):
            if role == "contents":
                for by_lang in dimension.texts.values():
                    texts += by_lang.values()
        return texts

    def _measure(self) -> str:
        chosen = self.options.extra.get("measure")
        if chosen is not None:
            if chosen not in {"population", "forecast"}:
                raise InputError(
                    f"measure must be population or forecast, not {chosen!r}",
                    location=Location(field="measure"),
                )
            if chosen == "population" and "vintage" in self.roles:
                raise InputError(
                    "the table has a forecast vintage variable; it is a forecast",
                    location=Location(source=self.name, field="measure"),
                )
            measure = chosen
        elif "vintage" in self.roles:
            measure = "forecast"
        else:
            titles = " ".join(self.table.titles.values()).casefold()
            measure = "forecast" if any(w in titles for w in _FORECAST_WORDS) else "population"
        if measure == "forecast" and "vintage" not in self.roles:
            vintage = self.options.extra.get("vintage", "")
            if not re.fullmatch(r"\d{4}", vintage):
                raise InputError(
                    "a forecast without a 'Laatimisvuosi ja vaihtoehto' variable needs "
                    "--option vintage=YYYY",
                    location=Location(source=self.name, field="vintage"),
                )
        return measure

    def _reference_day(self) -> tuple[int, int]:
        chosen = self.options.extra.get("reference_day")
        if chosen is not None:
            found = _DAY.match(chosen)
            if not found:
                raise InputError(
                    f"reference_day must be MM-DD, not {chosen!r}",
                    location=Location(field="reference_day"),
                )
            month, day = int(found.group(1)), int(found.group(2))
            try:
                date(2024, month, day)
            except ValueError:
                raise InputError(
                    f"{chosen!r} is not a day of the year", location=Location(field="reference_day")
                ) from None
            return month, day
        found_day = reference_day_in(self._texts())
        if found_day is None:
            raise InputError(
                "the table does not say on which day the population was counted: give "
                "--option reference_day=MM-DD (12-31 for Statistics Finland's year-end figures)",
                location=Location(source=self.name, field="reference_day"),
            )
        return found_day

    def _municipality(self) -> str:
        chosen = self.options.municipality
        if chosen is None:
            area = self.table.dimensions[self.roles.index("area")]
            found = {self._municipality_of(code) for code in area.codes}
            found.discard(None)
            if len(found) == 1 and area.codes:
                chosen = found.pop()
            else:
                raise InputError(
                    "the publisher's municipality is not known: give --municipality CODE",
                    location=Location(source=self.name, field="municipality"),
                )
        assert chosen is not None
        if f"{CODE}municipality/{chosen}" not in self.codes["municipality"].notations:
            raise InputError(
                f"'{chosen}' is not a municipality code of the code list",
                location=Location(field="municipality"),
            )
        return chosen

    @staticmethod
    def _municipality_of(code: str) -> str | None:
        for pattern in (_MUNICIPALITY_CODE, _AREA_CODE):
            found = pattern.match(code)
            if found:
                return found.group(1)
        return None

    def _area_lists(self) -> dict[str, AreaList]:
        lists = {"091": helsinki()}
        given = self.options.extra.get("areas")
        if given:
            extra = read_area_list(Path(given))
            for municipality in extra.municipalities():
                lists[municipality] = extra
        return lists

    def _has_breakdown(self, role: str) -> bool:
        if role not in self.roles:
            return False
        dimension = self.table.dimensions[self.roles.index(role)]
        if self.table.format == "csv":
            return True  # values are known only while reading: assume a breakdown
        return any(not is_total(dimension, code) for code in dimension.codes)

    def _contents_are_ages(self) -> bool:
        if "contents" not in self.roles:
            return False
        dimension = self.table.dimensions[self.roles.index("contents")]
        return any(age_interval(dimension.text(code)) for code in dimension.codes) or (
            self.table.format == "csv"
        )

    # --- the output ----------------------------------------------------------------------------

    def header(self) -> Iterator[Triple]:
        context = self.context
        title = FORECAST_TITLES if self.measure == "forecast" else TITLES
        yield from dataset_triples(title, context)
        if self.measure == "population":
            yield (context.dataset, TYPE, iri(QB + "DataSet"))
            structure = "population" if self.by_tongue else "population-total"
            yield (context.dataset, iri(QB + "structure"), iri(DSD + structure))

    def convert(self, writer: RdfWriter, result: ConversionResult) -> None:
        label = self.name.replace("\n", " ")
        roles = self.roles
        caches, resolvers = self.caches, self.resolvers
        dimensions = self.table.dimensions
        forecast = self.measure == "forecast"
        positions = {role: roles.index(role) for role in roles}
        area_at, time_at = positions["area"], positions["time"]
        age_at = positions.get("age", positions.get("contents") if self.age_from_contents else None)
        tongue_at, vintage_at = positions.get("tongue"), positions.get("vintage")
        keyed = self.table.format in {"csv", "json"}
        seen_keys: dict[tuple[str, ...], int] = {}
        default_age = self._age(dimensions[0], "SSS") if age_at is None else None
        default_vintage = self._vintage(None, "") if forecast and vintage_at is None else None
        rows = converted = 0
        write, first_time, seen = writer.text, self.context.first_time, self.context.seen
        for number, combination, value in self.table.cells:
            rows += 1
            resolved: list[_Resolved] = []
            errors: list[RowError] = []
            skip = False
            for position, code in enumerate(combination):
                cache = caches[position]
                found = cache.get(code)
                if found is None:
                    found = cache[code] = resolvers[position](dimensions[position], code)
                if found.skip:
                    skip = True
                    break
                if found.error is not None:
                    errors.append(
                        RowError(label, number, dimensions[position].label, found.error, code)
                    )
                resolved.append(found)
            if skip:
                continue
            status, amount, problem = _value(value)
            if problem is not None:
                errors.append(
                    RowError(label, number, _value_field(dimensions), problem, str(value))
                )
            if keyed and not errors:
                key = tuple(r.segment for r in resolved)
                earlier = seen_keys.setdefault(key, number)
                if earlier != number:
                    errors.append(
                        RowError(label, number, None, f"the same cell as row {earlier}", None)
                    )
            if errors:
                result.errors += errors
                continue
            area = resolved[area_at]
            age = resolved[age_at] if age_at is not None else default_age
            assert age is not None
            tongue = resolved[tongue_at] if tongue_at is not None else None
            if tongue is not None and not tongue.token:
                tongue = None
            year = resolved[time_at].segment
            parts = [f"\n# {label} row {number}\n"]
            count = 0
            if area.first and area.token not in seen:
                for subject, group in groupby(area.first, key=_SUBJECT):
                    if first_time(subject):  # a parent may be written already, by a sibling
                        text, n = turtle(group)
                        parts.append(text)
                        count += n
            if forecast:
                vintage = resolved[vintage_at] if vintage_at is not None else default_vintage
                assert vintage is not None
                if vintage.first and first_time(vintage.token):
                    text, n = turtle(vintage.first)
                    parts.append(text)
                    count += n
                dataset = vintage.token
                subject = f"{vintage.token[:-1]}/{area.segment}/{year}/{age.segment}"
                when = f"sn:referenceYear {integer(int(year))}"
                kind = "sn:PopulationForecastObservation"
            else:
                dataset = self.context.dataset
                day = self.day
                assert day is not None
                reference = xsd_date(date(int(year), *day))
                subject = f"<{self.base}population/{int(year):04d}-{day[0]:02d}-{day[1]:02d}/{area.segment}/{age.segment}"
                when = f"sn:referenceDate {reference}"
                kind = "sn:PopulationObservation"
            if tongue is not None:
                subject += f"/{tongue.segment}"
            subject += ">"
            tongue_text = f" ;\n    sn:motherTongue {tongue.token}" if tongue is not None else ""
            dims = f"sn:area {area.token} ;\n    {when} ;\n    sn:ageGroup {age.token}{tongue_text}"
            extra = 1 if tongue is not None else 0
            if status is None:
                parts.append(
                    f"{subject} a {kind} ;\n    a qb:Observation ;\n    qb:dataSet {dataset} ;\n"
                    f"    {dims} ;\n    sn:population {integer(amount)} .\n"
                )
                count += 7 + extra
            else:
                parts.append(
                    f"{subject} a sn:SuppressedCell ;\n    sn:cellOf {dataset} ;\n"
                    f"    sn:observationStatus {iri(status)} ;\n    {dims} .\n"
                )
                count += 6 + extra
            write("".join(parts), count)
            converted += 1
        result.rows, result.converted = rows, converted
        if rows and not converted and not result.errors:
            contents = [d for d, r in zip(dimensions, roles, strict=True) if r == "contents"]
            what = ", ".join(repr(d.text(c)) for d in contents for c in d.codes[:8])
            raise InputError(
                f"the table has no population figures{': its contents are ' + what if what else ''}",
                location=Location(source=self.name),
            )

    # --- each variable's values --------------------------------------------------------------

    def _resolver(self, role: str) -> Callable[[Dimension, str], _Resolved]:
        if role == "area":
            return self._area
        if role == "age":
            return self._age
        if role == "time":
            return self._year
        if role == "tongue":
            return self._tongue
        if role == "vintage":
            return self._vintage
        if role == "contents":
            return self._contents
        return self._total_only

    def _total_only(self, dimension: Dimension, code: str) -> _Resolved:
        """A breakdown the model does not have (sex): only its total is read."""
        if is_total(dimension, code):
            return _Resolved()
        if not any(is_total(dimension, c) for c in dimension.codes):
            raise InputError(
                f"the variable {dimension.label!r} has no total (SSS, ALL, Yhteensä) and the "
                "model has no such breakdown: query the table with its total",
                location=Location(source=self.name, field=dimension.label),
            )
        return _Resolved(skip=True)

    def _contents(self, dimension: Dimension, code: str) -> _Resolved:
        text = dimension.text(code)
        if self.age_from_contents:
            resolved = self._age(dimension, code)
            if resolved.error is None:
                if resolved.segment in self._ages:  # Paavo gives "total" in two groups
                    return _Resolved(skip=True)
                self._ages.add(resolved.segment)
                return resolved
            if _is_population(text) and "total" in text.casefold():
                resolved = self._age(dimension, "SSS")
                if resolved.segment in self._ages:
                    return _Resolved(skip=True)
                self._ages.add(resolved.segment)
                return resolved
            return _Resolved(skip=True)  # income, dwellings...: not population figures
        if _is_population(text) or _is_population(code):
            return _Resolved()
        return _Resolved(skip=True)

    def _age(self, dimension: Dimension, code: str) -> _Resolved:
        interval = age_interval(code) or age_interval(dimension.text(code))
        if interval is None:
            return _Resolved(
                error=f"'{dimension.text(code)}' is not an age band (0-6, 7-17, 85-, 000, SSS)"
            )
        notation = age_notation(interval)
        concept = f"{CODE}age-group/{notation}"
        if concept not in self.codes["age-group"].notations:
            return _Resolved(error=f"the age band {notation} is not in the age-group code list")
        return _Resolved(segment=notation, token=iri(concept))

    def _year(self, dimension: Dimension, code: str) -> _Resolved:
        found = re.fullmatch(r"(\d{4})", code.strip())
        if not found or not 1800 <= int(found.group(1)) <= 2200:
            return _Resolved(error=f"'{code}' is not a year")
        return _Resolved(segment=found.group(1))

    def _tongue(self, dimension: Dimension, code: str) -> _Resolved:
        if is_total(dimension, code):  # with a breakdown, the total is its sum: not repeated
            return _Resolved(skip=self.by_tongue)
        language = self.codes["language"]
        for text in (code, dimension.text(code), _TONGUES.get(dimension.text(code).casefold(), "")):
            if not text:
                continue
            try:
                concept = language.lookup(text)
            except Exception:
                continue
            return _Resolved(segment=language.notations[concept], token=iri(concept))
        return _Resolved(error=f"'{dimension.text(code)}' is not a language of the code list")

    def _vintage(self, dimension: Dimension | None, code: str) -> _Resolved:
        if dimension is None:
            vintage: tuple[int, str | None] | None = (int(self.options.extra["vintage"]), None)
        else:
            vintage = vintage_of(code, dimension.text(code))
        if vintage is None:
            return _Resolved(
                error=f"'{code}' is not a vintage-and-scenario code (PER24: 2024 baseline, E2025)"
            )
        year, scenario = vintage
        scenario = scenario or self.options.extra.get("scenario", "baseline")
        concept = f"{CODE}forecast-scenario/{scenario}"
        if concept not in self.codes["forecast-scenario"].notations:
            return _Resolved(error=f"'{scenario}' is not a forecast scenario (baseline, high, low)")
        node = f"<{self.base}forecast/{year}-{scenario}>"
        triples: list[Triple] = [
            (node, TYPE, sn("PopulationForecast")),
            (node, TYPE, iri(QB + "DataSet")),
            (
                node,
                iri(QB + "structure"),
                iri(
                    DSD + ("population-forecast" if self.by_tongue else "population-forecast-total")
                ),
            ),
            (node, sn("forecastVintage"), integer(year)),
            (node, sn("scenario"), iri(concept)),
            (node, iri(DCT + "isPartOf"), self.context.dataset),
        ]
        labels = self.codes["forecast-scenario"].pref_labels.get(concept, {})
        titles = {
            lang: f"{FORECAST_TITLES[lang]} {year}, {text}"
            for lang, text in labels.items()
            if lang in FORECAST_TITLES
        }
        triples += described_dataset(node, self.context, titles)
        return _Resolved(segment=f"{year}-{scenario}", token=node, first=tuple(triples))

    def _area(self, dimension: Dimension, code: str) -> _Resolved:
        text = dimension.text(code)
        code = code.strip()
        if code.upper() == "SSS" or text.casefold() in {"koko maa", "hela landet", "whole country"}:
            return _Resolved(error="the whole country (SSS) is not an area of the model")
        municipalities = self.codes["municipality"]
        found = _AREA_CODE.match(code)
        if found:
            municipality, rest = found.groups()
            if f"{CODE}municipality/{municipality}" not in municipalities.notations:
                return _Resolved(error=f"'{code}': {municipality} is not a municipality code")
            if rest == "0000000":
                return self._municipality_area(municipality)
            return self._planning_area(code, municipality)
        found = _POSTAL.match(code)
        if found:
            return self._postal_area(*found.groups())
        found = _MUNICIPALITY_CODE.match(code)
        if found:
            return self._municipality_area(found.group(1), code)
        for candidate in (text, code):  # a CSV gives the municipality's name
            try:
                concept = municipalities.lookup(candidate)
            except Exception:
                continue
            return self._municipality_area(municipalities.notations[concept])
        return _Resolved(
            error=f"'{text}' is not an area code (KU091, 091, a 10-digit area code, a postal code)"
        )

    def _municipality_area(self, municipality: str, code: str | None = None) -> _Resolved:
        concept = f"{CODE}municipality/{municipality}"
        if concept not in self.codes["municipality"].notations:
            return _Resolved(
                error=f"'{code or municipality}': {municipality} is not a municipality code of "
                "the code list"
            )
        return _Resolved(segment=municipality, token=iri(concept))

    def _planning_area(self, code: str, municipality: str) -> _Resolved:
        area_list = self.area_lists.get(municipality)
        if area_list is None:
            return _Resolved(
                error=f"no area list for municipality {municipality}: give --option areas=FILE"
            )
        entry = area_list.areas.get(code)
        if entry is None:
            return _Resolved(error=f"'{code}' is not an area of {area_list.name}")
        triples: list[Triple] = []
        chain: list[AreaEntry] = []
        while entry is not None:  # the area, then the areas it lies in
            chain.append(entry)
            entry = area_list.areas.get(entry.parent) if entry.parent else None
        municipality_node = iri(f"{CODE}municipality/{municipality}")
        for link in reversed(chain):  # parents first: each is written once, before its parts
            node = f"<{self.base}area/{link.code}>"
            parent = f"<{self.base}area/{link.parent}>" if link.parent else municipality_node
            triples += [
                (node, TYPE, sn(AREA_CLASSES[link.level])),
                (node, TYPE, sn("PlanningArea")),
                (node, sn("areaLevel"), iri(f"{CODE}area-level/{link.level}")),
                (node, sn("partOfArea"), parent),
                (node, sn("areaCode"), plain(link.code)),
            ]
            triples += [
                (node, LABEL, tagged(t, lang))
                for lang, t in (("fi", link.name_fi), ("sv", link.name_sv))
                if t
            ]
        return _Resolved(segment=code, token=f"<{self.base}area/{code}>", first=tuple(triples))

    def _postal_area(self, code: str, name: str, municipality_name: str | None) -> _Resolved:
        municipality = self.municipality
        if municipality_name:
            try:
                concept = self.codes["municipality"].lookup(municipality_name)
            except Exception:
                return _Resolved(error=f"'{municipality_name}' is not a municipality's name")
            municipality = self.codes["municipality"].notations[concept]
        node = f"<{self.base}area/{code}>"
        triples: list[Triple] = [
            (node, TYPE, sn("PostalCodeArea")),
            (node, TYPE, sn("PlanningArea")),
            (node, sn("areaLevel"), iri(f"{CODE}area-level/postal-code-area")),
            (node, sn("partOfArea"), iri(f"{CODE}municipality/{municipality}")),
            (node, sn("areaCode"), plain(code)),
        ]
        if name:
            triples.append((node, LABEL, tagged(name, "fi")))
        return _Resolved(segment=code, token=node, first=tuple(triples))


_SUBJECT = itemgetter(0)
_TONGUES = {"muu": "other", "muut": "other", "muut kielet": "other", "other": "other"}


def _is_population(text: str) -> bool:
    lowered = text.casefold()
    return any(word in lowered for word in _POPULATION_WORDS)


def _value_field(dimensions: list[Dimension]) -> str:
    for dimension in dimensions:
        if dimension.contents or role_of(dimension) == "contents":
            return dimension.label
    return "value"


def _value(value: Any) -> tuple[str | None, int, str | None]:
    """(status concept of a suppressed cell, the count, a problem) of a published value."""
    if isinstance(value, bool):
        return None, 0, f"'{value}' is not a number"
    if isinstance(value, int):
        return (None, value, None) if value >= 0 else (None, 0, f"'{value}' is negative")
    if isinstance(value, float):
        if value.is_integer() and value >= 0:
            return None, int(value), None
        return None, 0, f"'{value}' is not a whole non-negative number"
    text = str(value).strip().strip('"')
    if text in SYMBOLS:
        return SYMBOLS[text], 0, None
    if text in ZERO:
        return None, 0, None
    if text.isdigit():
        return None, int(text), None
    if re.fullmatch(r"\d+\.0+", text):
        return None, int(text.split(".")[0]), None
    if text == "":
        return None, 0, "the cell is empty; PxWeb writes '..' for a figure it does not give"
    return None, 0, f"'{text}' is not a whole number or a PxWeb symbol (., .., ...)"


SOURCE = Source(
    name="pxweb",
    title={"fi": "PxWeb-taulukko", "sv": "PxWeb-tabell", "en": "PxWeb table"},
    summary="population and forecasts from PxWeb (StatFin, Paavo, Aluesarjat): json-stat2, json, "
    "CSV, .px",
    suffixes=(".json", ".px", ".csv"),
    read=read,
    options=OPTIONS,
)
