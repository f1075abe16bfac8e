"""A lean WSGI path for the hot requests: SPARQL queries at /sparql (GET ?query=, POST form or
application/sparql-query), answered without Flask's routing, request and response objects.

It runs the same code as the Flask view: protocol.operation_from reads the operation (through
protocol.parsed_operation, which caches small requests),
sparql.answer_query checks, negotiates and runs it on the worker pool, and the headers come from
the same functions (sparql.result_headers, read_cors_headers, security.HEADERS). Everything else is
passed to Flask untouched: other paths and methods, bare GETs (the service description), updates,
bodies without a Content-Length or over MAX_BODY, hosts werkzeug refuses (TRUSTED_HOSTS, malformed). An error is rendered by
Flask's one error handler inside a request context, so its status, headers and document are those of
the Flask path; the query is never run twice."""

import io
from functools import lru_cache

from flask import g
from werkzeug.wsgi import get_current_url

from budgetkg.server import read_cors_headers, security
from budgetkg.server.errors import HTTPError, handle_error
from budgetkg.server.protocol import parsed_operation
from budgetkg.server.sparql import answer_query

PATHS = ("/sparql", "/sparql/")
FORM_TYPES = ("application/x-www-form-urlencoded", "application/sparql-query")
SECURITY_HEADERS = tuple(security.HEADERS.items())
ROOT_KEYS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")


@lru_cache(maxsize=256)
def root_url(parts, trusted_hosts):
    """werkzeug's root URL of a request from its ROOT_KEYS values (cached: clients send the same Host);
    werkzeug's SecurityError for a Host outside trusted_hosts (Flask's TRUSTED_HOSTS), as Flask checks it."""
    return get_current_url({key: value for key, value in zip(ROOT_KEYS, parts) if value is not None},
                           root_only=True, trusted_hosts=trusted_hosts)


def base_iri(environ, settings):
    """The public base URL ending in a slash, as describe.base_url() gives it (BASE_URL or the request's).

    The Host is checked against TRUSTED_HOSTS even with BASE_URL set, as Flask does for every request."""
    trusted = settings.get("TRUSTED_HOSTS")
    root = root_url(tuple(environ.get(key) for key in ROOT_KEYS), tuple(trusted) if trusted else None)
    base = settings["BASE_URL"] or root
    return base if base.endswith("/") else base + "/"


def body_length(environ, limit):
    """The declared body length when the fast path may read it (0 for GET), else None."""
    if environ["REQUEST_METHOD"] == "GET":
        return 0
    declared = environ.get("CONTENT_LENGTH", "")
    if not declared.isdigit() or int(declared) > limit or environ.get("HTTP_TRANSFER_ENCODING"):
        return None
    return int(declared)


def takes(environ):
    """True for a request this path may answer: a query GET or POST at /sparql."""
    if environ.get("PATH_INFO") not in PATHS:
        return False
    method = environ["REQUEST_METHOD"]
    if method == "GET":
        return "query=" in environ.get("QUERY_STRING", "")
    return method == "POST" and environ.get("CONTENT_TYPE", "").lower().startswith(FORM_TYPES)


class SparqlFastPath:
    """WSGI middleware: answers query requests at /sparql itself, hands every other request to Flask."""

    def __init__(self, app, flask_wsgi):
        self.app, self.flask_wsgi = app, flask_wsgi
        self.settings = app.config
        self.get_pool = app.extensions["budgetkg"]["pool"]

    def __call__(self, environ, start_response):
        if not takes(environ):
            return self.flask_wsgi(environ, start_response)
        settings = self.settings
        length = body_length(environ, settings["MAX_CONTENT_LENGTH"])
        if length is None:
            return self.flask_wsgi(environ, start_response)
        try:
            base = base_iri(environ, settings)
        except Exception:  # noqa: BLE001 - e.g. werkzeug's SecurityError on a bad Host: Flask answers it
            return self.flask_wsgi(environ, start_response)
        body = environ["wsgi.input"].read(length) if length else b""
        method, query_string = environ["REQUEST_METHOD"], environ.get("QUERY_STRING", "").encode("latin-1")
        try:
            operation = parsed_operation(method, query_string, environ.get("CONTENT_TYPE", ""), body)
        except Exception as exc:  # noqa: BLE001 - rendered by Flask's error handler, as on the Flask path
            return self.flask_error(environ, start_response, exc, None)
        if operation is None or operation.kind != "query":
            environ["wsgi.input"] = io.BytesIO(body)  # updates and bare requests: the Flask view
            return self.flask_wsgi(environ, start_response)
        try:
            result, headers = answer_query(operation, environ.get("HTTP_ACCEPT", ""), base, settings,
                                           self.get_pool())
        except Exception as exc:  # noqa: BLE001 - as above
            return self.flask_error(environ, start_response, exc, operation)
        headers += read_cors_headers(settings["CORS_ORIGIN"], environ["REQUEST_METHOD"])
        headers += SECURITY_HEADERS
        headers.append(("Content-Length", str(len(result))))
        start_response("200 OK", headers)
        return [result]

    def flask_error(self, environ, start_response, exc, operation):
        """Answer an error exactly as the Flask view would: the error handler and the after-request hooks."""
        app = self.app
        with app.request_context(environ):
            g.operation = operation
            if isinstance(exc, HTTPError):
                response = app.make_response(handle_error(exc))
            else:
                response = app.make_response(app.handle_exception(exc))
            response = app.process_response(response)
            return response(environ, start_response)
