# qb:structure on the forecasts and surveys that 0.1 already made datasets: the one structure all their observations fit
#
# Every qb:DataSet names its data structure definition in 1.0 (Data Cube IC-2). A population
# forecast whose observations all have a mother tongue is dsd:population-forecast, one whose
# observations have none dsd:population-forecast-total; a customer survey whose results are all per
# unit is dsd:survey-result, all per area dsd:survey-result-area. A dataset mixing the two fits no
# single structure (IC-6: every dimension is required) and is left for the city to split.
PREFIX sn:  <https://w3id.org/servicenet/ontology#>
PREFIX qb:  <http://purl.org/linked-data/cube#>
PREFIX dsd: <https://w3id.org/servicenet/ontology/dsd/>

WITH <urn:x-servicenet:migration:data>
INSERT { ?dataset qb:structure ?structure }
WHERE {
  VALUES (?class ?dimension ?with ?without) {
    (sn:PopulationForecast sn:motherTongue dsd:population-forecast dsd:population-forecast-total)
    (sn:CustomerSurvey sn:unit dsd:survey-result dsd:survey-result-area)
  }
  ?dataset a ?class .
  FILTER NOT EXISTS { ?dataset qb:structure ?stated }
  FILTER EXISTS { ?observation qb:dataSet ?dataset }
  BIND (EXISTS { ?observation qb:dataSet ?dataset FILTER NOT EXISTS { ?observation ?dimension ?v } }
    AS ?someWithout)
  BIND (EXISTS { ?observation qb:dataSet ?dataset ; ?dimension ?v } AS ?someWith)
  FILTER (?someWith != ?someWithout)
  BIND (IF(?someWith, ?with, ?without) AS ?structure)
}
