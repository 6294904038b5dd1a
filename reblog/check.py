"""Check a site before anyone reads it: `make check`, and `make publish` before it swaps in.

    reblog-check CONTENT -s publishconf.py [pelican's own arguments]   (make check)
    reblog-check --built OUTPUT -s publishconf.py                       (a folder built before)

The first form builds CONTENT into a temporary folder (output/ is never touched), the
second checks a folder already built; `reblog-build --check` (make publish) checks its own
build before swapping it in. Every problem is listed under the post it is in, with the
output file it was found in; the exit status is 1 when there is any. A problem is
- a link or asset inside the site (a, link, img, script, source, form, ...; feed links;
  sitemap entries; robots.txt's Sitemap line) points at a missing file,
  or at a missing #fragment of a page (the linkback receiver's TRACKBACK_URL and
  WEBMENTION_URL are a program's addresses, not files, and are left out);
- a page, feed or other text file refers to the development address: localhost,
  127.0.0.1, [::1], or the FEED_DOMAIN/SITEURL/TRACKBACK_URL of the writing settings;
- a feed (any file a page advertises with rel=alternate, and every file under feeds/)
  is not well-formed, or feedparser flags an RSS or Atom feed (bozo), or a JSON Feed has
  no jsonfeed.org version or items, or an entry has no title or link.
"""

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import feedparser
from bs4 import BeautifulSoup
from pelican.settings import read_settings

from .report import by_post, print_report
from .site_files import Site, missing_target

TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".css", ".js"}
URL_ATTRIBUTES = {
    "a": ["href"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "script": ["src"],
    "iframe": ["src"],
    "embed": ["src"],
    "form": ["action"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "object": ["data"],
}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}
LOOPBACK = re.compile(
    r"(?:https?:)?//(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)(?::\d+)?"
)


def html_references(soup):
    """Every URL an HTML page links to or loads."""
    for name, attributes in URL_ATTRIBUTES.items():
        for tag in soup.find_all(name):
            for attribute in attributes:
                value = tag.get(attribute)
                if not value:
                    continue
                if attribute == "srcset":
                    yield from (c.split()[0] for c in value.split(",") if c.strip())
                else:
                    yield value


def check_reference(site, source, base_url, reference, problems):
    """Record a problem when `reference`, made absolute against base_url, is on this site
    and names a file or fragment that does not exist."""
    problem = missing_target(site, base_url, reference)
    if problem:
        problems.append(f"{source.relative_to(site.output)}: {problem}")


def feed_files(site, advertised):
    """Feeds to check: those pages advertise plus every XML or JSON file under feeds/."""
    feeds = {path for path in advertised if path.is_file()}
    feeds |= {
        path for path in (site.output / "feeds").rglob("*") if path.suffix in {".xml", ".json"}
    }
    return sorted(feeds)


def check_feed(site, path, problems):
    """Well-formed, a feed its reader accepts, and every entry has a title and a link on site."""
    where = path.relative_to(site.output)
    data = path.read_bytes()
    if path.suffix == ".json":
        entries = json_feed_entries(where, data, problems)
    else:
        entries = xml_feed_entries(site, path, data, problems)
    for number, (title, link) in enumerate(entries or [], 1):
        if not title:
            problems.append(f"{where}: entry {number} has no title")
        if not link:
            problems.append(f"{where}: entry {number} has no link")
        else:
            check_reference(site, path, site.url_of(path), link, problems)


def xml_feed_entries(site, path, data, problems):
    """RSS or Atom: well-formed XML that feedparser reads without complaint (bozo 0)."""
    where = path.relative_to(site.output)
    try:
        ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        problems.append(f"{where}: not well-formed XML: {error}")
        return None
    feed = feedparser.parse(data)
    if feed.bozo:
        problems.append(f"{where}: feedparser rejects it: {feed.bozo_exception}")
        return None
    if not feed.version:
        problems.append(f"{where}: feedparser does not recognise it as a feed")
    return [(entry.get("title"), entry.get("link")) for entry in feed.entries]


def json_feed_entries(where, data, problems):
    """JSON Feed 1.x (feedparser 6.0 reads no JSON): valid JSON with a version and items."""
    try:
        feed = json.loads(data)
    except ValueError as error:
        problems.append(f"{where}: not valid JSON: {error}")
        return None
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(
        "https://jsonfeed.org/version/1"
    ):
        problems.append(f"{where}: not a JSON Feed (no jsonfeed.org version)")
        return None
    if not isinstance(feed.get("items"), list):
        problems.append(f"{where}: a JSON Feed needs an items list")
        return None
    return [(item.get("title"), item.get("url")) for item in feed["items"]]


def development_addresses(dev_settings, site_origin):
    """The writing setup's absolute addresses, as origins to look for."""
    origins = set()
    for key in ("SITEURL", "FEED_DOMAIN", "TRACKBACK_URL"):
        parts = urlsplit(str(dev_settings.get(key) or ""))
        if parts.scheme and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    origins.discard(site_origin)
    return origins


def check_no_development_address(site, dev_origins, problems):
    """Record each text file that names a development address."""
    for path in sorted(site.output.rglob("*")):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found = {m.group(0) for m in LOOPBACK.finditer(text)}
        found |= {origin for origin in dev_origins if origin in text}
        # The site's own address is no development address, even when it is the loopback
        # (the browser tests publish to http://127.0.0.1:PORT).
        own_host = urlsplit(site.origin).netloc
        for address in sorted(a for a in found if a.split("//", 1)[1] != own_host):
            problems.append(
                f"{path.relative_to(site.output)}: refers to the development address {address}"
            )


def receiver_endpoints(settings):
    """The linkback receiver's addresses (TRACKBACK_URL up to its {slug}, WEBMENTION_URL)."""
    endpoints = []
    for key in ("TRACKBACK_URL", "WEBMENTION_URL"):
        value = settings.get(key)
        if value:
            endpoints.append(value.split("{", 1)[0])
    return endpoints


def check_site(output, siteurl, dev_settings, endpoints=()):
    """Every problem found in the built site at `output`, as lines "file: problem".

    `endpoints`: URL prefixes served by a program beside the files, never checked as files.
    """
    site = Site(output, siteurl, endpoints)
    problems = []
    if not urlsplit(site.siteurl).scheme:
        return [f"SITEURL {siteurl!r} is not absolute: a published site needs https://..."]
    if not (site.output / "index.html").is_file():
        return [f"{site.output}: no index.html; build the site first"]
    advertised = set()
    for page in sorted(site.output.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        base_url = site.url_of(page)
        for reference in html_references(soup):
            check_reference(site, page, base_url, reference, problems)
        for link in soup.find_all("link", rel="alternate", type=FEED_TYPES.__contains__):
            target = site.file_for(urljoin(base_url, link.get("href", "")))
            if target is not None:
                advertised.add(target)
    for feed in feed_files(site, advertised):
        check_feed(site, feed, problems)
    sitemap = site.output / "sitemap.xml"
    if sitemap.is_file():
        for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8")):
            check_reference(site, sitemap, site.url_of(sitemap), loc.strip(), problems)
    robots = site.output / "robots.txt"
    if robots.is_file():
        for line in robots.read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("sitemap:"):
                check_reference(site, robots, site.url_of(robots), line.split(":", 1)[1], problems)
    check_no_development_address(site, development_addresses(dev_settings, site.origin), problems)
    return problems


def check_built_site(output, settings_file, sources=None, build_problems=()):
    """Check the folder `output` built with `settings_file`; print the report; True if clean.

    `build_problems`: what the build itself logged ("posts/x.md: problem"), reported with
    the rest.
    """
    settings = read_settings(settings_file)
    problems = check_site(
        output,
        settings["SITEURL"],
        read_settings(str(writing_settings(settings_file))),
        receiver_endpoints(settings),
    )
    groups = by_post([*build_problems, *problems], sources or {})
    clean = print_report(groups)
    if clean:
        print(f"check: no problems; ready to upload to {settings['SITEURL']}")
        if is_example_address(settings["SITEURL"]):
            print(
                f"check: note: {settings['SITEURL']} is an example address (RFC 2606); set "
                "SITEURL in publishconf.py, or `SITEURL=https://... make publish`, to your blog's"
            )
    return clean


def is_example_address(url):
    """Whether `url` is on a domain reserved for examples (example.org, blog.example.com...)."""
    host = "." + (urlsplit(url).hostname or "").rstrip(".")
    reserved = (".example.com", ".example.net", ".example.org", ".example", ".test", ".invalid")
    return host.endswith(reserved)


def writing_settings(settings_file):
    """The development settings beside a production settings file: their addresses are the
    ones a published page must not name."""
    return Path(settings_file or "publishconf.py").resolve().with_name("pelicanconf.py")


def main(argv=None):
    """`reblog-check`: build and check, or check a built folder; exit 1 on any problem."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if {"-h", "--help"} & set(argv):
        print(__doc__.split("\n\n", 2)[1] + "\n\nPelican's own arguments:", flush=True)
    if "--built" not in argv:
        # Imported here so `--built` does not load Pelican's whole build machinery.
        from .build import build  # noqa: PLC0415

        return build(argv, check=True, swap=False)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--built", type=Path, required=True, help="a built site, e.g. output/")
    parser.add_argument("-s", "--settings", default="publishconf.py")
    args = parser.parse_args(argv)
    return 0 if check_built_site(args.built, args.settings) else 1
