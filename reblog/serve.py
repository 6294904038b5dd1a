"""`reblog-serve` (make serve, make devserver): build the site for http://localhost:PORT and
serve it there, on 127.0.0.1 only.

    reblog-serve [--port N] [--autoreload] [--cache DIR [--full]] [pelican's own arguments]

`pelican -l` serves the output folder as it was built: its absolute addresses (canonical
links, og:url, feed links, the Trackback RDF) keep FEED_DOMAIN's port whatever port it
listens on, and an address with no file gets an empty answer. Here the port reaches the
build as one setting, FEED_DOMAIN, the address absolute links are made from while SITEURL
is empty (reblog.urls), as it is while writing; and an address with no file is answered
with the site's 404.html and status 404, as a static host answers it.

The port is taken before the build, so a port in use is told at once (0: any free port).
Every build is `make html`'s (reblog.build: incremental with --cache, all or nothing).
With --autoreload (make devserver) the site is built again whenever the content, the
theme or the settings change, with Pelican's own watcher (`pelican -r`); a build that fails
names its problems and leaves the last good preview served.
"""

import logging
import os
import signal
import sys
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pelican import DEFAULT_CONFIG_NAME, get_config, parse_arguments
from pelican.log import console
from pelican.server import ComplexHTTPRequestHandler
from pelican.settings import read_settings
from pelican.utils import wait_for_changes

from .build import build, exit_on_sigterm
from .commandline import MakeVariables

DEFAULT_PORT = 8000
HOST = "127.0.0.1"  # a writer's preview: never reachable from another machine
MAKE_VARIABLES = MakeVariables("make serve, make devserver", {"--port": "PORT"})
logger = logging.getLogger("reblog.serve")


class Handler(ComplexHTTPRequestHandler):
    """Pelican's development handler (`/about` finds about.html or about/index.html), but an
    address with no file is answered with the site's 404.html and status 404; and a file
    is sent with an ETag (its time and size, as nginx makes it) besides Last-Modified, so a
    feed reader's conditional reload is answered 304 Not Modified, as a real host does."""

    etag = None

    @property
    def base_path(self):
        return self.server.folder

    def do_GET(self):
        found = self.get_path_that_exists(self.path.split("?", 1)[0])
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self.path = found
        try:
            stat = os.stat(self.translate_path(found))
        except OSError:
            stat = None
        if stat is not None and not os.path.isdir(self.translate_path(found)):
            self.etag = f'"{stat.st_mtime_ns // 1_000_000_000:x}-{stat.st_size:x}"'
            # The standard library answers If-Modified-Since only when no If-None-Match came.
            tags = {tag.strip() for tag in self.headers.get("If-None-Match", "").split(",")}
            if self.etag in tags or "*" in tags:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.end_headers()
                return
        SimpleHTTPRequestHandler.do_GET(self)

    def end_headers(self):
        if self.etag:
            self.send_header("ETag", self.etag)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.base_path) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Server(ThreadingHTTPServer):
    """The HTTP server on HOST:port, serving the folder `folder` once it is set."""

    daemon_threads = True

    def __init__(self, port):
        super().__init__((HOST, port), Handler)
        self.folder = None
        self.address = f"http://localhost:{self.server_address[1]}"


def parser():
    """The command line, documented for --help."""
    cli = MAKE_VARIABLES.parser(
        prog="make serve | make devserver (or: reblog-serve)",
        description=(
            "Build the site for http://localhost:PORT and serve it there (127.0.0.1 only). "
            "Other arguments are Pelican's own (the content folder, -o, -s, ...)."
        ),
        allow_abbrev=False,
    )
    cli.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    cli.add_argument(
        "--autoreload", action="store_true", help="build again on every change (make devserver)"
    )
    cli.add_argument(
        "--cache", type=Path, help="build incrementally, keeping what it needs here (make: var/)"
    )
    cli.add_argument("--full", action="store_true", help="write everything (make: FULL=1)")
    return cli


def main(argv=None):
    """Serve until stopped; 1 when the port cannot be had or the build failed."""
    argv = sys.argv[1:] if argv is None else argv
    options, pelican_argv = parser().parse_known_args([*MAKE_VARIABLES.argv(), *argv])
    try:
        server = Server(options.port)
    except OSError as error:
        port = MAKE_VARIABLES.option("--port", "N")
        print(
            f"serve: cannot listen on {HOST}:{options.port} ({error.strerror}); "
            f"choose another port with {port}",
            file=sys.stderr,
        )
        return 1
    overrides = {"FEED_DOMAIN": server.address}
    signal.signal(signal.SIGTERM, exit_on_sigterm)  # make and tests stop it so: close cleanly
    with server:
        try:
            if options.autoreload:
                return serve_and_rebuild(server, pelican_argv, overrides, options)
            return serve(server, pelican_argv, overrides, options)
        except KeyboardInterrupt:
            return 0


def serve(server, argv, overrides, options):
    """Build as `make html` does, for the server's address; serve the result until stopped."""
    status = build(
        argv, check=False, swap=True, overrides=overrides, cache=options.cache, full=options.full
    )
    if status:
        return status
    server.folder = pelican_settings(argv, overrides)[1]["OUTPUT_PATH"]
    announce(server)
    server.serve_forever()
    return 0


def serve_and_rebuild(server, argv, overrides, options):
    """Build as `make html` does, serve the result, and build again on every change: each
    build incremental and all or nothing, so a mistake leaves the last good preview up."""
    args, settings = pelican_settings(argv, overrides)
    build(argv, check=False, swap=True, overrides=overrides, cache=options.cache, full=options.full)
    server.folder = settings["OUTPUT_PATH"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    announce(server)
    try:
        # Pelican's own autoreload loop (`pelican -r`), with the server told of new settings.
        while True:
            changed = {path for _, path in wait_for_changes(args.settings, settings)}
            console.print(f"\n-> Modified: {', '.join(sorted(changed))}. re-generating...")
            build(argv, check=False, swap=True, overrides=overrides, cache=options.cache)
            args, settings = pelican_settings(argv, overrides)
            server.folder = settings["OUTPUT_PATH"]
    finally:
        server.shutdown()


def pelican_settings(argv, overrides):
    """Pelican's arguments and the settings they give, with `overrides`."""
    args = parse_arguments(argv)
    args.overrides.update(overrides)
    if args.settings is None and os.path.isfile(DEFAULT_CONFIG_NAME):
        args.settings = DEFAULT_CONFIG_NAME
    return args, read_settings(args.settings, override=get_config(args))


def generate(pelican):
    """One build of the preview; an error is logged and the next change may fix it."""
    try:
        pelican.run()
    except Exception as error:
        logger.warning("Build stopped: %s: %s", error.__class__.__name__, error)


def announce(server):
    """The one line that says where to look."""
    print(f"Serving the site at {server.address}/ — Ctrl-C to stop", flush=True)
