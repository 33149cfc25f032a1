"""Postcode → municipality, by Statistics Finland's postcode-to-municipality key (CC BY 4.0).

The key ships with the package (``data/postcode-municipality.csv``, see ``data/README.md``): every
postcode area belongs to one municipality. Mappings with ``municipality_by_postcode: true`` use it
for records that do not name their municipality.

    >>> municipality_of_postcode("33100"), municipality_of_postcode("36200")
    ('837', '211')
    >>> municipality_of_postcode("00099") is None  # a PO-box code: no area
    True
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["KEY_NAME", "municipality_of_postcode", "postcode_key"]

KEY_NAME = "Statistics Finland's postcode-to-municipality key 2025"


@cache
def postcode_key() -> dict[str, str]:
    """Every postcode of the key and its three-digit municipality code."""
    text = (
        resources.files(__package__)
        .joinpath("data", "postcode-municipality.csv")
        .read_text("utf-8")
    )
    key: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("postcode,"):
            continue
        postcode, _, municipality = line.partition(",")
        key[postcode] = municipality
    return key


def municipality_of_postcode(postcode: str) -> str | None:
    """The municipality code of a five-digit postcode, or None when the key has no such area."""
    return postcode_key().get(postcode.strip())
