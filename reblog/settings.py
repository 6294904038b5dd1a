"""Every setting the engine adds to Pelican's, with its default and its meaning: one table.

Pelican's own settings (SITENAME, ARTICLE_URL, FEED_ALL_RSS, FEED_MAX_ITEMS, ...) keep
Pelican's defaults and meaning and are not repeated here. A site's pelicanconf.py sets only
what differs from these defaults; docs/settings.md shows this table (a test keeps the two
the same: `python -m reblog.settings` prints it).

`read(settings)` merges a Pelican settings dict over the defaults, checks every value once
and keeps the result on that dict, so each plugin and command asks as often as it likes
and a new build (a new settings dict) is read afresh.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    meaning: str
    kind: str = "any"  # how read() checks it: see CHECKS


# The keys of the REPOST setting, with their defaults.
REPOST_DEFAULTS = {
    "EXCERPT_WORDS": 150,
    "TIMEOUT": 10,
    "MAX_BYTES": 5_000_000,
    "MAX_REDIRECTS": 5,
    "CATEGORY": None,
}

# What every feed reader renders, down to newsboat in a terminal (FEED_SMALL_READER).
FEED_ELEMENTS = ("p", "br", "a", "em", "strong", "b", "i", "blockquote", "ul", "ol", "li")
FEED_ELEMENTS += ("h2", "h3", "h4", "pre", "code", "img", "hr", "table", "tr", "th", "td")
# The web readers the subscribe page links each feed to, by their subscribe addresses
# (`{url}`: the feed's address, percent-encoded).
SUBSCRIBE_READERS = {
    "Feedly": "https://feedly.com/i/subscription/feed/{url}",
    "Inoreader": "https://www.inoreader.com/?add_feed={url}",
    "NewsBlur": "https://www.newsblur.com/?url={url}",
}

SETTINGS = (
    # Writing: what a build checks in every post.
    Setting(
        "METADATA_EXTRA_KEYS",
        (),
        "Metadata keys your own theme or plugins read, besides those in docs/writing.md; "
        "any other unknown key is a warning (an error when it looks like a known key misspelt).",
        "keys",
    ),
    Setting(
        "BROKEN_LINKS",
        "error",
        "What `make html` does about a link or image in a post that points at no file of the "
        "site: `error` (the build fails, naming each), `warning` (it is named, the build goes "
        "on) or `off`.",
        "broken links",
    ),
    # Links and linkbacks: what every post advertises.
    Setting(
        "TRACKBACK_URL",
        None,
        "Where other blogs send TrackBack pings; `{slug}` is the post's slug. None hides the "
        "Trackback URI and its RDF everywhere.",
        "optional text",
    ),
    Setting(
        "WEBMENTION_URL",
        None,
        "The receiver's Webmention endpoint, which takes Pingback's XML-RPC calls too: every "
        "published post advertises it as both; None advertises neither.",
        "optional text",
    ),
    # Linkbacks: where the receiver, the build and the sender keep their files. Relative
    # paths start at the folder that holds the content folder (PATH's parent).
    Setting(
        "LINKBACKS_DB",
        "var/linkbacks.sqlite3",
        "The SQLite store of received pings (written by the receiver, read by the build).",
        "path",
    ),
    Setting(
        "LINKBACKS_MANIFEST",
        "var/linkbacks-manifest.json",
        "The build's list of published posts and what they cite, read by the receiver and "
        "the sender.",
        "path",
    ),
    Setting(
        "LINKBACKS_LEDGER",
        "linkbacks-sent.json",
        "What was pinged, committed like content so each (post, cited page) is pinged once.",
        "path",
    ),
    Setting(
        "LINKBACKS_MAX_BODY",
        16 * 1024,
        "Bytes of form data the receiver reads from one ping.",
        "positive",
    ),
    Setting(
        "LINKBACKS_MAX_FIELD",
        250,
        "Characters kept of a ping's title, excerpt and blog name.",
        "positive",
    ),
    Setting(
        "LINKBACKS_MAX_URL",
        2000,
        "Characters of a source URL; a longer one is refused.",
        "positive",
    ),
    Setting("LINKBACKS_MAX_FIELDS", 10, "Form fields in one ping; more are refused.", "positive"),
    Setting("LINKBACKS_RATE_LIMIT", 10, "Pings stored per sending address per minute.", "positive"),
    Setting(
        "LINKBACKS_BEHIND_PROXY",
        False,
        "Count pings by the address your own reverse proxy appends to X-Forwarded-For. "
        "Switch on only behind a proxy you run that sets that header.",
        "bool",
    ),
    Setting(
        "LINKBACKS_PENDING_PER_HOST",
        20,
        "Pings from one source host that may wait to be checked; more are refused (429) "
        "until some are.",
        "positive",
    ),
    Setting(
        "LINKBACKS_VERIFY_IN_BACKGROUND",
        True,
        "The receiver checks the pings it stores itself, in the background, a moment after "
        "answering; off, pending pings wait for `make linkbacks-verify`.",
        "bool",
    ),
    Setting(
        "LINKBACKS_VERIFY_WORKERS",
        4,
        "Source pages a verification run fetches at once (never two of one host).",
        "positive",
    ),
    Setting(
        "LINKBACKS_VERIFY_BUDGET",
        60.0,
        "Seconds one verification run may take, whatever the queue holds; what it did not "
        "reach stays pending for the next run.",
        "positive",
    ),
    Setting(
        "LINKBACKS_FETCH_TIMEOUT",
        10.0,
        "Seconds for one whole request of the verifier or the sender, connect to last byte.",
        "positive",
    ),
    Setting(
        "LINKBACKS_FETCH_MAX_BYTES",
        1024 * 1024,
        "Bytes the verifier or the sender reads of one page.",
        "positive",
    ),
    Setting("LINKBACKS_FETCH_MAX_REDIRECTS", 5, "Redirects one request may follow.", "count"),
    Setting(
        "LINKBACKS_ALLOW_PRIVATE",
        False,
        "Tests only: let the verifier and the sender reach loopback and private addresses, "
        "and `make ping` and `make websub` announce a site on a placeholder address.",
        "bool",
    ),
    Setting(
        "LINKBACKS_SEND_ORDER",
        ("webmention", "pingback", "trackback"),
        "Which endpoint `make ping` uses when a cited page advertises several, best first.",
        "send order",
    ),
    Setting(
        "LINKBACKS_MAX_TARGETS",
        20,
        "Links of one post that are pinged at most (the credit's links come first).",
        "positive",
    ),
    Setting(
        "LINKBACKS_SEND_MAX_ATTEMPTS",
        5,
        "Failed pings to one cited page before `make ping` gives up on it, so an old "
        "repost's dead source blog does not cost every publish a timeout.",
        "positive",
    ),
    # Feeds: Pelican's feed settings keep their meaning; these are added.
    Setting(
        "FEED_ALL_JSON",
        None,
        "Where the JSON Feed 1.1 of all posts is written (like FEED_ALL_ATOM); None: none.",
        "optional text",
    ),
    Setting(
        "CATEGORY_FEED_JSON",
        None,
        "Each category's JSON Feed; `{slug}` is the category's slug. None: none.",
        "optional text",
    ),
    Setting(
        "TAG_FEED_JSON",
        None,
        "Each tag's JSON Feed; `{slug}` is the tag's slug. None: none.",
        "optional text",
    ),
    Setting(
        "AUTHOR_FEED_JSON",
        None,
        "Each author's JSON Feed; `{slug}` is the author's slug. None: none.",
        "optional text",
    ),
    Setting(
        "FEED_TTL",
        60,
        "RSS `<ttl>`: minutes a reader may cache a feed before fetching it again; None: "
        "no `<ttl>`.",
        "optional positive int",
    ),
    Setting(
        "WEBSUB_HUB",
        None,
        'A WebSub hub announced as rel="hub" in every feed; None: no hub.',
        "optional text",
    ),
    Setting(
        "SUBSCRIBE_READERS",
        SUBSCRIBE_READERS,
        "The feed readers the subscribe page offers for each feed, name: address; "
        "`{url}` stands for the feed's address, percent-encoded. The page always offers the "
        "`feed:` link too (the reader app the device has); `{}`: only that.",
        "readers",
    ),
    Setting(
        "FEED_SMALL_READER",
        True,
        "Feed items carry only FEED_ELEMENTS, what every reader renders: definition lists, "
        "figures, wide tables and embedded players are rewritten into paragraphs and links "
        "(docs/feeds.md). False: the post's HTML, only made safe.",
        "bool",
    ),
    Setting(
        "FEED_ELEMENTS",
        FEED_ELEMENTS,
        "The elements a feed item keeps with FEED_SMALL_READER; others are rewritten or "
        "unwrapped (their text kept). Without `table`, every table becomes paragraphs.",
        "keys",
    ),
    Setting(
        "FEED_TABLE_MAX_COLUMNS",
        3,
        "Columns of the widest table a feed item keeps as a table; a wider one becomes a "
        "paragraph per row.",
        "positive",
    ),
    Setting(
        "FEED_IMAGE_MAX_WIDTH",
        600,
        "Pixels: a feed item's image wider than this is given this width, its height in "
        "proportion.",
        "positive",
    ),
    Setting(
        "WEBSUB_LEDGER",
        "websub-published.json",
        "What `make websub` told WEBSUB_HUB: each feed's address and the hash of the version "
        "announced, committed like content so an unchanged feed is not announced again.",
        "path",
    ),
    Setting(
        "WEBSUB_TIMEOUT",
        10.0,
        "Seconds for one request to WEBSUB_HUB, connect to last byte.",
        "positive",
    ),
    Setting(
        "WEBSUB_ATTEMPTS",
        3,
        "Requests per feed before `make websub` reports the hub down (5xx, 429, no answer); "
        "a refusal (4xx) is reported at once.",
        "positive",
    ),
    Setting(
        "FEED_MAX_BYTES",
        204_800,
        "The most bytes one feed file may weigh, for readers on slow links: when the newest "
        "FEED_MAX_ITEMS posts in full would weigh more, the largest are sent as summary, "
        "credit and a link to the post until the file fits (the newest stay whole first). "
        "None: no limit.",
        "optional positive int",
    ),
    # Publishing extras.
    Setting(
        "ASSET_HASH_LENGTH",
        10,
        "Hex digits of the content hash in the stylesheet's `?v=`.",
        "positive",
    ),
    Setting(
        "PRECOMPRESS_EXTENSIONS",
        (".html", ".css", ".xml", ".json", ".txt"),
        "Files the precompress plugin writes a `.gz` copy of.",
        "any",
    ),
    Setting(
        "PRECOMPRESS_MIN_SIZE",
        256,
        "Bytes below which a file gets no `.gz` copy (gzip saves nothing a request would notice).",
        "positive",
    ),
    # Deploying: the headers every host gets (reblog.hosting, docs/deploying.md).
    Setting(
        "CACHE_MAX_AGE",
        300,
        "Seconds a browser or CDN may reuse a page, a feed, the sitemap or any file whose "
        "address stays the same when it changes, before asking again (an unchanged file is "
        "then a 304). The theme's files, linked with their content hash, are kept a year.",
        "count",
    ),
    # The repost command.
    Setting(
        "REPOST",
        REPOST_DEFAULTS,
        "`make repost`'s defaults; a dict may set any of them, and the command's options "
        "override both. EXCERPT_WORDS: the excerpt ends at the paragraph boundary nearest to "
        "it. TIMEOUT: seconds for a whole download. MAX_BYTES: larger pages and feeds are "
        "refused. CATEGORY: the draft's category; None is the site's DEFAULT_CATEGORY.",
        "repost",
    ),
)

DEFAULTS = {setting.name: setting.default for setting in SETTINGS}
LINKBACK_KINDS = ("webmention", "pingback", "trackback")
PATHS = tuple(setting.name for setting in SETTINGS if setting.kind == "path")
# Where read() keeps its answer on the settings dict: lower case, so no template sees it.
_READ = "_reblog_settings"


class SettingsError(ValueError):
    """A setting with a value the engine cannot work with; the message names it."""


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise SettingsError(f"{name} must be a positive number, not {value!r}")
    return value


def _count(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SettingsError(f"{name} must be 0 or more, not {value!r}")
    return value


def _optional_text(name, value):
    if value is not None and not isinstance(value, str):
        raise SettingsError(f"{name} must be a string or None, not {value!r}")
    return value


def _optional_positive_int(name, value):
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
        raise SettingsError(f"{name} must be a positive whole number or None, not {value!r}")
    return value


def _bool(name, value):
    return bool(value)


def _send_order(name, value):
    order = list(value or ())
    if not order or any(kind not in LINKBACK_KINDS for kind in order):
        raise SettingsError(f"{name} must list some of {', '.join(LINKBACK_KINDS)}, not {value!r}")
    return order


def _keys(name, value):
    if isinstance(value, str) or not all(isinstance(key, str) for key in value or ()):
        raise SettingsError(f"{name} must be a list of key names, not {value!r}")
    return tuple(value or ())


BROKEN_LINKS_LEVELS = ("error", "warning", "off")


def _broken_links(name, value):
    if value not in BROKEN_LINKS_LEVELS:
        raise SettingsError(
            f"{name} must be one of {', '.join(BROKEN_LINKS_LEVELS)}, not {value!r}"
        )
    return value


def _readers(name, value):
    if not isinstance(value, dict) or not all(
        isinstance(reader, str) and isinstance(address, str) and "{url}" in address
        for reader, address in value.items()
    ):
        raise SettingsError(
            f"{name} must map reader names to addresses holding {{url}}, not {value!r}"
        )
    return value


def _repost(name, value):
    unknown = sorted(set(value or {}) - set(REPOST_DEFAULTS))
    if unknown:
        raise SettingsError(
            f"{name} has unknown keys {', '.join(unknown)} (known: {', '.join(REPOST_DEFAULTS)})"
        )
    return {**REPOST_DEFAULTS, **(value or {})}


CHECKS = {
    "any": lambda name, value: value,
    "path": lambda name, value: value,  # made absolute in read()
    "positive": _positive,
    "count": _count,
    "bool": _bool,
    "optional text": _optional_text,
    "optional positive int": _optional_positive_int,
    "send order": _send_order,
    "repost": _repost,
    "keys": _keys,
    "broken links": _broken_links,
    "readers": _readers,
}


def read(settings):
    """The engine's settings from a Pelican settings dict, over DEFAULTS, checked once.

    Paths come back absolute, from the project folder (see `project_root`), so the build,
    the receiver and the commands agree on them whatever the working directory.
    """
    # Kept with the raw values it was read from: a copy of the dict with one setting changed
    # (as tests and tools make) is read afresh, never answered from the original's cache.
    raw = [settings.get(setting.name, setting.default) for setting in SETTINGS]
    raw.append(settings.get("PATH"))
    cached = settings.get(_READ)
    if cached is not None and cached[0] == raw:
        return cached[1]
    merged = {}
    for setting in SETTINGS:
        value = settings.get(setting.name, setting.default)
        merged[setting.name] = CHECKS[setting.kind](setting.name, value)
    root = project_root(settings)
    for name in PATHS:
        merged[name] = root / Path(merged[name]).expanduser()
    settings[_READ] = (raw, merged)
    return merged


def project_root(settings):
    """The folder holding the content folder: where relative engine paths start."""
    path = settings.get("PATH")
    return Path(path).resolve().parent if path else Path.cwd()


def markdown_table():
    """The settings as the Markdown table docs/settings.md shows."""

    def shown(value):
        if isinstance(value, tuple):
            value = list(value)
        return f"`{value!r}`".replace("|", "\\|")

    rows = ["| setting | default | meaning |", "| --- | --- | --- |"]
    for setting in SETTINGS:
        rows.append(
            f"| `{setting.name}` | {shown(setting.default)} | "
            f"{setting.meaning.replace('|', chr(92) + '|')} |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
