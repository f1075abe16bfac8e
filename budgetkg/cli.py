"""The budgetkg command line: build documents into the store, query it with SPARQL, export it.

One click group, `main`; every failure is a clean message and an exit status, never a traceback."""

import os
import re
import sys
from pathlib import Path

import click

from budgetkg import config
from budgetkg.export import export_dataset
from budgetkg.remote_store import is_store_url, open_location
from budgetkg.store import (RDF_FORMATS, FormatError, QueryError, StoreError,
                            default_result_format, format_results)

# the dump helpers live in budgetkg.dumps; imported here for existing callers (server.downloads)


class StoreLocation(click.Path):
    """A store directory (a Path), or the http(s) URL of a SPARQL 1.1 server (kept as a string)."""

    def convert(self, value, param, ctx):
        return str(value) if is_store_url(value) else super().convert(value, param, ctx)


def store_option(command):
    """Add the --store option (env BUDGETKG_STORE, default under $XDG_DATA_HOME) to a command."""
    return click.option(
        "--store", "store_dir", envvar="BUDGETKG_STORE", type=StoreLocation(file_okay=False, path_type=Path),
        default=lambda: str(config.default_store_dir()), show_default="$XDG_DATA_HOME/budgetkg/store",
        help="Store directory, or the URL of a SPARQL 1.1 server's query endpoint (env BUDGETKG_STORE).")(command)


def open_store(store_dir, must_exist=False):
    """Open the store (a directory, or a SPARQL server by URL), turning failures into a clean ClickException."""
    if must_exist and not is_store_url(store_dir) and not store_dir.is_dir():
        raise click.ClickException(f"no store at {store_dir}; run `budgetkg build` first")
    try:
        return open_location(store_dir)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
@click.version_option(package_name="budgetkg")
def main():
    """Publish government budget and final-account disclosures as linked data."""


def echo_over_bar(message, err=False):
    """Print a line, first clearing a progress bar drawn on an interactive stderr."""
    if sys.stderr.isatty():
        click.echo("\r\033[K", nl=False, err=True)
    click.echo(message, err=err)


class ClickReporter:
    """The build's output on the terminal: lines above the progress bar, and the bars themselves."""

    def line(self, message, err=False):
        echo_over_bar(message, err=err)

    def progress(self, label, length):
        stderr = click.get_text_stream("stderr")
        bar = click.progressbar(length=max(length, 1), label=label, file=stderr,
                                hidden=length < 2 or not stderr.isatty())
        return _BarSteps(bar)


class _BarSteps:
    """A click progress bar as a context manager whose value advances it by n steps."""

    def __init__(self, bar):
        self.bar = bar

    def __enter__(self):
        self.bar.__enter__()
        return self.bar.update

    def __exit__(self, *exc_info):
        return self.bar.__exit__(*exc_info)


