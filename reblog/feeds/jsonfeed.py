"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) beside the RSS and Atom feeds.

Pelican never asks its writer for a JSON feed, so these are written when the articles
generator has finished (`article_writer_finalized`), choosing articles exactly as
ArticlesGenerator.generate_feeds does: published articles only (no drafts or hidden
ones), translations in the all-posts feed, ARTICLE_ORDER_BY, FEED_MAX_ITEMS.
"""

import json

from bs4 import BeautifulSoup
from pelican.utils import order_content, sanitised_join

from ..atomicfile import write_atomically
from ..pelican_internals import claim_output
from ..settings import read
from .budget import fit
from .content import feed_item
from .writer import FeedWriter, feed_key, make_channel

VERSION = "https://jsonfeed.org/version/1.1"


def write_json_feeds(generator, writer):
    """Write every JSON feed the settings ask for (`article_writer_finalized` receiver)."""
    settings = generator.settings
    options = read(settings)
    if options["FEED_ALL_JSON"]:
        articles = list(generator.articles)
        for article in generator.articles:
            articles.extend(article.translations)
        articles = order_content(articles, order_by=settings["ARTICLE_ORDER_BY"])
        _write(generator, writer, options, key="FEED_ALL_JSON", fields={}, articles=articles)
    groups = (
        ("CATEGORY_FEED_JSON", generator.categories),
        ("AUTHOR_FEED_JSON", generator.authors),
        ("TAG_FEED_JSON", list(generator.tags.items())),
    )
    for key, pairs in groups:
        if options[key]:
            for group, articles in pairs:
                fields = {"slug": group.slug}
                _write(
                    generator,
                    writer,
                    options,
                    key=key,
                    fields=fields,
                    articles=articles,
                    feed_title=group.name,
                )


def _write(generator, writer, options, *, key, fields, articles, feed_title=None):
    settings = generator.settings
    path = str(options[key]).format(**fields)
    url = str(settings.get(f"{key}_URL", options[key])).format(**fields)
    feed_url = writer.urljoiner(settings.get("FEED_DOMAIN") or "", url)
    channel = make_channel(
        settings,
        options,
        context=generator.context,
        feed_title=feed_title,
        feed_url=feed_url,
    )
    articles = articles[: settings["FEED_MAX_ITEMS"]]
    target = sanitised_join(writer.output_path, path)

    def write(written):
        _items, data = fit(
            [feed_item(a, settings) for a in articles],
            [a.get_relative_source_path() for a in articles],
            options["FEED_MAX_BYTES"],
            lambda items: json_feed(channel, items),
        )
        write_atomically(written, data)

    if not isinstance(writer, FeedWriter):
        write(target)
        return
    target = claim_output(writer, target, False)
    if target is not None:
        writer.keep_or_write(target, feed_key("json", path, feed_title, url, articles), write)


def json_feed(channel, items):
    """The JSON Feed document for a Channel and its FeedItems, as compact UTF-8 bytes."""
    feed = {
        "version": VERSION,
        "title": channel.title,
        "home_page_url": channel.site_url,
        "feed_url": channel.feed_url,
        "description": channel.description,
        "language": channel.language,
        "authors": [{"name": channel.author}],
    }
    if channel.hub:
        feed["hubs"] = [{"type": "WebSub", "url": channel.hub}]
    feed["items"] = [_item(item) for item in items]
    # Compact, in a fixed key order: small over slow links, identical across builds.
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _item(item):
    entry = {"id": item.url, "url": item.link, "title": item.title}
    if item.via:
        # "the URL of a page elsewhere", which is what a repost is about.
        entry["external_url"] = item.via
    entry["content_html"] = item.content
    summary = BeautifulSoup(item.summary, "html.parser").get_text(" ", strip=True)
    summary = " ".join(part for part in (summary, item.credit_text) if part)
    if summary:
        entry["summary"] = summary  # JSON Feed's summary is plain text, credit included
    entry["date_published"] = item.published.isoformat()
    entry["date_modified"] = item.updated.isoformat()
    entry["authors"] = [{"name": name} for name in item.authors if name]
    entry["tags"] = [name for name in item.categories if name]
    entry["language"] = item.lang
    return entry
