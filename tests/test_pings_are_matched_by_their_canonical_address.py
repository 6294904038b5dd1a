"""README: one page pinging one post is one ping however its address is spelled (scheme
and host case, default port, fragment, trailing slash), and a Webmention whose target
lacks the post's trailing slash or carries a query still names that post."""

from urllib.parse import urlencode

from blogs import POST_URL, SLUG, post_form, running_blog, running_receiver, stored

from reblog.linkbacks.canonical import canonical, post_key
from reblog.linkbacks.verify import verify_pending
from reblog.settings import read


def trackback(base, url):
    return post_form(f"{base}/trackback/{SLUG}", urlencode({"url": url}).encode())


def test_five_spellings_of_one_source_are_one_ping(receiver_settings):
    spellings = [
        "http://Elsewhere.Example/dedup",
        "http://elsewhere.example/dedup#frag",
        "HTTP://ELSEWHERE.EXAMPLE/dedup",
        "http://elsewhere.example/dedup/",
        "http://elsewhere.example:80/dedup",
    ]
    with running_receiver(receiver_settings) as base:
        answers = [trackback(base, url) for url in spellings]
    assert all("<error>0</error>" in text for _status, _type, text in answers)
    [ping] = stored(receiver_settings)
    assert ping["source"] == "http://elsewhere.example/dedup"


def test_a_query_makes_another_source_page(receiver_settings):
    with running_receiver(receiver_settings) as base:
        trackback(base, "https://elsewhere.example/forum?topic=1")
        trackback(base, "https://elsewhere.example/forum?topic=2")
        trackback(base, "https://elsewhere.example:443/forum?topic=2#reply")
    assert sorted(p["source"] for p in stored(receiver_settings)) == [
        "https://elsewhere.example/forum?topic=1",
        "https://elsewhere.example/forum?topic=2",
    ]


def test_a_target_without_its_slash_or_with_a_query_names_the_post(receiver_settings):
    targets = [
        POST_URL.rstrip("/"),
        POST_URL + "?utm_source=feed",
        POST_URL.upper()[:7] + POST_URL[7:],
    ]
    with running_receiver(receiver_settings) as base:
        for n, target in enumerate(targets):
            fields = {"source": f"https://elsewhere.example/{n}", "target": target}
            assert post_form(f"{base}/webmention", urlencode(fields).encode())[0] == 202
    assert [p["slug"] for p in stored(receiver_settings)] == [SLUG] * 3


def test_a_source_linking_to_another_spelling_of_the_post_is_approved(receiver_settings):
    with running_blog() as blog:
        for path, href in [
            ("/no-slash", POST_URL.rstrip("/")),
            ("/query", POST_URL + "?ref=x#comments"),
            ("/index", POST_URL + "index.html"),
            ("/other", POST_URL.replace("networking", "another")),
        ]:
            blog.page(path, f'<html><head><title>T</title></head><body><a href="{href}">x</a>')
        with running_receiver(receiver_settings) as base:
            for path in ["/no-slash", "/query", "/index", "/other"]:
                fields = {"source": blog.url(path), "target": POST_URL + "?utm=1"}
                assert post_form(f"{base}/webmention", urlencode(fields).encode())[0] == 202
        conf = read({**receiver_settings, "LINKBACKS_ALLOW_PRIVATE": True})
        verify_pending(conf, report=lambda line: None)
    states = {p["source"].rsplit("/", 1)[1]: p["state"] for p in stored(receiver_settings)}
    assert states == {"no-slash": "approved", "query": "approved", "index": "approved",
                      "other": "spam"}  # fmt: skip


def test_canonical_spellings():
    assert canonical("HTTPS://Blog.Example:443/a/%7euser/caf%c3%a9?q=%2f#x") == (
        "https://blog.example/a/~user/caf%C3%A9?q=%2F"
    )
    assert canonical("http://blog.example/café") == "http://blog.example/caf%C3%A9"
    assert canonical("http://[::1]:8080") == "http://[::1]:8080/"
    assert canonical("http://user:pw@blog.example.:8000/") == "http://blog.example:8000/"
    assert post_key("http://b.example/p/index.html?x=1") == post_key("http://B.example/p")
    assert post_key("http://b.example/p.html") != post_key("http://b.example/p")
