"""SHACL validation of the graph: each document graph on its own, in parallel, plus cross-document checks.

Shapes (shapes/*.ttl) and the ontology are loaded once per worker; results come back as Finding dicts."""

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, SKOS

from budgetkg import validate_sparql
from budgetkg.vocab import BKG, ELI

from budgetkg.resources import ONTOLOGY_FILE, SHAPES_DIR
CROSS_DOCUMENT = "cross-document.ttl"
PREFIXES_FILE = "prefixes.ttl"
WORKERS = 2
SEVERITIES = {"violation": SH.Violation, "warning": SH.Warning}
SHARED_CLASSES = (BKG.Disclosure, BKG.BudgetUnit, ELI.LegalResource, BKG.Issuer, BKG.Topic)
RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld",
                ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".n3": "n3"}


class ValidationError(Exception):
    """Validation could not run: unreadable input, a store that cannot be read, broken shapes."""


def shapes_graph(cross_document=False):
    """The per-document shapes (all of shapes/ but the cross-document file), or the cross-document ones."""
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        if path.name == PREFIXES_FILE or (path.name == CROSS_DOCUMENT) == cross_document:
            try:
                graph.parse(path, format="turtle")
            except Exception as exc:  # a syntax error in a shapes file names the file
                raise ValidationError(f"cannot read shapes file {path}: {exc}") from exc
    return graph


_CONTEXT = {}


def _context():
    """Shapes, cross-document shapes and ontology of this process, loaded on first use."""
    validate_sparql.enable()  # every time: a caller (the benchmark's baseline) may have switched it off
    if not _CONTEXT:
        _CONTEXT.update(shapes=shapes_graph(), cross=shapes_graph(cross_document=True),
                        ontology=Graph().parse(ONTOLOGY_FILE, format="turtle"))
    return _CONTEXT


def run_shacl(data, shapes):
    """Run pySHACL (advanced mode: SPARQL constraints, targets and rules) and return the report graph."""
    from pyshacl import validate

    _conforms, report, _text = validate(data, shacl_graph=shapes, advanced=True, inference="none",
                                        allow_warnings=True, inplace=True)
    return report


def _language(message):
    """The language of a result message: its tag, or (pySHACL drops tags when filling in {?var}) a guess."""
    if message.language:
        return message.language
    text = str(message)
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return "zh" if cjk * 2 > sum(1 for c in text if c.isascii() and c.isalpha()) else "en"


def node_shape(shape):
    """The named node shape a result comes from (a property shape is a blank node inside one)."""
    if isinstance(shape, URIRef):
        return shape
    shapes = [g for g in (_context()["shapes"], _context()["cross"]) if (None, SH.property, shape) in g]
    return shapes[0].value(predicate=SH.property, object=shape) if shapes else shape


PLACE_PROPERTIES = (("page", BKG.sourcePage), ("line", BKG.sourceLine), ("sheet", BKG.sourceSheet),
                    ("cell", BKG.sourceCell), ("table", BKG.sourceTable), ("row", BKG.sourceRow),
                    ("column", BKG.sourceColumn))


def place(data, node):
    """Where a node is printed, as {'page': 9, 'table': 3, 'row': 4, ...} (the parts the graph has)."""
    found = {}
    for name, prop in PLACE_PROPERTIES:
        value = data.value(node, prop)
        if value is not None:
            found[name] = value.toPython() if isinstance(value, Literal) else str(value)
    return found


