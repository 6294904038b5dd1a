"""URL helpers every part of the engine shares: absolute addresses, and comparing two spellings.

Canonical links, Open Graph, JSON-LD, the TrackBack RDF, the feeds and the linkback
manifest all need a post's absolute URL, but while writing SITEURL is "" (templates see it
rewritten to a relative path). FEED_DOMAIN is the address Pelican already makes feed links
absolute against, so it stands in until SITEURL is set.
"""

from urllib.parse import urljoin, urlsplit, urlunsplit


def is_http(value):
    """True for an absolute http or https address with a host name."""
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def absolute_url(settings, path=""):
    """`path` (relative to the site root) as an absolute URL."""
    base = settings.get("SITEURL") or settings.get("FEED_DOMAIN") or ""
    return urljoin(base.rstrip("/") + "/", path)


def permalink(content):
    """A post's or page's absolute address.

    Pelican recomputes `content.url` from its URL pattern on every access, and the
    canonical link, JSON-LD, TrackBack RDF and linkback manifest each ask for it: the
    answer is kept on the object, keyed by what the address is made from.
    """
    key = (content.settings.get("SITEURL"), getattr(content, "slug", None), content.status)
    cached = content.__dict__.get("_reblog_permalink")
    if cached is None or cached[0] != key:
        cached = (key, absolute_url(content.settings, content.url))
        content._reblog_permalink = cached  # an engine cache: no part of a fingerprint
    return cached[1]


def absolute(base, href):
    """`href` resolved against `base`, without its fragment."""
    parts = urlsplit(urljoin(base, href.strip()))
    return urlunsplit(parts._replace(fragment=""))
