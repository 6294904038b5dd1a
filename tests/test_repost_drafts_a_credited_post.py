"""README, "Republishing an article": `make repost SOURCE=...` drafts a credited repost from an
article's address, a saved page or a feed item, and the draft builds once the blogger has
written their commentary and removed `Status: draft`."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from conftest import FIXTURE_SETTINGS, NETWORKING_CONTENT, ROOT, SITES, run_make
from pelican.settings import read_settings
from pelican.utils import slugify
from repostdrafts import FIXTURES, front_matter, not_found, only_draft, quoted_paragraphs, repost

from reblog.repost import PLACEHOLDER
from reblog.repost.cli import MAKE_VARIABLES

COMMENTARY = "Worth a thorough read: this is exactly how I feel about it."


def published(text, **fill):
    """The draft as the blogger leaves it: commentary written, status line gone, and any
    field the command could not find filled in by hand."""
    assert PLACEHOLDER in text
    text = text.replace(PLACEHOLDER, COMMENTARY).replace("Status: draft\n", "")
    extra = "".join(f"{key}: {value}\n" for key, value in fill.items())
    return text.replace("\n\n", "\n" + extra + "\n", 1)


def build_draft(build_site, draft, caplog, **fill):
    """Build the site with the finished draft; check Pelican logged no error (as `make html`,
    run with --fatal errors, would stop on one); return the BuiltSite and the post's page."""
    meta = front_matter(draft.read_text(encoding="utf-8"))
    with caplog.at_level(logging.WARNING):
        site = build_site(posts={f"2026/{draft.name}": published(draft.read_text(), **fill)})
    assert [
        record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR
    ] == []
    return site, site.html(f"2026/11/{meta['Slug']}/index.html")


def test_json_ld_gives_headline_author_blog_and_addresses(tmp_path, capsys):
    draft = only_draft(tmp_path, FIXTURES / "jsonld.html")
    text = draft.read_text(encoding="utf-8")
    meta = front_matter(text)
    assert draft == tmp_path / "content/posts/2026/why-long-articles-deserve-a-second-read.md"
    assert meta == {
        "Title": "Why long articles deserve a second read",
        "Date": "2026-11-26 00:00",
        "Author": "RLW",
        "Category": "Uncategorized",
        "Slug": "why-long-articles-deserve-a-second-read",
        "Status": "draft",
        "Original_author": "Mara Lindqvist",
        "Original_title": "Why long articles deserve a second read",
        "Original_url": "https://slow-reading.example/2024/05/long-articles/",
        "Original_site": "Slow Reading",
        "Original_site_url": "https://slow-reading.example/",
    }
    quote = quoted_paragraphs(text)
    assert quote[0].startswith("The first time through a long article, most of us skim.")
    # The relative link is made absolute against the article's own address.
    assert "[footnotes](https://slow-reading.example/2023/11/footnotes/)" in quote[1]
    assert "*careful*" in quote[1]
    assert "## What changes the second time" in quote
    out = capsys.readouterr().out
    assert out.splitlines()[0] == str(draft)
    assert "Mara Lindqvist  (JSON-LD)" in out
    assert not_found(out) == ["Original_feed"]


# (page, credit the draft must carry, how the excerpt opens, page furniture it must leave out)
PAGES_WITH_MARKUP = [
    pytest.param(
        "microformats.html",
        {
            "Title": "Owning your words on a small web",
            "Original_author": "Inês Duarte",
            "Original_url": "https://ines.example/notes/owning-your-words",
            # Nothing names the blog: its address stands in, and the blogger is told.
            "Original_site": "ines.example",
            "Original_site_url": "https://ines.example/",
        },
        "Every few years a platform we trusted changes its rules",
        ["Blogs I read every week"],
        id="microformats h-entry wins over a larger blogroll",
    ),
    pytest.param(
        "opengraph.html",
        {
            "Title": "Mentoring: questions before answers",
            "Original_author": "Dev Okafor",
            "Original_site": "The Patient Manager",
            "Original_url": "https://patient-manager.example/mentoring-questions",
        },
        "New managers tend to answer every question they are asked.",
        ["Advertisement", "newsletter", "All rights reserved", "tracking"],
        id="open graph and meta author",
    ),
]


