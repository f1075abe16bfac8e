"""A parse cache for rdflib SPARQL: pySHACL sends the same query text once per focus node.

rdflib parses and translates query text on every call; a translated query is reusable, so cache it."""

import rdflib.plugins.sparql.processor as processor
from rdflib.plugins.sparql.evaluate import evalQuery

_CACHE = {}
_ORIGINAL = processor.SPARQLProcessor.query


def _cached_query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
    """SPARQLProcessor.query with the parsed and translated form of each query text cached."""
    if isinstance(strOrQuery, str):
        key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
        translated = _CACHE.get(key)
        if translated is None:
            translated = _CACHE[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
        strOrQuery = translated
    return evalQuery(self.graph, strOrQuery, initBindings, base)


def enable(on=True):
    """Install (or, with on=False, remove) the cache for this process."""
    processor.SPARQLProcessor.query = _cached_query if on else _ORIGINAL
