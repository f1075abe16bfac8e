"""ETL stages: read -> segment -> extract -> normalise -> map to RDF.

Stages hand plain dicts and lists to pure functions; no stage imports a later one."""