@pytest.mark.parametrize(("page", "credit", "opening", "furniture"), PAGES_WITH_MARKUP)
def test_the_page_s_markup_credits_the_article_and_only_its_text_is_quoted(
    tmp_path, page, credit, opening, furniture
):
    text = only_draft(tmp_path, FIXTURES / page).read_text(encoding="utf-8")
    meta = front_matter(text)
    assert {key: meta.get(key) for key in credit} == credit
    quote = quoted_paragraphs(text)
    assert quote[0].startswith(opening)
    joined = "\n".join(quote)
    assert [words for words in furniture if words in joined] == []


def test_a_bare_page_gives_its_title_and_the_command_lists_what_is_missing(tmp_path, capsys):
    text = only_draft(tmp_path, FIXTURES / "bare.html").read_text(encoding="utf-8")
    meta = front_matter(text)
    assert meta["Title"] == "On keeping a paper notebook"
    assert not any(key in meta for key in ("Original_author", "Original_url", "Original_site"))
    out = capsys.readouterr().out
    assert not_found(out) == [
        "Original_author",
        "Original_url",
        "Original_site",
        "Original_site_url",
        "Original_feed",
    ]
    # The same words the build would stop with (plugins/attribution).
    assert "will not build this post until that is fixed: original_author: missing" in out
    assert len(quoted_paragraphs(text)) == 4


def test_a_complete_credit_is_not_warned_about(tmp_path, capsys):
    only_draft(tmp_path, FIXTURES / "wordpress.html")
    out = capsys.readouterr().out
    assert "Not found" not in out
    assert "will not build" not in out


def test_a_served_page_is_credited_to_its_address(tmp_path, remote_blog):
    url = remote_blog.url("/repost/bare.html")
    meta = front_matter(only_draft(tmp_path, url).read_text(encoding="utf-8"))
    assert meta["Original_url"] == url
    assert meta["Original_site_url"] == remote_blog.url("/")
    assert meta["Original_site"] == "127.0.0.1"


def test_wordpress_article_is_quoted_without_sidebar_comments_ads_or_share_buttons(
    tmp_path, remote_blog
):
    text = only_draft(tmp_path, remote_blog.url("/repost/wordpress.html")).read_text("utf-8")
    meta = front_matter(text)
    assert meta["Title"] == "Networking: myth versus truth"
    assert meta["Original_author"] == "Cheri Baker"
    assert meta["Original_site"] == "The Enlightened Manager Blog"
    assert meta["Original_site_url"] == "https://enlightened.example/"
    # The canonical address, not the one it was fetched from; the blog's feed, not comments'.
    assert (
        meta["Original_url"] == "https://enlightened.example/2007/12/networking-myth-versus-truth/"
    )
    assert meta["Original_feed"] == "https://enlightened.example/feed/"
    quote = quoted_paragraphs(text)
    assert quote[0].startswith("A post on networking may seem a little out of place")
    joined = "\n".join(quote)
    for furniture in (
        "Sponsored",
        "Share this",
        "Related",
        "Leave a Reply",
        "Dana",
        "Recent Posts",
    ):
        assert furniture not in joined
    assert "About Cheri" not in joined
    assert "Proudly powered" not in joined
    assert "worth a really thorough read" not in joined  # a comment, not the article
    # A definition list stays one: the theme shows myth and truth as a pair.
    assert "**Myth:** It’s good to collect a bunch of business cards.\n:   **Truth:**" in joined


