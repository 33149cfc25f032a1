"""Area lists the PxWeb reader checks 10-digit area codes against (``0911101010``: municipality
091, then the area), and the level each code is at.

Helsinki's statistical division is built in: the major districts (*suurpiiri*), districts
(*peruspiiri*) and sub-districts (*osa-alue*) with Finnish and Swedish names, derived from
Helsinki's open data (``pienalueet.geojson`` and ``osa_alueet.geojson`` of
GispoCoding/geospatial-text-analysis @ 96a48edd2636269872de8d0cfd190a0c314d9825, CC BY 4.0,
© City of Helsinki): code ``091`` + major district digit + district code + sub-district code, the
district and major district codes padded with zeros. Other divisions (Espoo's *pienalueet*,
Vantaa's *kaupunginosat*) are given with ``--option areas=FILE``: a CSV with the columns
``code``, ``level`` (an area-level notation: ``major-district``, ``district``, ``sub-district``...),
``parent`` (the code of the area it lies in, empty for the municipality), ``name_fi``, ``name_sv``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from servicenet_vocab.errors import InputError, Location

__all__ = ["AreaEntry", "AreaList", "helsinki", "read_area_list"]

LEVELS = (
    "major-district",
    "district",
    "sub-district",
    "postal-code-area",
    "grid-cell",
    "catchment-area",
    "service-area",
)


@dataclass(frozen=True)
class AreaEntry:
    code: str
    level: str  # an area-level notation
    parent: str  # the code of the area it lies in; "" for the municipality
    name_fi: str
    name_sv: str


@dataclass(frozen=True)
class AreaList:
    """The areas of one or more divisions, by their 10-digit codes."""

    name: str
    areas: dict[str, AreaEntry]

    def municipalities(self) -> set[str]:
        return {code[:3] for code in self.areas}


def helsinki() -> AreaList:
    return AreaList(
        "Helsinki's statistical division (built in)",
        {row[0]: AreaEntry(*row) for row in _HELSINKI},
    )


def read_area_list(path: Path) -> AreaList:
    """An area list from a CSV (``code,level,parent,name_fi,name_sv``); ``InputError`` naming
    the file, the line and the column when it is not one."""
    name = path.name
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InputError(
            f"cannot read the area list: {error.strerror}", location=Location(source=str(path))
        ) from None
    areas: dict[str, AreaEntry] = {}
    with handle:
        reader = csv.DictReader(handle)
        missing = {"code", "level"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(
                f"an area list needs the columns code, level, parent, name_fi, name_sv; "
                f"{', '.join(sorted(missing))} missing",
                location=Location(source=name, row=1),
            )
        for row in reader:
            code = (row.get("code") or "").strip()
            level = (row.get("level") or "").strip()
            if not code.isdigit() or len(code) != 10:
                raise InputError(
                    f"'{code}' is not a 10-digit area code",
                    location=Location(source=name, row=reader.line_num, field="code"),
                )
            if level not in LEVELS:
                raise InputError(
                    f"'{level}' is not an area level; levels: {', '.join(LEVELS)}",
                    location=Location(source=name, row=reader.line_num, field="level"),
                )
            areas[code] = AreaEntry(
                code,
                level,
                (row.get("parent") or "").strip(),
                (row.get("name_fi") or "").strip(),
                (row.get("name_sv") or "").strip(),
            )
    for entry in areas.values():
        if entry.parent and entry.parent not in areas:
            raise InputError(
                f"the parent '{entry.parent}' of '{entry.code}' is not in the list",
                location=Location(source=name, field="parent"),
            )
    return AreaList(name, areas)


# code, level, parent, Finnish name, Swedish name
_HELSINKI: tuple[tuple[str, str, str, str, str], ...] = (
    ("0911000000", "major-district", "", "Eteläinen", "Södra"),
    ("0911101000", "district", "0911000000", "Vironniemi", "Estnäs"),
    ("0911101010", "sub-district", "0911101000", "Kruununhaka", "Kronohagen"),
    ("0911101020", "sub-district", "0911101000", "Kluuvi", "Gloet"),
    ("0911101080", "sub-district", "0911101000", "Katajanokka", "Skatudden"),
    ("0911102000", "district", "0911000000", "Ullanlinna", "Ulrikasborg"),
    ("0911102030", "sub-district", "0911102000", "Kaartinkaupunki", "Gardesstaden"),
    ("0911102050", "sub-district", "0911102000", "Punavuori", "Rödbergen"),
    ("0911102060", "sub-district", "0911102000", "Eira", "Eira"),
    ("0911102070", "sub-district", "0911102000", "Ullanlinna", "Ulrikasborg"),
    ("0911102090", "sub-district", "0911102000", "Kaivopuisto", "Brunnsparken"),
    ("0911102204", "sub-district", "0911102000", "Hernesaari", "Ärtholmen"),
    ("0911102520", "sub-district", "0911102000", "Suomenlinna", "Sveaborg"),
    ("0911102531", "sub-district", "0911102000", "Länsisaaret", "Västra holmarna"),
    ("0911103000", "district", "0911000000", "Kampinmalmi", "Kampmalmen"),
    ("0911103040", "sub-district", "0911103000", "Kamppi", "Kampen"),
    ("0911103130", "sub-district", "0911103000", "Etu-Töölö", "Främre Tölö"),
    ("0911103201", "sub-district", "0911103000", "Ruoholahti", "Gräsviken"),
    ("0911103202", "sub-district", "0911103000", "Lapinlahti", "Lappviken"),
    ("0911103203", "sub-district", "0911103000", "Jätkäsaari", "Busholmen"),
    ("0911104000", "district", "0911000000", "Taka-Töölö", "Bortre Tölö"),
    ("0911104140", "sub-district", "0911104000", "Taka-Töölö", "Bortre Tölö"),
    ("0911105000", "district", "0911000000", "Lauttasaari", "Drumsö"),
    ("0911105311", "sub-district", "0911105000", "Kotkavuori", "Örnberget"),
    ("0911105312", "sub-district", "0911105000", "Vattuniemi", "Hallonnäs"),
    ("0911105313", "sub-district", "0911105000", "Myllykallio", "Kvarnberget"),
    ("0911105314", "sub-district", "0911105000", "Koivusaari", "Björkholmen"),
    ("0912000000", "major-district", "", "Läntinen", "Västra"),
    ("0912201000", "district", "0912000000", "Reijola", "Grejus"),
    ("0912201150", "sub-district", "0912201000", "Meilahti", "Mejlans"),
    ("0912201161", "sub-district", "0912201000", "Vanha Ruskeasuo", "Gamla Brunakärr"),
    ("0912201162", "sub-district", "0912201000", "Pikku Huopalahti", "Lillhoplax"),
    ("0912201180", "sub-district", "0912201000", "Laakso", "Dal"),
    ("0912202000", "district", "0912000000", "Munkkiniemi", "Munksnäs"),
    ("0912202301", "sub-district", "0912202000", "Vanha Munkkiniemi", "Gamla Munksnäs"),
    ("0912202302", "sub-district", "0912202000", "Kuusisaari", "Granö"),
    ("0912202303", "sub-district", "0912202000", "Lehtisaari", "Lövö"),
    ("0912202304", "sub-district", "0912202000", "Munkkivuori", "Munkshöjden"),
    ("0912202305", "sub-district", "0912202000", "Niemenmäki", "Näshöjden"),
    ("0912202306", "sub-district", "0912202000", "Talinranta", "Talistranden"),
    ("0912203000", "district", "0912000000", "Haaga", "Haga"),
    ("0912203291", "sub-district", "0912203000", "Etelä-Haaga", "Södra Haga"),
    ("0912203292", "sub-district", "0912203000", "Kivihaka", "Stenhagen"),
    ("0912203293", "sub-district", "0912203000", "Pohjois-Haaga", "Norra Haga"),
    ("0912203294", "sub-district", "0912203000", "Lassila", "Lassas"),
    ("0912204000", "district", "0912000000", "Pitäjänmäki", "Sockenbacka"),
    ("0912204320", "sub-district", "0912204000", "Konala", "Kånala"),
    ("0912204461", "sub-district", "0912204000", "Pajamäki", "Smedjebacka"),
    ("0912204462", "sub-district", "0912204000", "Tali", "Tali"),
    ("0912204463", "sub-district", "0912204000", "Reimarla", "Reimars"),
    ("0912204464", "sub-district", "0912204000", "Marttila", "Martas"),
    (
        "0912204465",
        "sub-district",
        "0912204000",
        "Pitäjänmäen yritysalue",
        "Sockenbacka företagsområde",
    ),
    ("0912205000", "district", "0912000000", "Kaarela", "Kårböle"),
    ("0912205331", "sub-district", "0912205000", "Kannelmäki", "Gamlas"),
    ("0912205332", "sub-district", "0912205000", "Maununneva", "Magnuskärr"),
    ("0912205333", "sub-district", "0912205000", "Malminkartano", "Malmgård"),
    ("0912205334", "sub-district", "0912205000", "Hakuninmaa", "Håkansåker"),
    ("0912205335", "sub-district", "0912205000", "Kuninkaantammi", "Kungseken"),
    ("0912205336", "sub-district", "0912205000", "Honkasuo", "Hongasmossa"),
    ("0913000000", "major-district", "", "Keskinen", "Mellersta"),
    ("0913301000", "district", "0913000000", "Kallio", "Berghäll"),
    ("0913301101", "sub-district", "0913301000", "Vilhonvuori", "Vilhemsberg"),
    ("0913301102", "sub-district", "0913301000", "Kalasatama", "Fiskehamnen"),
    ("0913301103", "sub-district", "0913301000", "Sompasaari", "Sumparn"),
    ("0913301104", "sub-district", "0913301000", "Hanasaari", "Hanaholmen"),
    ("0913301111", "sub-district", "0913301000", "Siltasaari", "Broholmen"),
    ("0913301112", "sub-district", "0913301000", "Linjat", "Linjerna"),
    ("0913301113", "sub-district", "0913301000", "Torkkelinmäki", "Torkelsbacken"),
    ("0913302000", "district", "0913000000", "Alppiharju", "Åshöjden"),
    ("0913302121", "sub-district", "0913302000", "Harju", "Ås"),
    ("0913302122", "sub-district", "0913302000", "Alppila", "Alphyddan"),
    ("0913303000", "district", "0913000000", "Vallila", "Vallgård"),
    ("0913303211", "sub-district", "0913303000", "Hermanninmäki", "Hermanstadsbacken"),
    ("0913303212", "sub-district", "0913303000", "Hermanninranta", "Hermanstadsstranden"),
    ("0913303213", "sub-district", "0913303000", "Kyläsaari", "Byholmen"),
    ("0913303220", "sub-district", "0913303000", "Vallila", "Vallgård"),
    ("0913304000", "district", "0913000000", "Pasila", "Böle"),
    ("0913304171", "sub-district", "0913304000", "Länsi-Pasila", "Västra Böle"),
    ("0913304172", "sub-district", "0913304000", "Pohjois-Pasila", "Norra Böle"),
    ("0913304173", "sub-district", "0913304000", "Itä-Pasila", "Östra Böle"),
    ("0913304174", "sub-district", "0913304000", "Keski-Pasila", "Mellersta Böle"),
    ("0913305000", "district", "0913000000", "Vanhakaupunki", "Gammelstaden"),
    ("0913305231", "sub-district", "0913305000", "Toukola", "Majstad"),
    ("0913305232", "sub-district", "0913305000", "Arabianranta", "Arabiastranden"),
    ("0913305240", "sub-district", "0913305000", "Kumpula", "Gumtäkt"),
    ("0913305250", "sub-district", "0913305000", "Käpylä", "Kottby"),
    ("0913305260", "sub-district", "0913305000", "Koskela", "Forsby"),
    ("0913305270", "sub-district", "0913305000", "Vanhakaupunki", "Gammelstaden"),
    ("0914000000", "major-district", "", "Pohjoinen", "Norra"),
    ("0914401000", "district", "0914000000", "Maunula", "Månsas"),
    ("0914401281", "sub-district", "0914401000", "Pirkkola", "Britas"),
    ("0914401282", "sub-district", "0914401000", "Maunula", "Månsas"),
    ("0914401283", "sub-district", "0914401000", "Metsälä", "Krämertsskog"),
    ("0914401286", "sub-district", "0914401000", "Maunulanpuisto", "Månsasparken"),
    ("0914402000", "district", "0914000000", "Länsi-Pakila", "Västra Baggböle"),
    ("0914402341", "sub-district", "0914402000", "Länsi-Pakila", "Västra Baggböle"),
    ("0914403000", "district", "0914000000", "Tuomarinkylä", "Domarby"),
    ("0914403351", "sub-district", "0914403000", "Paloheinä", "Svedängen"),
    ("0914403352", "sub-district", "0914403000", "Torpparinmäki", "Torparbacken"),
    ("0914403354", "sub-district", "0914403000", "Haltiala", "Tomtbacka"),
    ("0914404000", "district", "0914000000", "Oulunkylä", "Åggelby"),
    ("0914404284", "sub-district", "0914404000", "Patola", "Dammen"),
    ("0914404285", "sub-district", "0914404000", "Veräjämäki", "Grindbacka"),
    ("0914404287", "sub-district", "0914404000", "Veräjälaakso", "Grinddal"),
    ("0914405000", "district", "0914000000", "Itä-Pakila", "Östra Baggböle"),
    ("0914405342", "sub-district", "0914405000", "Itä-Pakila", "Östra Baggböle"),
    ("0914405353", "sub-district", "0914405000", "Tuomarinkartano", "Domargård"),
    ("0915000000", "major-district", "", "Koillinen", "Nordöstra"),
    ("0915501000", "district", "0915000000", "Latokartano", "Ladugården"),
    ("0915501361", "sub-district", "0915501000", "Viikinranta", "Viksstranden"),
    ("0915501362", "sub-district", "0915501000", "Latokartano", "Ladugården"),
    ("0915501363", "sub-district", "0915501000", "Viikin tiedepuisto", "Viks forskarpark"),
    ("0915501364", "sub-district", "0915501000", "Viikinmäki", "Viksbacka"),
    ("0915501383", "sub-district", "0915501000", "Pihlajamäki", "Rönnbacka"),
    ("0915501386", "sub-district", "0915501000", "Pihlajisto", "Rönninge"),
    ("0915502000", "district", "0915000000", "Pukinmäki", "Bocksbacka"),
    ("0915502370", "sub-district", "0915502000", "Pukinmäki", "Bocksbacka"),
    ("0915503000", "district", "0915000000", "Malmi", "Malm"),
    ("0915503381", "sub-district", "0915503000", "Ylä-Malmi", "Övre Malm"),
    ("0915503382", "sub-district", "0915503000", "Ala-Malmi", "Nedre Malm"),
    ("0915503384", "sub-district", "0915503000", "Tattariharju", "Tattaråsen"),
    ("0915503385", "sub-district", "0915503000", "Malmin lentokenttä", "Malms flygfält"),
    ("0915503391", "sub-district", "0915503000", "Tapaninvainio", "Staffansslätten"),
    ("0915503392", "sub-district", "0915503000", "Tapanila", "Mosabacka"),
    ("0915504000", "district", "0915000000", "Suutarila", "Skomakarböle"),
    ("0915504401", "sub-district", "0915504000", "Siltamäki", "Brobacka"),
    ("0915504403", "sub-district", "0915504000", "Töyrynummi", "Lidmalmen"),
    ("0915505000", "district", "0915000000", "Puistola", "Parkstad"),
    ("0915505402", "sub-district", "0915505000", "Tapulikaupunki", "Stapelstaden"),
    ("0915505411", "sub-district", "0915505000", "Puistola", "Parkstad"),
    ("0915505412", "sub-district", "0915505000", "Heikinlaakso", "Henriksdal"),
    ("0915505413", "sub-district", "0915505000", "Tattarisuo", "Tattarmossen"),
    ("0915505415", "sub-district", "0915505000", "Alppikylä", "Alpbyn"),
    ("0915506000", "district", "0915000000", "Jakomäki", "Jakobacka"),
    ("0915506414", "sub-district", "0915506000", "Jakomäki", "Jakobacka"),
    ("0916000000", "major-district", "", "Kaakkoinen", "Sydöstra"),
    ("0916601000", "district", "0916000000", "Kulosaari", "Brändö"),
    (
        "0916601190",
        "sub-district",
        "0916601000",
        "Mustikkamaa-Korkeasaari",
        "Blåbärslandet-Högholmen",
    ),
    ("0916601420", "sub-district", "0916601000", "Kulosaari", "Brändö"),
    ("0916602000", "district", "0916000000", "Herttoniemi", "Hertonäs"),
    ("0916602431", "sub-district", "0916602000", "Länsi-Herttoniemi", "Västra Hertonäs"),
    ("0916602432", "sub-district", "0916602000", "Roihuvuori", "Kasberget"),
    (
        "0916602433",
        "sub-district",
        "0916602000",
        "Herttoniemen yritysalue",
        "Hertonäs företagsområde",
    ),
    ("0916602434", "sub-district", "0916602000", "Herttoniemenranta", "Hertonäs strand"),
    ("0916602440", "sub-district", "0916602000", "Tammisalo", "Tammelund"),
    ("0916603000", "district", "0916000000", "Laajasalo", "Degerö"),
    ("0916603480", "sub-district", "0916603000", "Vartiosaari", "Vårdö"),
    ("0916603491", "sub-district", "0916603000", "Yliskylä", "Uppby"),
    ("0916603492", "sub-district", "0916603000", "Jollas", "Jollas"),
    ("0916603493", "sub-district", "0916603000", "Tullisaari", "Turholm"),
    ("0916603494", "sub-district", "0916603000", "Kruunuvuorenranta", "Kronbergsstranden"),
    ("0916603495", "sub-district", "0916603000", "Hevossalmi", "Hästnässund"),
    ("0916603500", "sub-district", "0916603000", "Villinki", "Villinge"),
    ("0916603510", "sub-district", "0916603000", "Santahamina", "Sandhamn"),
    ("0916603532", "sub-district", "0916603000", "Itäsaaret", "Östra holmarna"),
    ("0916603533", "sub-district", "0916603000", "Aluemeri", "Territorialhavet"),
    ("0917000000", "major-district", "", "Itäinen", "Östra"),
    ("0917701000", "district", "0917000000", "Vartiokylä", "Botby"),
    ("0917701451", "sub-district", "0917701000", "Vartioharju", "Botbyåsen"),
    ("0917701452", "sub-district", "0917701000", "Puotila", "Botby gård"),
    ("0917701453", "sub-district", "0917701000", "Puotinharju", "Botbyhöjden"),
    ("0917701455", "sub-district", "0917701000", "Marjaniemi", "Marudd"),
    ("0917701456", "sub-district", "0917701000", "Roihupelto", "Kasåkern"),
    ("0917701457", "sub-district", "0917701000", "Itäkeskus", "Östra centrum"),
    ("0917702000", "district", "0917000000", "Myllypuro", "Kvarnbäcken"),
    ("0917702454", "sub-district", "0917702000", "Myllypuro", "Kvarnbäcken"),
    ("0917703000", "district", "0917000000", "Mellunkylä", "Mellungsby"),
    ("0917703471", "sub-district", "0917703000", "Kontula", "Gårdsbacka"),
    ("0917703472", "sub-district", "0917703000", "Vesala", "Ärvings"),
    ("0917703473", "sub-district", "0917703000", "Mellunmäki", "Mellungsbacka"),
    ("0917703474", "sub-district", "0917703000", "Kivikko", "Stensböle"),
    ("0917703475", "sub-district", "0917703000", "Kurkimäki", "Tranbacka"),
    ("0917704000", "district", "0917000000", "Vuosaari", "Nordsjö"),
    ("0917704541", "sub-district", "0917704000", "Keski-Vuosaari", "Mellersta Nordsjö"),
    ("0917704542", "sub-district", "0917704000", "Nordsjön kartano", "Nordsjö gård"),
    ("0917704543", "sub-district", "0917704000", "Uutela", "Nybondas"),
    ("0917704544", "sub-district", "0917704000", "Meri-Rastila", "Havsrastböle"),
    ("0917704545", "sub-district", "0917704000", "Kallahti", "Kallvik"),
    ("0917704546", "sub-district", "0917704000", "Aurinkolahti", "Solvik"),
    ("0917704547", "sub-district", "0917704000", "Rastila", "Rastböle"),
    ("0917704548", "sub-district", "0917704000", "Niinisaari", "Bastö"),
    ("0917704549", "sub-district", "0917704000", "Mustavuori", "Svarta backen"),
    ("0918000000", "major-district", "", "Östersundom", "Östersundom"),
    ("0918801000", "district", "0918000000", "Östersundom", "Östersundom"),
    ("0918801550", "sub-district", "0918801000", "Östersundom", "Östersundom"),
    ("0918801560", "sub-district", "0918801000", "Salmenkallio", "Sundberg"),
    ("0918801570", "sub-district", "0918801000", "Talosaari", "Husö"),
    ("0918801580", "sub-district", "0918801000", "Karhusaari", "Björnsö"),
    ("0918801591", "sub-district", "0918801000", "Landbo", "Landbo"),
    ("0918801592", "sub-district", "0918801000", "Puroniitty", "Bäckängen"),
)
