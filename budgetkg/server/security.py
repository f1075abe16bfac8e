"""What keeps pages safe to open: security headers on every response, and which IRIs may become links.

Only http, https and relative references become links; any other scheme (javascript:, data:, vbscript:,
file:, ...) is rendered as text. The public base URL is trusted only when configured (BASE_URL)."""

import re
from urllib.parse import urlsplit

from flask import current_app, request

LINK_SCHEMES = {"http", "https"}
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'",
    "form-action 'self'", "frame-ancestors 'none'"])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
DESCRIPTION_MAX_AGE = 300  # seconds shared caches may keep a description built from BASE_URL
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


class SettingError(ValueError):
    """A setting has a value the server cannot use."""


def add_headers(response):
    """Put the security headers on a response (after_request hook)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def link_scheme(value):
    """The scheme a browser would see in this href (lower case), or None for a relative reference."""
    cleaned = _IGNORED_BY_BROWSERS.sub("", value).strip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def safe_href(value):
    """value when it may be an href (http, https or relative), else None: the caller shows text instead."""
    if not value:
        return None
    scheme = link_scheme(value)
    return value if scheme is None or scheme in LINK_SCHEMES else None


def checked_base_url(value):
    """The BASE_URL setting ending in a slash, or None; SettingError unless it is an absolute http(s) URL."""
    if not value:
        return None
    parts = urlsplit(str(value))
    if parts.scheme not in LINK_SCHEMES or not parts.netloc:
        raise SettingError(f"BASE_URL must be an absolute http(s) URL, not {value!r}")
    return str(value) if str(value).endswith("/") else f"{value}/"


def description_cache_headers(response):
    """Descriptions built from BASE_URL may be cached; ones built from the Host header may not be stored."""
    if current_app.config.get("BASE_URL"):
        response.headers["Cache-Control"] = f"public, max-age={DESCRIPTION_MAX_AGE}"
    else:
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Host")
    return response


def request_base_url():
    """The public base URL: BASE_URL when configured, else this request's root URL."""
    return current_app.config.get("BASE_URL") or request.url_root
