"""The hand-written tables behind examples/valid/*.ttl (read by tools/build_examples.py).

Every figure a test asserts is computed by hand from these tables; keep them small and explicit.
Unit tuple fields, in order:
    key, kind, name_fi, name_sv, area, street, form, lang, places, enrol, premises, extra
kind:    dc daycare centre, gfd group family daycare, fd family daycare, club, open (open early
         education), sch comprehensive school
form:    organisation-form notation (municipal, purchased, service-voucher, private)
lang:    language notation of the offering (fi, sv, fi-sv, en)
places:  ECEC places on 2025-10-01 (in full-day 3+ equivalents), or pupil places for schools
enrol:   ECEC (u3 full-day, 3-5 full-day, 3-5 part-day, 6 pre-school only, 6 pre-school+supplementary)
         schools (pupils grades 1-6, pupils grades 7-9)
premises: (tenure, lease end, condition, repair-need year, floor m2, year built, accessible)
extra:   optional keys: preschool, shift, support, emphasis, no_oph, no_capacity,
         places2024, survey (response rate, mean), status, moved (old street, until), provider,
         unit_of (the key of the site whose operating unit also runs this one), groups (child
         groups: key, name fi, name sv, age band, language, places as head count), caretakers
         (staff-based places: the places must be caretakers x 7)
needs:   per area (full day, part day, full day with regular shift care): shift care is a flag on
         the need, not an option of its own
population_2024: actual children aged 1-6 per area on 31 Dec 2024 (split into bands and tongues
         like the forecast)
sami_2024: actual children aged 1-6 with North Sami as their mother tongue, per area (1-4: withheld)
options: a city's own service-need options (real eVaka rows): national concept, name fi, sv, hours
         over/at least, hours at most, occupancy coefficient, part day, part week, valid from, to, id
service_areas: key -> (name fi, name sv, planning areas): the city's ECEC service areas

The tables are the register figures; tools/build_examples.py publishes them under the small-cell rule
(no count of children between 1 and 4; see its docstring). So the tables never hold what no merge can
hide: an age band of a unit with 1-4 children, a mother tongue with 1-4 children aged 1-6 in an area
and year, or 1-4 declined offers (sent - accepted would give them away). The generator refuses them.
"""

from __future__ import annotations

from typing import Any

CITIES: dict[str, dict[str, Any]] = {}

