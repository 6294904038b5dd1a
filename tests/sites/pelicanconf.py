"""The fixture sites' writing settings: the engine's tests build tests/sites/<name>/content
with these, never the blog's own pelicanconf.py, so the owner may change either freely.

They start as the shape of a real blog's settings; the theme and plugins are the
repository's (paths here are relative to this file, as Pelican reads them).
"""

AUTHOR = "RLW"
SITENAME = "Worth a Thorough Read"
SITESUBTITLE = "Articles worth reading, republished with credit and a few words of my own."
SITEURL = ""
# Root-relative links ("/2007/12/slug/"), as Pelican's quickstart leaves it: `make serve`
# shows the site as it will be published. Document-relative URLs (`make html RELATIVE=1`)
# make Pelican render every summary and post body once per folder depth.
RELATIVE_URLS = False

PATH = "networking/content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
# Never published: a README.md note (content/images/ has one, so git keeps the folder), and
# hidden files such as .DS_Store. Pelican's default "**/.*" only stops the devserver watching
# them: its generators match file names, which hold no "/".
IGNORE_FILES = ["**/.*", ".*", "README.md"]

# A post without Category is filed under Uncategorized, as WordPress files it; the folder
# layout posts/<year>/ is only a convenience and never becomes a category.
DEFAULT_CATEGORY = "Uncategorized"
USE_FOLDER_AS_CATEGORY = False

TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"
DEFAULT_PAGINATION = 10
# A post without a Summary is introduced by its first paragraph, cut at 50 words: short
# for the index and for feed readers, and cheap to make (only that paragraph is parsed).
SUMMARY_MAX_PARAGRAPHS = 1

ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = "authors/index.html"
# The subscribe page: every feed's address and links that open it in feed readers.
SUBSCRIBE_URL = "subscribe/"
SUBSCRIBE_SAVE_AS = "subscribe/index.html"
DIRECT_TEMPLATES = ["index", "archives", "categories", "tags", "authors", "subscribe", "404"]
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds (the reblog_feeds plugin): all posts and each category, as RSS 2.0, Atom and JSON Feed.
# Tag and author feeds stay off.
FEED_ALL_RSS = "feeds/all.rss.xml"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_JSON = "feeds/all.json"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_JSON = "feeds/category/{slug}.json"
AUTHOR_FEED_RSS = None
AUTHOR_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
FEED_DOMAIN = "http://localhost:8000"
# Small readers on slow links: the newest 20 posts, each with its summary and full text.
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = False

THEME = "../../theme"
# Pelican's Jinja does not autoescape by default: a hostile title would become live markup.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# No SmartyPants: posts carry their own typography (curly quotes, dashes), and the smarty
# extension alone took ~45% of Markdown time, 1.4x stock Pelican's build (`make bench`).
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.def_list": {},
        "markdown.extensions.extra": {},
    },
    "output_format": "html5",
}

# The engine's plugins (plugins/, each a thin adapter to the reblog package). Their names
# carry the reblog_ prefix so that no published pelican.plugins.* package shadows them.
PLUGIN_PATHS = ["../../plugins"]
PLUGINS = [
    "reblog_permalinks",
    "reblog_content_checks",
    "reblog_incremental",
    "reblog_credit",
    "reblog_linkbacks",
    "reblog_structured_data",
    "reblog_images",
    "reblog_feeds",
    "reblog_asset_hash",
    "reblog_theme_root",
]

# Where other blogs send TrackBack pings; {slug} is the post's slug. Unset (None) hides
# the Trackback URI and its RDF everywhere. In development it is the local receiver.
TRACKBACK_URL = "http://localhost:8001/trackback/{slug}"
# The receiver's Webmention endpoint, advertised by every post page; None advertises none.
WEBMENTION_URL = "http://localhost:8001/webmention"
# Pings received and the manifest the build writes for the receiver stay under var/ (not
# committed); the ledger of pings sent is committed: the LINKBACKS_* defaults.

DEFAULT_METADATA = {"status": "published"}
