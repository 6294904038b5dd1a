"""README: a ping shows under its post only after `linkbacks verify` found the sender's page
linking to the post; everything a ping says is shown as text; the index shows the count."""

from urllib.parse import urlencode

import pytest
from blogs import POST_URL, SLUG, post_form, running_blog, running_receiver, stored
from conftest import NETWORKING_POST

from reblog.linkbacks.cli import main
from reblog.linkbacks.store import Store
from reblog.linkbacks.verify import verify_pending
from reblog.settings import read

HOSTILE_EXCERPT = "<script>alert(1)</script> A fine post about networking"


def linking_page(title="A reply to RLW", href=POST_URL):
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        f'<article><p>Worth reading: <a href="{href}">RLW on networking</a>.</p></article>'
        "</body></html>"
    )


@pytest.fixture
def blog():
    with running_blog() as blog:
        blog.page("/linking", linking_page())
        blog.page("/mention", linking_page(title="A mention"))
        blog.page("/not-linking", linking_page(href="http://localhost:8000/"))
        blog.page("/slow", linking_page(), delay=3)
        blog.page("/huge", "<p>" + "x" * 60_000 + linking_page())
        blog.page("/plain", POST_URL, content_type="text/plain")
        yield blog


def test_only_verified_pings_appear_under_the_post(build_site, blog, tmp_path):
    db = str(tmp_path / "pings.sqlite3")
    build_settings = {"LINKBACKS_DB": db}
    first = build_site(settings=build_settings, name="first")
    assert not first.html(NETWORKING_POST).select(".linkbacks")
    receiver = {
        "PATH": str(first.output.parent / "content"),
        "LINKBACKS_DB": db,
        "LINKBACKS_VERIFY_IN_BACKGROUND": False,  # pending until this test verifies
    }
    with running_receiver(receiver) as base:
        for path, title in [("/linking", "A reply"), ("/not-linking", "Spam")]:
            fields = {
                "url": blog.url(path),
                "title": title,
                "excerpt": HOSTILE_EXCERPT,
                "blog_name": "Other <b>Blog</b>",
            }
            post_form(f"{base}/trackback/{SLUG}", urlencode(fields).encode())
        for path in ["/mention", "/slow", "/huge", "/plain"]:
            fields = {"source": blog.url(path), "target": POST_URL}
            assert post_form(f"{base}/webmention", urlencode(fields).encode())[0] == 202
        post_form(f"{base}/trackback/{SLUG}", urlencode({"url": blog.url("/loop")}).encode())

    pending = build_site(settings=build_settings, name="pending")
    assert not pending.html(NETWORKING_POST).select(".linkbacks")

    conf = read(
        {
            **receiver,
            "LINKBACKS_ALLOW_PRIVATE": True,
            "LINKBACKS_FETCH_TIMEOUT": 1,
            "LINKBACKS_FETCH_MAX_BYTES": 50_000,
        }
    )
    approved, spam, _seconds = verify_pending(conf, report=lambda line: None)
    assert (approved, spam) == (2, 5)
    states = {p["source"].rsplit("/", 1)[1]: (p["state"], p["note"]) for p in stored(receiver)}
    assert states["linking"][0] == states["mention"][0] == "approved"
    assert states["not-linking"] == ("spam", "the source does not link to the post")
    assert "timeout" in states["slow"][1]
    assert "larger than" in states["huge"][1]
    assert "text/plain" in states["plain"][1]
    assert "redirects" in states["loop"][1]
    assert {state for state, _ in states.values()} == {"approved", "spam"}

    page = build_site(settings=build_settings, name="second").html(NETWORKING_POST)
    section = page.select_one("section.linkbacks")
    assert section.h2.get_text() == "Trackbacks"
    items = section.select("li.linkback")
    links = [item.a for item in items]
    assert [a["href"] for a in links] == [blog.url("/linking"), blog.url("/mention")]
    assert [a.get_text() for a in links] == ["A reply", "A mention"]
    assert all(a["rel"] == ["nofollow", "ugc"] for a in links)
    scripts = page.find_all("script")
    assert all(script.get("type") == "application/ld+json" for script in scripts)
    assert not any("alert(1)" in script.get_text() for script in scripts)
    assert not section.find("b")
    assert items[0].select_one(".p-author").get_text() == "Other <b>Blog</b>"
    assert items[0].blockquote.get_text().strip() == HOSTILE_EXCERPT
    assert items[0].time["datetime"].startswith(stored(receiver, "approved")[0]["received"][:10])
    # A Webmention carries no text of its own: the verifier took it from the page.
    assert items[1].select_one(".p-author").get_text() == "127.0.0.1"
    assert "RLW on networking" in items[1].blockquote.get_text()

    index = build_site(settings=build_settings, name="index").html("index.html")
    assert index.select_one(".linkback-count a").get_text() == "2 trackbacks"


def test_sources_on_private_addresses_are_not_fetched(tmp_path, blog, receiver_settings):
    store = Store(read(receiver_settings)["LINKBACKS_DB"]).init()
    store.add(
        kind="trackback",
        slug=SLUG,
        target=POST_URL,
        source=blog.url("/linking"),
        title="",
        excerpt="",
        blog_name="",
        address="127.0.0.1",
        limit=10,
    )
    verify_pending(read(receiver_settings), report=lambda line: None)
    [ping] = stored(receiver_settings)
    assert ping["state"] == "spam"
    assert "not a public address" in ping["note"]
    assert blog.posts == []


def test_a_site_without_a_store_builds_without_trackbacks(site):
    assert not site.html(NETWORKING_POST).select(".linkbacks")
    assert not site.html("index.html").select(".linkback-count")


def test_post_pages_advertise_the_webmention_endpoint_only_when_set(build_site):
    on = build_site(settings={"WEBMENTION_URL": "https://blog.example/webmention"}, name="on")
    assert on.html(NETWORKING_POST).select_one("head link[rel=webmention]")["href"] == (
        "https://blog.example/webmention"
    )
    off = build_site(settings={"WEBMENTION_URL": None}, name="off")
    assert not off.html(NETWORKING_POST).select("link[rel=webmention]")


def test_moderators_list_approve_and_reject_by_id(tmp_path, capsys):
    (tmp_path / "content").mkdir()
    conf_file = tmp_path / "conf.py"
    conf_file.write_text('PATH = "content"\nLINKBACKS_DB = "pings.sqlite3"\n')
    store = Store(tmp_path / "pings.sqlite3").init()
    for n in (1, 2):
        store.add(
            kind="trackback",
            slug=SLUG,
            target=POST_URL,
            source=f"https://e.example/{n}",
            title=f"Ping {n}",
            excerpt="",
            blog_name="",
            address="192.0.2.1",
            limit=10,
        )
    settings = ["-s", str(conf_file)]
    assert main([*settings, "list", "pending"]) == 0
    listing = capsys.readouterr().out
    assert "https://e.example/1" in listing
    assert "Ping 2" in listing
    assert main([*settings, "approve", "1"]) == 0
    assert main([*settings, "reject", "2"]) == 0
    assert main([*settings, "approve", "99"]) == 1
    assert "no ping 99" in capsys.readouterr().err
    assert [(p["id"], p["state"]) for p in store.pings()] == [(1, "approved"), (2, "rejected")]
    assert main([*settings, "list", "approved"]) == 0
    listing = capsys.readouterr().out
    assert "https://e.example/1" in listing
    assert "https://e.example/2" not in listing