# fmt: off
# --- Helsinki 091 ------------------------------------------------------------
CITIES["091"] = {
    "slug": "helsinki",
    "name": ("Helsinki", "Helsingfors", "Helsinki"),
    "org": ("Helsingin kaupunki", "Helsingfors stad", "City of Helsinki"),
    "base": "https://data.hel.fi/servicenet/",
    "modified": "2025-10-15",
    "vintage": 2024,
    "forecast_publisher": ("Helsingin kaupunginkanslia", "Helsingfors stadskansli", "Helsinki City Executive Office"),
    "major": [
        ("1", "Eteläinen", "Södra"),
        ("2", "Läntinen", "Västra"),
        ("3", "Keskinen", "Mellersta"),
        ("7", "Itäinen", "Östra"),
    ],
    # district code, fi, sv, major district
    "districts": [
        ("101", "Vironniemi", "Estnäs", "1"),
        ("205", "Kaarela", "Kårböle", "2"),
        ("305", "Vanhakaupunki", "Gammelstaden", "3"),
        ("703", "Mellunkylä", "Mellungsby", "7"),
        ("704", "Vuosaari", "Nordsjö", "7"),
    ],
    # planning area code, fi, sv, parent (district or major district), lat, lon,
    # children aged 1-6 in 2025, in 2030, Swedish-speaking share, other-language share
    "areas": [
        ("0911101010", "Kruununhaka", "Kronohagen", "101", 60.1725, 24.956, 155, 150, 0.2, 0.1),
        ("0911101080", "Katajanokka", "Skatudden", "101", 60.1675, 24.968, 100, 96, 0.15, 0.1),
        ("0912205331", "Kannelmäki", "Gamlas", "205", 60.24, 24.88, 230, 240, 0.05, 0.3),
        ("0912205333", "Malminkartano", "Malmgård", "205", 60.249, 24.862, 180, 200, 0.04, 0.35),
        ("0913305250", "Käpylä", "Kottby", "305", 60.215, 24.948, 135, 130, 0.08, 0.1),
        ("0913305260", "Koskela", "Forsby", "305", 60.218, 24.965, 95, 115, 0.06, 0.15),
        ("0917703471", "Kontula", "Gårdsbacka", "703", 60.236, 25.083, 215, 220, 0.03, 0.45),
        ("0917703473", "Mellunmäki", "Mellungsbacka", "703", 60.237, 25.106, 160, 165, 0.03, 0.4),
        ("0917704541", "Keski-Vuosaari", "Mellersta Nordsjö", "704", 60.21, 25.144, 195, 190, 0.04, 0.35),
        ("0917704544", "Meri-Rastila", "Havsrastböle", "704", 60.206, 25.122, 125, 120, 0.04, 0.5),
    ],
    "population_2024": {
        "0911101010": 158, "0911101080": 102, "0912205331": 226, "0912205333": 174, "0913305250": 137,
        "0913305260": 90, "0917703471": 212, "0917703473": 158, "0917704541": 197, "0917704544": 126,
    },
    # Children aged 1-6 with North Sami (se) as their mother tongue, apart from the tongues above:
    # a count of 1-4 is published as a cell without a value (sn:SuppressedCell).
    "sami_2024": {"0911101010": 3, "0917703471": 6},
    "units": [
        ("kruununhaka", "dc", "Päiväkoti Kruununhaka", "Daghemmet Kronohagen", "0911101010", "Maneesikatu 4", "municipal", "fi", 84, (12, 46, 4, 0, 10), ("owned", None, "satisfactory", 2034, 780, 1962, True), {"preschool": True, "survey": (0.3, 4.4), "groups": (("nuput", "Nuput", "Knopparna", "1-2", "fi", 12), ("kielot", "Kielot", "Liljekonvaljerna", "3-5", "fi", 25), ("orvokit", "Orvokit", "Violerna", "3-5", "fi", 25), ("eskarit", "Eskarit", "Förskolegruppen", "6", "fi", 12))}),
        ("lilla-kronohagen", "dc", "Päiväkoti Lilla Kronohagen", "Daghemmet Lilla Kronohagen", "0911101010", "Liisankatu 17", "municipal", "sv", 42, (6, 22, 0, 0, 8), ("leased-fixed-term", "2028-07-31", "fair", 2029, 410, 1912, False), {"preschool": True, "survey": (0.4, 4.6)}),
        ("kruununhaan-leikkipuisto", "open", "Leikkipuisto Kruununhaka", "Lekparken Kronohagen", "0911101010", "Kristianinkatu 12", "municipal", "fi", 0, (), ("owned", None, "good", None, 120, 2011, True), {"no_capacity": True}),
        ("katajanokka", "dc", "Päiväkoti Katajanokka", "Daghemmet Skatudden", "0911101080", "Luotsikatu 12", "municipal", "fi", 63, (6, 26, 2, 2, 4), ("owned", None, "poor", 2027, 640, 1954, False), {"preschool": True, "survey": (0.25, 4.1)}),
        ("skatudden", "dc", "Daghemmet Skatudden", "Daghemmet Skatudden", "0911101080", "Kauppiaankatu 8", "service-voucher", "sv", 30, (5, 15, 2, 0, 5), ("leased", None, "satisfactory", None, 300, 1903, False), {"provider": "p1", "survey": (0.35, 4.5)}),
        ("katajanokan-koulu", "sch", "Katajanokan ala-asteen koulu", "Skatuddens lågstadieskola", "0911101080", "Satamakatu 6", "municipal", "fi", 280, (262, 0), ("owned", None, "fair", 2031, 3600, 1960, True), {}),
        ("kannel", "dc", "Päiväkoti Kannel", "Daghemmet Kannel", "0912205331", "Sitratori 5", "municipal", "fi", 105, (21, 56, 6, 2, 12), ("owned", None, "good", None, 1050, 2016, True), {"preschool": True, "support": "special", "survey": (0.2, 4.2)}),
        ("kantele", "dc", "Päiväkoti Kantele", "Daghemmet Kantele", "0912205331", "Kantelettarentie 10", "municipal", "fi", 70, (14, 34, 4, 0, 8), ("leased-fixed-term", "2027-12-31", "fair", 2028, 700, 1975, True), {"preschool": True, "survey": (0.25, 4.0)}),
        ("kaarelan-perhepaivahoito", "fd", "Perhepäivähoito Kaarela", "Familjedagvård Kårböle", "0912205331", "", "municipal", "fi", 4, (1, 3, 0, 0, 0), (), {"no_oph": True, "survey": (0.75, 4.8)}),
        ("malminkartano", "dc", "Päiväkoti Malminkartano", "Daghemmet Malmgård", "0912205333", "Puustellintie 6", "municipal", "fi", 90, (18, 50, 4, 3, 8), ("owned", None, "very-poor", 2026, 900, 1987, True), {"preschool": True, "survey": (0.22, 3.9)}),
        ("satumetsa-malminkartano", "dc", "Päiväkoti Satumetsä Malminkartano", "Daghemmet Sagoskogen Malmgård", "0912205333", "Vanha Kaarelantie 9", "service-voucher", "fi", 48, (10, 28, 0, 0, 0), ("leased", "2033-05-31", "good", None, 520, 2019, True), {"provider": "p1", "emphasis": ("liikunta", "idrott", "physical activity"), "survey": (0.3, 4.3)}),
        ("kannelmaen-peruskoulu", "sch", "Kannelmäen peruskoulu", "Gamlas grundskola", "0912205333", "Kaarelantie 84", "municipal", "fi", 720, (410, 290), ("owned", None, "satisfactory", 2035, 9800, 1969, True), {}),
        ("kapyla", "dc", "Päiväkoti Käpylä", "Daghemmet Kottby", "0913305250", "Mäkitorpantie 23", "municipal", "fi", 84, (14, 48, 6, 2, 8), ("owned", None, "satisfactory", 2033, 820, 1949, False), {"preschool": True, "survey": (0.28, 4.5)}),
        ("kottby-lekis", "dc", "Päiväkoti Kottby", "Daghemmet Kottby lekis", "0913305250", "Pohjolankatu 27", "municipal", "sv", 40, (6, 22, 2, 0, 6), ("owned", None, "good", None, 420, 1936, True), {"preschool": True, "survey": (0.45, 4.7)}),
        ("kapylan-kerho", "club", "Käpylän kerho", "Klubben i Kottby", "0913305250", "Koskelantie 44", "private", "fi", 20, (0, 0, 0, 0, 0), ("leased", None, "satisfactory", None, 90, 1958, False), {"provider": "p2", "club_children": 17}),
        ("koskela", "dc", "Päiväkoti Koskela", "Daghemmet Forsby", "0913305260", "Lepolantie 12", "municipal", "fi", 70, (14, 42, 2, 0, 6), ("leased-fixed-term", "2026-07-31", "satisfactory", None, 680, 1970, True), {"preschool": True, "places2024": 56, "survey": (0.2, 4.0)}),
        ("koskela-uusi", "dc", "Päiväkoti Koskelan Lepolanpuisto", "Daghemmet Lepolaparken", "0913305260", "Koskelantie 59", "municipal", "fi", 0, (), ("owned", None, "good", None, 1400, 2026, True), {"status": "planned", "no_capacity": True}),
        ("koskelan-ryhmis", "gfd", "Ryhmäperhepäiväkoti Koskela", "Gruppfamiljedaghemmet Forsby", "0913305260", "Kimmontie 4", "municipal", "fi", 12, (5, 7, 0, 0, 0), ("leased", "2029-12-31", "fair", None, 110, 1966, False), {"survey": (0.5, 4.6)}),
        ("kontula", "dc", "Päiväkoti Kontula", "Daghemmet Gårdsbacka", "0917703471", "Ostostie 4", "municipal", "fi", 105, (20, 52, 8, 4, 12), ("owned", None, "poor", 2028, 1020, 1967, True), {"preschool": True, "support": "intensified", "survey": (0.15, 4.1)}),
        ("kontulan-vuoro", "dc", "Vuorohoitopäiväkoti Kontula", "Daghemmet Gårdsbacka skiftomsorg", "0917703471", "Kontulankaari 3", "municipal", "fi", 56, (12, 30, 0, 0, 5), ("owned", None, "satisfactory", None, 610, 1982, True), {"shift": True, "caretakers": 8, "unit_of": "kontula", "survey": (0.18, 4.2)}),
        ("kontulan-perhepaivahoito", "fd", "Perhepäivähoito Kontula", "Familjedagvård Gårdsbacka", "0917703471", "", "municipal", "fi", 4, (2, 2, 0, 0, 0), (), {"no_capacity": True}),
        ("kontulan-leikkipuisto", "open", "Leikkipuisto Kontula", "Lekparken Gårdsbacka", "0917703471", "Keinulaudantie 5", "municipal", "fi", 0, (), ("owned", None, "fair", 2030, 150, 1978, True), {"no_capacity": True}),
        ("mellunmaki", "dc", "Päiväkoti Mellunmäki", "Daghemmet Mellungsbacka", "0917703473", "Mellunmäentie 19", "municipal", "fi", 84, (16, 44, 6, 2, 10), ("owned", None, "fair", 2030, 860, 1979, True), {"preschool": True, "survey": (0.2, 4.3)}),
        ("mellunmaen-ryhmis", "gfd", "Ryhmäperhepäiväkoti Mellunmäki", "Gruppfamiljedaghemmet Mellungsbacka", "0917703473", "Naulakalliontie 6", "municipal", "fi", 12, (5, 7, 0, 0, 0), ("leased", "2031-06-30", "satisfactory", None, 120, 1984, False), {"no_oph": True, "survey": (0.42, 4.5)}),
        ("mellunmaen-koulu", "sch", "Mellunmäen koulu", "Mellungsbacka skola", "0917703473", "Mellunmäentie 13", "municipal", "fi", 420, (440, 0), ("owned", None, "poor", 2027, 5200, 1976, True), {}),
        ("vuosaari", "dc", "Päiväkoti Vuosaari", "Daghemmet Nordsjö", "0917704541", "Kahvikuja 3", "municipal", "fi", 120, (22, 62, 6, 4, 14), ("owned", None, "good", None, 1180, 2012, True), {"preschool": True, "survey": (0.24, 4.4)}),
        ("nordsjo", "dc", "Daghemmet Nordsjö", "Daghemmet Nordsjö", "0917704541", "Vuotie 45", "municipal", "sv", 36, (6, 20, 0, 0, 6), ("leased-fixed-term", "2029-07-31", "satisfactory", None, 380, 1990, True), {"preschool": True, "survey": (0.38, 4.6)}),
        ("vuosaari-international", "dc", "International Daycare Vuosaari", "International Daycare Vuosaari", "0917704541", "Kallvikintie 28", "private", "en", 40, (8, 22, 0, 0, 0), ("leased", "2027-03-31", "good", None, 450, 2001, True), {"provider": "p3", "no_oph": True, "survey": (0.3, 4.5)}),
        ("meri-rastila", "dc", "Päiväkoti Meri-Rastila", "Daghemmet Havsrastböle", "0917704544", "Meri-Rastilan tie 3", "municipal", "fi", 90, (18, 44, 6, 4, 10), ("owned", None, "fair", 2032, 900, 1992, True), {"preschool": True, "support": "special", "survey": (0.16, 4.0), "moved": ("Jaluspolku 2", "2023-07-31")}),
        ("meri-rastilan-perhepaivahoito", "fd", "Perhepäivähoito Meri-Rastila", "Familjedagvård Havsrastböle", "0917704544", "", "municipal", "fi", 4, (2, 2, 0, 0, 0), (), {"survey": (0.5, 4.9)}),
        ("meri-rastilan-koulu", "sch", "Meri-Rastilan ala-asteen koulu", "Havsrastböle lågstadieskola", "0917704544", "Kaivosvoudintie 4", "municipal", "fi", 360, (330, 0), ("owned", None, "satisfactory", None, 4300, 1994, True), {}),
    ],
    "providers": {
        "p1": ("Satumetsä Varhaiskasvatus Oy", "Satumetsä Varhaiskasvatus Oy", "Satumetsä Early Education Ltd", "company", "3312457-9"),
        "p2": ("Helsingin seurakuntayhtymä", "Helsingfors kyrkliga samfällighet", "Helsinki Parish Union", "parish", None),
        "p3": ("Nordsjö International Preschool Oy", "Nordsjö International Preschool Ab", "Nordsjö International Preschool Ltd", "company", "3187764-9"),
    },
    # area: [(channel, language, sent, accepted, declined)] for school year 2025-2026
    "offers": {
        "101": [("e-service", "fi", 120, 108, 12), ("e-service", "sv", 40, 35, 5), ("printable-form", "fi", 12, 7, 5)],
        "205": [("e-service", "fi", 200, 176, 24), ("printable-form", "fi", 30, 21, 9)],
        "305": [("e-service", "fi", 150, 138, 12), ("e-service", "sv", 20, 20, 0)],
        "703": [("e-service", "fi", 210, 180, 30), ("printable-form", "fi", 40, 26, 14)],
        "704": [("e-service", "fi", 230, 205, 25), ("e-service", "sv", 15, 15, 0), ("printable-form", "fi", 35, 25, 10)],
    },
    # area: (full day, part day, full day with shift care) children aged 1-6 in need in 2026
    "needs": {
        "101": (250, 30, 2),
        "205": (440, 55, 14),
        "305": (330, 40, 6),
        "703": (420, 60, 48),
        "704": (460, 70, 20),
    },
    # (year, channel, ECEC applications)
    "applications": [
        (2024, "e-service", 7420),
        (2024, "printable-form", 610),
        (2024, "service-location", 170),
        (2025, "e-service", 7810),
        (2025, "printable-form", 420),
        (2025, "service-location", 120),
    ],
}

