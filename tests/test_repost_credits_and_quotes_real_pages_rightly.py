"""Issue 15, docs/reposting.md "What the draft is made of": on the pages people actually read,
`make repost` credits the person who wrote the article under its own headline, and quotes
the article from its first paragraph of prose: never navigation, a byline, a caption, a
teaser, player controls or text the reader never saw. One small page per way real pages
went wrong (tests/fixtures/repost/real/)."""

import pytest
from repostdrafts import FIXTURES, front_matter, not_found, only_draft, quoted_paragraphs

REAL = FIXTURES / "real"
TITLE = "Council keeps the night buses"
OPENING = "The night buses kept running through the winter"


@pytest.mark.parametrize(
    ("page", "author", "source"),
    [
        ("cdata-json-ld.html", "Hana Kobayashi", "JSON-LD"),
        ("byline-markup.html", "Tomás Herrera", "byline"),
        ("meta-byl.html", "Ruth Okonjo", "meta byl"),
        ("meta-article-author.html", "Pieter de Vries", "meta article:author"),
        ("meta-dc-creator.html", "Ingrid Solberg", "meta dc.creator"),
        ("meta-parsely-author.html", "Kwame Asante", "meta parsely-author"),
        ("meta-og-article-author.html", "Lucía Romero", "meta og:article:author"),
        ("rel-author-headshot.html", "Li Wei", "rel=author link"),
        ("blogger-widget-blog.html", "Ama Mensah", "byline"),
        # A placeholder (FAIL), a user name, a button's word and the blog's own name are
        # refused; the person's name the page shows wins.
        ("placeholder-bylines.html", "Marta Kline", "byline"),
    ],
)
def test_the_author_is_found_wherever_the_page_names_them(tmp_path, capsys, page, author, source):
    text = only_draft(tmp_path, REAL / page).read_text(encoding="utf-8")
    assert front_matter(text)["Original_author"] == author
    assert f"{author}  ({source})" in capsys.readouterr().out
    assert quoted_paragraphs(text)[0].startswith(OPENING)


def test_a_page_with_only_placeholder_bylines_is_left_for_the_blogger(tmp_path, capsys):
    text = only_draft(tmp_path, REAL / "placeholder-bylines-only.html").read_text("utf-8")
    assert "Original_author" not in front_matter(text)
    assert "Original_author" in not_found(capsys.readouterr().out)
    assert front_matter(text)["Original_site"] == "Quiet Notes"


@pytest.mark.parametrize(
    ("page", "title", "site"),
    [
        # The social title is written for sharing; the page's own headline is the article's.
        ("og-title-and-headline.html", TITLE, "The Evening Ledger"),
        ("site-suffix-in-title.html", "Pražské tramvaje dostanou nový jízdní řád", "Aktuálně.cz"),
        ("site-prefix-in-title.html", "Pražské tramvaje dostanou nový jízdní řád", "Aktuálně.cz"),
        ("blogger-widget-blog.html", TITLE, "Quiet Notes"),
    ],
)
def test_the_title_is_the_headline_without_the_site_s_name(tmp_path, page, title, site):
    meta = front_matter(only_draft(tmp_path, REAL / page).read_text(encoding="utf-8"))
    assert (meta["Title"], meta["Original_title"], meta["Original_site"]) == (title, title, site)


@pytest.mark.parametrize(
    ("page", "never_quoted"),
    [
        # Its post sits in <div class="widget Blog">: a name is no reason to drop text.
        ("blogger-widget-blog.html", ["Posted by", "Sponsored", "travel mugs"]),
        ("wikipedia-navigation.html", ["From Wikipedia", "Jump to"]),
        ("table-of-contents.html", ["Contents", "Who rides at night"]),
        ("player-controls-and-captions.html", ["1 of 24", "Full Screen", "Skip Ad", "Photo:"]),
        ("related-story-teaser.html", ["Trams", "tram company"]),
        ("repeated-title.html", [TITLE]),
        ("hidden-text.html", ["Invisible", "Display none", "Hidden attribute", "Aria hidden"]),
        ("byline-markup.html", ["Tomás", "March 3"]),
    ],
)
def test_the_excerpt_opens_on_the_article_s_first_paragraph(
    tmp_path, remote_blog, page, never_quoted
):
    # Served as a fetched page would be: same reading as a saved one, the address its own.
    url = remote_blog.url(f"/repost/real/{page}")
    text = only_draft(tmp_path, url).read_text(encoding="utf-8")
    quote = quoted_paragraphs(text)
    assert quote[0].startswith(OPENING)
    assert len(quote) == 3  # the article's three paragraphs, all of them, nothing else
    joined = "\n".join(quote)
    assert [words for words in never_quoted if words in joined] == []
    assert front_matter(text)["Original_url"] == url
