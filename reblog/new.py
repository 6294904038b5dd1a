"""`reblog-new TITLE` (make new TITLE="..."): start a post, as `hugo new` does.

It writes <content>/posts/<year>/<slug>.md (the first of ARTICLE_PATHS) with the post's
Title, Date (now, in the site's TIMEZONE), Slug (made as the build makes it: Pelican's
slugify with the site's SLUG_REGEX_SUBSTITUTIONS), Status: draft and a line to replace with
the post. With --repost (REPOST=1) it also writes the credit's fields, empty, and the
repost's placeholder: a draft may wait for its credit (reblog.credit), a published post may
not, and a published post still holding the placeholder stops the build
(reblog.content_checks). It never replaces a file, nor brings a second post with a slug the
site already has.
"""

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.settings import read_settings

from .commandline import MakeVariables, shown
from .credit import FIELDS
from .repost import PLACEHOLDER, PLACEHOLDER_START
from .repost.draft import DraftExists, make_slug, metadata_value, post_with_slug, write

# Each option's make variable; the Makefile gives TITLE, --settings and --content itself.
MAKE_VARIABLES = MakeVariables(
    "make new", {"--slug": "SLUG", "--repost": "REPOST"}, flags={"--repost"}
)
# An own post's line for the blogger's words. It starts as the repost's does, so the same
# check stops a post published with it.
OWN_PLACEHOLDER = f"{PLACEHOLDER_START} with your post."


class NewPostError(Exception):
    """The post cannot be written; the message says why and what to do."""


def parser():
    """The command line, documented for --help."""
    cli = MAKE_VARIABLES.parser(
        prog='make new TITLE="..." (or: reblog-new)',
        description=(
            "Start a post: write posts/<year>/<slug>.md in the content folder, dated now in "
            "the site's time zone, as a draft. Prints the new file's path and what to do next."
        ),
    )
    cli.add_argument("title", metavar="TITLE", help="the post's title")
    cli.add_argument("--slug", help="the post's slug (default: made from the title)")
    cli.add_argument(
        "--repost", action="store_true", help="a repost: add the credit's fields, to fill in"
    )
    cli.add_argument(
        "-s",
        "--settings",
        default="pelicanconf.py",
        help="settings file (default pelicanconf.py: PATH, ARTICLE_PATHS, TIMEZONE)",
    )
    cli.add_argument("--content", metavar="DIR", help="content folder (default: PATH setting)")
    return cli


def main(argv=None):
    """Run the command; 0 when the post was written, 2 when it was refused."""
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args([*MAKE_VARIABLES.argv(), *argv])
    try:
        path = new_post(args)
    except NewPostError as error:
        print(f"new: {error}", file=sys.stderr)
        return 2
    print(shown(path))
    print(next_step(args.repost))
    return 0


def new_post(args):
    """Write the new post's file; return its path."""
    settings = load_settings(args.settings)
    title = metadata_value(args.title)
    if not title:
        raise NewPostError('the title is empty: make new TITLE="..."')
    slug = args.slug or make_slug(title, settings, fallback="post")
    if Path(slug).name != slug or slug.startswith("."):
        raise NewPostError(f"{MAKE_VARIABLES.option('--slug', repr(slug))} is not a file name")
    date = datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC"))
    content = Path(args.content) if args.content else Path(settings["PATH"])
    folder = content / (settings.get("ARTICLE_PATHS") or [""])[0]
    path = folder / f"{date:%Y}" / f"{slug}.md"
    another = MAKE_VARIABLES.option("--slug")
    clash = post_with_slug(folder, slug, settings)
    if clash and clash != path:
        raise NewPostError(
            f"{shown(clash)} already has the slug {slug!r}; choose another with {another}"
        )
    try:
        write(path, render(title, date, slug, repost=args.repost))
    except DraftExists:
        raise NewPostError(
            f"{shown(path)} already exists; not overwriting it (choose another slug with {another})"
        ) from None
    return path


def load_settings(path):
    """The site's settings, read as Pelican reads them."""
    if not Path(path).is_file():
        raise NewPostError(f"{path}: no such settings file (run from the site's folder)")
    return read_settings(str(Path(path).resolve()))


def render(title, date, slug, *, repost=False):
    """The new post's text: its metadata, a blank line, the line to replace."""
    header = [
        ("Title", title),
        ("Date", f"{date:%Y-%m-%d %H:%M}"),
        ("Slug", slug),
        ("Status", "draft"),
        *((field.label, "") for field in (FIELDS if repost else ())),
    ]
    lines = [f"{key}: {value}".rstrip() for key, value in header]
    return "\n".join(lines) + "\n\n" + (PLACEHOLDER if repost else OWN_PLACEHOLDER) + "\n"


def next_step(repost):
    """One line: what the blogger does with the new file."""
    if repost:
        return (
            "Next: fill in the Original_* fields, replace the line starting "
            f"“{PLACEHOLDER_START}” with your own words and the excerpt as a quotation (>), "
            "then `make devserver` to read it; delete “Status: draft” to publish it."
        )
    return (
        f"Next: replace the line starting “{PLACEHOLDER_START}” with your post, then "
        "`make devserver` to read it; delete “Status: draft” to publish it."
    )
