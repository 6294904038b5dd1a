"""Fixtures: real sites built through Pelican from tests/sites/ (never the blog's content/), a
remote blog played by a server on 127.0.0.1, and Debian's Chromium for the browser tests."""

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from blinker import Signal
from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.plugins import signals as pelican_signals
from pelican.settings import read_settings
from playwright.sync_api import sync_playwright

from reblog.linkbacks.store import Store

ROOT = Path(__file__).resolve().parent.parent
# The fixture sites: tests/sites/<name>/content, built with tests/sites/pelicanconf.py (or
# publishconf.py). The blog's own content/ and settings are the owner's, never read here.
SITES = ROOT / "tests" / "sites"
NETWORKING_CONTENT = SITES / "networking" / "content"
# The same settings for a `make` a test runs in the project.
FIXTURE_SETTINGS = (
    f"CONFFILE={SITES / 'pelicanconf.py'}",
    f"PUBLISHCONF={SITES / 'publishconf.py'}",
)
NETWORKING_POST = "2007/12/networking-myth-versus-truth/index.html"
APPROVED_PINGS = [
    ("trackback", "https://other.example.com/2024/reply", "Networking, revisited", "Other Blog"),
    ("webmention", "https://third.example.net/notes/1", "A note on networking", "Third Blog"),
]


class BuiltSite:
    """A built output folder, read the way a browser or feed reader would."""

    def __init__(self, output: Path):
        self.output = output

    def path(self, relative):
        return self.output / relative

    def text(self, relative):
        return self.path(relative).read_text(encoding="utf-8")

    def html(self, relative):
        return BeautifulSoup(self.text(relative), "html.parser")

    def html_files(self):
        return sorted(self.output.rglob("*.html"))


def run_make(*arguments):
    """`make -s ARGUMENTS` in the project with the fixture settings (the blog's own settings
    and content are never used); the finished process, never raising."""
    return subprocess.run(
        ["make", "-s", "-C", str(ROOT), *arguments, *FIXTURE_SETTINGS],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def make_site(target, site, *variables):
    """The README's `make TARGET` on a site of a test's own: `site/content` built into
    `site/output`."""
    return run_make(
        target, f"INPUTDIR={site / 'content'}", f"OUTPUTDIR={site / 'output'}", *variables
    )


def assert_identical_trees(first: Path, second: Path):
    """Two output folders hold the same files with the same bytes (reproducible builds)."""
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def disconnect_plugins():
    """Disconnect every plugin from Pelican's signals, as a new process would start.

    Pelican connects each build's PLUGINS to process-wide signals and never disconnects
    them: without this, a publishconf.py build (sitemap, .gz copies) would leave its plugins
    running in every later pelicanconf.py build of the test session.
    """
    for value in vars(pelican_signals).values():
        if isinstance(value, Signal):
            value._clear_state()  # blinker's reset "useful for tests"


def build_into(
    root,
    posts=None,
    settings=None,
    config="pelicanconf.py",
    name="site",
    *,
    fixture="networking",
    files=None,
):
    """Build a fixture site's content, plus extra posts, into root/name; return a BuiltSite.

    `fixture` names the folder under tests/sites/ whose content/ is copied. `posts` maps a
    file name under content/posts/ to its Markdown text; `files` maps any other path under
    content/ to its bytes. `settings` overrides the fixture settings file `config`
    (publishconf.py for production, which reads SITEURL from the environment).
    """
    content = Path(root) / name / "content"
    shutil.copytree(SITES / fixture / "content", content)
    for filename, text in (posts or {}).items():
        target = content / "posts" / filename
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for filename, data in (files or {}).items():
        (content / filename).parent.mkdir(parents=True, exist_ok=True)
        (content / filename).write_bytes(data)
    output = Path(root) / name / "output"
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), **(settings or {})}
    pelican_settings = read_settings(str(SITES / config), override=overrides)
    disconnect_plugins()
    Pelican(pelican_settings).run()
    return BuiltSite(output)


