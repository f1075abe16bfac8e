"""The budgetkg web server: a safe SPARQL 1.1 endpoint, dataset downloads and their descriptions.

create_app() builds the Flask application; settings come from defaults, a TOML file, env, test_config."""

import atexit
import os
import threading
import tomllib

from flask import Flask, g, request

from budgetkg import config as budgetkg_config
from budgetkg.store import Versions
from budgetkg.server import limits, security

DEFAULTS = {
    "STORE": None,                 # store directory; default: BUDGETKG_STORE or $XDG_DATA_HOME/budgetkg/store
    "QUERY_TIMEOUT": 30,           # seconds a query (or update) may run before its worker is killed
    "QUEUE_TIMEOUT": None,         # seconds a request waits for an idle worker; default QUERY_TIMEOUT
    "MAX_ROWS": 10000,             # result rows (or triples) returned at most; more are cut, with a header
    "MAX_BODY": 1024 * 1024,       # request body cap in bytes
    "WORKERS": None,               # query worker processes; default WORKERS_PER_CPU per CPU, at least 2
    "WORKER_MEMORY": None,         # address-space limit per worker (bytes or "2G"); default: half the RAM
                                   # divided among the workers, at least 1 GiB; 0: no limit
    "MAX_QUERY_DEPTH": limits.DEFAULT_MAX_QUERY_DEPTH,  # deeper (nested / chained) queries get 400; 0: none
    "THREADS": 32,                 # request threads of `budgetkg serve` (waitress)
    "CONNECTION_LIMIT": 256,       # open connections `budgetkg serve` accepts at once (waitress)
    "FAST_PATH": True,             # answer /sparql queries without Flask's request machinery (fastpath.py)
    "UPDATE_TOKEN": None,          # SPARQL Update is refused unless this bearer token is configured and sent
    "ALLOW_SERVICE": False,        # SERVICE (federated query) is refused unless this is true
    "ISOLATE_NETWORK": True,       # run workers in an empty network namespace where Linux allows it
    "CORS_ORIGIN": "*",            # Access-Control-Allow-Origin for read requests
    "FINDINGS_WAIT": 3,            # seconds a document page waits for its validation findings
    "BASE_URL": None,              # public URL of the site (behind a proxy); default: the request's
    "BASE": budgetkg_config.DEFAULT_BASE_IRI,
    "TITLE": "budgetkg: Chinese government budget and final-account disclosures",
    "DESCRIPTION": "Figures of departmental budget and final-account disclosures as RDF Data Cube "
                   "observations, one named graph per source document.",
    "LICENSE": "https://creativecommons.org/licenses/by/4.0/",
}
READ_PATHS = ("/sparql", "/downloads", "/.well-known/void")
WORKERS_PER_CPU = 2  # a worker idles while the front hands its answer on: one per CPU leaves cores unused


def load_settings(app, test_config):
    """Fill app.config: defaults, then the TOML file (--config / BUDGETKG_CONFIG), env, test_config."""
    app.config.from_mapping(DEFAULTS)
    path = (test_config or {}).get("CONFIG_FILE") or os.environ.get("BUDGETKG_CONFIG")
    if path:
        with open(path, "rb") as fileobj:
            app.config.from_mapping({key.upper(): value for key, value in tomllib.load(fileobj).items()})
    app.config.from_prefixed_env("BUDGETKG")
    app.config.from_mapping(test_config or {})
    settings = app.config
    settings["STORE"] = str(settings["STORE"] or budgetkg_config.default_store_dir())
    settings["QUERY_TIMEOUT"] = float(settings["QUERY_TIMEOUT"])
    settings["QUEUE_TIMEOUT"] = float(settings["QUEUE_TIMEOUT"] or settings["QUERY_TIMEOUT"])
    settings["MAX_ROWS"] = int(settings["MAX_ROWS"])
    settings["FINDINGS_WAIT"] = float(settings["FINDINGS_WAIT"])
    settings["MAX_CONTENT_LENGTH"] = int(settings["MAX_BODY"])
    settings["WORKERS"] = int(settings["WORKERS"] or max(2, WORKERS_PER_CPU * (os.cpu_count() or 1)))
    settings["UPDATE_TOKEN"] = str(settings["UPDATE_TOKEN"]) if settings["UPDATE_TOKEN"] else None
    memory = settings["WORKER_MEMORY"]
    settings["WORKER_MEMORY"] = (limits.default_worker_memory(settings["WORKERS"]) if memory is None
                                 else limits.parse_size(memory))
    for name in ("MAX_QUERY_DEPTH", "THREADS", "CONNECTION_LIMIT"):
        settings[name] = int(settings[name])
    settings["BASE_URL"] = security.checked_base_url(settings["BASE_URL"])


