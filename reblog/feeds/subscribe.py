"""The subscribe page's list: every feed this build writes, its format, its absolute address,
and links that open it in feed readers.

Browsers are dropping XSLT (Chromium shows a banner on a styled feed), so a feed opened in
a browser stays a raw feed and the page a person reads is `subscribe.html`, a direct
template. It is given `site_feeds`, made here from the same settings the writers read:
FEED_ALL_*, CATEGORY_FEED_*, TAG_FEED_* and AUTHOR_FEED_* (RSS, Atom and JSON, with their
*_URL variants), so the page lists exactly the feeds that exist.
"""

from dataclasses import dataclass
from urllib.parse import quote, urljoin

from ..settings import read

FORMATS = (("RSS", "RSS"), ("ATOM", "Atom"), ("JSON", "JSON Feed"))
# The setting prefix of each kind of feed, the generator attribute holding its groups, and
# how the page names one group.
KINDS = (
    ("FEED_ALL", None, "All posts"),
    ("CATEGORY_FEED", "categories", "Category: {name}"),
    ("TAG_FEED", "tags", "Tag: {name}"),
    ("AUTHOR_FEED", "authors", "Author: {name}"),
)


@dataclass(frozen=True)
class Feed:
    """One feed file: its format's name, its absolute address, and (name, href) links that
    open it in a reader: the `feed:` scheme first, then SUBSCRIBE_READERS."""

    format: str
    url: str
    readers: tuple


@dataclass(frozen=True)
class FeedGroup:
    """The feeds of one set of posts (all posts, one category, ...), one per format."""

    title: str
    feeds: tuple


def add_site_feeds(generator):
    """`article_generator_finalized`: give every template the feeds of this build."""
    generator.context["site_feeds"] = site_feeds(generator)


def site_feeds(generator):
    """The FeedGroups of every feed the settings ask for, all posts first."""
    settings = generator.settings
    options = read(settings)
    groups = []
    for prefix, attribute, title in KINDS:
        if attribute is None:
            members = [(None, title)]
        else:
            pairs = getattr(generator, attribute)
            pairs = pairs.items() if isinstance(pairs, dict) else pairs
            members = sorted(
                ((group.slug, title.format(name=group.name)) for group, _posts in pairs),
                key=lambda member: member[1].casefold(),
            )
        for slug, name in members:
            feeds = [
                feed(settings, options, f"{prefix}_{key}", label, slug) for key, label in FORMATS
            ]
            if any(feeds):
                groups.append(FeedGroup(name, tuple(f for f in feeds if f)))
    return groups


def feed(settings, options, key, label, slug):
    """The Feed the setting `key` asks for, or None when it is off."""
    path = options.get(key, settings.get(key))
    if not path:
        return None
    address = str(settings.get(f"{key}_URL", path)).format(slug=slug)
    # The address the feed names as its own (rel="self"): Pelican makes it absolute
    # against FEED_DOMAIN, which Pelican sets to SITEURL when it is not given.
    base = settings.get("FEED_DOMAIN") or settings.get("SITEURL") or ""
    url = urljoin(base.rstrip("/") + "/", address)
    return Feed(label, url, reader_links(url, options["SUBSCRIBE_READERS"]))


def reader_links(url, readers):
    """(name, href) pairs opening `url` in each reader; {url} is percent-encoded whole."""
    # The feed: scheme (feed:https://...) hands the address to the reader app the device
    # has registered for it; it is followed by the address as it is, not encoded.
    links = [("your feed app", f"feed:{url}")]
    encoded = quote(url, safe="")
    links += [(name, template.replace("{url}", encoded)) for name, template in readers.items()]
    return tuple(links)