def available_cpus():
    """The number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def unsupported_named(documents):
    """Split found documents into (readable, [(path, message)] for named files of no known type)."""
    from budgetkg.etl.readers import supported_suffixes
    readable, refused, suffixes = [], [], set(supported_suffixes())
    for path in documents:
        if path.suffix.lower() not in suffixes:
            refused.append((path, f"{path}: unsupported file type {path.suffix or '(none)'!r} "
                                  f"(read: {', '.join(supported_suffixes())})"))
        else:
            readable.append(path)
    return readable, refused


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@store_option
@click.option("--base", envvar="BUDGETKG_BASE", default=config.base_iri, show_default="https://budgetkg.org/",
              help="Base IRI of published resources (env BUDGETKG_BASE).")
@click.option("--strict", is_flag=True, help="Treat warnings as failures: do not publish such documents.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default="all cores",
              help="Worker processes extracting documents (1: in this process).")
@click.option("--prune", is_flag=True,
              help="Also unpublish documents built earlier from files not given in this build.")
def build(paths, store_dir, base, strict, jobs, prune):
    """Extract documents (files or folders) and publish each disclosure as a named graph.

    Unchanged documents (same bytes, same ETL version) are left as they are; the files of one
    disclosure given together (same unit, year and phase) are joined into one document."""
    from budgetkg.build import Build
    from budgetkg.publish import published_quads
    from budgetkg.etl.files import find_documents
    from budgetkg.etl.readers import supported_suffixes
    from budgetkg.etl.version import etl_version

    base = base if base.endswith("/") else base + "/"
    skipped = []
    documents, refused = unsupported_named(find_documents(paths, skipped))
    for path, reason in skipped:
        echo_over_bar(f"skipped {path}: {reason}", err=True)
    if not documents and not refused:
        raise click.ClickException(f"no documents ({', '.join('*' + s for s in supported_suffixes())}) "
                                   f"found in {', '.join(map(str, paths))}")
    for _, message in refused:
        echo_over_bar(f"error: {message}", err=True)
    reporter = ClickReporter()
    try:
        with open_store(store_dir) as store:
            run = Build(store, base, etl_version(), strict=strict, workers=jobs or available_cpus(), reporter=reporter)
            to_process = run.plan(documents)
            if to_process or (prune and run.prunable()):
                store.begin_write()  # a store another build is writing fails here, once
                outcome = run.run(to_process, prune=prune)
            else:
                outcome = run.outcome
                outcome.quads = published_quads(store)
    except StoreError as exc:
        raise click.ClickException(f"{exc}; nothing was published") from exc
    failed = [Path(p) for p in outcome.failed] + [p for p, _ in refused]
    click.echo(f"{len(outcome.published)} published, {len(outcome.unchanged)} unchanged, {len(failed)} failed, "
               f"{len(skipped)} skipped" + (f", {len(outcome.blank)} without figures" if outcome.blank else "")
               + (f", {len(outcome.removed)} removed" if outcome.removed else "")
               + f" into {store_dir} ({outcome.quads} quads in store)")
    if failed:
        total = outcome.files + len(refused)
        click.echo(f"{len(failed)} of {total} documents failed: {', '.join(p.name for p in failed)}", err=True)
        sys.exit(1)


@main.command()
@click.argument("targets", nargs=-1, required=True)
@store_option
def remove(targets, store_dir):
    """Unpublish documents: give their source files, folders of them, or graph IRIs."""
    from budgetkg.build import remove_sources

    try:
        with open_store(store_dir, must_exist=True) as store:
            removed, unmatched = remove_sources(store, targets, ClickReporter())
    except StoreError as exc:
        raise click.ClickException(f"{exc}; nothing was removed") from exc
    for iri in removed:
        click.echo(f"removed <{iri}>")
    for target in unmatched:
        click.echo(f"error: {target}: no published document was built from it", err=True)
    click.echo(f"removed {len(removed)} document(s) from {store_dir}")
    if unmatched:
        sys.exit(1)


def publish_downloads(store):
    """Write the dumps of a version being written into it, so they are published together."""
    if not store.writing:
        return
    from budgetkg.server.downloads import write_downloads
    try:
        write_downloads(store, store.version_dir / "downloads")
    except (OSError, StoreError) as exc:
        raise click.ClickException(f"cannot write the downloads: {exc}; nothing was published") from exc


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--graph", "graph_iri", help="Named graph for the triples (required unless the files hold quads).")
@click.option("--format", "fmt", type=click.Choice(sorted(RDF_FORMATS)),
              help="RDF format [default: from each file's extension].")
@click.option("--replace", is_flag=True, help="Empty the named graph first.")
@store_option
def load(files, graph_iri, fmt, replace, store_dir):
    """Import RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) into a named graph."""
    quad_formats = {"nq", "nquads", "trig"}
    for path in files:
        if not graph_iri and (fmt or path.suffix.lstrip(".")).lower() not in quad_formats:
            raise click.ClickException(f"{path}: triples need a named graph; give --graph IRI")
    with open_store(store_dir) as store:
        try:
            if replace and graph_iri:
                store.update(f"DROP SILENT GRAPH <{graph_iri}>")
            for path in files:
                before = store.count()
                store.load(path, fmt, graph_iri)
                click.echo(f"loaded {path}: {store.count() - before} new quads"
                           + (f" into <{graph_iri}>" if graph_iri else ""))
        except StoreError as exc:
            raise click.ClickException(f"{exc}; nothing was published") from exc
        publish_downloads(store)
        total = store.count()
    click.echo(f"published {len(files)} file(s) into {store_dir} ({total} quads in store)")


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
@click.option("--config", "config_file", envvar="BUDGETKG_CONFIG", type=click.Path(exists=True, dir_okay=False),
              help="TOML settings file (env BUDGETKG_CONFIG); see docs/server.md.")
@click.option("--threads", type=int, help="Request threads (setting THREADS, default 32).")
@click.option("--connection-limit", type=int, help="Open connections at most (setting CONNECTION_LIMIT, default 256).")
def serve(store_dir, host, port, config_file, threads, connection_limit):
    """Serve the SPARQL endpoint, downloads and VoID description with waitress (a production WSGI server)."""
    from budgetkg.server import create_app, serving

    settings = {"CONFIG_FILE": config_file, "THREADS": threads, "CONNECTION_LIMIT": connection_limit}
    if click.get_current_context().get_parameter_source("store_dir").name != "DEFAULT":
        settings["STORE"] = str(store_dir)
    app = create_app({k: v for k, v in settings.items() if v})
    app.extensions["budgetkg"]["pool"]()  # start the query workers now, not on the first query
    config = app.config
    click.echo(f"serving http://{host}:{port}/ (store {config['STORE']}, {config['WORKERS']} query workers, "
               f"{config['QUERY_TIMEOUT']:g} s limit, {config['THREADS']} threads)", err=True)
    serving.serve(app, host, port)


def read_query_argument(query):
    """Return the SPARQL text and where it came from: a .rq file if one exists, else the string."""
    if os.path.isfile(query):
        try:
            return Path(query).read_text(encoding="utf-8"), query
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"cannot read query file {query}: {exc}") from exc
    if query.endswith(".rq") and not re.search(r"\s", query):
        raise click.ClickException(f"query file not found: {query}")
    return query, "query"


@main.command()
@click.argument("query")
@store_option
@click.option("--format", "fmt", type=click.Choice(["csv", "tsv", "json", "ttl", "nt"]),
              help="Result format [default: csv for SELECT/ASK, ttl for CONSTRUCT/DESCRIBE].")
def query(query, store_dir, fmt):
    """Run a SPARQL query (a .rq file or a string) over all published graphs."""
    sparql, source = read_query_argument(query)
    status, message = 0, None
    with open_store(store_dir, must_exist=True) as store:
        # Errors are turned into (status, message) here and the result dropped, so no live
        # exception or frame keeps the store open after the `with` (matters for long-lived callers).
        result = None
        try:
            result = store.query(sparql)
            data = format_results(result, fmt or default_result_format(result))
        except QueryError as exc:
            status, message = 2, f"error: {source}: invalid SPARQL: {exc}"
        except FormatError as exc:
            status, message = 2, f"error: {exc}"
        except StoreError as exc:
            status, message = 1, f"Error: {exc}"
        finally:
            result = None
    if status:
        click.echo(message, err=True)
        sys.exit(status)
    out = click.get_binary_stream("stdout")
    out.write(data if not data or data.endswith(b"\n") else data + b"\n")
    out.flush()


@main.command()
@store_option
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write budgetkg.nq.gz and graphs/*.ttl into.")
def export(store_dir, out_dir):
    """Export the store: gzipped N-Quads of everything and one Turtle file per named graph."""
    with open_store(store_dir, must_exist=True) as store:
        try:
            export_dataset(store, out_dir, echo=click.echo)
        except OSError as exc:
            raise click.ClickException(f"cannot write export to {out_dir}: {exc}") from exc
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_option
@click.option("--format", "fmt", type=click.Choice(["text", "ttl", "json"]), default="text", show_default=True,
              help="A readable report, or the standard SHACL validation report in Turtle or JSON-LD.")
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation", show_default=True,
              help="Exit 1 when anything at or above this severity is found.")
def validate(files, store_dir, fmt, fail_on):
    """Validate the store (or RDF FILES) against shapes/: our model's violations and documents' findings."""
    from budgetkg.validate import ValidationError, file_items, store_items, validate_items
    from budgetkg.validate_report import format_text

    try:
        if files:
            items = file_items(files)
        else:
            if not is_store_url(store_dir) and not store_dir.is_dir():
                raise click.ClickException(f"no store at {store_dir}; run `budgetkg build` first")
            items = store_items(store_dir)
        result = validate_items(items)
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "text":
        click.echo(format_text(result))
    else:
        click.echo(result.report_graph().serialize(format="turtle" if fmt == "ttl" else "json-ld"))
    sys.exit(1 if result.fails(fail_on) else 0)
