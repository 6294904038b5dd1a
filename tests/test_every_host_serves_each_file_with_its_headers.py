"""docs/deploying.md: one table (reblog.hosting) decides each built file's Content-Type and
Cache-Control; the `_headers` file the build writes (Netlify, Cloudflare Pages) and the nginx
block the docs show say the same, and only addresses that change with their content are
cached for a year."""

import getpass
import gzip
import json
import re
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from conftest import SITES, free_port, wait_until_serving
from pelican.settings import read_settings

from reblog.asset_hash import asset_versions
from reblog.hosting import (
    HEADERS_FILE_MAX_RULES,
    IMMUTABLE,
    SiteHeaders,
    nginx_server_block,
    served_files,
    type_by_extension,
)

SITEURL = "https://blog.example.net"
DEPLOYING = Path(__file__).resolve().parent.parent / "docs" / "deploying.md"


@pytest.fixture
def published(build_site, monkeypatch):
    """The networking site built with the production settings; (site, its SiteHeaders)."""
    monkeypatch.setenv("SITEURL", SITEURL)

    def build(settings=None):
        site = build_site(config="publishconf.py", settings=settings)
        return site, SiteHeaders(read_settings(str(SITES / "publishconf.py"), override=settings))

    return build


def feed_format(path):
    """What a feed file is by its content: 'rss', 'atom', 'json feed', or None."""
    data = path.read_bytes()
    if path.suffix == ".json":
        return "json feed" if "jsonfeed.org" in json.loads(data).get("version", "") else None
    root = ElementTree.fromstring(data).tag
    return {"rss": "rss", "{http://www.w3.org/2005/Atom}feed": "atom"}.get(root)


def test_each_file_gets_the_type_its_content_calls_for(published):
    site, table = published()
    files = served_files(site.output)
    feeds = {
        "rss": "application/rss+xml",
        "atom": "application/atom+xml",
        "json feed": "application/feed+json",
    }
    seen = set()
    for relative in files:
        served = table.served(relative)
        path = site.output / relative
        kind = feed_format(path) if path.suffix in {".xml", ".json"} else None
        if kind:
            seen.add(kind)
            assert served.content_type == feeds[kind] + "; charset=utf-8", relative
        elif relative == "sitemap.xml":
            assert served.content_type == "application/xml; charset=utf-8"
        else:
            assert served.content_type == type_by_extension(relative), relative
        if re.match(r"text/|application/(.+\+)?(xml|json);", served.content_type):
            assert served.content_type.endswith("; charset=utf-8"), relative
    assert seen == set(feeds)
    assert table.served("index.html").content_type == "text/html; charset=utf-8"
    assert table.served("robots.txt").content_type == "text/plain; charset=utf-8"
    assert table.served("theme/css/site.css").content_type == "text/css; charset=utf-8"


def test_only_files_linked_by_their_content_hash_are_cached_for_a_year(published):
    site, table = published()
    immutable = {f for f in served_files(site.output) if table.served(f).cache_control == IMMUTABLE}
    assert "theme/css/site.css" in immutable
    # Wherever a page links one of them, the address carries the hash of the bytes served.
    linked = set()
    for page in site.html_files():
        for tag in site.html(page.relative_to(site.output)).select("[href], [src]"):
            address = urlsplit(tag.get("href") or tag.get("src"))
            relative = address.path.removeprefix(urlsplit(SITEURL).path).lstrip("/")
            if relative in immutable:
                linked.add(relative)
                versions = asset_versions(site.output / "theme", 10)
                assert address.query == f"v={versions[relative.removeprefix('theme/')]}", page
    assert linked == immutable
    short = "public, max-age=300"
    for relative in set(served_files(site.output)) - immutable:
        assert table.served(relative).cache_control == short, relative


def host_headers(rules, url):
    """The headers Netlify or Cloudflare Pages send for `url`: every matching rule's, a
    header two rules set joined by a comma (both hosts do that)."""
    headers = {}
    for pattern, rule in rules:
        exact = pattern == url
        prefix = pattern.endswith("*") and url.startswith(pattern[:-1])
        if exact or prefix:
            for name, value in rule.items():
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def parse_headers_file(text):
    rules = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("/"):
            rules.append((line, {}))
        else:
            name, value = line.strip().split(": ", 1)
            rules[-1][1][name] = value
    return rules


