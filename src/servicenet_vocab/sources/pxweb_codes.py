"""What a PxWeb table's variables and value codes mean: which variable is the area, the age, the
year, the forecast's vintage and scenario; age bands as intervals; totals; reference days.

StatFin names its variables with version-stamped codes (``alue_23_20260101``,
``ikaryhma_10_20180101``, ``sukupuoli_9_20180101``, ``timeperiod_y``) and totals ``SSS``;
Aluesarjat names them in Finnish (``Alue``, ``Ikä``, ``Äidinkieli``, ``Laatimisvuosi ja
vaihtoehto``, ``Vuosi``) and totals ``ALL``; CSV exports give the texts only. Every test here is
on the code and on the texts in every language the table gives.

    >>> age_interval("100-"), age_interval("0 - 4"), age_interval("000"), age_interval("85 -")
    ((100, None), (0, 4), (0, 0), (85, None))
    >>> age_interval("3-6 years (HE)"), age_interval("85 years or over (HE)"), age_interval("SSS")
    ((3, 6), (85, None), (0, None))
    >>> age_notation((7, 17)), age_notation((5, 5)), age_notation((0, None))
    ('7-17', '5', '0-')
    >>> vintage_of("PER24", ""), vintage_of("E2025", ""), vintage_of("2024", "")
    ((2024, 'baseline'), (2025, None), (2024, None))
"""

from __future__ import annotations

import re

from servicenet_vocab.sources.pxweb_formats import Dimension

__all__ = [
    "age_interval",
    "age_notation",
    "is_total",
    "reference_day_in",
    "role_of",
    "vintage_of",
]

_ROLE_NAMES = {
    "vintage": {
        "laatimisvuosi ja vaihtoehto",
        "laatimisvuosi",
        "ennusteen laatimisvuosi",
        "utarbetningsår och alternativ",
        "vintage and scenario",
        "ennustevaihtoehto",
    },
    "area": {
        "alue",
        "område",
        "region",
        "area",
        "postinumeroalue",
        "postal code area",
        "postnummerområde",
        "kunta",
        "kommun",
        "municipality",
    },
    "age": {"ikä", "ålder", "age", "ikäryhmä", "åldersgrupp", "age group", "ikäluokka"},
    "sex": {"sukupuoli", "kön", "sex", "gender"},
    "tongue": {"äidinkieli", "modersmål", "mother tongue", "kieli", "språk", "language"},
    "time": {"vuosi", "år", "year", "tilastovuosi", "statistikår"},
    "contents": {"tiedot", "uppgifter", "information", "tieto", "muuttuja"},
}
_CODE_PREFIXES = (
    ("vintage", "laatimis"),
    ("area", "alue"),
    ("age", "ika"),
    ("sex", "sukupuoli"),
    ("tongue", "kieli"),
    ("tongue", "aidinkieli"),
    ("time", "timeperiod"),
    ("time", "vuosi"),
    ("contents", "contentscode"),
    ("contents", "tiedot"),
)
TOTAL_CODES = {"SSS", "ALL", "S", "YHT", "TOTAL", "KAIKKI", "000000"}
_TOTAL_TEXTS = {
    "yhteensä",
    "totalt",
    "total",
    "kaikki",
    "alla",
    "all",
    "kaikki yhteensä",
    "koko maa",
    "hela landet",
    "whole country",
    "kaikki kielet",
    "alla språk",
    "all languages",
    "kaikki ikäryhmät",
    "alla åldrar",
    "all ages",
}


def role_of(dimension: Dimension) -> str:
    """``area``, ``age``, ``sex``, ``tongue``, ``vintage``, ``time``, ``contents`` or ``other``."""
    names = {name.strip().casefold() for name in dimension.names.values()}
    for role, known in _ROLE_NAMES.items():
        if names & known:
            return role
    code = dimension.code.casefold()
    for role, prefix in _CODE_PREFIXES:
        if code.startswith(prefix):
            return role
    if dimension.role == "geo":
        return "area"
    if dimension.time or dimension.role == "time":
        return "time"
    if dimension.contents or dimension.role == "metric":
        return "contents"
    return "other"


