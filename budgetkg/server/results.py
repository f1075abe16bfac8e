"""Serialising query results with a row cap: SELECT in JSON/XML/CSV/TSV, CONSTRUCT/DESCRIBE as RDF.

Solutions are written by pyoxigraph's own serialiser into a sink (`RowCountingSink`) that counts rows
as the bytes arrive and stops the serialiser once more than max_rows rows were written; the result is
then cut after exactly max_rows rows and closed. A result within the cap never becomes Python terms.
`write_solutions` (Python, term by term) remains for callers that hold decoded rows."""

import io
import json
import re
from functools import lru_cache
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}


def json_term(term):
    """A term as a SPARQL JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": json_term(term.subject),
                                        "predicate": json_term(term.predicate), "object": json_term(term.object)}}


def xml_term(term):
    """A term as a SPARQL XML results element."""
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{xml_term(term.subject)}</subject><predicate>{xml_term(term.predicate)}"
            f"</predicate><object>{xml_term(term.object)}</object></triple>")


def csv_field(term):
    """A term as a CSV field (plain value, quoted when needed)."""
    if term is None:
        return ""
    value = "_:" + term.value if isinstance(term, ox.BlankNode) else \
        term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value


def write_solutions(solutions, fmt, max_rows):
    """Serialise at most max_rows solutions; return (bytes, truncated)."""
    names = [v.value for v in solutions.variables]
    rows = list(islice(solutions, max_rows + 1))
    truncated = len(rows) > max_rows
    rows = rows[:max_rows]
    out = io.StringIO()
    if fmt == "json":
        bindings = [{name: json_term(term) for name, term in zip(names, row) if term is not None} for row in rows]
        json.dump({"head": {"vars": names}, "results": {"bindings": bindings}}, out, ensure_ascii=False)
    elif fmt == "xml":
        out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')
        out.write("".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head><results>\n")
        for row in rows:
            out.write("<result>" + "".join(f"<binding name={quoteattr(n)}>{xml_term(t)}</binding>"
                                           for n, t in zip(names, row) if t is not None) + "</result>\n")
        out.write("</results></sparql>\n")
    elif fmt == "csv":
        out.write(",".join(names) + "\r\n")
        for row in rows:
            out.write(",".join(csv_field(t) for t in row) + "\r\n")
    else:
        out.write("\t".join("?" + n for n in names) + "\n")
        for row in rows:
            out.write("\t".join("" if t is None else str(t) for t in row) + "\n")
    return out.getvalue().encode("utf-8"), truncated


# Byte strings every row of a native serialisation contains at least once and its header and
# framing nowhere (a literal may contain them too: then they over-count, which only stops early).
ROW_MARKERS = {"json": (b",{", b"[{"), "xml": (b"<result>",), "csv": (b"\n",), "tsv": (b"\n",)}
HEADER_LINES = {"json": 0, "xml": 0, "csv": 1, "tsv": 1}
RESULTS_END = {"json": b"]}}", "xml": b"</results></sparql>", "csv": b"", "tsv": b""}
_CSV_FIELD = rb'(?:"(?:[^"]|"")*"|[^,"\r\n]*)'
_CSV_ROW = re.compile(_CSV_FIELD + rb"(?:," + _CSV_FIELD + rb")*\r\n")  # a complete CSV row


class RowLimitReached(Exception):
    """Raised inside pyoxigraph's serialiser by the sink, to stop it."""


def json_row_ends(text, pos):
    """Character offsets just after each complete row object of a (possibly cut) SPARQL JSON
    results text, reading rows from offset pos (the start of the rows, or the end of a row)."""
    decoder, ends = json.JSONDecoder(), []
    while pos < len(text):
        if text[pos] == ",":
            pos += 1
        if text[pos:pos + 1] != "{":
            break
        try:
            _, pos = decoder.raw_decode(text, pos)
        except ValueError:
            break
        ends.append(pos)
    return ends


def row_ends(body, fmt, pos):
    """Byte offsets just after each complete row of a native serialisation (exact), reading from pos."""
    if fmt == "json":  # character offsets back to byte offsets; a cut may split a character at the end
        text = bytes(body[pos:]).decode("utf-8", errors="ignore")
        ends, offset, last = [], pos, 0
        for end in json_row_ends(text, 0):
            offset += len(text[last:end].encode("utf-8"))
            ends.append(offset)
            last = end
        return ends
    if fmt == "xml":
        return [m.end() for m in re.compile(rb"</result>").finditer(body, pos)]
    if fmt == "tsv":
        return [m.end() for m in re.compile(rb"\n").finditer(body, pos)]
    ends = []
    while (match := _CSV_ROW.match(body, pos)) is not None:
        ends.append(pos := match.end())
    return ends