@pytest.mark.parametrize("max_age", [None, 60])
def test_the_headers_file_gives_every_address_the_tables_headers(published, max_age):
    site, table = published({"CACHE_MAX_AGE": max_age} if max_age else None)
    rules = parse_headers_file(site.text("_headers"))
    assert len(rules) <= HEADERS_FILE_MAX_RULES
    assert all(pattern.count("*") <= (1 if pattern.endswith("*") else 0) for pattern, _ in rules)
    for relative in served_files(site.output):
        served = table.served(relative)
        addresses = ["/" + relative]
        if relative.endswith("index.html"):
            addresses.append("/" + relative.removesuffix("index.html"))
        for url in addresses:
            headers = host_headers(rules, url)
            assert headers["Cache-Control"] == served.cache_control, url
            # The hosts guess the type by the extension; the file corrects only feeds.
            assert headers.get("Content-Type", type_by_extension(relative)) == (
                served.content_type
            ), url
    assert table.served("index.html").cache_control == f"public, max-age={max_age or 300}"
    assert host_headers(rules, "/feeds/all.rss.xml")["Content-Type"].startswith(
        "application/rss+xml"
    )


def test_the_nginx_block_in_the_docs_is_the_tables_own(monkeypatch):
    monkeypatch.setenv("SITEURL", SITEURL)
    generated = nginx_server_block(read_settings(str(SITES / "publishconf.py")))
    blocks = re.findall(r"```nginx\n(.*?)```", DEPLOYING.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks == [generated], (
        "docs/deploying.md's nginx block differs from reblog.hosting: run "
        "`SITEURL=https://blog.example.net .venv/bin/python -m reblog.hosting "
        "-s tests/sites/publishconf.py` and paste its output"
    )
    assert (
        'location / { add_header Cache-Control "public, max-age=300"; '
        "add_header X-Pingback https://blog.example.net/webmention; }"
    ) in generated
    assert "default_type application/rss+xml;" in generated


NGINX = "/usr/sbin/nginx"
# The workers run as this test's user: the pytest folders are private to it.
NGINX_CONF = """worker_processes 1; daemon off; user {user};
pid {folder}/nginx.pid; error_log {folder}/error.log;
events {{}}
http {{
  access_log off;
  client_body_temp_path {folder}; proxy_temp_path {folder}; fastcgi_temp_path {folder};
  uwsgi_temp_path {folder}; scgi_temp_path {folder};
  {server}
}}
"""


@pytest.mark.outside
def test_nginx_with_the_docs_block_sends_the_tables_headers(published, tmp_path):
    """Debian's nginx, the docs' server block, the built site: what a browser gets."""
    if not Path(NGINX).is_file():
        pytest.fail(f"{NGINX} is missing: `make test` installs it (apt-get install nginx-light)")
    site, table = published()
    port = free_port()
    (block,) = re.findall(r"```nginx\n(.*?)```", DEPLOYING.read_text(encoding="utf-8"), re.DOTALL)
    server = block.replace("root /var/www/blog;", f"root {site.output}; listen 127.0.0.1:{port};")
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=getpass.getuser(), folder=tmp_path, server=server))
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path)])
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base + "/robots.txt", nginx, "nginx", seconds=10)
        for relative in served_files(site.output):
            served = table.served(relative)
            request = urllib.request.Request(
                f"{base}/{relative}", headers={"Accept-Encoding": "gzip"}
            )
            with urllib.request.urlopen(request) as response:
                assert response.headers["Content-Type"] == served.content_type, relative
                assert response.headers["Cache-Control"] == served.cache_control, relative
                body = response.read()
                if response.headers["Content-Encoding"] == "gzip":
                    body = gzip.decompress(body)
                assert body == (site.output / relative).read_bytes(), relative
                if relative.endswith(".html"):
                    # WordPress finds the Pingback server by this header (docs/linkbacks.md).
                    assert response.headers["X-Pingback"], relative
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
