"""The WSGI application that receives pings: TrackBack 1.2, W3C Webmention and Pingback 1.0.

    POST /trackback/<slug>   TrackBack 1.2 (http://archive.cweiske.de/trackback/trackback-1.2.html)
    POST /webmention         Webmention (https://www.w3.org/TR/webmention/#receiving-webmentions),
                             or, with an XML body, Pingback 1.0 (reblog.linkbacks.pingback)

It answers once the ping is stored as pending, never after fetching its source: checking
before answering would let anyone make us fetch any URL on demand, and would hold a
server thread for every slow sender. Its background verifier (reblog.linkbacks.background)
checks the ping a moment later, or `linkbacks verify` does.
"""

import codecs
import logging
import re
import socketserver
import xmlrpc.client
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.sax.saxutils import escape

from ..settings import read
from ..urls import is_http
from . import pingback
from .background import BackgroundVerifier
from .canonical import canonical, post_key
from .manifest import Manifest, trim
from .store import RateLimited, Store
from .text import clean

log = logging.getLogger(__name__)

TRACKBACK_PATH = re.compile(r"^/trackback/(?P<slug>[^/]+)/?$")
WEBMENTION_PATH = re.compile(r"^/webmention/?$")
FORM_TYPE = "application/x-www-form-urlencoded"
# UTF-7 can smuggle "<" past filters that look for it, and Python's escape codecs turn
# "\\x1b" or "\\ud800" into the character; the spec's charset freedom stops there.
REFUSED_CHARSETS = {
    "utf-7",
    "unicode-escape",
    "raw-unicode-escape",
    "idna",
    "punycode",
    "undefined",
}
MAX_SHOWN_SLUG = 100  # characters of an unknown slug quoted back in the 404
SURROGATE = re.compile(r"[\ud800-\udfff]")


class Refusal(Exception):
    """A ping we will not store: the HTTP status and the message the sender gets."""

    def __init__(self, status, message, headers=()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)  # extra response headers: Retry-After


class Receiver:
    """The WSGI app; one instance serves every thread (each request opens its own connection)."""

    def __init__(self, settings):
        self.conf = read(settings)
        self.store = Store(self.conf["LINKBACKS_DB"]).init()
        self.manifest = Manifest(self.conf["LINKBACKS_MANIFEST"])
        self.verifier = BackgroundVerifier(self.conf)

    def close(self):
        """Let the background verifier finish its run (a server shutting down)."""
        self.verifier.stop()

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
                shown = clean(slug)[:MAX_SHOWN_SLUG]
                raise Refusal("404 Not Found", f"No post here takes TrackBack pings: {shown}")
            form = self.read_form(environ)
            source = self.check_url(form.get("url"), "url")
            if post_key(source) == post_key(post["url"]):
                raise Refusal("400 Bad Request", "The url is the post itself.")
            self.save(environ, "trackback", post, post["url"], source, form=form)
        except Refusal as refusal:
            return _trackback_reply(
                start_response, refusal.status, refusal.message, refusal.headers
            )
        except Exception:
            log.exception("linkbacks: TrackBack ping to %s failed", clean(slug)[:MAX_SHOWN_SLUG])
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
            if post_key(source) == post_key(target):
                raise Refusal("400 Bad Request", "The source and the target are the same.")
            post = self.manifest.by_url(target)
            if post is None:
                raise Refusal("400 Bad Request", "The target is not a post of this site.")
            self.save(environ, "webmention", post, target, source)
        except Refusal as refusal:
            return _reply(
                start_response,
                refusal.status,
                "text/plain",
                refusal.message + "\n",
                refusal.headers,
            )
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
            body = self.read_body(environ)
        except Refusal as refusal:
            return _reply(start_response, refusal.status, "text/plain", refusal.message + "\n")
        try:
            source, target = pingback.read_call(body)
            source = self.pingback_url(source, "source", pingback.SOURCE_NOT_FOUND)
            target = self.pingback_url(target, "target", pingback.TARGET_NOT_PINGABLE)
            post = self.manifest.by_url(target)
            if post is None and self.manifest.on_site(target):
                raise xmlrpc.client.Fault(pingback.TARGET_NOT_FOUND, "No post of ours is there.")
            if post is None:
                raise xmlrpc.client.Fault(
                    pingback.TARGET_NOT_PINGABLE, "Only this site's posts take pingbacks."
                )
            if post_key(source) == post_key(target):
                raise xmlrpc.client.Fault(pingback.GENERIC, "The source is the target itself.")
            if self.store.has(post["slug"], source):
                raise xmlrpc.client.Fault(
                    pingback.ALREADY_REGISTERED, "This pingback has already been registered."
                )
            try:
                self.save(environ, "pingback", post, target, source)
            except Refusal as refusal:
                raise xmlrpc.client.Fault(pingback.ACCESS_DENIED, refusal.message) from None
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
        """The POSTed form as a dict (first value of each field, cleaned), within every limit."""
        declared = environ.get("CONTENT_TYPE", "")
        content_type, _, params = declared.partition(";")
        if content_type.strip().lower() != FORM_TYPE:
            said = (
                f"it says {clean(content_type)[:80]!r}" if content_type.strip() else "it has none"
            )
            raise Refusal(
                "415 Unsupported Media Type",
                f"Send the ping as {FORM_TYPE} (the Content-Type header says so; {said}).",
            )
        charset = _charset(params)
        body = self.read_body(environ)
        limit = self.conf["LINKBACKS_MAX_FIELDS"]
        # Older engines send their own charset without saying so; Latin-1 never fails.
        for encoding in [charset] if charset else ["utf-8", "latin-1"]:
            try:
                pairs = parse_qsl(
                    body.decode(encoding),
                    keep_blank_values=True,
                    max_num_fields=limit,
                    encoding=encoding,
                    errors="strict",
                )
                break
            except UnicodeError:  # UnicodeDecodeError, and the codecs that raise their own
                continue
            except ValueError:
                raise Refusal("400 Bad Request", f"More than {limit} form fields.") from None
        else:
            raise Refusal("400 Bad Request", f"The ping is not valid {charset}.")
        form = {}
        for name, value in pairs:
            if SURROGATE.search(name + value):
                raise Refusal("400 Bad Request", "The ping holds an escape that is not text.")
            form.setdefault(name, clean(value))
        return form

    def read_body(self, environ):
        """The request body, exactly Content-Length bytes, or a Refusal saying why not."""
        declared = environ.get("CONTENT_LENGTH") or ""
        if not declared.strip():
            raise Refusal("411 Length Required", "The request needs a Content-Length.")
        if not declared.strip().isdigit() or not declared.strip().isascii():
            raise Refusal("400 Bad Request", "The Content-Length is not a number of bytes.")
        length = int(declared)
        limit = self.conf["LINKBACKS_MAX_BODY"]
        if length > limit:
            raise Refusal("413 Content Too Large", f"The ping is larger than {limit} bytes.")
        try:
            body = environ["wsgi.input"].read(length)
        except (OSError, ValueError):
            body = b""
        if len(body) != length:
            raise Refusal("400 Bad Request", "The body is shorter than its Content-Length.")
        return body

    def check_url(self, value, field):
        """The canonical spelling of an absolute http(s) URL from field `field`, or a
        Refusal saying what is wrong."""
        if not value or not value.strip():
            raise Refusal("400 Bad Request", f"The {field} field is missing.")
        value = value.strip()
        if len(value) > self.conf["LINKBACKS_MAX_URL"]:
            raise Refusal(
                "400 Bad Request",
                f"The {field} is longer than {self.conf['LINKBACKS_MAX_URL']} characters.",
            )
        try:
            valid = is_http(value) and not any(c.isspace() for c in value)
            url = canonical(value)  # ValueError on a bad port or a broken IPv6 literal
        except ValueError:
            valid = False
        if not valid:
            raise Refusal("400 Bad Request", f"The {field} is not an http(s) URL.")
        return url

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
                pending_limit=self.conf["LINKBACKS_PENDING_PER_HOST"],
            )
        except RateLimited as limited:
            raise Refusal(
                "429 Too Many Requests",
                f"{limited}; try again in {limited.retry_after} seconds.",
                [("Retry-After", str(limited.retry_after))],
            ) from None
        if self.conf["LINKBACKS_VERIFY_IN_BACKGROUND"]:
            self.verifier.nudge()

    def client_address(self, environ):
        """Who sent the request: the proxy's X-Forwarded-For entry when behind one."""
        if self.conf["LINKBACKS_BEHIND_PROXY"]:
            forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded.strip():
                # The last entry is the one our own proxy appended; earlier ones are hearsay.
                return forwarded.split(",")[-1].strip()
        return environ.get("REMOTE_ADDR", "")


