"""A minimal home page linking the endpoint, the downloads and the VoID description.

Placeholder until the real home page (issue 6) replaces this blueprint; its JSON twin lists the links."""

from flask import Blueprint, render_template_string, url_for

from server.twin import respond

bp = Blueprint("home", __name__)

PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>budgetkg</title>
<link rel="describedby" type="text/turtle" href="{{ links.void }}">
<h1>budgetkg</h1><p>Chinese government departmental budget and final-account disclosures as linked data.</p>
<ul><li><a href="{{ links.sparql }}">SPARQL endpoint</a></li>
<li><a href="{{ links.downloads }}">Downloads</a></li>
<li><a href="{{ links.void }}">Dataset description (VoID / DCAT)</a></li></ul></html>"""


@bp.get("/")
def index():
    """Links to the endpoint, the downloads and the dataset description."""
    links = {"sparql": url_for("sparql.endpoint"), "downloads": url_for("downloads.index"),
             "void": url_for("void.void")}
    response = respond({"links": links}, lambda data: render_template_string(PAGE, links=data["links"]))
    response.headers["Link"] = f'<{links["void"]}>; rel="describedby"'
    return response
