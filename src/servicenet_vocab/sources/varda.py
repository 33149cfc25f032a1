"""Varda (the national ECEC data warehouse): *toimipaikka* records, JSON.

A list of records as the Varda API lists them (or as its examples post them). Each unit lies in
the municipality of its own ``kunta_koodi`` (the publisher, ``--municipality``, is the organiser);
every organisation form of ``jarjestamismuoto_koodi`` is kept, ``kasvatusopillinen_jarjestelma_
koodi`` (kj…) gives ``sn:pedagogicalSystem``, ``toimintamuoto_koodi`` (tm…) the unit type, and the
postal address (``postiosoite``…) stays apart from the visiting one (``kayntiosoite``…). The
mapping is ``sources/mappings/varda.mapping.yaml`` (see ``sources._records``).
"""

from __future__ import annotations

from servicenet_vocab.sources._records import mapped_source

__all__ = ["SOURCE"]

SOURCE = mapped_source(
    "varda",
    title={
        "fi": "Varda-toimipaikat",
        "sv": "Verksamhetsställen i Varda",
        "en": "Varda ECEC units",
    },
    summary="Varda toimipaikka records (JSON): each unit in its own municipality (kunta_koodi), "
    "every organisation form, the pedagogical system, postal and visiting addresses apart",
    suffixes=(".json",),
)
