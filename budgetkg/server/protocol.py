"""SPARQL 1.1 Protocol plumbing: reading the operation from a request, analysing it, negotiating formats.

Nothing here runs a query; sparql.py puts these pieces together and hands the job to the worker pool."""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl

from flask import request
from werkzeug.http import parse_options_header

from budgetkg.server.errors import BadRequest, NotAcceptable, UnsupportedMediaType
from budgetkg.server.limits import query_depth

# Result media types per result kind, in order of preference; the first is the default.
SOLUTIONS = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
             "text/csv": "csv", "text/tab-separated-values": "tsv",
             "application/json": "json", "application/xml": "xml", "text/xml": "xml"}
BOOLEAN = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
           "application/json": "json", "application/xml": "xml", "text/xml": "xml",
           "text/csv": "csv", "text/tab-separated-values": "tsv"}
GRAPH = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
         "application/rdf+xml": "rdfxml", "application/x-turtle": "ttl", "text/plain": "nt",
         "application/json": "jsonld", "application/xml": "rdfxml"}
OFFERS = {"solutions": SOLUTIONS, "boolean": BOOLEAN, "graph": GRAPH}
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "csv": "text/csv", "tsv": "text/tab-separated-values", "ttl": "text/turtle",
         "nt": "application/n-triples", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}
FORMAT_ALIASES = {"json": {"json", "jsonld"}, "xml": {"xml", "rdfxml"}, "csv": {"csv"}, "tsv": {"tsv"},
                  "ttl": {"ttl"}, "turtle": {"ttl"}, "nt": {"nt"}, "ntriples": {"nt"}, "n-triples": {"nt"},
                  "jsonld": {"jsonld"}, "json-ld": {"jsonld"}, "rdfxml": {"rdfxml"}, "rdf": {"rdfxml"},
                  "srj": {"json"}, "srx": {"xml"}}
FORMS = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}

_LEXICAL = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
                      r'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*''', re.S)
_KEYWORD = re.compile(r"(?<![\w:?$@\-])([A-Za-z]+)(?![\w:\-])")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass
class Operation:
    """What a protocol request asks: a query or an update, with its dataset parameters."""

    kind: str  # "query" or "update"
    text: str
    default_graphs: list = field(default_factory=list)
    named_graphs: list = field(default_factory=list)
    format: str | None = None


@dataclass
class Analysis:
    """Keywords found outside strings, IRIs and comments: the query form, FROM, SERVICE; nesting depth."""

    form: str | None
    has_dataset: bool
    uses_service: bool
    depth: int = 0


def blank_lexical(text):
    """The text with \\u escapes decoded (as the parser does) and strings, IRIs and comments blanked out."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    return _LEXICAL.sub(" ", text)


def keywords(text):
    """Upper-cased keywords of a SPARQL text, outside strings, IRIs and comments."""
    return [word.upper() for word in _KEYWORD.findall(blank_lexical(text))]


def analyse(text):
    """Find the query form, whether it has FROM clauses, whether it calls SERVICE, and its depth."""
    stripped = blank_lexical(text)
    words = [word.upper() for word in _KEYWORD.findall(stripped)]
    form = next((w for w in words if w in FORMS or w in UPDATE_KEYWORDS), None)
    return Analysis(FORMS.get(form, "update" if form in UPDATE_KEYWORDS else None),
                    "FROM" in words, "SERVICE" in words, query_depth(stripped))


def decode(data, what):
    """Decode bytes as UTF-8 or answer 400."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"{what} is not valid UTF-8: {exc}")


def parse_pairs(data, what):
    """Parse application/x-www-form-urlencoded bytes strictly (UTF-8 after percent-decoding)."""
    try:
        return parse_qsl(decode(data, what), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"{what} is not valid UTF-8 after percent-decoding: {exc}")


def read_operation():
    """Read the query or update of the current Flask request; None for a bare GET."""
    return operation_from(request.method, request.query_string, request.headers.get("Content-Type", ""),
                          lambda: request.get_data(cache=False))


