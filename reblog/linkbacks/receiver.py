"""The WSGI application that receives pings: TrackBack 1.2, W3C Webmention and Pingback 1.0.

    POST /trackback/<slug>   TrackBack 1.2 (http://archive.cweiske.de/trackback/trackback-1.2.html)
    POST /webmention         Webmention (https://www.w3.org/TR/webmention/#receiving-webmentions),
                             or, with an XML body, Pingback 1.0 (reblog.linkbacks.pingback)

It only stores: every accepted ping is pending until `linkbacks verify` has fetched the
source and found the link. Checking synchronously would let anyone make us fetch any URL
on demand, and would hold a server thread for every slow sender.
"""

import codecs
import logging
import re
import socketserver
import xmlrpc.client
from urllib.parse import parse_qsl, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.sax.saxutils import escape

from ..settings import read
from ..urls import is_http, normalize
from . import pingback
from .manifest import Manifest, trim
from .store import RateLimited, Store

log = logging.getLogger(__name__)

TRACKBACK_PATH = re.compile(r"^/trackback/(?P<slug>[^/]+)/?$")
WEBMENTION_PATH = re.compile(r"^/webmention/?$")
FORM_TYPE = "application/x-www-form-urlencoded"
# UTF-7 can smuggle "<" past filters that look for it; the spec's charset freedom stops there.
REFUSED_CHARSETS = {"utf-7", "utf_7"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Refusal(Exception):
    """A ping we will not store: the HTTP status and the message the sender gets."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class Receiver:
    """The WSGI app; one instance serves every thread (each request opens its own connection)."""

    def __init__(self, settings):
        self.conf = read(settings)
        self.store = Store(self.conf["LINKBACKS_DB"]).init()
        self.manifest = Manifest(self.conf["LINKBACKS_MANIFEST"])

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if match := TRACKBACK_PATH.match(path):
            return self.trackback(environ, start_response, match["slug"])
        if WEBMENTION_PATH.match(path):
            if pingback.is_call(environ):
                return self.pingback(environ, start_response)
            return self.webmention(environ, start_response)
        return _reply(start_response, "404 Not Found", "text/plain", "Nothing here.\n")

    # TrackBack answers in XML whatever happens; a sender reads <error> and <message>.
    def trackback(self, environ, start_response, slug):
        """Answer one TrackBack ping to the post `slug`."""
        try:
            if environ.get("REQUEST_METHOD") != "POST":
                raise Refusal(
                    "405 Method Not Allowed",
                    "TrackBack pings are sent with POST (TrackBack 1.2); this address "
                    "takes url, title, excerpt and blog_name as form fields.",
                )
            post = self.manifest.by_slug(slug)
            if post is None:
                raise Refusal("404 Not Found", f"No post here takes TrackBack pings: {slug}")
            form = self.read_form(environ)
            source = self.check_url(form.get("url"), "url")
            if normalize(source) == normalize(post["url"]):
                raise Refusal("400 Bad Request", "The url is the post itself.")
            self.save(environ, "trackback", post, post["url"], source, form=form)
        except Refusal as refusal:
            return _trackback_reply(start_response, refusal.status, refusal.message)
        except Exception:
            log.exception("linkbacks: TrackBack ping to %s failed", slug)
            return _trackback_reply(
                start_response, "500 Internal Server Error", "The ping could not be stored."
            )
        return _trackback_reply(start_response, "200 OK", None)

    def webmention(self, environ, start_response):
        """Answer one Webmention: 202 when queued for verification, 4xx with a reason."""
        try:
            if environ.get("REQUEST_METHOD") != "POST":
                raise Refusal(
                    "405 Method Not Allowed",
                    "Send a Webmention with POST: form fields source and target.",
                )
            form = self.read_form(environ)
            source = self.check_url(form.get("source"), "source")
            target = self.check_url(form.get("target"), "target")
            if normalize(source) == normalize(target):
                raise Refusal("400 Bad Request", "The source and the target are the same.")
            post = self.manifest.by_url(target)
            if post is None:
                raise Refusal("400 Bad Request", "The target is not a post of this site.")
            self.save(environ, "webmention", post, target, source)
        except Refusal as refusal:
            return _reply(start_response, refusal.status, "text/plain", refusal.message + "\n")
        except Exception:
            log.exception("linkbacks: Webmention failed")
            return _reply(
                start_response, "500 Internal Server Error", "text/plain", "Not stored.\n"
            )
        return _reply(
            start_response,
            "202 Accepted",
            "text/plain",
            "Accepted: the source will be checked for a link before the mention is shown.\n",
        )

    def pingback(self, environ, start_response):
        """Answer one pingback.ping call: queued for verification, or the spec's fault.

        Faults are XML-RPC's error channel, answered with 200 (XML-RPC: "unless there's a
        lower-level error, always return 200 OK"); a body that cannot be read gets a 4xx.
        """
        try:
            source, target = pingback.read_call(environ, self.conf["LINKBACKS_MAX_BODY"])
            source = self.pingback_url(source, "source", pingback.SOURCE_NOT_FOUND)
            target = self.pingback_url(target, "target", pingback.TARGET_NOT_PINGABLE)
            post = self.manifest.by_url(target)
            if post is None and self.manifest.on_site(target):
                raise xmlrpc.client.Fault(pingback.TARGET_NOT_FOUND, "No post of ours is there.")
            if post is None:
                raise xmlrpc.client.Fault(
                    pingback.TARGET_NOT_PINGABLE, "Only this site's posts take pingbacks."
                )
            if normalize(source) == normalize(target):
                raise xmlrpc.client.Fault(pingback.GENERIC, "The source is the target itself.")
            if self.store.has(post["slug"], source):
                raise xmlrpc.client.Fault(
                    pingback.ALREADY_REGISTERED, "This pingback has already been registered."
                )
            try:
                self.save(environ, "pingback", post, target, source)
            except Refusal as refusal:
                raise xmlrpc.client.Fault(pingback.ACCESS_DENIED, refusal.message) from None
        except pingback.BodyRefused as refusal:
            return _reply(start_response, refusal.status, "text/plain", refusal.message + "\n")
        except xmlrpc.client.Fault as fault:
            return _reply(start_response, "200 OK", "text/xml", pingback.fault_xml(fault))
        except Exception:
            log.exception("linkbacks: Pingback failed")
            fault = xmlrpc.client.Fault(pingback.UPSTREAM_ERROR, "Not stored; try again later.")
            return _reply(start_response, "200 OK", "text/xml", pingback.fault_xml(fault))
        message = "Pingback received: the source will be checked for a link before it is shown."
        return _reply(start_response, "200 OK", "text/xml", pingback.success_xml(message))

    def pingback_url(self, value, field, code):
        """check_url for a Pingback: its refusal as the fault `code`."""
        try:
            return self.check_url(value, field)
        except Refusal as refusal:
            raise xmlrpc.client.Fault(code, refusal.message) from None

    def read_form(self, environ):
        """The POSTed form as a dict (first value of each field), within every limit."""
        content_type, _, params = environ.get("CONTENT_TYPE", FORM_TYPE).partition(";")
        if content_type.strip().lower() not in (FORM_TYPE, ""):
            raise Refusal("415 Unsupported Media Type", f"Send the ping as {FORM_TYPE}.")
        charset = _charset(params)
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            raise Refusal("411 Length Required", "The request needs a Content-Length.") from None
        limit = self.conf["LINKBACKS_MAX_BODY"]
        if length > limit or length < 0:
            raise Refusal("413 Content Too Large", f"The ping is larger than {limit} bytes.")
        body = environ["wsgi.input"].read(length)
        # Older engines send their own charset without saying so; Latin-1 never fails.
        for encoding in [charset] if charset else ["utf-8", "latin-1"]:
            try:
                pairs = parse_qsl(
                    body.decode(encoding),
                    keep_blank_values=True,
                    max_num_fields=self.conf["LINKBACKS_MAX_FIELDS"],
                    encoding=encoding,
                    errors="strict",
                )
                break
            except UnicodeDecodeError:
                continue
            except ValueError:
                limit = self.conf["LINKBACKS_MAX_FIELDS"]
                raise Refusal("400 Bad Request", f"More than {limit} form fields.") from None
        else:
            raise Refusal("400 Bad Request", f"The ping is not valid {charset}.")
        form = {}
        for name, value in pairs:
            form.setdefault(name, CONTROL.sub("", value))
        return form

    def check_url(self, value, field):
        """An absolute http(s) URL from field `field`, or a Refusal saying what is wrong."""
        if not value or not value.strip():
            raise Refusal("400 Bad Request", f"The {field} field is missing.")
        value = value.strip()
        if len(value) > self.conf["LINKBACKS_MAX_URL"]:
            raise Refusal(
                "400 Bad Request",
                f"The {field} is longer than {self.conf['LINKBACKS_MAX_URL']} characters.",
            )
        try:
            valid = is_http(value)
            urlsplit(value).port  # noqa: B018  (raises ValueError on a bad port)
        except ValueError:
            valid = False
        if not valid or any(c.isspace() for c in value):
            raise Refusal("400 Bad Request", f"The {field} is not an http(s) URL.")
        return value

    def save(self, environ, kind, post, target, source, *, form=None):
        """Store the ping as pending; Refusal when its address sent too many this minute."""
        size = self.conf["LINKBACKS_MAX_FIELD"]
        form = form or {}
        try:
            self.store.add(
                kind=kind,
                slug=post["slug"],
                target=target,
                source=source,
                title=trim(form.get("title", ""), size),
                excerpt=trim(form.get("excerpt", ""), size),
                blog_name=trim(form.get("blog_name", ""), size),
                address=self.client_address(environ),
                limit=self.conf["LINKBACKS_RATE_LIMIT"],
            )
        except RateLimited:
            raise Refusal(
                "429 Too Many Requests", "Too many pings from your address; try in a minute."
            ) from None

    def client_address(self, environ):
        """Who sent the request: the proxy's X-Forwarded-For entry when behind one."""
        if self.conf["LINKBACKS_BEHIND_PROXY"]:
            forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded.strip():
                # The last entry is the one our own proxy appended; earlier ones are hearsay.
                return forwarded.split(",")[-1].strip()
        return environ.get("REMOTE_ADDR", "")


def _charset(params):
    """The declared charset, checked: Refusal for UTF-7 and for names Python does not know."""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"').lower()
            try:
                canonical = codecs.lookup(charset).name
            except LookupError:
                raise Refusal("400 Bad Request", f"Unknown charset {charset}.") from None
            if canonical in REFUSED_CHARSETS:
                raise Refusal("400 Bad Request", "UTF-7 is not accepted; send UTF-8.")
            return canonical
    return None


def _reply(start_response, status, content_type, text, extra=()):
    body = text.encode("utf-8")
    headers = [
        ("Content-Type", f"{content_type}; charset=utf-8"),
        ("Content-Length", str(len(body))),
        *extra,
    ]
    if status.startswith("405"):
        headers.append(("Allow", "POST"))
    start_response(status, headers)
    return [body]


def _trackback_reply(start_response, status, message):
    if message is None:
        xml = '<?xml version="1.0" encoding="utf-8"?>\n<response>\n<error>0</error>\n</response>\n'
    else:
        xml = (
            '<?xml version="1.0" encoding="utf-8"?>\n<response>\n<error>1</error>\n'
            f"<message>{escape(message)}</message>\n</response>\n"
        )
    return _reply(start_response, status, "text/xml", xml)


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request, with room for a burst of connections."""

    daemon_threads = True
    request_queue_size = 1024


class QuietHandler(WSGIRequestHandler):
    """A request handler that does not log every request (tests, load runs)."""

    def log_message(self, format, *args):
        pass


def make_dev_server(settings, host="127.0.0.1", port=8001, quiet=False):
    """A threaded wsgiref server for the receiver: for development and tests, not production."""
    return make_server(
        host,
        port,
        Receiver(settings),
        server_class=ThreadingWSGIServer,
        handler_class=QuietHandler if quiet else WSGIRequestHandler,
    )