def describe_place(parts, lang="zh"):
    """'第 12 行' / 'line 12' for a line; '第 9 页表 3 第 4 行第 5 列' / 'page 9, table 3, row 4, column 5'
    for a table cell (the same wording as bkgsh:placeZh / placeEn in shapes/cube.ttl); None when unknown."""
    in_table = "table" in parts or "sheet" in parts
    keys = [k for k in ("page", "sheet", "table") if k in parts]
    keys += ["row"] if in_table and "row" in parts else ["line"] if "line" in parts else []
    keys += [k for k in ("column",) if in_table and k in parts] + [k for k in ("cell",) if k in parts]
    if not keys:
        return None
    if lang == "en":
        return ", ".join(f"{k} {parts[k]}" for k in keys)
    zh = {"page": "第 {} 页", "sheet": "工作表“{}”", "table": "表 {} ", "row": "第 {} 行", "line": "第 {} 行",
          "column": "第 {} 列", "cell": "单元格 {}"}
    return "".join(zh[k].format(parts[k]) for k in keys).strip()


def _finding(result, report, data, graph_iri):
    """One result of a report as a plain dict, with the focus node's document, section and line."""
    messages = {_language(m): str(m) for m in report.objects(result, SH.resultMessage)}
    focus = report.value(result, SH.focusNode)
    value = report.value(result, SH.value)
    line = data.value(focus, BKG.sourceLine)
    parts = place(data, focus)
    return {
        "graph": graph_iri, "severity": str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
        "shape": str(node_shape(report.value(result, SH.sourceShape))), "focus": str(focus),
        "value": None if value is None else str(value),
        "path": None if report.value(result, SH.resultPath) is None else str(report.value(result, SH.resultPath)),
        "message_zh": messages.get("zh") or messages.get("en", ""),
        "message_en": messages.get("en") or messages.get("zh", ""),
        "document": str(data.value(focus, PROV.wasDerivedFrom) or graph_iri or ""),
        "line": int(line) if line is not None else None, "place": parts,
        "where_zh": describe_place(parts), "where_en": describe_place(parts, "en"),
        "section": str(data.value(focus, BKG.sourceSection) or "") or None,
    }


def _enrich(report, findings):
    """Add document, section and place (line; page, table, row, column; sheet, cell) of each focus node
    to its sh:ValidationResult (in place)."""
    by_focus = {}
    for finding in findings:
        by_focus.setdefault((finding["focus"], finding["shape"]), finding)
    for result in list(report.objects(None, SH.result)):
        finding = by_focus.get((str(report.value(result, SH.focusNode)), str(report.value(result, SH.sourceShape))))
        if finding and finding["document"]:
            report.add((result, PROV.wasDerivedFrom, URIRef(finding["document"])))
            for name, prop in PLACE_PROPERTIES:
                if name in finding["place"]:
                    report.add((result, prop, Literal(finding["place"][name])))
            if finding["section"]:
                report.add((result, BKG.sourceSection, Literal(finding["section"])))


def validate_graph(data, graph_iri=None, shapes=None):
    """Validate one graph; return (findings, report N-Triples, shared triples for cross-document checks)."""
    context = _context()
    graph = Graph()
    graph += data
    shared = [t for cls in SHARED_CLASSES for s in data.subjects(RDF.type, cls) for t in data.triples((s, None, None))]
    labels = {s: data.value(s, RDFS.label) for s in data.subjects(RDF.type, BKG.Disclosure)}
    graph += context["ontology"]
    report = run_shacl(graph, context["shapes"] if shapes is None else shapes)
    findings = [_finding(r, report, graph, graph_iri) for r in report.objects(None, SH.result)]
    _enrich(report, findings)
    for finding in findings:
        label = labels.get(URIRef(finding["document"]))
        finding["document_label"] = str(label) if label is not None else None
    return findings, report.serialize(format="nt"), shared


def _validate_serialized(item):
    """Worker entry point: (graph IRI, N-Triples or Turtle bytes, format) -> validate_graph's result."""
    graph_iri, data, fmt = item
    graph = Graph().parse(data=data, format=fmt)
    return validate_graph(graph, graph_iri)


def cross_document(shared_triples):
    """Validate the documents, units, legal resources and topics of all graphs together."""
    graph = Graph()
    for triple in shared_triples:
        graph.add(triple)
    report = run_shacl(graph, _context()["cross"])
    findings = [_finding(r, report, graph, None) for r in report.objects(None, SH.result)]
    for finding in findings:
        finding["document_label"] = None
    return findings, report.serialize(format="nt")


