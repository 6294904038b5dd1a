"""Read a source: an http(s) address, politely and within limits, or a saved file.

Everything a remote server can do wrong (not answer, answer an error, redirect forever,
send a PDF or a 2 GB page) becomes a `RepostError` with one sentence for the blogger.
"""

import re
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml;q=0.9,*/*;q=0.1"
CHUNK = 64 * 1024


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


def is_http(value):
    """True for an absolute http or https address."""
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def user_agent(sitename, siteurl):
    """A browser-compatible User-Agent that says who is asking and where to find them."""
    name = re.sub(r"[()\\\x00-\x1f]", "", sitename or "a Pelican site").strip()
    contact = f"; +{siteurl}" if is_http(siteurl) else ""
    return f"Mozilla/5.0 (compatible; {name} repost{contact})"


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirect handler with our limit, following http(s) targets only."""

    def __init__(self, limit):
        self.max_redirections = limit
        self.max_repeats = limit

    def http_error_302(self, req, fp, code, msg, headers):
        target = urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        if not is_http(target):
            raise RepostError(f"{req.full_url} redirects to {target}, which is not an http address")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def fetch(url, *, timeout, max_bytes, max_redirects, agent):
    """GET `url` within `timeout` seconds overall, at most `max_bytes`, `max_redirects` hops."""
    if not is_http(url):
        raise RepostError(f"{url} is not an http or https address")
    opener = urllib.request.build_opener(_LimitedRedirects(max_redirects))
    request = urllib.request.Request(url, headers={"User-Agent": agent, "Accept": ACCEPT})
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            kind, charset = _kind(response.headers, url)
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise _too_large(url, max_bytes)
            body = _read(response, url, deadline, timeout, max_bytes)
            final = response.geturl()
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise RepostError(f"{url} redirected more than {max_redirects} times") from None
        raise RepostError(f"{url} answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise _timed_out(url, timeout) from None
        raise RepostError(f"{url} did not answer ({error.reason})") from None
    except TimeoutError:
        raise _timed_out(url, timeout) from None
    except OSError as error:  # a connection reset or a broken chunked body halfway through
        raise RepostError(f"{url} did not answer ({error})") from None
    return Document(body=body, location=final, kind=kind or _sniff(body, url), charset=charset)


def read_file(path, *, max_bytes):
    """A saved page or feed from disk, under the same size cap as a download."""
    file = Path(path)
    if not file.is_file():
        raise RepostError(f"{path}: no such file (give an http(s) address or a saved page)")
    if file.stat().st_size > max_bytes:
        raise _too_large(path, max_bytes)
    body = file.read_bytes()
    return Document(body=body, location=str(file), kind=_sniff(body, path))


def _read(response, url, deadline, timeout, max_bytes):
    # The socket timeout bounds each wait; the deadline bounds a server that drips bytes.
    chunks, size = [], 0
    # read1: whatever has arrived, so the deadline is checked while a slow body trickles in.
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(url, max_bytes)
        if time.monotonic() > deadline:
            raise _timed_out(url, timeout)
        chunks.append(chunk)
    return b"".join(chunks)


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
