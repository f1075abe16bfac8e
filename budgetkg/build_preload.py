"""Imported once by the build's fork server before it forks the workers: loads the ETL and warms
its one-time caches (jieba's dictionaries, about 5 s), so every worker starts with them shared
(copy-on-write) instead of loading them again. Only the worker pool imports this module."""

from budgetkg.etl import projects
import budgetkg.etl.pipeline  # noqa: F401  (the extractors and the mapping)

projects._tokenizer()
projects._keyword_extractor()
