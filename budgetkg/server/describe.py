"""Descriptions of the service and the data: SPARQL Service Description and VoID + DCAT, by conneg.

Both are built with rdflib from the published version's manifest.json, resolved against the request URL."""

from budgetkg import vocab
from flask import Blueprint, current_app, make_response, render_template_string, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from budgetkg.server import errors, security
from budgetkg.server.errors import NotAcceptable

bp = Blueprint("void", __name__)
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
PROV = vocab.PROV
SPDX = Namespace("http://spdx.org/rdf/terms#")
RDF_OFFERS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
              "application/rdf+xml": "xml", "text/plain": "nt", "application/json": "json-ld"}
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]
ERRORS = {cls.status: cls for cls in (errors.BadRequest, errors.Forbidden, errors.NotAcceptable,
                                      errors.ServiceUnavailable)}
FORM = """<!doctype html><html lang="en"><meta charset="utf-8"><title>SPARQL · budgetkg</title>
<h1>SPARQL endpoint</h1><form method="post" action="{{ url_for('sparql.endpoint') }}">
<textarea name="query" rows="12" cols="90">SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g</textarea>
<br><select name="format">{% for f in formats %}<option>{{ f }}</option>{% endfor %}</select>
<button>Run</button></form><p>Default graph: the union of all named graphs. Time limit
{{ config.QUERY_TIMEOUT }} s, at most {{ config.MAX_ROWS }} rows. The service description is
available as Turtle, N-Triples, JSON-LD or RDF/XML by content negotiation. <a href="/">Home</a></p></html>"""


def error_for(status, message):
    """The typed error for a status a worker reported."""
    return ERRORS.get(status, errors.HTTPError)(message)


def base_url():
    """The public base URL (BASE_URL setting, else this request's root), ending in a slash."""
    base = security.request_base_url()
    return base if base.endswith("/") else base + "/"


def rdf_response(graph, html=None):
    """Serialise a graph in the negotiated RDF format (Turtle by default); HTML only if preferred."""
    fmt = request.args.get("format")
    offers = list(RDF_OFFERS)
    if html is not None:
        offers.append("text/html")
    accept = request.accept_mimetypes
    if fmt:
        mimetype = next((m for m, f in RDF_OFFERS.items() if fmt in (f, m, m.split("/")[1])), None)
    elif not accept or accept.best == "*/*":
        mimetype = "text/turtle"
    else:
        mimetype = accept.best_match(offers)
    if mimetype is None:
        raise NotAcceptable(f"this resource is offered as {', '.join(offers)}")
    if mimetype == "text/html":
        response = make_response(html())
    else:
        response = make_response(graph.serialize(format=RDF_OFFERS[mimetype], encoding="utf-8"))
        response.headers["Content-Type"] = mimetype + ("; charset=utf-8" if mimetype.startswith("text/") else "")
    response.vary.add("Accept")
    return security.description_cache_headers(response)


