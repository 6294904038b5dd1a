"""Tell the articles our posts cite that we cite them: Webmention, Pingback or TrackBack.

For each (post, cited URL) pair not yet in the ledger: fetch the cited page, discover the
endpoints it advertises, send the best by LINKBACKS_SEND_ORDER, and record the outcome.
Specs: https://www.w3.org/TR/webmention/#sender-discovers-receiver-webmention-endpoint,
https://www.hixie.ch/specs/pingback/pingback (Pingback 1.0, autodiscovery and fault 48),
http://archive.cweiske.de/trackback/trackback-1.2.html (RDF autodiscovery).
"""

import fcntl
import html
import json
import os
import re
import sys
import xmlrpc.client
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from bs4 import BeautifulSoup

from ..addresses import is_public
from ..urls import absolute
from .canonical import page_address
from .fetch import FetchError, fetch
from .manifest import write_json
from .text import say

LINK_HEADER = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
REL_PARAM = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s";,]+))""", re.I)
RDF_BLOCK = re.compile(r"<rdf:RDF.*?</rdf:RDF>", re.S)
PINGBACK_ALREADY_REGISTERED = 48
# Hosts no other blog could ever fetch our post from (RFC 2606 and 6761 names).
PLACEHOLDER_HOSTS = re.compile(r"(^|\.)(localhost|example|test|invalid|local)$|(^|\.)example\.")


class SendError(Exception):
    """An endpoint refused the ping or answered something we cannot read."""


class NotPublic(SendError):
    """Our posts' addresses are not ones another blog could fetch: nothing is sent."""


