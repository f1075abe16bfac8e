"""Dereferenceable IRIs: every unit, document, project, legal document, concept and term has a page.

HTML for people, the page's data as JSON, and Turtle / N-Triples / JSON-LD / RDF-XML by Accept or suffix."""

from budgetkg import vocab
from urllib.parse import quote

from flask import Blueprint, g, make_response, render_template, request
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from budgetkg.vocab import ONTOLOGY_IRI, PREFIXES as VOCAB_PREFIXES
from budgetkg.server import data, links, places
from budgetkg.server.errors import NotFound
from budgetkg.server.twin import RDF_MEDIA, alternates, resource_format, respond, rdf_response, split_suffix

bp = Blueprint("entity", __name__)
MAX_VALUES = 500
MAX_INBOUND = 300
MAX_SHOWN = 40  # inbound subjects listed per property; the rest are counted
TYPE = str(RDF.type)
PROV_DERIVED = str(vocab.PROV.wasDerivedFrom)
BKG = str(vocab.BKG)
PROVENANCE = {BKG + "sourceSection": "section", BKG + "sourceText": "text"}
FIRST = [TYPE, str(SKOS.prefLabel), str(RDFS.label), str(SKOS.altLabel), str(SKOS.notation)]


@bp.get("/<any(unit, doc, legal, issuer, code):kind>/<path:rest>")
def data_resource(kind, rest):
    """A data IRI ({base}unit/..., {base}doc/..., ...) or a code-list concept (https://budgetkg.org/code/...)."""
    path, suffix = split_suffix(f"{kind}/{rest}")
    return dereference(links.iri_for_path(path), resource_format(suffix), "/" + path)


@bp.get("/def/<term>")
def term(term):
    """An ontology term's own page (the ontology page has the same term as an anchor, /def#Term)."""
    name, suffix = split_suffix(term)
    return dereference(links.iri_for_path("def/" + name), resource_format(suffix), "/def/" + name)


@bp.get("/resource")
def any_resource():
    """Any IRI in the graph, also outside the configured base: /resource?iri=..."""
    value = request.args.get("iri", "").strip()
    if not value:
        raise NotFound("give the IRI to describe as ?iri=")
    return dereference(value, resource_format(), None)


@bp.app_template_filter("money")
def money(value):
    """An amount with thousands separators and at most two decimals."""
    from budgetkg.server.charts import fmt
    return fmt(value)


@bp.app_template_filter("href")
def href(value):
    """The link to an IRI on this server."""
    return links.href(value)


def dereference(value, fmt, path):
    """Answer for one IRI in the negotiated representation; a helpful 404 when nothing is known."""
    if fmt in RDF_MEDIA:
        graph = rdf_description(value)
        if not len(graph):
            raise NotFound(f"nothing is known about <{value}> in this graph")
        response = rdf_response(graph, fmt)
    else:
        view = describe_resource(value)
        if not view["exists"]:
            return not_found(value, fmt)
        from budgetkg.server import pages
        pages.specialise(view)
        view["queries"] = list(g.get("page_queries", []))
        view["self"] = path or "/resource?iri=" + quote(value, safe="")
        response = respond(view, lambda v: render_template(f"{v['kind']}.html", v=v), force_json=fmt == "json")
    if path:
        response.headers["Link"] = alternates(path)
    response.vary.add("Accept")
    return response


def not_found(value, fmt):
    """The 404 page for an unknown IRI: what IRIs look like here, and a search for its last segment."""
    if fmt == "json" or request.accept_mimetypes.best == "application/json":
        raise NotFound(f"nothing is known about <{value}> in this graph")
    response = make_response(render_template("not_found.html", iri=value, base=links.base(),
                                             hint=links.short(value)), 404)
    response.vary.add("Accept")
    return response


def rdf_description(value):
    """The RDF about an IRI: its triples and the triples pointing at it, plus what the ontology says."""
    node = data.iri(value)
    graph = data.construct(f"CONSTRUCT {{ {node} ?p ?o . ?s ?q {node} }} "
                           f"WHERE {{ {{ {node} ?p ?o }} UNION {{ ?s ?q {node} }} }}")
    if value == ONTOLOGY_IRI:
        graph += data.ontology()
    elif data.in_ontology(value):
        for triple in data.ontology().triples((URIRef(value), None, None)):
            graph.add(triple)
    from budgetkg.server.sparql import prefixes
    for name, namespace in {**prefixes(), **{k: str(v) for k, v in VOCAB_PREFIXES.items()}}.items():
        graph.bind(name, namespace, override=True)
    return graph


def ontology_statements(value):
    """(predicate, Term) pairs the ontology file states about an IRI."""
    out = []
    for predicate, obj in data.ontology().predicate_objects(URIRef(value)):
        if isinstance(obj, URIRef):
            out.append((str(predicate), data.Term("uri", str(obj))))
        elif hasattr(obj, "language"):
            out.append((str(predicate), data.Term("literal", str(obj), obj.language,
                                                  str(obj.datatype) if obj.datatype else None)))
    return out


