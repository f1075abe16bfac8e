"""The SPARQL 1.1 Protocol endpoint at /sparql: queries run in killable workers, updates need a token.

GET without a query answers the Service Description (RDF by conneg, or a small query form for browsers)."""

import hmac
from functools import lru_cache

from flask import Blueprint, current_app, g, make_response, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from budgetkg.server import describe
from budgetkg.server.errors import BadRequest, Forbidden, MethodNotAllowed, NotAcceptable, ServiceUnavailable
from budgetkg.server.limits import check_depth
from budgetkg.server.protocol import MEDIA, OFFERS, analyse, negotiate, read_operation
from budgetkg.server.results import default_prefixes

bp = Blueprint("sparql", __name__)
METHODS = ["GET", "POST", "OPTIONS"]
analyse_text = lru_cache(maxsize=256)(analyse)  # pure; the same questions come again and again


@lru_cache(maxsize=256)
def negotiate_all(accept_header, fmt):
    """({result kind: format key}, {result kind: why nothing fits}) for an Accept header and `format`
    parameter, cached: clients send the same few headers again and again."""
    accept = parse_accept_header(accept_header, MIMEAccept)
    formats, refusals = {}, {}
    for kind in OFFERS:
        try:
            formats[kind] = negotiate(kind, fmt, accept)
        except NotAcceptable as exc:
            refusals[kind] = exc.message
    return formats, refusals


def prefixes():
    """Prefixes for Turtle / RDF/XML results: the standard ones and the budgetkg vocabulary."""
    return default_prefixes()


@bp.route("/sparql/", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
@bp.route("/sparql", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def endpoint():
    """Answer a SPARQL query or update, or describe the service."""
    if request.method not in METHODS:
        raise MethodNotAllowed(f"{request.method} is not allowed here; use GET or POST",
                               {"Allow": ", ".join(METHODS)})
    if request.method == "OPTIONS":
        response = make_response("", 204)
        response.headers["Allow"] = ", ".join(METHODS)
        return response
    operation = read_operation()
    if operation is None:
        if request.method == "POST":
            raise BadRequest("the request has no query or update parameter")
        return describe.service_description()
    g.operation = operation
    return run_update(operation) if operation.kind == "update" else run_query(operation)


def check_service(analysis, allowed):
    """Refuse SERVICE unless the operator allowed it."""
    if analysis.uses_service and not allowed:
        raise Forbidden("SERVICE (federated query) is disabled on this endpoint: it never makes "
                        "outbound requests. Download the data from /downloads and query it locally.")


def query_job(operation, accept_header, base_iri, settings):
    """Check and negotiate a query; return the job a worker runs (HTTPError when it is refused)."""
    analysis = analyse_text(operation.text)
    if analysis.form == "update":
        raise BadRequest("this is a SPARQL Update, not a query; send it as `update` (updates are disabled "
                         "unless the operator configured a token)")
    check_service(analysis, settings["ALLOW_SERVICE"])
    check_depth(analysis.depth, settings["MAX_QUERY_DEPTH"])
    formats, refusals = negotiate_all(accept_header, operation.format)
    if analysis.form in refusals:
        raise NotAcceptable(refusals[analysis.form])
    return {"query": operation.text, "default_graphs": operation.default_graphs,
            "named_graphs": operation.named_graphs, "has_dataset": analysis.has_dataset,
            "formats": formats, "not_acceptable": refusals, "max_rows": settings["MAX_ROWS"],
            "base_iri": base_iri + "sparql"}  # the worker adds default_prefixes() itself


def result_headers(key, version, truncated, max_rows):
    """The headers of a query result (besides Content-Length, CORS and the security headers)."""
    headers = [("Content-Type", MEDIA[key] + ("; charset=utf-8" if key in ("csv", "tsv") else "")),
               ("X-Store-Version", version)]
    if truncated:
        headers.append(("X-Result-Truncated", f"true; max-rows={max_rows}"))
    headers.append(("Vary", "Accept"))
    return headers


def answer_query(operation, accept_header, base_iri, settings, pool):
    """Run a query on the worker pool; return (body bytes, headers) or raise the HTTPError that stopped it.

    The one query path: the Flask view and the WSGI fast path (fastpath.py) both call it."""
    job = query_job(operation, accept_header, base_iri, settings)
    reply = pool.run(job, settings["QUERY_TIMEOUT"], settings["QUEUE_TIMEOUT"])
    if reply[0] == "error":
        raise describe.error_for(reply[1], reply[2])
    _, _kind, key, body, truncated, version = reply
    return body, result_headers(key, version, truncated, settings["MAX_ROWS"])


def run_query(operation):
    """Check, negotiate and run a query on the worker pool (Flask view)."""
    body, headers = answer_query(operation, request.headers.get("Accept", ""), describe.base_url(),
                                 current_app.config, current_app.extensions["budgetkg"]["pool"]())
    return make_response(body, 200, headers)


def authorised():
    """True when updates are enabled and the request carries the operator token."""
    token = current_app.config.get("UPDATE_TOKEN")
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def run_update(operation):
    """Apply an update to a new store version (operator token required), killed after the time limit."""
    if not authorised():
        raise Forbidden("this endpoint is read-only: SPARQL Update is refused"
                        + (" (wrong or missing operator token)" if current_app.config.get("UPDATE_TOKEN") else ""))
    if operation.default_graphs or operation.named_graphs:
        raise BadRequest("using-graph-uri / using-named-graph-uri are not supported; use USING in the update")
    analysis = analyse(operation.text)
    check_service(analysis, current_app.config["ALLOW_SERVICE"])
    check_depth(analysis.depth, current_app.config["MAX_QUERY_DEPTH"])
    from budgetkg.server import isolate_workers
    from budgetkg.server.pool import Worker, WorkerOptions
    worker = Worker(current_app.config["STORE"], WorkerOptions(isolate_workers(current_app.config)))
    timeout = current_app.config["QUERY_TIMEOUT"]
    try:
        if not worker.wait_ready(timeout):
            raise ServiceUnavailable("could not start the update process")
        worker.conn.send({"update": operation.text, "base_iri": request.base_url})
        if not worker.conn.poll(timeout):
            raise ServiceUnavailable(f"update timed out after {timeout:g} s and was rolled back")
        status, message = worker.conn.recv()
    finally:
        worker.kill()  # killing before publication leaves the published version untouched
    if status != 200:
        raise describe.error_for(status, message)
    return make_response(message + "\n", 200, {"Content-Type": "text/plain; charset=utf-8"})
