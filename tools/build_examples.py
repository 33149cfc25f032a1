"""Generate examples/valid/<city>-<code>.ttl from the tables in tools/example_data.py.

    .venv/bin/python tools/build_examples.py            # writes the four files
Deterministic: the same tables always give byte-identical Turtle. The committed Turtle is what the
platform loads; tests assert figures computed by hand from the tables (see tests/queries/test_queries.py).

Small cells. An exchange dataset publishes no count of children (or of their families) between 1 and
4 (the n < 5 rule, as in the capital-region ECEC survey; shapes/privacy.ttl warns on each). The tables
hold register figures; the generator publishes them as a statistics office would:
- Enrolment per unit: a cell (age band x service-need option) with 1-4 children is merged into its
  band's most common option (ties: the option listed first in ENROL), so the band total stays exact and
  only the split coarsens; a part-day or pre-school-only child merged into a full-day cell then weighs
  1.0 instead of 0.54 or 0.5 in utilisation. A unit with 1-4 children in all (family daycare: one
  carer, four full-day children at most) publishes no enrolment at all.
- Forecast by mother tongue: a tongue whose cells in an area and year are all 0 or >= 5 is published
  per age band (1-2, 3-5, 6); otherwise its bands are merged into one 1-6 cell. Queries sum every band
  under 1-6, so area totals and every query answer over 1-6 are unchanged; only the tongue's split by
  band is withheld.
- Service need per area: an option with 1-4 children is merged into the area's most common option.
- Survey: a unit result with fewer responses than the survey's minimum cell size (5) is not published,
  and the survey totals sum the published results only (with a withheld family daycare in the totals,
  total minus published would give back its invitations, i.e. its suppressed number of children).
- Offers, applications: published as in the tables (declined = sent - accepted, so a small number
  declined cannot be merged away; the tables keep it 0 or >= 5).
Whatever no rule can merge (an age band of 1-4 children in a unit, a tongue with 1-4 children aged 1-6
in an area) stops the build with a ValueError naming the table row: fix the tables, not the Turtle.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from example_data import CITIES

ROOT = Path(__file__).resolve().parent.parent
CODE = "https://w3id.org/servicenet/code/"
GRAPH = "https://w3id.org/servicenet/graph/municipality/"
DATE = "2025-10-01"
PREV_DATE = "2024-10-01"
POSTCODES = {
    "0911101010": "00170", "0911101080": "00160", "0912205331": "00420", "0912205333": "00410",
    "0913305250": "00610", "0913305260": "00600", "0917703471": "00940", "0917703473": "00970",
    "0917704541": "00980", "0917704544": "00980",
    "049:11": "02600", "049:21": "02100", "049:31": "02230", "049:41": "02320", "049:61": "02770",
    "092:1": "01600", "092:4": "01300", "092:5": "01360", "092:6": "01450", "092:7": "01200",
    "235:1": "02700", "235:2": "02700",
}  # fmt: skip
KIND = {
    "dc": ("sn:DaycareCentre", "daycare-centre"),
    "gfd": ("sn:GroupFamilyDaycare", "group-family-daycare"),
    "fd": ("sn:FamilyDaycare", "family-daycare"),
    "club": ("sn:Club", "club"),
    "open": ("sn:OpenEarlyEducation", "open-early-education"),
    "sch": ("sn:ComprehensiveSchool", "comprehensive-school"),
}
ENROL = [("0-2", "full-day"), ("3-5", "full-day"), ("3-5", "part-day"), ("6", "pre-school-only")]
ENROL += [("6", "pre-school-supplementary")]
# A need cell of the tables -> (national option, shift care): shift care is a flag on a full-day need.
NEED_CELLS = {
    "full-day": ("full-day", "none"),
    "part-day": ("part-day", "none"),
    "full-day-shift-care": ("full-day", "full"),
}
MIN_CELL = 5  # smallest count of children that may be published (0 may be too)
PRT = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# DCAT-AP: themes from the EU data-theme authority table, the distribution's format and media type.
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
TURTLE_FORMAT = "http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE"
TURTLE_MEDIA = "https://www.iana.org/assignments/media-types/text/turtle"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
AVAILABILITY = "http://publications.europa.eu/resource/authority/planned-availability/STABLE"
LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"
KEYWORDS = [
    ("varhaiskasvatus", "fi"), ("esiopetus", "fi"), ("perusopetus", "fi"), ("palveluverkko", "fi"),
    ("småbarnspedagogik", "sv"), ("förskoleundervisning", "sv"), ("grundläggande utbildning", "sv"),
    ("servicenät", "sv"), ("early childhood education and care", "en"), ("pre-school education", "en"),
    ("basic education", "en"), ("service network", "en"),
]  # fmt: skip
WEBSITE = {
    "091": "https://www.hel.fi/",
    "049": "https://www.espoo.fi/",
    "092": "https://www.vantaa.fi/",
    "235": "https://www.kauniainen.fi/",
}
# The Data Cube datasets of a city file: key -> (structure, theme, fi, sv, en title, fi, sv, en description).
CUBES = {
    "capacity": ("capacity", "EDUC",
        "Paikat yksiköittäin", "Platser per enhet", "Places per unit",
        "Varhaiskasvatus- ja oppilaspaikat yksiköittäin, ikäryhmittäin ja palvelulajeittain tilastopäivinä.",
        "Platser inom småbarnspedagogik och elevplatser per enhet, åldersgrupp och serviceform på statistikdagarna.",
        "ECEC and pupil places per unit, age group and service type on the reference dates."),
    "enrolment": ("enrolment", "EDUC",
        "Lapset yksiköittäin palveluntarpeen mukaan", "Barn per enhet enligt servicebehov",
        "Children per unit by service-need option",
        "Varhaiskasvatuksessa olevat lapset yksiköittäin, ikäryhmittäin ja palveluntarpeittain; pienet solut on yhdistetty tai peitetty.",
        "Barn inom småbarnspedagogiken per enhet, åldersgrupp och servicebehov; små celler är sammanslagna eller dolda.",
        "Children in ECEC per unit, age group and service-need option; small cells merged or withheld."),
    "pupils": ("pupil-enrolment", "EDUC",
        "Oppilaat kouluittain", "Elever per skola", "Pupils per school",
        "Perusopetuksen oppilaat kouluittain, ikäryhmittäin ja vuosiluokittain.",
        "Elever i den grundläggande utbildningen per skola, åldersgrupp och årskurser.",
        "Basic-education pupils per school, age group and grade range."),
    "service-need": ("service-need", "EDUC",
        "Palveluntarve alueittain", "Servicebehov per område", "Service need per area",
        "Arvioitu varhaiskasvatuksen tarve alueittain, vuosittain ja palveluntarpeittain.",
        "Uppskattat behov av småbarnspedagogik per område, år och servicebehov.",
        "Estimated need for ECEC per area, year and service-need option."),
    "proactive-offers": ("proactive-offer", "EDUC",
        "Esiopetuspaikkojen ennakoivat tarjoukset", "Proaktiva erbjudanden om förskoleplatser",
        "Proactive pre-school place offers",
        "Ennakoivasti lähetetyt, hyväksytyt ja hylätyt esiopetuspaikkatarjoukset alueittain, kanavittain ja kielittäin.",
        "Proaktivt skickade, godkända och avböjda erbjudanden om förskoleplatser per område, kanal och språk.",
        "Pre-school place offers sent proactively, accepted and declined, per area, channel and language."),
    "population": ("population", "EDUC",
        "Väestö alueittain", "Befolkning per område", "Population per area",
        "Toteutunut väestö (ei ennuste) alueittain, ikäryhmittäin ja äidinkielen mukaan 31.12.2024.",
        "Den faktiska befolkningen (inte en prognos) per område, åldersgrupp och modersmål den 31 december 2024.",
        "Actual population (not a forecast) per area, age group and mother tongue on 31 December 2024."),
    "applications": ("application", "EDUC",
        "Varhaiskasvatushakemukset", "Ansökningar till småbarnspedagogik", "ECEC applications",
        "Varhaiskasvatushakemusten määrä vuosittain ja asiointikanavittain.",
        "Antalet ansökningar till småbarnspedagogiken per år och kanal.",
        "The number of ECEC applications per year and channel."),
}  # fmt: skip
HEAD = """\
# {title}
# GENERATED by tools/build_examples.py from tools/example_data.py; edit the tables, then re-run.
# Example data: plausible figures for a subset of the city's units, not the city's official
# statistics. Private providers and their business IDs are fictitious. No personal data: family
# daycare units carry no address or coordinates (they operate in a private home). Small cells: no
# published count of children is 1-4; such cells are merged into their age band's (or area's) most
# common service-need option, a tongue's forecast bands into one 1-6 cell, and unit survey results
# with n < 5 and family daycare enrolment are withheld (rules in tools/build_examples.py).
@prefix sn:   <https://w3id.org/servicenet/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix qb:   <http://purl.org/linked-data/cube#> .
@prefix geo:  <http://www.opengis.net/ont/geosparql#> .
@prefix code: <https://w3id.org/servicenet/code/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dsd:  <https://w3id.org/servicenet/ontology/dsd/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix dcatap: <http://data.europa.eu/r5r/> .

