"""Pelican's Writer with a feedgen `write_feed`: same settings, better feeds, atomic files.

Pelican's ArticlesGenerator still decides which feeds exist and which articles each one
holds (FEED_ALL_*, CATEGORY_FEED_*, TAG_FEED_*, AUTHOR_FEED_*, TRANSLATION_FEED_*, their
*_URL variants, ARTICLE_ORDER_BY); this writer only changes how one feed is written.
"""

import html
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.ext.dc import DcEntryExtension, DcExtension
from feedgen.feed import FeedGenerator
from markupsafe import Markup
from pelican import __version__ as pelican_version
from pelican.plugins import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

from ..atomicfile import write_atomically
from ..incremental import KeepsUnchangedOutput, content_fingerprint, output_key_of
from ..pelican_internals import claim_output
from ..settings import read
from .budget import fit
from .content import FORBIDDEN, feed_item, site_base
from .extensions import ChannelExtension, ItemExtension

logger = logging.getLogger(__name__)

# An empty feed has no newest item to date it by; a fixed date keeps builds identical.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# feedparser (and the readers like it) treat an RSS title with a closing tag or an
# entity reference as HTML. Such a title is sent entity-encoded, as the RSS Best
# Practices Profile advises, so every reader shows the characters the author typed.
LOOKS_LIKE_HTML = re.compile(r"<[\w/!?]|&#?\w+;")
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


@dataclass
class Channel:
    """What a feed says about itself."""

    title: str
    site_url: str
    feed_url: str
    description: str
    language: str
    author: str
    ttl: int | None = None
    hub: str | None = None


def get_writer(_pelican):
    """Pelican's `get_writer` signal: use FeedWriter for this build."""
    return FeedWriter