# --- Espoo 049 ------------------------------------------------------------
CITIES["049"] = {
    "slug": "espoo",
    "name": ("Espoo", "Esbo", "Espoo"),
    "org": ("Espoon kaupunki", "Esbo stad", "City of Espoo"),
    "base": "https://www.espoo.fi/servicenet/",
    "modified": "2025-09-30",
    "vintage": 2024,
    "forecast_publisher": ("Espoon kaupunki, tilastot ja tutkimus", "Esbo stad, statistik och forskning", "City of Espoo, statistics and research"),
    "major": [
        ("1", "Suur-Leppävaara", "Stor-Alberga"),
        ("2", "Suur-Tapiola", "Stor-Hagalund"),
        ("3", "Suur-Matinkylä", "Stor-Mattby"),
        ("4", "Suur-Espoonlahti", "Stor-Esboviken"),
        ("6", "Vanha-Espoo", "Gamla Esbo"),
    ],
    # district code, fi, sv, major district
    "districts": [],
    # planning area code, fi, sv, parent (district or major district), lat, lon,
    # children aged 1-6 in 2025, in 2030, Swedish-speaking share, other-language share
    "areas": [
        ("11", "Leppävaara", "Alberga", "1", 60.219, 24.813, 350, 370, 0.06, 0.3),
        ("21", "Tapiola", "Hagalund", "2", 60.176, 24.805, 200, 205, 0.14, 0.2),
        ("31", "Matinkylä", "Mattby", "3", 60.159, 24.738, 290, 315, 0.1, 0.35),
        ("41", "Espoonlahti", "Esboviken", "4", 60.149, 24.655, 185, 180, 0.05, 0.25),
        ("61", "Espoon keskus", "Esbo centrum", "6", 60.205, 24.656, 210, 220, 0.07, 0.3),
    ],
    "population_2024": {"11": 342, "21": 198, "31": 281, "41": 187, "61": 205},
    # Espoo's own options from its eVaka service_need_option table (LGPL-2.1 eVaka data; names and
    # figures as published there): the national concept each refines, hours, coefficient, validity.
    "options": {
        "full-day-35": ("full-day", "Kokopäiväinen vähintään 35 h", "Heldag minst 35 h", 35, None, 1.0, False, False, "2024-08-01", None, "84877c88-2e0c-11ef-a3d8-8b8fd78712d2"),
        "full-day-20-35": ("full-day", "Kokopäiväinen yli 20 alle 35 h", "Heldag över 20 under 35 h", 20, 35, 1.0, False, False, "2024-08-01", None, "84877eea-2e0c-11ef-a3d9-3f1e56964b24"),
        "part-day-20": ("part-day", "Osapäiväinen, enintään 20 h (enintään 5 h/pv)", "Deldag, högst 20 h (högst 5 h/dag)", None, 20, 0.54, True, False, "2024-08-01", None, "84878020-2e0c-11ef-a3dc-fb432cb2abbd"),
        "part-day-20-25": ("part-day", "Osapäiväinen, yli 20 h enintään 25 h (enintään 5 h/pv)", "Deldag, över 20 h högst 25 h (högst 5 h/dag)", 20, 25, 0.54, True, False, "2024-08-01", None, "84877fc6-2e0c-11ef-a3db-9f2939776019"),
        "five-year-old-free": ("five-year-old-free", "5-vuotiaiden maksuton (enintään 4 h/pv ja 20 h/vko)", "5-åringars avgiftsfria (högst 4 h/dag och 20 h/vecka)", None, 20, 0.5, True, False, "2024-08-01", None, "848784f8-2e0c-11ef-a3ea-bb2a64642396"),
        "pre-school": ("pre-school-only", "Esiopetus", "Förskola", None, None, 0.5, True, False, "2000-01-01", None, "107eaa94-b323-11eb-b0b7-2f56459b8df1"),
        "pre-school-daycare": ("pre-school-supplementary", "Esiopetus ja liittyvä varhaiskasvatus", "Förskola och kompletterande småbarnspedagogik", None, None, 1.0, True, False, "2000-01-01", None, "107eaaee-b323-11eb-b0b8-2f6eb7398208"),
        "preparatory": ("preparatory", "Valmistava opetus", "Förberedande undervisning", None, None, 0.5, True, False, "2000-01-01", None, "107eab3e-b323-11eb-b0b9-134dc826960a"),
        "part-week-35": ("part-week", "Osaviikkoinen, vähintään 35h", "Delvecka, minst 35h", 35, None, 1.0, False, True, "2000-01-01", "2024-07-31", "107ead64-b323-11eb-b0c0-cb9766593b25"),
    },
    "units": [
        ("leppavaara", "dc", "Päiväkoti Leppävaara", "Daghemmet Alberga", "11", "Läkkisepänkuja 6", "municipal", "fi", 110, (22, 60, 6, 2, 12), ("owned", None, "good", None, 1120, 2014, True), {"preschool": True, "survey": (0.25, 4.3)}),
        ("hevosenkenka", "dc", "Päiväkoti Hevosenkenkä", "Daghemmet Hästskon", "11", "Hevosenkenkä 3", "municipal", "fi", 84, (16, 46, 4, 2, 8), ("leased-fixed-term", "2027-07-31", "fair", 2028, 820, 1983, True), {"preschool": True, "survey": (0.22, 4.0)}),
        ("alberga-daghem", "dc", "Daghemmet Alberga", "Daghemmet Alberga", "11", "Vanha maantie 5", "municipal", "sv", 40, (6, 22, 2, 0, 6), ("owned", None, "satisfactory", None, 430, 1996, True), {"preschool": True, "survey": (0.4, 4.6)}),
        ("leppavaaran-koulu", "sch", "Leppävaaran koulu", "Alberga skola", "11", "Veräjäpellonkatu 15", "municipal", "fi", 600, (560, 0), ("owned", None, "satisfactory", 2036, 7600, 1958, True), {}),
        ("leppavaara-vuoro", "dc", "Vuorohoitopäiväkoti Leppävaara", "Daghemmet Alberga skiftomsorg", "11", "Leppävaarankatu 9", "municipal", "fi", 48, (10, 26, 0, 0, 0), ("owned", None, "good", None, 520, 2010, True), {"shift": True, "survey": (0.2, 4.2)}),
        ("tapiola", "dc", "Päiväkoti Tapiola", "Daghemmet Hagalund", "21", "Tapiolantie 3", "municipal", "fi", 90, (18, 50, 4, 2, 8), ("owned", None, "poor", 2027, 860, 1957, False), {"preschool": True, "survey": (0.24, 4.1)}),
        ("lilla-hagalund", "dc", "Daghemmet Lilla Hagalund", "Daghemmet Lilla Hagalund", "21", "Itätuulenkuja 4", "municipal", "sv", 56, (10, 30, 2, 0, 8), ("owned", None, "good", None, 600, 2018, True), {"preschool": True, "survey": (0.42, 4.7)}),
        ("tapiolan-montessori", "dc", "Montessori-päiväkoti Tapiola", "Montessoridaghemmet Hagalund", "21", "Menninkäisentie 2", "purchased", "fi", 36, (6, 22, 0, 0, 0), ("leased", "2030-12-31", "satisfactory", None, 380, 1965, False), {"provider": "p1", "emphasis": ("Montessori", "Montessori", "Montessori"), "survey": (0.33, 4.6)}),
        ("tapiolan-koulu", "sch", "Tapiolan koulu", "Hagalunds skola", "21", "Opintie 2", "municipal", "fi", 520, (300, 190), ("owned", None, "fair", 2029, 6900, 1955, True), {}),
        ("matinkyla", "dc", "Päiväkoti Matinkylä", "Daghemmet Mattby", "31", "Matinkatu 11", "municipal", "fi", 105, (20, 56, 6, 2, 10), ("owned", None, "satisfactory", None, 1000, 2004, True), {"preschool": True, "survey": (0.21, 4.2)}),
        ("mattliden", "dc", "Daghemmet Mattliden", "Daghemmet Mattliden", "31", "Mattlidsslingan 2", "municipal", "sv", 50, (8, 28, 2, 0, 8), ("owned", None, "fair", 2031, 520, 1981, True), {"preschool": True, "survey": (0.44, 4.5)}),
        ("mattlidens-skola", "sch", "Mattlidenin koulu", "Mattlidens skola", "31", "Mattlidsslingan 4", "municipal", "sv", 420, (250, 160), ("owned", None, "good", None, 6000, 2017, True), {}),
        ("piispansilta", "dc", "Päiväkoti Piispansilta", "Daghemmet Biskopsbron", "31", "Piispansilta 8", "service-voucher", "fi", 60, (12, 36, 0, 0, 0), ("leased", "2032-02-29", "good", None, 620, 2015, True), {"provider": "p2", "survey": (0.3, 4.4)}),
        ("matinkylan-perhepaivahoito", "fd", "Perhepäivähoito Matinkylä", "Familjedagvård Mattby", "31", "", "municipal", "fi", 4, (1, 3, 0, 0, 0), (), {"no_oph": True, "survey": (0.5, 4.8)}),
        ("espoonlahti", "dc", "Päiväkoti Espoonlahti", "Daghemmet Esboviken", "41", "Lippajärventie 24", "municipal", "fi", 98, (18, 54, 6, 2, 10), ("owned", None, "satisfactory", 2034, 950, 1990, True), {"preschool": True, "survey": (0.2, 4.1)}),
        ("soukka", "dc", "Päiväkoti Soukka", "Daghemmet Sökö", "41", "Soukankuja 4", "municipal", "fi", 70, (14, 38, 4, 2, 6), ("leased-fixed-term", "2026-12-31", "poor", 2026, 640, 1972, False), {"preschool": True, "survey": (0.18, 3.8)}),
        ("kivenlahti-ryhmis", "gfd", "Ryhmäperhepäiväkoti Kivenlahti", "Gruppfamiljedaghemmet Stensvik", "41", "Kivenlahdentie 6", "municipal", "fi", 12, (5, 7, 0, 0, 0), ("leased", "2028-06-30", "satisfactory", None, 115, 1976, False), {"survey": (0.5, 4.6)}),
        ("espoonlahden-koulu", "sch", "Espoonlahden koulu", "Esbovikens skola", "41", "Kivenlahdentie 3", "municipal", "fi", 640, (380, 250), ("owned", None, "poor", 2028, 8200, 1978, True), {}),
        ("espoon-keskus", "dc", "Päiväkoti Kirkkojärvi", "Daghemmet Kyrkträsk", "61", "Kirkkojärventie 6", "municipal", "fi", 84, (16, 46, 4, 2, 8), ("owned", None, "good", None, 840, 2012, True), {"preschool": True, "survey": (0.23, 4.3)}),
        ("kamreeri", "dc", "Päiväkoti Kamreeri", "Daghemmet Kamrern", "61", "Kamreerintie 2", "municipal", "fi", 63, (12, 34, 2, 2, 6), ("owned", None, "fair", 2030, 600, 1980, True), {"preschool": True, "places2024": 70, "survey": (0.2, 4.0)}),
        ("esbo-centrum-daghem", "dc", "Daghemmet Esbo centrum", "Daghemmet Esbo centrum", "61", "Espoonkatu 3", "municipal", "sv", 30, (5, 16, 2, 0, 5), ("leased-fixed-term", "2029-07-31", "satisfactory", None, 330, 1988, True), {"preschool": True, "survey": (0.45, 4.6)}),
        ("kirkkojarven-koulu", "sch", "Kirkkojärven koulu", "Kyrkträsk skola", "61", "Kirkkojärventie 12", "municipal", "fi", 900, (500, 330), ("owned", None, "good", None, 11000, 2010, True), {}),
        ("espoon-keskuksen-kerho", "club", "Espoon keskuksen kerho", "Klubben i Esbo centrum", "61", "Kirkkokatu 1", "private", "fi", 20, (0, 0, 0, 0, 0), ("leased", None, "satisfactory", None, 80, 1970, False), {"provider": "p3", "club_children": 20}),
        ("leppavaaran-leikkipuisto", "open", "Leikkipuisto Leppävaara", "Lekparken Alberga", "11", "Säterinkatu 4", "municipal", "fi", 0, (), ("owned", None, "good", None, 130, 2008, True), {"no_capacity": True}),
    ],
    "providers": {
        "p1": ("Montessori-yhdistys Tapiola ry", "Montessoriföreningen Hagalund rf", "Tapiola Montessori Association", "association", "0718430-8"),
        "p2": ("Pikku Piispa Oy", "Pikku Piispa Ab", "Pikku Piispa Ltd", "company", "3056782-5"),
        "p3": ("Espoon seurakuntayhtymä", "Esbo kyrkliga samfällighet", "Espoo Parish Union", "parish", None),
    },
    # area: [(channel, language, sent, accepted, declined)] for school year 2025-2026
    "offers": {
        "11": [("e-service", "fi", 180, 160, 20), ("e-service", "sv", 25, 25, 0)],
        "21": [("e-service", "fi", 110, 95, 15), ("e-service", "sv", 35, 30, 5)],
        "31": [("e-service", "fi", 150, 132, 18), ("printable-form", "fi", 20, 14, 6)],
        "41": [("e-service", "fi", 160, 140, 20)],
        "61": [("e-service", "fi", 120, 100, 20), ("e-service", "sv", 15, 10, 5)],
    },
    # area: (full day, part day, full day with shift care) children aged 1-6 in need in 2026
    "needs": {
        "11": (360, 40, 18),
        "21": (250, 30, 4),
        "31": (320, 35, 10),
        "41": (310, 40, 8),
        "61": (240, 30, 6),
    },
    # (year, channel, ECEC applications)
    "applications": [
        (2024, "e-service", 6200),
        (2024, "printable-form", 300),
        (2024, "service-location", 100),
        (2025, "e-service", 6500),
        (2025, "printable-form", 200),
        (2025, "service-location", 80),
    ],
}

