"""Content negotiation: an ``Accept`` header with q-values (or a ``format=`` parameter) picks one
of the formats a response can be written in; nothing acceptable is ``NotAcceptableError`` (406)
listing what is supported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from servicenet_vocab.errors import NotAcceptableError
from servicenet_vocab.formats import Format, FormatKind, RdfFormat, ResultFormat, rows


@dataclass(frozen=True)
class Offer:
    media_type: str  # what the Content-Type says
    fmt: ResultFormat | RdfFormat
    names: tuple[str, ...]  # format= values; the media type itself is always accepted too
    aliases: tuple[str, ...] = ()  # other media types a client may ask for

    @classmethod
    def of(cls, row: Format) -> Offer:
        """The offer of a row of the format table."""
        return cls(row.media_type, row.fmt, row.names, row.aliases)


# Derived from the format table, in its order of preference.
RESULT_OFFERS = tuple(Offer.of(row) for row in rows(FormatKind.RESULTS))
GRAPH_OFFERS = tuple(Offer.of(row) for row in rows(FormatKind.RDF))


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str) -> list[_Range]:
    """The media ranges of an Accept header; malformed entries are ignored (RFC 9110 12.5.1)."""
    ranges = []
    for order, item in enumerate(header.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(_Range(kind, sub, q, order))
    return ranges


def negotiate(
    accept: str | None, offers: Sequence[Offer], *, format_param: str | None = None, what: str
) -> Offer:
    """The best offer for ``accept`` (or the one ``format_param`` names); ``what`` is for messages."""
    if format_param:
        wanted = format_param.strip().lower()
        for offer in offers:
            if wanted in offer.names or wanted == offer.media_type or wanted in offer.aliases:
                return offer
        raise _not_acceptable(f"format={format_param!r}", offers, what)
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        for media_type in (offer.media_type, *offer.aliases):
            matching = [r for r in ranges if r.matches(media_type)]
            if not matching:
                continue
            # The most specific range decides the q-value (RFC 9110 12.5.1).
            top = max(matching, key=lambda r: (r.specificity, -r.order))
            if top.q <= 0:
                continue
            alias_penalty = 0 if media_type == offer.media_type else 1
            score = (top.q, top.specificity, -top.order * 2 - alias_penalty, -index)
            if best is None or score > best:
                best, chosen = score, offer
    if chosen is None:
        raise _not_acceptable(f"Accept: {accept}", offers, what)
    return chosen


def supported(offers: Sequence[Offer]) -> list[str]:
    return [offer.media_type for offer in offers]


def _not_acceptable(asked: str, offers: Sequence[Offer], what: str) -> NotAcceptableError:
    listed = ", ".join(supported(offers))
    return NotAcceptableError(
        f"cannot write {what} as requested ({asked}); supported media types: {listed}"
    )
