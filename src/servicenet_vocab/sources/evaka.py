"""eVaka (the ECEC system of Espoo, the Tampere region, Oulu, Turku...): its units (``daycare``).

A CSV of eVaka's unit table with its own column names (``name``, ``care_types`` or a PostgreSQL
array such as ``{CENTRE,PRESCHOOL}``, ``care_area``, ``street_address``, ``postal_code``,
``provider_type``, ``language``...). One eVaka serves several municipalities, so each unit lies in
the municipality of its postcode and the publisher is the organiser (``--municipality``). Several
care types give several services and the unit type by precedence (a daycare centre with
pre-school is a daycare centre); every eVaka provider type is an organisation form; the care area
is the organiser's service area. The mapping is ``sources/mappings/evaka.mapping.yaml``.
"""

from __future__ import annotations

from servicenet_vocab.sources._records import mapped_source

__all__ = ["SOURCE"]

SOURCE = mapped_source(
    "evaka",
    title={"fi": "eVakan toimipaikat", "sv": "Verksamhetsställen i eVaka", "en": "eVaka units"},
    summary="eVaka unit table (CSV): each unit in the municipality of its postcode, several care "
    "types, every provider type, the care area as a service area",
    suffixes=(".csv",),
)
