"""README, "Republishing an article": a source that cannot be reposted gets one clear line on
stderr, a non-zero exit, and no file."""

import shutil
import socket

import pytest
from conftest import NETWORKING_CONTENT, ROOT, SITES

from reblog.repost.cli import main

FIXTURES = ROOT / "tests" / "fixtures" / "repost"
HTML = {"Content-Type": "text/html"}


def refused(tmp_path, capsys, source, *options):
    """Run the command; assert it wrote nothing and failed; return its error message."""
    content = tmp_path / "content"
    settings = ["--settings", str(SITES / "publishconf.py"), "--content", str(content)]
    code = main([str(source), *settings, "--date", "2026-11-26", *options])
    captured = capsys.readouterr()
    assert code == 1
    assert not content.exists() or not any(content.rglob("*"))
    assert captured.out == ""
    assert captured.err.startswith("repost: ")
    return captured.err


def test_an_address_that_does_not_answer_in_time(tmp_path, capsys, remote_blog):
    def stall(path):
        remote_blog.stopping.wait(10)  # longer than the timeout; released at teardown
        return 200, HTML, b"<p>too late</p>"

    remote_blog.route("/slow", stall)
    url = remote_blog.url("/slow")
    error = refused(tmp_path, capsys, url, "--timeout", "0.3")
    assert f"{url} did not answer within 0.3 seconds" in error


def test_an_address_that_drips_its_page_past_the_deadline(tmp_path, capsys, remote_blog):
    def drip(path):
        def chunks():  # each chunk well inside the socket timeout; all of them, far past it
            yield b"<html><body>"
            for _ in range(50):
                if remote_blog.stopping.wait(0.1):
                    return
                yield b"<p>" + b"slow " * 200 + b"</p>"

        return 200, {**HTML, "Content-Length": None}, chunks()

    remote_blog.route("/drip", drip)
    url = remote_blog.url("/drip")
    assert f"{url} did not answer within 0.5 seconds" in refused(
        tmp_path, capsys, url, "--timeout", "0.5"
    )


def test_an_address_that_redirects_forever(tmp_path, capsys, remote_blog):
    def again(path):
        hop = int(path.rsplit("=", 1)[1]) if "=" in path else 0
        return 302, {"Location": f"/loop?hop={hop + 1}"}, b""

    remote_blog.route("/loop", again)
    url = remote_blog.url("/loop")
    error = refused(tmp_path, capsys, url, "--max-redirects", "3")
    assert f"{url} redirected more than 3 times" in error
    assert len(remote_blog.requests) == 4  # the first request and three redirects, no more


def test_a_redirect_to_something_other_than_http(tmp_path, capsys, remote_blog):
    remote_blog.route("/elsewhere", lambda path: (301, {"Location": "file:///etc/passwd"}, b""))
    error = refused(tmp_path, capsys, remote_blog.url("/elsewhere"))
    assert "file:///etc/passwd, which is not an http address" in error


@pytest.mark.parametrize(("status", "reason"), [(404, "Not Found"), (500, "Internal Server Error")])
def test_an_address_that_answers_an_error(tmp_path, capsys, remote_blog, status, reason):
    remote_blog.route("/gone", lambda path: (status, HTML, b"<p>nothing here</p>"))
    url = remote_blog.url("/gone")
    assert f"{url} answered {status} {reason}" in refused(tmp_path, capsys, url)


def test_an_address_nothing_listens_on(tmp_path, capsys):
    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/article"
    assert f"{url} did not answer (" in refused(tmp_path, capsys, url)


def test_an_address_that_returns_a_pdf(tmp_path, capsys, remote_blog):
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    remote_blog.route("/paper.pdf", lambda path: (200, {"Content-Type": "application/pdf"}, pdf))
    url = remote_blog.url("/paper.pdf")
    assert f"{url} is not an HTML page or a feed (it is application/pdf)" in refused(
        tmp_path, capsys, url
    )


