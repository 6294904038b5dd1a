"""docs/linkbacks.md: the receiver takes Pingback 1.0's XML-RPC `pingback.ping(source, target)`
at the Webmention endpoint every published post advertises; a pingback is stored, verified,
moderated and shown like the other kinds; every refusal is the spec's fault, never a 5xx."""

import sqlite3
import xmlrpc.client

import pytest
from blogs import POST_URL, SLUG, post_form, running_blog, running_receiver, stored
from conftest import NETWORKING_POST

from reblog.linkbacks import pingback
from reblog.linkbacks.store import Store
from reblog.linkbacks.verify import verify_pending
from reblog.settings import read


@pytest.fixture
def receiver(receiver_settings):
    with running_receiver(receiver_settings) as base:
        yield base


def ping(base, source, target=POST_URL):
    """pingback.ping through the standard library's XML-RPC client, as a blog engine calls it."""
    return xmlrpc.client.ServerProxy(f"{base}/webmention").pingback.ping(source, target)


def fault_of(call):
    """The fault code a call raised (None when it succeeded)."""
    try:
        call()
    except xmlrpc.client.Fault as fault:
        return fault.faultCode
    return None


def post_xml(base, body):
    """POST raw bytes as text/xml; (HTTP status, the answer's fault code or None)."""
    status, content_type, text = post_form(f"{base}/webmention", body, content_type="text/xml")
    if status != 200:
        return status, None
    assert content_type.startswith("text/xml")
    return status, fault_of(lambda: xmlrpc.client.loads(text))


def call_xml(method, *params):
    return xmlrpc.client.dumps(params, method).encode()


def test_a_pingback_is_stored_pending_and_answered_with_a_string(receiver, receiver_settings):
    answer = ping(receiver, "http://elsewhere.example/reply")
    assert "checked for a link" in answer
    [stored_ping] = stored(receiver_settings)
    assert (stored_ping["kind"], stored_ping["slug"], stored_ping["state"]) == (
        "pingback",
        SLUG,
        "pending",
    )
    assert (stored_ping["source"], stored_ping["target"]) == (
        "http://elsewhere.example/reply",
        POST_URL,
    )


def test_a_form_at_the_same_address_is_still_a_webmention(receiver, receiver_settings):
    body = b"source=http%3A%2F%2Felsewhere.example%2Fnote&target=" + POST_URL.encode()
    assert post_form(f"{receiver}/webmention", body)[0] == 202
    assert [p["kind"] for p in stored(receiver_settings)] == ["webmention"]


@pytest.mark.parametrize(
    ("source", "target", "code"),
    [
        pytest.param("", POST_URL, pingback.SOURCE_NOT_FOUND, id="no source"),
        pytest.param("javascript:alert(1)", POST_URL, pingback.SOURCE_NOT_FOUND, id="js source"),
        pytest.param("http://e.example/", "http://localhost:8000/2007/12/nothing/",
                     pingback.TARGET_NOT_FOUND, id="no post there"),
        pytest.param("http://e.example/", "https://other.example/post/",
                     pingback.TARGET_NOT_PINGABLE, id="another site"),
        pytest.param("http://e.example/", "ftp://localhost:8000/", pingback.TARGET_NOT_PINGABLE,
                     id="not http"),
        pytest.param(POST_URL + "index.html", POST_URL, pingback.GENERIC, id="itself"),
    ],
)  # fmt: skip
def test_a_bad_source_or_target_gets_its_fault_and_nothing_stored(
    receiver, receiver_settings, source, target, code
):
    assert fault_of(lambda: ping(receiver, source, target)) == code
    assert stored(receiver_settings) == []


def test_a_source_longer_than_allowed_is_not_found(receiver_settings):
    receiver_settings["LINKBACKS_MAX_URL"] = 100
    with running_receiver(receiver_settings) as base:
        assert fault_of(lambda: ping(base, "http://e.example/" + "x" * 100)) == (
            pingback.SOURCE_NOT_FOUND
        )
    assert stored(receiver_settings) == []


