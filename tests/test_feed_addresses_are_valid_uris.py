"""docs/feeds.md: every address a feed carries is a valid URI (RFC 3986), so no validator
reports InvalidUriChar and no reader cuts a link short; a credit address that could not be
one stops the post at read time, naming the file and the field."""

import logging
import re

from feedtools import NS, json_feed, parsed, tree

# RFC 3986: unreserved, reserved and percent-encoded characters, nothing else.
URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"
)
TRICKY = "https://odd.example/a(b)/c;d=e?q='x'&r=%22~y#frag"
POSTS = {
    "tricky.md": "Title: A repost with every legal oddity\nDate: 2021-01-01\n"
    "Original_author: Odd\nOriginal_site: Odd's blog\n"
    f"Original_url: {TRICKY}\nOriginal_site_url: https://odd.example/\n"
    "Original_feed: https://odd.example/feed?format=rss&x=1\n"
    "Via: A reader\nVia_url: https://reader.example/!$*+,\n\n> Quoted.\n",
    "quoted.md": "Title: A repost whose address holds a quotation mark\nDate: 2021-01-02\n"
    "Original_author: Q\nOriginal_site: Q's blog\nOriginal_url: https://q.example/a\"b\n\n"
    "> Quoted.\n",
}
RSS_ADDRESSES = "//link/text() | //guid/text() | //comments/text() | //source/@url | //@href"
ATOM_ADDRESSES = "//atom:id/text() | //@href"
JSON_ADDRESSES = ("id", "url", "external_url")


def test_every_feed_address_is_a_valid_uri(build_site, caplog):
    with caplog.at_level(logging.ERROR):
        site = build_site(posts=POSTS)
    refused = [r.getMessage() for r in caplog.records if "quoted.md" in r.getMessage()]
    assert any("original_url" in line and "%22" in line for line in refused), refused

    addresses = []
    for relative in ("feeds/all.rss.xml", "feeds/category/uncategorized.rss.xml"):
        addresses += tree(site, relative).xpath(RSS_ADDRESSES)
    for relative in ("feeds/all.atom.xml", "feeds/category/uncategorized.atom.xml"):
        addresses += tree(site, relative).xpath(ATOM_ADDRESSES, namespaces=NS)
    for relative in ("feeds/all.json", "feeds/category/uncategorized.json"):
        feed = json_feed(site, relative)
        addresses += [feed["home_page_url"], feed["feed_url"]]
        addresses += [item[key] for item in feed["items"] for key in JSON_ADDRESSES if key in item]
    assert TRICKY in addresses
    assert "https://odd.example/feed?format=rss&x=1" in addresses
    for address in addresses:
        assert URI.fullmatch(address), address

    atom = parsed(site, "feeds/all.atom.xml")
    assert [e.title for e in atom.entries] == [
        "A repost with every legal oddity",
        "Networking: myth versus truth",
    ]
    via = [link.href for link in atom.entries[0].links if link.rel == "via"]
    assert via == [TRICKY]
    credit = atom.entries[0].content[0].value
    assert "href=\"https://odd.example/a(b)/c;d=e?q='x'&amp;r=%22~y#frag\"" in credit
