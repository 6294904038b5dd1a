"""README: `make ping` tells each article a post cites that it was cited, by the best
endpoint the article advertises (Webmention, Pingback, TrackBack), once per (post, article);
failures are retried on the next run; `--dry-run` sends nothing."""

import json
import xmlrpc.client

import pytest
from blogs import running_blog

from reblog.linkbacks.cli import main
from reblog.linkbacks.sender import SendError, send_pings
from reblog.settings import read

POST_URL = "http://localhost:8000/2020/01/citing/"


def rdf(about, ping):
    return (
        '<!--\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/">\n'
        f'<rdf:Description rdf:about="{about}" dc:identifier="{about}" dc:title="T" '
        f'trackback:ping="{ping}" />\n</rdf:RDF>\n-->'
    )


def html(head="", body=""):
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


@pytest.fixture
def blog():
    """One server playing every other blog: each page advertises one kind of endpoint."""
    ok = xmlrpc.client.dumps(("Ping registered",), methodresponse=True)
    known = xmlrpc.client.dumps(xmlrpc.client.Fault(48, "already registered"), methodresponse=True)
    tb_ok = '<?xml version="1.0" encoding="utf-8"?><response><error>0</error></response>'
    with running_blog() as blog:
        blog.page("/", html(body="A home page without endpoints."))
        blog.page("/original", html(), headers={"Link": f'<{blog.url("/wm1")}>; rel="webmention"'})
        blog.page("/wm1", "queued", status=202)
        blog.page("/link-tag", html(head='<link rel="webmention" href="/wm2">'))
        blog.page("/wm2", "", status=201)
        blog.page("/pingback-header", html(), headers={"X-Pingback": blog.url("/xmlrpc")})
        blog.page("/xmlrpc", ok, content_type="text/xml")
        blog.page("/pingback-link", html(head=f'<link rel="pingback" href="{blog.url("/xr2")}">'))
        blog.page("/xr2", known, content_type="text/xml")
        blog.page("/trackback-rdf", html(body=rdf(blog.url("/trackback-rdf"), blog.url("/tb"))))
        blog.page("/tb", tb_ok, content_type="text/xml")
        blog.page(
            "/all-three",
            html(body=rdf(blog.url("/all-three"), blog.url("/tb3"))),
            headers={"Link": '</wm3>; rel="webmention"', "X-Pingback": blog.url("/xr3")},
        )
        blog.page("/wm3", "", status=202)
        blog.page("/xr3", ok, content_type="text/xml")
        blog.page("/tb3", tb_ok, content_type="text/xml")
        blog.page("/failing", html(head='<link rel="webmention" href="/wm-broken">'))
        blog.page("/wm-broken", "down", status=500)
        yield blog


@pytest.fixture
def citing_site(build_site, blog):
    """The real site plus a repost citing every page of `blog`; returns its settings."""
    links = " ".join(
        f"[{path}]({blog.url(path)})"
        for path in [
            "/link-tag",
            "/pingback-header",
            "/pingback-link",
            "/trackback-rdf",
            "/all-three",
            "/failing",
        ]
    )
    post = (
        "Title: Citing\nDate: 2020-01-01\nSlug: citing\nSummary: Worth a look.\n"
        f"Original_author: Someone\nOriginal_site: Other\nOriginal_url: {blog.url('/original')}\n"
        f"Original_site_url: {blog.url('/')}\n\nSee {links} and [us](http://localhost:8000/).\n"
    )
    site = build_site(posts={"citing.md": post})
    return {"PATH": str(site.output.parent / "content"), "LINKBACKS_ALLOW_PRIVATE": True}


def manifest_of(settings):
    return json.loads(read(settings)["LINKBACKS_MANIFEST"].read_text(encoding="utf-8"))


def run(settings, report=lambda line: None):
    # Only the test's post: the real networking post cites a blog on the internet.
    return send_pings(read(settings), manifest_of(settings), report=report, slugs=["citing"])


