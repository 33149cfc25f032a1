"""Which field of a layer holds what, and which level of division the layer is.

Inferred from Helsinki/Espoo WFS and Statistics Finland naming (``kokotunnus``, ``tunnus``,
``nimi_fi``, ``nimi_se``, ``aluejako``, ``toimipiste_id``, ``lukuvuosi``, ``postal_code``...), the
layer name (``Esiopetusalue_suomi``, ``Oppilaaksiottoalueet_ruotsinkielinen_ala_aste``) and the
``aluejako`` value; every choice can be given instead with ``--option``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.sources.areas.layer import LayerInfo

__all__ = ["HIERARCHY", "LEVELS", "Columns", "infer_columns"]

# area-level notation -> (class, IRI prefix under area/); the IRI gets the area code after it
LEVELS = {
    "major-district": ("MajorDistrict", "major-"),
    "district": ("District", "district-"),
    "sub-district": ("SubDistrict", ""),
    "postal-code-area": ("PostalCodeArea", "postcode-"),
    "grid-cell": ("StatisticalGridCell", "grid-"),
    "catchment-area": ("CatchmentArea", "catchment-"),
    "service-area": ("ServiceArea", "service-area-"),
}
# the statistical hierarchy, top down, and the column prefixes of a layer that carries it
HIERARCHY = ("major-district", "district", "sub-district")
_CHAIN_PREFIX = {"major-district": "suurpiiri", "district": "peruspiiri", "sub-district": "osaalue"}
# Helsinki's small areas (pienalue) lie below the lowest level of the code list: such a layer
# gives the hierarchy its features carry, not areas of its own.
HIERARCHY_ONLY = "pienalue"
_ALUEJAKO = {
    "osa-alue": "sub-district",
    "osaalue": "sub-district",
    "peruspiiri": "district",
    "suurpiiri": "major-district",
    "pienalue": HIERARCHY_ONLY,
    "postinumeroalue": "postal-code-area",
}
KINDS = {"pre-school": "pre-school", "grades-1-6": "1-6", "grades-7-9": "7-9"}
_KIND_HINTS = (
    (re.compile(r"esiopetus|forskola|preschool"), "pre-school"),
    (re.compile(r"ala_?aste|lagstadie|1_?6"), "grades-1-6"),
    (re.compile(r"yla_?aste|hogstadie|7_?9"), "grades-7-9"),
)
_CATCHMENT = re.compile(r"esiopetus|oppilaaksiotto|_ooa_|catchment|upptagning")
_LANGUAGE_HINTS = ((re.compile(r"ruotsi|svensk|_sv(_|$)|_se(_|$)"), "sv"),
                   (re.compile(r"suomi|suomenk|finsk|_fi(_|$)"), "fi"))  # fmt: skip
_POSTAL = re.compile(r"posti|postal|paavo")

_CODE = {
    "catchment-area": ("id", "tunnus", "koodi", "code"),
    "postal-code-area": ("postinumero", "postal_code", "posti_alue", "postinumeroalue", "tunnus"),
}
_STATISTICAL_CODE = ("kokotunnus", "tunnus", "koodi", "code", "id")
_NAME_FI = ("nimi_fi", "nimi_suomi", "name_fi", "nimi_fin")
_NAME_SV = ("nimi_se", "nimi_sv", "namn", "name_sv", "nimi_ruotsi", "nimi_swe", "namn_sv")
_NAME_ANY = ("nimi", "name")
_MUNICIPALITY = ("kunta", "kuntakoodi", "kunta_koodi", "kuntanro", "municipality")
_UNIT = ("toimipiste_id", "toimipaikka_id", "unit_id", "koulu_id", "tpr_id")
_YEAR = ("lukuvuosi", "school_year", "lasar")
_LANGUAGE = ("opetuskieli", "kieli", "language", "sprak")


@dataclass(frozen=True)
class Columns:
    """The layer's fields by role (``None``: not in the layer) and the constants given."""

    level: str | None  # fixed by --option level or the layer name; else per feature (aluejako)
    aluejako: str | None
    code: str | None
    name_fi: str | None
    name_sv: str | None
    municipality: str | None
    parent: str | None  # code of the area one level up
    chain: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    unit: str | None = None
    school_year: str | None = None
    language: str | None = None
    kind: str | None = None  # catchment-kind notation
    language_value: str | None = None  # fi/sv from --option language or the layer name


