"""Map merged project records to bkg:Project resources with their texts, variants and topics.

Registered with etl.mapping for record kind "project"; amounts are figures with a bkg:project dimension."""

from rdflib.namespace import PROV, RDF, SKOS, XSD

from budgetkg.vocab import BKG, TOPIC
from budgetkg.etl.mapping import literal, register, short_hash, typed

TEXT_FACTS = {  # fact name -> (property, language-tagged?)
    "code": (BKG.projectCode, False), "department": (BKG.supervisingDepartment, False),
    "implementer": (BKG.implementingUnit, False), "overall_target": (BKG.overallTarget, True),
    "actual_outcome": (BKG.actualOutcome, True), "policy_basis": (BKG.policyBasisText, True),
    "fund_allocation": (BKG.fundAllocation, True), "execution_period": (BKG.executionPeriod, False),
    "funding_source_text": (BKG.fundingSourceText, False),
}
DECIMAL_FACTS = {"rate": BKG.executionRate, "total_score": BKG.totalScore}


def topic_iri(label):
    """IRI of a topic concept, from its label."""
    return TOPIC[short_hash(label)]


@register("project")
def map_project(builder, record):
    """Triples of one merged project of this document."""
    node = builder.project_iri(record["key"])
    builder.add(node, RDF.type, BKG.Project)
    builder.add(node, RDF.type, PROV.Activity)
    builder.add(builder.doc, BKG.hasProject, node)
    builder.add(node, SKOS.prefLabel, literal(record["name"], "zh"))
    for alt in record["alt_names"]:
        builder.add(node, SKOS.altLabel, literal(alt, "zh"))
    for name, (prop, tagged) in TEXT_FACTS.items():
        fact = record["facts"].get(name)
        if fact and str(fact["value"]).strip():
            builder.add(node, prop, literal(str(fact["value"]).strip(), "zh" if tagged else None))
    for name, prop in DECIMAL_FACTS.items():
        fact = record["facts"].get(name)
        if fact:
            builder.add(node, prop, typed(str(fact["value"]), XSD.decimal))
    for label in record["topics"]:
        topic = topic_iri(label)
        builder.add(node, BKG.topic, topic)
        builder.add(topic, RDF.type, BKG.Topic)
        builder.add(topic, RDF.type, SKOS.Concept)
        builder.add(topic, SKOS.prefLabel, literal(label, "zh"))
        builder.add(topic, SKOS.inScheme, BKG.TopicScheme)
    builder.provenance(node, record)