class FeedWriter(KeepsUnchangedOutput, Writer):
    """A Writer whose feeds are built with feedgen from cleaned, cached FeedItems; with an
    incremental build, an output whose key is unchanged is kept (reblog.incremental)."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.feed_options = read(self.settings)

    def write_feed(  # noqa: PLR0917 -- Pelican's own signature, called positionally
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        """Write one RSS 2.0 or Atom 1.0 feed of `elements` and return its FeedGenerator."""
        # The same attributes Pelican's write_feed sets, for code that reads them.
        self.site_url = context.get("SITEURL", path_to_url(get_relative_path(path)))
        self.feed_domain = context.get("FEED_DOMAIN")
        self.feed_url = self.urljoiner(self.feed_domain, url or path)

        elements = elements[: self.settings["FEED_MAX_ITEMS"]]
        if not path:
            return self.build_feed(elements, context, url, path, feed_type, feed_title)
        complete_path = sanitised_join(self.output_path, path)
        target = claim_output(self, complete_path, override_output)
        if target is not None:
            key = feed_key(feed_type, path, feed_title, url, elements)
            self.keep_or_write(
                target,
                key,
                lambda written: self.write_built_feed(
                    written, elements, context, url, path, feed_type, feed_title
                ),
            )
        logger.info('Writing "%s"', complete_path)
        return None

    def write_built_feed(self, target, elements, context, url, path, feed_type, feed_title):  # noqa: PLR0917
        items = [feed_item(e, self.settings) for e in elements]
        channel = self.channel(context, url, path, feed_title)
        summary_only = feed_type == "rss" and bool(self.settings.get("RSS_FEED_SUMMARY_ONLY"))

        def serialized(items):
            feed = build_feed(feed_type, channel, items, summary_only=summary_only)
            return serialize(feed, feed_type)

        names = [e.get_relative_source_path() for e in elements]
        max_bytes = self.feed_options["FEED_MAX_BYTES"]
        items, data = fit(items, names, max_bytes, serialized)
        feed = build_feed(feed_type, channel, items, summary_only=summary_only)
        signals.feed_generated.send(context, feed=feed)
        if signals.feed_generated.receivers:
            data = serialize(feed, feed_type)  # as a receiver may have changed it
        write_atomically(target, data)
        signals.feed_written.send(target, context=context, feed=feed)

    def build_feed(self, elements, context, url, path, feed_type, feed_title):  # noqa: PLR0917
        """The FeedGenerator of one feed of `elements` (all in full: no file, no budget)."""
        items = [feed_item(e, self.settings) for e in elements]
        channel = self.channel(context, url, path, feed_title)
        summary_only = feed_type == "rss" and self.settings.get("RSS_FEED_SUMMARY_ONLY")
        feed = build_feed(feed_type, channel, items, summary_only=bool(summary_only))
        signals.feed_generated.send(context, feed=feed)
        return feed

    def channel(self, context, url, path, feed_title):
        return make_channel(
            self.settings,
            self.feed_options,
            context=context,
            feed_title=feed_title,
            feed_url=self.feed_url,
        )


def feed_key(kind, path, title, url, elements):
    """What a feed shows that may change between builds of one site fingerprint: its kind,
    file, title and address, and every post in it (reblog.incremental)."""
    return output_key_of(
        [kind, path, title, url], [content_fingerprint(element) for element in elements]
    )


def make_channel(settings, options, *, context, feed_title, feed_url):
    """What one feed says about itself."""
    sitename = str(context.get("SITENAME", ""))
    title = f"{sitename} - {feed_title}" if feed_title else sitename
    return Channel(
        title=FORBIDDEN.sub("", Markup(title).striptags()),
        site_url=site_base(settings) + "/",
        feed_url=feed_url,
        description=FORBIDDEN.sub("", str(context.get("SITESUBTITLE") or sitename)),
        language=settings.get("DEFAULT_LANG", "en"),
        author=FORBIDDEN.sub("", str(context.get("AUTHOR") or sitename)),
        ttl=options["FEED_TTL"],
        hub=options["WEBSUB_HUB"],
    )


def serialize(feed, feed_type):
    """The bytes of a FeedGenerator as an RSS ("rss") or Atom ("atom") feed."""
    return feed.rss_str() if feed_type == "rss" else feed.atom_str()


def rss_title(title):
    """An RSS title every reader shows as typed (see LOOKS_LIKE_HTML)."""
    return html.escape(title, quote=False) if LOOKS_LIKE_HTML.search(title) else title


def build_feed(feed_type, channel, items, summary_only=False):
    """A FeedGenerator for one RSS ("rss") or Atom ("atom") feed of FeedItems, in order.

    `summary_only` (RSS_FEED_SUMMARY_ONLY) leaves RSS items without content:encoded; every
    item's summary carries its credit either way.
    """
    rss = feed_type == "rss"
    fg = FeedGenerator()
    fg.register_extension("site", ChannelExtension, ItemExtension)
    # dc:creator is RSS's author-without-email; Atom has its own <author>.
    fg.register_extension("dc", DcExtension, DcEntryExtension, atom=False)
    fg.site.hub = channel.hub
    fg.id(channel.feed_url)
    fg.title(rss_title(channel.title) if rss else channel.title or channel.site_url)
    # feedgen's RSS <channel><link> is the last link added: self first, the site last.
    fg.link(href=channel.feed_url, rel="self", type=MEDIA_TYPES[feed_type])
    fg.link(href=channel.site_url, rel="alternate")
    fg.description(channel.description or channel.title or channel.site_url)
    fg.language(channel.language)
    fg.author(name=channel.author)
    fg.generator("Pelican", version=pelican_version, uri="https://getpelican.com/")
    if channel.ttl:
        fg.ttl(channel.ttl)
    # Dated by the newest item, never by the clock: the same content gives the same bytes.
    fg.updated(max((item.updated for item in items), default=EPOCH))
    for item in items:
        add_entry(fg, item, rss=rss, summary_only=summary_only)
    return fg


def add_entry(fg, item, rss, summary_only=False):
    """Append one FeedItem (feedgen prepends unless told otherwise)."""
    entry = fg.add_entry(order="append")
    entry.id(item.url)
    entry.guid(item.url, permalink=True)
    entry.title(rss_title(item.title) if rss else item.title or item.url)
    entry.link(href=item.link)
    # The credit goes with the summary too: many readers show nothing else.
    summary = item.summary + item.credit
    if summary and not (not rss and summary == item.content):
        entry.summary(summary, type="html")
    if not summary_only:
        entry.content(item.content, type="html")
    for name in item.authors:
        if name:
            entry.author(name=name)
            entry.dc.dc_creator(name)
    for category in item.categories:
        if category:
            entry.category(term=category)
    entry.comments(item.url)
    entry.published(item.published)
    entry.updated(item.updated)
    entry.site.source_url = item.source_feed
    entry.site.source_name = item.source_name
    entry.site.via = item.via
    return entry