def rows_start(body, fmt):
    """Byte offset where the rows of a native serialisation start (after its header)."""
    if fmt == "json":
        return body.index(b'"bindings":[') + len(b'"bindings":[')
    if fmt == "xml":
        return body.index(b"<results>") + len(b"<results>")
    return body.index(b"\n") + 1


class RowCountingSink:
    """A binary file-like object for QuerySolutions.serialize that keeps the bytes and raises
    RowLimitReached once more than max_rows complete rows were written.

    Counting row markers is an upper bound of the rows; only when it passes the cap are the rows
    counted exactly (from where the last exact count stopped), so a result within the cap is never
    parsed back, and literals that contain a marker cannot cut a result short."""

    def __init__(self, fmt, max_rows):
        self.fmt, self.max_rows = fmt, max_rows
        self.markers = ROW_MARKERS[fmt]
        self.keep = max(len(m) for m in self.markers) - 1
        self.buffer, self.count, self.tail = bytearray(), 0, b""
        self.threshold = max_rows + HEADER_LINES[fmt]  # marker count that triggers an exact count
        self.exact_rows, self.exact_pos, self.row_ends = 0, None, []

    def write(self, data):
        window = self.tail + data
        self.count += sum(window.count(m) for m in self.markers)  # the tail is shorter than a marker
        self.tail = window[-self.keep:] if self.keep else b""
        self.buffer += data
        if self.count > self.threshold:
            self.recount()
        return len(data)

    def recount(self):
        """Count complete rows exactly; raise RowLimitReached past the cap, else wait for more markers."""
        if self.exact_pos is None:
            self.exact_pos = rows_start(self.buffer, self.fmt)
        ends = row_ends(self.buffer, self.fmt, self.exact_pos)
        self.row_ends += ends[:self.max_rows + 1 - len(self.row_ends)]
        self.exact_rows += len(ends)
        self.exact_pos = ends[-1] if ends else self.exact_pos
        if self.exact_rows > self.max_rows:
            raise RowLimitReached
        self.threshold = self.count + (self.max_rows - self.exact_rows)

    @property
    def counted(self):
        """True once the marker count passed the cap (the rows were then counted exactly)."""
        return self.exact_pos is not None

    def flush(self):
        """Nothing to flush: the bytes are kept in memory."""

    def cut(self):
        """The first max_rows rows, closed properly (after RowLimitReached)."""
        end = self.row_ends[self.max_rows - 1] if self.max_rows else rows_start(self.buffer, self.fmt)
        return bytes(self.buffer[:end]) + RESULTS_END[self.fmt]


def native_solutions(solutions, fmt, max_rows):
    """Serialise solutions with pyoxigraph, at most max_rows rows; return (bytes, truncated)."""
    sink = RowCountingSink(fmt, max_rows)
    try:
        solutions.serialize(sink, format=RESULTS_FORMATS[fmt])
        if sink.counted:
            sink.recount()  # the rows after the last exact count
    except RowLimitReached:
        return sink.cut(), True
    return bytes(sink.buffer), False


@lru_cache(maxsize=1)
def default_prefixes():
    """Prefixes for Turtle / RDF/XML results: the standard ones and the budgetkg vocabulary (once)."""
    from budgetkg.vocab import STANDARD_PREFIXES
    from budgetkg.vocab import PREFIXES as VOCAB
    return {name: str(ns) for name, ns in {**STANDARD_PREFIXES, **VOCAB}.items()}


def serialize(result, fmt, max_rows, prefixes=None):
    """Serialise any query result in a format key; return (bytes, truncated).

    prefixes None: default_prefixes() (for Turtle and RDF/XML)."""
    if isinstance(result, ox.QueryBoolean):
        return result.serialize(format=RESULTS_FORMATS[fmt]), False
    if isinstance(result, ox.QuerySolutions):
        return native_solutions(result, fmt, max_rows)
    triples = list(islice(result, max_rows + 1))
    truncated = len(triples) > max_rows
    if fmt in ("ttl", "rdfxml"):
        prefixes = default_prefixes() if prefixes is None else prefixes
    return ox.serialize(triples[:max_rows], format=GRAPH_FORMATS[fmt],
                        prefixes=prefixes if fmt in ("ttl", "rdfxml") else None), truncated


def result_kind(result):
    """solutions, boolean or graph."""
    if isinstance(result, ox.QueryBoolean):
        return "boolean"
    return "solutions" if isinstance(result, ox.QuerySolutions) else "graph"