@pytest.fixture
def build_site(tmp_path):
    """build_into(tmp_path, ...): a real site built through Pelican for one test."""

    def build(
        posts=None,
        settings=None,
        config="pelicanconf.py",
        name="site",
        fixture="networking",
        *,
        files=None,
    ):
        return build_into(tmp_path, posts, settings, config, name, fixture=fixture, files=files)

    return build


# The browser tests' Chromium: Debian's, driven by Playwright.
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium dials Google's hosts at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Missing, the browser tests fail: they never skip."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs it, or apt-get install chromium, "
            "to run the browser tests"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep pytest's output for failures
        pass


@contextmanager
def serve_folder(folder):
    """Serve `folder` over HTTP on 127.0.0.1 at an ephemeral port; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The production build (publishconf.py), served at its own SITEURL on 127.0.0.1.

    Built once per test session: browser, feed reader and weight tests read the same files.
    The networking post shows two approved pings, a TrackBack and a Webmention, so those
    tests see the ping display too. Yields a BuiltSite with `.url`, the served SITEURL.
    """
    root = tmp_path_factory.mktemp("published")
    (root / "site" / "output").mkdir(parents=True)
    with serve_folder(root / "site" / "output") as url:
        store = Store(root / "pings.sqlite3").init()
        for kind, source, title, blog in APPROVED_PINGS:
            ping = store.add(
                kind=kind,
                slug="networking-myth-versus-truth",
                target=f"{url}/{NETWORKING_POST.removesuffix('index.html')}",
                source=source,
                title=title,
                excerpt=f"{title}: worth a read, as RLW says.",
                blog_name=blog,
                address="192.0.2.1",
                limit=10,
            )
            store.set_state(ping, "approved")
        with pytest.MonkeyPatch.context() as env:  # SITEURL is set for the build only
            env.setenv("SITEURL", url)
            site = build_into(
                root, config="publishconf.py", settings={"LINKBACKS_DB": str(store.path)}
            )
        site.url = url
        yield site


@pytest.fixture
def site(build_site):
    """The networking fixture site as `make html` builds it."""
    return build_site()


@pytest.fixture
def receiver_settings(tmp_path):
    """Settings for a linkbacks receiver in tmp_path whose manifest names the networking post.

    The manifest is the one `make html` writes for the real content; the limits are loose
    enough for tests to send many pings from 127.0.0.1. Pings stay pending until a test
    verifies them (the background verifier is tested on its own).
    """
    manifest = tmp_path / "var" / "linkbacks-manifest.json"
    manifest.parent.mkdir()
    post = {
        "slug": "networking-myth-versus-truth",
        "url": "http://localhost:8000/2007/12/networking-myth-versus-truth/",
        "title": "Networking: myth versus truth",
        "excerpt": "",
        "links": [],
    }
    site = {"site": "http://localhost:8000/", "sitename": "Worth a Thorough Read", "posts": [post]}
    manifest.write_text(json.dumps(site), encoding="utf-8")
    return {
        "PATH": str(tmp_path / "content"),
        "LINKBACKS_RATE_LIMIT": 1000,
        "LINKBACKS_MAX_BODY": 2000,
        "LINKBACKS_MAX_FIELDS": 6,
        "LINKBACKS_VERIFY_IN_BACKGROUND": False,
    }


class RemoteBlog:
    """Another blog, played by an HTTP server on 127.0.0.1 (ephemeral port).

    Serves the files under tests/fixtures/ by path, and scripted answers: `route(path, fn)`
    where fn(path_with_query) returns (status, headers, body). Records every request.
    A header given as None is not sent (a Content-Length is added otherwise); a body may be
    an iterable of chunks, written one by one (a slow server).
    """

    def __init__(self):
        self.routes = {}
        self.requests = []
        self.stopping = threading.Event()  # set at teardown: wakes handlers that stall on purpose
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _RemoteBlogHandler)
        self.server.blog = self

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def route(self, path, answer):
        self.routes[path] = answer

    def answer(self, path):
        route = self.routes.get(path.split("?", 1)[0])
        if route:
            return route(path)
        file = (ROOT / "tests" / "fixtures" / path.lstrip("/")).resolve()
        if not file.is_relative_to(ROOT / "tests" / "fixtures") or not file.is_file():
            return 404, {"Content-Type": "text/plain"}, b"not found"
        types = {".html": "text/html; charset=utf-8", ".xml": "application/rss+xml"}
        content_type = types.get(file.suffix, "application/octet-stream")
        return 200, {"Content-Type": content_type}, file.read_bytes()


