"""Absolute addresses on every page: the `canonical_url()` template global, and post URLs
fixed once the generators have read everything.

The rule itself (`absolute_url`, `permalink`) lives in reblog.urls.
"""

from functools import partial

from jinja2 import pass_context
from pelican.generators import ArticlesGenerator

from .incremental import keep_with_post
from .pelican_internals import FROZEN_SAVE_AS, freeze_save_as
from .urls import absolute_url, permalink


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


def article_generators(generators):
    """The article generators among all_generators_finalized's `generators`."""
    return [generator for generator in generators if isinstance(generator, ArticlesGenerator)]


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
    author's own `URL` is left to win. `save_as` is frozen the same way, without Pelican's
    override, which would turn off its check against two posts writing one file.
    """
    for name in CONTENT_LISTS:
        for content in getattr(generator, name, []):
            if not hasattr(content, "override_url"):
                content.override_url = content.url
            freeze_save_as(content)
            # Both come from the post and the settings alone: a post made again from the
            # build cache comes with them (and freeze_save_as keeps what it finds).
            keep_with_post(content, "override_url", FROZEN_SAVE_AS)
