"""Serialising query results with a row cap: SELECT in JSON/XML/CSV/TSV, CONSTRUCT/DESCRIBE as RDF.

pyoxigraph's own serialisers cannot stop after N rows, so solutions are written here, term by term."""

import io
import json
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


def serialize(result, fmt, max_rows, prefixes=None):
    """Serialise any query result in a format key; return (bytes, truncated)."""
    if isinstance(result, ox.QueryBoolean):
        return result.serialize(format=RESULTS_FORMATS[fmt]), False
    if isinstance(result, ox.QuerySolutions):
        return write_solutions(result, fmt, max_rows)
    triples = list(islice(result, max_rows + 1))
    truncated = len(triples) > max_rows
    return ox.serialize(triples[:max_rows], format=GRAPH_FORMATS[fmt],
                        prefixes=prefixes if fmt in ("ttl", "rdfxml") else None), truncated


def result_kind(result):
    """solutions, boolean or graph."""
    if isinstance(result, ox.QueryBoolean):
        return "boolean"
    return "solutions" if isinstance(result, ox.QuerySolutions) else "graph"
