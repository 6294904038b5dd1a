"""Every setting the feeds plugin reads, with its default, checked once per build.

Pelican's own feed settings (FEED_ALL_RSS, CATEGORY_FEED_ATOM, FEED_MAX_ITEMS,
RSS_FEED_SUMMARY_ONLY, FEED_DOMAIN, FEED_APPEND_REF, ...) keep Pelican's defaults and
meaning; these are the ones the plugin adds.
"""

DEFAULTS = {
    # JSON Feed 1.1 (https://jsonfeed.org/version/1.1): where each feed is written,
    # like Pelican's *_ATOM/*_RSS settings; {slug} is the category's, tag's or author's.
    "FEED_ALL_JSON": None,
    "CATEGORY_FEED_JSON": None,
    "TAG_FEED_JSON": None,
    "AUTHOR_FEED_JSON": None,
    # RSS <ttl>: minutes a reader may cache the feed before fetching it again.
    "FEED_TTL": 60,
    # A WebSub hub announced as rel="hub" in every feed (None: no hub).
    "WEBSUB_HUB": None,
    # Output path of the XSLT stylesheet browsers use to show RSS/Atom as a page
    # (None: no <?xml-stylesheet?>). Referenced relative to each feed, so it is same-origin.
    "FEED_STYLESHEET": None,
}


def feed_settings(settings):
    """The plugin's settings merged over DEFAULTS; a bad value raises naming the setting."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    ttl = merged["FEED_TTL"]
    if ttl is not None and (not isinstance(ttl, int) or isinstance(ttl, bool) or ttl <= 0):
        raise ValueError(f"feeds: FEED_TTL must be a positive number of minutes, not {ttl!r}")
    for key in ("WEBSUB_HUB", "FEED_STYLESHEET", *(k for k in DEFAULTS if k.endswith("_JSON"))):
        if merged[key] is not None and not isinstance(merged[key], str):
            raise ValueError(f"feeds: {key} must be a string or None, not {merged[key]!r}")
    return merged
