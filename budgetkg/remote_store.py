"""A GraphStore on any SPARQL 1.1 server (e.g. Virtuoso): the scale-out store of a national deployment.

Queries and updates go through the SPARQL 1.1 Protocol; a document's named graph is replaced with one
Graph Store HTTP Protocol PUT (the server swaps it as one request: old or new graph, never half),
read with GET and removed with DELETE. Only the standard library is used (urllib, digest auth).
Results come back as pyoxigraph objects, so callers treat both backends alike."""

import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from budgetkg.store import RDF_FORMATS, GraphStore, QueryError, StoreError, TermConverter

HTTP_TIMEOUT = 300            # seconds one request to the store may take (a big graph, a slow query)
ERROR_EXCERPT = 300           # characters of a refusal's body quoted in the error message
URL_SCHEMES = ("http://", "https://")
ENV_USER, ENV_PASSWORD = "BUDGETKG_STORE_USER", "BUDGETKG_STORE_PASSWORD"
ENV_GRAPH_STORE, ENV_UPDATE = "BUDGETKG_STORE_GSP", "BUDGETKG_STORE_UPDATE"
# One media type per query form: Virtuoso answers a CONSTRUCT asked with a list of types by 406.
ACCEPT_BY_FORM = {"SELECT": "application/sparql-results+xml", "ASK": "application/sparql-results+xml",
                  "CONSTRUCT": "application/n-triples", "DESCRIBE": "application/n-triples"}
PROLOGUE = re.compile(r"\s+|#[^\n\r]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>", re.I)
SOLUTION_TYPES = {"application/sparql-results+xml": ox.QueryResultsFormat.XML,
                  "application/sparql-results+json": ox.QueryResultsFormat.JSON,
                  "text/tab-separated-values": ox.QueryResultsFormat.TSV}
GRAPH_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
               "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
               "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}
