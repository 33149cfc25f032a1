# sn:placeBasis head-count where 0.1 itself implied it: pupil places of basic education and the places of family daycare
#
# 1.0 requires the basis of every figure of places. 0.1 had none, but two kinds of figure could only
# be head counts by 0.1's own definitions: sn:places counted "pupil places" in basic education (one
# pupil, no occupancy coefficients), and a family daycare unit (sn:FamilyDaycare) cares for "at most
# four full-time children", so its places are children. Figures that already state a basis keep it.
# Every other figure is left to 05-place-basis-default.
PREFIX sn:   <https://w3id.org/servicenet/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX st:   <https://w3id.org/servicenet/code/service-type/>
PREFIX sut:  <https://w3id.org/servicenet/code/service-unit-type/>
PREFIX pb:   <https://w3id.org/servicenet/code/place-basis/>

INSERT { GRAPH <urn:x-servicenet:migration:data> { ?capacity sn:placeBasis pb:head-count } }
WHERE {
  GRAPH <urn:x-servicenet:migration:data> {
    ?capacity a sn:CapacityObservation ; sn:places ?places .
    FILTER NOT EXISTS { ?capacity sn:placeBasis ?stated }
  }
  {
    GRAPH <urn:x-servicenet:migration:data> { ?capacity sn:serviceType ?type }
    GRAPH <urn:x-servicenet:migration:vocabulary> { ?type skos:broader* st:basic-education }
  } UNION {
    GRAPH <urn:x-servicenet:migration:data> {
      ?capacity sn:unit ?unit .
      { ?unit a sn:FamilyDaycare } UNION { ?unit sn:unitType sut:family-daycare }
    }
  }
}