class _RemoteBlogHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        blog = self.server.blog
        blog.requests.append({"method": "GET", "path": self.path, "headers": dict(self.headers)})
        status, headers, body = blog.answer(self.path)
        self.send_response(status)
        for name, value in headers.items():
            if value is not None:  # None: leave the header out, e.g. a body of unknown length
                self.send_header(name, value)
        if "Content-Length" not in headers and isinstance(body, bytes):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for chunk in [body] if isinstance(body, bytes) else body or []:
                self.wfile.write(chunk)
                self.wfile.flush()
        except ConnectionError:
            pass  # the client gave up, as a client with a timeout should

    def do_CONNECT(self):
        # Playing a proxy that allows no tunnels: enough to see what a client asked it.
        self.server.blog.requests.append({"method": "CONNECT", "path": self.path})
        self.send_error(403, "No tunnels here")

    def log_message(self, *args):
        pass  # keep pytest's output for failures


# Tests talk to 127.0.0.1 directly, whatever proxy the machine running them names; and a
# `make` a test runs sees none of the flags of the `make test` running it (`-s` would hide
# the commands tests read, `-n` would run nothing), nor the variables it exports.
INHERITED_VARIABLES = (
    *("http_proxy", "https_proxy", "all_proxy", "no_proxy"),
    *("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"),
    *("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"),
    "REBLOG_INVOKED_AS",  # a command a test runs directly is not run by make
)


def pytest_configure(config):
    for name in INHERITED_VARIABLES:
        os.environ.pop(name, None)


@pytest.fixture
def remote_blog():
    """A RemoteBlog serving while the test runs."""
    blog = RemoteBlog()
    thread = threading.Thread(target=blog.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield blog
    blog.stopping.set()
    blog.server.shutdown()
    blog.server.server_close()


# The deploy targets ----------------------------------------------------------------------

# The address the deploy tests publish for (an example address: nothing is pinged).
SITEURL = "https://blog.example.net"

# Stands in for ssh: rsync runs `SSH_COMMAND [-l user] host rsync --server ...`, and ssh
# would run that command on the host. This runs it here, so rsync really transfers.
FAKE_SSH = """#!/bin/sh
while [ $# -gt 0 ]; do
  case "$1" in -p|-l) shift 2 ;; -*) shift ;; *) break ;; esac
done
shift
exec sh -c "$*"
"""


def make_deploy(target, tmp_path, *variables, env=None):
    """Run `make target` in the project on tmp_path/content (a copy of the networking site
    unless the test made one), so var/ and the ping ledger land in tmp_path, and OUTPUTDIR
    tmp_path/out, for SITEURL; stdout and stderr in one ordered text."""
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(NETWORKING_CONTENT, content)
    command = ["make", "--no-print-directory", "-C", str(ROOT), target]
    return subprocess.run(
        [
            *command,
            f"OUTPUTDIR={tmp_path / 'out'}",
            f"INPUTDIR={content}",
            *FIXTURE_SETTINGS,
            *variables,
        ],
        env={**os.environ, "SITEURL": SITEURL, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )


def files_under(folder):
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file())


@pytest.fixture
def fake_ssh(tmp_path):
    """A stand-in for ssh that runs rsync's remote half on this machine."""
    script = tmp_path / "fake-ssh"
    script.write_text(FAKE_SSH)
    script.chmod(0o755)
    return script


def free_port():
    """A port on 127.0.0.1 that nothing listens on now, for a server run as a program."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url, process, name, seconds=30):
    """Return once `url` answers; fail the test if `process` exits or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError as error:
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"{name} did not start ({error})")
            time.sleep(0.1)
