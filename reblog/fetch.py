"""Fetch a page from another site without letting that site waste or abuse our resources.

Used by the linkbacks verifier and sender and by the repost command. Every request has one
deadline (connect to last byte, checked while a slow server drips its body), a size cap and
a redirect limit, and follows redirects to http(s) only.
Unless `allow_private`, it goes only to public addresses: the host is resolved first,
every address it resolves to is checked, and the connection is made to a checked address
itself, so a DNS answer that changes between check and connect cannot point us at
127.0.0.1 or the cloud metadata service (the classic SSRF against pingback and webmention
receivers).

With `use_env_proxy` (the repost command, run on the blogger's own machine) a request goes
through the proxy named by `http_proxy`/`https_proxy` unless `no_proxy` lists the host, as
urllib's would: the proxy then resolves the name, so the public-address check is left to it
when private addresses are allowed anyway.

Each failure is a `FetchError` subclass carrying the address, so each caller words its own
message; `str()` of one is a sentence fit for a log. A non-2xx answer is not an error: it
is returned as a `Response`, for the caller to judge.
"""

import base64
import http.client
import socket
import ssl
import time
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import unquote, urljoin, urlsplit

from .addresses import is_public
from .urls import is_http

REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024


class FetchError(Exception):
    """A request that was refused, failed or broke a limit; `url` is the address it was at."""

    def __init__(self, message, url, detail=None):
        super().__init__(message)
        self.url = url
        self.detail = detail  # what went wrong underneath, or the refused redirect target


class TimedOut(FetchError):
    """The whole request took longer than `timeout` seconds."""


class TooLarge(FetchError):
    """The body is (or says it is) larger than `max_bytes`."""


class TooManyRedirects(FetchError):
    """More than `max_redirects` redirects."""


class Refused(FetchError):
    """Not an http(s) address, or one that resolves to a non-public address (`detail`) while
    private ones are not allowed."""


class BadRedirect(Refused):
    """A redirect from `url` to something other than http(s) (`detail`: file:, ftp:, ...)."""


class Unreachable(FetchError):
    """The host could not be resolved or connected to, or broke the connection or protocol."""


@dataclass
class Response:
    url: str  # after redirects
    status: int
    reason: str
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


def fetch(
    url,
    *,
    timeout,
    max_bytes,
    max_redirects,
    user_agent,
    allow_private=False,
    method="GET",
    data=None,
    headers=None,
    follow=True,
    accept="*/*",
    check=None,
    use_env_proxy=False,
):
    """Request `url` within `timeout` seconds overall, at most `max_bytes` of body and
    `max_redirects` redirects; the final `Response`, whatever its status, or a FetchError.

    Redirects are followed for GET only (and a 303 turns a POST into one): a ping is never
    re-sent somewhere its sender did not name. `check(response)` is called with the final
    answer's status and headers before its body is read, so a caller can refuse it (by
    raising) without downloading it.
    """
    deadline = time.monotonic() + timeout
    request_headers = {
        "User-Agent": user_agent,
        "Accept": accept,
        "Connection": "close",
        **(headers or {}),
    }
    limits = {
        "deadline": deadline,
        "max_bytes": max_bytes,
        "allow_private": allow_private,
        "use_env_proxy": use_env_proxy,
    }
    for _hop in range(max_redirects + 1):
        response, location = _request(url, method, data, request_headers, check, **limits)
        if location is None or not follow:
            return response
        if method != "GET":
            if response.status != 303:
                return response
            method, data = "GET", None
        target = urljoin(url, location)
        if not is_http(target):
            message = f"{url} redirects to {target}, which is not an http address"
            raise BadRedirect(message, url, target)
        url = target
    raise TooManyRedirects(f"more than {max_redirects} redirects from {url}", url)