def validate_items(items, workers=WORKERS):
    """Validate (graph IRI, data, format) items, in parallel when there are several; return a Result."""
    items = list(items)
    if workers > 1 and len(items) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(items), os.cpu_count() or 1),
                                 initializer=_context) as pool:
            outcomes = list(pool.map(_validate_serialized, items, chunksize=max(1, len(items) // (4 * workers))))
    else:
        outcomes = [_validate_serialized(item) for item in items]
    findings, reports, shared = [], [], []
    for graph_findings, report, graph_shared in outcomes:
        findings.extend(graph_findings)
        reports.append(report)
        shared.extend(graph_shared)
    cross_findings, cross_report = cross_document(shared)
    return Result(findings + cross_findings, reports + [cross_report], len(items))


def store_items(store_dir):
    """(graph IRI, N-Triples bytes, "nt") for every named graph of a store: open, read, close."""
    import io

    from budgetkg.remote_store import open_location
    from budgetkg.store import StoreError

    try:
        with open_location(store_dir) as store:
            items = []
            for iri in store.graphs():
                buffer = io.BytesIO()
                store.dump_graph_turtle(iri, buffer)
                items.append((iri, buffer.getvalue(), "turtle"))
    except StoreError as exc:
        raise ValidationError(str(exc)) from exc
    return items


def file_items(paths):
    """(graph IRI, N-Triples, "nt") for RDF files: each named graph of a dataset file, or the whole file."""
    items = []
    for path in map(Path, paths):
        fmt = RDF_SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise ValidationError(f"{path}: unknown RDF format; use one of {', '.join(sorted(RDF_SUFFIXES))}")
        dataset = Dataset()
        try:
            dataset.parse(path, format=fmt)
        except Exception as exc:  # rdflib raises many parser-specific types
            raise ValidationError(f"{path}: cannot parse as {fmt}: {exc}") from exc
        graphs = [g for g in dataset.graphs() if len(g)]
        for graph in graphs:
            named = graph.identifier != dataset.default_graph.identifier
            iri = str(graph.identifier) if named else path.resolve().as_uri()
            plain = Graph()
            plain += graph
            items.append((iri, plain.serialize(format="nt"), "nt"))
    return items


def order_key(finding):
    """Sort key of a finding by where it is printed: page, table, row or line (unknown first)."""
    parts = finding.get("place") or {}
    return tuple(parts.get(k) or 0 for k in ("page", "table", "row")) + (finding["line"] or 0,)


class Result:
    """The findings of one validation run, its report graphs and how many graphs were validated."""

    def __init__(self, findings, reports, graph_count):
        self.findings = sorted(findings, key=lambda f: (f["document"] or "", order_key(f), f["shape"], f["focus"]))
        self.reports, self.graph_count = reports, graph_count

    def count(self, severity):
        """Number of findings of a severity ("Violation" or "Warning")."""
        return sum(1 for f in self.findings if f["severity"] == severity)

    def fails(self, fail_on):
        """True when something at or above ``fail_on`` ("violation" or "warning") was found."""
        if fail_on == "warning":
            return bool(self.findings)
        return self.count("Violation") > 0

    def report_graph(self):
        """One standard sh:ValidationReport holding every result, with document, section and line added."""
        from rdflib import BNode

        graph = Graph()
        for data in self.reports:
            graph.parse(data=data, format="nt")
        for node in list(graph.subjects(RDF.type, SH.ValidationReport)):
            graph.remove((node, None, None))
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(not self.findings)))
        for result in graph.subjects(RDF.type, SH.ValidationResult):
            graph.add((report, SH.result, result))
        for prefix, ns in (("sh", SH), ("bkg", BKG._NS), ("prov", PROV), ("skos", SKOS)):
            graph.bind(prefix, ns)
        return graph
