"""The Helsinki region's service map (Palvelukartta, the unit register TPR), REST API v4 units.

A list of ``/palvelukarttaws/rest/v4/unit/`` records (JSON). The unit's type and services come from
the items of ``ontologytree_ids`` that are ids of the day-care, pre-primary and basic-education
branches of the service tree (a condition in the mapping, not a position); units of other services
are left out. Each unit lies in the municipality of its postcode (the register names no
municipality code). The mapping is ``sources/mappings/servicemap.mapping.yaml``.
"""

from __future__ import annotations

from servicenet_vocab.sources._records import mapped_source

__all__ = ["SOURCE"]

SOURCE = mapped_source(
    "servicemap",
    title={
        "fi": "Palvelukartan toimipisteet (TPR v4)",
        "sv": "Servicekartans verksamhetsställen (TPR v4)",
        "en": "Service Map units (TPR v4)",
    },
    summary="Helsinki service map / TPR REST v4 units (JSON): typed from their ontologytree ids, "
    "each in the municipality of its postcode",
    suffixes=(".json",),
)
