# dct:spatial (DCAT-AP) on every dataset that names its municipality (sn:municipality) and has no spatial coverage
#
# 1.0 describes each dataset in DCAT-AP; its spatial coverage is the municipality the dataset
# already names, so it is derived. What cannot be derived (description, distribution, contact
# point, theme) is the city's to add: docs/migration-1.0.md.
PREFIX sn:   <https://w3id.org/servicenet/ontology#>
PREFIX dct:  <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>

WITH <urn:x-servicenet:migration:data>
INSERT { ?dataset dct:spatial ?municipality }
WHERE {
  ?dataset a dcat:Dataset ; sn:municipality ?municipality .
  FILTER NOT EXISTS { ?dataset dct:spatial ?stated }
}
