"""docs/feeds.md "What readers get": every feed item is made of the few elements every
reader renders, and what a reader would garble (definition lists, figures, wide tables,
embedded players, huge images) is rewritten into them, nothing lost."""

import pytest
from bs4 import BeautifulSoup
from conftest import NETWORKING_CONTENT, build_into
from feedtools import json_feed, parsed

from reblog.feeds.content import clean_html
from reblog.feeds.smallreader import ATTRIBUTES, Profile
from reblog.settings import FEED_ELEMENTS

POST = "Pasted from everywhere"
# The networking post's myths and truths are a definition list: read in this site too.
MYTHS = NETWORKING_CONTENT / "posts" / "2007" / "networking-myth-versus-truth.md"
FEEDS = ["feeds/all.rss.xml", "feeds/all.atom.xml", "feeds/category/reading.rss.xml"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    posts = {"2007/networking-myth-versus-truth.md": MYTHS.read_text(encoding="utf-8")}
    return build_into(tmp_path_factory.mktemp("smallreader"), posts, fixture="smallreader")


@pytest.fixture(scope="module")
def content(site):
    """The post's content_html in the JSON Feed, parsed."""
    (item,) = [i for i in json_feed(site, "feeds/all.json")["items"] if i["title"] == POST]
    return BeautifulSoup(item["content_html"], "html.parser")


def paragraphs(soup):
    return [" ".join(p.get_text().split()) for p in soup.find_all("p")]


def every_html(site):
    """Each HTML text of every item of every feed: RSS and Atom content and summary, JSON."""
    for feed in FEEDS:
        for entry in parsed(site, feed).entries:
            yield feed, entry.summary
            yield feed, entry.content[0].value
    for item in json_feed(site, "feeds/all.json")["items"]:
        yield "feeds/all.json", item["content_html"]


def test_items_keep_only_the_allowed_elements_and_attributes(site):
    for feed, html in every_html(site):
        for tag in BeautifulSoup(html, "html.parser").find_all(True):
            assert tag.name in FEED_ELEMENTS, (feed, str(tag))
            assert set(tag.attrs) <= set(ATTRIBUTES.get(tag.name, ())), (feed, str(tag))
        assert "<!--" not in html


def test_a_definition_list_becomes_labelled_paragraphs(content):
    shown = paragraphs(content)
    myth = shown.index("Myth: Networking is collecting business cards.")
    assert shown[myth + 1] == "Truth: Networking is meeting people you can help."
    labels = [p.strong.get_text() for p in content.find_all("p")[myth : myth + 2]]
    assert labels == ["Myth:", "Truth:"]
    # A plain term is put in bold, its definition on the next line of the same paragraph.
    (pair,) = [p for p in content.find_all("p") if "Elevator speech" in p.get_text()]
    assert str(pair) == (
        "<p><strong>Elevator speech</strong><br/>A thirty-second summary of what you do.</p>"
    )


def test_figures_show_the_image_then_its_caption_in_its_own_paragraph(content):
    for alt, caption in [
        ("The harbour at dawn", "The harbour at Fairhaven, at dawn."),
        ("A lighthouse in fog", "The lighthouse, from the pier."),
    ]:
        image = content.find("img", alt=alt)
        assert image.parent.name == "p"
        assert image.parent.get_text(strip=True) == ""
        following = image.parent.find_next_sibling("p")
        assert following.contents[0].name == "em"
        assert " ".join(following.get_text().split()) == caption
    assert content.find("a", href="https://harbour.example.org/").get_text() == "Fairhaven"


def test_images_are_absolute_sized_to_fit_and_without_srcset(content):
    harbour = content.find("img", alt="The harbour at dawn")
    # The file is 4000 × 3000: scaled to FEED_IMAGE_MAX_WIDTH, its ratio kept.
    assert harbour.attrs == {
        "src": "http://localhost:8000/images/harbour.png",
        "alt": "The harbour at dawn",
        "width": "600",
        "height": "450",
    }
    remote = content.find("img", alt="A lighthouse in fog")
    assert (remote["src"], remote["width"], remote["height"]) == (
        "https://photos.example.com/lighthouse.jpg",
        "300",
        "200",
    )


def test_a_small_table_stays_a_bare_table_and_a_wide_one_becomes_rows(content):
    (table,) = content.find_all("table")
    assert [[c.get_text() for c in row.find_all(["th", "td"])] for row in table.find_all("tr")] == [
        ["Day", "Talk"],
        ["Monday", "Networking without cards"],
        ["Tuesday", "Reading before reposting"],
    ]
    assert not table.find(["thead", "tbody"])
    rows = [" ".join(p.get_text(" ").split()) for p in content.find_all("p")]
    rows = [row for row in rows if row.startswith("Speaker:")]
    assert rows == [
        (
            "Speaker: Cheri Baker Session: Networking without cards Room: Ballroom A "
            "Time: 09:00 Slides: slides"
        ),
        "Speaker: RLW Session: Reading before reposting Room: Ballroom B Time: 10:00",
    ]
    assert content.find("a", href="https://slides.example.com/cheri").get_text() == "slides"


def test_embedded_players_become_links_to_what_they_play(content):
    shown = paragraphs(content)
    youtube = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s"
    assert f"Video “The keynote”: {youtube}" in shown
    assert content.find("a", href=youtube).get_text() == youtube
    assert "Video: https://videos.example.com/keynote.mp4" in shown
    assert "Your browser cannot play" not in content.get_text()


def test_other_elements_are_unwrapped_or_renamed_with_their_text_kept(content):
    assert "A note in a styled box, with RSS in it." in paragraphs(content)
    assert content.find("h2").get_text() == "A first-level heading"
    assert content.find("code").get_text() == "Ctrl"


def test_the_networking_posts_myths_and_truths_are_labelled_paragraphs(site):
    feed = json_feed(site, "feeds/all.json")
    (item,) = [i for i in feed["items"] if i["title"] == "Networking: myth versus truth"]
    soup = BeautifulSoup(item["content_html"], "html.parser")
    labelled = [p.strong.get_text() for p in soup.find_all("p") if p.strong]
    assert labelled[:8] == ["Myth:", "Truth:"] * 4
    assert not soup.find(["dl", "dt", "dd"])


def test_feed_small_reader_off_keeps_the_posts_html(tmp_path):
    site = build_into(tmp_path, fixture="smallreader", settings={"FEED_SMALL_READER": False})
    (item,) = [i for i in json_feed(site, "feeds/all.json")["items"] if i["title"] == POST]
    soup = BeautifulSoup(item["content_html"], "html.parser")
    assert soup.find("dl")
    assert soup.find("figure")
    assert soup.find("img", srcset=True)
    assert not soup.find(["iframe", "script"])  # still safe


def test_without_table_in_feed_elements_every_table_becomes_paragraphs():
    profile = Profile(
        elements=frozenset(FEED_ELEMENTS) - {"table", "tr", "th", "td"},
        table_max_columns=3,
        image_max_width=600,
    )
    html = "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td></td></tr></table>"
    assert clean_html(html, "http://x.example/", profile) == "<p>a · b</p>\n<p>c</p>\n"


def test_unsafe_embeds_are_still_removed():
    profile = Profile(frozenset(FEED_ELEMENTS), 3, 600)
    html = '<p>Before</p><iframe src="javascript:alert(1)"></iframe><embed src=" data:x">'
    assert clean_html(html, "http://x.example/", profile) == "<p>Before</p>"
