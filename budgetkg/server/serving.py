"""Running the app under waitress, the production WSGI server `budgetkg serve` uses.

Bounded request threads and connections come from the settings. Request lines with raw (percent-
unencoded) UTF-8, as browsers and curl send for `?q=养老保险`, are percent-encoded before waitress splits
them: waitress would otherwise answer 400 "Bad URI"."""

import waitress
import waitress.parser

MIN_CHANNEL_TIMEOUT = 120  # seconds an idle or slow connection is kept (more when queries may take longer)
CHANNEL_SLACK = 10         # seconds beyond the longest a request may wait and run


def percent_encode_non_ascii(uri):
    """The request target with every byte >= 0x80 written as %XX (ASCII bytes untouched)."""
    if uri.isascii():
        return uri
    return b"".join(b"%%%02X" % byte if byte >= 0x80 else bytes([byte]) for byte in uri)


def _split_uri_accepting_utf8(uri, _split=waitress.parser.split_uri):
    """waitress's split_uri after percent-encoding raw UTF-8 (and other non-ASCII) bytes."""
    return _split(percent_encode_non_ascii(uri))


def accept_raw_utf8_request_lines():
    """Make waitress accept request lines with raw non-ASCII bytes (idempotent)."""
    if waitress.parser.split_uri is not _split_uri_accepting_utf8:
        waitress.parser.split_uri = _split_uri_accepting_utf8


def serve(app, host, port):
    """Serve app with waitress on host:port using the THREADS / CONNECTION_LIMIT / MAX_BODY settings."""
    config = app.config
    accept_raw_utf8_request_lines()
    waitress.serve(app, host=host, port=port, threads=config["THREADS"],
                   connection_limit=config["CONNECTION_LIMIT"],
                   channel_timeout=max(MIN_CHANNEL_TIMEOUT,
                                       int(config["QUERY_TIMEOUT"] + config["QUEUE_TIMEOUT"]) + CHANNEL_SLACK),
                   max_request_body_size=2 * config["MAX_CONTENT_LENGTH"],  # Flask answers 413 below this
                   ident="budgetkg", _quiet=True)
