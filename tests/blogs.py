"""Other blogs, played by HTTP servers on 127.0.0.1, and a client for our receiver.

A `Blog` serves pages (status, headers, body) and records every POST it receives, so a
test can be a blog that links to our post, one that does not, one advertising each kind
of ping endpoint, one that is slow, or one that redirects forever.
"""

import http.client
import http.server
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from reblog.linkbacks.receiver import make_dev_server
from reblog.linkbacks.store import Store
from reblog.settings import read

POST_URL = "http://localhost:8000/2007/12/networking-myth-versus-truth/"
SLUG = "networking-myth-versus-truth"


def stored(settings, state=None):
    """The pings in the store these settings name (all states when None)."""
    return Store(read(settings)["LINKBACKS_DB"]).pings(state)


class Blog:
    """Pages by path; POSTs to any path are recorded and answered with that path's page."""

    def __init__(self):
        self.pages = {}
        self.posts = []  # (path, headers, body) of every POST, in order
        self.lock = threading.Lock()
        self.server = None

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def page(self, path, body="", *, status=200, headers=None, delay=0.0, content_type=None):
        """Serve `body` at `path` (after `delay` seconds)."""
        headers = dict(headers or {})
        headers.setdefault("Content-Type", content_type or "text/html; charset=utf-8")
        self.pages[path] = (status, headers, body.encode("utf-8"), delay)

    def posts_to(self, path):
        """The bodies POSTed to `path`, decoded as forms when they are forms."""
        with self.lock:
            return [body for posted, _headers, body in self.posts if posted == path]

    def forms_to(self, path):
        return [
            {key: values[0] for key, values in parse_qs(body.decode()).items()}
            for body in self.posts_to(path)
        ]


def _handler(blog):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format, *args):
            pass

        def do_GET(self):
            path = urlsplit(self.path).path
            if path.startswith("/loop"):
                # Redirects forever, each hop to a new address so no client sees a cycle.
                self.send_response(302)
                self.send_header("Location", f"/loop{len(self.path)}")
                self.end_headers()
                return
            self._answer(path)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            path = urlsplit(self.path).path
            with blog.lock:
                blog.posts.append((path, dict(self.headers), body))
            self._answer(path)

        def _answer(self, path):
            if path not in blog.pages:
                self.send_error(404)
                return
            status, headers, body, delay = blog.pages[path]
            time.sleep(delay)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up first (the slow blog's whole point)

    return Handler


@contextmanager
def running_blog():
    """A Blog listening on an ephemeral port of 127.0.0.1 for the duration of the block."""
    blog = Blog()
    blog.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(blog))
    blog.server.daemon_threads = True
    thread = threading.Thread(target=blog.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield blog
    finally:
        blog.server.shutdown()
        blog.server.server_close()


class HangingSite:
    """Accepts connections, reads what is sent and never answers, until the other side
    gives up; counts the connections, and the most ever open at once."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.open = 0
        self.open_at_once = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self):
        while not self.stopping.is_set():
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                continue
            with self.lock:
                self.connections += 1
                self.open += 1
                self.open_at_once = max(self.open_at_once, self.open)
            threading.Thread(target=self._hold, args=(connection,), daemon=True).start()

    def _hold(self, connection):
        connection.settimeout(0.05)
        with connection:
            while not self.stopping.is_set():
                try:
                    if not connection.recv(65536):
                        break  # the client gave up
                except TimeoutError:
                    continue
                except OSError:
                    break
        with self.lock:
            self.open -= 1


@contextmanager
def running_hanging_site():
    """A HangingSite on an ephemeral port of 127.0.0.1 for the duration of the block."""
    site = HangingSite()
    thread = threading.Thread(target=site.serve, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stopping.set()
        thread.join()
        site.listener.close()


@contextmanager
def running_receiver(settings):
    """Our receiver, the real WSGI app in wsgiref's threaded server; yields its base URL."""
    server = make_dev_server(settings, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _plain(value):
    """A setting as a settings file spells it (reading settings makes paths Paths and
    caches what it read under a lower-case key, which is left out)."""
    return str(value) if isinstance(value, Path) else value


def settings_file(folder, settings):
    """A Pelican settings file in `folder` holding `settings`, for a command or a server
    run as its own process; its content folder is made, as Pelican insists on one."""
    Path(settings["PATH"]).mkdir(parents=True, exist_ok=True)
    conf = folder / "linkbacks_conf.py"
    lines = [f"{key} = {_plain(value)!r}\n" for key, value in settings.items() if key.isupper()]
    conf.write_text("".join(lines), encoding="utf-8")
    return conf


@contextmanager
def running_gunicorn(settings):
    """Our receiver under gunicorn (the production server docs/linkbacks.md names), through
    reblog.linkbacks.wsgi and a settings file holding `settings`; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="gunicorn-") as folder:
        conf = settings_file(Path(folder), settings)
        log = Path(folder) / "gunicorn.log"
        with log.open("wb") as log_file:
            server = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "--bind=127.0.0.1:0",
                    "--workers=1",
                    "--threads=4",
                    "--no-control-socket",
                    "reblog.linkbacks.wsgi:application",
                ],
                cwd=folder,
                env={**os.environ, "LINKBACKS_SETTINGS": str(conf)},
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        try:
            yield _gunicorn_address(server, log)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _gunicorn_address(server, log, seconds=30):
    """The address gunicorn says it listens at, once its worker has booted."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        listening = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", text)
        if listening and "Booting worker" in text and "Exception in worker" not in text:
            try:  # the worker has loaded the application once it answers
                post_form(listening[1] + "/", None, content_type=None, method="GET")
                return listening[1]
            except OSError:
                pass
        if server.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"gunicorn did not start:\n{log.read_text(errors='replace')}")


def post_form(url, body, content_type="application/x-www-form-urlencoded", method="POST"):
    """Send `body` (bytes) to `url`; return (status, content type, text). No proxies, ever."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        headers = {"Content-Type": content_type} if content_type else {}
        connection.request(method, parts.path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        return response.status, response.getheader("Content-Type"), text
    finally:
        connection.close()