def test_the_same_pingback_again_is_already_registered(receiver, receiver_settings):
    ping(receiver, "http://elsewhere.example/reply")
    again = fault_of(lambda: ping(receiver, "http://elsewhere.example/reply"))
    assert again == pingback.ALREADY_REGISTERED
    assert len(stored(receiver_settings)) == 1


def test_a_flood_from_one_address_is_denied_access(receiver_settings):
    receiver_settings["LINKBACKS_RATE_LIMIT"] = 2
    with running_receiver(receiver_settings) as base:
        codes = [fault_of(lambda n=n: ping(base, f"http://e.example/{n}")) for n in range(3)]
    assert codes == [None, None, pingback.ACCESS_DENIED]
    assert len(stored(receiver_settings)) == 2


def test_a_broken_store_is_an_upstream_fault_not_a_5xx(receiver, receiver_settings):
    read(receiver_settings)["LINKBACKS_DB"].write_bytes(b"not a database at all" * 300)
    status, code = post_xml(receiver, call_xml("pingback.ping", "http://e.example/", POST_URL))
    assert (status, code) == (200, pingback.UPSTREAM_ERROR)


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<methodCall><methodName>pingback.ping</methodName><params>"
    b"<param><value><string>&lol2;</string></value></param>"
    b"<param><value><string>x</string></value></param></params></methodCall>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE call [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    b"<methodCall><methodName>pingback.ping</methodName><params>"
    b"<param><value><string>&secret;</string></value></param>"
    b"<param><value><string>x</string></value></param></params></methodCall>"
)
BAD_INT = (
    b"<methodCall><methodName>pingback.ping</methodName><params>"
    b"<param><value><int>one</int></value></param>"
    b"<param><value><string>x</string></value></param></params></methodCall>"
)
# A sender's own fault, sent as if it were a call: never answered as ours.
FAULT_AS_CALL = xmlrpc.client.dumps(
    xmlrpc.client.Fault(pingback.ALREADY_REGISTERED, "yours"), methodresponse=True
).encode()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        pytest.param(b"", pingback.NOT_WELL_FORMED, id="empty"),
        pytest.param(b"<methodCall><methodName>pingback.ping", pingback.NOT_WELL_FORMED,
                     id="cut short"),
        pytest.param(b"source=http://e.example/", pingback.NOT_WELL_FORMED, id="a form"),
        pytest.param(LAUGHS, pingback.NOT_WELL_FORMED, id="billion laughs"),
        pytest.param(EXTERNAL_ENTITY, pingback.NOT_WELL_FORMED, id="external entity"),
        pytest.param(FAULT_AS_CALL, pingback.NOT_WELL_FORMED, id="a fault"),
        pytest.param(BAD_INT, pingback.NOT_WELL_FORMED, id="bad int"),
        pytest.param(call_xml("pingback.extensions.getPingbacks", POST_URL),
                     pingback.NO_SUCH_METHOD, id="other method"),
        pytest.param(call_xml("pingback.ping", "http://e.example/"), pingback.BAD_PARAMETERS,
                     id="one parameter"),
        pytest.param(call_xml("pingback.ping", "http://e.example/", POST_URL, "x"),
                     pingback.BAD_PARAMETERS, id="three parameters"),
        pytest.param(call_xml("pingback.ping", 1, 2), pingback.BAD_PARAMETERS, id="numbers"),
    ],
)  # fmt: skip
def test_a_call_that_is_not_a_pingback_gets_a_fault_and_nothing_stored(
    receiver, receiver_settings, body, code
):
    assert post_xml(receiver, body) == (200, code)
    assert stored(receiver_settings) == []


def test_declarations_are_refused_before_any_entity_expands(receiver):
    status, _type, text = post_form(f"{receiver}/webmention", LAUGHS, content_type="text/xml")
    assert status == 200
    assert "DOCTYPE" in text
    assert "lollol" not in text


def test_an_oversize_call_gets_413(receiver, receiver_settings):
    body = call_xml("pingback.ping", "http://e.example/?" + "q" * 3000, POST_URL)
    assert post_xml(receiver, body) == (413, None)
    assert stored(receiver_settings) == []


