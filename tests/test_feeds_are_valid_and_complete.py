"""README "Feeds": RSS 2.0, Atom 1.0 and JSON Feed 1.1 for all posts and each category."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from conftest import NETWORKING_POST
from feedtools import NS, SITE, json_feed, parsed, rss_date, text_of, tree

NETWORKING = f"{SITE}/{NETWORKING_POST.removesuffix('index.html')}"
SOURCE_FEED = "http://feeds.feedburner.com/TheEnlightenedManager"
NEWER = """Title: A newer post of my own
Date: 2021-06-15 08:30
Category: Notes
Tags: feeds
Summary: Why the feeds carry a summary and the whole post.

See [the about page]({filename}/pages/about.md), [a sibling](../../other/) and
![A chart](chart.png "chart").
"""
NEWEST = """Title: The newest post
Date: 2022-01-10 17:45
Modified: 2022-02-01 09:00
Category: Notes

Newest text.
"""
REPOST_WITHOUT_FEED = """Title: A repost whose source has no known feed
Date: 2019-03-01
Category: Reposts
Original_author: Ada
Original_site: Ada's notebook
Original_site_url: https://ada.example/

> Quoted words.
"""
DRAFT = """Title: A draft
Date: 2023-01-01
Status: draft

Not yet.
"""
POSTS = {
    "2021/newer.md": NEWER,
    "2022/newest.md": NEWEST,
    "2019/repost.md": REPOST_WITHOUT_FEED,
    "2023/draft.md": DRAFT,
}
ORDER = [
    "The newest post",
    "A newer post of my own",
    "A repost whose source has no known feed",
    "Networking: myth versus truth",
]


@pytest.fixture
def feeds_site(build_site):
    return build_site(posts=POSTS)


def test_rss_is_valid_newest_first_with_zoned_dates(feeds_site):
    feed = parsed(feeds_site, "feeds/all.rss.xml")
    assert feed.version == "rss20"
    assert [entry.title for entry in feed.entries] == ORDER
    items = tree(feeds_site, "feeds/all.rss.xml").findall("channel/item")
    dates = [rss_date(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True)
    newest = datetime(2022, 1, 10, 17, 45, tzinfo=ZoneInfo("America/New_York"))
    assert dates[0] == newest
    assert dates[0].utcoffset() == newest.utcoffset()  # the site's zone, not UTC


def test_rss_items_carry_links_summary_content_author_categories(feeds_site):
    root = tree(feeds_site, "feeds/all.rss.xml")
    networking = root.xpath("channel/item[title='Networking: myth versus truth']")[0]
    assert networking.findtext("link") == NETWORKING
    guid = networking.find("guid")
    assert guid.text == NETWORKING
    assert guid.get("isPermaLink") == "true"
    assert networking.findtext("comments") == NETWORKING
    summary = networking.findtext("description")
    assert "not collecting business cards" in summary
    assert "Phase One" not in summary
    content = networking.xpath("content:encoded/text()", namespaces=NS)[0]
    assert "Phase One" in content
    assert networking.xpath("dc:creator/text()", namespaces=NS) == ["RLW"]
    assert [c.text for c in networking.findall("category")] == [
        "Uncategorized",
        "networking",
        "careers",
    ]
    entry = parsed(feeds_site, "feeds/all.rss.xml").entries[-1]
    assert entry.author == "RLW"
    assert entry.content[0].value == content


def test_rss_source_credits_the_original_feed(feeds_site):
    feed = parsed(feeds_site, "feeds/all.rss.xml")
    networking = feed.entries[-1]
    assert networking.source.href == SOURCE_FEED
    assert networking.source.title == "The Enlightened Manager Blog"
    # A reader that ignores <source> still reads the credit in the post itself.
    credit = BeautifulSoup(networking.content[0].value, "html.parser")
    assert "Originally published by Cheri Baker" in credit.get_text()
    assert credit.find("a", string="Read more at The Enlightened Manager Blog")["href"] == (
        "http://blog.emergenceconsulting.net/"
    )
    assert "Sent using Viigo" in credit.get_text()
    # No feed address known: RSS's <source url> would be a lie, so there is none.
    no_feed = tree(feeds_site, "feeds/all.rss.xml").xpath(
        "channel/item[title='A repost whose source has no known feed']"
    )[0]
    assert no_feed.find("source") is None
    assert "Originally published by Ada" in text_of(
        no_feed.xpath("content:encoded/text()", namespaces=NS)[0]
    )


def test_rss_channel_describes_itself_without_build_time(feeds_site):
    root = tree(feeds_site, "feeds/all.rss.xml")
    channel = root.find("channel")
    assert channel.findtext("link") == f"{SITE}/"
    self_links = channel.xpath("atom:link[@rel='self']/@href", namespaces=NS)
    assert self_links == [f"{SITE}/feeds/all.rss.xml"]
    assert channel.findtext("language") == "en"
    assert channel.findtext("description").startswith("Articles worth reading")
    assert channel.findtext("ttl") == "60"
    assert channel.findtext("generator") == "Pelican"
    newest_item = rss_date(channel.findtext("item/pubDate"))
    assert rss_date(channel.findtext("lastBuildDate")) == newest_item.replace(
        year=2022, month=2, day=1, hour=9, minute=0
    )


def test_every_link_is_absolute(feeds_site):
    root = tree(feeds_site, "feeds/all.rss.xml")
    newer = root.xpath("channel/item[title='A newer post of my own']")[0]
    body = BeautifulSoup(newer.xpath("content:encoded/text()", namespaces=NS)[0], "html.parser")
    hrefs = [a["href"] for a in body.find_all("a")]
    assert hrefs == [f"{SITE}/about/", f"{SITE}/2021/other/"]
    image = body.find("img")
    assert image["src"] == f"{SITE}/2021/06/a-newer-post-of-my-own/chart.png"
    assert image["alt"] == "A chart"
    for url in root.xpath("//link/text() | //guid/text() | //comments/text() | //@href"):
        assert url.startswith(("http://", "https://")), url


def test_atom_has_the_same_items_with_full_ids_and_via_links(feeds_site):
    feed = parsed(feeds_site, "feeds/all.atom.xml")
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ORDER
    networking = feed.entries[-1]
    assert networking.id == NETWORKING
    assert networking.summary_detail.type == "text/html"
    assert networking.content[0].type == "text/html"
    assert "Phase One" in networking.content[0].value
    assert networking.author == "RLW"
    assert [tag.term for tag in networking.tags] == ["Uncategorized", "networking", "careers"]
    vias = [link.href for link in networking.links if link.rel == "via"]
    assert vias == ["http://blog.emergenceconsulting.net/"]
    root = tree(feeds_site, "feeds/all.atom.xml")
    assert root.findtext("atom:updated", namespaces=NS) == "2022-02-01T09:00:00-05:00"
    assert root.findtext("atom:id", namespaces=NS) == f"{SITE}/feeds/all.atom.xml"
    no_feed = next(e for e in feed.entries if e.title.startswith("A repost"))
    assert [link.href for link in no_feed.links if link.rel == "via"] == ["https://ada.example/"]


def test_json_feed_lists_the_same_items(feeds_site):
    feed = json_feed(feeds_site, "feeds/all.json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{SITE}/feeds/all.json"
    assert feed["home_page_url"] == f"{SITE}/"
    assert [item["title"] for item in feed["items"]] == ORDER
    networking = feed["items"][-1]
    assert networking["id"] == networking["url"] == NETWORKING
    assert networking["external_url"] == "http://blog.emergenceconsulting.net/"
    assert "Phase One" in networking["content_html"]
    assert "Originally published by Cheri Baker" in text_of(networking["content_html"])
    assert networking["summary"].startswith("Cheri Baker on why networking")
    assert networking["date_published"] == "2007-12-04T00:00:00-05:00"
    assert networking["authors"] == [{"name": "RLW"}]


def test_category_feeds_hold_only_their_category(feeds_site):
    for extension in ("rss.xml", "atom.xml"):
        notes = parsed(feeds_site, f"feeds/category/notes.{extension}")
        assert [e.title for e in notes.entries] == ORDER[:2]
        assert notes.feed.title == "Worth a Thorough Read - Notes"
    notes = json_feed(feeds_site, "feeds/category/notes.json")
    assert [item["title"] for item in notes["items"]] == ORDER[:2]
    assert notes["feed_url"] == f"{SITE}/feeds/category/notes.json"


def test_drafts_are_in_no_feed(feeds_site):
    for feed in feeds_site.output.joinpath("feeds").rglob("*.*"):
        assert "A draft" not in feed.read_text(encoding="utf-8"), feed


def test_pages_advertise_the_json_feed_too(feeds_site):
    head = feeds_site.html("category/notes/index.html").head
    feeds = {(link["type"], link["href"]) for link in head.select("link[rel=alternate]")}
    assert ("application/feed+json", "/feeds/all.json") in feeds
    assert ("application/feed+json", "/feeds/category/notes.json") in feeds
    assert ("application/rss+xml", "/feeds/category/notes.rss.xml") in feeds


def test_pelican_feed_settings_keep_their_meaning(build_site):
    site = build_site(
        posts=POSTS,
        settings={
            "FEED_MAX_ITEMS": 2,
            "RSS_FEED_SUMMARY_ONLY": True,
            "FEED_APPEND_REF": True,
            "TAG_FEED_RSS": "feeds/tag/{slug}.rss.xml",
            "CATEGORY_FEED_ATOM": None,
            "WEBSUB_HUB": "https://hub.example/",
        },
    )
    feed = parsed(site, "feeds/all.rss.xml")
    assert [entry.title for entry in feed.entries] == ORDER[:2]
    assert feed.entries[0].link == f"{SITE}/2022/01/the-newest-post/?ref=feed"
    assert feed.entries[0].id == f"{SITE}/2022/01/the-newest-post/"
    root = tree(site, "feeds/all.rss.xml")
    assert not root.xpath("//content:encoded", namespaces=NS)
    assert len(json_feed(site, "feeds/all.json")["items"]) == 2
    tag_feed = parsed(site, "feeds/tag/feeds.rss.xml")
    assert [entry.title for entry in tag_feed.entries] == ["A newer post of my own"]
    assert not site.path("feeds/category/notes.atom.xml").exists()
    # WebSub: every format names the hub.
    assert root.xpath("channel/atom:link[@rel='hub']/@href", namespaces=NS) == [
        "https://hub.example/"
    ]
    atom = tree(site, "feeds/all.atom.xml")
    assert atom.xpath("atom:link[@rel='hub']/@href", namespaces=NS) == ["https://hub.example/"]
    hubs = json_feed(site, "feeds/category/notes.json")["hubs"]
    assert hubs == [{"type": "WebSub", "url": "https://hub.example/"}]


def test_summary_only_rss_still_credits_the_original(build_site):
    site = build_site(settings={"RSS_FEED_SUMMARY_ONLY": True})
    entry = parsed(site, "feeds/all.rss.xml").entries[0]
    assert "Originally published by Cheri Baker" in text_of(entry.summary)
    assert "content" not in entry


def test_a_repost_is_credited_in_every_summary_too(feeds_site):
    """Readers that show only the summary still learn who wrote the original."""
    credit = "Originally published by Cheri Baker on The Enlightened Manager Blog."
    rss = parsed(feeds_site, "feeds/all.rss.xml").entries[-1]
    atom = parsed(feeds_site, "feeds/all.atom.xml").entries[-1]
    for entry in (rss, atom):
        assert text_of(entry.summary).startswith("Cheri Baker on why networking")
        assert credit in text_of(entry.summary)
        assert "Sent using Viigo, RSS feed reader for mobile devices." in text_of(entry.summary)
        assert credit in text_of(entry.content[0].value)
    summary = json_feed(feeds_site, "feeds/all.json")["items"][-1]["summary"]
    assert summary == (
        "Cheri Baker on why networking is about meeting people you can help, not collecting"
        " business cards. Originally published by Cheri Baker on The Enlightened Manager Blog:"
        " http://blog.emergenceconsulting.net/ Sent using Viigo, RSS feed reader for mobile"
        " devices."
    )
    own = parsed(feeds_site, "feeds/all.rss.xml").entries[0]
    assert "Originally published" not in own.summary


def test_no_hub_unless_configured(feeds_site):
    for relative in ("feeds/all.rss.xml", "feeds/all.atom.xml"):
        assert not tree(feeds_site, relative).xpath("//*[@rel='hub']"), relative
    assert "hubs" not in json_feed(feeds_site, "feeds/all.json")


def test_production_feeds_use_the_site_address(build_site):
    production = {"SITEURL": "https://blog.example", "FEED_DOMAIN": "https://blog.example"}
    site = build_site(config="publishconf.py", settings=production)
    entry = parsed(site, "feeds/all.rss.xml").entries[0]
    assert entry.link == "https://blog.example/2007/12/networking-myth-versus-truth/"
    assert json_feed(site, "feeds/all.json")["feed_url"] == "https://blog.example/feeds/all.json"


def test_a_bad_feed_setting_stops_the_build_naming_it(build_site):
    with pytest.raises(ValueError, match="FEED_TTL"):
        build_site(settings={"FEED_TTL": "hourly"})


def test_feeds_of_the_real_site_are_small(site):
    for feed in site.output.joinpath("feeds").rglob("*.*"):
        assert feed.stat().st_size < 16 * 1024, feed