def isolate_workers(settings):
    """Whether query workers run without network: not with SERVICE allowed, nor when they must reach a
    SPARQL server (`--store http://…`; our SERVICE refusal still applies in front of it)."""
    from budgetkg.remote_store import is_store_url
    return bool(settings["ISOLATE_NETWORK"]) and not settings["ALLOW_SERVICE"] and not is_store_url(settings["STORE"])


def pool_factory(app):
    """Return a function that starts the worker pool on first use (once per process: safe after fork)."""
    lock, state = threading.Lock(), {"pool": None}

    def get_pool():
        from budgetkg.server.pool import WorkerPool
        with lock:
            pool = state["pool"]
            if pool is None or pool.pid != os.getpid():
                pool = state["pool"] = WorkerPool(app.config["STORE"], app.config["WORKERS"],
                                                  isolate=isolate_workers(app.config),
                                                  memory_limit=app.config["WORKER_MEMORY"])
                atexit.register(pool.close)
            return pool

    def close():
        with lock:
            if state["pool"] is not None and state["pool"].pid == os.getpid():
                state["pool"].close()
            state["pool"] = None

    return get_pool, close


CORS_EXPOSED = "X-Result-Truncated, X-Store-Version, Content-Length"
CORS_PREFLIGHT = (("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                  ("Access-Control-Allow-Headers", "Content-Type, Accept"), ("Access-Control-Max-Age", "86400"))


def read_cors_headers(origin, method):
    """The CORS headers of a read response (query results, downloads, descriptions) to a `method` request."""
    headers = [("Access-Control-Allow-Origin", origin), ("Access-Control-Expose-Headers", CORS_EXPOSED)]
    return headers + list(CORS_PREFLIGHT) if method == "OPTIONS" else headers


def add_cors(response):
    """Allow browser tools to read query results, downloads and descriptions (not updates)."""
    operation = g.get("operation")
    if request.path.startswith(READ_PATHS) and not (operation and operation.kind == "update"):
        for name, value in read_cors_headers(app_config("CORS_ORIGIN"), request.method):
            response.headers[name] = value
    return response


def app_config(key):
    """A setting of the current app."""
    from flask import current_app
    return current_app.config[key]


def create_app(test_config=None):
    """Create the Flask application (settings, worker pool on first query, blueprints, CORS)."""
    from budgetkg.server import describe, downloads, entity, errors, home, search, sparql, workbench

    app = Flask(__name__)
    load_settings(app, test_config)
    get_pool, close_pool = pool_factory(app)
    app.extensions["budgetkg"] = {"versions": Versions(app.config["STORE"]), "pool": get_pool,
                                  "close": close_pool}
    for blueprint in (errors.bp, sparql.bp, downloads.bp, describe.bp, home.bp, entity.bp, search.bp, workbench.bp):
        app.register_blueprint(blueprint)
    app.after_request(add_cors)
    app.after_request(security.add_headers)
    if app.config["FAST_PATH"]:
        from budgetkg.server.fastpath import SparqlFastPath
        app.wsgi_app = SparqlFastPath(app, app.wsgi_app)
    return app
