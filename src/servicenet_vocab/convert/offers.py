"""Proactive place offers per area and school year (e.g. Helsinki's pre-school offers via Asti).

One row is one ``sn:ProactiveOfferStatistic``: offers sent, accepted and declined in an area and
school year, optionally by channel and language. Accepted plus declined may not exceed sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Self

from pydantic import model_validator

from servicenet_vocab.convert.areas import AreaFields, area_node, area_triples
from servicenet_vocab.convert.emit import TYPE, Triple, integer, iri, plain, sn
from servicenet_vocab.convert.rows import Code, ConversionContext, Count, Text, rule
from servicenet_vocab.namespaces import QB

__all__ = ["OfferRow", "offer_triples"]

_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")


class OfferRow(AreaFields):
    """Offers sent, accepted and declined in one area and school year."""

    school_year: Text
    channel: Code("channel") | None = None  # type: ignore[valid-type]
    language: Code("language") | None = None  # type: ignore[valid-type]
    offers_sent: Count
    offers_accepted: Count | None = None
    offers_declined: Count | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        found = _SCHOOL_YEAR.match(self.school_year)
        if not found or int(found.group(2)) != int(found.group(1)) + 1:
            raise rule(
                "school_year",
                "'{value}' is not a school year like 2025-2026",
                value=self.school_year,
            )
        answered = (self.offers_accepted or 0) + (self.offers_declined or 0)
        if answered > self.offers_sent:
            raise rule(
                "offers_accepted",
                "accepted plus declined ({answered}) exceed the {sent} offers sent",
                answered=answered,
                sent=self.offers_sent,
            )
        return self

    @property
    def normalised_year(self) -> str:
        found = _SCHOOL_YEAR.match(self.school_year)
        assert found is not None  # checked by the validator
        return f"{found.group(1)}-{found.group(2)}"


def offer_triples(row: OfferRow, context: ConversionContext) -> Iterator[Triple]:
    node = context.templates["offers"].expand(row)
    context.claim(node, "area_code")
    yield from area_triples(row, context)
    yield (node, TYPE, sn("ProactiveOfferStatistic"))
    yield (node, TYPE, iri(QB + "Observation"))
    yield (node, iri(QB + "dataSet"), context.dataset)
    yield (node, sn("area"), area_node(row, context))
    yield (node, sn("schoolYear"), plain(row.normalised_year))
    if row.channel:
        yield (node, sn("channel"), iri(row.channel))
    if row.language:
        yield (node, sn("serviceLanguage"), iri(row.language))
    yield (node, sn("offersSent"), integer(row.offers_sent))
    if row.offers_accepted is not None:
        yield (node, sn("offersAccepted"), integer(row.offers_accepted))
    if row.offers_declined is not None:
        yield (node, sn("offersDeclined"), integer(row.offers_declined))
