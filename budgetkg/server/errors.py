"""HTTP errors typed by status, and the one handler that renders every error as HTML or JSON.

Raise e.g. NotFound("message") anywhere; werkzeug's own HTTP exceptions go through the same handler."""

from flask import Blueprint, render_template_string
from werkzeug.exceptions import HTTPException

from budgetkg.server.twin import respond

bp = Blueprint("errors", __name__)


class HTTPError(Exception):
    """An error answered with its status and message."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, message, headers=None):
        super().__init__(message)
        self.message, self.headers = message, headers or {}


class BadRequest(HTTPError):
    """The request is malformed (bad parameters, syntax error, undecodable body)."""
    status, title = 400, "Bad Request"


class Forbidden(HTTPError):
    """The request is understood but refused (updates, SERVICE)."""
    status, title = 403, "Forbidden"


class NotFound(HTTPError):
    """Nothing at this address."""
    status, title = 404, "Not Found"


class MethodNotAllowed(HTTPError):
    """The method is not one the resource supports."""
    status, title = 405, "Method Not Allowed"


class NotAcceptable(HTTPError):
    """No representation matches the Accept header or format parameter."""
    status, title = 406, "Not Acceptable"


class PayloadTooLarge(HTTPError):
    """The request body is over the configured cap."""
    status, title = 413, "Content Too Large"


class UnsupportedMediaType(HTTPError):
    """The request body's content type is wrong or missing."""
    status, title = 415, "Unsupported Media Type"


class ServiceUnavailable(HTTPError):
    """The query timed out, the workers are busy, or nothing is published yet."""
    status, title = 503, "Service Unavailable"


PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>{{ status }} {{ title }}</title>
<h1>{{ status }} {{ title }}</h1><pre>{{ error }}</pre><p><a href="/">budgetkg</a></p></html>"""


def render_error(status, title, message, headers=None):
    """Render the fixed error body {"ok": false, "status", "title", "error"} as JSON or HTML."""
    body = {"ok": False, "status": status, "title": title, "error": message}
    response = respond(body, lambda data: render_template_string(PAGE, **data), error=True)
    response.status_code = status
    response.headers.update(headers or {})
    return response


@bp.app_errorhandler(HTTPError)
def handle_error(exc):
    """Render one of our typed errors."""
    return render_error(exc.status, exc.title, exc.message, exc.headers)


@bp.app_errorhandler(HTTPException)
def handle_werkzeug_error(exc):
    """Render werkzeug's errors (404 routing, 405, 413 from MAX_CONTENT_LENGTH) the same way."""
    headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
    return render_error(exc.code or 500, exc.name, exc.description or exc.name, headers)
