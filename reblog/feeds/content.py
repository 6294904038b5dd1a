"""One article made feed-ready: plain text, absolute links, no active content.

Small mobile readers render feed HTML with little or no sandboxing, so every feed gets the
same cleaned copy: scripts, frames, plugins, forms and event handlers gone, every address
absolute, and no character XML 1.0 forbids (one of those aborts the whole feed).
The result is cached per article for the build, because one article appears in the
all-posts feed and its category feed in every format; `reset` empties it on `finalized`.
An incremental build reuses the previous build's item for a post that did not change
(reblog.incremental.memo): cleaning is most of the time a feed takes to write.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from pelican.utils import set_date_tzinfo

from ..credit import credit_html, credit_text
from ..incremental import memo
from ..urls import absolute_url
from . import smallreader

logger = logging.getLogger(__name__)

# XML 1.0 §2.2 forbids C0 controls other than tab/LF/CR, lone surrogates, U+FFFE and U+FFFF.
# DEL and the C1 controls are legal but "discouraged": they only ever come from mis-decoded
# text (Windows-1252 read as Latin-1) and readers show them as boxes, so they go too.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

REMOVED_ELEMENTS = ("script", "style", "iframe", "frame", "frameset", "object", "embed")
REMOVED_ELEMENTS += ("applet", "form", "base", "meta", "link")
URL_ATTRIBUTES = ("href", "src", "cite", "poster", "action", "formaction", "background")
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
# Browsers ignore ASCII whitespace and controls inside a scheme ("java\tscript:").
SCHEME_NOISE = re.compile(r"[\x00-\x20]+")

_cache = {}


@dataclass
class FeedItem:
    """What every feed format says about one article, already cleaned."""

    title: str
    url: str  # the permalink: guid, Atom id, JSON id
    link: str  # what readers open (FEED_APPEND_REF adds ?ref=feed)
    summary: str
    content: str  # full post plus the credit line for a repost
    credit: str  # the credit line alone ("" for the blogger's own posts)
    credit_text: str  # the same as plain text, for JSON Feed's summary
    published: datetime
    updated: datetime
    lang: str
    authors: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    source_feed: str | None = None
    source_name: str | None = None
    via: str | None = None


def reset(*_args, **_kwargs):
    """Forget the cleaned articles (connected to `finalized`, so autoreload starts afresh)."""
    _cache.clear()


def site_base(settings):
    """The absolute address every feed link is made against, without its final slash."""
    return absolute_url(settings).rstrip("/")


def feed_item(article, settings):
    """The article's FeedItem, built on first use and reused by every feed of this build."""
    cached = _cache.get(id(article))
    # The article itself is kept in the cache, so its id cannot be reused during the build.
    if cached is not None and cached[0] is article:
        return cached[1]
    item, stripped = memo(settings, "feed item", article, lambda: _build_item(article, settings))
    if stripped:
        logger.warning("feeds: removed characters XML 1.0 forbids from %s", stripped)
    _cache[id(article)] = (article, item)
    return item


def _build_item(article, settings):
    """The article's FeedItem, and where it was if characters were removed from it (or None)."""
    base = site_base(settings)
    url = absolute_url(settings, article.url)
    stripped = []

    def text(value):
        value = "" if value is None else str(value)
        cleaned = FORBIDDEN.sub("", value)
        if cleaned != value:
            stripped.append(value)
        return cleaned

    profile = smallreader.profile(settings)

    def html(value):
        # Again after parsing: a character reference such as "&#1;" decodes to a control.
        return text(clean_html(text(value), url, profile))

    attribution = getattr(article, "attribution", None)
    credit = html(credit_html(attribution))
    summary = html(article.summary)
    content = html(article.get_content(base)) + credit
    timezone = settings.get("TIMEZONE")
    published = set_date_tzinfo(article.date, timezone)
    modified = getattr(article, "modified", None)
    item = FeedItem(
        title=text(article.title),
        url=url,
        link=url + "?ref=feed" if settings.get("FEED_APPEND_REF") else url,
        summary=summary,
        content=content,
        credit=credit,
        credit_text=text(credit_text(attribution)),
        published=published,
        updated=set_date_tzinfo(modified, timezone) if modified else published,
        lang=text(getattr(article, "lang", None) or settings.get("DEFAULT_LANG", "en")),
        authors=[text(a.name) for a in getattr(article, "authors", None) or []],
        categories=[text(c) for c in _categories(article)],
    )
    if attribution:
        # RSS 2.0's <source url> is "the XMLization of the source": only a feed address
        # fits. Without Original_feed there is no <source>; the credit line and Atom's
        # rel="via" still name and link the original.
        if attribution.feed and _safe_url(attribution.feed):
            item.source_feed = text(attribution.feed)
            item.source_name = text(attribution.site or attribution.author or attribution.feed)
        if attribution.link and _safe_url(attribution.link):
            item.via = text(attribution.link)
    if stripped:
        return item, getattr(article, "source_path", None) or article.title
    return item, None


def _categories(article):
    category = getattr(article, "category", None)
    return ([category] if category else []) + list(getattr(article, "tags", None) or [])


def clean_html(html, base, profile=None):
    """Feed-safe copy of `html`: no active content, every address absolute against `base`;
    with a small-reader `profile`, only the elements it allows (reblog.feeds.smallreader)."""
    if not html:
        return ""
    soup = BeautifulSoup(html, "html.parser")
    if profile is not None:
        smallreader.embeds_to_links(soup, lambda value: _absolute(value, base))
    for tag in soup.find_all(REMOVED_ELEMENTS):
        tag.decompose()
    for tag in soup.find_all(True):
        removed = _clean_attributes(tag, base)
        if tag.name == "a" and "href" in removed:
            tag.unwrap()  # a javascript: link loses its address, keeps its words
        elif tag.name == "img" and "src" in removed:
            tag.replace_with(tag.get("alt") or "")
    if profile is not None:
        smallreader.simplify(soup, profile)
    return str(soup)


def _clean_attributes(tag, base):
    """Drop event handlers and styles, absolutize addresses; return the URL attributes dropped."""
    for name in list(tag.attrs):
        if name.lower().startswith("on") or name.lower() == "style":
            del tag[name]
    removed = set()
    for name in URL_ATTRIBUTES:
        value = tag.get(name)
        if value is None:
            continue
        if _safe_url(value):
            tag[name] = urljoin(base, value.strip())
        else:
            del tag[name]
            removed.add(name)
    if tag.get("srcset") is not None:
        tag["srcset"] = _absolute_srcset(tag["srcset"], base)
        if not tag["srcset"]:
            del tag["srcset"]
    return removed


def _absolute(value, base):
    """`value` made absolute against `base`, or None when its scheme is unsafe."""
    return urljoin(base, value.strip()) if _safe_url(value) else None


def _safe_url(value):
    scheme = SCHEME_NOISE.sub("", str(value)).lower()
    return not scheme.startswith(UNSAFE_SCHEMES)


def _absolute_srcset(srcset, base):
    candidates = []
    for candidate in srcset.split(","):
        parts = candidate.split()
        if parts and _safe_url(parts[0]):
            candidates.append(" ".join([urljoin(base, parts[0]), *parts[1:]]))
    return ", ".join(candidates)
