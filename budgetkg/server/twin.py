"""The one place that chooses between a page and its machine twin (JSON) for a request.

Machine clients get JSON unless they prefer HTML; browsers (text/html first) get the page."""

from flask import jsonify, request

HTML, JSON = "text/html", "application/json"


def wants_json():
    """True when the request prefers JSON to HTML (path ending .json, Accept, or no HTML in Accept)."""
    if request.path.endswith(".json") or request.args.get("format") == "json":
        return True
    accept = request.accept_mimetypes
    if not accept or accept.best == "*/*":
        return False
    return accept.best_match([HTML, JSON], default=JSON) == JSON


def respond(data, render_html, force_json=False, error=False):
    """Answer with JSON data or the HTML page render_html(data); Vary: Accept either way."""
    if force_json or render_html is None or wants_json() or (error and request.path.startswith("/sparql")
                                                             and HTML not in request.accept_mimetypes.values()):
        response = jsonify(data)
    else:
        response = request_page(render_html(data))
    response.vary.add("Accept")
    return response


def request_page(html):
    """Wrap rendered HTML in a response."""
    from flask import make_response
    response = make_response(html)
    response.mimetype = HTML
    return response


# --- resources (dereferenced IRIs): HTML, the page's JSON, or RDF ------------------------------------

RDF_MEDIA = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
             "rdfxml": "application/rdf+xml"}
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
SUFFIXES = {".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".rdf": "rdfxml", ".json": "json", ".html": "html"}
FORMAT_NAMES = {"html": "html", "json": "json", "ttl": "ttl", "turtle": "ttl", "nt": "nt", "ntriples": "nt",
                "n-triples": "nt", "jsonld": "jsonld", "json-ld": "jsonld", "rdfxml": "rdfxml", "rdf": "rdfxml",
                "xml": "rdfxml", **{media: key for key, media in RDF_MEDIA.items()}}
ACCEPT_OFFERS = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
                 "application/x-turtle": "ttl", "application/n-triples": "nt", "text/plain": "nt",
                 "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml", "application/json": "json"}


def split_suffix(path):
    """Split a twin suffix (.ttl .nt .jsonld .rdf .json .html) off a resource path: (path, format or None)."""
    for suffix, fmt in SUFFIXES.items():
        if path.endswith(suffix):
            return path[:-len(suffix)], fmt
    return path, None


def resource_format(suffix_format=None):
    """The representation of a resource to send: html, json (the page's data) or an RDF format key.

    A path suffix wins, then ?format=, then Accept (q-values; */* or none gives the HTML page)."""
    from budgetkg.server.errors import NotAcceptable
    if suffix_format:
        return suffix_format
    name = request.args.get("format")
    if name:
        if name not in FORMAT_NAMES:
            raise NotAcceptable(f"unknown format {name!r}; use one of html json ttl nt jsonld rdfxml")
        return FORMAT_NAMES[name]
    accept = request.accept_mimetypes
    if not accept or accept.best == "*/*":
        return "html"
    best = accept.best_match(list(ACCEPT_OFFERS))
    if best is None:
        raise NotAcceptable("this resource is offered as " + ", ".join(ACCEPT_OFFERS))
    return ACCEPT_OFFERS[best]


def rdf_response(graph, fmt):
    """Serialise an rdflib graph as the RDF format key fmt; Vary: Accept."""
    from flask import make_response
    response = make_response(graph.serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8"))
    media = RDF_MEDIA[fmt]
    response.headers["Content-Type"] = media + ("; charset=utf-8" if media.startswith("text/") else "")
    response.vary.add("Accept")
    return response


def alternates(path):
    """A Link header value naming the machine twins of a resource page at path."""
    twins = [(".ttl", "text/turtle"), (".nt", "application/n-triples"), (".jsonld", "application/ld+json"),
             (".rdf", "application/rdf+xml"), (".json", "application/json")]
    return ", ".join(f'<{path}{suffix}>; rel="alternate"; type="{media}"' for suffix, media in twins)