def _option_field(info: LayerInfo, options: dict[str, str], key: str, where: Location) -> str:
    found = info.field(options[key])
    if found is None:
        raise InputError(
            f"--option {key}={options[key]}: the layer has no such field; its fields: "
            f"{', '.join(info.fields)}",
            location=where,
        )
    return found


def _pick(
    info: LayerInfo, options: dict[str, str], key: str, candidates: tuple[str, ...], where: Location
) -> str | None:
    if key in options:
        return _option_field(info, options, key, where)
    return info.field(*candidates)


def infer_level(info: LayerInfo, options: dict[str, str], source: str) -> str | None:
    """The layer's level from --option level or its name; ``None``: read ``aluejako`` per feature."""
    if "level" in options:
        level = options["level"]
        if level not in LEVELS:
            raise InputError(
                f"--option level={level}: not an area level; levels: {', '.join(LEVELS)}",
                location=Location(source=source, field="level"),
            )
        return level
    name = info.name.lower()
    if _CATCHMENT.search(name):
        return "catchment-area"
    if info.field("aluejako"):
        return None
    if _POSTAL.search(name) or info.field(*_CODE["postal-code-area"][:4]):
        return "postal-code-area"
    raise InputError(
        f"cannot tell which level of division layer {info.name!r} is (no 'aluejako' field, no "
        f"hint in its name); give --option level=LEVEL ({', '.join(LEVELS)})",
        location=Location(source=source),
    )


def level_of_aluejako(value: str | None, layer_level: str | None) -> str | None:
    """A feature's level: the layer's, else its ``aluejako`` value (``None`` if not known)."""
    if layer_level is not None:
        return layer_level
    text = (value or "").strip().lower()
    if text in _ALUEJAKO:
        return _ALUEJAKO[text]
    if _CATCHMENT.search(f"_{text}_"):
        return "catchment-area"
    return None


def infer_columns(info: LayerInfo, options: dict[str, str], source: str) -> Columns:
    where = Location(source=source)
    level = infer_level(info, options, source)
    layer_name = info.name.lower()
    language = options.get("language")
    if language is None:
        language = next((lang for rx, lang in _LANGUAGE_HINTS if rx.search(layer_name)), None)
    generic = info.field(*_NAME_ANY)
    name_fi = _pick(info, options, "name_fi", _NAME_FI, where)
    name_sv = _pick(info, options, "name_sv", _NAME_SV, where)
    if generic and not ("name_fi" in options or "name_sv" in options):
        if language == "sv" and name_sv is None:
            name_sv = generic
        elif name_fi is None:
            name_fi = generic
    code_candidates = _CODE.get(level or "", _STATISTICAL_CODE)
    chain = {}
    for chain_level, prefix in _CHAIN_PREFIX.items():
        code = info.field(f"{prefix}_tunnus")
        if code:
            chain[chain_level] = (
                code,
                info.field(f"{prefix}_nimi_fi"),
                info.field(f"{prefix}_nimi_se", f"{prefix}_nimi_sv"),
            )
    kind = options.get("kind")
    if kind is None and level == "catchment-area":
        kind = next((k for rx, k in _KIND_HINTS if rx.search(layer_name)), None)
    if kind is not None and kind not in KINDS:
        raise InputError(
            f"--option kind={kind}: not a catchment kind; kinds: {', '.join(KINDS)}",
            location=Location(source=source, field="kind"),
        )
    return Columns(
        level=level,
        aluejako=info.field("aluejako"),
        code=_pick(info, options, "code", code_candidates, where),
        name_fi=name_fi,
        name_sv=name_sv,
        municipality=info.field(*_MUNICIPALITY),
        parent=_option_field(info, options, "parent", where) if "parent" in options else None,
        chain=chain,
        unit=_pick(info, options, "unit", _UNIT, where),
        school_year=None if "school_year" in options else info.field(*_YEAR),
        language=None if "language" in options else info.field(*_LANGUAGE),
        kind=kind,
        language_value=language,
    )
