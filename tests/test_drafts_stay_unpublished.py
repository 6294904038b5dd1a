"""README: a post with `Status: draft` never reaches the index, feeds, archives, sitemap or
any listing; Pelican builds it only as a preview under drafts/, marked noindex."""

import pytest

DRAFT = """Title: Half-written draft zebra
Date: 2021-07-01
Slug: half-written-draft
Category: Uncategorized
Tags: networking
Status: draft

Not ready yet.
"""


# The writing build has no sitemap; the production build (publishconf.py) has one.
@pytest.mark.parametrize("config", ["pelicanconf.py", "publishconf.py"])
def test_draft_is_in_no_listing_feed_or_sitemap(build_site, config):
    site = build_site(posts={"draft.md": DRAFT}, config=config)
    checked = []
    for path in sorted(site.output.rglob("*")):
        relative = path.relative_to(site.output).as_posix()
        if path.suffix not in (".html", ".xml", ".txt") or relative.startswith("drafts/"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "Half-written draft zebra" not in text, relative
        assert "half-written-draft" not in text, relative
        checked.append(relative)
    for listing in (
        "index.html",
        "archives/index.html",
        "category/uncategorized/index.html",
        "tag/networking/index.html",
        "author/rlw/index.html",
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "feeds/category/uncategorized.atom.xml",
    ):
        assert listing in checked
    if config == "publishconf.py":
        assert "sitemap.xml" in checked
    assert not list(site.output.glob("2021/07/*"))


def test_draft_preview_is_not_indexed(build_site):
    site = build_site(posts={"draft.md": DRAFT})
    page = site.html("drafts/half-written-draft.html")
    assert page.h1.get_text() == "Half-written draft zebra"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_draft_and_hidden_posts_invite_no_pings_the_receiver_would_refuse(build_site):
    hidden = DRAFT.replace("Status: draft", "Status: hidden").replace("half-written", "unlisted")
    site = build_site(posts={"draft.md": DRAFT, "hidden.md": hidden})
    for page in ("drafts/half-written-draft.html", "2021/07/unlisted-draft/index.html"):
        text = site.text(page)
        assert "Trackback URI" not in text, page
        assert "trackback:ping" not in text, page
        assert 'rel="webmention"' not in text, page
        assert 'rel="pingback"' not in text, page
    published = site.text("2007/12/networking-myth-versus-truth/index.html")
    assert "Trackback URI" in published  # the same build still invites pings to a live post
    assert "trackback:ping" in published
    assert 'rel="webmention"' in published
    assert 'rel="pingback"' in published
