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
