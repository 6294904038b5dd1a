"""Check pending pings: approve one only when its source page links to our post.

A TrackBack ping is a claim anyone can make; the link on the sender's page is the proof
(the check Pingback and Webmention make mandatory, applied here to TrackBack too).
Whatever cannot be fetched or does not link is spam; a moderator can still approve it.
"""

import time
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from ..urls import absolute
from .canonical import post_key
from .fetch import FetchError, fetch
from .manifest import trim
from .store import Store

HTML_TYPES = ("text/html", "application/xhtml+xml")


def verify_pending(conf, report=print):
    """Check every pending ping in the store; return (approved, spam, seconds taken)."""
    store = Store(conf["LINKBACKS_DB"])
    approved = spam = 0
    started = time.perf_counter()
    for ping in store.pings("pending"):
        state, note, details = check(ping, conf)
        if store.record_check(ping, state, note, details):
            approved += state == "approved"
            spam += state == "spam"
            report(f"{ping['id']:>5}  {state:<8}  {ping['source']}  ({note})")
    return approved, spam, time.perf_counter() - started


def check(ping, conf):
    """Fetch the ping's source; ("approved" | "spam", why, details found on the page)."""
    try:
        response = fetch(ping["source"], conf)
    except FetchError as error:
        return "spam", str(error), {}
    if response.status != 200:
        return "spam", f"the source answered HTTP {response.status}", {}
    if response.headers.get_content_type() not in HTML_TYPES:
        return "spam", f"the source is {response.headers.get_content_type()}, not HTML", {}
    page = BeautifulSoup(response.body, "html.parser", from_encoding=response.charset)
    link = find_link(page, response.url, ping["target"])
    if link is None:
        return "spam", "the source does not link to the post", {}
    return "approved", "the source links to the post", describe(page, link, response.url, conf)


def find_link(page, page_url, target):
    """The first <a> or <area> on `page` that links to the post `target` names (any
    spelling of its address, with or without a query or trailing slash), or None."""
    base = page.find("base", href=True)
    base_url = absolute(page_url, base["href"]) if base else page_url
    wanted = post_key(target)
    for tag in page.find_all(["a", "area"], href=True):
        try:
            if post_key(absolute(base_url, tag["href"])) == wanted:
                return tag
        except ValueError:  # an href with a bad port or a broken IPv6 address links nowhere
            continue
    return None


def describe(page, link, page_url, conf):
    """Title, excerpt and blog name for a ping that did not send them (a Webmention)."""
    size = conf["LINKBACKS_MAX_FIELD"]

    def meta(**attrs):
        tag = page.find("meta", attrs={**attrs, "content": True})
        return tag["content"] if tag else ""

    title = meta(property="og:title") or (page.title.get_text() if page.title else "")
    context = link.find_parent(["p", "li", "blockquote", "article"]) or link
    excerpt = meta(name="description") or context.get_text(" ")
    blog_name = meta(property="og:site_name") or urlsplit(page_url).hostname
    return {
        "title": trim(title, size),
        "excerpt": trim(excerpt, size),
        "blog_name": trim(blog_name, size),
    }
