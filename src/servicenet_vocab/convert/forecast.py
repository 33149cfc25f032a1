"""Population forecasts per area, year and age group (and mother tongue), as RDF Data Cube.

Rows carry the forecast's vintage and scenario (columns or constants); each (vintage, scenario)
becomes one ``sn:PopulationForecast`` data set, written once, that its observations point to.
"""

from __future__ import annotations

from collections.abc import Iterator

from servicenet_vocab.convert.areas import AreaFields, area_node, area_triples
from servicenet_vocab.convert.dataset import described_dataset
from servicenet_vocab.convert.emit import TYPE, Triple, integer, iri, sn, xsd_date
from servicenet_vocab.convert.rows import Code, ConversionContext, Count, Date, Year
from servicenet_vocab.namespaces import DCT, QB

__all__ = ["ForecastRow", "forecast_triples"]

TITLES = {"fi": "Väestöennuste", "sv": "Befolkningsprognos", "en": "Population forecast"}


class ForecastRow(AreaFields):
    """The forecast population of one area, year and age group."""

    vintage: Year
    scenario: Code("forecast-scenario")  # type: ignore[valid-type]
    issued: Date | None = None
    year: Year
    age_group: Code("age-group")  # type: ignore[valid-type]
    mother_tongue: Code("language") | None = None  # type: ignore[valid-type]
    population: Count


def forecast_triples(row: ForecastRow, context: ConversionContext) -> Iterator[Triple]:
    forecast = context.templates["forecast"].expand(row)
    if context.first_time(forecast):
        yield (forecast, TYPE, sn("PopulationForecast"))
        yield (forecast, TYPE, iri(QB + "DataSet"))
        yield (forecast, sn("forecastVintage"), integer(row.vintage))
        yield (forecast, sn("scenario"), iri(row.scenario))
        if row.issued:
            yield (forecast, iri(DCT + "issued"), xsd_date(row.issued))
        scenario = context.codes["forecast-scenario"].pref_labels.get(row.scenario, {})
        titles = {
            lang: f"{TITLES[lang]} {row.vintage}, {label}"
            for lang, label in scenario.items()
            if lang in TITLES
        }
        yield from described_dataset(forecast, context, titles)
    yield from area_triples(row, context)
    observation = context.templates["observation"].expand(row)
    context.claim(observation, "area_code")
    yield (observation, TYPE, sn("PopulationForecastObservation"))
    yield (observation, TYPE, iri(QB + "Observation"))
    yield (observation, iri(QB + "dataSet"), forecast)
    yield (observation, sn("area"), area_node(row, context))
    yield (observation, sn("referenceYear"), integer(row.year))
    yield (observation, sn("ageGroup"), iri(row.age_group))
    if row.mother_tongue:
        yield (observation, sn("motherTongue"), iri(row.mother_tongue))
    yield (observation, sn("population"), integer(row.population))
