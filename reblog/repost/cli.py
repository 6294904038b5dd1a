"""`reblog-repost SOURCE`: draft a credited repost from an address, a saved page or a feed.

Run from the site's folder; `make repost SOURCE=...` does, with each option as a make
variable (MAKE_VARIABLES: `make repost SOURCE=... SLUG=x` gives --slug x).
"""

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.settings import read_settings

from ..commandline import MakeVariables, shown
from ..credit import ORIGINAL_FIELDS, InvalidAttribution, validate
from ..settings import REPOST_DEFAULTS, SettingsError, read
from ..urls import is_http
from . import PLACEHOLDER, draft, extract
from .excerpt import excerpt
from .fetch import RepostError, fetch, read_file, user_agent

# Each option's make variable: `make repost SOURCE=... SLUG=x` gives --slug x. The Makefile
# gives --settings and --content itself, from PUBLISHCONF and INPUTDIR.
MAKE_VARIABLES = MakeVariables(
    "make repost",
    {
        "--item": "ITEM",
        "--match": "MATCH",
        "--words": "WORDS",
        "--title": "TITLE",
        "--slug": "SLUG",
        "--category": "CATEGORY",
        "--via": "VIA",
        "--via-url": "VIA_URL",
        "--via-note": "VIA_NOTE",
        "--date": "DATE",
        "--timeout": "TIMEOUT",
        "--max-bytes": "MAX_BYTES",
        "--max-redirects": "MAX_REDIRECTS",
    },
)


def parser():
    """The command line, documented for --help."""
    cli = MAKE_VARIABLES.parser(
        prog="make repost SOURCE=... (or: reblog-repost)",
        description=(
            "Draft a credited repost in the site's posts folder (Status: draft). SOURCE is an "
            "article's http(s) address, a saved HTML page, or a feed's address or file with "
            "--item or --match. Prints the new file's path, what was found and what was not."
        ),
    )
    cli.add_argument("source", metavar="SOURCE", help="address or file of a page or a feed")
    pick = cli.add_mutually_exclusive_group()
    pick.add_argument("--item", type=int, metavar="N", help="repost the feed's N-th item (from 1)")
    pick.add_argument("--match", metavar="TEXT", help="repost the first feed item titled ~TEXT")
    default = REPOST_DEFAULTS
    words = f"excerpt length (default {default['EXCERPT_WORDS']})"
    cli.add_argument("--words", type=int, metavar="N", help=words)
    cli.add_argument("--title", help="the post's title, when the page's is missing or poor")
    cli.add_argument("--slug", help="the post's slug (default: made from the title)")
    cli.add_argument("--category", help="the post's category (default: DEFAULT_CATEGORY)")
    cli.add_argument("--via", metavar="NAME", help="how it reached you, e.g. a feed reader")
    cli.add_argument("--via-url", metavar="URL", help="that reader's or service's address")
    cli.add_argument("--via-note", metavar="TEXT", help="what it is, e.g. a feed reader for phones")
    cli.add_argument("--date", help="the post's date, YYYY-MM-DD[ HH:MM] (default: now)")
    cli.add_argument(
        "--settings",
        default="publishconf.py",
        help="settings file (default publishconf.py: its SITEURL names us to the source)",
    )
    cli.add_argument("--content", metavar="DIR", help="content folder (default: PATH setting)")
    cli.add_argument(
        "--timeout", type=float, metavar="SECONDS", help=f"default {default['TIMEOUT']}"
    )
    cli.add_argument("--max-bytes", type=int, metavar="N", help=f"default {default['MAX_BYTES']}")
    cli.add_argument(
        "--max-redirects", type=int, metavar="N", help=f"default {default['MAX_REDIRECTS']}"
    )
    return cli


def main(argv=None):
    """Run the command; 0 when a draft was written, 1 when the input was refused."""
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args([*MAKE_VARIABLES.argv(), *argv])  # given options come last: win
    try:
        path, found, words = repost(args)
    except RepostError as error:
        print(f"repost: {error}", file=sys.stderr)
        return 1
    report(path, found, words, args)
    return 0


