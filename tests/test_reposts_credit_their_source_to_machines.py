"""README: a repost's credit is machine-readable (JSON-LD, microformats2), and every page
names its own canonical address and Open Graph description."""

import json
from urllib.parse import urlsplit

import mf2py
from conftest import NETWORKING_POST

FULL_REPOST = """Title: Why we read slowly
Date: 2021-05-06
Slug: why-we-read-slowly
Original_author: Ada Example
Original_title: On reading slowly
Original_url: https://ada.example.org/2021/05/reading-slowly
Original_site: Ada's notebook
Original_site_url: https://ada.example.org/

> Read it twice.
"""
OWN_POST = """Title: My own thoughts
Date: 2021-05-07
Slug: my-own-thoughts

Nothing republished here.
"""
SCRIPT_BREAKER = 'Ends </script><script>alert("x")</script> & <!-- here'


def json_ld(page):
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def canonical(page):
    links = page.find_all("link", rel="canonical")
    assert len(links) == 1
    return links[0]["href"]


def test_json_ld_blog_posting_credits_the_original(site):
    page = site.html(NETWORKING_POST)
    data = json_ld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Networking: myth versus truth"
    assert data["datePublished"].startswith("2007-12-04")
    assert [author["name"] for author in data["author"]] == ["RLW"]
    assert data["publisher"]["name"] == "Worth a Thorough Read"
    assert data["url"] == canonical(page)
    original = data["isBasedOn"]
    assert original["@type"] == "CreativeWork"
    assert original["author"]["name"] == "Cheri Baker"
    assert original["url"] == "http://blog.emergenceconsulting.net/"
    assert original["isPartOf"]["name"] == "The Enlightened Manager Blog"


def test_json_ld_names_the_original_article_when_known(build_site):
    site = build_site(posts={"full.md": FULL_REPOST, "own.md": OWN_POST})
    original = json_ld(site.html("2021/05/why-we-read-slowly/index.html"))["isBasedOn"]
    assert original["name"] == "On reading slowly"
    assert original["url"] == "https://ada.example.org/2021/05/reading-slowly"
    assert original["author"]["name"] == "Ada Example"
    assert original["isPartOf"]["url"] == "https://ada.example.org/"
    own = json_ld(site.html("2021/05/my-own-thoughts/index.html"))
    assert own["@type"] == "BlogPosting"
    assert "isBasedOn" not in own


def test_metadata_cannot_break_out_of_the_json_ld(build_site):
    post = FULL_REPOST.replace("Title: Why we read slowly", f"Title: {SCRIPT_BREAKER}").replace(
        "Original_author: Ada Example", f"Original_author: {SCRIPT_BREAKER}"
    )
    site = build_site(posts={"breaker.md": post})
    text = site.text("2021/05/why-we-read-slowly/index.html")
    assert "</script><script>" not in text
    page = site.html("2021/05/why-we-read-slowly/index.html")
    assert len(page.find_all("script")) == 1
    data = json_ld(page)
    assert data["headline"] == SCRIPT_BREAKER
    assert data["isBasedOn"]["author"]["name"] == SCRIPT_BREAKER


def test_microformats_mark_the_post_as_a_repost_of_the_original(site):
    page_url = "http://localhost:8000/2007/12/networking-myth-versus-truth/"
    parsed = mf2py.parse(doc=site.text(NETWORKING_POST), url=page_url)
    entries = [item for item in parsed["items"] if "h-entry" in item["type"]]
    assert len(entries) == 1
    entry = entries[0]["properties"]
    assert entry["name"] == ["Networking: myth versus truth"]
    assert entry["published"][0].startswith("2007-12-04")
    assert entry["author"][0]["properties"]["name"] == ["RLW"]
    assert "A post on networking may seem" in entry["content"][0]["value"]
    cite = entry["repost-of"][0]
    assert cite["type"] == ["h-cite"]
    assert cite["properties"]["author"][0]["properties"]["name"] == ["Cheri Baker"]
    assert cite["properties"]["url"] == ["http://blog.emergenceconsulting.net/"]


def test_own_posts_are_not_reposts(build_site):
    site = build_site(posts={"own.md": OWN_POST})
    parsed = mf2py.parse(doc=site.text("2021/05/my-own-thoughts/index.html"))
    entry = next(item for item in parsed["items"] if "h-entry" in item["type"])
    assert "repost-of" not in entry["properties"]


def test_every_page_has_its_own_absolute_canonical_and_open_graph(site):
    for page_file in site.html_files():
        relative = page_file.relative_to(site.output).as_posix()
        page = site.html(relative)
        url = canonical(page)
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("http", "localhost:8000"), relative
        # The canonical address is this very file, as a server would map it.
        path = parts.path.lstrip("/")
        assert (path + "index.html" if path.endswith("/") or not path else path) == relative
        og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
        assert og["og:url"] == url, relative
        assert og["og:title"], relative
        assert og["og:site_name"] == "Worth a Thorough Read"
        assert og["og:type"] in ("article", "website"), relative


def test_article_open_graph_describes_the_post(site):
    og = {
        m["property"]: m["content"]
        for m in site.html(NETWORKING_POST).find_all("meta", property=True)
    }
    assert og["og:type"] == "article"
    assert og["og:title"] == "Networking: myth versus truth"
    assert og["og:description"].startswith("Cheri Baker on why networking")
    assert og["article:published_time"].startswith("2007-12-04")


def test_production_canonical_is_the_live_address(build_site):
    site = build_site(config="publishconf.py")
    page = site.html(NETWORKING_POST)
    expected = "https://worth-a-thorough-read.example.org/2007/12/networking-myth-versus-truth/"
    assert canonical(page) == expected
    assert json_ld(page)["url"] == expected
    assert canonical(site.html("index.html")) == "https://worth-a-thorough-read.example.org/"
