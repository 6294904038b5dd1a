"""README: `make publish` builds the production site (absolute SITEURL from the environment,
sitemap.xml, robots.txt, 404.html, .gz copies, a hashed stylesheet URL) and checks it."""

import gzip
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import pytest
from conftest import NETWORKING_POST, ROOT, SITES, assert_identical_trees

from reblog.check import is_example_address

SITEURL = "https://blog.example.net"
CHECK = [str(Path(sys.executable).with_name("reblog-check"))]
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def publish(build_site, monkeypatch):
    """Build with publishconf.py for SITEURL (taken from the environment, as in a deploy)."""

    def build(posts=None, settings=None, name="site", siteurl=SITEURL):
        monkeypatch.setenv("SITEURL", siteurl)
        return build_site(posts=posts, settings=settings, config="publishconf.py", name=name)

    return build


def run_check(site, siteurl=SITEURL):
    return subprocess.run(
        [*CHECK, "--built", str(site.output), "-s", str(SITES / "publishconf.py")],
        env={"SITEURL": siteurl, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_siteurl_comes_from_the_environment_and_every_address_is_absolute(publish):
    site = publish(siteurl="https://elsewhere.example.com/blog/")
    page = site.html(NETWORKING_POST)
    assert page.select_one("link[rel=stylesheet]")["href"].startswith(
        "https://elsewhere.example.com/blog/theme/css/site.css?v="
    )
    assert page.select_one(".trackback-uri").get_text() == (
        "https://elsewhere.example.com/blog/trackback/networking-myth-versus-truth"
    )
    for feed_link in page.select("head link[rel=alternate]"):
        assert feed_link["href"].startswith("https://elsewhere.example.com/blog/feeds/")
    feed = feedparser.parse(site.text("feeds/all.atom.xml"))
    assert feed.bozo == 0
    assert feed.entries[0].link == (
        "https://elsewhere.example.com/blog/2007/12/networking-myth-versus-truth/"
    )


def test_sitemap_lists_every_page_and_robots_txt_points_at_it(publish):
    site = publish()
    tree = ElementTree.fromstring(site.path("sitemap.xml").read_bytes())
    locs = [loc.text for loc in tree.findall("s:url/s:loc", SITEMAP_NS)]
    pages = {
        SITEURL + "/" + str(p.relative_to(site.output)).removesuffix("index.html")
        for p in site.html_files()
    }
    assert set(locs) == pages - {SITEURL + "/404.html"}
    # Index pages change when the newest post does: dated by it, never by the build clock.
    lastmod = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for url in tree.findall("s:url", SITEMAP_NS)
    }
    assert lastmod[SITEURL + "/"] == "2007-12-04T00:00:00-05:00"
    assert lastmod[SITEURL + "/archives/"] == lastmod[SITEURL + "/"]
    robots = site.text("robots.txt").splitlines()
    assert "User-agent: *" in robots
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots
    assert site.html("404.html").h1.get_text() == "Page not found"


def test_gz_copies_hold_the_same_bytes_and_are_reproducible(publish):
    site = publish()
    compressible = [
        p
        for p in site.output.rglob("*")
        if p.suffix in {".html", ".css", ".xml", ".json"} and p.stat().st_size >= 256
    ]
    assert {p.suffix for p in compressible} >= {".html", ".css", ".xml"}
    for path in compressible:
        copy = path.with_name(path.name + ".gz").read_bytes()
        assert gzip.decompress(copy) == path.read_bytes(), path
        flags, mtime = copy[3], int.from_bytes(copy[4:8], "little")
        assert flags & 0x08 == 0, f"{path}.gz stores a file name"
        assert mtime == 0, f"{path}.gz stores a time"


def test_the_same_content_publishes_byte_identical_files(publish):
    assert_identical_trees(publish(name="first").output, publish(name="second").output)


def test_stylesheet_url_changes_when_the_stylesheet_does(publish, tmp_path):
    site = publish(name="as-is")
    css = site.path("theme/css/site.css").read_bytes()
    href = site.html("index.html").select_one("link[rel=stylesheet]")["href"]
    assert urlsplit(href).query == "v=" + hashlib.sha256(css).hexdigest()[:10]

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    with (theme / "static/css/site.css").open("a") as stylesheet:
        stylesheet.write("p{margin:0}\n")
    edited = publish(name="edited", settings={"THEME": str(theme)})
    new_href = edited.html("index.html").select_one("link[rel=stylesheet]")["href"]
    assert new_href != href
    assert urlsplit(new_href).path == urlsplit(href).path


def test_publish_check_accepts_the_real_site(publish):
    site = publish()
    # Every feed format is published, and the receiver's endpoint is advertised: both are
    # checked, the endpoint as the program's address it is, not as a missing file.
    assert {"all.rss.xml", "all.atom.xml", "all.json"} <= {
        p.name for p in site.output.glob("feeds/*")
    }
    assert site.html(NETWORKING_POST).select_one("link[rel=webmention]")["href"] == (
        SITEURL + "/webmention"
    )
    result = run_check(site)
    assert result.returncode == 0, result.stderr
    assert "ready to upload" in result.stdout


BROKEN_LINK_POST = """Title: Broken
Date: 2021-03-04
Category: Notes

See [the missing page](/no/such/page/) and [the missing part](#nowhere).
"""

DEV_ADDRESS_POST = """Title: Written on my laptop
Date: 2021-03-05
Category: Notes

![chart](http://localhost:8000/images/chart.png) and the [draft](http://127.0.0.1:8000/draft/),
and <img alt="" src="//[::1]:8001/pixel.png">.
"""


# (the post, every line the check must print about it)
CHECK_FAILURES = [
    pytest.param(
        {"broken.md": BROKEN_LINK_POST},
        [
            "2021/03/broken/index.html: links to /no/such/page/",
            "2021/03/broken/index.html: links to #nowhere",
        ],
        id="names each missing link and fragment",
    ),
    pytest.param(
        {"dev.md": DEV_ADDRESS_POST},
        [
            "refers to the development address http://localhost:8000",
            "refers to the development address http://127.0.0.1:8000",
            "refers to the development address //[::1]:8001",
            # The feeds carry the post too, so they are named as well.
            "feeds/all.atom.xml: refers to the development address",
        ],
        id="rejects the development address",
    ),
]


@pytest.mark.parametrize(("posts", "complaints"), CHECK_FAILURES)
def test_publish_check_fails_naming_each_problem(publish, posts, complaints):
    result = run_check(publish(posts=posts))
    assert result.returncode == 1
    assert [line for line in complaints if line not in result.stderr] == [], result.stderr


def test_publish_check_rejects_a_malformed_feed_and_a_missing_asset(publish):
    site = publish()
    feed = site.path("feeds/all.rss.xml")
    feed.write_bytes(feed.read_bytes().replace(b"</channel>", b""))
    site.path("feeds/all.json").write_text('{"version": "https://jsonfeed.org/version/1.1",')
    site.path("theme/css/site.css").unlink()
    result = run_check(site)
    assert result.returncode == 1
    assert "feeds/all.rss.xml: not well-formed XML" in result.stderr
    assert "feeds/all.json: not valid JSON" in result.stderr
    assert "index.html: links to " + SITEURL + "/theme/css/site.css?v=" in result.stderr


def test_publish_check_refuses_a_relative_siteurl(publish):
    site = publish()
    result = run_check(site, siteurl="")
    assert result.returncode == 1
    assert "is not absolute" in result.stderr


def test_check_says_when_the_live_address_is_still_an_example(publish):
    site = publish()
    result = run_check(site)
    assert result.returncode == 0, result.stderr
    # SITEURL here is blog.example.org: reserved for examples, never a blog's real address.
    assert f"{SITEURL} is an example address" in result.stdout


@pytest.mark.parametrize(
    ("url", "example"),
    [
        ("https://blog.example.org", True),
        ("https://example.com/blog/", True),
        ("https://notes.test", True),
        ("https://rlw.blog", False),
        ("https://example.company.com", False),
        ("https://myexample.org", False),
    ],
)
def test_only_reserved_example_domains_get_the_note(url, example):
    assert is_example_address(url) is example
