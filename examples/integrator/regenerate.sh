#!/bin/sh
# Re-create the expected RDF of every example export (review the diff before committing it).
set -e
cd "$(dirname "$0")"
convert() { servicenet convert "$1" "$2" --mapping "${2%.*}.mapping.yaml" -o "${2%.*}.expected.ttl"; }
convert units helsinki/units.csv
convert forecast helsinki/forecast.csv
convert offers helsinki/offers.csv
convert units kauniainen/units.csv
convert premises kauniainen/premises.csv
convert capacity kauniainen/capacity.csv
convert units turku/units.json
convert units espoo/units.csv
convert survey espoo/survey.csv
servicenet convert jsonld vantaa/units.jsonld -o vantaa/units.expected.ttl
