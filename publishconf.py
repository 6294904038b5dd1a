"""Production settings for `make publish`: pelicanconf.py plus what changes on the live site."""

import os
import sys
from pathlib import Path

# Pelican loads this file by path; make pelicanconf.py beside it importable from any cwd.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pelicanconf import *

# One setting for the site's address. A deploy can set it from the environment
# (`SITEURL=https://blog.example.net make publish`) without editing this file.
SITEURL = os.environ.get("SITEURL", "https://worth-a-thorough-read.example.org").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

# Every feed is published: one switched off while writing (None) comes back on here.
FEED_ALL_RSS = FEED_ALL_RSS or "feeds/all.rss.xml"
FEED_ALL_ATOM = FEED_ALL_ATOM or "feeds/all.atom.xml"
FEED_ALL_JSON = FEED_ALL_JSON or "feeds/all.json"
CATEGORY_FEED_RSS = CATEGORY_FEED_RSS or "feeds/category/{slug}.rss.xml"
CATEGORY_FEED_ATOM = CATEGORY_FEED_ATOM or "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_JSON = CATEGORY_FEED_JSON or "feeds/category/{slug}.json"

# Linkbacks: the receiver is deployed on the site's own host (README, "Publishing and deploying").
TRACKBACK_URL = SITEURL + "/trackback/{slug}"
WEBMENTION_URL = SITEURL + "/webmention"

# What a static host wants: sitemap.xml (pelican-sitemap; sitemap_dates keeps it
# reproducible), robots.txt pointing at it, 404.html (pelicanconf's DIRECT_TEMPLATES),
# and .gz copies. precompress stays last: it compresses what the plugins before it wrote.
PLUGINS = [*PLUGINS, "sitemap", "sitemap_dates", "precompress"]
SITEMAP = {"format": "xml", "exclude": [r"^404\.html$", r"^robots\.txt$"]}
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "robots"]
ROBOTS_SAVE_AS = "robots.txt"
ROBOTS_URL = "robots.txt"

DELETE_OUTPUT_DIRECTORY = True
