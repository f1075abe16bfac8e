"""IRIs and the server's paths, and labels for IRIs: what every page uses to show and link a resource.

Data IRIs under the configured base and the fixed code/def IRIs map to paths on this server."""

from flask import current_app, g
from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from budgetkg.vocab import CODE_BASE, ONTOLOGY_IRI
from budgetkg.server import data
from budgetkg.server.security import safe_href

DATA_PREFIXES = ("unit/", "doc/", "legal/", "issuer/")
WELL_KNOWN = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("类型", "type"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": ("名称", "preferred label"),
    "http://www.w3.org/2004/02/skos/core#altLabel": ("别名", "alternative label"),
    "http://www.w3.org/2004/02/skos/core#notation": ("编码", "notation"),
    "http://www.w3.org/2004/02/skos/core#broader": ("上级", "broader"),
    "http://www.w3.org/2004/02/skos/core#inScheme": ("所属体系", "in scheme"),
    "http://www.w3.org/2004/02/skos/core#definition": ("定义", "definition"),
    "http://www.w3.org/2000/01/rdf-schema#label": ("标签", "label"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("来源文件", "derived from"),
    "http://purl.org/linked-data/cube#dataSet": ("数据集", "data set"),
    "http://www.w3.org/ns/org#hasUnit": ("内设机构", "has unit"),
    "http://data.europa.eu/eli/ontology#id_local": ("文号", "local identifier"),
    "http://data.europa.eu/eli/ontology#title": ("标题", "title"),
}
LABEL_PROPERTIES = ["http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
                    "http://data.europa.eu/eli/ontology#title", "http://www.w3.org/2004/02/skos/core#altLabel"]
CODE_PROPERTIES = ["http://www.w3.org/2004/02/skos/core#notation", "http://data.europa.eu/eli/ontology#id_local"]
LABEL_QUERY = """SELECT ?s ?p ?label WHERE {{ VALUES ?s {{ {values} }}
  VALUES ?p {{ skos:prefLabel rdfs:label eli:title skos:altLabel skos:notation eli:id_local }} ?s ?p ?label }}"""


FIGURE_QUERY = """SELECT ?s ?item ?c ?value WHERE {{ VALUES ?s {{ {values} }} ?s bkg:item ?item .
  OPTIONAL {{ ?s bkg:classification ?c }} OPTIONAL {{ ?s bkg:amount|bkg:quantity ?value }} }}"""


def base():
    """The configured base of data IRIs (ends in a slash)."""
    value = current_app.config["BASE"]
    return value if value.endswith("/") else value + "/"


def iri_for_path(path):
    """The IRI a request path (without leading slash) names, or None."""
    if path.startswith("code/"):
        return CODE_BASE + path[len("code/"):]
    if path == "def":
        return ONTOLOGY_IRI
    if path.startswith("def/"):
        return ONTOLOGY_IRI + "#" + path[len("def/"):]
    if path.startswith(DATA_PREFIXES):
        return base() + path
    return None


def href(value):
    """The link for an IRI: its path on this server when we serve it, else the IRI itself when it is
    http(s); None for other schemes (javascript:, data:, ...), which pages show as text."""
    if value.startswith(CODE_BASE):
        return "/code/" + value[len(CODE_BASE):]
    if value == ONTOLOGY_IRI:
        return "/def"
    if value.startswith(ONTOLOGY_IRI + "#"):
        return "/def#" + value[len(ONTOLOGY_IRI) + 1:]
    root = base()
    if value.startswith(root) and value[len(root):].startswith(DATA_PREFIXES):
        return "/" + value[len(root):]
    return safe_href(value)


def short(value):
    """A compact name for an IRI: prefixed name or its last segment."""
    from budgetkg.server.sparql import prefixes
    for name, namespace in sorted(prefixes().items(), key=lambda item: -len(item[1])):
        if value.startswith(namespace) and len(value) > len(namespace):
            return f"{name}:{value[len(namespace):]}"
    if value.startswith(base()):
        return "/".join(value[len(base()):].rstrip("/").split("/")[-2:])
    return value.rstrip("/").rsplit("/", 1)[-1] or value


def ontology_labels(value):
    """(zh, en) labels of an IRI from the ontology file, either may be None."""
    zh = en = None
    for prop in (SKOS.prefLabel, RDFS.label):
        for literal in data.ontology().objects(URIRef(value), prop):
            if literal.language == "zh" and zh is None:
                zh = str(literal)
            elif literal.language in ("en", None) and en is None:
                en = str(literal)
    return zh, en


def resolve_labels(iris):
    """Fill g.labels with (zh, en) for these IRIs from well-known names, the ontology and the store."""
    labels = g.setdefault("labels", {})
    missing = []
    for value in dict.fromkeys(iris):
        if value in labels:
            continue
        found = WELL_KNOWN.get(value) or ontology_labels(value)
        if found[0] or found[1]:
            labels[value] = found
        else:
            missing.append(value)
    for start in range(0, len(missing), 200):
        chunk = missing[start:start + 200]
        found = {}
        for row in data.select(LABEL_QUERY.format(values=" ".join(data.iri(v) for v in chunk))):
            found.setdefault(row["s"].value, []).append((row["p"].value, row["label"]))
        for value, pairs in found.items():
            labels[value] = store_label(pairs)
    unlabelled = [v for v in missing if v not in labels]
    for start in range(0, len(unlabelled), 200):
        values = " ".join(data.iri(v) for v in unlabelled[start:start + 200])
        for row in data.select(FIGURE_QUERY.format(values=values)):
            labels[row["s"].value] = figure_label(row)
    return labels


def store_label(pairs):
    """(zh, en) from a resource's label statements: the best label, prefixed by its code or 文号."""
    zh = en = None
    for prop in LABEL_PROPERTIES:
        for p, literal in pairs:
            if p == prop and (literal.lang or "").startswith("en"):
                en = en or literal.value
            elif p == prop:
                zh = zh or literal.value
    code = next((literal.value for prop in CODE_PROPERTIES for p, literal in pairs if p == prop), None)
    if code and zh != code:
        zh = f"{code} {zh}" if zh else (None if en else code)
    return zh, en


def figure_label(row):
    """(zh, None) for a figure: its item, classification code and value."""
    zh, en = ontology_labels(row["item"].value)
    code = " " + row["c"].value.rsplit("/", 1)[-1] if "c" in row else ""
    value = f": {row['value'].value}" if "value" in row else ""
    return f"{zh or en or short(row['item'].value)}{code}{value}", None


def label(value):
    """Display label of an IRI: Chinese, with English in brackets where we have both; else a short name."""
    zh, en = g.get("labels", {}).get(value, (None, None))
    if zh and en and zh != en:
        return f"{zh} ({en})"
    return zh or en or short(value)


def link(term):
    """A dict the templates render as a link (IRIs) or text (literals)."""
    if isinstance(term, str):
        return {"iri": term, "href": href(term), "label": label(term)}
    if term.is_iri:
        return {"iri": term.value, "href": href(term.value), "label": label(term.value)}
    return {"text": term.value, "lang": term.lang, "datatype": term.datatype and short(term.datatype)}