N_TRIPLES_TYPE = "application/n-triples"
# Graphs a fresh Virtuoso holds for itself (its RDF-view schema, LDP vocabulary, service description):
# not documents, so graphs(), count() and dumps leave them out. They stay visible in the union default graph.
VIRTUOSO_SYSTEM_GRAPHS = frozenset({"http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                                    "http://localuriqaserver/sparql", "http://localuriqaserver/DAV/"})
VIRTUOSO_ASK_VARIABLE = "__ASK_RETVAL"
GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def is_store_url(location):
    """True when a --store value names a SPARQL server (http:// or https://) rather than a directory."""
    return str(location).startswith(URL_SCHEMES)


@dataclass(frozen=True)
class Endpoints:
    """Where a SPARQL server answers queries, updates and the Graph Store Protocol, and who we are there."""

    query: str
    update: str
    graph_store: str
    user: str | None = None
    password: str | None = None


def endpoints_for(url, env=None):
    """The endpoints of a store URL: the query endpoint given, the rest Virtuoso's layout unless set.

    Credentials come from the URL's user:password@ or BUDGETKG_STORE_USER / _PASSWORD. Without them,
    updates go to the query endpoint and graphs to `<query>-graph-crud` (Virtuoso's anonymous SPARQL
    user needs the SPARQL_UPDATE role); with them, to Virtuoso's digest-protected `<query>-auth` and
    `<query>-graph-crud-auth`. BUDGETKG_STORE_UPDATE and BUDGETKG_STORE_GSP name other servers' endpoints
    (Fuseki: /ds/update and /ds/data; Oxigraph: /update and /store)."""
    env = os.environ if env is None else env
    parts = urllib.parse.urlsplit(str(url))
    if not parts.hostname:
        raise StoreError(f"not the URL of a SPARQL endpoint: {url!r} (expected http://host:port/sparql)")
    user = urllib.parse.unquote(parts.username) if parts.username else env.get(ENV_USER)
    password = urllib.parse.unquote(parts.password) if parts.password else env.get(ENV_PASSWORD)
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    query = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/sparql", parts.query, ""))
    suffix = "-auth" if user else ""
    return Endpoints(query=query,
                     update=env.get(ENV_UPDATE) or (query + suffix if user else query),
                     graph_store=env.get(ENV_GRAPH_STORE) or query + "-graph-crud" + suffix,
                     user=user, password=password)


def query_form(sparql):
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue (comments, BASE, PREFIX)."""
    position = 0
    while match := PROLOGUE.match(sparql, position):
        position = match.end()
    word = re.match(r"[A-Za-z]+", sparql[position:])
    return word.group(0).upper() if word else ""


def media_type(content_type):
    """The media type of a Content-Type header, without parameters, lower case."""
    return (content_type or "").split(";")[0].strip().lower()


def graph_result(data, rdf_format):
    """A CONSTRUCT/DESCRIBE answer as a pyoxigraph QueryTriples (via an in-memory store), like Store.query's."""
    scratch = ox.Store()
    scratch.load(data, format=rdf_format, to_graph=ox.DefaultGraph())
    return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def boolean_if_ask(result, sparql):
    """A real boolean for an ASK answered as a one-column table: Virtuoso 7.2 sends ASK results as the
    variable __ASK_RETVAL, bound to 1 when true and no row when false."""
    if isinstance(result, ox.QueryBoolean) or query_form(sparql) != "ASK":
        return result
    if [v.value for v in result.variables] != [VIRTUOSO_ASK_VARIABLE]:
        raise StoreError(f"an ASK was answered with the columns {', '.join(v.value for v in result.variables)}")
    answer = any(row[0] is not None and row[0].value not in ("0", "false") for row in result)
    return ox.parse_query_results('{"head": {}, "boolean": %s}' % str(answer).lower(), ox.QueryResultsFormat.JSON)


def ntriples_of(triples):
    """Serialise pyoxigraph triples as N-Triples bytes."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


class RemoteStore(GraphStore):
    """A GraphStore on a SPARQL 1.1 server; every method is one or a few HTTP requests, nothing is cached.

    Writes are immediate (no versions to publish), so `writing` and `version_dir` are always None."""

    writing = None
    version_dir = None

    def __init__(self, url, endpoints=None, timeout=HTTP_TIMEOUT, system_graphs=VIRTUOSO_SYSTEM_GRAPHS, check=True):
        self.endpoints = endpoints or endpoints_for(url)
        self.url, self.timeout, self.system_graphs = self.endpoints.query, timeout, frozenset(system_graphs)
        self._opener = self._make_opener()
        if check:
            self.query("ASK { }")

    def _make_opener(self):
        """An opener that never uses environment proxies and answers digest/basic challenges if we have credentials."""
        handlers = [urllib.request.ProxyHandler({})]
        if self.endpoints.user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for endpoint in {self.endpoints.update, self.endpoints.graph_store, self.endpoints.query}:
                passwords.add_password(None, endpoint, self.endpoints.user, self.endpoints.password or "")
            handlers += [urllib.request.HTTPDigestAuthHandler(passwords),
                         urllib.request.HTTPBasicAuthHandler(passwords)]
        return urllib.request.build_opener(*handlers)

    def _request(self, method, url, data=None, headers=None, missing_ok=False):
        """Send one request; return (media type, body). StoreError names the URL on any failure."""
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return media_type(response.headers.get("Content-Type")), response.read()
        except urllib.error.HTTPError as exc:
            if missing_ok and exc.code == 404:
                return None, b""
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:ERROR_EXCERPT]
            where = f"the SPARQL store at {url.split('?')[0]}"
            if exc.code in (401, 403):
                raise StoreError(f"{where} refused {method} (HTTP {exc.code}): {detail or exc.reason}; give "
                                 f"credentials ({ENV_USER}/{ENV_PASSWORD}) or grant the SPARQL user "
                                 "SPARQL_UPDATE") from None
            if exc.code == 400:
                raise QueryError(f"{where} rejected the request (HTTP 400): {detail or exc.reason}") from None
            raise StoreError(f"{where} failed {method} (HTTP {exc.code}): {detail or exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot reach the SPARQL store at {url.split('?')[0]}: {reason}") from None

    def _graph_url(self, graph_iri):
        """The Graph Store Protocol address of a named graph (indirect identification, ?graph=)."""
        return self.endpoints.graph_store + "?" + urllib.parse.urlencode({"graph": graph_iri})

    # --- reading ---------------------------------------------------------------------------------------

    def query(self, sparql, base_iri=None, default_graph=None, named_graphs=None, use_default_graph_as_union=True):
        """Run a query (POST, SPARQL 1.1 Protocol); the arguments mirror pyoxigraph's Store.query.

        Without a dataset the server's default graph is used: the union of all graphs on Virtuoso (other
        servers need their union-default setting, e.g. Fuseki's tdb:unionDefaultGraph)."""
        text = f"BASE <{base_iri}>\n{sparql}" if base_iri else sparql
        fields = [("query", text)]
        fields += [("default-graph-uri", str(getattr(g, "value", g))) for g in default_graph or []]
        fields += [("named-graph-uri", str(getattr(g, "value", g))) for g in named_graphs or []]
        body = urllib.parse.urlencode(fields).encode("ascii")
        kind, data = self._request("POST", self.endpoints.query, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": ACCEPT_BY_FORM.get(query_form(sparql), ACCEPT_BY_FORM["SELECT"])})
        try:
            if kind in SOLUTION_TYPES:
                return boolean_if_ask(ox.parse_query_results(data, format=SOLUTION_TYPES[kind]), sparql)
            if kind in GRAPH_TYPES:
                return graph_result(data, GRAPH_TYPES[kind])
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"the SPARQL store at {self.url} sent an unreadable {kind} answer: {exc}") from exc
        raise StoreError(f"the SPARQL store at {self.url} answered with {kind or 'no content type'}, "
                         "not SPARQL results or RDF")

    def graphs(self):
        """The named graphs holding triples, sorted, without the server's own system graphs."""
        return sorted(self._graph_counts())

    def _graph_counts(self):
        counts = {}
        for graph, number in self.query(GRAPH_COUNTS):
            if isinstance(graph, ox.NamedNode) and graph.value not in self.system_graphs:
                counts[graph.value] = int(number.value)
        return counts

    def count(self, graph_iri=None):
        """Quads in the store (system graphs left out) or triples in one named graph."""
        if graph_iri is None:
            return sum(self._graph_counts().values())
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {TermConverter().iri(graph_iri)} {{ ?s ?p ?o }} }}"
        return next(int(row[0].value) for row in self.query(query))

    def graph_ntriples(self, graph_iri):
        """One named graph as N-Triples bytes (Graph Store Protocol GET); empty for a graph that is not there."""
        kind, data = self._request("GET", self._graph_url(graph_iri),
                                   headers={"Accept": f"{N_TRIPLES_TYPE}, text/turtle;q=0.5"}, missing_ok=True)
        if kind is None or kind in ("application/n-triples", "text/plain"):
            return data
        return ntriples_of(self._parse(data, GRAPH_TYPES.get(kind, ox.RdfFormat.TURTLE), graph_iri))

    def _triples(self, graph_iri):
        return self._parse(self.graph_ntriples(graph_iri), ox.RdfFormat.N_TRIPLES, graph_iri)

    def _parse(self, data, rdf_format, graph_iri):
        try:
            return list(ox.parse(data, format=rdf_format))
        except SyntaxError as exc:
            raise StoreError(f"the SPARQL store at {self.url} sent unreadable RDF for <{graph_iri}>: {exc}") from exc

    def dump_nquads(self, fileobj):
        """Write every named graph (system graphs left out) as N-Quads, one graph at a time."""
        for iri in self.graphs():
            self._write_quads(fileobj, iri, ox.RdfFormat.N_QUADS)

    def dump_trig(self, fileobj, prefixes=None):
        """Write every named graph as TriG, one graph block at a time."""
        prefixes = {name: str(ns) for name, ns in (prefixes or {}).items()}
        for iri in self.graphs():
            self._write_quads(fileobj, iri, ox.RdfFormat.TRIG, prefixes)

    def _write_quads(self, fileobj, graph_iri, rdf_format, prefixes=None):
        graph = ox.NamedNode(graph_iri)
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in self._triples(graph_iri)]
        try:
            ox.serialize(quads, fileobj, rdf_format, prefixes=prefixes)
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot dump graph <{graph_iri}>: {exc}") from exc

    def dump_graph_turtle(self, graph_iri, fileobj, prefixes=None):
        """Write one named graph as Turtle, abbreviating IRIs with the given prefixes."""
        prefixes = {name: str(ns) for name, ns in (prefixes or {}).items()}
        try:
            ox.serialize(self._triples(graph_iri), fileobj, ox.RdfFormat.TURTLE, prefixes=prefixes)
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot dump graph <{graph_iri}>: {exc}") from exc

    # --- writing ---------------------------------------------------------------------------------------

    def _put_graph(self, graph_iri, data, content_type):
        """Replace a named graph with one Graph Store Protocol PUT (an empty body empties it)."""
        self._request("PUT", self._graph_url(graph_iri), data, {"Content-Type": content_type})

    def replace_graph(self, graph_iri, triples):
        """Replace the graph with one PUT of its N-Triples; return the distinct triple count.

        The triples are converted first, so a bad term or a failing iterable never reaches the server."""
        convert = TermConverter()
        try:
            convert.iri(graph_iri)
            lines = dict.fromkeys(convert.triple_line(t) for t in triples)
        except (ValueError, TypeError) as exc:
            raise StoreError(f"cannot convert triples for <{graph_iri}>: {exc}") from exc
        if not lines:
            self.delete_graph(graph_iri)
            return 0
        self._put_graph(graph_iri, ("\n".join(lines) + "\n").encode("utf-8"), N_TRIPLES_TYPE)
        return len(lines)

    def replace_graph_nquads(self, graph_iri, data):
        """Replace the graph with N-Quads bytes (every quad in graph_iri, or in the default graph)."""
        try:
            quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        except SyntaxError as exc:
            raise StoreError(f"cannot read the N-Quads for <{graph_iri}>: {exc}") from exc
        foreign = {str(q.graph_name) for q in quads
                   if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value != graph_iri}
        if foreign:
            raise StoreError(f"N-Quads for <{graph_iri}> also hold graphs {', '.join(sorted(foreign))}")
        triples = set(q.triple for q in quads)
        if not triples:
            self.delete_graph(graph_iri)
        else:
            self._put_graph(graph_iri, ntriples_of(triples), N_TRIPLES_TYPE)
        return len(triples)

    def replace_graphs_nquads(self, graph_iris, data):
        """The build's bulk path: one Graph Store PUT per graph of the N-Quads (a graph without quads
        in data is emptied); return the number of quads given."""
        try:
            quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS)) if data else []
        except SyntaxError as exc:
            raise StoreError(f"cannot read the N-Quads of the build: {exc}") from exc
        by_graph = {iri: set() for iri in graph_iris}
        for quad in quads:
            by_graph.setdefault(quad.graph_name.value, set()).add(quad.triple)
        for iri, triples in by_graph.items():
            if triples:
                self._put_graph(iri, ntriples_of(triples), N_TRIPLES_TYPE)
            else:
                self.delete_graph(iri)
        return len(quads)

    def remove_graph(self, graph_iri):
        """Unpublish a document: delete its graph."""
        self.delete_graph(graph_iri)

    def replace_graph_turtle(self, graph_iri, data):
        """Replace the graph with Turtle bytes, checked locally first so a bad document never reaches the server."""
        try:
            triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise StoreError(f"cannot read the Turtle for <{graph_iri}>: {exc}") from exc
        self._put_graph(graph_iri, data, "text/turtle")
        return len(set(triples))

    def delete_graph(self, graph_iri):
        """Remove a named graph (Graph Store Protocol DELETE); a graph that is not there is fine."""
        self._request("DELETE", self._graph_url(graph_iri), missing_ok=True)

    def load(self, path_or_data, fmt=None, graph_iri=None, base_iri=None):
        """Add RDF to the store (POST per graph, like pyoxigraph's load adds): triples go to graph_iri,
        quads keep their graphs. The input is parsed here first, so a syntax error names the file."""
        is_path = isinstance(path_or_data, os.PathLike) or (
            isinstance(path_or_data, str) and "\n" not in path_or_data and os.path.isfile(path_or_data))
        name = str(path_or_data) if is_path else "data"
        rdf_format = RDF_FORMATS.get((fmt or (Path(path_or_data).suffix.lstrip(".") if is_path else "")).lower())
        if rdf_format is None:
            raise StoreError(f"unknown RDF format {fmt!r}; use one of {', '.join(sorted(RDF_FORMATS))}")
        source = {"path": str(path_or_data)} if is_path else {"input": path_or_data}
        try:
            statements = list(ox.parse(format=rdf_format, base_iri=base_iri, **source))
        except (SyntaxError, ValueError, OSError) as exc:
            raise StoreError(f"cannot load {name}: {exc}") from exc
        by_graph = {}
        for statement in statements:
            graph = getattr(statement, "graph_name", None)
            target = graph.value if isinstance(graph, ox.NamedNode) else graph_iri
            if target is None:
                raise StoreError(f"cannot load {name}: triples need a named graph (give graph_iri)")
            by_graph.setdefault(target, []).append(getattr(statement, "triple", statement))
        for target, triples in by_graph.items():
            self._request("POST", self._graph_url(target), ntriples_of(triples), {"Content-Type": N_TRIPLES_TYPE})

    def update(self, sparql, base_iri=None):
        """Apply a SPARQL Update (SPARQL 1.1 Protocol, POST update=); QueryError if the server rejects it."""
        text = f"BASE <{base_iri}>\n{sparql}" if base_iri else sparql
        self._request("POST", self.endpoints.update, urllib.parse.urlencode({"update": text}).encode("ascii"),
                      {"Content-Type": "application/x-www-form-urlencoded"})

    def close(self):
        """Nothing to release: every request opens its own connection."""


def open_location(location):
    """Open the store at a --store value: a RemoteStore for an http(s) URL, else the on-disk OxigraphStore."""
    if is_store_url(location):
        return RemoteStore(str(location))
    from budgetkg.store import OxigraphStore
    return OxigraphStore(location)