def test_a_saved_pdf(tmp_path, capsys):
    saved = tmp_path / "paper.html"  # the name says HTML; the bytes say otherwise
    saved.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert "is not an HTML page or a feed (it is a PDF)" in refused(tmp_path, capsys, saved)


@pytest.mark.parametrize("says_its_length", [True, False])
def test_a_page_larger_than_the_limit(tmp_path, capsys, remote_blog, says_its_length):
    page = b"<html><body>" + b"<p>Words and more words.</p>" * 2000 + b"</body></html>"
    headers = {**HTML, "Content-Length": str(len(page)) if says_its_length else None}
    remote_blog.route("/huge", lambda path: (200, headers, page))
    url = remote_blog.url("/huge")
    error = refused(tmp_path, capsys, url, "--max-bytes", "20000")
    assert f"{url} is larger than the 20,000-byte limit" in error


def test_a_saved_page_larger_than_the_limit(tmp_path, capsys):
    error = refused(tmp_path, capsys, FIXTURES / "wordpress.html", "--max-bytes", "1000")
    assert "wordpress.html is larger than the 1,000-byte limit" in error


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--item", "4"], "has 3 items; there is no item 4"),
        (["--item", "0"], "has 3 items; there is no item 0"),
        (["--match", "no such title"], "no item's title contains 'no such title'"),
    ],
)
def test_a_feed_item_that_does_not_exist(tmp_path, capsys, remote_blog, options, message):
    assert message in refused(tmp_path, capsys, FIXTURES / "feed.xml", *options)
    assert message in refused(tmp_path, capsys, remote_blog.url("/repost/feed.xml"), *options)


def test_an_item_of_a_page_that_advertises_no_feed(tmp_path, capsys):
    error = refused(tmp_path, capsys, FIXTURES / "bare.html", "--item", "1")
    assert "is a page, not a feed, and advertises no feed" in error


@pytest.mark.parametrize("served", [True, False])
def test_a_page_with_no_text(tmp_path, capsys, remote_blog, served):
    source = remote_blog.url("/repost/empty.html") if served else FIXTURES / "empty.html"
    assert f"{source} has no article text to quote" in refused(tmp_path, capsys, source)


def test_a_file_that_is_not_there(tmp_path, capsys):
    error = refused(tmp_path, capsys, tmp_path / "missing.html")
    assert "missing.html: no such file" in error


def test_a_date_that_is_not_a_date(tmp_path, capsys):
    error = refused(tmp_path, capsys, FIXTURES / "bare.html", "--date", "yesterday")
    assert "--date 'yesterday' is not YYYY-MM-DD" in error


def test_a_settings_file_with_an_unknown_repost_key(tmp_path, capsys):
    settings = tmp_path / "mysettings.py"
    settings.write_text(f"PATH = {str(NETWORKING_CONTENT)!r}\nREPOST = {{'WORDS': 10}}\n")
    error = refused(tmp_path, capsys, FIXTURES / "bare.html", "--settings", str(settings))
    assert "REPOST has unknown keys WORDS (known: EXCERPT_WORDS, TIMEOUT" in error


def test_an_article_whose_slug_the_site_already_has(tmp_path, capsys):
    # The WordPress page is the networking article this site reposted in 2007.
    content = tmp_path / "content"
    shutil.copytree(NETWORKING_CONTENT, content)
    before = sorted(content.rglob("*"))
    settings = ["--settings", str(SITES / "publishconf.py"), "--content", str(content)]
    code = main([str(FIXTURES / "wordpress.html"), *settings])
    error = capsys.readouterr().err
    assert code == 1
    assert (
        "networking-myth-versus-truth.md already has the slug 'networking-myth-versus-truth'"
        in (error)
    )
    assert "choose another with --slug" in error
    assert sorted(content.rglob("*")) == before


def test_a_proxy_that_does_not_answer(tmp_path, capsys, monkeypatch):
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{port}")
    url = "http://far-away-blog.invalid/post"
    error = refused(tmp_path, capsys, url)
    assert f"{url} did not answer (through the proxy 127.0.0.1:{port}: " in error
