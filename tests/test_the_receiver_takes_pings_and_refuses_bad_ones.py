"""README: the receiver stores TrackBack pings and Webmentions to our posts as pending, and
refuses everything else with the protocol's own error, storing nothing."""

from urllib.parse import quote, urlencode

import pytest
from blogs import POST_URL, SLUG, post_form, running_receiver, stored

from reblog.linkbacks.cli import main
from reblog.linkbacks.receiver import Receiver
from reblog.settings import SettingsError


@pytest.fixture
def receiver(receiver_settings):
    with running_receiver(receiver_settings) as base:
        yield base


def trackback(base, fields, slug=SLUG, **kwargs):
    return post_form(f"{base}/trackback/{slug}", urlencode(fields).encode(), **kwargs)


def assert_trackback_error(answer, status):
    code, content_type, text = answer
    assert code == status
    assert content_type.startswith("text/xml")
    assert "<error>1</error>" in text
    assert "<message>" in text
    assert "Traceback" not in text


def test_a_trackback_ping_is_stored_pending_and_answered_with_error_0(receiver, receiver_settings):
    answer = trackback(
        receiver,
        {
            "url": "http://elsewhere.example/post",
            "title": "T" * 400,
            "excerpt": "An excerpt",
            "blog_name": "Elsewhere",
        },
    )
    status, content_type, text = answer
    assert (status, content_type.split(";")[0]) == (200, "text/xml")
    assert "<error>0</error>" in text
    [ping] = stored(receiver_settings)
    assert ping["state"] == "pending"
    assert (ping["kind"], ping["slug"], ping["target"]) == ("trackback", SLUG, POST_URL)
    assert ping["source"] == "http://elsewhere.example/post"
    assert (ping["excerpt"], ping["blog_name"]) == ("An excerpt", "Elsewhere")
    assert len(ping["title"]) == 250
    assert ping["title"].endswith("…")


def test_the_same_source_again_updates_its_ping(receiver, receiver_settings):
    trackback(receiver, {"url": "http://elsewhere.example/post", "title": "First"})
    trackback(receiver, {"url": "http://elsewhere.example/post", "title": "Second"})
    [ping] = stored(receiver_settings)
    assert ping["title"] == "Second"


def test_the_declared_charset_is_honoured(receiver, receiver_settings):
    body = "url=http%3A%2F%2Felsewhere.example%2F&title=" + quote("café", encoding="latin-1")
    answer = post_form(
        f"{receiver}/trackback/{SLUG}",
        body.encode(),
        content_type="application/x-www-form-urlencoded; charset=ISO-8859-1",
    )
    assert "<error>0</error>" in answer[2]
    assert stored(receiver_settings)[0]["title"] == "café"


@pytest.mark.parametrize(
    ("fields", "slug", "status"),
    [
        pytest.param({"title": "no url"}, SLUG, 400, id="no url"),
        pytest.param({"url": "javascript:alert(1)"}, SLUG, 400, id="javascript url"),
        pytest.param({"url": "ftp://elsewhere.example/"}, SLUG, 400, id="ftp url"),
        pytest.param({"url": POST_URL}, SLUG, 400, id="source equals target"),
        pytest.param({"url": POST_URL + "index.html"}, SLUG, 400, id="source is target"),
        pytest.param({"url": "http://elsewhere.example/"}, "no-such-post", 404, id="unknown"),
        pytest.param({"url": "http://e.example/", "excerpt": "x" * 3000}, SLUG, 413, id="size"),
        pytest.param({"url": "http://e.example/", **{f"f{n}": "" for n in range(9)}}, SLUG, 400,
                     id="too many fields"),
    ],
)  # fmt: skip
def test_a_bad_trackback_is_refused_and_nothing_stored(
    receiver, receiver_settings, fields, slug, status
):
    assert_trackback_error(trackback(receiver, fields, slug=slug), status)
    assert stored(receiver_settings) == []


def test_utf7_is_refused(receiver, receiver_settings):
    answer = post_form(
        f"{receiver}/trackback/{SLUG}",
        b"url=http%3A%2F%2Felsewhere.example%2F&title=%2BADw-script%2BAD4-",
        content_type="application/x-www-form-urlencoded; charset=UTF-7",
    )
    assert_trackback_error(answer, 400)
    assert "UTF-7" in answer[2]
    assert stored(receiver_settings) == []


def test_a_get_gets_an_error_message_not_a_stack_trace(receiver, receiver_settings):
    answer = post_form(f"{receiver}/trackback/{SLUG}", None, content_type=None, method="GET")
    assert_trackback_error(answer, 405)
    assert "POST" in answer[2]


def test_a_flood_from_one_address_is_cut_off(receiver_settings):
    receiver_settings["LINKBACKS_RATE_LIMIT"] = 3
    with running_receiver(receiver_settings) as base:
        answers = [trackback(base, {"url": f"http://e.example/{n}"}) for n in range(5)]
    assert ["<error>0</error>" in text for _s, _t, text in answers] == [1, 1, 1, 0, 0]
    for answer in answers[3:]:
        assert_trackback_error(answer, 429)
    assert sorted(p["source"] for p in stored(receiver_settings)) == [
        f"http://e.example/{n}" for n in range(3)
    ]


def webmention(base, fields):
    return post_form(f"{base}/webmention", urlencode(fields).encode())


def test_a_webmention_is_accepted_with_202(receiver, receiver_settings):
    status, _type, _text = webmention(
        receiver, {"source": "https://elsewhere.example/reply", "target": POST_URL}
    )
    assert status == 202
    [ping] = stored(receiver_settings)
    assert (ping["kind"], ping["slug"], ping["state"]) == ("webmention", SLUG, "pending")


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"target": POST_URL}, id="no source"),
        pytest.param({"source": "https://elsewhere.example/"}, id="no target"),
        pytest.param({"source": "mailto:x@example.org", "target": POST_URL}, id="not http"),
        pytest.param({"source": POST_URL, "target": POST_URL}, id="source equals target"),
        pytest.param(
            {"source": "https://e.example/", "target": "http://localhost:8000/nope/"},
            id="not our post",
        ),
        pytest.param(
            {"source": "https://e.example/", "target": "https://other.example/post/"},
            id="another site",
        ),
    ],
)
def test_a_bad_webmention_gets_400_and_nothing_stored(receiver, receiver_settings, fields):
    status, _type, text = webmention(receiver, fields)
    assert status == 400
    assert text.strip()
    assert stored(receiver_settings) == []


def test_an_oversize_webmention_gets_413(receiver, receiver_settings):
    fields = {"source": "https://e.example/?" + "q" * 3000, "target": POST_URL}
    assert webmention(receiver, fields)[0] == 413
    assert stored(receiver_settings) == []


def test_a_bad_setting_or_store_is_an_error_naming_it(tmp_path, capsys):
    with pytest.raises(SettingsError, match="LINKBACKS_RATE_LIMIT"):
        Receiver({"PATH": str(tmp_path / "content"), "LINKBACKS_RATE_LIMIT": "ten"})
    (tmp_path / "content").mkdir()
    (tmp_path / "pings.sqlite3").write_text("not a database")
    conf_file = tmp_path / "conf.py"
    conf_file.write_text('PATH = "content"\nLINKBACKS_DB = "pings.sqlite3"\n')
    assert main(["-s", str(conf_file), "list"]) == 2
    assert f"{tmp_path / 'pings.sqlite3'}: not a usable linkbacks store" in capsys.readouterr().err
