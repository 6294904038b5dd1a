"""README "Feeds": a browser opening the RSS or Atom address shows a page, readers don't care."""

import pytest
from bs4 import BeautifulSoup
from feedtools import SITE, parsed, stylesheet_href, tree
from lxml import etree

FEEDS = ["feeds/all.rss.xml", "feeds/all.atom.xml", "feeds/category/uncategorized.rss.xml"]


@pytest.mark.parametrize("relative", FEEDS)
def test_feed_names_a_same_origin_stylesheet_that_renders_it(site, relative):
    stylesheet = stylesheet_href(site, relative)
    assert stylesheet == "theme/xsl/feed.xsl"  # shipped by the theme, on the site itself
    transform = etree.XSLT(etree.parse(str(site.path(stylesheet))))
    page = BeautifulSoup(str(transform(etree.ElementTree(tree(site, relative)))), "html.parser")
    assert page.h1.get_text() == "This is a web feed"
    assert page.find("code").get_text() == f"{SITE}/{relative}"
    post = page.find("a", string="Networking: myth versus truth")
    assert post["href"] == f"{SITE}/2007/12/networking-myth-versus-truth/"
    assert not page.find("script")
    assert not page.find(attrs={"src": True})


def test_stylesheet_holds_no_script_and_loads_nothing(site):
    xsl = site.text("theme/xsl/feed.xsl")
    assert "<script" not in xsl.lower()
    assert "javascript:" not in xsl.lower()
    assert "@import" not in xsl
    assert "url(" not in xsl


def test_readers_ignore_the_stylesheet(site):
    feed = parsed(site, "feeds/all.rss.xml")
    assert [entry.title for entry in feed.entries] == ["Networking: myth versus truth"]


def test_no_stylesheet_when_switched_off(build_site):
    site = build_site(settings={"FEED_STYLESHEET": None})
    assert b"xml-stylesheet" not in site.path("feeds/all.rss.xml").read_bytes()
