# Every observation in an RDF Data Cube dataset (qb:dataSet): one qb:DataSet per structure, part of the city dataset, for observations that have none
#
# 1.0 aligns each kind of aggregate with a data structure definition (ontology/alignments/qb.ttl) and
# requires every observation to belong to a qb:DataSet with its qb:structure (Data Cube IC-1, IC-2).
# 0.1 put only forecast and survey observations in datasets. For the other observations this step
# makes one dataset per structure inside the city dataset (the dcat:Dataset naming sn:namedGraph):
#   <city dataset IRI>/<structure>   e.g. .../dataset/service-network-2025/capacity
# with the structure, titles and descriptions of what the structure holds, and the city dataset's
# publisher, licence and spatial coverage. Counts of children go to dsd:enrolment when they have a
# service-need option and to dsd:pupil-enrolment when they have grades instead; a count with
# neither fits no structure and is left for the city. A file without a city dataset gets nothing.
PREFIX sn:   <https://w3id.org/servicenet/ontology#>
PREFIX qb:   <http://purl.org/linked-data/cube#>
PREFIX dct:  <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

INSERT { GRAPH <urn:x-servicenet:migration:data> {
  ?observation qb:dataSet ?dataset .
  ?dataset a qb:DataSet , dcat:Dataset ;
    qb:structure ?structure ;
    dct:isPartOf ?city ;
    skos:editorialNote "servicenet migration 0.1 → 1.0 (07-data-cube-datasets): made from the observations of this structure in the city dataset; review its title, description and period."@en .
} }
WHERE {
  {
    SELECT (MIN(STR(?named)) AS ?cityIri) WHERE {
      GRAPH <urn:x-servicenet:migration:data> { ?named a dcat:Dataset ; sn:namedGraph ?graph }
    }
  }
  GRAPH <urn:x-servicenet:migration:data> {
    ?observation a ?class .
    FILTER NOT EXISTS { ?observation qb:dataSet ?any }
    VALUES (?class ?fixed) {
      (sn:CapacityObservation "capacity")
      (sn:EnrolmentObservation "")
      (sn:ServiceNeed "service-need")
      (sn:ProactiveOfferStatistic "proactive-offer")
      (sn:ApplicationStatistic "application")
      (sn:PopulationObservation "population")
    }
    BIND (IF(?fixed != "", ?fixed,
      IF(EXISTS { ?observation sn:serviceNeedOption ?option }, "enrolment",
        IF(EXISTS { ?observation sn:gradeRange ?grades }, "pupil-enrolment", "")))
      AS ?kind)
    FILTER (?kind != "")
  }
  BIND (IRI(?cityIri) AS ?city)
  BIND (IRI(CONCAT(?cityIri, "/", ?kind)) AS ?dataset)
  BIND (IRI(CONCAT("https://w3id.org/servicenet/ontology/dsd/", ?kind)) AS ?structure)
  GRAPH <urn:x-servicenet:migration:vocabulary> { ?structure a qb:DataStructureDefinition }
} ;

