#!/bin/sh
# Re-create the expected Turtle of the unit-register sources' examples (review the diff before
# committing it). Each input is a small real export; see the README beside it.
set -e
cd "$(dirname "$0")"
servicenet convert varda varda/units.json --municipality 049 --option date=2025-01-31 -o varda/units.expected.ttl
servicenet convert servicemap servicemap/units.json --option date=2025-01-31 -o servicemap/units.expected.ttl
servicenet convert turku turku/units.json --option date=2025-01-31 -o turku/units.expected.ttl
servicenet convert evaka evaka/units.csv --municipality 837 --option date=2025-01-31 -o evaka/units.expected.ttl
