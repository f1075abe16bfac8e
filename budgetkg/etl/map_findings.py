"""Map placeholder records (template text printed where a number was meant) to bkg:TemplatePlaceholder.

Registered with etl.mapping for record kind "placeholder"; validation reports each as a document finding."""

from rdflib import URIRef
from rdflib.namespace import RDF

from budgetkg.vocab import BKG, ITEM
from budgetkg.etl.mapping import literal, register, short_hash


@register("placeholder")
def map_placeholder(builder, record):
    """Triples of one unfilled placeholder, with the item it stands beside and where it is printed."""
    node = URIRef(f"{builder.doc}/placeholder/{short_hash(str(record['line']) + '|' + record['text'])}")
    builder.add(node, RDF.type, BKG.TemplatePlaceholder)
    builder.add(node, BKG.printedValue, literal(record["printed"]))
    if record.get("item"):
        builder.add(node, BKG.item, ITEM[record["item"]])
    builder.provenance(node, record)