def public_address(host, port, allow_private=False):
    """The addresses to connect to for `host`; Refused if any it resolves to is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unreachable(f"cannot resolve {host}: {error}", host, error) from error
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                message = f"{host} resolves to {address}, which is not a public address"
                raise Refused(message, host, address)
    return addresses


def _connect(addresses, port, timeout):
    # Each address was checked; try them in order, as socket.create_connection does for a
    # name (localhost may be ::1 first while the server listens on 127.0.0.1 only).
    error = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as failure:
            error = failure
    raise error


class _HTTP(http.client.HTTPConnection):
    proxy = None  # "host:port" of the proxy it goes through, for messages

    def __init__(self, host, port, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def connect(self):
        self.sock = _connect(self._addresses, self.port, self.timeout)
        if self._tunnel_host:  # through a proxy: CONNECT to the site first
            self._tunnel()


class _HTTPS(http.client.HTTPSConnection):
    proxy = None

    def __init__(self, host, port, addresses, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._addresses = addresses

    def connect(self):
        _HTTP.connect(self)
        # The certificate is checked against the site's name, not the address we pinned or
        # the proxy we tunnelled through.
        site = self._tunnel_host or self.host
        self.sock = self._context.wrap_socket(self.sock, server_hostname=site)


def _env_proxy(parts):
    """The proxy the environment names for this address, as (host, port, headers); or None."""
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname):
        return None
    proxy_parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if not proxy_parts.hostname:
        return None
    headers = {}
    if proxy_parts.username:
        login = f"{unquote(proxy_parts.username)}:{unquote(proxy_parts.password or '')}"
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(login.encode()).decode()
    return proxy_parts.hostname, proxy_parts.port or 80, headers


def _remaining(deadline, url):
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimedOut(f"{url} took longer than the fetch timeout", url)
    return left


def _connection(url, headers, *, timeout, allow_private, use_env_proxy):
    """An unopened connection for `url`, straight to a checked address or through the
    environment's proxy, with the request target and headers to send on it."""
    parts = urlsplit(url)
    if not is_http(url):
        raise Refused(f"not an http(s) URL: {url}", url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Refused(f"bad port in {url}", url) from error
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _HTTPS if parts.scheme == "https" else _HTTP
    proxy = _env_proxy(parts) if use_env_proxy else None
    if proxy is None:
        addresses = public_address(parts.hostname, port, allow_private)
        return connection_class(parts.hostname, port, addresses, timeout), target, headers
    if not allow_private:
        public_address(parts.hostname, port)  # the proxy connects, but only to a public site
    proxy_host, proxy_port, proxy_headers = proxy
    addresses = public_address(proxy_host, proxy_port, allow_private=True)
    connection = connection_class(proxy_host, proxy_port, addresses, timeout)
    connection.proxy = f"{proxy_host}:{proxy_port}"
    if parts.scheme == "https":
        connection.set_tunnel(parts.hostname, port, headers=proxy_headers)
        return connection, target, headers
    # Plain http: ask the proxy for the whole address.
    return connection, url.split("#", 1)[0], {**headers, **proxy_headers}


def _request(
    url, method, data, headers, check, *, deadline, max_bytes, allow_private, use_env_proxy
):
    connection, target, headers = _connection(
        url,
        headers,
        timeout=_remaining(deadline, url),
        allow_private=allow_private,
        use_env_proxy=use_env_proxy,
    )
    try:
        connection.request(method, target, body=data, headers=headers)
        # The connection lets go of its socket once the response is read to close; keep it
        # to tighten the timeout chunk by chunk, so a server dripping bytes hits the deadline.
        sock = connection.sock
        answer = connection.getresponse()
        location = answer.getheader("Location") if answer.status in REDIRECTS else None
        response = Response(url, answer.status, answer.reason, answer.msg, b"")
        if location is not None:
            return response, location
        if check:
            check(response)
        if answer.length is not None and answer.length > max_bytes:
            raise TooLarge(f"{url} is larger than {max_bytes} bytes", url)
        body = bytearray()
        # The response closes the socket itself once the whole body has arrived. read1
        # returns what has arrived, so the deadline is checked between the drips.
        while not answer.isclosed():
            sock.settimeout(_remaining(deadline, url))
            chunk = answer.read1(min(CHUNK, max_bytes + 1 - len(body)))
            if not chunk:
                break
            body += chunk
            if len(body) > max_bytes:
                raise TooLarge(f"{url} is larger than {max_bytes} bytes", url)
        response.body = bytes(body)
        return response, None
    except (OSError, http.client.HTTPException) as error:
        if isinstance(error, TimeoutError | socket.timeout):
            raise TimedOut(f"{url} took longer than the fetch timeout", url, error) from error
        # Through a proxy, say so: the fault may be the proxy's rather than the site's.
        reason = f"through the proxy {connection.proxy}: {error}" if connection.proxy else error
        raise Unreachable(f"{url}: {reason}", url, reason) from error
    finally:
        connection.close()
