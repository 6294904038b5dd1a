"""Fetch a page from another blog without letting that blog waste or abuse our resources.

Every request has one deadline (connect to last byte), a size cap and a redirect limit,
and goes only to public addresses: the host is resolved first, every address it resolves
to is checked, and the connection is made to the checked address itself, so a DNS answer
that changes between check and connect cannot point us at 127.0.0.1 or the cloud
metadata service (the classic SSRF against pingback and webmention receivers).
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "linkbacks/1.0 (Pelican; TrackBack, Pingback, Webmention)"


class FetchError(Exception):
    """A request that was refused, failed or broke a limit; the message says which."""


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: Message
    body: bytes

    @property
    def charset(self):
        """The charset the server declared, if any."""
        return self.headers.get_content_charset()

    def text(self):
        """The body as text, in the declared charset (UTF-8, forgivingly, when none is)."""
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


class _HTTP(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _HTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address we pinned.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def public_address(host, port, allow_private=False):
    """The address to connect to for `host`; FetchError if any it resolves to is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot resolve {host}: {error}") from error
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            mapped = getattr(ip, "ipv4_mapped", None)
            if not (mapped or ip).is_global:
                raise FetchError(f"{host} resolves to {address}, which is not a public address")
    return addresses[0]


def fetch(url, conf, *, method="GET", data=None, headers=None, follow=True):
    """Request `url` within the LINKBACKS_FETCH_* limits; FetchError on any refusal or failure.

    Redirects are followed for GET only (and a 303 turns a POST into one): a ping is never
    re-sent somewhere its sender did not name.
    """
    timeout = float(conf["LINKBACKS_FETCH_TIMEOUT"])
    cap = int(conf["LINKBACKS_FETCH_MAX_BYTES"])
    deadline = time.monotonic() + timeout
    for _hop in range(int(conf["LINKBACKS_FETCH_MAX_REDIRECTS"]) + 1):
        response, location = _request(url, conf, method, data, headers, deadline=deadline, cap=cap)
        if location is None or not follow:
            return response
        if method != "GET":
            if response.status != 303:
                return response
            method, data = "GET", None
        url = urljoin(url, location)
    raise FetchError(f"more than {conf['LINKBACKS_FETCH_MAX_REDIRECTS']} redirects from {url}")


def _remaining(deadline, url):
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"{url} took longer than the fetch timeout")
    return left


def _request(url, conf, method, data, headers, *, deadline, cap):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError(f"bad port in {url}") from error
    address = public_address(parts.hostname, port, conf["LINKBACKS_ALLOW_PRIVATE"])
    connection_class = _HTTPS if parts.scheme == "https" else _HTTP
    connection = connection_class(parts.hostname, port, address, _remaining(deadline, url))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html, application/xhtml+xml, text/xml;q=0.9, */*;q=0.5",
        "Connection": "close",
        **(headers or {}),
    }
    try:
        connection.request(method, path, body=data, headers=request_headers)
        # The connection lets go of its socket once the response is read to close; keep it
        # to tighten the timeout chunk by chunk, so a server dripping bytes hits the deadline.
        sock = connection.sock
        answer = connection.getresponse()
        location = answer.getheader("Location") if answer.status in REDIRECTS else None
        body = bytearray()
        # The response closes the socket itself once the whole body has arrived.
        while location is None and not answer.isclosed():
            sock.settimeout(_remaining(deadline, url))
            chunk = answer.read(min(65536, cap + 1 - len(body)))
            if not chunk:
                break
            body += chunk
            if len(body) > cap:
                raise FetchError(f"{url} is larger than {cap} bytes")
        return Response(url, answer.status, answer.msg, bytes(body)), location
    except (OSError, http.client.HTTPException) as error:
        if isinstance(error, TimeoutError | socket.timeout):
            raise FetchError(f"{url} took longer than the fetch timeout") from error
        raise FetchError(f"{url}: {error}") from error
    finally:
        connection.close()