def repost(args):
    """Read the source, extract, write the draft; return its path, the `Found` and word count."""
    settings = load_settings(args.settings)
    config = configure(args, settings)
    if args.via_url and not is_http(args.via_url):
        via_url = option("--via-url", args.via_url)
        raise RepostError(f"{via_url} is not an http or https address")
    found = read_source(args, config, user_agent(settings.get("SITENAME"), settings.get("SITEURL")))

    title = draft.metadata_value(args.title or found.title)
    if not title:
        raise RepostError(f"{args.source} has no title; give one with {option('--title')}")
    quote, words = excerpt(
        found.body,
        found.base,
        config["EXCERPT_WORDS"],
        title,
        found.fallback_text,
        article=found.article,
        author=found.author,
    )
    if not quote:
        raise RepostError(f"{args.source} has no article text to quote")

    date = parse_date(args.date, settings.get("TIMEZONE"))
    slug = args.slug or draft.make_slug(title, settings)
    content = Path(args.content) if args.content else Path(settings["PATH"])
    folder = (settings.get("ARTICLE_PATHS") or [""])[0]
    path = content / folder / f"{date:%Y}" / f"{slug}.md"
    clash = draft.post_with_slug(content / folder, slug, settings)
    if clash and clash != path:
        raise RepostError(
            f"{shown(clash)} already has the slug {slug!r}; choose another with {option('--slug')}"
        )
    text = draft.render(
        found,
        quote,
        title=title,
        date=date,
        author=settings.get("AUTHOR"),
        category=config["CATEGORY"] or settings.get("DEFAULT_CATEGORY"),
        slug=slug,
        via=args.via,
        via_url=args.via_url,
        via_note=args.via_note,
    )
    try:
        draft.write(path, text)
    except draft.DraftExists:
        raise RepostError(
            f"{shown(path)} already exists; not overwriting it (try {option('--slug')})"
        ) from None
    return path, found, words


def configure(args, settings):
    """The defaults, then the settings' REPOST (reblog.settings), then the command's options."""
    try:
        config = dict(read(settings)["REPOST"])
    except SettingsError as error:
        raise RepostError(f"{args.settings}: {error}") from None
    for option, key in (
        ("timeout", "TIMEOUT"),
        ("max_bytes", "MAX_BYTES"),
        ("max_redirects", "MAX_REDIRECTS"),
        ("words", "EXCERPT_WORDS"),
        ("category", "CATEGORY"),
    ):
        if getattr(args, option) is not None:
            config[key] = getattr(args, option)
    return config


def read_source(args, config, agent):
    """The `Found` for the page, or the chosen item of the feed, that `args.source` names."""

    def read(source):
        if is_http(source):
            return fetch(
                source,
                timeout=config["TIMEOUT"],
                max_bytes=config["MAX_BYTES"],
                max_redirects=config["MAX_REDIRECTS"],
                agent=agent,
            )
        return read_file(source, max_bytes=config["MAX_BYTES"])

    doc = read(args.source)
    wants_item = args.item is not None or args.match
    if doc.kind == "html" and wants_item:
        feed = extract.discover_feed(doc)
        if not feed:
            raise RepostError(f"{args.source} is a page, not a feed, and advertises no feed")
        doc = read(feed)
    if doc.kind == "html":
        return extract.from_page(doc)
    if not wants_item:
        items = "\n  ".join(extract.list_items(doc))
        raise RepostError(
            f"{args.source} is a feed: choose an item with {option('--item', 'N')} or "
            f"{option('--match', 'TEXT')}\n  {items}"
        )
    return extract.from_feed(doc, item=args.item, match=args.match)


def option(name, value="…"):
    """An option named in a message, as the blogger gave it (SLUG=… under make)."""
    return MAKE_VARIABLES.option(name, value)


def load_settings(path):
    """The site's settings, read as Pelican reads them."""
    settings_file = Path(path).resolve()
    if not settings_file.is_file():
        raise RepostError(f"{path}: no such settings file (run from the site's folder)")
    try:
        return read_settings(str(settings_file))
    except Exception as error:  # a settings file is code: any error in it is the blogger's to see
        raise RepostError(f"{path}: {error}") from error


def parse_date(value, timezone):
    """`value` (YYYY-MM-DD or YYYY-MM-DD HH:MM) or now, in the site's time zone."""
    zone = ZoneInfo(timezone) if timezone else None
    if not value:
        return datetime.now(zone)
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=zone)
        except ValueError:
            pass
    date = option("--date", repr(value))
    raise RepostError(f"{date} is not YYYY-MM-DD or YYYY-MM-DD HH:MM")


def report(path, found, words, args):
    """Tell the blogger what was written, what was found where, and what to fill in."""
    print(shown(path))
    print("Found:")
    for field in ORIGINAL_FIELDS:
        value = getattr(found, field.attribute)
        if value:
            print(f"  {field.label + ':':<19} {value}  ({found.sources[field.attribute]})")
    if found.published:
        print(f"  {'Published:':<19} {found.published}  ({found.sources['published']})")
    print(f"  {'Excerpt:':<19} {words} words")
    missing = [field.label for field in ORIGINAL_FIELDS if not getattr(found, field.attribute)]
    if missing:
        print("Not found (add these to the draft by hand if you know them):")
        for label in missing:
            print(f"  {label}")
    # The build checks the credit (reblog.credit); say now what it would reject.
    values = {field.key: getattr(found, field.attribute) for field in ORIGINAL_FIELDS}
    try:
        validate({**values, "via_url": args.via_url})
    except InvalidAttribution as problem:
        print(f"The site will not build this post until that is fixed: {problem}")
    print(
        f"Next: replace the line starting “{PLACEHOLDER[:17]}” with your own words, "
        "delete “Status: draft”, then `make devserver` to read it."
    )
