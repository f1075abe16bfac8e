"""Map legal-reference records to ELI legal resources, issuers and cited articles.

One eli:LegalResource per distinct document across the whole graph: its IRI depends only on the
normalised 文号 ({base}legal/<h(number)>) or, for a document cited by title alone, on its title key
({base}legal/title-<h(title key)>), so every document graph describes the same resource with the
same triples. The citing project (record key "project") or else the citing document gets
bkg:legalBasis; the citation's line and sentence are provenance on the legal resource."""

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from budgetkg.vocab import BKG, ELI
from budgetkg.etl.extract.legal import title_key
from budgetkg.etl.issuers import issuer_body
from budgetkg.etl.mapping import literal, register, short_hash, typed


def legal_iri(base, record):
    """IRI of the legal resource a record cites (by 文号, else by title)."""
    if record.get("number"):
        return URIRef(f"{base}legal/{short_hash(record['number'])}")
    return URIRef(f"{base}legal/title-{short_hash(title_key(record['title']))}")


def issuer_iri(base, code):
    """IRI of the issuing body of an issuer code (or, for an order, of the body's printed name)."""
    return URIRef(f"{base}issuer/{short_hash(code)}")


def article_iri(legal, article):
    """IRI of a cited article (eli:LegalResourceSubdivision) of a legal resource."""
    return URIRef(f"{legal}/article/{short_hash(article)}")


@register("legal_ref")
def map_legal_ref(builder, record):
    """Triples of one citation: the legal resource, its issuer and article, and the citing link."""
    if not record.get("number") and not record.get("title"):
        return
    legal = legal_iri(builder.base, record)
    builder.add(legal, RDF.type, ELI.LegalResource)
    if record.get("number"):
        builder.add(legal, ELI.id_local, literal(record["number"]))
        if record.get("year"):  # an order (…令第N号) has none
            builder.add(legal, BKG.documentYear, typed(str(record["year"]), XSD.gYear))
        builder.add(legal, BKG.serialNumber, Literal(int(record["serial"]), datatype=XSD.integer))
    if record.get("title"):
        builder.add(legal, ELI.title, literal(record["title"], "zh"))
    code = record.get("issuer_code")
    if code:
        builder.add(legal, BKG.issuerCode, literal(code))
        issuer = issuer_iri(builder.base, code)
        builder.add(legal, ELI.passed_by, issuer)
        builder.add(issuer, RDF.type, BKG.Issuer)
        builder.add(issuer, BKG.issuerCode, literal(code))
        builder.add(issuer, RDFS.label, literal(code))
        body = issuer_body(code)
        if body:
            builder.add(issuer, SKOS.prefLabel, literal(body, "zh"))
    elif record.get("issuer_body"):  # an order names its body, not a code
        issuer = issuer_iri(builder.base, record["issuer_body"])
        builder.add(legal, ELI.passed_by, issuer)
        builder.add(issuer, RDF.type, BKG.Issuer)
        builder.add(issuer, SKOS.prefLabel, literal(record["issuer_body"], "zh"))
    citing = URIRef(record["project"]) if record.get("project") else builder.doc
    builder.add(citing, BKG.legalBasis, legal)
    if record.get("article"):
        part = article_iri(legal, record["article"])
        builder.add(part, RDF.type, ELI.LegalResourceSubdivision)
        builder.add(part, ELI.is_part_of, legal)
        builder.add(legal, ELI.has_part, part)
        builder.add(part, BKG.articleLabel, literal(record["article"]))
        builder.add(citing, BKG.legalBasis, part)
    builder.provenance(legal, record)
