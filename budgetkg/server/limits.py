"""Limits on what one query may cost, checked before a worker sees it, and their defaults.

The SPARQL engine parses and evaluates recursively, so a query nested (or chained) thousands of levels
deep overflows a worker's stack. query_depth() estimates that depth from the query text: every open
bracket adds a level, and so does every chained element of a group (UNION, OPTIONAL, MINUS, BIND,
FILTER, triple separators, path and expression operators), since the engine nests those as well."""

import os
import re

from budgetkg.server.errors import BadRequest

DEFAULT_MAX_QUERY_DEPTH = 1000
MIN_WORKER_MEMORY = 1024 ** 3      # a worker gets at least 1 GiB of address space by default
RAM_SHARE_FOR_WORKERS = 0.5        # all workers together get at most half of the machine's memory
OPEN, CLOSE = "{([", "})]"
CHAIN_WORDS = {"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE"}
CHAIN_SYMBOLS = {".", ";", "/", "|", "^", "+", "-", "*", "!", "&&", "||"}
_TOKEN = re.compile(r"[?$][\w\u00b7\u0300-\u036f\u203f-\u2040\u00c0-\uffff]+"   # variable
                    r"|(?:[A-Za-z][\w.-]*)?:(?:[\w:%-]|\.(?=[\w:%-]))*"             # prefixed name
                    r"|_:[\w.-]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?"  # bnode, number
                    r"|[A-Za-z_][\w-]*|&&|\|\||[{}()\[\].;/|^+*!-]")


def query_depth(stripped):
    """Estimated nesting depth of a query whose strings, IRIs and comments are blanked out.

    VALUES data blocks are flat lists and do not count."""
    counts, depth, deepest = [0], 1, 1
    values, values_level = False, 0
    for match in _TOKEN.finditer(stripped):
        token = match.group()
        if values:
            if token in OPEN:
                values_level += 1
            elif token in CLOSE:
                values_level -= 1
                values = values_level > 0 or token != "}"
            continue
        if token in OPEN:
            counts[-1] += 1
            counts.append(0)
            depth += 2
        elif token in CLOSE:
            if len(counts) > 1:
                depth -= 1 + counts.pop()
        elif token in CHAIN_SYMBOLS or token.upper() in CHAIN_WORDS:
            counts[-1] += 1
            depth += 1
        elif token.upper() == "VALUES":
            values, values_level = True, 0
        deepest = max(deepest, depth)
    return deepest


def check_depth(depth, limit):
    """Refuse a query deeper than the limit (0: no limit) with 400, before any worker runs it."""
    if limit and depth > limit:
        raise BadRequest(f"query too complex: it is nested or chained {depth} levels deep, more than the "
                         f"{limit} this endpoint allows (MAX_QUERY_DEPTH); split it, or use VALUES for long lists")


def physical_memory():
    """Bytes of RAM of this machine, or None where the OS does not say."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def default_worker_memory(workers):
    """Address-space limit per worker: a share of RAM divided among the workers, at least 1 GiB."""
    ram = physical_memory()
    if not ram:
        return 0
    return max(MIN_WORKER_MEMORY, int(ram * RAM_SHARE_FOR_WORKERS) // max(1, workers))


SIZE_UNITS = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}


def parse_size(value):
    """Bytes from an int or a string like '2G', '512M', '1048576'; ValueError otherwise."""
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)i?B?\s*", str(value), re.I)
    if not match:
        raise ValueError(f"not a size: {value!r} (use bytes or a number with K, M, G)")
    return int(match.group(1)) * SIZE_UNITS[match.group(2).upper()]
