# sn:utilisationRate (deprecated: a rate by placements, wrongly called käyttöaste) becomes sn:confirmedOccupancyRate
#
# 0.1 defined sn:utilisationRate as children weighted by occupancy coefficients divided by places,
# counted from the placements: that is the confirmed occupancy rate (vahvistettu täyttöaste) of 1.0,
# which the vocabulary names as its replacement (dct:isReplacedBy). The value is kept as it is.
PREFIX sn: <https://w3id.org/servicenet/ontology#>

WITH <urn:x-servicenet:migration:data>
DELETE { ?observation sn:utilisationRate ?rate }
INSERT { ?observation sn:confirmedOccupancyRate ?rate }
WHERE { ?observation sn:utilisationRate ?rate }
