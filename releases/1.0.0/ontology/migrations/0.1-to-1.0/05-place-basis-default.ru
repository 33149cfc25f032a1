# sn:placeBasis by default where 0.1 cannot tell: computational at daycare centres' ECEC, head-count elsewhere; each marked with skos:editorialNote
#
# A migration cannot know how a city counted its places; the city should state the basis in its own
# data before migrating (docs/migration-1.0.md), and this step leaves any stated basis alone. Where
# none is stated it fills the documented default and marks the figure so the city can find it:
# - ECEC at a daycare centre: computational places. 0.1 read these places so: its utilisation
#   query and its sn:utilisationRate divided children weighted by occupancy coefficients by them.
# - any other figure (clubs, group family daycare, open ECEC, pre-school, ...): head count, the
#   basis of places without occupancy coefficients.
PREFIX sn:   <https://w3id.org/servicenet/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX st:   <https://w3id.org/servicenet/code/service-type/>
PREFIX sut:  <https://w3id.org/servicenet/code/service-unit-type/>
PREFIX pb:   <https://w3id.org/servicenet/code/place-basis/>

INSERT { GRAPH <urn:x-servicenet:migration:data> {
  ?capacity sn:placeBasis ?basis ;
    skos:editorialNote ?note .
} }
WHERE {
  GRAPH <urn:x-servicenet:migration:data> {
    ?capacity a sn:CapacityObservation ; sn:places ?places .
    FILTER NOT EXISTS { ?capacity sn:placeBasis ?stated }
    BIND (EXISTS {
      ?capacity sn:serviceType st:ecec ; sn:unit ?unit .
      { ?unit a sn:DaycareCentre } UNION { ?unit sn:unitType sut:daycare-centre }
    } AS ?daycareCentre)
  }
  BIND (IF(?daycareCentre, pb:computational, pb:head-count) AS ?basis)
  BIND (STRLANG(CONCAT(
    "servicenet migration 0.1 → 1.0 (05-place-basis-default): the basis of places was not stated; set to ",
    IF(?daycareCentre, "computational places (the 0.1 reading of ECEC places at a daycare centre)",
       "head count"),
    " by default; replace it with the basis the city counted by."), "en") AS ?note)
}
