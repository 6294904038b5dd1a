"""Production settings for `make publish`: pelicanconf.py plus what changes on the live site."""

import os
from pathlib import Path

from pelican.settings import get_settings_from_file

# Pelican loads this file by its path; pelicanconf.py beside it is read the same way, so
# nothing needs to be on the import path.
writing = get_settings_from_file(str(Path(__file__).with_name("pelicanconf.py")))
globals().update(writing)

# One setting for the site's address. A deploy can set it from the environment
# (`SITEURL=https://blog.example.net make publish`) without editing this file.
SITEURL = os.environ.get("SITEURL", "https://worth-a-thorough-read.example.org").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

# Every feed is published: one switched off while writing (None) comes back on here.
FEED_ALL_RSS = writing.get("FEED_ALL_RSS") or "feeds/all.rss.xml"
FEED_ALL_ATOM = writing.get("FEED_ALL_ATOM") or "feeds/all.atom.xml"
FEED_ALL_JSON = writing.get("FEED_ALL_JSON") or "feeds/all.json"
CATEGORY_FEED_RSS = writing.get("CATEGORY_FEED_RSS") or "feeds/category/{slug}.rss.xml"
CATEGORY_FEED_ATOM = writing.get("CATEGORY_FEED_ATOM") or "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_JSON = writing.get("CATEGORY_FEED_JSON") or "feeds/category/{slug}.json"

# Linkbacks: the receiver is deployed on the site's own host (docs/deploying.md).
TRACKBACK_URL = SITEURL + "/trackback/{slug}"
WEBMENTION_URL = SITEURL + "/webmention"

# What a static host wants: sitemap.xml (pelican-sitemap; reblog_sitemap_dates keeps it
# reproducible), robots.txt pointing at it, 404.html (pelicanconf's DIRECT_TEMPLATES),
# and .gz copies (reblog_precompress: after the others, it compresses what they wrote),
# then `_headers` for Netlify and Cloudflare Pages (reblog_hosting, docs/deploying.md).
PLUGINS = [
    *writing["PLUGINS"],
    "sitemap",
    "reblog_sitemap_dates",
    "reblog_precompress",
    "reblog_hosting",
]
SITEMAP = {"format": "xml", "exclude": [r"^404\.html$", r"^robots\.txt$"]}
DIRECT_TEMPLATES = [*writing["DIRECT_TEMPLATES"], "robots"]
ROBOTS_SAVE_AS = "robots.txt"
ROBOTS_URL = "robots.txt"

DELETE_OUTPUT_DIRECTORY = True
