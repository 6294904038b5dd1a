"""`reblog-websub` (make websub): tell the WebSub hub which feeds changed since the last time.

    reblog-websub [-s SETTINGS] [--path CONTENT] [-o OUTPUT] [--dry-run]

A feed is any .xml, .json, .atom or .rss file of the built output that names WEBSUB_HUB as
its hub; its topic is the address it gives itself (rel="self", JSON Feed's feed_url), the
one subscribers subscribed to. A build is reproducible, so a feed's SHA-256 changes only
when what it says does: each one whose hash differs from the ledger's (WEBSUB_LEDGER,
committed like content) is announced, and recorded once the hub accepted it.

The W3C Recommendation leaves the publisher's request to the hub unspecified
(https://www.w3.org/TR/websub/#publishing); hubs take PubSubHubbub 0.4's form POST,
`hub.mode=publish` with the feed as `hub.url` (Google's hub, Superfeedr) or as `hub.topic`
(WebSub hubs such as websub.flus.io), so both are sent. Any 2xx is acceptance. A 5xx, a
429 or no answer is retried (WEBSUB_ATTEMPTS in all); a refusal is reported at once.
"""

import argparse
import hashlib
import json
import sys
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from . import fetch as webfetch
from .commandline import site_settings
from .linkbacks.manifest import write_json
from .linkbacks.sender import NotPublic, refuse_placeholder
from .settings import SettingsError, read

FEED_SUFFIXES = (".xml", ".json", ".atom", ".rss")
ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
USER_AGENT = "reblog-websub/1.0 (Pelican; WebSub publisher)"
MAX_ANSWER = 64 * 1024  # a hub's answer is a status; its body is only shown in errors
RETRY_PAUSE = 1.0  # seconds before the second attempt, doubled for each one after


class HubError(Exception):
    """The hub refused an announcement, or never answered within the attempts allowed."""


def topic(data, hub):
    """The feed's own address when the document `data` is a feed naming `hub`, else None."""
    try:
        if data.lstrip()[:1] == b"{":
            feed = json.loads(data)
            hubs = [entry.get("url") for entry in feed.get("hubs") or [] if isinstance(entry, dict)]
            return feed.get("feed_url") if hub in hubs else None
        root = ET.fromstring(data)  # our own build's output, not a stranger's document
    except (ValueError, ET.ParseError, AttributeError):
        return None
    # Atom's links are children of <feed>; RSS's atom:link children of <channel>.
    links = [*root, *(root.find("channel") or [])]
    rels = {link.get("rel"): link.get("href") for link in links if link.tag in (ATOM_LINK, "link")}
    return rels.get("self") if rels.get("hub") == hub else None


def feeds_in(output, hub):
    """{topic: SHA-256 of its file} for every feed in the folder `output` naming `hub`."""
    found = {}
    for path in sorted(Path(output).rglob("*")):
        if path.suffix.lower() in FEED_SUFFIXES and path.is_file():
            data = path.read_bytes()
            url = topic(data, hub)
            if url:
                found[url] = hashlib.sha256(data).hexdigest()
    return found


class Ledger:
    """The committed JSON record of announcements: {feed URL: {sha256, hub, date}}."""

    def __init__(self, path):
        self.path = Path(path)
        self.entries = {}
        if self.path.exists():
            try:
                self.entries = json.loads(self.path.read_text(encoding="utf-8"))["published"]
            except (ValueError, KeyError, TypeError) as error:
                raise HubError(f"{self.path}: not a WebSub ledger ({error})") from error

    def announced(self, url, digest, hub):
        """True when this hub was told of exactly this version of the feed."""
        entry = self.entries.get(url) or {}
        return entry.get("sha256") == digest and entry.get("hub") == hub

    def record(self, url, digest, hub):
        date = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.entries[url] = {"sha256": digest, "hub": hub, "date": date}

    def save(self):
        write_json(self.path, {"version": 1, "published": self.entries})