def service_description():
    """The SPARQL 1.1 Service Description of /sparql (or a query form for browsers)."""
    config = current_app.config
    endpoint = URIRef(base_url() + "sparql")
    graph = Graph(bind_namespaces="rdflib")
    graph.bind("sd", SD)
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    if config.get("UPDATE_TOKEN"):
        graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMATS:
        graph.add((endpoint, SD.resultFormat, FORMATS[name]))
    dataset, default = BNode(), BNode()
    graph.add((endpoint, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    manifest = published_manifest()
    if manifest:
        graph.add((default, VOID.triples, Literal(manifest["stats"]["triples"])))
        for entry in manifest["files"]:
            if "graph" in entry:
                named, inner = BNode(), BNode()
                graph.add((dataset, SD.namedGraph, named))
                graph.add((named, SD.name, URIRef(entry["graph"])))
                graph.add((named, SD.graph, inner))
                graph.add((inner, VOID.triples, Literal(entry["triples"])))
    graph.add((endpoint, VOID.sparqlEndpoint, endpoint))  # lets crawlers find the VoID too
    graph.add((endpoint, DCTERMS.description, Literal(
        f"Read-only SPARQL 1.1 endpoint; queries stop after {config['QUERY_TIMEOUT']} s and return at most "
        f"{config['MAX_ROWS']} rows; SERVICE is disabled.", lang="en")))
    return rdf_response(graph, html=lambda: render_template_string(
        FORM, formats=["json", "csv", "tsv", "xml", "ttl", "nt", "jsonld", "rdfxml"]))


def published_manifest():
    """The current version's manifest.json, or None."""
    from budgetkg.server.downloads import current_downloads
    try:
        return current_downloads()[1]
    except errors.NotFound:
        return None


def void_graph(manifest):
    """VoID + DCAT description of the published dataset and its distributions."""
    base = base_url()
    config = current_app.config
    graph = Graph(bind_namespaces="rdflib")
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("prov", PROV), ("spdx", SPDX)):
        graph.bind(prefix, ns)
    dataset = URIRef(base + ".well-known/void#budgetkg")
    stats = manifest["stats"]
    for cls in (VOID.Dataset, DCAT.Dataset):
        graph.add((dataset, RDF.type, cls))
    graph.add((dataset, DCTERMS.title, Literal(config["TITLE"], lang="en")))
    graph.add((dataset, DCTERMS.description, Literal(config["DESCRIPTION"], lang="en")))
    graph.add((dataset, DCTERMS.license, URIRef(config["LICENSE"])))
    graph.add((dataset, DCTERMS.modified, Literal(manifest["generated"], datatype=XSD.dateTime)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    graph.add((dataset, VOID.triples, Literal(stats["triples"])))
    graph.add((dataset, VOID.distinctSubjects, Literal(stats["distinct_subjects"])))
    graph.add((dataset, VOID.properties, Literal(stats["properties"])))
    graph.add((dataset, VOID.classes, Literal(len(stats["classes"]))))
    graph.add((dataset, VOID.vocabulary, URIRef(str(vocab.BKG))))
    graph.add((dataset, VOID.uriSpace, Literal(current_app.config["BASE"])))
    service = URIRef(base + "sparql")
    graph.add((dataset, DCAT.accessService, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCAT.endpointURL, service))
    graph.add((service, DCAT.servesDataset, dataset))
    for row in stats["classes"]:
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(row["class"])))
        graph.add((partition, VOID.entities, Literal(row["entities"])))
    for document in stats["documents"]:
        graph.add((dataset, PROV.hadPrimarySource, URIRef(document)))
    for entry in manifest["files"]:
        url = URIRef(base + "downloads/" + entry["path"])
        distribution = BNode()
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(entry["title"], lang="en")))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCAT.mediaType,
                   URIRef("https://www.iana.org/assignments/media-types/" + entry["media_type"])))
        if "compress_format" in entry:
            graph.add((distribution, DCAT.compressFormat,
                       URIRef("https://www.iana.org/assignments/media-types/" + entry["compress_format"])))
        graph.add((distribution, DCAT.byteSize, Literal(entry["size"], datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        graph.add((distribution, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(entry["sha256"], datatype=XSD.hexBinary)))
        if entry["path"] in ("budgetkg.nq.gz", "budgetkg.trig"):
            graph.add((dataset, VOID.dataDump, url))
        if "graph" in entry:
            subset = BNode()
            graph.add((dataset, VOID.subset, subset))
            graph.add((subset, RDF.type, VOID.Dataset))
            graph.add((subset, VOID.triples, Literal(entry["triples"])))
            graph.add((subset, VOID.dataDump, url))
            graph.add((subset, DCTERMS.source, URIRef(entry["graph"])))
    return graph


@bp.get("/.well-known/void")
def void():
    """The VoID + DCAT description (Turtle by default; N-Triples, JSON-LD, RDF/XML by conneg)."""
    from budgetkg.server.downloads import current_downloads
    return rdf_response(void_graph(current_downloads()[1]))