@lru_cache(maxsize=64)
def content_type_parts(header):
    """(lower-case mimetype, charset) of a Content-Type header value, as Flask's request reads them."""
    mimetype, params = parse_options_header(header)
    return mimetype.lower(), params.get("charset", "utf-8").lower()


CACHED_REQUEST_BYTES = 16 * 1024  # requests up to this size have their parsed operation cached


@lru_cache(maxsize=256)
def _cached_operation(method, query_string, content_type, body):
    return operation_from(method, query_string, content_type, lambda: body)


def parsed_operation(method, query_string, content_type, body):
    """operation_from for a request whose body is already read, cached for small requests: clients send
    the same few queries again and again. The Operation returned is shared: do not change it."""
    if len(query_string) + len(body) > CACHED_REQUEST_BYTES:
        return operation_from(method, query_string, content_type, lambda: body)
    return _cached_operation(method, query_string, content_type, body)


def operation_from(method, query_string, content_type, read_body):
    """Read the query or update from GET parameters or a POST body; None for a bare GET.

    query_string is bytes, content_type the header value ("" when absent), read_body() the body bytes:
    the one reading of a protocol request, shared by the Flask view and the WSGI fast path."""
    params = parse_pairs(query_string, "the query string") if query_string else []
    if method == "POST":
        mimetype, charset = content_type_parts(content_type)
        if not mimetype:
            raise UnsupportedMediaType("POST needs a Content-Type: application/x-www-form-urlencoded, "
                                       "application/sparql-query or application/sparql-update")
        if charset not in ("utf-8", "utf8"):
            raise BadRequest(f"only UTF-8 is accepted, not charset={charset}")
        body = read_body()
        if mimetype == "application/x-www-form-urlencoded":
            params += parse_pairs(body, "the form body")
        elif mimetype in ("application/sparql-query", "application/sparql-update"):
            body_text = decode(body, "the request body")
            if any(name in ("query", "update") for name, _ in params):
                raise BadRequest("the query or update goes in the body or in a parameter, not both")
            params.append(("query" if mimetype.endswith("query") else "update", body_text))
        else:
            raise UnsupportedMediaType(f"unsupported Content-Type {mimetype}; use application/x-www-form-"
                                       "urlencoded, application/sparql-query or application/sparql-update")
    texts = {name: [v for n, v in params if n == name] for name in ("query", "update")}
    if sum(len(v) for v in texts.values()) > 1:
        raise BadRequest("exactly one query or update parameter is allowed")
    kind = "query" if texts["query"] else "update" if texts["update"] else None
    if kind is None:
        return None
    if kind == "update" and method != "POST":
        raise BadRequest("a SPARQL Update must be sent with POST")
    prefix = "" if kind == "query" else "using-"
    return Operation(kind, texts[kind][0],
                     [v for n, v in params if n == prefix + "default-graph-uri" or
                      (kind == "update" and n == "using-graph-uri")],
                     [v for n, v in params if n == prefix + "named-graph-uri"],
                     next((v for n, v in params if n == "format"), None))


def negotiate(kind, fmt=None, accept=None):
    """Choose a result format key for a result kind from `format` or Accept (default: the request's);
    406 if none fits."""
    offers = OFFERS[kind]
    if fmt:
        wanted = FORMAT_ALIASES.get(fmt.lower()) or ({offers[fmt]} if fmt in offers else set())
        choice = next((key for key in dict.fromkeys(offers.values()) if key in wanted), None)
        if choice is None:
            raise NotAcceptable(f"format={fmt} does not fit a {kind_name(kind)} result; use one of "
                                f"{', '.join(dict.fromkeys(offers.values()))}")
        return choice
    accept = request.accept_mimetypes if accept is None else accept
    if not accept:
        return next(iter(offers.values()))
    best = accept.best_match(list(offers))
    if best is None:
        raise NotAcceptable(f"nothing acceptable for a {kind_name(kind)} result; this endpoint offers "
                            f"{', '.join(offers)}")
    return offers[best]


def kind_name(kind):
    """Human name of a result kind."""
    return {"solutions": "SELECT", "boolean": "ASK", "graph": "CONSTRUCT/DESCRIBE"}[kind]
