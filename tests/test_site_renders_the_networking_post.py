"""README: `make html` renders the networking repost with every part of the 2007 original."""

from conftest import NETWORKING_POST


def test_article_page_shows_date_author_and_category(site):
    page = site.html(NETWORKING_POST)
    time = page.select_one("article.post header time")
    assert time["datetime"].startswith("2007-12-04")
    assert page.select_one("article.post .p-author").get_text() == "RLW"
    filed_under = page.select_one(".post-footer a[rel=tag]")
    assert filed_under.get_text() == "Uncategorized"
    assert [a.get_text() for a in page.select(".post-footer a[rel=tag]")][1:] == [
        "networking",
        "careers",
    ]


def test_commentary_comes_before_the_quoted_excerpt(site):
    body = site.html(NETWORKING_POST).select_one(".post-body")
    first = body.find(True)
    assert first.name == "p"
    assert "worth a really thorough read. RLW" in first.get_text()
    quote = body.find("blockquote")
    assert quote["cite"] == "http://blog.emergenceconsulting.net/"
    assert quote.get_text().strip().startswith("A post on networking may seem")
    assert "Phase One" in quote.get_text()
    assert "worth a really thorough read" not in quote.get_text()


def test_myth_truth_pairs_stay_pairs(site):
    quote = site.html(NETWORKING_POST).select_one(".post-body blockquote")
    terms = quote.select("dl > dt")
    assert len(terms) == 4
    for term in terms:
        truth = term.find_next_sibling()
        assert term.get_text().startswith("Myth:")
        assert truth.name == "dd"
        assert truth.get_text().startswith("Truth:")
    assert "selfless back scratching" in terms[0].find_next_sibling("dd").get_text()


def test_credit_names_author_and_links_source_blog(site):
    page = site.html(NETWORKING_POST)
    credit = page.select_one("aside.credit")
    assert "Cheri Baker" in credit.get_text()
    blog = credit.find("a", string="The Enlightened Manager Blog")
    assert blog["href"] == "http://blog.emergenceconsulting.net/"
    assert credit.select_one("a.read-original")["href"] == "http://blog.emergenceconsulting.net/"


ARTICLE_KNOWN = """Title: A repost whose article address is known
Date: 2021-02-03
Category: Notes
Original_author: Ada Writer
Original_site: Ada's notebook
Original_site_url: https://ada.example/
Original_url: https://ada.example/2021/the-article/

> Quoted words.
"""


def test_credit_calls_only_an_article_address_the_whole_article(build_site):
    site = build_site(posts={"known.md": ARTICLE_KNOWN})
    known = site.html("2021/02/a-repost-whose-article-address-is-known/index.html")
    link = known.select_one("aside.credit a.read-original")
    assert (link.get_text(), link["href"]) == (
        "Read the whole article there",
        "https://ada.example/2021/the-article/",
    )
    # The networking post's article address is unknown: its credit links the blog by name.
    blog_only = site.html(NETWORKING_POST).select_one("aside.credit")
    assert "whole article" not in blog_only.get_text()
    link = blog_only.select_one("a.read-original")
    assert (link.get_text(), link["href"]) == (
        "Read more at The Enlightened Manager Blog",
        "http://blog.emergenceconsulting.net/",
    )


NO_CATEGORY = """Title: A post filed nowhere
Date: 2026-11-20

Written in content/posts/2026/, with no Category line.
"""


def test_a_post_without_category_is_uncategorized_never_its_folder(build_site):
    site = build_site(posts={"2026/filed-nowhere.md": NO_CATEGORY})
    page = site.html("2026/11/a-post-filed-nowhere/index.html")
    assert page.select_one(".post-meta .p-category").get_text() == "Uncategorized"
    assert not site.path("category/2026").exists()
    assert not site.path("feeds/category/2026.rss.xml").exists()
    assert "<category>2026</category>" not in site.text("feeds/all.rss.xml")


def test_read_the_rest_link_points_at_the_source(site):
    page = site.html(NETWORKING_POST)
    link = page.find("a", string="Read the rest of the article over at The Enlightened Manager")
    assert link["href"] == "http://blog.emergenceconsulting.net/"


def test_viigo_is_credited_as_the_reader_it_was_sent_from(site):
    via = site.html(NETWORKING_POST).select_one("aside.credit .via")
    assert "Sent using" in via.get_text()
    assert via.find("a", string="Viigo")["href"] == "http://getviigo.com"


def test_trackback_uri_is_shown(site):
    uri = site.html(NETWORKING_POST).select_one(".trackback-uri")
    assert uri.get_text() == "http://localhost:8001/trackback/networking-myth-versus-truth"


def test_every_page_advertises_the_feeds(site):
    for page_file in site.html_files():
        head = site.html(page_file.relative_to(site.output)).head
        types = {link["type"] for link in head.select("link[rel=alternate]")}
        assert {"application/rss+xml", "application/atom+xml"} <= types, page_file


def test_post_is_listed_on_index_archives_category_and_tag_pages(site):
    for listing in [
        "index.html",
        "archives/index.html",
        "category/uncategorized/index.html",
        "tag/networking/index.html",
        "author/rlw/index.html",
    ]:
        titles = [a.get_text() for a in site.html(listing).select("main a")]
        assert "Networking: myth versus truth" in titles, listing


def test_about_and_404_pages_exist(site):
    assert site.html("about/index.html").h1.get_text() == "About"
    assert site.html("404.html").h1.get_text() == "Page not found"


def test_only_the_404_page_asks_search_engines_not_to_index_it(site):
    assert site.html("404.html").select_one("meta[name=robots]")["content"] == "noindex"
    assert site.html("about/index.html").select_one("meta[name=robots]") is None


def test_pages_use_semantic_landmarks_and_one_h1(site):
    for page_file in site.html_files():
        page = site.html(page_file.relative_to(site.output))
        assert page.html["lang"] == "en"
        for landmark in ("header", "nav", "main", "footer"):
            assert page.find(landmark), (page_file, landmark)
        assert len(page.find_all("h1")) == 1, page_file


def test_the_menu_marks_the_page_you_are_on(site):
    # Each page of the menu names itself as the current one, and no other page does.
    current = {
        "index.html": "/",
        "archives/index.html": "/archives/",
        "categories/index.html": "/categories/",
        "about/index.html": "/about/",
        "subscribe/index.html": "/subscribe/",
        NETWORKING_POST: None,
        "tag/networking/index.html": None,
    }
    for page, href in current.items():
        marked = site.html(page).select('nav[aria-label="Site"] [aria-current="page"]')
        assert [link["href"] for link in marked] == ([href] if href else []), page
