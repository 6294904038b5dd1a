"""docs/feeds.md "A weight budget": no feed file weighs more than FEED_MAX_BYTES; the largest
posts are sent as summary, credit and a link to the post, the newest kept whole first."""

import json
import logging

import feedparser
import pytest
from conftest import build_into
from feedtools import NS, SITE, json_feed, parsed, text_of, tree

BUDGET = 200 * 1024
BIG_URL = f"{SITE}/2020/01/a-two-megabyte-post/"
BIG = "Title: A two megabyte post\nDate: 2020-01-03\nCategory: Big\n\n" + "\n\n".join(
    f"Paragraph {n} " + "word " * 200 for n in range(2100)
)
SMALL = "Title: A small post after it\nDate: 2020-02-01\nCategory: Big\n\nShort and whole.\n"


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    """Built once: a 2 MB post, a small newer one and the networking repost."""
    records = Records()
    logging.getLogger().addHandler(records)
    try:
        site = build_into(tmp_path_factory.mktemp("budget"), {"big.md": BIG, "small.md": SMALL})
    finally:
        logging.getLogger().removeHandler(records)
    site.warnings = records.messages
    return site


def test_every_feed_file_is_within_the_budget_and_valid(big_site):
    assert len(BIG) > 2_000_000
    feeds = sorted(big_site.output.joinpath("feeds").rglob("*.*"))
    assert len(feeds) == 9  # all, Big and Uncategorized; RSS, Atom and JSON
    for feed in feeds:
        assert feed.stat().st_size <= BUDGET, feed
        if feed.suffix == ".json":
            json.loads(feed.read_bytes())
        else:
            assert feedparser.parse(feed.read_bytes()).bozo == 0, feed


def test_the_big_post_links_to_the_whole_post_in_every_format(big_site):
    for relative in ("feeds/all.rss.xml", "feeds/all.atom.xml", "feeds/category/big.rss.xml"):
        entries = {e.title: e for e in parsed(big_site, relative).entries}
        big = entries["A two megabyte post"]
        assert text_of(big.summary).startswith("Paragraph 0 word")
        content = big.content[0].value
        assert 'href="' + BIG_URL + '">Read the whole post</a>' in content, relative
        assert "Paragraph 2099" not in content
        assert "Short and whole." in entries["A small post after it"].content[0].value
    items = {i["title"]: i for i in json_feed(big_site, "feeds/all.json")["items"]}
    assert (
        f'<a href="{BIG_URL}">Read the whole post</a>'
        in items["A two megabyte post"]["content_html"]
    )
    assert "Phase One" in items["Networking: myth versus truth"]["content_html"]


def test_one_warning_names_the_shortened_post_once_per_build(big_site):
    named = [m for m in big_site.warnings if "FEED_MAX_BYTES" in m]
    assert len(named) == 1, big_site.warnings
    assert "posts/big.md" in named[0]


def _post(title, date, kilobytes):
    return f"Title: {title}\nDate: {date}\nCategory: Notes\n\n" + "word " * (kilobytes * 205)


def test_largest_first_then_the_oldest_until_the_feed_fits(build_site):
    posts = {
        "a.md": _post("A newest", "2021-04-01", 40),
        "b.md": _post("B largest", "2021-03-01", 50),
        "c.md": _post("C", "2021-02-01", 40),
        "d.md": _post("D oldest of equals", "2021-01-01", 40),
    }
    site = build_site(posts=posts, settings={"FEED_MAX_BYTES": 125_000})
    for relative in ("feeds/all.rss.xml", "feeds/all.atom.xml", "feeds/all.json"):
        assert site.path(relative).stat().st_size <= 125_000, relative
    shortened = {"B largest", "D oldest of equals"}
    for relative in ("feeds/all.rss.xml", "feeds/all.atom.xml"):
        for entry in parsed(site, relative).entries:
            short = "Read the whole post" in entry.content[0].value
            assert short == (entry.title in shortened), (relative, entry.title)
    for item in json_feed(site, "feeds/all.json")["items"]:
        assert ("Read the whole post" in item["content_html"]) == (item["title"] in shortened)


def test_no_budget_sends_every_post_whole(build_site):
    posts = {"a.md": _post("A long post", "2021-04-01", 300)}
    site = build_site(posts=posts, settings={"FEED_MAX_BYTES": None})
    root = tree(site, "feeds/all.rss.xml")
    content = root.xpath("channel/item[title='A long post']/content:encoded/text()", namespaces=NS)
    assert len(content[0]) > 300 * 1024
    assert "Read the whole post" not in content[0]
