"""README: the published RSS and Atom feeds load in a real feed reader, Debian's newsboat,
with every item's title and content."""

import re
import shutil
import sqlite3
import subprocess
import threading
from typing import ClassVar

import feedparser
import pytest

from reblog.serve import Handler, Server

# Drives a program outside Python: `make test-fast` leaves this file out.
pytestmark = pytest.mark.outside

NEWSBOAT = "newsboat"
FEEDS = ["feeds/all.rss.xml", "feeds/all.atom.xml"]


@pytest.fixture(scope="module")
def newsboat():
    """The newsboat program. Missing, these tests fail: they never skip."""
    program = shutil.which(NEWSBOAT)
    if program is None:
        pytest.fail("newsboat is missing: `make test` installs it, or apt-get install newsboat")
    return program


def read_with_newsboat(newsboat, url, folder):
    """Let newsboat fetch `url` into its own cache (as `newsboat -x reload` does from cron);
    return the cached items as dicts."""
    folder.mkdir(exist_ok=True)
    (folder / "urls").write_text(url + "\n")
    (folder / "config").write_text("download-timeout 10\n")
    cache = folder / "cache.db"
    # One feed per cache: newsboat keeps one row per guid, and the RSS and Atom feeds
    # share their items' ids, so a shared cache would show each item once.
    command = [newsboat, "-u", folder / "urls", "-c", cache, "-C", folder / "config"]
    result = subprocess.run(
        [*command, "-x", "reload"],
        env={"HOME": str(folder), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(cache) as db:
        db.row_factory = sqlite3.Row
        feeds = [dict(row) for row in db.execute("SELECT rssurl, title FROM rss_feed")]
        items = [
            dict(row)
            for row in db.execute(
                "SELECT title, url, content, author FROM rss_item WHERE feedurl=?", (url,)
            )
        ]
    assert [feed["rssurl"] for feed in feeds] == [url], f"newsboat could not load {url}"
    return feeds[0], items


@pytest.mark.parametrize("feed", FEEDS)
def test_newsboat_shows_every_item_with_title_and_content(newsboat, published_site, tmp_path, feed):
    url = f"{published_site.url}/{feed}"
    channel, items = read_with_newsboat(newsboat, url, tmp_path / "newsboat")
    expected = feedparser.parse(published_site.text(feed))
    assert expected.bozo == 0
    assert channel["title"] == expected.feed.title
    assert sorted(item["title"] for item in items) == sorted(e.title for e in expected.entries)
    assert len(items) >= 1
    for item in items:
        text = re.sub(r"<[^>]+>", " ", item["content"])
        assert text.strip(), f"{item['title']} has no content in newsboat"
        assert item["url"].startswith(published_site.url + "/")
    post = next(i for i in items if i["title"] == "Networking: myth versus truth")
    assert "Cheri Baker" in post["content"]
    assert post["url"] == f"{published_site.url}/2007/12/networking-myth-versus-truth/"
    # The myths and truths, a definition list in the post, reach newsboat as paragraphs each
    # led by its bold label (newsboat runs a <dl> together into one line).
    labels = re.findall(r"<p><strong>(Myth|Truth):</strong> \w", post["content"])
    assert labels == ["Myth", "Truth"] * 4
    assert not re.search(r"<d[ltd][ >]", post["content"])


class RecordingHandler(Handler):
    """make serve's handler, noting each answer's status and conditional headers."""

    answers: ClassVar[list] = []

    def send_response(self, code, message=None):
        conditional = bool(
            self.headers.get("If-Modified-Since") or self.headers.get("If-None-Match")
        )
        self.answers.append((self.path, code, conditional))
        super().send_response(code, message)


def test_newsboat_reloading_an_unchanged_feed_gets_304(newsboat, build_site, tmp_path):
    """docs/deploying.md, conditional GET: a reader that polls an unchanged feed downloads
    it once. newsboat 2.21 stores the validators only from its second fetch (its issue
    #2734), so its third reload is the first conditional one."""
    site = build_site()
    server = Server(0)
    server.RequestHandlerClass = RecordingHandler
    server.folder = str(site.output)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/feeds/all.atom.xml"
    try:
        for _ in range(3):
            read_with_newsboat(newsboat, url, tmp_path / "newsboat")
    finally:
        server.shutdown()
        server.server_close()
    answers = [(code, conditional) for path, code, conditional in RecordingHandler.answers]
    assert answers[0] == (200, False), answers
    assert answers[-1] == (304, True), answers
