"""Turku's unit register (*toimipisterekisteri*) as its API publishes it (JSON, Finnish fields).

A list of unit records with ``nimi_kieliversiot``, ``fyysinenPaikka`` (addresses with their
``kunta``, coordinates as text), ``tila`` and ``palvelutarjoukset``; the register holds every kind
of city unit, so only units offering an ECEC service (``palvelut`` code 111, *päiväkotitoiminta*)
are converted and the others are left out and counted. A unit's municipality is its address's
``kunta.koodi``, else that of its postcode. The mapping is ``sources/mappings/turku.mapping.yaml``.
"""

from __future__ import annotations

from servicenet_vocab.sources._records import mapped_source

__all__ = ["SOURCE"]

SOURCE = mapped_source(
    "turku",
    title={
        "fi": "Turun toimipisterekisteri",
        "sv": "Åbo stads register över verksamhetsställen",
        "en": "Turku unit register",
    },
    summary="Turku unit register (JSON, Finnish fields): ECEC units, each in its own municipality",
    suffixes=(".json",),
)