"""
# ":unit\/x" in the writer stands for <base>unit/x; expanded once the city's text is built.
LOCAL = re.compile(r"(?<![\w<])\:((?:[A-Za-z0-9_.-]|\\/)+)")


def lit(text: str, lang: str | None = None) -> str:
    return json.dumps(text, ensure_ascii=False) + (f"@{lang}" if lang else "")


def names(fi: str, sv: str, en: str | None = None) -> str:
    parts = [lit(fi, "fi"), lit(sv, "sv")] + ([lit(en, "en")] if en else [])
    return " , ".join(parts)


def date(value: str) -> str:
    return f'"{value}"^^xsd:date'


def code(scheme: str, notation: str) -> str:
    return f"<{CODE}{scheme}/{notation}>"


def block(subject: str, *lines: str) -> str:
    body = " ;\n    ".join(line for line in lines if line)
    return f"{subject} ;\n    {body} .\n"


def published(count: int, where: str) -> int:
    """The count itself, or ValueError if it is a small cell (1-4) that the tables must not hold."""
    if 0 < count < MIN_CELL:
        raise ValueError(f"{where}: {count} is a small cell (1-{MIN_CELL - 1}); fix the tables")
    return count


def period(start: str, end: str) -> str:
    return f"dct:temporal [ a dct:PeriodOfTime ; dcat:startDate {date(start)} ; dcat:endDate {date(end)} ]"


def forecast_titles(vintage: int) -> tuple[str, str, str]:
    return (
        f"Väestöennuste {vintage}, perusvaihtoehto",
        f"Befolkningsprognos {vintage}, basalternativ",
        f"Population forecast {vintage}, baseline",
    )


def survey_titles(fi: str, sv: str, en: str) -> tuple[str, str, str]:
    return (
        f"Varhaiskasvatuksen asiakaskysely 2025, {fi}",
        f"Kundenkät inom småbarnspedagogiken 2025, {sv}",
        f"ECEC customer survey 2025, {en}",
    )


def half_up(value: float) -> int:
    return int(value + 0.5)


def building_id(number: int) -> str:
    return f"{number}{PRT[number % 31]}"


class CityWriter:
    """Builds one city's Turtle, section by section."""

    def __init__(self, muni: str, city: dict[str, Any]) -> None:
        self.muni = muni
        self.city = city
        self.out: list[str] = []
        self.area_geo: dict[str, tuple[float, float]] = {}
        self.unit_n: dict[str, int] = {}
        self.service_area = {
            a: k for k, (*_, areas) in city.get("service_areas", {}).items() for a in areas
        }

    def area_iri(self, key: str) -> str:
        if any(d[0] == key for d in self.city["districts"]):
            return f":area\\/district-{key}"
        return f":area\\/{key}"

    def municipality(self) -> str:
        return code("municipality", self.muni)

    def postcode(self, area: str) -> str:
        return POSTCODES.get(area) or POSTCODES[f"{self.muni}:{area}"]

    def dataset(self) -> None:
        c = self.city
        fi, sv, en = c["name"]
        self.out.append(
            block(
                ":dataset\\/service-network-2025 a dcat:Dataset",
                "dct:title "
                + names(
                    f"{fi}: varhaiskasvatuksen ja perusopetuksen palveluverkko 2025",
                    f"{sv}: servicenätet för småbarnspedagogik och grundläggande utbildning 2025",
                    f"{en}: ECEC and basic-education service network 2025",
                ),
                "dct:publisher :organisation\\/city",
                f"sn:municipality {self.municipality()}",
                "dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "
                + date("2025-01-01")
                + " ; dcat:endDate "
                + date("2025-12-31")
                + " ]",
                "dct:license <https://creativecommons.org/licenses/by/4.0/>",
                f"dct:modified {date(c['modified'])}",
                f"sn:namedGraph <{GRAPH}{self.muni}>",
                "dct:description "
                + names(
                    f"{fi}: varhaiskasvatuksen, esiopetuksen ja perusopetuksen yksiköt, tilat, paikat"
                    " ja lapsimäärät, väestöennuste, palveluntarve ja asiakaskysely palveluverkon"
                    " suunnittelua varten.",
                    f"{sv}: enheter, lokaler, platser och barn inom småbarnspedagogik, förskole-"
                    " och grundläggande utbildning, befolkningsprognos, servicebehov och kundenkät"
                    " för planering av servicenätet.",
                    f"{en}: ECEC, pre-school and basic-education units, premises, places and"
                    " children, population forecast, service need and customer survey for"
                    " service-network planning.",
                ),
                *self.dcat_ap("EDUC"),
            )
        )
        # DCAT-AP's publisher is a foaf:Agent with a foaf:name (the provider's own description follows).
        ofi, osv, oen = c["org"]
        self.out.append(
            block(
                ":organisation\\/city a foaf:Organization",
                f"foaf:name {names(ofi, osv, oen)}",
                f"dct:type <{LOCAL_AUTHORITY}>",
            )
        )
        years = [year for year, *_ in c["applications"]]
        periods = {
            "service-need": ("2026-01-01", "2026-12-31"),
            "proactive-offers": ("2025-08-01", "2026-07-31"),
            "applications": (f"{min(years)}-01-01", f"{max(years)}-12-31"),
        }
        for key, (kind, theme, tfi, tsv, ten, dfi, dsv, den) in CUBES.items():
            self.out.append(
                block(
                    f":dataset\\/{key}-2025 a qb:DataSet , dcat:Dataset",
                    f"qb:structure dsd:{kind}",
                    f"dct:title {names(f'{fi}: {tfi}', f'{sv}: {tsv}', f'{en}: {ten}')}",
                    f"dct:description {names(dfi, dsv, den)}",
                    "dct:isPartOf :dataset\\/service-network-2025",
                    "dct:publisher :organisation\\/city",
                    f"dct:license <{LICENCE}>",
                    period(*periods.get(key, ("2024-10-01", "2025-10-01"))),
                    *self.dcat_ap(theme),
                )
            )
        ofi, osv, oen = c["org"]
        business = self._business_id()
        self.out.append(
            block(
                ":organisation\\/city a sn:Provider , sn:Organiser",
                f"rdfs:label {names(ofi, osv, oen)}",
                f"sn:providerType {code('provider-type', 'municipality')}",
                f'sn:businessId "{business}"',
                f"sn:municipality {self.municipality()}",
            )
        )
        organisers = {
            u[11]["provider"] for u in c["units"] if u[6] == "private" and "provider" in u[11]
        }
        for key, (pfi, psv, pen, ptype, pid) in c["providers"].items():
            self.out.append(
                block(
                    f":organisation\\/{key} a sn:Provider"
                    + (" , sn:Organiser" if key in organisers else ""),
                    f"rdfs:label {names(pfi, psv, pen)}",
                    f"sn:providerType {code('provider-type', ptype)}",
                    f'sn:businessId "{pid}"' if pid else "",
                    f"sn:municipality {self.municipality()}",
                )
            )

    def dcat_ap(self, theme: str) -> list[str]:
        """The DCAT-AP properties every dataset of the file carries beyond title and description."""
        fi, sv, en = self.city["org"]
        return [
            f"dct:spatial {self.municipality()}",
            f"dcat:theme <{THEME}{theme}>",
            "dcat:keyword " + " , ".join(lit(word, lang) for word, lang in KEYWORDS),
            f"dcat:contactPoint [ a vcard:Kind ; vcard:fn {names(fi, sv, en)} ;"
            f" vcard:hasURL <{WEBSITE[self.muni]}> ]",
            f"dcat:distribution [ a dcat:Distribution ; dcat:accessURL <{GRAPH}{self.muni}> ;"
            f" dct:format <{TURTLE_FORMAT}> ; dcat:mediaType <{TURTLE_MEDIA}> ;"
            f" dct:license <{LICENCE}> ; dcatap:availability <{AVAILABILITY}> ;"
            " dct:description "
            + names(
                "Aineiston nimetty graafi palveluverkkoalustan SPARQL- ja Graph Store -rajapinnoissa.",
                "Datamängdens namngivna graf i servicenätsplattformens SPARQL- och Graph Store-gränssnitt.",
                "The dataset's named graph in the service-network platform's SPARQL and Graph Store"
                " interfaces.",
            )
            + " ]",
        ]

    def _business_id(self) -> str:
        return {"091": "0201256-6", "049": "0101263-6", "092": "0124610-9", "235": "0203026-2"}[
            self.muni
        ]

    def areas(self) -> None:
        c = self.city
        for mcode, fi, sv in c["major"]:
            self.out.append(
                block(
                    f":area\\/major-{mcode} a sn:MajorDistrict",
                    f"rdfs:label {names(fi, sv)}",
                    f'sn:areaCode "{mcode}"',
                    f"sn:areaLevel {code('area-level', 'major-district')}",
                    f"sn:partOfArea {self.municipality()}",
                )
            )
        for dcode, fi, sv, major in c["districts"]:
            self.out.append(
                block(
                    f":area\\/district-{dcode} a sn:District",
                    f"rdfs:label {names(fi, sv)}",
                    f'sn:areaCode "{dcode}"',
                    f"sn:areaLevel {code('area-level', 'district')}",
                    f"sn:partOfArea :area\\/major-{major}",
                )
            )
        sub = bool(c["districts"])
        for acode, fi, sv, parent, lat, lon, *_ in c["areas"]:
            self.area_geo[acode] = (lat, lon)
            if sub:
                kind, level, up = "sn:SubDistrict", "sub-district", f":area\\/district-{parent}"
            else:
                kind, level = "sn:District", "district"
                up = f":area\\/major-{parent}" if parent else self.municipality()
            self.out.append(
                block(
                    f":area\\/{acode} a {kind}",
                    f"rdfs:label {names(fi, sv)}",
                    f'sn:areaCode "{acode}"',
                    f"sn:areaLevel {code('area-level', level)}",
                    f"sn:partOfArea {up}",
                    f"sn:validFrom {date('2024-01-01')}",
                    self.point(lat, lon),
                )
            )
        for skey, (fi, sv, _areas) in c.get("service_areas", {}).items():
            self.out.append(
                block(
                    f":area\\/service-area-{skey} a sn:ServiceArea",
                    f"rdfs:label {names(fi, sv)}",
                    f"sn:areaLevel {code('area-level', 'service-area')}",
                    f"sn:partOfArea {self.municipality()}",
                )
            )
        if self.muni == "235":
            self.out.append(
                block(
                    ":area\\/postcode-02700 a sn:PostalCodeArea",
                    f"rdfs:label {names('Kauniainen', 'Grankulla')}",
                    'sn:areaCode "02700"',
                    f"sn:areaLevel {code('area-level', 'postal-code-area')}",
                    f"sn:partOfArea {self.municipality()}",
                )
            )

    @staticmethod
    def point(lat: float, lon: float) -> str:
        return (
            f'geo:hasGeometry [ a geo:Geometry ; geo:asWKT "POINT({lon:.4f} {lat:.4f})"^^geo:wktLiteral ;'
            f" sn:latitude {lat:.4f} ; sn:longitude {lon:.4f} ]"
        )

    def address(self, street: str, area: str) -> str:
        fi, sv, _ = self.city["name"]
        return (
            f"sn:hasAddress [ a sn:Address ; sn:streetAddress {lit(street, 'fi')} ; "
            f'sn:postalCode "{self.postcode(area)}" ; sn:postOffice {names(fi, sv)} ; '
            f"sn:municipality {self.municipality()} ]"
        )

    def units(self) -> None:
        per_area: dict[str, int] = {}
        for n, unit in enumerate(self.city["units"], start=1):
            key, kind, fi, sv, area, street, form, lang, places, enrol, prem, extra = unit
            self.unit_n[key] = n
            i = per_area[area] = per_area.get(area, -1) + 1
            lat0, lon0 = self.area_geo[area]
            lat, lon = lat0 + 0.003 * (i - 1), lon0 + 0.004 * ((i % 2) * 2 - 1)
            cls, type_code = KIND[kind]
            if kind == "dc" and extra.get("preschool"):
                cls += " , sn:PreSchoolUnit"
            status = extra.get("status", "active")
            opened = (
                "2026-08-01"
                if status == "planned"
                else f"{max(prem[5] if prem else 1990, 1970)}-08-01"
            )
            ids = [f'sn:localIdentifier "{key}"', f'sn:tprId "{int(self.muni)}{n:04d}"']
            if not extra.get("no_oph"):
                ids.append(f'sn:ophOid "1.2.246.562.10.{self.muni}{n:08d}"')
            if kind in ("dc", "gfd", "fd") and status != "planned":
                ids.append(f'sn:vardaId "{int(self.muni) * 1000 + n}"')
            provider = (
                f":organisation\\/{extra['provider']}"
                if "provider" in extra
                else ":organisation\\/city"
            )
            located = kind != "fd" and street
            organiser = provider if form == "private" else ":organisation\\/city"
            runner = self.operating_unit(key, kind, fi, sv, extra, organiser)
            groups = extra.get("groups", ())
            self.out.append(
                block(
                    f":unit\\/{key} a {cls}",
                    f"rdfs:label {names(fi, sv)}",
                    f"sn:unitType {code('service-unit-type', type_code)}",
                    f"sn:organisationForm {code('organisation-form', form)}",
                    f"sn:provider {provider}",
                    f"sn:organiser {organiser}",
                    f"sn:operatingUnit {runner}" if runner else "",
                    f"sn:unitStatus {code('unit-status', status)}",
                    f"sn:openingDate {date(opened)}",
                    *ids,
                    f"sn:municipality {self.municipality()}",
                    f"sn:area {self.area_iri(area)}",
                    f"sn:serviceArea :area\\/service-area-{self.service_area[area]}"
                    if area in self.service_area
                    else "",
                    "sn:childGroup " + " , ".join(f":unit\\/{key}\\/group\\/{g[0]}" for g in groups)
                    if groups
                    else "",
                    self.address(street, area) if located else "",
                    self.point(lat, lon) if located else "",
                    self.offerings_ref(key, kind, extra),
                    self.premises_ref(key, extra) if prem else "",
                )
            )
            self.offerings(key, kind, lang, enrol, extra)
            for gkey, gfi, gsv, age, glang, gplaces in groups:
                self.out.append(
                    block(
                        f":unit\\/{key}\\/group\\/{gkey} a sn:ChildGroup",
                        f"rdfs:label {names(gfi, gsv)}",
                        f"sn:ageGroup {code('age-group', age)}",
                        f"sn:serviceLanguage {code('language', glang)}",
                        f"sn:places {gplaces}",
                        f"sn:placeBasis {code('place-basis', 'head-count')}",
                    )
                )
            if prem:
                self.premises(key, street, area, prem, extra, n)
            if status == "active" and not extra.get("no_capacity"):
                self.capacity(key, kind, places, enrol, extra)

    def operating_unit(
        self, key: str, kind: str, fi: str, sv: str, extra: dict[str, Any], organiser: str
    ) -> str:
        """The operating unit (toimintayksikkö) that runs the site, written once; "" for family
        daycare (each carer is a site of the city's family daycare, not modelled here). A site with
        "unit_of" is run by another site's operating unit; a school's is its institution (oppilaitos),
        given without a school number: the examples carry no real oppilaitosnumero."""
        if kind == "fd":
            return ""
        if "unit_of" in extra:
            return f":operating-unit\\/{extra['unit_of']}"
        iri = f":operating-unit\\/{key}"
        cls = "sn:EducationalInstitution" if kind == "sch" else "sn:OperatingUnit"
        self.out.append(
            block(
                f"{iri} a {cls}",
                f"rdfs:label {names(fi, sv)}",
                f"sn:organiser {organiser}",
                f"sn:municipality {self.municipality()}",
            )
        )
        return iri

    @staticmethod
    def services(kind: str, extra: dict[str, Any]) -> list[str]:
        main = {"sch": "basic-education", "club": "club", "open": "open-early-education"}
        found = [main.get(kind, "ecec")]
        if extra.get("preschool"):
            found.append("pre-school")
        if extra.get("shift"):
            found.append("shift-care")
        return found

    def offerings_ref(self, key: str, kind: str, extra: dict[str, Any]) -> str:
        refs = [f":unit\\/{key}\\/offering\\/{s}" for s in self.services(kind, extra)]
        return "sn:offers " + " , ".join(refs)

    def offerings(
        self, key: str, kind: str, lang: str, enrol: tuple[int, ...], extra: dict[str, Any]
    ) -> None:
        hours = {
            "ecec": "Mo-Fr 06:30-17:30",
            "pre-school": "Mo-Fr 09:00-13:00",
            "shift-care": "Mo-Su 00:00-24:00",
            "basic-education": "Mo-Fr 08:00-15:00",
            "club": "Tu,Th 09:00-12:00",
            "open-early-education": "Mo-Fr 09:00-15:00",
        }
        for service in self.services(kind, extra):
            # From 1 Aug 2025 pre-school and basic education have group- and pupil-level support;
            # ECEC keeps its three tiers (ontology/codelists/support-level.ttl).
            if service in ("pre-school", "basic-education"):
                support = ["group-level"] + (["pupil-level"] if extra.get("support") else [])
            else:
                support = ["general", "intensified"] + (
                    ["special"] if extra.get("support") == "special" else []
                )
            lines = [
                f"sn:serviceType {code('service-type', service)}",
                f"sn:serviceLanguage {code('language', lang)}",
                f'sn:openingHours "{hours[service]}"',
                "sn:supportLevel " + " , ".join(code("support-level", s) for s in support),
                f"sn:validFrom {date('2025-08-01')}",
            ]
            if service == "basic-education":
                lines.append(f"sn:gradeRange {code('grade-range', self.grades(enrol))}")
            if "emphasis" in extra and service == "ecec":
                lines.append(f"sn:pedagogicalEmphasis {names(*extra['emphasis'])}")
            self.out.append(
                block(f":unit\\/{key}\\/offering\\/{service} a sn:ServiceOffering", *lines)
            )

    @staticmethod
    def grades(enrol: tuple[int, ...]) -> str:
        return "1-9" if enrol[1] else "1-6"

    def premises_ref(self, key: str, extra: dict[str, Any]) -> str:
        refs = [f":unit\\/{key}\\/premises-use\\/1"]
        if "moved" in extra:
            refs.insert(0, f":unit\\/{key}\\/premises-use\\/0")
        return "sn:premisesUse " + " , ".join(refs)

    def premises(
        self, key: str, street: str, area: str, prem: tuple[Any, ...], extra: dict[str, Any], n: int
    ) -> None:
        tenure, lease_end, condition, repair, floor, built, accessible = prem
        since = "2023-08-01" if "moved" in extra else f"{max(built, 1970)}-08-01"
        lines = [
            f"rdfs:label {lit(street, 'fi')}",
            f'sn:buildingId "{building_id(100000000 + int(self.muni) * 100000 + n * 7)}"',
            self.address(street, area),
            f"sn:floorArea {floor:.1f}",
            f"sn:tenure {code('premises-tenure', tenure)}",
            f"sn:leaseEndDate {date(lease_end)}" if lease_end else "",
            f"sn:condition {code('premises-condition', condition)}",
            f"sn:repairNeedYear {repair}" if repair else "",
            f"sn:accessible {'true' if accessible else 'false'}",
            f"sn:yearBuilt {built}",
        ]
        self.out.append(block(f":premises\\/{key} a sn:Premises", *lines))
        self.out.append(
            block(
                f":unit\\/{key}\\/premises-use\\/1 a sn:PremisesUse",
                f"sn:premises :premises\\/{key}",
                f"sn:validFrom {date(since)}",
            )
        )
        if "moved" in extra:
            old_street, until = extra["moved"]
            self.out.append(
                block(
                    f":premises\\/{key}-old a sn:Premises",
                    f"rdfs:label {lit(old_street, 'fi')}",
                    self.address(old_street, area),
                    f"sn:tenure {code('premises-tenure', 'leased')}",
                    f"sn:condition {code('premises-condition', 'very-poor')}",
                    "sn:yearBuilt 1968",
                )
            )
            self.out.append(
                block(
                    f":unit\\/{key}\\/premises-use\\/0 a sn:PremisesUse",
                    f"sn:premises :premises\\/{key}-old",
                    f"sn:validFrom {date('1995-08-01')}",
                    f"sn:validTo {date(until)}",
                )
            )

    def capacity(
        self, key: str, kind: str, places: int, enrol: tuple[int, ...], extra: dict[str, Any]
    ) -> None:
        if kind == "sch":
            self.obs_capacity(
                key, DATE, places, "7-15", "basic-education", self.grades(enrol), kind, extra
            )
            for count, age, grades in (
                (enrol[0], "7-12", range(1, 7)),
                (enrol[1], "13-15", range(7, 10)),
            ):
                for grade, pupils in per_grade(count, grades).items():
                    self.obs_enrolment(key, age, None, pupils, str(grade))
            return
        if kind == "club":
            self.obs_capacity(key, DATE, places, "3-6", "club", None, kind, extra)
            self.obs_enrolment(key, "3-5", "club", extra["club_children"], None)
            return
        self.obs_capacity(key, DATE, places, "0-6", "ecec", None, kind, extra)
        self.obs_capacity(
            key, PREV_DATE, extra.get("places2024", places), "0-6", "ecec", None, kind, extra
        )
        for age, option, count in enrolment_cells(enrol, f"{self.muni} unit {key}"):
            self.obs_enrolment(key, age, option, count, None)

    def obs_capacity(
        self,
        key: str,
        day: str,
        places: int,
        age: str,
        service: str,
        grades: str | None,
        kind: str,
        extra: dict[str, Any],
    ) -> None:
        # Daycare centres count computational places (full-day 3+ equivalents), a centre whose
        # tables give its caretakers counts staff (caretakers x 7), the others count heads.
        caretakers = extra.get("caretakers")
        basis = "staff-based" if caretakers else ("computational" if kind == "dc" else "head-count")
        if caretakers and places != caretakers * 7:
            raise ValueError(f"{self.muni} unit {key}: places {places} are not {caretakers} x 7")
        self.out.append(
            block(
                f":observation\\/capacity\\/{key}\\/{day} a sn:CapacityObservation",
                "qb:dataSet :dataset\\/capacity-2025",
                f"sn:unit :unit\\/{key}",
                f"sn:referenceDate {date(day)}",
                f"sn:ageGroup {code('age-group', age)}",
                f"sn:serviceType {code('service-type', service)}",
                f"sn:gradeRange {code('grade-range', grades)}" if grades else "",
                f"sn:places {places}",
                f"sn:placeBasis {code('place-basis', basis)}",
                f"sn:caretakers {caretakers:.1f}" if caretakers else "",
            )
        )

    def obs_enrolment(
        self, key: str, age: str, option: str | None, count: int, grades: str | None
    ) -> None:
        suffix = f"{age}-{option}" if option else f"{age}-grade-{grades}"
        self.out.append(
            block(
                f":observation\\/enrolment\\/{key}\\/{DATE}\\/{suffix} a sn:EnrolmentObservation",
                f"qb:dataSet :dataset\\/{'enrolment' if option else 'pupils'}-2025",
                f"sn:unit :unit\\/{key}",
                f"sn:referenceDate {date(DATE)}",
                f"sn:ageGroup {code('age-group', age)}",
                f"sn:serviceNeedOption {code('service-need-option', option)}" if option else "",
                f"sn:gradeRange {code('grade-range', grades)}" if grades else "",
                f"sn:enrolledChildren {published(count, key)}",
            )
        )

    def options(self) -> None:
        """The city's own service-need options (eVaka's service_need_option rows), each refining a
        national concept with its hour band, validity and occupancy coefficients. Enrolment cells
        keep the national concepts: the Data Cube code list of sn:serviceNeedOption is the national
        list (IC-19), and the published coefficients are the same."""
        for okey, row in self.city.get("options", {}).items():
            national, fi, sv, lo, hi, coeff, part_day, part_week, start, end, uuid = row
            self.out.append(
                block(
                    f":service-need-option\\/{okey} a sn:ServiceNeedOption",
                    f"skos:prefLabel {names(fi, sv)}",
                    f"sn:nationalOption {code('service-need-option', national)}",
                    f'sn:localIdentifier "{uuid}"',
                    f"sn:minHoursPerWeek {lo:.1f}" if lo is not None else "",
                    f"sn:hoursPerWeek {hi:.1f}" if hi is not None else "",
                    f"sn:occupancyCoefficient {coeff}",
                    "sn:occupancyCoefficientUnder3 1.75",
                    f"sn:partDay {'true' if part_day else 'false'}",
                    f"sn:partWeek {'true' if part_week else 'false'}",
                    f"sn:validFrom {date(start)}",
                    f"sn:validTo {date(end)}" if end else "",
                )
            )

    def catchments(self) -> None:
        """A catchment area per school and grade range it teaches, and a pre-school area per
        planning area and language of its pre-school units; each links the sites it serves."""
        units = self.city["units"]
        year = "2025-2026"
        for key, kind, fi, sv, area, *_, lang, _places, enrol, _prem, _extra in units:
            if kind != "sch":
                continue
            for grades, taught in (("1-6", enrol[0]), ("7-9", enrol[1])):
                if not taught:
                    continue
                self.out.append(
                    block(
                        f":area\\/catchment-{grades}-{key} a sn:CatchmentArea",
                        "rdfs:label "
                        + names(
                            f"{fi}: vuosiluokkien {grades.replace('-', '–')} oppilaaksiottoalue",
                            f"{sv}: elevupptagningsområde för årskurs {grades.replace('-', '–')}",
                        ),
                        f"sn:areaLevel {code('area-level', 'catchment-area')}",
                        f"sn:partOfArea {self.municipality()}",
                        f"sn:catchmentKind {code('catchment-kind', 'grades-' + grades)}",
                        f"sn:servedBy :unit\\/{key}",
                        f"sn:serviceLanguage {code('language', lang)}",
                        f'sn:schoolYear "{year}"',
                        self.square(area, 0.012 if grades == "1-6" else 0.02),
                    )
                )
        served: dict[tuple[str, str], list[str]] = {}
        for key, _kind, *_, area, _street, _form, lang, _places, _enrol, _prem, extra in units:
            if extra.get("preschool"):
                served.setdefault((area, lang), []).append(key)
        areas = {a[0]: a for a in self.city["areas"]}
        tongue = {"fi": ("suomi", "finska"), "sv": ("ruotsi", "svenska")}
        for (area, lang), keys in served.items():
            _code, afi, asv, *_ = areas[area]
            self.out.append(
                block(
                    f":area\\/pre-school-{area}-{lang} a sn:CatchmentArea",
                    "rdfs:label "
                    + names(
                        f"{afi}: esiopetusalue ({tongue[lang][0]})",
                        f"{asv}: förskoleområde ({tongue[lang][1]})",
                    ),
                    f"sn:areaLevel {code('area-level', 'catchment-area')}",
                    f"sn:partOfArea {self.municipality()}",
                    f"sn:catchmentKind {code('catchment-kind', 'pre-school')}",
                    "sn:servedBy " + " , ".join(f":unit\\/{k}" for k in keys),
                    f"sn:serviceLanguage {code('language', lang)}",
                    f'sn:schoolYear "{year}"',
                    self.square(area, 0.008),
                )
            )

    def square(self, area: str, half: float) -> str:
        """An example boundary: a square around the planning area's point (CRS84 WKT)."""
        lat, lon = self.area_geo[area]
        ring = [(lon - half, lat - half), (lon + half, lat - half), (lon + half, lat + half)]
        ring += [(lon - half, lat + half), (lon - half, lat - half)]
        wkt = "POLYGON((" + ", ".join(f"{x:.4f} {y:.4f}" for x, y in ring) + "))"
        return f'geo:hasGeometry [ a geo:Geometry ; geo:asWKT "{wkt}"^^geo:wktLiteral ]'

    def population(self) -> None:
        """Actual population on 31 Dec 2024 (not a forecast) by area, age band and mother tongue,
        published under the same small-cell rule as the forecast."""
        shares = {a[0]: (a[-2], a[-1]) for a in self.city["areas"]}
        for area, total in self.city.get("population_2024", {}).items():
            sv_share, other_share = shares[area]
            where = f"{self.muni} population {area} on 2024-12-31"
            cells = forecast_cells(total, sv_share, other_share, where, withhold=True)
            sami = self.city.get("sami_2024", {}).get(area)
            if sami:
                cells.append(("1-6", "se", None if sami < MIN_CELL else sami))
            for age, tongue, n in cells:
                node = f":population\\/2024-12-31\\/{area}\\/{age}\\/{tongue}"
                dimensions = (
                    f"sn:area {self.area_iri(area)}",
                    f"sn:referenceDate {date('2024-12-31')}",
                    f"sn:ageGroup {code('age-group', age)}",
                    f"sn:motherTongue {code('language', tongue)}",
                )
                if (
                    n is None
                ):  # a count of 1-4 children: withheld, published as a cell without a value
                    self.out.append(
                        block(
                            f"{node} a sn:SuppressedCell",
                            "sn:cellOf :dataset\\/population-2025",
                            f"sn:observationStatus {code('observation-status', 'small-cell')}",
                            *dimensions,
                        )
                    )
                    continue
                self.out.append(
                    block(
                        f"{node} a sn:PopulationObservation",
                        "qb:dataSet :dataset\\/population-2025",
                        *dimensions,
                        f"sn:population {n}",
                    )
                )

    def forecast(self) -> None:
        c = self.city
        vintage = c["vintage"]
        iri = f":forecast\\/{vintage}-baseline"
        pfi, psv, pen = c["forecast_publisher"]
        self.out.append(
            block(
                f"{iri} a sn:PopulationForecast",
                "rdfs:label " + names(*forecast_titles(vintage)),
                "dct:publisher :organisation\\/city",
                f"dct:title {names(*forecast_titles(vintage))}",
                f"dct:creator [ a foaf:Organization ; foaf:name {names(pfi, psv, pen)} ;"
                f" dct:type <{LOCAL_AUTHORITY}> ]",
                f"dct:issued {date(f'{vintage}-05-15')}",
                f"sn:forecastVintage {vintage}",
                f"sn:scenario {code('forecast-scenario', 'baseline')}",
                "qb:structure dsd:population-forecast",
                period("2025-01-01", "2030-12-31"),  # the forecast years below
                "dct:description "
                + names(
                    f"Ennustettu 1–6-vuotiaiden määrä alueittain, vuosittain, ikäryhmittäin ja"
                    f" äidinkielen mukaan (laadittu {vintage}).",
                    f"Prognostiserat antal 1–6-åringar per område, år, åldersgrupp och modersmål"
                    f" (utarbetad {vintage}).",
                    f"Forecast children aged 1–6 per area, year, age group and mother tongue"
                    f" (made in {vintage}).",
                ),
                *self.dcat_ap("SOCI"),
            )
        )
        for acode, *_, t25, t30, sv_share, other_share in c["areas"]:
            for year, total in ((2025, t25), (2030, t30)):
                where = f"{self.muni} area {acode} in {year}"
                for age, tongue, n in forecast_cells(total, sv_share, other_share, where):
                    self.out.append(
                        block(
                            f"{iri}\\/{acode}\\/{year}\\/{age}\\/{tongue} a sn:PopulationForecastObservation",
                            f"qb:dataSet {iri}",
                            f"sn:area {self.area_iri(acode)}",
                            f"sn:referenceYear {year}",
                            f"sn:ageGroup {code('age-group', age)}",
                            f"sn:motherTongue {code('language', tongue)}",
                            f"sn:population {n}",
                        )
                    )

    def survey(self) -> None:
        fi, sv, en = self.city["name"]
        iri = ":survey\\/ecec-2025"
        results: list[tuple[str, int, int, float]] = []
        for key, _kind, *_, enrol, _prem, extra in self.city["units"]:
            if "survey" in extra:
                invited = sum(enrol)
                rate, mean = extra["survey"]
                responses = half_up(invited * rate)
                if responses >= MIN_CELL:  # n < 5: not published, not even in the totals
                    results.append((key, invited, responses, mean))
        self.out.append(
            block(
                f"{iri} a sn:CustomerSurvey",
                "rdfs:label " + names(*survey_titles(fi, sv, en)),
                "dct:publisher :organisation\\/city",
                "sn:targetGroup "
                + names(
                    "varhaiskasvatuksessa olevien lasten huoltajat",
                    "vårdnadshavare till barn inom småbarnspedagogiken",
                    "guardians of children in ECEC",
                ),
                f"sn:periodStart {date('2025-02-03')}",
                f"sn:periodEnd {date('2025-02-23')}",
                f"sn:invitationCount {sum(r[1] for r in results)}",
                f"sn:responseCount {sum(r[2] for r in results)}",
                f"sn:minimumCellSize {MIN_CELL}",
                "qb:structure dsd:survey-result",
                "dct:title " + names(*survey_titles(fi, sv, en)),
                period("2025-02-03", "2025-02-23"),
                "dct:description "
                + names(
                    "Huoltajien vastausten määrä ja keskiarvo kysymyksittäin ja yksiköittäin;"
                    " alle viiden vastauksen tuloksia ei julkaista.",
                    "Antal svar från vårdnadshavare och medelvärde per fråga och enhet; resultat"
                    " med färre än fem svar publiceras inte.",
                    "Number of guardians' responses and mean score per question and unit; results"
                    " with fewer than five responses are not published.",
                ),
                *self.dcat_ap("EDUC"),
            )
        )
        questions = [
            ("q1", "overall", "Olen kokonaisuutena tyytyväinen lapseni varhaiskasvatukseen.",
             "Som helhet är jag nöjd med mitt barns småbarnspedagogik.",
             "Overall, I am satisfied with my child's early childhood education and care."),
            ("q2", "pedagogy", "Lapseni oppii varhaiskasvatuksessa uusia asioita.",
             "Mitt barn lär sig nya saker inom småbarnspedagogiken.",
             "My child learns new things in early childhood education and care."),
        ]  # fmt: skip
        for qkey, theme, qfi, qsv, qen in questions:
            self.out.append(
                block(
                    f"{iri}\\/{qkey} a sn:SurveyQuestion",
                    f"sn:questionText {names(qfi, qsv, qen)}",
                    f"sn:theme {code('survey-theme', theme)}",
                    f"sn:journeyPhase {code('journey-phase', 'during')}",
                    "sn:scaleMax 5",
                )
            )
            for key, invited, responses, mean in results:
                score = mean if qkey == "q1" else round(mean - 0.2, 1)
                self.out.append(
                    block(
                        f"{iri}\\/result\\/{qkey}\\/{key} a sn:SurveyResult",
                        f"qb:dataSet {iri}",
                        f"sn:question {iri}\\/{qkey}",
                        f"sn:unit :unit\\/{key}",
                        f"sn:invitationCount {invited}",
                        f"sn:responseCount {responses}",
                        f"sn:meanScore {score:.1f}",
                    )
                )

    def offers(self) -> None:
        for area, rows in self.city["offers"].items():
            for channel, lang, sent, accepted, declined in rows:
                where = f"{self.muni} offers {area} {channel} {lang}"
                self.out.append(
                    block(
                        f":statistic\\/proactive-offer\\/2025-2026\\/{area}\\/{channel}-{lang} a sn:ProactiveOfferStatistic",
                        "qb:dataSet :dataset\\/proactive-offers-2025",
                        f"sn:area {self.area_iri(area)}",
                        'sn:schoolYear "2025-2026"',
                        f"sn:serviceType {code('service-type', 'pre-school')}",
                        f"sn:channel {code('channel', channel)}",
                        f"sn:serviceLanguage {code('language', lang)}",
                        f"sn:journeyPhase {code('journey-phase', 'transition-to-pre-school')}",
                        f"sn:offersSent {published(sent, where)}",
                        f"sn:offersAccepted {published(accepted, where)}",
                        f"sn:offersDeclined {published(declined, where)}",
                    )
                )

    def needs(self) -> None:
        method = names(
            "Ennustettu 1–6-vuotiaiden määrä kerrottuna palveluntarpeittaisilla osallistumisasteilla.",
            "Det prognostiserade antalet 1–6-åringar multiplicerat med deltagandegraderna per servicebehov.",
            "Forecast children aged 1–6 times participation rates per service-need option.",
        )
        for area, counts in self.city["needs"].items():
            for cell, count in need_cells(counts, f"{self.muni} need {area}"):
                option, shift = NEED_CELLS[cell]
                self.out.append(
                    block(
                        f":need\\/2026\\/{area}\\/{cell} a sn:ServiceNeed",
                        "qb:dataSet :dataset\\/service-need-2025",
                        f"sn:area {self.area_iri(area)}",
                        "sn:referenceYear 2026",
                        f"sn:ageGroup {code('age-group', '1-6')}",
                        f"sn:serviceType {code('service-type', 'ecec')}",
                        f"sn:serviceNeedOption {code('service-need-option', option)}",
                        f"sn:shiftCare {code('shift-care', shift)}",
                        f"sn:needSource {code('need-source', 'population-forecast')}",
                        f"sn:method {method}",
                        f"sn:childrenInNeed {count}",
                    )
                )

    def applications(self) -> None:
        for year, channel, count in self.city["applications"]:
            self.out.append(
                block(
                    f":statistic\\/applications\\/{year}\\/{channel} a sn:ApplicationStatistic",
                    "qb:dataSet :dataset\\/applications-2025",
                    f"sn:referenceYear {year}",
                    f"sn:serviceType {code('service-type', 'ecec')}",
                    f"sn:channel {code('channel', channel)}",
                    f"sn:applicationCount {published(count, f'{self.muni} applications {year}')}",
                )
            )

    def build(self) -> str:
        fi = self.city["name"][0]
        self.out.append(
            HEAD.format(
                title=f"{fi} ({self.muni}): example service-network dataset", base=self.city["base"]
            )
        )
        for section in (self.dataset, self.areas, self.options, self.units, self.catchments):
            section()
        for section in (self.forecast, self.population, self.survey):
            section()
        for section in (self.offers, self.needs, self.applications):
            section()
        base = self.city["base"]
        text = "\n".join(self.out)
        return LOCAL.sub(lambda m: "<" + base + m.group(1).replace("\\/", "/") + ">", text)