# What each new dataset holds, in fi, sv and en (the city may write better); the city dataset's
# publisher, licence and spatial coverage.
INSERT { GRAPH <urn:x-servicenet:migration:data> {
  ?dataset dct:title ?titleFi , ?titleSv , ?titleEn ;
    dct:description ?aboutFi , ?aboutSv , ?aboutEn .
} }
WHERE {
  VALUES (?structure ?fi ?sv ?en ?aboutFi ?aboutSv ?aboutEn) {
    (<https://w3id.org/servicenet/ontology/dsd/capacity>
      "Paikat yksiköittäin" "Platser per enhet" "Places per unit"
      "Varhaiskasvatus- ja oppilaspaikat yksiköittäin, ikäryhmittäin ja palvelulajeittain tilastopäivinä."@fi
      "Platser inom småbarnspedagogik och elevplatser per enhet, åldersgrupp och serviceform på statistikdagarna."@sv
      "ECEC and pupil places per unit, age group and service type on the reference dates."@en)
    (<https://w3id.org/servicenet/ontology/dsd/enrolment>
      "Lapset yksiköittäin palveluntarpeen mukaan" "Barn per enhet enligt servicebehov" "Children per unit by service-need option"
      "Varhaiskasvatuksessa olevat lapset yksiköittäin, ikäryhmittäin ja palveluntarpeittain."@fi
      "Barn inom småbarnspedagogiken per enhet, åldersgrupp och servicebehov."@sv
      "Children in ECEC per unit, age group and service-need option."@en)
    (<https://w3id.org/servicenet/ontology/dsd/pupil-enrolment>
      "Oppilaat kouluittain" "Elever per skola" "Pupils per school"
      "Perusopetuksen oppilaat kouluittain, ikäryhmittäin ja vuosiluokittain."@fi
      "Elever i den grundläggande utbildningen per skola, åldersgrupp och årskurser."@sv
      "Basic-education pupils per school, age group and grades."@en)
    (<https://w3id.org/servicenet/ontology/dsd/service-need>
      "Palveluntarve alueittain" "Servicebehov per område" "Service need per area"
      "Arvioitu varhaiskasvatuksen tarve alueittain, vuosittain, palveluntarpeittain ja vuorohoidon mukaan."@fi
      "Uppskattat behov av småbarnspedagogik per område, år, servicebehov och skiftomsorg."@sv
      "Estimated need for ECEC per area, year, service-need option and shift care."@en)
    (<https://w3id.org/servicenet/ontology/dsd/proactive-offer>
      "Esiopetuspaikkojen ennakoivat tarjoukset" "Proaktiva erbjudanden om förskoleplatser" "Proactive pre-school place offers"
      "Ennakoivasti lähetetyt, hyväksytyt ja hylätyt tarjoukset alueittain, lukuvuosittain, kanavittain ja kielittäin."@fi
      "Proaktivt skickade, godkända och avböjda erbjudanden per område, läsår, kanal och språk."@sv
      "Offers sent proactively, accepted and declined, per area, school year, channel and language."@en)
    (<https://w3id.org/servicenet/ontology/dsd/application>
      "Hakemukset" "Ansökningar" "Applications"
      "Hakemusten määrä vuosittain, palvelulajeittain ja asiointikanavittain."@fi
      "Antalet ansökningar per år, serviceform och kanal."@sv
      "The number of applications per year, service type and channel."@en)
    (<https://w3id.org/servicenet/ontology/dsd/population>
      "Väestö alueittain" "Befolkning per område" "Population per area"
      "Toteutunut väestö alueittain, ikäryhmittäin ja äidinkielen mukaan."@fi
      "Den faktiska befolkningen per område, åldersgrupp och modersmål."@sv
      "Actual population per area, age group and mother tongue."@en)
  }
  GRAPH <urn:x-servicenet:migration:data> {
    ?dataset a qb:DataSet ; qb:structure ?structure ; dct:isPartOf ?city .
    FILTER NOT EXISTS { ?dataset dct:title ?title }
    OPTIONAL { ?city dct:title ?cityFi FILTER (LANG(?cityFi) = "fi") }
    OPTIONAL { ?city dct:title ?citySv FILTER (LANG(?citySv) = "sv") }
    OPTIONAL { ?city dct:title ?cityEn FILTER (LANG(?cityEn) = "en") }
  }
  BIND (STRLANG(IF(BOUND(?cityFi), CONCAT(STR(?cityFi), ": ", ?fi), ?fi), "fi") AS ?titleFi)
  BIND (STRLANG(IF(BOUND(?citySv), CONCAT(STR(?citySv), ": ", ?sv), ?sv), "sv") AS ?titleSv)
  BIND (STRLANG(IF(BOUND(?cityEn), CONCAT(STR(?cityEn), ": ", ?en), ?en), "en") AS ?titleEn)
} ;

INSERT { GRAPH <urn:x-servicenet:migration:data> { ?dataset ?property ?value } }
WHERE {
  VALUES ?property { dct:publisher dct:license dct:spatial }
  GRAPH <urn:x-servicenet:migration:data> {
    ?dataset a qb:DataSet ; dct:isPartOf ?city .
    ?city sn:namedGraph ?graph ; ?property ?value .
    FILTER NOT EXISTS { ?dataset ?property ?stated }
  }
}