def test_each_endpoint_kind_is_found_and_pinged_once(citing_site, blog):
    [post] = [p for p in manifest_of(citing_site)["posts"] if p["slug"] == "citing"]
    assert post["links"][:2] == [blog.url("/original"), blog.url("/")]
    assert "http://localhost:8000/" not in post["links"]

    assert run(citing_site) == {"sent": 6, "failed": 1, "unsupported": 1}
    for path in ("/wm1", "/wm2", "/wm3"):
        [form] = blog.forms_to(path)
        assert form["source"] == POST_URL
    assert blog.forms_to("/wm1")[0]["target"] == blog.url("/original")
    assert blog.forms_to("/wm2")[0]["target"] == blog.url("/link-tag")
    for path, target in [("/xmlrpc", "/pingback-header"), ("/xr2", "/pingback-link")]:
        [body] = blog.posts_to(path)
        assert xmlrpc.client.loads(body) == ((POST_URL, blog.url(target)), "pingback.ping")
    [trackback] = blog.forms_to("/tb")
    assert trackback == {
        "url": POST_URL,
        "title": "Citing",
        "excerpt": "Worth a look.",
        "blog_name": "Worth a Thorough Read",
    }
    # The page advertising all three got a Webmention only.
    assert blog.posts_to("/xr3") == blog.posts_to("/tb3") == []

    ledger = json.loads(read(citing_site)["LINKBACKS_LEDGER"].read_text())["sent"]["citing"]
    assert ledger[blog.url("/original")]["method"] == "webmention"
    assert ledger[blog.url("/trackback-rdf")]["method"] == "trackback"
    assert ledger[blog.url("/failing")]["status"] == "failed"
    assert ledger[blog.url("/")]["status"] == "unsupported"

    posts_so_far = len(blog.posts)
    assert run(citing_site) == {"sent": 0, "failed": 1, "unsupported": 0}
    assert len(blog.posts) == posts_so_far + 1  # only the failed target, tried again
    assert len(blog.posts_to("/wm-broken")) == 2

    blog.page("/wm-broken", "", status=202)
    assert run(citing_site) == {"sent": 1, "failed": 0, "unsupported": 0}
    assert run(citing_site) == {"sent": 0, "failed": 0, "unsupported": 0}
    assert len(blog.posts_to("/wm-broken")) == 3
    assert (
        json.loads(read(citing_site)["LINKBACKS_LEDGER"].read_text())["sent"]["citing"][
            blog.url("/failing")
        ]["attempts"]
        == 3
    )


def test_a_target_that_keeps_failing_is_given_up_after_the_set_attempts(citing_site, blog):
    settings = {**citing_site, "LINKBACKS_SEND_MAX_ATTEMPTS": 2}
    assert run(settings)["failed"] == 1
    assert run(settings)["failed"] == 1
    lines = []
    assert run(settings, report=lines.append) == {"sent": 0, "failed": 0, "unsupported": 0}
    assert len(blog.posts_to("/wm-broken")) == 2
    assert lines == [
        (
            f"gave up      {POST_URL} -> {blog.url('/failing')}  "
            "(failed 2 times; LINKBACKS_SEND_MAX_ATTEMPTS)"
        )
    ]


def test_a_dry_run_sends_nothing_and_keeps_no_record(citing_site, blog, tmp_path, capsys):
    conf_file = tmp_path / "conf.py"
    conf_file.write_text(
        f"PATH = {citing_site['PATH']!r}\nLINKBACKS_ALLOW_PRIVATE = True\n", encoding="utf-8"
    )
    assert main(["-s", str(conf_file), "ping", "--dry-run", "citing"]) == 0
    out = capsys.readouterr().out
    assert f"would send   {POST_URL} -> {blog.url('/original')}  (webmention to " in out
    assert "trackback to " + blog.url("/tb") in out
    assert blog.posts == []
    assert not read(citing_site)["LINKBACKS_LEDGER"].exists()


def test_nothing_is_sent_for_a_site_nobody_else_can_reach(citing_site, blog):
    settings = {**citing_site, "LINKBACKS_ALLOW_PRIVATE": False}
    with pytest.raises(SendError, match="not a public site"):
        run(settings)
    assert blog.posts == []


def test_a_blog_on_our_host_but_another_port_is_cited(build_site):
    post = (
        "Title: Neighbours\nDate: 2020-01-02\nSlug: neighbours\n\n"
        "[Next door](http://localhost:8001/next-door/), [our own](http://localhost:8000/)."
    )
    site = build_site(posts={"neighbours.md": post})
    settings = {"PATH": str(site.output.parent / "content")}
    [entry] = [p for p in manifest_of(settings)["posts"] if p["slug"] == "neighbours"]
    assert entry["links"] == ["http://localhost:8001/next-door/"]