class Ledger:
    """The committed JSON record of pings sent: {slug: {cited URL: outcome}}."""

    def __init__(self, path):
        self.path = path
        self.entries = {}
        if path.exists():
            try:
                self.entries = json.loads(path.read_text(encoding="utf-8"))["sent"]
            except (ValueError, KeyError, TypeError) as error:
                raise SendError(f"{path}: not a linkbacks ledger ({error})") from error

    def get(self, slug, target):
        """The recorded outcome for (post, cited URL), or None."""
        return self.entries.get(slug, {}).get(target)

    def record(self, slug, target, **outcome):
        """Remember the outcome (attempts counted across runs)."""
        previous = self.get(slug, target) or {}
        outcome["attempts"] = previous.get("attempts", 0) + 1
        outcome["date"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.entries.setdefault(slug, {})[target] = outcome

    def save(self):
        """Write the ledger (sorted, so its diffs stay small)."""
        write_json(self.path, {"version": 1, "sent": self.entries})


def send_pings(conf, manifest, dry_run=False, report=say, slugs=None):
    """Ping every cited URL not yet pinged (of the posts `slugs`, when given); return counts
    of sent, failed (retried next run, up to LINKBACKS_SEND_MAX_ATTEMPTS times in all) and
    unsupported (no endpoint; not retried).

    A run holds the ledger's lock from start to end: a second run waits for it, then reads
    the ledger the first one left, so no ping goes out twice. A dry run writes nothing and
    takes no lock.
    """
    site = manifest["site"]
    refuse_placeholder(site, conf)
    if dry_run:
        return _send(conf, manifest, dry_run, report, slugs)
    with ledger_lock(conf):
        return _send(conf, manifest, dry_run, report, slugs)


@contextmanager
def ledger_lock(conf):
    """Hold the sender's lock (a file beside the store, in var/, as the ledger itself is
    committed), waiting for another run that holds it and saying so."""
    path = conf["LINKBACKS_DB"].parent / (conf["LINKBACKS_LEDGER"].name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "?"
            print(
                f"linkbacks: another ping run (pid {holder}) is using "
                f"{conf['LINKBACKS_LEDGER']}; waiting for it to finish",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _send(conf, manifest, dry_run, report, slugs):
    ledger = Ledger(conf["LINKBACKS_LEDGER"])  # read under the lock: the last run's record
    counts = {"sent": 0, "failed": 0, "unsupported": 0}
    for post in manifest["posts"]:
        if slugs and post["slug"] not in slugs:
            continue
        for target in post["links"][: conf["LINKBACKS_MAX_TARGETS"]]:
            previous = ledger.get(post["slug"], target)
            if previous and previous["status"] in ("sent", "unsupported"):
                continue
            if gave_up(previous, conf):
                report(
                    f"{'gave up':<11}  {post['url']} -> {target}  (failed "
                    f"{previous['attempts']} times; LINKBACKS_SEND_MAX_ATTEMPTS)"
                )
                continue
            outcome = ping_one(post, target, manifest, conf, dry_run)
            report(f"{outcome['status']:<11}  {post['url']} -> {target}  ({outcome['detail']})")
            if not dry_run:
                counts[outcome["status"]] += 1
                ledger.record(post["slug"], target, **outcome)
                ledger.save()  # ping by ping, atomically: an interrupted run keeps what it sent
    return counts


def gave_up(previous, conf):
    """True when a target's pings failed as often as LINKBACKS_SEND_MAX_ATTEMPTS allows."""
    return bool(
        previous
        and previous["status"] == "failed"
        and previous.get("attempts", 0) >= conf["LINKBACKS_SEND_MAX_ATTEMPTS"]
    )


def refuse_placeholder(site, conf):
    """SendError when our posts' URLs could not be fetched by anyone else."""
    host = urlsplit(site).hostname or ""
    if conf["LINKBACKS_ALLOW_PRIVATE"]:
        return
    try:
        private = not is_public(host)
    except ValueError:
        private = bool(PLACEHOLDER_HOSTS.search(host))
    if private or not host:
        raise NotPublic(
            f"not pinging: the posts' address {site!r} is not a public site; build with "
            "publishconf.py and a real SITEURL first (make publish SITEURL=https://...)"
        )


def ping_one(post, target, manifest, conf, dry_run):
    """Discover and ping one cited URL; the outcome as the ledger stores it."""
    try:
        endpoints = discover(target, conf)
        for kind in conf["LINKBACKS_SEND_ORDER"]:
            if kind in endpoints:
                endpoint = endpoints[kind]
                if dry_run:
                    return {"status": "would send", "detail": f"{kind} to {endpoint}"}
                SENDERS[kind](endpoint, post, target, manifest, conf)
                return {"status": "sent", "method": kind, "endpoint": endpoint, "detail": kind}
    except (FetchError, SendError) as error:
        return {"status": "failed", "detail": str(error)}
    return {"status": "unsupported", "detail": "the page advertises no endpoint"}


def discover(target, conf):
    """The endpoints `target` advertises: {"webmention"|"pingback"|"trackback": URL}."""
    response = fetch(target, conf)
    if not 200 <= response.status < 300:
        raise SendError(f"{target} answered HTTP {response.status}")
    found = {}
    for value in response.headers.get_all("Link") or []:
        for href, params in LINK_HEADER.findall(value):
            for rel in REL_PARAM.findall(params):
                if "webmention" in (rel[0] or rel[1]).lower().split():
                    found.setdefault("webmention", absolute(response.url, href))
    if response.headers.get("X-Pingback"):
        found["pingback"] = response.headers["X-Pingback"].strip()
    page = BeautifulSoup(response.body, "html.parser", from_encoding=response.charset)
    for tag in page.find_all(["link", "a"], href=True):
        rels = [rel.lower() for rel in tag.get("rel") or []]
        if "webmention" in rels:
            found.setdefault("webmention", absolute(response.url, tag["href"]))
        if "pingback" in rels and tag.name == "link":
            found.setdefault("pingback", absolute(response.url, tag["href"]))
    trackback = trackback_uri(response.text(), {page_address(target), page_address(response.url)})
    if trackback:
        found["trackback"] = absolute(response.url, trackback)
    return found


def trackback_uri(text, addresses):
    """The trackback:ping of the RDF block about one of `addresses` (or of the only block)."""
    blocks = []
    for block in RDF_BLOCK.findall(text):
        ping = re.search(r'trackback:ping\s*=\s*"([^"]+)"', block)
        about = re.search(r'dc:identifier\s*=\s*"([^"]+)"', block)
        if ping:
            blocks.append((html.unescape(about[1]) if about else "", html.unescape(ping[1])))
    for about, ping in blocks:
        if about and page_address(about) in addresses:
            return ping
    return blocks[0][1] if len(blocks) == 1 else None


def send_webmention(endpoint, post, target, manifest, conf):
    """POST source and target; any 2xx is success (201 and 202 included)."""
    body = urlencode({"source": post["url"], "target": target}).encode()
    response = fetch(endpoint, conf, method="POST", data=body, headers=_form_headers())
    if not 200 <= response.status < 300:
        raise SendError(f"webmention endpoint answered HTTP {response.status}")


def send_pingback(endpoint, post, target, manifest, conf):
    """Call pingback.ping(source, target) by XML-RPC; fault 48 means it already has it."""
    body = xmlrpc.client.dumps((post["url"], target), "pingback.ping").encode()
    response = fetch(endpoint, conf, method="POST", data=body, headers={"Content-Type": "text/xml"})
    if response.status != 200:
        raise SendError(f"pingback server answered HTTP {response.status}")
    try:
        xmlrpc.client.loads(response.body)
    except xmlrpc.client.Fault as fault:
        if fault.faultCode != PINGBACK_ALREADY_REGISTERED:
            raise SendError(f"pingback fault {fault.faultCode}: {fault.faultString}") from None
    except Exception as error:
        raise SendError(f"pingback server answered no XML-RPC response: {error}") from None


def send_trackback(endpoint, post, target, manifest, conf):
    """POST url, title, excerpt and blog_name; <error>0</error> is success."""
    fields = {
        "url": post["url"],
        "title": post["title"],
        "excerpt": post["excerpt"],
        "blog_name": manifest.get("sitename", ""),
    }
    body = urlencode(fields).encode("utf-8")
    response = fetch(endpoint, conf, method="POST", data=body, headers=_form_headers())
    answer = response.text()
    error = re.search(r"<error>\s*(\d+)\s*</error>", answer)
    if error is None:
        raise SendError(f"TrackBack endpoint answered HTTP {response.status}, no <response>")
    if error[1] != "0":
        message = re.search(r"<message>(.*?)</message>", answer, re.S)
        raise SendError(
            "TrackBack refused: " + (html.unescape(message[1]).strip() if message else "?")
        )


def _form_headers():
    return {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


SENDERS = {"webmention": send_webmention, "pingback": send_pingback, "trackback": send_trackback}