def describe_resource(value):
    """The generic view of an IRI: properties, inbound links by property, provenance, graphs it is stated in."""
    node = data.iri(value)
    statements = [(row["p"].value, row["o"]) for row in data.select(
        f"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }} LIMIT {MAX_VALUES}")]
    if data.in_ontology(value):
        statements += [s for s in ontology_statements(value) if s not in statements]
    inbound = data.select(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} }} LIMIT {MAX_INBOUND}")
    counts = {row["p"].value: int(row["n"].value) for row in data.select(
        f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p {node} }} GROUP BY ?p")}
    graphs = [row["g"].value for row in data.select(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} }} ORDER BY ?g")]
    types = [o.value for p, o in statements if p == TYPE and o.is_iri]
    iris = [value, *types, *graphs] + [p for p, _ in statements] + [o.value for _, o in statements if o.is_iri]
    iris += [row["s"].value for row in inbound] + [row["p"].value for row in inbound]
    links.resolve_labels(iris)
    by_property = {}
    for predicate, obj in statements:
        by_property.setdefault(predicate, []).append(obj)
    order = sorted(by_property, key=lambda p: (FIRST.index(p) if p in FIRST else len(FIRST), links.label(p)))
    properties = [{"property": links.link(p), "values": [links.link(o) for o in sorted(
        by_property[p], key=lambda t: (links.label(t.value) if t.is_iri else t.value))]} for p in order]
    grouped = {}
    for row in inbound:
        grouped.setdefault(row["p"].value, []).append(links.link(row["s"]))
    inbound_groups = [{"property": links.link(p), "count": counts.get(p, len(subjects)),
                       "subjects": sorted(subjects, key=lambda s: s["label"])[:MAX_SHOWN]}
                      for p, subjects in sorted(grouped.items(), key=lambda item: links.label(item[0]))]
    return {"iri": value, "kind": "entity", "exists": bool(statements or inbound),
            "label": links.label(value), "types": [links.link(t) for t in types],
            "properties": properties, "inbound": inbound_groups,
            "graphs": [links.link(graph) for graph in graphs],
            "provenance": provenance(by_property), "sections": {}}


def provenance(by_property):
    """Source document, section, where it was printed (file part, page, line, table, row, column, sheet,
    cell and the place as one line) and the printed line itself, when the resource has them."""
    out = {name: by_property[prop][0].value for prop, name in PROVENANCE.items() if by_property.get(prop)}
    parts = places.parts_of({name: by_property[prop][0].value
                             for name, prop in places.PLACE.items() if by_property.get(prop)})
    if parts:
        out.update(parts, where=places.where(parts))
    documents = [t for t in by_property.get(PROV_DERIVED, []) if t.is_iri]
    if documents:
        links.resolve_labels([t.value for t in documents])
        out["documents"] = [links.link(t) for t in documents]
    return out


@bp.get("/def")
@bp.get("/def.<suffix>")
def ontology_page(suffix=None):
    """The ontology: a page with one anchor per term (/def#Term), or the ontology as RDF."""
    fmt = resource_format(split_suffix("def." + suffix)[1] if suffix else None)
    if fmt in RDF_MEDIA:
        response = rdf_response(data.ontology(), fmt)
        response.headers["Link"] = alternates("/def")
        return response
    view = ontology_view()
    response = respond(view, lambda v: render_template("ontology.html", v=v), force_json=fmt == "json")
    response.headers["Link"] = alternates("/def")
    return response


def ontology_view():
    """Classes, properties and concept schemes of the ontology with labels, definitions, domain and range."""
    graph = data.ontology()
    kinds = [("classes", OWL.Class), ("object_properties", OWL.ObjectProperty),
             ("datatype_properties", OWL.DatatypeProperty), ("schemes", SKOS.ConceptScheme)]
    view = {"iri": ONTOLOGY_IRI, "label": "budgetkg ontology"}
    for name, cls in kinds:
        terms = []
        for subject in sorted(set(graph.subjects(RDF.type, cls)), key=str):
            if not str(subject).startswith(BKG):
                continue
            text = {lang: None for lang in ("zh", "en")}
            for literal in graph.objects(subject, SKOS.definition):
                text[literal.language or "en"] = str(literal)
            zh, en = links.ontology_labels(str(subject))
            terms.append({"name": str(subject)[len(BKG):], "iri": str(subject), "zh": zh, "en": en,
                          "definition_zh": text["zh"], "definition_en": text["en"],
                          "domain": [links.short(str(o)) for o in graph.objects(subject, RDFS.domain)],
                          "range": [links.short(str(o)) for o in graph.objects(subject, RDFS.range)]})
        view[name] = terms
    return view
