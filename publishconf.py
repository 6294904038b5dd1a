"""Production settings for `make publish`: pelicanconf.py plus what changes on the live site."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = os.environ.get("SITEURL", "https://worth-a-thorough-read.example.org").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
TRACKBACK_URL = SITEURL + "/trackback/{slug}"
WEBMENTION_URL = SITEURL + "/webmention"

DELETE_OUTPUT_DIRECTORY = True
