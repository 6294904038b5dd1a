"""docs/feeds.md "The subscribe page": every page links /subscribe/, which lists every feed the
build wrote with its format and absolute address, and links that open it in feed readers; a
feed opened in a browser is the raw feed (no XSLT stylesheet)."""

import re
from urllib.parse import parse_qs, quote, unquote, urljoin, urlsplit

import pytest
from conftest import NETWORKING_POST
from feedtools import SITE, parsed, tree

from reblog.settings import SUBSCRIBE_READERS, SettingsError, read

PAGE = "subscribe/index.html"
FORMATS = {".rss.xml": "RSS", ".atom.xml": "Atom", ".json": "JSON Feed"}
# What a percent-encoded address may hold: unreserved characters and %XX escapes.
ENCODED = re.compile(r"(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})+")


def feed_files(site):
    """Every feed in the output, as (absolute address, format name)."""
    found = []
    for path in sorted(site.path("feeds").rglob("*")):
        relative = path.relative_to(site.output).as_posix()
        for suffix, name in FORMATS.items():
            if relative.endswith(suffix):
                found.append((f"{SITE}/{relative}", name))
    return found


def listed(site):
    """The subscribe page's feeds: {address: (format label, [(link text, href), ...])}."""
    page = site.html(PAGE)
    feeds = {}
    for block in page.select("main .feed"):
        field = block.find("input")
        assert field.has_attr("readonly")
        assert field["type"] == "url"
        label = page.find("label", attrs={"for": field["id"]})
        links = [(a.get_text(), a["href"]) for a in block.find_all("a")]
        feeds[field["value"]] = (label.get_text(), links)
    return feeds


def encoded_part(href, template):
    """What `{url}` became in `href`, made from `template`."""
    prefix, suffix = template.split("{url}")
    assert href.startswith(prefix), (href, template)
    assert href.endswith(suffix), (href, template)
    return href[len(prefix) : len(href) - len(suffix)]


def test_every_page_links_the_subscribe_page(site):
    for page_file in site.html_files():
        page = site.html(page_file.relative_to(site.output))
        link = page.select_one('nav[aria-label="Site"] a[href="/subscribe/"]')
        assert link is not None, page_file
        assert link.get_text() == "Subscribe", page_file
    current = site.html(PAGE).select_one('nav [aria-current="page"]')
    assert current["href"] == "/subscribe/"
    footer = site.html(NETWORKING_POST).select_one(".post-footer .subscribe a")
    assert footer["href"] == "/subscribe/"


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"FEED_ALL_JSON": None, "CATEGORY_FEED_ATOM": None, "TAG_FEED_RSS": "feeds/tag/{slug}.xml"},
    ],
    ids=["as configured", "some off, tag feeds on"],
)
def test_the_page_lists_every_feed_file_with_its_absolute_address(build_site, settings):
    site = build_site(settings=settings)
    feeds = listed(site)
    expected = feed_files(site)
    if "TAG_FEED_RSS" in settings:
        tag_feeds = sorted(site.path("feeds/tag").glob("*.xml"))
        assert tag_feeds
        expected += [(f"{SITE}/feeds/tag/{path.name}", "RSS") for path in tag_feeds]
    assert sorted(feeds) == sorted(url for url, _ in expected)
    for url, name in expected:
        assert feeds[url][0] == name
    headings = [h2.get_text() for h2 in site.html(PAGE).select("main h2")]
    assert headings[:2] == ["All posts", "Category: Uncategorized"]


def test_reader_links_carry_the_feed_address_percent_encoded(site):
    feeds = listed(site)
    assert feeds
    for url, (_label, links) in feeds.items():
        assert links[0] == ("your feed app", f"feed:{url}")
        assert [text for text, _ in links[1:]] == list(SUBSCRIBE_READERS)
        for (name, href), template in zip(links[1:], SUBSCRIBE_READERS.values(), strict=True):
            part = encoded_part(href, template)
            assert ENCODED.fullmatch(part), (name, href)
            assert unquote(part) == url
            assert urlsplit(href).scheme == "https", href


def test_a_reader_name_and_address_are_escaped_and_encoded(build_site):
    readers = {"Reader <b>&amp;</b>": "https://reader.example/add?feed={url}&via=blog"}
    site = build_site(
        settings={
            "SUBSCRIBE_READERS": readers,
            "FEED_ALL_ATOM_URL": "feeds/all.atom.xml?from=a&to=b",
        }
    )
    feeds = listed(site)
    url = f"{SITE}/feeds/all.atom.xml?from=a&to=b"
    _label, links = feeds[url]
    assert [text for text, _ in links] == ["your feed app", "Reader <b>&amp;</b>"]
    query = parse_qs(urlsplit(links[1][1]).query)
    assert query == {"feed": [url], "via": ["blog"]}
    assert links[1][1] == f"https://reader.example/add?feed={quote(url, safe='')}&via=blog"
    html = site.text(PAGE)
    assert "<b>" not in html.split("<main", 1)[1]
    assert 'value="http://localhost:8000/feeds/all.atom.xml?from=a&amp;to=b"' in html


def test_no_readers_leaves_the_feed_link(build_site):
    site = build_site(settings={"SUBSCRIBE_READERS": {}})
    for url, (_label, links) in listed(site).items():
        assert links == [("your feed app", f"feed:{url}")]


@pytest.mark.parametrize(
    "value", [{"Reader": "https://reader.example/add"}, [("Reader", "{url}")], {"R": None}]
)
def test_a_reader_without_its_url_place_is_refused(value):
    with pytest.raises(SettingsError, match="SUBSCRIBE_READERS"):
        read({"SUBSCRIBE_READERS": value})


def test_feeds_are_raw_feeds_with_no_stylesheet(site):
    assert not list(site.output.rglob("*.xsl"))
    for url, name in feed_files(site):
        relative = url.removeprefix(f"{SITE}/")
        data = site.path(relative).read_bytes()
        assert b"xml-stylesheet" not in data, relative
        if name != "JSON Feed":
            assert tree(site, relative).getprevious() is None, relative
            assert parsed(site, relative).entries, relative


def test_the_published_page_names_the_live_addresses_and_stays_light(published_site):
    feeds = listed(published_site)
    assert f"{published_site.url}/feeds/all.rss.xml" in feeds
    assert all(url.startswith(published_site.url + "/") for url in feeds)
    page = published_site.html(PAGE)
    css = page.select_one('link[rel~="stylesheet"]')["href"]
    css_path = urlsplit(urljoin(f"{published_site.url}/{PAGE}", css)).path.lstrip("/")
    weight = published_site.path(PAGE).stat().st_size + published_site.path(css_path).stat().st_size
    assert weight < 30_000, f"subscribe page and CSS: {weight} B"
    assert not page.find("script", attrs={"type": lambda kind: kind != "application/ld+json"})