# --- Vantaa 092 ------------------------------------------------------------
CITIES["092"] = {
    "slug": "vantaa",
    "name": ("Vantaa", "Vanda", "Vantaa"),
    "org": ("Vantaan kaupunki", "Vanda stad", "City of Vantaa"),
    "base": "https://data.vantaa.fi/servicenet/",
    "modified": "2025-08-20",
    "vintage": 2025,
    "forecast_publisher": ("Vantaan kaupunki, tutkimus ja tilastot", "Vanda stad, forskning och statistik", "City of Vantaa, research and statistics"),
    "major": [],
    # district code, fi, sv, major district
    "districts": [],
    # planning area code, fi, sv, parent (district or major district), lat, lon,
    # children aged 1-6 in 2025, in 2030, Swedish-speaking share, other-language share
    "areas": [
        ("1", "Myyrmäki", "Myrbacka", None, 60.261, 24.854, 290, 300, 0.03, 0.35),
        ("4", "Tikkurila", "Dickursby", None, 60.292, 25.04, 260, 270, 0.05, 0.3),
        ("5", "Koivukylä", "Björkby", None, 60.323, 25.057, 225, 230, 0.03, 0.4),
        ("6", "Korso", "Korso", None, 60.35, 25.08, 115, 110, 0.05, 0.3),
        ("7", "Hakunila", "Håkansböle", None, 60.275, 25.11, 205, 220, 0.03, 0.5),
    ],
    "population_2024": {"1": 284, "4": 255, "5": 221, "6": 117, "7": 198},
    # Example ECEC service areas (plausible, not Vantaa's official organisation).
    "service_areas": {
        "west": ("Länsi-Vantaan varhaiskasvatus", "Västra Vandas småbarnspedagogik", ("1",)),
        "east": ("Itä-Vantaan varhaiskasvatus", "Östra Vandas småbarnspedagogik", ("4", "5", "6", "7")),
    },
    "units": [
        ("myyrmaki", "dc", "Päiväkoti Myyrmäki", "Daghemmet Myrbacka", "1", "Liesikuja 2", "municipal", "fi", 105, (22, 58, 6, 2, 10), ("owned", None, "satisfactory", None, 1000, 1998, True), {"preschool": True, "survey": (0.2, 4.2)}),
        ("kilteri", "dc", "Päiväkoti Kilteri", "Daghemmet Kilteri", "1", "Kilterinraitti 6", "municipal", "fi", 84, (16, 48, 4, 2, 8), ("owned", None, "poor", 2027, 800, 1975, False), {"preschool": True, "survey": (0.18, 3.9)}),
        ("myrbacka-daghem", "dc", "Daghemmet Myrbacka", "Daghemmet Myrbacka", "1", "Myyrmäenraitti 5", "municipal", "sv", 36, (6, 20, 2, 0, 6), ("leased-fixed-term", "2028-07-31", "satisfactory", None, 360, 1986, True), {"preschool": True, "survey": (0.4, 4.6)}),
        ("myyrmaen-koulu", "sch", "Myyrmäen koulu", "Myrbacka skola", "1", "Paalutori 2", "municipal", "fi", 640, (380, 250), ("owned", None, "fair", 2030, 8000, 1980, True), {}),
        ("tikkurila", "dc", "Päiväkoti Tikkurila", "Daghemmet Dickursby", "4", "Lummetie 5", "municipal", "fi", 98, (20, 52, 6, 2, 10), ("owned", None, "good", None, 980, 2015, True), {"preschool": True, "survey": (0.23, 4.4)}),
        ("kielo", "dc", "Päiväkoti Kielo", "Daghemmet Liljekonvaljen", "4", "Kielotie 28", "service-voucher", "fi", 54, (10, 32, 0, 0, 0), ("leased", "2027-09-30", "satisfactory", None, 560, 1992, True), {"provider": "p1", "survey": (0.3, 4.3)}),
        ("dickursby-daghem", "dc", "Daghemmet Dickursby", "Daghemmet Dickursby", "4", "Asematie 6", "municipal", "sv", 42, (8, 22, 2, 0, 6), ("owned", None, "fair", 2031, 440, 1979, True), {"preschool": True, "survey": (0.43, 4.6)}),
        ("tikkurilan-vuoro", "dc", "Vuorohoitopäiväkoti Tikkurila", "Daghemmet Dickursby skiftomsorg", "4", "Ratatie 11", "municipal", "fi", 42, (8, 24, 0, 0, 0), ("leased-fixed-term", "2026-06-30", "satisfactory", None, 450, 1990, True), {"shift": True, "caretakers": 6, "survey": (0.2, 4.1)}),
        ("koivukyla", "dc", "Päiväkoti Koivukylä", "Daghemmet Björkby", "5", "Koivukylänväylä 17", "municipal", "fi", 90, (12, 40, 4, 2, 6), ("owned", None, "very-poor", 2025, 870, 1973, False), {"preschool": True, "survey": (0.16, 3.7)}),
        ("rautkallio", "dc", "Päiväkoti Rautkallio", "Daghemmet Järnberget", "5", "Rautkallionkatu 3", "municipal", "fi", 70, (14, 40, 2, 0, 6), ("owned", None, "good", None, 700, 2013, True), {"preschool": True, "survey": (0.2, 4.3)}),
        ("koivukylan-koulu", "sch", "Koivukylän koulu", "Björkby skola", "5", "Karivaaranpolku 8", "municipal", "fi", 480, (300, 190), ("owned", None, "poor", 2026, 6300, 1974, True), {}),
        ("koivukylan-perhepaivahoito", "fd", "Perhepäivähoito Koivukylä", "Familjedagvård Björkby", "5", "", "municipal", "fi", 4, (1, 3, 0, 0, 0), (), {"no_oph": True, "survey": (0.5, 4.7)}),
        ("korso", "dc", "Päiväkoti Korso", "Daghemmet Korso", "6", "Urpiaisentie 14", "municipal", "fi", 84, (16, 46, 4, 2, 8), ("owned", None, "satisfactory", 2035, 830, 1988, True), {"preschool": True, "survey": (0.22, 4.2)}),
        ("korson-ryhmis", "gfd", "Ryhmäperhepäiväkoti Korso", "Gruppfamiljedaghemmet Korso", "6", "Korsontie 32", "municipal", "fi", 12, (5, 7, 0, 0, 0), ("leased", "2030-05-31", "fair", None, 120, 1970, False), {"survey": (0.5, 4.5)}),
        ("korson-koulu", "sch", "Korson koulu", "Korso skola", "6", "Naavatie 6", "municipal", "fi", 400, (390, 0), ("owned", None, "satisfactory", None, 4800, 1985, True), {}),
        ("hakunila", "dc", "Päiväkoti Hakunila", "Daghemmet Håkansböle", "7", "Hakunilantie 48", "municipal", "fi", 105, (22, 56, 6, 4, 10), ("owned", None, "fair", 2029, 1000, 1977, True), {"preschool": True, "support": "special", "survey": (0.15, 4.0)}),
        ("kannuskuja", "dc", "Päiväkoti Kannus", "Daghemmet Sporren", "7", "Kannuskuja 4", "purchased", "fi", 60, (12, 36, 0, 0, 0), ("leased", "2031-12-31", "good", None, 640, 2020, True), {"provider": "p2", "survey": (0.27, 4.4)}),
        ("hakunilan-koulu", "sch", "Hakunilan koulu", "Håkansböle skola", "7", "Hakunilantie 52", "municipal", "fi", 560, (330, 210), ("owned", None, "satisfactory", 2033, 7100, 1975, True), {}),
        ("hakunilan-kerho", "club", "Hakunilan kerho", "Klubben i Håkansböle", "7", "Hakunilantie 40", "municipal", "fi", 20, (0, 0, 0, 0, 0), ("owned", None, "good", None, 90, 2000, True), {"club_children": 14}),
        ("myyrmaen-leikkipuisto", "open", "Leikkipuisto Myyrmäki", "Lekparken Myrbacka", "1", "Jönsaksentie 4", "municipal", "fi", 0, (), ("owned", None, "good", None, 110, 2012, True), {"no_capacity": True}),
    ],
    "providers": {
        "p1": ("Kielo Päiväkodit Oy", "Kielo Daghem Ab", "Kielo Daycare Ltd", "company", "2948113-5"),
        "p2": ("Kannus Varhaiskasvatus Oy", "Kannus Småbarnspedagogik Ab", "Kannus Early Education Ltd", "company", "3164020-3"),
    },
    # area: [(channel, language, sent, accepted, declined)] for school year 2025-2026
    "offers": {
        "1": [("e-service", "fi", 190, 165, 25), ("e-service", "sv", 12, 12, 0)],
        "4": [("e-service", "fi", 170, 150, 20), ("e-service", "sv", 20, 15, 5)],
        "5": [("e-service", "fi", 150, 120, 30), ("printable-form", "fi", 25, 15, 10)],
        "6": [("e-service", "fi", 130, 115, 15)],
        "7": [("e-service", "fi", 140, 115, 25), ("printable-form", "fi", 30, 18, 12)],
    },
    # area: (full day, part day, full day with shift care) children aged 1-6 in need in 2026
    "needs": {
        "1": (320, 40, 10),
        "4": (300, 35, 16),
        "5": (250, 30, 8),
        "6": (210, 25, 4),
        "7": (240, 30, 6),
    },
    # (year, channel, ECEC applications)
    "applications": [
        (2024, "e-service", 5100),
        (2024, "printable-form", 500),
        (2024, "service-location", 200),
        (2025, "e-service", 5400),
        (2025, "printable-form", 350),
        (2025, "service-location", 150),
    ],
}

