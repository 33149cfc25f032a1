# Support levels of pre-school and basic-education offerings starting on or after 1 Aug 2025: general and intensified become group-level, special becomes pupil-level
#
# The reform of 1 Aug 2025 replaced the three tiers in pre-school and basic education (the code list
# says so: each old tier dct:isReplacedBy group-level and pupil-level, which carry the service types
# and the date). The vocabulary cannot say which new level an old one becomes, so this step chooses,
# as the 1.0 examples do: general and intensified support are given to the group (group-level);
# special support rests on an administrative decision on one pupil, which the transitional provision
# carries over as a decision on pupil-level support (pupil-level). The scope and the date are read
# from the code list, exactly as shapes/codes.ttl checks them. ECEC keeps its three tiers; offerings
# that started before the reform are history and keep theirs. Each changed offering gets a
# skos:editorialNote: a city whose offering gives pupil-level support to former intensified-support
# pupils adds support-level/pupil-level (docs/migration-1.0.md).
PREFIX sn:   <https://w3id.org/servicenet/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct:  <http://purl.org/dc/terms/>
PREFIX sl:   <https://w3id.org/servicenet/code/support-level/>

DELETE { GRAPH <urn:x-servicenet:migration:data> { ?offering sn:supportLevel ?old } }
INSERT { GRAPH <urn:x-servicenet:migration:data> {
  ?offering sn:supportLevel ?new ;
    skos:editorialNote "servicenet migration 0.1 → 1.0 (03-support-levels): general and intensified support were replaced by group-level support, special support by pupil-level support; check the levels this offering gives."@en .
} }
WHERE {
  VALUES (?old ?new) {
    (sl:general sl:group-level)
    (sl:intensified sl:group-level)
    (sl:special sl:pupil-level)
  }
  GRAPH <urn:x-servicenet:migration:data> {
    ?offering sn:supportLevel ?old ; sn:serviceType ?type ; sn:validFrom ?from .
  }
  GRAPH <urn:x-servicenet:migration:vocabulary> {
    ?old dct:isReplacedBy ?new .
    ?new sn:validFrom ?since ; sn:serviceType ?scope .
    ?type skos:broader* ?scope .
  }
  FILTER (?from >= ?since)
}
