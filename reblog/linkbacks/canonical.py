"""One spelling for each address a ping names, so one page pinging one post is one ping.

`canonical` is how a source or target is stored: scheme and host in lower case, the
default port, the user name and the fragment dropped, an empty path made "/", and
percent-escapes spelled one way (unreserved characters decoded, the rest in upper case,
other non-ASCII characters escaped). It is still the address the sender named: the page
fetched is the same one.

`post_key` is what names one of our posts: a target, or a link on a source page, that
differs from a post's address only by a missing (or extra) trailing slash, an
"index.html" or a query string (a tracking parameter, a comment page) names that post.
A source's spellings with and without a trailing slash (`source_spellings`) are one page
pinging us; a query string makes another.
"""

import re
from urllib.parse import quote, urlsplit, urlunsplit

ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Everything RFC 3986 allows as is in a path or query; "%" too, its escapes are fixed after.
PATH_SAFE = "/:@!$&'()*+,;=%~"
QUERY_SAFE = PATH_SAFE + "?"
DEFAULT_PORTS = {"http": 80, "https": 443}


def _escapes(text, safe):
    """`text` with non-ASCII escaped and each escape in its one spelling."""

    def one_spelling(match):
        char = chr(int(match[1], 16))
        return char if char in UNRESERVED else f"%{match[1].upper()}"

    return ESCAPE.sub(one_spelling, quote(text, safe=safe))


def canonical(url):
    """`url` (an absolute http(s) address) in its one spelling; ValueError for a bad port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets
    port = parts.port
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    path = _escapes(parts.path or "/", PATH_SAFE)
    query = _escapes(parts.query, QUERY_SAFE)
    return urlunsplit((scheme, host, path, query, ""))


def page_address(url):
    """The canonical `url`, with ".../index.html" spelt ".../": the page a link names."""
    parts = urlsplit(canonical(url))
    if parts.path.endswith("/index.html"):
        parts = parts._replace(path=parts.path[: -len("index.html")])
    return urlunsplit(parts)


def post_key(url):
    """What identifies the post `url` names: its canonical address without the query,
    without "index.html" and without a trailing slash."""
    parts = urlsplit(page_address(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def source_spellings(url):
    """The canonical `url` and the same with its trailing slash added or taken away."""
    parts = urlsplit(canonical(url))
    path = parts.path
    other = path.rstrip("/") if path.endswith("/") else path + "/"
    spellings = [urlunsplit(parts)]
    if other:
        spellings.append(urlunsplit(parts._replace(path=other)))
    return spellings