def _charset(params):
    """The declared charset, checked: Refusal for a name Python does not know, for one that
    is no text encoding (base64, rot13) and for those that read escapes (UTF-7,
    unicode_escape): those would let a sender smuggle characters past every check."""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        charset = value.strip().strip('"').strip()
        if name.strip().lower() != "charset" or not charset:
            continue
        shown = clean(charset)[:40]
        try:
            codec = codecs.lookup(charset)
        except LookupError:
            codec = None
        # bytes.decode's own test: base64 and rot13 are codecs, but not text encodings.
        if codec is None or not getattr(codec, "_is_text_encoding", True):
            raise Refusal("400 Bad Request", f"Unknown text charset {shown!r}; send UTF-8.")
        canonical_name = codec.name
        if canonical_name in REFUSED_CHARSETS:
            raise Refusal("400 Bad Request", f"The charset {shown} is not accepted; send UTF-8.")
        return canonical_name
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


def _trackback_reply(start_response, status, message, extra=()):
    if message is None:
        xml = '<?xml version="1.0" encoding="utf-8"?>\n<response>\n<error>0</error>\n</response>\n'
    else:
        xml = (
            '<?xml version="1.0" encoding="utf-8"?>\n<response>\n<error>1</error>\n'
            f"<message>{escape(clean(message))}</message>\n</response>\n"
        )
    return _reply(start_response, status, "text/xml", xml, extra)


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request, with room for a burst of connections."""

    daemon_threads = True
    request_queue_size = 1024

    def server_close(self):
        super().server_close()
        self.get_app().close()


class ReceiverHandler(WSGIRequestHandler):
    """wsgiref's handler, but a request without a Content-Type has none in the environment
    (wsgiref says text/plain), as under gunicorn: both answer it alike."""

    def get_environ(self):
        environ = super().get_environ()
        if self.headers.get("Content-Type") is None:
            environ.pop("CONTENT_TYPE", None)
        return environ


class QuietHandler(ReceiverHandler):
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
        handler_class=QuietHandler if quiet else ReceiverHandler,
    )