def announce(url, hub, conf, pause=RETRY_PAUSE):
    """POST one publish notification for `url`; HubError once the attempts are spent."""
    body = urlencode({"hub.mode": "publish", "hub.url": url, "hub.topic": url}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    attempts = int(conf["WEBSUB_ATTEMPTS"])
    for attempt in range(1, attempts + 1):
        try:
            response = webfetch.fetch(
                hub,
                timeout=float(conf["WEBSUB_TIMEOUT"]),
                max_bytes=MAX_ANSWER,
                max_redirects=0,
                user_agent=USER_AGENT,
                # The hub is the site owner's choice, not a stranger's: it may be on the LAN.
                allow_private=True,
                method="POST",
                data=body,
                headers=headers,
                follow=False,
            )
        except webfetch.FetchError as error:
            problem = str(error)
        else:
            if 200 <= response.status < 300:
                return
            problem = f"HTTP {response.status} {response.text()[:200].strip()}".rstrip()
            if response.status < 500 and response.status != 429:
                raise HubError(f"the hub refused {url}: {problem}")
        if attempt < attempts:
            time.sleep(pause * 2 ** (attempt - 1))
    raise HubError(f"the hub did not take {url} after {attempts} attempts: {problem}")


def publish(settings, output, *, dry_run=False, report=print, pause=RETRY_PAUSE):
    """Announce every feed of `output` changed since the ledger's record; (announced, failed).

    NotPublic when the feeds' addresses are placeholders no hub could fetch.
    """
    conf = read(settings)
    hub = conf["WEBSUB_HUB"]
    ledger = Ledger(conf["WEBSUB_LEDGER"])
    feeds = feeds_in(output, hub)
    changed = {
        url: digest for url, digest in feeds.items() if not ledger.announced(url, digest, hub)
    }
    for url in changed:
        try:
            refuse_placeholder(url, conf)
        except NotPublic:
            raise NotPublic(
                f"not announcing: the feed {url} is not on a public site; build with "
                "publishconf.py and a real SITEURL first (make publish SITEURL=https://...)"
            ) from None
    announced, failed = [], []
    try:
        for url, digest in changed.items():
            if dry_run:
                report(f"would announce  {url}")
                continue
            try:
                announce(url, hub, conf, pause=pause)
            except HubError as error:
                report(f"failed     {error}")
                failed.append(url)
                continue
            report(f"announced  {url}")
            ledger.record(url, digest, hub)
            announced.append(url)
    finally:
        if announced:
            ledger.save()  # even when interrupted: what the hub took is not sent again
    return announced, failed


def main(argv=None):
    """0 when every changed feed was announced (or there is no hub); 1 when the hub did not
    take some; 2 on bad input."""
    parser = argparse.ArgumentParser(prog="reblog-websub", description=__doc__.split("\n")[0])
    parser.add_argument("-s", "--settings", default="publishconf.py", help="Pelican settings")
    parser.add_argument("--path", help="the content folder, when not the settings' PATH")
    parser.add_argument("-o", "--output", help="the built site, when not OUTPUT_PATH")
    parser.add_argument("--dry-run", action="store_true", help="show what would be announced")
    args = parser.parse_args(argv)
    settings = site_settings("websub", args.settings, args.path)
    if settings is None:
        return 2
    try:
        return run(args, settings)
    except (SettingsError, HubError) as error:
        print(f"websub: {error}", file=sys.stderr)
        return 2
    except NotPublic as error:
        # Not a failure: a build for a placeholder address has no feed a hub could fetch.
        print(f"websub: {error}", file=sys.stderr)
        return 0


def run(args, settings):
    """Announce the changed feeds of the built site; the exit status."""
    conf = read(settings)
    if not conf["WEBSUB_HUB"]:
        print("websub: WEBSUB_HUB is not set; no hub to tell")
        return 0
    output = Path(args.output or settings["OUTPUT_PATH"])
    if not output.is_dir():
        raise HubError(f"no built site at {output}; build it first (make publish)")
    announced, failed = publish(settings, output, dry_run=args.dry_run)
    if args.dry_run:
        print("websub: dry run; nothing sent, ledger unchanged")
        return 0
    print(
        f"websub: {len(announced)} feed(s) announced to {conf['WEBSUB_HUB']}, "
        f"{len(failed)} failed (announced again next run); ledger {conf['WEBSUB_LEDGER']}"
    )
    if failed:
        print(f"websub: the hub did not take {len(failed)} feed(s); see above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
