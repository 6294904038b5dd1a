"""The absolute address of a post or any other page, in production and while writing.

Canonical links, Open Graph, JSON-LD and the TrackBack RDF all need an absolute URL, but
in development SITEURL is "" and templates see it rewritten to a relative path ("../..").
FEED_DOMAIN is the address Pelican already makes feed links absolute against, so it
stands in until SITEURL is set. Other plugins import `permalink` and `absolute_url` from
here (this plugin comes first in PLUGINS) so the rule lives in one place.
"""

from functools import partial
from urllib.parse import urljoin

from jinja2 import pass_context


def absolute_url(settings, path=""):
    """`path` (relative to the site root) as an absolute URL."""
    base = settings.get("SITEURL") or settings.get("FEED_DOMAIN") or ""
    return urljoin(base.rstrip("/") + "/", path)


def permalink(content):
    """A post's or page's absolute address."""
    return absolute_url(content.settings, content.url)


def canonical_url(settings, context):
    """Our own absolute address of the page being rendered (every page type).

    A post or page has its URL; any other page (index, archives, a category, page 2 of
    a listing) is addressed by the file being written, without a trailing index.html.
    """
    output_file = context.get("output_file", "")
    for name in ("article", "page"):
        content = context.get(name)
        if content is not None and getattr(content, "save_as", None) == output_file:
            return permalink(content)
    path = output_file[: -len("index.html")] if output_file.endswith("index.html") else output_file
    return absolute_url(settings, path)


def add_canonical_url(generator):
    """Let templates call `canonical_url()`.

    The template context's SITEURL is already relative, so the generator's settings
    (the real SITEURL) are bound here.
    """
    generator.env.globals["canonical_url"] = pass_context(
        partial(canonical_url, generator.settings)
    )
