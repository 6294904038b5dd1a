"""Read a source: an http(s) address, politely and within limits, or a saved file.

Everything a remote server can do wrong (not answer, answer an error, redirect forever,
send a PDF or a 2 GB page) becomes a `RepostError` with one sentence for the blogger.
"""

import re
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from .. import fetch as webfetch
from ..urls import is_http

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml;q=0.9,*/*;q=0.1"


class RepostError(Exception):
    """Bad input the blogger can act on: the message names the source and what is wrong."""


@dataclass
class Document:
    """The bytes of a source, where they came from, and what kind of document they are."""

    body: bytes
    location: str  # the final address after redirects, or the file's path
    kind: str  # "html" or "feed"
    charset: str | None = None

    @property
    def url(self):
        """The document's own http(s) address; None for a saved file."""
        return self.location if is_http(self.location) else None


def user_agent(sitename, siteurl):
    """A browser-compatible User-Agent that says who is asking and where to find them."""
    name = re.sub(r"[()\\\x00-\x1f]", "", sitename or "a Pelican site").strip()
    contact = f"; +{siteurl}" if is_http(siteurl) else ""
    return f"Mozilla/5.0 (compatible; {name} repost{contact})"


def fetch(url, *, timeout, max_bytes, max_redirects, agent):
    """GET `url` within `timeout` seconds overall, at most `max_bytes`, `max_redirects` hops."""
    if not is_http(url):
        raise RepostError(f"{url} is not an http or https address")

    # Called with the status and headers only: an error page or a 2 GB PDF is refused
    # without downloading it.
    def refuse_early(response):
        if not 200 <= response.status < 300:
            raise RepostError(f"{url} answered {response.status} {response.reason}")
        _kind(response.headers, url)

    try:
        response = webfetch.fetch(
            url,
            timeout=timeout,
            max_bytes=max_bytes,
            max_redirects=max_redirects,
            user_agent=agent,
            # The blogger's own LAN is theirs to repost from; only they choose the address.
            allow_private=True,
            use_env_proxy=True,  # as any command on their machine would
            accept=ACCEPT,
            check=refuse_early,
        )
    except webfetch.TimedOut:
        raise _timed_out(url, timeout) from None
    except webfetch.TooLarge:
        raise _too_large(url, max_bytes) from None
    except webfetch.TooManyRedirects:
        raise RepostError(f"{url} redirected more than {max_redirects} times") from None
    except webfetch.BadRedirect as error:
        raise RepostError(
            f"{error.url} redirects to {error.detail}, which is not an http address"
        ) from None
    except webfetch.FetchError as error:  # unreachable: no such host, refused, reset
        raise RepostError(f"{url} did not answer ({error.detail or error})") from None
    kind, charset = _kind(response.headers, url)
    body = response.body
    return Document(body, location=response.url, kind=kind or _sniff(body, url), charset=charset)


def read_file(path, *, max_bytes):
    """A saved page or feed from disk, under the same size cap as a download."""
    file = Path(path)
    if not file.is_file():
        raise RepostError(f"{path}: no such file (give an http(s) address or a saved page)")
    if file.stat().st_size > max_bytes:
        raise _too_large(path, max_bytes)
    body = file.read_bytes()
    return Document(body=body, location=str(file), kind=_sniff(body, path))


def _kind(headers, url):
    """("html" | "feed" | None, charset) from Content-Type; refuses other types."""
    value = headers.get("Content-Type")
    if not value:
        return None, None
    message = Message()
    message["Content-Type"] = value
    mime = message.get_content_type()
    charset = message.get_param("charset")
    if mime in HTML_TYPES:
        return "html", charset
    if mime in FEED_TYPES:
        return "feed", charset
    if mime == "text/plain":
        return None, charset  # misconfigured servers send pages and feeds as text/plain
    raise RepostError(f"{url} is not an HTML page or a feed (it is {mime})")


def _sniff(body, where):
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        raise RepostError(f"{where} is not an HTML page or a feed (it is a PDF)")
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head) and b"<html" not in head:
        return "feed"
    if b"\x00" in head:
        raise RepostError(f"{where} is not an HTML page or a feed (it is binary)")
    return "html"


def _too_large(where, max_bytes):
    return RepostError(f"{where} is larger than the {max_bytes:,}-byte limit (--max-bytes)")


def _timed_out(url, timeout):
    return RepostError(f"{url} did not answer within {timeout:g} seconds (--timeout)")
