"""README: metadata is always escaped, and pages load nothing from any other host."""

import json
import re
from urllib.parse import urlsplit

from conftest import assert_identical_trees

HOSTILE_TITLE = 'Hello <script>alert(1)</script> x" onmouseover="alert(2)'
HOSTILE_POST = f"""Title: {HOSTILE_TITLE}
Date: 2020-01-02
Category: Hostile <b>category</b>
Tags: <img src=x onerror=alert(3)>
Author: Mallory <script>alert(4)</script>
Original_author: Eve <script>alert(5)</script>
Original_site: Site " onclick="alert(6)
Original_site_url: https://example.org/?a=1&b='2'

Body text.
"""


def test_hostile_metadata_renders_as_text_everywhere(build_site):
    site = build_site(posts={"hostile.md": HOSTILE_POST})
    article_pages = [p for p in site.html_files() if "/2020/01/" in str(p)]
    assert article_pages, "the hostile post was not built"
    for page_file in site.html_files():
        page = site.html(page_file.relative_to(site.output))
        for script in page.find_all("script"):
            # Only data: JSON-LD, whose "<" are escaped so no metadata can close the element.
            assert script["type"] == "application/ld+json", page_file
            assert "<" not in script.string, page_file
        assert not page.find(attrs={"onmouseover": True}), page_file
        assert not page.find(attrs={"onclick": True}), page_file
        assert not page.find(attrs={"onerror": True}), page_file
        assert not page.select("main b, main img"), page_file
    article = site.html(article_pages[0].relative_to(site.output))
    assert article.h1.get_text() == HOSTILE_TITLE
    assert article.title.get_text().startswith(HOSTILE_TITLE)
    assert article.select_one(".credit-author").get_text() == "Eve <script>alert(5)</script>"
    data = json.loads(article.find("script", type="application/ld+json").string)
    assert data["headline"] == HOSTILE_TITLE
    assert data["isBasedOn"]["author"]["name"] == "Eve <script>alert(5)</script>"
    index_titles = [a.get_text() for a in site.html("index.html").select("main h2 a")]
    assert HOSTILE_TITLE in index_titles


# <link> relations a browser never fetches: where other blogs send pings.
NOT_FETCHED_RELS = {"webmention", "pingback"}


def _referenced_urls(page):
    for tag in page.find_all(True):
        if tag.name == "a":
            continue  # an outbound link is a citation, not a request
        if tag.name == "link" and tag.get("rel") == ["canonical"]:
            continue  # the page's own address, absolute by definition; never fetched
        if tag.name == "link" and set(tag.get("rel") or ["?"]) <= NOT_FETCHED_RELS:
            continue  # an endpoint other blogs post to; a browser never requests it
        for attribute in ("src", "href", "action", "data", "poster"):
            if tag.get(attribute):
                yield tag[attribute]
        for candidate in (tag.get("srcset") or "").split(","):
            if candidate.strip():
                yield candidate.split()[0]
    for style in page.find_all("style"):
        yield from re.findall(r"url\(['\"]?([^'\")]+)", style.get_text())


def test_no_page_loads_anything_from_another_host(site):
    for page_file in site.html_files():
        page = site.html(page_file.relative_to(site.output))
        for url in _referenced_urls(page):
            assert not urlsplit(url).netloc, f"{page_file} loads {url}"
    css = site.text("theme/css/site.css")
    assert "@import" not in css
    assert "url(" not in css
    assert "@font-face" not in css


def test_the_same_content_builds_byte_identical_pages(build_site):
    assert_identical_trees(build_site(name="first").output, build_site(name="second").output)
