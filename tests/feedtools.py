"""Readers for built feeds, shared by the feed tests: feedparser, lxml and namespaced XPath."""

import json
from email.utils import parsedate_to_datetime

import feedparser
from bs4 import BeautifulSoup
from lxml import etree

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
SITE = "http://localhost:8000"


def parsed(site, relative):
    """feedparser's reading of a built feed, checked to be well-formed (bozo 0)."""
    result = feedparser.parse(site.path(relative).read_bytes())
    assert result.bozo == 0, (relative, result.get("bozo_exception"))
    return result


def text_of(html):
    """The words an HTML fragment shows, spaces collapsed (markup such as mf2 spans aside)."""
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


def tree(site, relative):
    """lxml's reading of a built feed (raises on anything not well-formed)."""
    return etree.fromstring(site.path(relative).read_bytes())


def json_feed(site, relative):
    return json.loads(site.text(relative))


def rss_date(text):
    """An RFC 822 date, which must carry its zone."""
    date = parsedate_to_datetime(text)
    assert date.tzinfo is not None, text
    return date
