"""The named queries computed in Python (registered beside the ``.rq`` files by name)."""

from __future__ import annotations

from servicenet_vocab.queries.answers import (
    catchment,
    forecast,
    operations,
    premises,
    provision,
    reach,
    survey,
    utilisation,
)
from servicenet_vocab.queries.answers.base import Answer

__all__ = ["ANSWERS", "Answer"]

ANSWERS: dict[str, Answer] = {
    **forecast.ANSWERS,
    **utilisation.ANSWERS,
    **operations.ANSWERS,
    **catchment.ANSWERS,
    **reach.ANSWERS,
    **provision.ANSWERS,
    **premises.ANSWERS,
    **survey.ANSWERS,
}
