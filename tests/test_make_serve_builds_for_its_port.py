"""docs/development.md: `make serve PORT=N` builds the site for http://localhost:N and serves
it on 127.0.0.1: every absolute address (canonical link, og:url, feeds, Trackback RDF) names
that port, an unknown address gets the site's 404.html with status 404, and one line says
where to open it. `make devserver` does the same and builds again on every change."""

import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_SETTINGS, NETWORKING_CONTENT, NETWORKING_POST, ROOT
from test_trackback_autodiscovery import rdf_description

from reblog.serve import Server

POST_PATH = NETWORKING_POST.removesuffix("index.html")
WAIT = 60  # seconds for a build and the server to start


def free_port():
    """A port nothing listens on now, and not the settings' own 8000."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port != 8000:
            return port


class Lines:
    """A process's output lines, read as they come."""

    def __init__(self, stream):
        self.seen = []
        self.queue = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def wait_for(self, text, timeout=WAIT):
        """The first line holding `text`; fails after `timeout` seconds or when output ends."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None and (time.monotonic() >= deadline or self.queue.empty()):
                pytest.fail(f"no line with {text!r} in:\n" + "\n".join(self.seen))
            if line is not None:
                self.seen.append(line)
                if text in line:
                    return line


def make_command(target, *variables):
    """`make -s TARGET VARIABLES...` with the fixture settings."""
    return ["make", "-s", target, *variables, *FIXTURE_SETTINGS]


@contextmanager
def make_running(target, *variables):
    """make_command(...) running in its own process group, stopped (the whole group) at the
    end; yields its output Lines."""
    process = subprocess.Popen(
        make_command(target, *variables),
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield Lines(process.stdout)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stdout.close()


def get(url):
    """(status, body) of a GET on the local server."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def site_folders(tmp_path):
    """A copy of the networking fixture content and an output folder, both in tmp_path."""
    content = tmp_path / "content"
    shutil.copytree(NETWORKING_CONTENT, content)
    return content, tmp_path / "output"


def test_make_serve_builds_the_site_for_its_port(site_folders):
    content, output = site_folders
    port = free_port()
    local = f"http://localhost:{port}"
    with make_running("serve", f"PORT={port}", f"INPUTDIR={content}", f"OUTPUTDIR={output}") as out:
        assert out.wait_for("Serving the site at") == (
            f"Serving the site at {local}/ — Ctrl-C to stop"
        )
        server = f"http://127.0.0.1:{port}"
        status, body = get(f"{server}/{POST_PATH}")
        assert status == 200
        page = BeautifulSoup(body, "html.parser")
        permalink = f"{local}/{POST_PATH}"
        assert page.find("link", rel="canonical")["href"] == permalink
        assert page.find("meta", property="og:url")["content"] == permalink
        rdf = rdf_description(page)
        assert rdf["about"] == rdf["identifier"] == permalink
        for feed in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
            status, body = get(f"{server}/{feed}")
            parsed = feedparser.parse(body)
            assert status == 200
            assert parsed.feed.link == f"{local}/", feed
            assert [entry.link for entry in parsed.entries] == [permalink], feed
        # No address of the settings' own port is left anywhere in the build.
        for path in output.rglob("*"):
            if path.suffix in (".html", ".xml", ".json"):
                assert "localhost:8000" not in path.read_text(encoding="utf-8"), path

        status, body = get(f"{server}/no-such-page/")
        assert status == 404
        assert body == (output / "404.html").read_bytes()
        assert b"Nothing lives at this address" in body


def test_make_serve_says_when_its_port_is_taken(site_folders):
    content, output = site_folders
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            make_command("serve", f"PORT={port}", f"INPUTDIR={content}", f"OUTPUTDIR={output}"),
            cwd=ROOT,
            env={**os.environ, "PYTHON": sys.executable},
            capture_output=True,
            text=True,
            timeout=WAIT,
            check=False,
        )
    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "choose another port with PORT=N" in done.stderr
    assert not output.exists()  # refused before building anything


def test_make_devserver_builds_again_on_a_change(site_folders):
    content, output = site_folders
    port = free_port()
    post = content / "posts" / "2007" / "networking-myth-versus-truth.md"
    with make_running(
        "devserver", f"PORT={port}", f"INPUTDIR={content}", f"OUTPUTDIR={output}"
    ) as out:
        out.wait_for(f"Serving the site at http://localhost:{port}/")
        page = f"http://127.0.0.1:{port}/{POST_PATH}"
        assert b"Networking: myth versus truth" in get(page)[1]
        text = post.read_text(encoding="utf-8")
        post.write_text(text.replace("Title: Networking:", "Title: Rewritten:", 1), "utf-8")
        out.wait_for("re-generating")
        deadline = time.monotonic() + WAIT
        while b"Rewritten: myth versus truth" not in get(page)[1]:
            assert time.monotonic() < deadline, "the change was not built"
            time.sleep(0.2)
        assert f"http://localhost:{port}/{POST_PATH}".encode() in get(page)[1]
        assert get(f"http://127.0.0.1:{port}/no-such-page/")[0] == 404


def test_an_unchanged_file_is_answered_304_to_a_conditional_get(build_site):
    """A feed reader's reload: If-Modified-Since or If-None-Match gets 304 until it changes."""
    site = build_site()
    server = Server(0)
    server.folder = str(site.output)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()

    def get(**headers):
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        connection.request("GET", "/feeds/all.atom.xml", headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    try:
        first = get()
        assert first.status == 200
        modified, etag = first.getheader("Last-Modified"), first.getheader("ETag")
        assert get(**{"If-Modified-Since": modified}).status == 304
        assert get(**{"If-None-Match": etag, "If-Modified-Since": modified}).status == 304
        feed = site.path("feeds/all.atom.xml")
        later = feed.stat().st_mtime + 5
        os.utime(feed, (later, later))
        assert get(**{"If-Modified-Since": modified, "If-None-Match": etag}).status == 200
    finally:
        server.shutdown()
        server.server_close()
