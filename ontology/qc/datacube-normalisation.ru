# RDF Data Cube normalisation (W3C vocab-data-cube section 11.1): phase 1 (type and property closure),
# then phase 2 (push down attachment levels), in the order the specification gives. One SPARQL Update
# request; its operations run in sequence, before the ic-*-violation.rq queries. The checks load the
# vocabulary and the example datasets into the one scratch graph named by WITH (quality/sparql_checks.py).
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX qb:  <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Before the specification's phases: RDFS class membership (rule rdfs9), so that an instance of a
# subclass (sn:CapacityObservation, sn:PopulationForecast, ...) is a qb:Observation or qb:DataSet.
WITH <urn:servicenet:qc:datacube>
INSERT { ?x rdf:type ?super . } WHERE { ?x rdf:type ?class . ?class rdfs:subClassOf+ ?super . } ;

# Phase 1: type and property closure
WITH <urn:servicenet:qc:datacube>
INSERT { ?o rdf:type qb:Observation . } WHERE { [] qb:observation ?o . } ;

WITH <urn:servicenet:qc:datacube>
INSERT { ?o rdf:type qb:Observation . } WHERE { ?o qb:dataSet [] . } ;

WITH <urn:servicenet:qc:datacube>
INSERT { ?s rdf:type qb:Slice . } WHERE { [] qb:slice ?s . } ;

WITH <urn:servicenet:qc:datacube>
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty . } WHERE { ?cs qb:dimension ?p . } ;

WITH <urn:servicenet:qc:datacube>
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty . } WHERE { ?cs qb:measure ?p . } ;

WITH <urn:servicenet:qc:datacube>
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty . } WHERE { ?cs qb:attribute ?p . } ;

# Phase 2: dataset attachments
WITH <urn:servicenet:qc:datacube>
INSERT { ?obs ?comp ?value } WHERE {
    ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
    ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
    ?obs qb:dataSet ?dataset .
} ;

# Phase 2: slice attachments
WITH <urn:servicenet:qc:datacube>
INSERT { ?obs ?comp ?value } WHERE {
    ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
    ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
    ?slice ?comp ?value ; qb:observation ?obs .
} ;

# Phase 2: dimension values on slices
WITH <urn:servicenet:qc:datacube>
INSERT { ?obs ?comp ?value } WHERE {
    ?spec qb:componentProperty ?comp .
    ?comp rdf:type qb:DimensionProperty .
    ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
    ?slice ?comp ?value ; qb:observation ?obs .
}
