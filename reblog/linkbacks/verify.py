"""Check pending pings: approve one only when its source page links to our post.

A TrackBack ping is a claim anyone can make; the link on the sender's page is the proof
(the check Pingback and Webmention make mandatory, applied here to TrackBack too).
Whatever cannot be fetched or does not link is spam; a moderator can still approve it.
"""

import fcntl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from ..fetch import TimedOut
from ..urls import absolute
from .canonical import post_key
from .fetch import FetchError, fetch
from .manifest import trim
from .store import Store
from .text import say

# A fetch given less than this is not started: it could only time out.
MIN_FETCH_SECONDS = 0.5
LOCK_POLL_SECONDS = 0.1

HTML_TYPES = ("text/html", "application/xhtml+xml")


def verify_pending(conf, report=say):
    """Check pending pings within one run's LINKBACKS_VERIFY_BUDGET; return (approved,
    spam, seconds taken).

    Source hosts are checked side by side, LINKBACKS_VERIFY_WORKERS at a time, each host's
    pings one after another: a host that never answers holds one worker, never the others'
    pings, and is never asked twice at once. The budget covers everything, waiting for
    another run to finish included; no fetch outlasts it, and a ping a run did not reach, or
    whose fetch the budget cut short, stays pending for the next. One run at a time on the
    machine (a lock file beside the store), so two never fetch from one host together.
    """
    started = time.monotonic()
    deadline = started + float(conf["LINKBACKS_VERIFY_BUDGET"])
    store = Store(conf["LINKBACKS_DB"])
    counts = {"approved": 0, "spam": 0}
    counted = threading.Lock()

    def check_host(pings):
        for ping in pings:
            left = deadline - time.monotonic()
            if left < MIN_FETCH_SECONDS:
                return
            state, note, details = check(ping, conf, timeout=left)
            if state is not None and store.record_check(ping, state, note, details):
                with counted:
                    counts[state] += 1
                report(f"{ping['id']:>5}  {state:<8}  {ping['source']}  ({note})")

    with run_lock(conf, deadline) as held:
        if not held:
            report("linkbacks: another verification run is under way; it checks the queue")
        elif pending := store.pings("pending"):
            by_host = {}
            for ping in pending:
                by_host.setdefault(urlsplit(ping["source"]).hostname, []).append(ping)
            workers = min(int(conf["LINKBACKS_VERIFY_WORKERS"]), len(by_host))
            with ThreadPoolExecutor(workers, thread_name_prefix="linkbacks-verify") as pool:
                list(pool.map(check_host, by_host.values()))
    return counts["approved"], counts["spam"], time.monotonic() - started


@contextmanager
def run_lock(conf, deadline):
    """Hold the verification lock, waiting for it until `deadline` (time.monotonic());
    yields whether it is held."""
    path = Path(conf["LINKBACKS_DB"]).parent / "linkbacks-verify.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(LOCK_POLL_SECONDS)
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class BudgetSpent(Exception):
    """The run's time budget, not the source, cut a fetch short."""


def check(ping, conf, timeout=None):
    """Fetch the ping's source; ("approved" | "spam", why, details found on the page), or
    (None, why, {}) when `timeout`, shorter than the fetch timeout, cut the fetch short."""
    try:
        response = _fetch_within(ping["source"], conf, timeout)
    except BudgetSpent:
        return None, "the run's time budget ran out", {}
    except FetchError as error:
        return "spam", str(error), {}
    content_type = response.headers.get_content_type()
    if response.status != 200 or content_type not in HTML_TYPES:
        problem = f"HTTP {response.status}" if response.status != 200 else content_type
        return "spam", f"the source answered {problem}, not an HTML page", {}
    page = BeautifulSoup(response.body, "html.parser", from_encoding=response.charset)
    link = find_link(page, response.url, ping["target"])
    if link is None:
        return "spam", "the source does not link to the post", {}
    return "approved", "the source links to the post", describe(page, link, response.url, conf)


def _fetch_within(url, conf, timeout):
    """fetch(), given at most `timeout` seconds; BudgetSpent when that, and not the fetch
    timeout, ran out."""
    limit = float(conf["LINKBACKS_FETCH_TIMEOUT"])
    if timeout is None or timeout >= limit:
        return fetch(url, conf)
    try:
        return fetch(url, {**conf, "LINKBACKS_FETCH_TIMEOUT": timeout})
    except TimedOut:
        raise BudgetSpent(url) from None


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
