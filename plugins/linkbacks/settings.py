"""Every linkbacks setting, with its default, in one place; read once per command or build.

Paths are relative to the project folder (the one holding `content/`, i.e. the parent of
Pelican's PATH), so the build, the receiver and the command line agree on them whatever
the working directory, and a test build in a temporary folder never touches the real ones.
"""

from pathlib import Path

DEFAULTS = {
    # Where the receiver stores pings (SQLite) and the build reads approved ones from.
    "LINKBACKS_DB": "var/linkbacks.sqlite3",
    # The build's list of posts (URL, slug, title, cited links) the receiver and sender read.
    "LINKBACKS_MANIFEST": "var/linkbacks-manifest.json",
    # What was sent to whom; committed like content so each (post, target) is pinged once.
    "LINKBACKS_LEDGER": "linkbacks-sent.json",
    # The Webmention endpoint advertised by every post page; None advertises none.
    "WEBMENTION_URL": None,
    # Receiver limits.
    "LINKBACKS_MAX_BODY": 16 * 1024,  # bytes of form data in one ping
    "LINKBACKS_MAX_FIELD": 250,  # characters kept of title, excerpt and blog_name
    "LINKBACKS_MAX_URL": 2000,  # characters of a source URL; longer is refused
    "LINKBACKS_MAX_FIELDS": 10,  # form fields in one ping
    "LINKBACKS_RATE_LIMIT": 10,  # pings stored per source address per minute
    # Behind a reverse proxy every request comes from the proxy: use the address it appends
    # to X-Forwarded-For instead. Only switch on when a proxy you run sets that header.
    "LINKBACKS_BEHIND_PROXY": False,
    # Every request the verifier and the sender make.
    "LINKBACKS_FETCH_TIMEOUT": 10.0,  # seconds for a whole request, connect to last byte
    "LINKBACKS_FETCH_MAX_BYTES": 1024 * 1024,
    "LINKBACKS_FETCH_MAX_REDIRECTS": 5,
    # Tests only: let fetches reach loopback and private addresses (servers on 127.0.0.1).
    "LINKBACKS_ALLOW_PRIVATE": False,
    # Which endpoint `ping` uses when a cited page advertises several, best first.
    "LINKBACKS_SEND_ORDER": ["webmention", "pingback", "trackback"],
    # Links cited by one post that are pinged at most (the credit's links come first).
    "LINKBACKS_MAX_TARGETS": 20,
    # A cited page whose ping failed this many times is no longer tried: an old repost's
    # dead source blog must not cost every `make publish` a timeout for ever.
    "LINKBACKS_SEND_MAX_ATTEMPTS": 5,
}

_POSITIVE = [
    "LINKBACKS_MAX_BODY",
    "LINKBACKS_MAX_FIELD",
    "LINKBACKS_MAX_URL",
    "LINKBACKS_MAX_FIELDS",
    "LINKBACKS_RATE_LIMIT",
    "LINKBACKS_FETCH_TIMEOUT",
    "LINKBACKS_FETCH_MAX_BYTES",
    "LINKBACKS_MAX_TARGETS",
    "LINKBACKS_SEND_MAX_ATTEMPTS",
]
KINDS = ("webmention", "pingback", "trackback")


class SettingsError(ValueError):
    """A linkbacks setting with a value it cannot work with."""


def read(settings):
    """DEFAULTS merged with `settings`, checked, with paths made absolute."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    for key in _POSITIVE:
        value = merged[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise SettingsError(f"linkbacks: {key} must be a positive number, not {value!r}")
    redirects = merged["LINKBACKS_FETCH_MAX_REDIRECTS"]
    if isinstance(redirects, bool) or not isinstance(redirects, int) or redirects < 0:
        raise SettingsError(
            f"linkbacks: LINKBACKS_FETCH_MAX_REDIRECTS must be 0 or more, not {redirects!r}"
        )
    order = list(merged["LINKBACKS_SEND_ORDER"])
    if not order or any(kind not in KINDS for kind in order):
        raise SettingsError(
            f"linkbacks: LINKBACKS_SEND_ORDER must list some of {', '.join(KINDS)}, not {order!r}"
        )
    merged["LINKBACKS_SEND_ORDER"] = order
    root = project_root(settings)
    for key in ("LINKBACKS_DB", "LINKBACKS_MANIFEST", "LINKBACKS_LEDGER"):
        merged[key] = root / Path(merged[key]).expanduser()
    merged["SITENAME"] = settings.get("SITENAME", "")
    return merged


def project_root(settings):
    """The folder holding the content folder: where relative linkbacks paths start."""
    path = settings.get("PATH")
    return Path(path).resolve().parent if path else Path.cwd()
