"""README: what a ping or its source page says reaches neither the moderator's terminal as
control sequences nor the page as bidi overrides: stored text is stripped of both, printed
lines show any left as escapes, and names on the page are isolated in <bdi>."""

import http.client
import sqlite3
from urllib.parse import urlencode, urlsplit

from blogs import (
    POST_URL,
    SLUG,
    post_form,
    running_blog,
    running_receiver,
    settings_file,
    stored,
)
from conftest import NETWORKING_POST

from reblog.linkbacks.cli import main
from reblog.linkbacks.store import Store
from reblog.settings import read

HOSTILE_TITLE = "Nice\x1b[8m hidden\x1b]0;PWNED\x07 \x9b2J\u202eevil"
TERMINAL_CONTROLS = set("\x1b\x07\x9b\u202e")


def test_moderator_output_carries_no_control_sequence(receiver_settings, tmp_path, capfd):
    with running_blog() as blog:
        page = f'<html><head><title>{HOSTILE_TITLE}</title></head><body><a href="{POST_URL}">x</a>'
        blog.page("/reply", page)
        blog.page("/moved", "", status=302, headers={"Location": "ftp://x/\x1b]0;PWNED\x07"})
        with running_receiver(receiver_settings) as base:
            for path in ("/reply", "/moved"):
                fields = {"source": blog.url(path), "target": POST_URL}
                assert post_form(f"{base}/webmention", urlencode(fields).encode())[0] == 202
        conf = settings_file(tmp_path, {**receiver_settings, "LINKBACKS_ALLOW_PRIVATE": True})
        capfd.readouterr()
        assert main(["-s", str(conf), "verify"]) == 0
        assert main(["-s", str(conf), "list"]) == 0
    out = capfd.readouterr().out
    assert "Nice[8m hidden]0;PWNED 2Jevil" in out  # shown, stripped of its controls
    assert "ftp://x/]0;PWNED" in out
    assert not set(out) & TERMINAL_CONTROLS
    for ping in stored(receiver_settings):
        assert not set(ping["title"] + ping["note"]) & TERMINAL_CONTROLS


def test_text_stored_before_the_cleaning_is_printed_as_escapes(receiver_settings, tmp_path, capfd):
    store = Store(read(receiver_settings)["LINKBACKS_DB"]).init()
    store.add(kind="trackback", slug=SLUG, target=POST_URL, source="https://e.example/1",
              title="", excerpt="", blog_name="", address="192.0.2.1", limit=10)  # fmt: skip
    with sqlite3.connect(store.path) as db:  # as an older receiver may have stored it
        db.execute("UPDATE pings SET title = ?", (HOSTILE_TITLE,))
    assert main(["-s", str(settings_file(tmp_path, receiver_settings)), "list"]) == 0
    out = capfd.readouterr().out
    assert "Nice\\x1b[8m hidden\\x1b]0;PWNED\\x07 \\x9b2J\\u202eevil" in out
    assert not set(out) & TERMINAL_CONTROLS


def test_a_right_to_left_override_never_reaches_the_page(build_site, tmp_path):
    db = str(tmp_path / "pings.sqlite3")
    store = Store(db).init()
    ping = store.add(kind="trackback", slug=SLUG, target=POST_URL,
                     source="https://e.example/reply", title="A \u202ereply\u202c here",
                     excerpt="x", blog_name="\u2067evil\u2069 blog", address="192.0.2.1",
                     limit=10)  # fmt: skip
    store.set_state(ping, "approved")
    page = build_site(settings={"LINKBACKS_DB": db}).html(NETWORKING_POST)
    [item] = page.select("li.linkback")
    assert item.select_one(".p-author").name == "bdi"
    assert item.select_one(".p-author").get_text() == "evil blog"
    assert item.a.bdi.get_text() == "A reply here"
    assert not set(str(page)) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_a_rate_limited_ping_is_told_when_to_retry(receiver_settings):
    receiver_settings["LINKBACKS_RATE_LIMIT"] = 1
    with running_receiver(receiver_settings) as base:
        answers = []
        for n in range(2):
            parts = urlsplit(base)
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            body = urlencode({"url": f"https://e.example/{n}"})
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", f"/trackback/{SLUG}", body=body, headers=headers)
            response = connection.getresponse()
            answers.append((response.status, response.getheader("Retry-After"), response.read()))
            connection.close()
    assert answers[0][0] == 200
    status, retry_after, text = answers[1]
    assert status == 429
    assert 1 <= int(retry_after) <= 60
    assert f"try again in {retry_after} seconds".encode() in text
