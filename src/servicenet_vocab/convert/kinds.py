"""The input kinds ``servicenet convert`` knows, by name, with their default IRI patterns.

Patterns are relative to the mapping's ``base_iri`` unless they start with ``http``; a mapping
overrides any of them under ``iris:`` (a city keeps its own unit IRIs that way).
"""

from __future__ import annotations

from servicenet_vocab.convert.capacity import CapacityRow, capacity_triples
from servicenet_vocab.convert.engine import Kind, rendered_triples
from servicenet_vocab.convert.forecast import ForecastRow, forecast_triples
from servicenet_vocab.convert.offers import OfferRow, offer_triples
from servicenet_vocab.convert.premises import PremisesRow, premises_triples
from servicenet_vocab.convert.survey import SurveyRow, survey_triples
from servicenet_vocab.convert.units import UnitRow, render_unit
from servicenet_vocab.errors import InputError

__all__ = ["KINDS", "get_kind"]

_AREA = "area/{area_code}"

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "units",
            UnitRow,
            render_unit,
            {"fi": "Toimipaikat", "sv": "Verksamhetsställen", "en": "Service units"},
            {"unit": "unit/{id}", "area": _AREA, "capacity": "capacity/{id}/{capacity_date}"},
        ),
        Kind(
            "premises",
            PremisesRow,
            rendered_triples(premises_triples),
            {"fi": "Tilat", "sv": "Lokaler", "en": "Premises"},
            {"premises": "premises/{id}", "unit": "unit/{unit_id}"},
        ),
        Kind(
            "capacity",
            CapacityRow,
            rendered_triples(capacity_triples),
            {
                "fi": "Kapasiteetti ja lapsimäärät",
                "sv": "Kapacitet och barnantal",
                "en": "Capacity and enrolment",
            },
            {
                "unit": "unit/{unit_id}",
                "capacity": "capacity/{unit_id}/{reference_date}/{age_group}/{service_type?}",
                "enrolment": "enrolment/{unit_id}/{reference_date}/{age_group}/{service_need_option?}",
            },
        ),
        Kind(
            "forecast",
            ForecastRow,
            rendered_triples(forecast_triples),
            {"fi": "Väestöennuste", "sv": "Befolkningsprognos", "en": "Population forecast"},
            {
                "area": _AREA,
                "forecast": "forecast/{vintage}-{scenario}",
                "observation": "forecast/{vintage}-{scenario}/{area_code}/{year}/{age_group}/{mother_tongue?}",
            },
        ),
        Kind(
            "survey",
            SurveyRow,
            rendered_triples(survey_triples),
            {
                "fi": "Asiakaskyselyn tulokset",
                "sv": "Resultat av kundenkät",
                "en": "Customer survey results",
            },
            {
                "area": _AREA,
                "unit": "unit/{unit_id}",
                "survey": "survey/{survey_id}",
                "question": "survey/{survey_id}/question/{question_id}",
                "result": "survey/{survey_id}/result/{question_id}/{unit_id?}/{area_code?}",
            },
        ),
        Kind(
            "offers",
            OfferRow,
            rendered_triples(offer_triples),
            {
                "fi": "Ennakoivat paikkatarjoukset",
                "sv": "Proaktiva platserbjudanden",
                "en": "Proactive place offers",
            },
            {
                "area": _AREA,
                "offers": "offers/{school_year|slug}/{area_code}/{channel?}/{language?}",
            },
        ),
    )
}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise InputError(f"unknown kind {name!r}; kinds: {', '.join(KINDS)}") from None