def split_ages(total: int) -> dict[str, int]:
    """Children 1-6 into the leaf bands 1-2, 3-5 and 6 (the three always sum to ``total``)."""
    young, six = half_up(total * 0.32), half_up(total * 0.17)
    return {"1-2": young, "3-5": total - young - six, "6": six}


def split_tongues(count: int, sv_share: float, other_share: float) -> dict[str, int]:
    """One band into mother tongues fi, sv, other (the three always sum to ``count``)."""
    sv, other = half_up(count * sv_share), half_up(count * other_share)
    return {"fi": count - sv - other, "sv": sv, "other": other}


def merge_small(cells: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """One breakdown with its 1-4 categories moved into the most common one (ties: listed first).

    The total is unchanged. If the total itself is 1-4 a small cell remains: ``published`` refuses it.
    """
    target = max(range(len(cells)), key=lambda i: (cells[i][1], -i))
    small = sum(n for i, (_, n) in enumerate(cells) if i != target and 0 < n < MIN_CELL)
    return [
        (name, n + small if i == target else (0 if 0 < n < MIN_CELL else n))
        for i, (name, n) in enumerate(cells)
    ]


def enrolment_cells(enrol: tuple[int, ...], where: str) -> list[tuple[str, str, int]]:
    """A unit's enrolment (counts in ENROL order) as published: (age band, option, children)."""
    if sum(enrol) < MIN_CELL:
        return []  # family daycare: the unit total and every cell of it would be small
    cells = []
    for band in dict.fromkeys(age for age, _ in ENROL):
        options = [(opt, n) for (age, opt), n in zip(ENROL, enrol, strict=True) if age == band]
        for option, n in merge_small(options):
            if n:
                cells.append((band, option, published(n, f"{where}, age {band}")))
    return cells


def per_grade(pupils: int, grades: range) -> dict[int, int]:
    """A school's pupils in a grade range spread over its grades (exact sum; the lower grades get
    the remainder), each published under the small-cell rule."""
    if not pupils:
        return {}
    base, rest = divmod(pupils, len(grades))
    return {g: published(base + (1 if i < rest else 0), f"grade {g}") for i, g in enumerate(grades)}


def need_cells(counts: tuple[int, ...], where: str) -> list[tuple[str, int]]:
    """An area's children in need (full day, part day, full day with shift care) as published.

    A 0 in the tables is published as 0; an option emptied by merging is left out (0 would be false).
    """
    options = list(zip(NEED_CELLS, counts, strict=True))
    return [
        (option, published(n, f"{where} {option}"))
        for (option, n), (_, given) in zip(merge_small(options), options, strict=True)
        if n or not given
    ]


def forecast_cells(
    total: int, sv_share: float, other_share: float, where: str, *, withhold: bool = False
) -> list[tuple[str, str, int | None]]:
    """An area's forecast children aged 1-6 in a year as published: (age band, tongue, children).

    A tongue with a 1-4 cell in any band is published as one 1-6 cell instead of per band; a 1-6
    cell still under five is an error, or with ``withhold`` a cell without a value (None).
    """
    bands = {age: split_tongues(n, sv_share, other_share) for age, n in split_ages(total).items()}
    whole = {
        tongue: not any(0 < split[tongue] < MIN_CELL for split in bands.values())
        for tongue in ("fi", "sv", "other")
    }
    cells = [
        (age, tongue, n)
        for age, split in bands.items()
        for tongue, n in split.items()
        if whole[tongue]
    ]
    merged: list[tuple[str, str, int | None]] = []
    for tongue in (t for t, per_band in whole.items() if not per_band):
        n = sum(split[tongue] for split in bands.values())
        if withhold and 0 < n < MIN_CELL:
            merged.append(("1-6", tongue, None))
        else:
            merged.append(("1-6", tongue, published(n, f"{where}, mother tongue {tongue}, 1-6")))
    return [*cells, *merged]


def main() -> None:
    target = ROOT / "examples" / "valid"
    target.mkdir(parents=True, exist_ok=True)
    for muni, city in CITIES.items():
        path = target / f"{city['slug']}-{muni}.ttl"
        path.write_text(CityWriter(muni, city).build(), encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
