"""docs/feeds.md: with WEBSUB_HUB set, `make websub` (and publish, and the deploy targets
after their upload) tells the hub of every feed that changed since the last time, once;
a hub that fails is retried, then reported, and nothing is recorded for it. The hub is a
server on 127.0.0.1: nothing here reaches the internet."""

import json

import pytest
from blogs import running_blog

from reblog.settings import read
from reblog.websub import HubError, announce, main, publish

NOTE = "Title: A note\nDate: 2024-05-01\nCategory: Notes\nSlug: a-note\n\n{text}\n"
ALL = {
    "http://localhost:8000/feeds/all.atom.xml",
    "http://localhost:8000/feeds/all.rss.xml",
    "http://localhost:8000/feeds/all.json",
}
NOTES = {f"http://localhost:8000/feeds/category/notes.{kind}" for kind in ("atom.xml", "rss.xml")}
NOTES.add("http://localhost:8000/feeds/category/notes.json")
UNCATEGORIZED = {
    f"http://localhost:8000/feeds/category/uncategorized.{kind}"
    for kind in ("atom.xml", "rss.xml", "json")
}


@pytest.fixture
def hub():
    with running_blog() as blog:
        blog.page("/hub", "", status=204)
        blog.page("/down", "try later", status=503)
        blog.page("/refuses", "unknown topic", status=400)
        yield blog


@pytest.fixture
def hub_settings(tmp_path, hub):
    return {
        "WEBSUB_HUB": hub.url("/hub"),
        "WEBSUB_LEDGER": str(tmp_path / "websub-published.json"),
        "LINKBACKS_ALLOW_PRIVATE": True,  # the fixture's feeds live at localhost:8000
    }


def announced(hub, path="/hub"):
    return [form["hub.url"] for form in hub.forms_to(path)]


def run(build_site, settings, name, text):
    site = build_site(posts={"note.md": NOTE.format(text=text)}, settings=settings, name=name)
    return publish({**settings, "PATH": str(site.output.parent / "content")}, site.output)


def test_every_feed_first_then_none_then_only_the_changed_ones(build_site, hub, hub_settings):
    done, failed = run(build_site, hub_settings, "first", "First words.")
    assert failed == []
    assert set(done) == ALL | NOTES | UNCATEGORIZED
    assert sorted(announced(hub)) == sorted(done)  # one request per feed
    form = hub.forms_to("/hub")[0]
    assert form["hub.mode"] == "publish"
    assert form["hub.topic"] == form["hub.url"]
    ledger_file = read(hub_settings | {"PATH": "."})["WEBSUB_LEDGER"]
    ledger = json.loads(ledger_file.read_text(encoding="utf-8"))["published"]
    assert set(ledger) == set(done)
    assert all(entry["hub"] == hub.url("/hub") for entry in ledger.values())

    assert run(build_site, hub_settings, "again", "First words.") == ([], [])
    assert len(announced(hub)) == len(done)

    done, failed = run(build_site, hub_settings, "edited", "Second thoughts.")
    assert (set(done), failed) == (ALL | NOTES, [])


def test_a_hub_that_stays_down_is_retried_then_reported_and_nothing_recorded(
    build_site, hub, hub_settings
):
    settings = {**hub_settings, "WEBSUB_HUB": hub.url("/down"), "WEBSUB_ATTEMPTS": 3}
    site = build_site(settings=settings)
    conf = {**settings, "PATH": str(site.output.parent / "content")}
    lines = []
    done, failed = publish(conf, site.output, report=lines.append, pause=0.01)
    assert done == []
    assert set(failed) == ALL | UNCATEGORIZED
    assert len(hub.posts_to("/down")) == 3 * len(failed)
    assert any("after 3 attempts: HTTP 503 try later" in line for line in lines)
    assert not read(conf)["WEBSUB_LEDGER"].exists()


def test_a_refusal_is_not_retried(hub):
    conf = {"WEBSUB_ATTEMPTS": 3, "WEBSUB_TIMEOUT": 5}
    with pytest.raises(HubError, match=r"refused http://x\.test/feed: HTTP 400 unknown topic"):
        announce("http://x.test/feed", hub.url("/refuses"), conf, pause=0.01)
    assert len(hub.posts_to("/refuses")) == 1


def write_settings(tmp_path, text):
    path = tmp_path / "conf.py"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_command_exits_1_naming_the_feeds_the_hub_did_not_take(
    build_site, hub, tmp_path, capsys
):
    site = build_site(settings={"WEBSUB_HUB": hub.url("/refuses")})
    conf = write_settings(
        tmp_path,
        f"WEBSUB_HUB = {hub.url('/refuses')!r}\nLINKBACKS_ALLOW_PRIVATE = True\n"
        f"WEBSUB_LEDGER = {str(tmp_path / 'ledger.json')!r}\n",
    )
    assert main(["-s", conf, "-o", str(site.output)]) == 1
    out, err = capsys.readouterr()
    assert "refused http://localhost:8000/feeds/all.atom.xml: HTTP 400" in out
    assert "websub: 0 feed(s) announced" in out
    assert "did not take 6 feed(s)" in err
    assert not (tmp_path / "ledger.json").exists()


def test_without_a_hub_or_a_public_address_nothing_is_sent(build_site, hub, tmp_path, capsys):
    site = build_site(settings={"WEBSUB_HUB": hub.url("/hub")})
    assert main(["-s", write_settings(tmp_path, ""), "-o", str(site.output)]) == 0
    assert "WEBSUB_HUB is not set" in capsys.readouterr().out
    # A hub in the settings, but the feeds' addresses are localhost's: a hub could not fetch.
    ledger = tmp_path / "ledger.json"
    conf = write_settings(
        tmp_path, f"WEBSUB_HUB = {hub.url('/hub')!r}\nWEBSUB_LEDGER = {str(ledger)!r}\n"
    )
    assert main(["-s", conf, "-o", str(site.output)]) == 0
    assert "not announcing" in capsys.readouterr().err
    assert hub.posts == []
