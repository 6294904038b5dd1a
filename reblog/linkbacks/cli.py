"""The linkbacks command line: `reblog-linkbacks [-s SETTINGS] COMMAND` (the make targets run it).

serve [--host H] [--port P]      run the receiver (development: wsgiref, threaded)
verify                           check pending pings (within LINKBACKS_VERIFY_BUDGET): approved
                                 if the source links, else spam; the rest stay pending
list [STATE]                     pings in a state (pending, approved, spam, rejected, all)
approve|reject|spam|requeue ID…  moderate pings by id (requeue: back to pending)
ping [--dry-run]                 send pings to the articles our posts cite
"""

import argparse
import json
import sys

from ..commandline import site_settings
from ..settings import SettingsError, read
from .receiver import make_dev_server
from .sender import NotPublic, SendError, send_pings
from .store import STATES, Store, StoreError
from .text import printable, say
from .verify import verify_pending

MODERATION = {"approve": "approved", "reject": "rejected", "spam": "spam", "requeue": "pending"}


def main(argv=None):
    """Run one command; the exit status is 0 on success, 1 when it failed, 2 on bad input."""
    parser = argparse.ArgumentParser(prog="reblog-linkbacks", description=__doc__.split("\n")[0])
    parser.add_argument("-s", "--settings", default="pelicanconf.py", help="Pelican settings file")
    parser.add_argument("--path", help="the content folder, when not the settings' PATH")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the receiver on 127.0.0.1 (development)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    commands.add_parser("verify", help="check pending pings")
    listing = commands.add_parser("list", help="list pings by state")
    listing.add_argument("state", nargs="?", default="all", choices=[*STATES, "all"])
    for name, state in MODERATION.items():
        moderate = commands.add_parser(name, help=f"mark pings {state}")
        moderate.add_argument("ids", nargs="+", type=int, metavar="ID")
    ping = commands.add_parser("ping", help="ping the articles our posts cite")
    ping.add_argument("--dry-run", action="store_true", help="show what would be sent")
    ping.add_argument("slugs", nargs="*", metavar="SLUG", help="only these posts")
    args = parser.parse_args(argv)

    settings = site_settings("linkbacks", args.settings, args.path)
    if settings is None:
        return 2
    try:
        conf = read(settings)
        return COMMANDS.get(args.command, moderate_pings)(args, settings, conf)
    except (SettingsError, StoreError, SendError) as error:
        message = f"linkbacks: {error}" if isinstance(error, SettingsError) else str(error)
        print(printable(message), file=sys.stderr)
        return 2


def run_serve(args, settings, conf):
    """Serve the receiver until interrupted."""
    server = make_dev_server(settings, args.host, args.port)
    print(
        f"linkbacks: receiving at http://{args.host}:{server.server_port}/trackback/<slug> "
        f"and /webmention (Webmention and Pingback); store {conf['LINKBACKS_DB']}",
        flush=True,
    )
    if not conf["LINKBACKS_MANIFEST"].exists():
        print(
            f"linkbacks: no {conf['LINKBACKS_MANIFEST']} yet: every ping is refused until "
            "a build (make html) lists the posts",
            file=sys.stderr,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def run_verify(args, settings, conf):
    """Verify pending pings within LINKBACKS_VERIFY_BUDGET; say how long each took and how
    many are left for the next run."""
    approved, spam, seconds = verify_pending(conf, report=say)
    checked = approved + spam
    each = f", {seconds / checked * 1000:.1f} ms per ping" if checked else ""
    left = len(Store(conf["LINKBACKS_DB"]).pings("pending"))
    print(
        f"linkbacks: {checked} checked: {approved} approved, {spam} spam, {seconds:.2f} s{each}; "
        f"{left} left pending"
    )
    return 0


def run_list(args, settings, conf):
    """Print pings, one a line, with what a moderator needs to decide."""
    pings = Store(conf["LINKBACKS_DB"]).pings(None if args.state == "all" else args.state)
    for ping in pings:
        say(
            f"{ping['id']:>5}  {ping['state']:<8}  {ping['received']}  {ping['kind']:<10}  "
            f"{ping['slug']}  <-  {ping['source']}"
        )
        details = " | ".join(p for p in (ping["title"], ping["blog_name"], ping["note"]) if p)
        if details:
            say(f"{'':>7}{details}")
    if not pings:
        print(f"linkbacks: no {'' if args.state == 'all' else args.state + ' '}pings")
    return 0


def moderate_pings(args, settings, conf):
    """Set the state of each ping by id; 1 when an id does not exist."""
    store = Store(conf["LINKBACKS_DB"])
    if not store.path.exists():
        print(f"linkbacks: no store at {store.path}", file=sys.stderr)
        return 1
    status = 0
    for ping_id in args.ids:
        if store.set_state(ping_id, MODERATION[args.command], note=f"{args.command} by hand"):
            print(f"linkbacks: ping {ping_id} is {MODERATION[args.command]}")
        else:
            print(f"linkbacks: no ping {ping_id} in {store.path}", file=sys.stderr)
            status = 1
    return status


def run_ping(args, settings, conf):
    """Send pings for every post in the manifest the last build wrote."""
    path = conf["LINKBACKS_MANIFEST"]
    if not path.exists():
        raise SendError(f"linkbacks: no manifest at {path}; build the site first (make publish)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise SendError(f"linkbacks: {path} is not valid JSON ({error})") from error
    unknown = set(args.slugs) - {post["slug"] for post in manifest["posts"]}
    if unknown:
        raise SendError(f"linkbacks: no post {', '.join(sorted(unknown))} in {path}")
    try:
        counts = send_pings(conf, manifest, dry_run=args.dry_run, slugs=args.slugs, report=say)
    except NotPublic as error:
        # Not a failure: a build for a placeholder or local address has nobody to tell.
        print(printable(f"linkbacks: {error}"), file=sys.stderr)
        return 0
    if args.dry_run:
        print("linkbacks: dry run; nothing sent, ledger unchanged")
    else:
        print(
            f"linkbacks: {counts['sent']} sent, {counts['failed']} failed (retried next run), "
            f"{counts['unsupported']} without an endpoint; ledger {conf['LINKBACKS_LEDGER']}"
        )
    return 0


COMMANDS = {"serve": run_serve, "verify": run_verify, "list": run_list, "ping": run_ping}
