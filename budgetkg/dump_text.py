"""A document's N-Quads, Turtle and TriG written straight from its mapped triples, in the store's form.

The published store keeps typed literals in canonical form (xsd:decimal "8886.00" answers as "8886",
xsd:integer "007" as "7", xsd:boolean "1" as "true"), and the dumps must say exactly what the store
answers. Loading every document into an in-memory store only to dump it again cost a build worker a
third of its time, so the canonical forms of the datatypes the ETL writes are computed here
(CANONICAL_FORMS; other datatypes, and values a store keeps as they are, such as xsd:gYear, pass
unchanged). A literal outside these rules raises NotCanonical and the caller takes the store round
trip instead (`budgetkg.build_job.write_parts`); `tests/test_dump_text.py` checks both give the same quads.

The Turtle groups each subject's statements (in the order the mapping made them) and abbreviates
IRIs with the dump prefixes where the local name is plainly safe; the TriG is the same statements in
the document's graph block, so the whole-dataset TriG is still the parts concatenated."""

import re

import pyoxigraph as ox

from budgetkg.store import TermConverter

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DECIMAL = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?")
INTEGER = re.compile(r"[+-]?\d+")
SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
DECIMAL_DIGITS = (20, 18)  # integer and fraction digits a store decimal holds (i128 scaled by 10^18)
INTEGER_DIGITS = 18  # digits that surely fit the store's 64-bit integer
INDENT = "    "


class NotCanonical(ValueError):
    """A literal whose stored form this module does not compute (the store round trip is needed)."""


def canonical_decimal(text):
    """'-0.20' -> '-0.2', '100.00' -> '100', '.5' -> '0.5', '-0.00' -> '0' (the store's xsd:decimal)."""
    match = DECIMAL.fullmatch(text)
    if match is None or not (match.group(2) or match.group(3)):
        raise NotCanonical(f"xsd:decimal {text!r}")
    sign, whole, fraction = match.group(1), match.group(2).lstrip("0"), (match.group(3) or "").rstrip("0")
    if len(whole) > DECIMAL_DIGITS[0] or len(fraction) > DECIMAL_DIGITS[1]:
        raise NotCanonical(f"xsd:decimal {text!r} (too many digits)")
    if not whole and not fraction:
        return "0"
    return ("-" if sign == "-" else "") + (whole or "0") + (f".{fraction}" if fraction else "")


def canonical_integer(text):
    """'007' -> '7', '+5' -> '5', '-0' -> '0'."""
    if INTEGER.fullmatch(text) is None or len(text.lstrip("+-")) > INTEGER_DIGITS:
        raise NotCanonical(f"xsd:integer {text!r}")
    return str(int(text))


def canonical_boolean(text):
    """'1' -> 'true', '0' -> 'false'."""
    value = {"true": "true", "1": "true", "false": "false", "0": "false"}.get(text)
    if value is None:
        raise NotCanonical(f"xsd:boolean {text!r}")
    return value


def unchanged(text):
    return text


CANONICAL_FORMS = {  # datatype -> lexical form as the store answers it
    XSD + "decimal": canonical_decimal,
    XSD + "integer": canonical_integer,
    XSD + "boolean": canonical_boolean,
    XSD + "string": unchanged,
    XSD + "gYear": unchanged,
}


class TextTerms:
    """N-Triples and Turtle forms of a document's terms, canonical, each converted once."""

    def __init__(self, prefixes):
        self.convert = TermConverter()
        self.namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))  # longest first
        self.nt, self.ttl = {}, {}

    def term(self, value):
        """The N-Triples form of an rdflib term, literals in canonical form (NotCanonical otherwise)."""
        text = self.nt.get(value)
        if text is None:
            datatype = getattr(value, "datatype", None)
            if datatype is not None:
                canonical = CANONICAL_FORMS.get(str(datatype))
                if canonical is None:
                    raise NotCanonical(f"a literal of datatype <{datatype}>")
                text = str(ox.Literal(canonical(str(value)), datatype=ox.NamedNode(str(datatype))))
            else:
                text = self.convert.term(value)
            self.nt[value] = text
        return text

    def iri(self, value):
        return self.convert.iri(value)

    def pname(self, iri):
        """prefix:local for an IRI in a dump namespace with a plainly safe local name, else None."""
        for prefix, namespace in self.namespaces:
            if iri.startswith(namespace) and SAFE_LOCAL.fullmatch(iri[len(namespace):]):
                return f"{prefix}:{iri[len(namespace):]}"
        return None

    def turtle(self, nt_text):
        """The Turtle form of an N-Triples term: IRIs and datatypes abbreviated where safe."""
        text = self.ttl.get(nt_text)
        if text is None:
            text = nt_text
            if nt_text.startswith("<"):
                text = self.pname(nt_text[1:-1]) or nt_text
            elif nt_text.endswith(">") and "^^<" in nt_text:
                lexical, _, datatype = nt_text.rpartition("^^<")
                short = self.pname(datatype[:-1])
                text = f"{lexical}^^{short}" if short else nt_text
            self.ttl[nt_text] = text
        return text


def prefix_lines(prefixes):
    """@prefix directives, sorted by prefix."""
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in sorted(prefixes.items()))


def document_texts(graph, triples, prefixes):
    """(N-Quads bytes, quad count, Turtle bytes, TriG bytes) of one document's distinct triples.

    Raises NotCanonical for a literal whose stored form is not computed here."""
    terms = TextTerms(prefixes)
    g = terms.iri(graph)
    statements = dict.fromkeys((terms.term(s), terms.iri(p), terms.term(o)) for s, p, o in triples)
    if not statements:
        return b"", 0, prefix_lines(prefixes).encode("utf-8"), prefix_lines(prefixes).encode("utf-8")
    nquads = "".join(f"{s} {p} {o} {g} .\n" for s, p, o in statements)
    by_subject = {}
    for s, p, o in statements:
        by_subject.setdefault(s, []).append((p, o))
    blocks = []
    rdf_type = terms.iri(RDF_TYPE)
    for subject, pairs in by_subject.items():
        said = [f"{'a' if p == rdf_type else terms.turtle(p)} {terms.turtle(o)}" for p, o in pairs]
        blocks.append(f"{terms.turtle(subject)} " + f" ;\n{INDENT}".join(said) + " .\n")
    header = prefix_lines(prefixes)
    turtle = header + "\n" + "\n".join(blocks)
    trig = header + f"\n{terms.turtle(g)} {{\n" + "\n".join(blocks) + "}\n"
    return nquads.encode("utf-8"), len(statements), turtle.encode("utf-8"), trig.encode("utf-8")