def linking_page(href):
    return (
        "<!DOCTYPE html><html><head><title>A reply from WordPress</title></head><body>"
        f'<article><p>Read <a href="{href}">this on networking</a>.</p></article></body></html>'
    )


def test_a_pingback_shows_under_its_post_once_its_source_links_there(build_site, tmp_path):
    db = str(tmp_path / "pings.sqlite3")
    site = build_site(settings={"LINKBACKS_DB": db}, name="first")
    page = site.html(NETWORKING_POST)
    # Advertised at the one address the Webmention endpoint has (WEBMENTION_URL).
    [link] = page.find_all("link", rel="pingback")
    assert link["href"] == page.find("link", rel="webmention")["href"]
    assert link["href"] == "http://localhost:8001/webmention"  # tests/sites/pelicanconf.py

    receiver = {
        "PATH": str(site.output.parent / "content"),
        "LINKBACKS_DB": db,
        "LINKBACKS_VERIFY_IN_BACKGROUND": False,  # pending until this test verifies
    }
    with running_blog() as blog, running_receiver(receiver) as base:
        blog.page("/reply", linking_page(POST_URL))
        blog.page("/unrelated", linking_page("http://localhost:8000/"))
        for path in ("/reply", "/unrelated"):
            assert "checked" in ping(base, blog.url(path))
        conf = read({**receiver, "LINKBACKS_ALLOW_PRIVATE": True})
        assert verify_pending(conf, report=lambda line: None)[:2] == (1, 1)

    by_source = {p["source"]: p for p in stored(receiver)}
    # The verifier's finding a Pingback server would answer with fault 0x0011.
    assert by_source[blog.url("/unrelated")]["state"] == "spam"
    assert "does not link" in by_source[blog.url("/unrelated")]["note"]
    approved = by_source[blog.url("/reply")]
    assert (approved["state"], approved["title"]) == ("approved", "A reply from WordPress")

    shown = build_site(settings={"LINKBACKS_DB": db}, name="second").html(NETWORKING_POST)
    [item] = shown.select("section.linkbacks li.linkback")
    assert item.a["href"] == blog.url("/reply")
    assert item.a.get_text() == "A reply from WordPress"


# The store as it was before Pingback was received: two kinds only.
STORE_BEFORE_PINGBACK = """
CREATE TABLE pings (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('trackback', 'webmention')),
    slug TEXT NOT NULL, target TEXT NOT NULL, source TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '', excerpt TEXT NOT NULL DEFAULT '',
    blog_name TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'approved', 'spam', 'rejected')),
    received TEXT NOT NULL, updated TEXT NOT NULL, checked TEXT,
    note TEXT NOT NULL DEFAULT '', UNIQUE (slug, source)
);
CREATE INDEX pings_by_state ON pings (state, received, id);
INSERT INTO pings (kind, slug, target, source, state, received, updated)
VALUES ('trackback', 'a-post', 'http://localhost:8000/a/', 'http://e.example/',
        'approved', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');
"""


def test_a_store_from_before_pingback_keeps_its_pings_and_takes_pingbacks(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(STORE_BEFORE_PINGBACK)
    store = Store(path).init()
    store.init()  # a second receiver starting: nothing more to do
    store.add(
        kind="pingback",
        slug="a-post",
        target="http://localhost:8000/a/",
        source="http://f.example/",
        title="",
        excerpt="",
        blog_name="",
        address="192.0.2.1",
        limit=10,
    )
    assert [(p["kind"], p["state"], p["source"]) for p in store.pings()] == [
        ("trackback", "approved", "http://e.example/"),
        ("pingback", "pending", "http://f.example/"),
    ]
    with sqlite3.connect(path) as db:
        names = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        plan = db.execute("EXPLAIN QUERY PLAN SELECT * FROM pings WHERE state = 'x'").fetchall()
    assert {"pings", "pings_by_state", "arrivals"} <= names
    assert "pings_before_pingback" not in names
    assert "pings_by_state" in str(plan)  # the index is on the new table