def is_total(dimension: Dimension, code: str) -> bool:
    if code.upper() in TOTAL_CODES:
        return True
    return any(
        texts.get(code, "").strip().casefold() in _TOTAL_TEXTS for texts in dimension.texts.values()
    )


_BAND = re.compile(r"^(\d{1,3})\s*[-–]\s*(\d{1,3})$")
_OPEN = re.compile(
    r"^(\d{1,3})\s*(?:[-–+]|or over|and over|tai yli|vuotta täyttäneet|och äldre|år och äldre)$"
)
_SINGLE = re.compile(r"^(\d{1,3})$")
_NOISE = re.compile(
    r"\s*\((?:HE|he)\)\s*$|\s*(?:years?|vuotta|vuotiaat|-vuotiaat|v\.|år|åringar)\b\.?", re.I
)


def age_interval(text: str) -> tuple[int, int | None] | None:
    """The completed-years interval an age code or text names (``None`` if it names none); an
    open band has no upper bound; a total is ``(0, None)``."""
    cleaned = text.strip()
    if cleaned.upper() in TOTAL_CODES or cleaned.casefold() in _TOTAL_TEXTS:
        return (0, None)
    cleaned = _NOISE.sub(" ", cleaned).strip()
    cleaned = re.sub(r"\s+", " ", cleaned).removeprefix("aged ").strip()
    found = _BAND.match(cleaned)
    if found:
        low, high = int(found.group(1)), int(found.group(2))
        return (low, high) if low <= high else None
    found = _OPEN.match(cleaned)
    if found:
        return (int(found.group(1)), None)
    found = _SINGLE.match(cleaned)
    if found:
        return (int(found.group(1)), int(found.group(1)))
    return None


def age_notation(interval: tuple[int, int | None]) -> str:
    """The age-group notation of an interval (the code list's notation names its interval)."""
    low, high = interval
    if high is None:
        return f"{low}-"
    return str(low) if low == high else f"{low}-{high}"


_VINTAGE = re.compile(r"^([A-Za-zÄÖäö]*)[ _-]?(\d{4}|\d{2})[ _-]?([A-Za-zÄÖäö]*)$")
_SCENARIO_WORDS = {
    "baseline": {"per", "p", "perus", "perusvaihtoehto", "pv", "base", "baseline", "bas"},
    "high": {"nop", "nopea", "n", "k", "kork", "korkea", "high", "hög"},
    "low": {"hid", "hidas", "h", "m", "mat", "matala", "low", "låg"},
}
_PLAIN = {"", "e", "enn", "ennuste", "v"}


def vintage_of(code: str, text: str) -> tuple[int, str | None] | None:
    """(vintage year, scenario notation or None when the code gives only the year) of a code of
    "Laatimisvuosi ja vaihtoehto" (``PER24`` = 2024 baseline, ``E2025``, ``2024``); None if the
    code is not one."""
    found = _VINTAGE.match(code.strip())
    if not found:
        return None
    year = int(found.group(2))
    if year < 100:
        year += 2000
    words = {found.group(1).casefold(), found.group(3).casefold()} - {""}
    scenario = None
    for word in words:
        for notation, known in _SCENARIO_WORDS.items():
            if word in known:
                scenario = notation
        if scenario is None and word not in _PLAIN:
            return None
    if scenario is None and text:  # "2024 perusvaihtoehto", "Nopean kasvun vaihtoehto 2024"
        lowered = text.casefold()
        for notation, known in _SCENARIO_WORDS.items():
            if any(len(word) > 3 and word in lowered for word in known):
                scenario = notation
    return year, scenario


_DEC_31 = re.compile(r"\b31\.\s?12\.?")
_JAN_1 = re.compile(r"(?<![\d.])1\.\s?1\.")


def reference_day_in(texts: list[str]) -> tuple[int, int] | None:
    """(month, day) of the population's reference day named in a title ("Väestö 31.12.")."""
    for text in texts:
        if _DEC_31.search(text):
            return (12, 31)
        if _JAN_1.search(text):
            return (1, 1)
    return None
