"""The dataset description every converted file starts with: a ``dcat:Dataset`` and its publisher.

The model asks each city file to be a ``dcat:Dataset`` with ``dct:publisher`` (the city as an
``sn:Provider``), ``sn:municipality``, ``dct:temporal``, ``dct:license``, ``dct:modified`` and
``sn:namedGraph``. What the mapping does not give is derived from the municipality code list.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from servicenet_vocab.convert.emit import TYPE, Triple, bnode, iri, plain, sn, tagged, xsd_date
from servicenet_vocab.convert.mapping import Mapping
from servicenet_vocab.convert.rows import ConversionContext
from servicenet_vocab.namespaces import CODE, DCAT, DCT, RDFS, SN, municipality_graph

__all__ = ["dataset_triples", "described_dataset", "publisher_node"]

LABEL = iri(RDFS + "label")
MUNICIPALITY_PROVIDER = CODE + "provider-type/municipality"


def publisher_node(mapping: Mapping) -> str:
    return mapping.publisher.iri or f"{mapping.base_iri}organisation"


def dataset_triples(kind_title: dict[str, str], context: ConversionContext) -> Iterator[Triple]:
    """The file's ``dcat:Dataset`` and its publisher; ``kind_title`` names the export kind by
    language, the default title unless the mapping gives one."""
    names = context.codes["municipality"].pref_labels.get(context.municipality_concept, {})
    titles = context.mapping.dataset.title or {
        lang: f"{text} – {names.get(lang) or names.get('fi', '')}"
        for lang, text in kind_title.items()
    }
    yield (context.dataset, TYPE, iri(DCAT + "Dataset"))
    yield from described_dataset(context.dataset, context, titles)
    yield from _publisher(context, context.publisher, iri(context.municipality_concept), names)


def described_dataset(
    node: str, context: ConversionContext, titles: dict[str, str]
) -> Iterator[Triple]:
    """What the model asks of every dataset (also a forecast or a survey, which are datasets too):
    titles, publisher, municipality, licence, dates, named graph and period."""
    options = context.mapping.dataset
    for lang, text in sorted(titles.items()):
        yield (node, iri(DCT + "title"), tagged(text, lang))
    for lang, text in sorted(options.description.items()):
        yield (node, iri(DCT + "description"), tagged(text, lang))
    yield (node, iri(DCT + "publisher"), context.publisher)
    yield (node, sn("municipality"), iri(context.municipality_concept))
    yield (node, iri(DCT + "license"), iri(options.license))
    yield (node, iri(DCT + "modified"), xsd_date(options.modified or date.today()))
    if options.issued:
        yield (node, iri(DCT + "issued"), xsd_date(options.issued))
    yield (node, sn("namedGraph"), iri(municipality_graph(context.municipality)))
    if options.start or options.end:
        period = bnode()
        yield (node, iri(DCT + "temporal"), period)
        yield (period, TYPE, iri(DCT + "PeriodOfTime"))
        if options.start:
            yield (period, iri(DCAT + "startDate"), xsd_date(options.start))
        if options.end:
            yield (period, iri(DCAT + "endDate"), xsd_date(options.end))


def _publisher(
    context: ConversionContext,
    publisher: str,
    municipality: str,
    names: dict[str, str],
) -> Iterator[Triple]:
    options = context.mapping.publisher
    yield (publisher, TYPE, sn("Provider"))
    labels = options.name or names  # Finnish genitives ("Helsingin") cannot be derived: map them
    for lang, text in sorted(labels.items()):
        yield (publisher, LABEL, tagged(text, lang))
    data = context.codes["municipality"].data.get(context.municipality_concept, {})
    business_id = options.business_id or data.get(SN + "businessId")
    if business_id:
        yield (publisher, sn("businessId"), plain(business_id))
    yield (publisher, sn("providerType"), iri(MUNICIPALITY_PROVIDER))
    yield (publisher, sn("municipality"), municipality)