@pytest.mark.parametrize(
    ("options", "title"),
    [
        (["--item", "2"], "The one-page handbook"),
        (["--match", "SAYING NO"], "Saying no, kindly"),
        ([], None),
    ],
)
def test_a_feed_item_is_reposted_by_number_or_title(tmp_path, remote_blog, options, title, capsys):
    feed_url = remote_blog.url("/repost/feed.xml")
    code, drafts = repost(tmp_path, feed_url, *options)
    if title is None:  # a feed with no item chosen: the items are listed, nothing is written
        assert (code, drafts) == (1, [])
        assert "3. Saying no, kindly" in capsys.readouterr().err
        return
    meta = front_matter(drafts[0].read_text(encoding="utf-8"))
    assert meta["Title"] == title
    assert meta["Original_feed"] == feed_url
    assert meta["Original_site"] == "The Quiet Team"
    assert meta["Original_site_url"] == "https://quiet-team.example/"
    assert meta["Original_url"].startswith("https://quiet-team.example/2025/")
    assert meta["Original_author"] in ("Priya Natarajan", "Sam Whitfield")


def test_a_feed_file_item_keeps_the_feed_s_own_address_and_drops_its_script(tmp_path):
    text = only_draft(tmp_path, FIXTURES / "feed.xml", "--item", "2").read_text(encoding="utf-8")
    meta = front_matter(text)
    assert meta["Original_feed"] == "https://quiet-team.example/feed.xml"
    assert meta["Original_author"] == "Priya Natarajan"
    quote = quoted_paragraphs(text)
    assert "[the notes](https://quiet-team.example/notes/)" in quote[1]
    assert len(quote) == 3
    assert "alert" not in text


def test_an_item_of_a_page_s_advertised_feed(tmp_path, remote_blog):
    feed_url = remote_blog.url("/repost/feed.xml")
    page = f'<html><head><link rel="alternate" type="application/rss+xml" href="{feed_url}">'
    remote_blog.route("/blog/", lambda path: (200, {"Content-Type": "text/html"}, page.encode()))
    text = only_draft(tmp_path, remote_blog.url("/blog/"), "--match", "handbook").read_text()
    assert front_matter(text)["Original_feed"] == feed_url
    assert front_matter(text)["Title"] == "The one-page handbook"


def test_the_request_names_this_site_and_its_address(tmp_path, remote_blog):
    only_draft(tmp_path, remote_blog.url("/repost/opengraph.html"))
    settings = read_settings(str(SITES / "publishconf.py"))
    agent = remote_blog.requests[0]["headers"]["User-Agent"]
    assert settings["SITENAME"] in agent
    assert settings["SITEURL"] in agent
    assert agent.startswith("Mozilla/5.0 (compatible; ")


@pytest.mark.parametrize("words", [30, 60, 100])
def test_the_excerpt_ends_at_the_paragraph_boundary_nearest_the_length(tmp_path, words):
    text = only_draft(tmp_path, FIXTURES / "bare.html", "--words", str(words)).read_text()
    source = [p.strip() for p in (FIXTURES / "bare.html").read_text().split("<p>")[1:]]
    source = [" ".join(p.split("</p>")[0].split()) for p in source]
    quote = quoted_paragraphs(text)
    assert quote == source[: len(quote)]  # whole paragraphs, in order, from the first
    sizes = [len(p.split()) for p in source]
    taken = sum(sizes[: len(quote)])
    # No other paragraph boundary is nearer to the length asked for.
    assert all(abs(taken - words) <= abs(sum(sizes[:n]) - words) for n in range(1, 5))


