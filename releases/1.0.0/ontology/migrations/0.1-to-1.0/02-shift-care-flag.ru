# Shift care is a flag (sn:shiftCare), not an option: option shift-care becomes full-day + shift-care/full; other needs get shift-care/none
#
# 0.1 counted shift care as a service-need option of its own. In 1.0 the option
# code/service-need-option/shift-care is deprecated (dct:isReplacedBy code/shift-care/full): the
# child's option is full day and shift care is stated beside it. A count or need that already states
# sn:shiftCare keeps its own value. Service needs are a Data Cube with the shift-care dimension
# (dsd:service-need), so every need carries sn:shiftCare: none where 0.1 had another option.
PREFIX sn:  <https://w3id.org/servicenet/ontology#>
PREFIX sno: <https://w3id.org/servicenet/code/service-need-option/>
PREFIX sc:  <https://w3id.org/servicenet/code/shift-care/>

WITH <urn:x-servicenet:migration:data>
DELETE { ?subject sn:serviceNeedOption sno:shift-care }
INSERT { ?subject sn:serviceNeedOption sno:full-day ; sn:shiftCare ?flag }
WHERE {
  ?subject sn:serviceNeedOption sno:shift-care .
  OPTIONAL { ?subject sn:shiftCare ?stated }
  BIND (COALESCE(?stated, sc:full) AS ?flag)
} ;

WITH <urn:x-servicenet:migration:data>
INSERT { ?need sn:shiftCare sc:none }
WHERE {
  ?need a sn:ServiceNeed .
  FILTER NOT EXISTS { ?need sn:shiftCare ?stated }
}
