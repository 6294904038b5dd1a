"""README "Feeds": any Unicode title, summary and body gives a well-formed RSS and Atom feed
that a reader reads back with the title the author typed, less the characters XML forbids.
"""

import html
import os
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import feedparser
from conftest import SITES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from pelican.contents import Article, Author, Category
from pelican.settings import read_settings

from reblog.feeds.content import feed_item, reset
from reblog.feeds.writer import build_feed, make_channel
from reblog.settings import read as feed_settings

# Written from the list, not imported from the plugin, so the test can disagree.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
SETTINGS = read_settings(str(SITES / "pelicanconf.py"))
# Every code point, lone surrogates included, with the troublesome ones made likely.
ANY_CHARACTER = st.characters(exclude_categories=())
TRICKY = st.sampled_from([*"<>&;#/\"' \t\r\n\x00\x0b\x85\x9f\ufffe\ud800", "&amp;", "</b>"])
TEXT = st.lists(st.one_of(ANY_CHARACTER, TRICKY), max_size=40).map("".join)


def _article(title, summary, body):
    metadata = {
        "title": title,
        "summary": summary,
        "date": datetime(2020, 5, 17, 12, 0, tzinfo=ZoneInfo("America/New_York")),
        "category": Category("Tests", SETTINGS),
        "author": Author("RLW", SETTINGS),
        "slug": "property",
    }
    return Article(body, metadata=metadata, settings=SETTINGS, source_path="property.md")


def _feed_bytes(feed_type, article):
    channel = make_channel(
        SETTINGS,
        feed_settings(SETTINGS),
        context=SETTINGS,
        feed_title=None,
        feed_url="http://localhost:8000/feeds/all.xml",
    )
    reset()
    feed = build_feed(feed_type, channel, [feed_item(article, SETTINGS)])
    return feed.rss_str() if feed_type == "rss" else feed.atom_str()


def _visible(detail_value, detail_type):
    """The text a reader shows for a title feedparser reports as plain text or HTML."""
    return html.unescape(detail_value) if detail_type == "text/html" else detail_value


def _as_feedparser_reads(text):
    """feedparser "repairs" text that looks like UTF-8 read as Latin-1 ("Â¡" becomes "¡").

    That is the reader's own guess, not a fault of the feed, so the expectation makes it too.
    """
    try:
        return text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _normalized(text):
    # XML turns a raw CR into LF, and readers trim titles: neither is ours to keep.
    return " ".join(text.replace("\r\n", "\n").replace("\r", "\n").split())


@settings(
    # FEED_PROPERTY_EXAMPLES=3000 explores further by hand; CI runs the bounded 40.
    max_examples=int(os.environ.get("FEED_PROPERTY_EXAMPLES", "40")),
    deadline=None,
    database=None,
    derandomize=True,  # the same 40 examples on every run: no flaky CI
    suppress_health_check=[HealthCheck.too_slow],
)
@given(title=TEXT, summary=TEXT, body=TEXT)
@example(title="Â¡", summary="", body="")  # feedparser's Latin-1 "repair"
@example(title="t", summary="&#x1F;", body="&#1:")  # references that decode to controls
def test_any_unicode_gives_well_formed_feeds_with_the_same_title(title, summary, body):
    article = _article(title, summary, body)
    expected = _normalized(_as_feedparser_reads(FORBIDDEN.sub("", title)))
    for feed_type in ("rss", "atom"):
        data = _feed_bytes(feed_type, article)
        etree.fromstring(data)  # well-formed, or this raises
        feed = feedparser.parse(data)
        assert feed.bozo == 0, feed.get("bozo_exception")
        entry = feed.entries[0]
        if expected:
            shown = _visible(entry.title_detail.value, entry.title_detail.type)
            assert _normalized(shown) == expected, (feed_type, title)
