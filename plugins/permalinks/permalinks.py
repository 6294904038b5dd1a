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
    """A post's or page's absolute address.

    Pelican recomputes `content.url` from its URL pattern on every access, and the
    canonical link, JSON-LD, TrackBack RDF and linkback manifest each ask for it: the
    answer is kept on the object, keyed by what the address is made from.
    """
    key = (content.settings.get("SITEURL"), getattr(content, "slug", None), content.status)
    cached = content.__dict__.get("_permalink")
    if cached is None or cached[0] != key:
        cached = (key, absolute_url(content.settings, content.url))
        content._permalink = cached
    return cached[1]


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


# Every list of posts the article generator keeps, whatever their status.
ARTICLE_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
)
# ... and of pages the page generator keeps.
CONTENT_LISTS = (*ARTICLE_LISTS, "pages", "hidden_pages", "draft_pages", "draft_translations")


def every_post(generator):
    """Every post an article generator read: published, translated, hidden and draft."""
    for name in ARTICLE_LISTS:
        yield from getattr(generator, name, [])


def freeze_addresses(generator):
    """Fix each post's and page's `url` once everything has been read.

    Pelican formats it from the URL settings on every access (a copy of the metadata, a
    relative path, two strftime calls), and templates and feeds of a 1,000-post site ask
    about 15,000 times. Once the generator has finished reading, nothing it depends on
    changes, so it is set through Pelican's own override (the `URL` metadata), which an
    author's own `URL` is left to win. `save_as` is left alone: an overridden save_as
    turns off Pelican's check against two posts writing one file.
    """
    for name in CONTENT_LISTS:
        for content in getattr(generator, name, []):
            if not hasattr(content, "override_url"):
                content.override_url = content.url