def test_the_default_excerpt_is_about_150_words(tmp_path, capsys):
    text = only_draft(tmp_path, FIXTURES / "jsonld.html").read_text(encoding="utf-8")
    words = len(" ".join(quoted_paragraphs(text)).replace("## ", "").split())
    assert 100 <= words <= 200
    assert f"{words} words" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("source", "fill"),
    [
        (["jsonld.html"], {}),
        (["microformats.html"], {}),
        (["opengraph.html"], {}),
        (
            ["bare.html"],
            {
                "Original_author": "Anonymous Notebook Keeper",
                "Original_site": "Paper Notes",
                "Original_url": "https://paper.example/notebook",
            },
        ),
        # The site already has a post with this title's slug: the blogger picks another.
        (["wordpress.html", "--slug", "networking-again"], {}),
        (["feed.xml", "--item", "2"], {}),
    ],
)
def test_the_finished_draft_builds_into_a_credited_post(build_site, tmp_path, caplog, source, fill):
    draft = only_draft(tmp_path, FIXTURES / source[0], *source[1:])
    meta = {**front_matter(draft.read_text(encoding="utf-8")), **fill}
    site, page = build_draft(build_site, draft, caplog, **fill)
    assert page.select_one("article.post h1").get_text(strip=True) == meta["Title"]
    body = page.select_one(".post-body")
    assert body.find("p").get_text() == COMMENTARY
    quote = body.find("blockquote")
    link = meta.get("Original_url") or meta["Original_site_url"]
    assert quote["cite"] == link
    assert (
        quote.find("p").get_text().split()[:3]
        == quoted_paragraphs(draft.read_text(encoding="utf-8"))[0].replace("*", "").split()[:3]
    )
    read_rest = body.find(
        "a", string=f"Read the rest of the article over at {meta['Original_site']}"
    )
    if "Original_url" in front_matter(draft.read_text(encoding="utf-8")):
        assert read_rest["href"] == link
    credit = page.select_one("aside.credit")
    assert meta["Original_author"] in credit.get_text()
    assert credit.select_one("a.read-original")["href"] == link
    entries = feedparser.parse(site.text("feeds/all.atom.xml")).entries
    assert meta["Title"] in [entry.title for entry in entries]


def test_an_untouched_draft_stays_out_of_the_site(build_site, tmp_path):
    draft = only_draft(tmp_path, FIXTURES / "jsonld.html")
    site = build_site(posts={f"2026/{draft.name}": draft.read_text(encoding="utf-8")})
    slug = front_matter(draft.read_text(encoding="utf-8"))["Slug"]
    assert not site.path(f"2026/11/{slug}/index.html").exists()
    assert site.path(f"drafts/{slug}.html").exists()
    assert "second read" not in site.text("index.html")
    assert "second read" not in site.text("feeds/all.atom.xml")


def test_text_and_links_from_the_original_cannot_run_in_our_page(build_site, tmp_path, caplog):
    draft = only_draft(tmp_path, FIXTURES / "opengraph.html")
    _, page = build_draft(build_site, draft, caplog)
    quote = page.select_one(".post-body blockquote")
    assert quote.find("script") is None
    assert not [a for a in quote.find_all("a") if not a["href"].startswith("https://")]
    assert "with <script> tags & all: <script>alert(" in quote.get_text()
    assert quote.find("a", string="our piece on delegation")["href"] == (
        "https://patient-manager.example/archive/delegation"
    )


def test_a_title_with_a_line_break_and_colons_stays_one_field(
    build_site, tmp_path, caplog, remote_blog
):
    # JSON-LD escapes "<" so that "</script>" cannot end its own element.
    headline = "Draft: yes\\nStatus: published\\n\\u003cscript>alert(1)\\u003c/script>"
    page = (
        '<html><head><script type="application/ld+json">{"@type": "Article", "headline": "'
        + headline
        + '", "author": {"name": "Eve\\nSlug: owned"}}</script></head>'
        "<body><article><p>Some words worth quoting here.</p></article></body></html>"
    )
    remote_blog.route("/tricky", lambda path: (200, {"Content-Type": "text/html"}, page.encode()))
    draft = only_draft(tmp_path, remote_blog.url("/tricky"))
    meta = front_matter(draft.read_text(encoding="utf-8"))
    title = "Draft: yes Status: published <script>alert(1)</script>"
    assert meta["Title"] == title
    assert meta["Status"] == "draft"
    assert meta["Original_author"] == "Eve Slug: owned"
    settings = read_settings(str(SITES / "publishconf.py"))
    assert meta["Slug"] == slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    _, built = build_draft(build_site, draft, caplog)
    assert built.select_one("article.post h1").get_text() == title
    assert built.select_one("article.post h1 script") is None