# --- Kauniainen 235 ------------------------------------------------------------
CITIES["235"] = {
    "slug": "kauniainen",
    "name": ("Kauniainen", "Grankulla", "Kauniainen"),
    "org": ("Kauniaisten kaupunki", "Grankulla stad", "City of Kauniainen"),
    "base": "https://data.kauniainen.fi/servicenet/",
    "modified": "2025-06-12",
    "vintage": 2024,
    "forecast_publisher": ("Kauniaisten kaupunki", "Grankulla stad", "City of Kauniainen"),
    "major": [],
    # district code, fi, sv, major district
    "districts": [],
    # planning area code, fi, sv, parent (district or major district), lat, lon,
    # children aged 1-6 in 2025, in 2030, Swedish-speaking share, other-language share
    "areas": [
        ("1", "Keskusta", "Centrum", None, 60.211, 24.729, 160, 150, 0.4, 0.08),
        ("2", "Kasavuori", "Kasaberget", None, 60.216, 24.712, 120, 125, 0.3, 0.08),
    ],
    "population_2024": {"1": 164, "2": 118},
    "units": [
        ("mantyla", "dc", "Päiväkoti Mäntylä", "Daghemmet Mäntylä", "1", "Kauppalantie 10", "municipal", "fi", 70, (12, 38, 4, 2, 8), ("owned", None, "satisfactory", None, 700, 1994, True), {"preschool": True, "survey": (0.3, 4.5)}),
        ("villa-bergen", "dc", "Päiväkoti Villa Bergen", "Daghemmet Villa Bergen", "1", "Tunnelitie 4", "municipal", "sv", 60, (10, 34, 2, 0, 8), ("owned", None, "fair", 2030, 620, 1938, False), {"preschool": True, "survey": (0.5, 4.7)}),
        ("martensbro-skola", "sch", "Mårtensbron koulu", "Mårtensbro skola", "1", "Asematie 6", "municipal", "sv", 230, (210, 0), ("owned", None, "good", None, 2900, 2006, True), {}),
        ("granhultsskolan", "sch", "Granhultin koulu", "Granhultsskolan", "1", "Kauniaistentie 2", "municipal", "sv", 260, (240, 0), ("owned", None, "satisfactory", 2032, 3100, 1964, True), {}),
        ("kasavuori", "dc", "Päiväkoti Kasavuori", "Daghemmet Kasaberget", "2", "Kavallintie 33", "municipal", "fi", 56, (6, 26, 2, 2, 6), ("leased-fixed-term", "2027-07-31", "poor", 2027, 520, 1979, True), {"preschool": True, "survey": (0.3, 4.2)}),
        ("gallerian-daghem", "dc", "Päiväkoti Gallerian", "Daghemmet Gallerian", "2", "Thurmaninpuistotie 5", "service-voucher", "sv", 28, (6, 16, 0, 0, 0), ("leased", "2029-12-31", "good", None, 300, 2009, True), {"provider": "p1", "survey": (0.4, 4.6)}),
        ("kasavuoren-koulu", "sch", "Kasavuoren koulu", "Kasabergets skola", "2", "Kasavuorentie 3", "municipal", "fi", 600, (300, 240), ("owned", None, "fair", 2029, 7400, 1971, True), {}),
        ("kauniaisten-perhepaivahoito", "fd", "Perhepäivähoito Kauniainen", "Familjedagvård Grankulla", "2", "", "municipal", "fi", 4, (2, 2, 0, 0, 0), (), {"no_oph": True, "survey": (0.5, 4.8)}),
    ],
    "providers": {
        "p1": ("Gallerian Småbarnspedagogik Ab", "Gallerian Småbarnspedagogik Ab", "Gallerian Early Education Ltd", "company", "3221908-2"),
    },
    # area: [(channel, language, sent, accepted, declined)] for school year 2025-2026
    "offers": {
        "1": [("e-service", "fi", 20, 15, 5), ("e-service", "sv", 18, 18, 0)],
        "2": [("e-service", "fi", 16, 16, 0), ("e-service", "sv", 10, 10, 0)],
    },
    # area: (full day, part day, full day with shift care) children aged 1-6 in need in 2026
    "needs": {
        "1": (120, 12, 0),
        "2": (100, 10, 2),
    },
    # (year, channel, ECEC applications)
    "applications": [
        (2024, "e-service", 380),
        (2024, "printable-form", 20),
        (2025, "e-service", 410),
        (2025, "printable-form", 10),
    ],
}

# fmt: on