def test_an_existing_post_is_never_overwritten(tmp_path, capsys):
    draft = only_draft(tmp_path, FIXTURES / "jsonld.html")
    draft.write_text("My edited draft.\n", encoding="utf-8")
    code, drafts = repost(tmp_path, FIXTURES / "jsonld.html")
    assert code == 1
    assert drafts == [draft]
    assert draft.read_text(encoding="utf-8") == "My edited draft.\n"
    assert "already exists" in capsys.readouterr().err
    assert only_draft(tmp_path / "other", FIXTURES / "jsonld.html", "--slug", "again").name == (
        "again.md"
    )


def test_via_is_written_only_when_given(tmp_path):
    text = only_draft(
        tmp_path, FIXTURES / "jsonld.html", "--via", "Viigo", "--via-url", "http://getviigo.com"
    ).read_text(encoding="utf-8")
    assert front_matter(text)["Via"] == "Viigo"
    assert front_matter(text)["Via_url"] == "http://getviigo.com"
    plain = only_draft(tmp_path / "plain", FIXTURES / "jsonld.html").read_text(encoding="utf-8")
    assert "Via" not in front_matter(plain)


def test_make_repost_writes_into_the_content_folder_and_has_help(tmp_path):
    env = {**os.environ, "PYTHON": sys.executable}
    source = f"SOURCE={FIXTURES / 'feed.xml'}"
    done = subprocess.run(
        [
            "make",
            "-s",
            "repost",
            source,
            "MATCH=handbook",
            f"INPUTDIR={tmp_path}",
            *FIXTURE_SETTINGS,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = tmp_path / "posts" / done.stdout.splitlines()[0].split("/posts/", 1)[1]
    assert written.is_file()
    assert front_matter(written.read_text(encoding="utf-8"))["Title"] == "The one-page handbook"
    helped = subprocess.run(
        [str(Path(sys.executable).with_name("reblog-repost")), "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    for option in ("--item", "--match", "--words", "--timeout"):
        assert option in helped.stdout


def make_repost(content, *variables):
    """`make -s repost` with `variables` (SOURCE=..., SLUG=...) into the folder `content`."""
    return run_make("repost", *variables, f"INPUTDIR={content}")


def test_every_option_of_make_repost_is_a_make_variable(tmp_path):
    source = f"SOURCE={FIXTURES / 'jsonld.html'}"
    done = make_repost(
        tmp_path, source, "SLUG=my-own", "DATE=2026-11-26", "VIA=Newsboat", "ARGS=--category Shared"
    )
    assert done.returncode == 0, done.stderr
    draft = tmp_path / "posts" / "2026" / "my-own.md"
    text = draft.read_text(encoding="utf-8")
    meta = front_matter(text)
    assert (meta["Slug"], meta["Date"], meta["Via"]) == ("my-own", "2026-11-26 00:00", "Newsboat")
    assert meta["Category"] == "Shared"  # through ARGS
    # Refusals name the option in the form the blogger typed it: SLUG=, never --slug.
    same_file = make_repost(tmp_path, source, "SLUG=my-own", "DATE=2026-11-26")
    assert same_file.returncode != 0  # make's own status: 2
    assert "already exists; not overwriting it (try SLUG=…)" in same_file.stderr
    same_slug = make_repost(tmp_path, source, "SLUG=my-own", "DATE=2020-01-01")
    assert same_slug.returncode != 0  # make's own status: 2
    assert "already has the slug 'my-own'; choose another with SLUG=…" in same_slug.stderr
    bad = make_repost(tmp_path, source, "WORDS=many")
    assert bad.returncode != 0
    assert "argument WORDS=: invalid int value: 'many'" in bad.stderr
    assert draft.read_text(encoding="utf-8") == text
    assert sorted(tmp_path.rglob("*.md")) == [draft]


def test_run_directly_the_messages_name_the_options(tmp_path, capsys):
    only_draft(tmp_path, FIXTURES / "jsonld.html", "--slug", "mine")
    code, _ = repost(tmp_path, FIXTURES / "jsonld.html", "--slug", "mine")
    assert code == 1
    assert "(try --slug)" in capsys.readouterr().err


def test_the_docs_give_every_make_variable_of_make_repost():
    docs = (ROOT / "docs" / "reposting.md").read_text(encoding="utf-8")
    rows = [line for line in docs.split("## Options", 1)[1].splitlines() if line[:1] == "|"]
    for option, variable in MAKE_VARIABLES.variables.items():
        row = next(line for line in rows if f"`{option}" in line)
        assert f"`{variable}=" in row, (option, variable)


def test_the_repost_setting_changes_the_defaults(tmp_path):
    settings = tmp_path / "mysettings.py"
    settings.write_text(
        f"PATH = {str(NETWORKING_CONTENT)!r}\nAUTHOR = 'RLW'\n"
        'REPOST = {"EXCERPT_WORDS": 30, "CATEGORY": "Shared"}\n',
        encoding="utf-8",
    )
    text = only_draft(tmp_path, FIXTURES / "bare.html", "--settings", str(settings)).read_text()
    assert front_matter(text)["Category"] == "Shared"
    assert len(quoted_paragraphs(text)) == 1  # 27 words: the boundary nearest to 30
    text = only_draft(tmp_path / "again", FIXTURES / "bare.html", "--words", "60").read_text()
    assert len(quoted_paragraphs(text)) == 2


def test_a_page_without_a_title_takes_one_from_the_command(tmp_path, capsys, remote_blog):
    page = b"<html><body><p>Words without a name, but worth it.</p></body></html>"
    remote_blog.route("/untitled", lambda path: (200, {"Content-Type": "text/html"}, page))
    code, drafts = repost(tmp_path, remote_blog.url("/untitled"))
    assert (code, drafts) == (1, [])
    assert "has no title; give one with --title" in capsys.readouterr().err
    text = only_draft(tmp_path, remote_blog.url("/untitled"), "--title", "Nameless").read_text()
    assert front_matter(text)["Title"] == "Nameless"
    assert front_matter(text)["Slug"] == "nameless"


@pytest.mark.parametrize("charset", ["iso-8859-1", "no-such-charset"])
def test_the_page_s_declared_charset_is_honoured(tmp_path, remote_blog, charset):
    page = "<title>Café notes</title><p>Crème brûlée, déjà vu.</p>".encode("iso-8859-1")
    headers = {"Content-Type": f"text/html; charset={charset}"}
    remote_blog.route("/latin", lambda path: (200, headers, page))
    text = only_draft(tmp_path, remote_blog.url("/latin")).read_text(encoding="utf-8")
    assert front_matter(text)["Title"] == "Café notes"
    assert quoted_paragraphs(text) == ["Crème brûlée, déjà vu."]


def test_behind_a_proxy_the_proxy_is_asked_for_the_page(tmp_path, remote_blog, monkeypatch):
    # A name only the proxy can reach: the command must not try to resolve it itself.
    article = "http://far-away-blog.invalid/2026/quiet-notes"
    page = (FIXTURES / "bare.html").read_bytes()
    remote_blog.route(article, lambda path: (200, {"Content-Type": "text/html"}, page))
    monkeypatch.setenv("http_proxy", remote_blog.url(""))
    text = only_draft(tmp_path, article).read_text()
    assert [request["path"] for request in remote_blog.requests] == [article]
    assert remote_blog.requests[0]["headers"]["Host"] == "far-away-blog.invalid"
    assert front_matter(text)["Original_url"] == article


def test_an_https_page_is_tunnelled_through_the_proxy(tmp_path, remote_blog, monkeypatch, capsys):
    monkeypatch.setenv("https_proxy", remote_blog.url(""))
    code, drafts = repost(tmp_path, "https://far-away-blog.invalid/post")
    assert code == 1
    assert drafts == []
    assert [(r["method"], r["path"]) for r in remote_blog.requests] == [
        ("CONNECT", "far-away-blog.invalid:443")
    ]
    assert "403" in capsys.readouterr().err  # the proxy's refusal, passed on


def test_no_proxy_hosts_are_fetched_directly(tmp_path, remote_blog, monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # nothing listens: must not be used
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    only_draft(tmp_path, remote_blog.url("/repost/opengraph.html"))
    assert len(remote_blog.requests) == 1
