"""The build's list of posts, written for the receiver (which posts exist) and the sender
(what each post cites). A static site has no database the receiver could ask, so the
build leaves this small JSON file beside the store.
"""

import html
import json
import re
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from atomicfile import write_atomically
from markupsafe import Markup
from permalinks import absolute_url
from webfetch import is_http

from .settings import read
from .trackback import permalink

# The manifest of the build in progress, written only once the build has finished: a build
# that fails leaves the previous manifest (like the previous output/) in place. Emptied on
# `finalized`, so nothing carries over from one (auto-)rebuild to the next.
_pending = {}

# Every post is scanned on every build, so this runs over the whole archive: a regular
# expression over the rendered HTML costs a fiftieth of a full parse. It reads the href of
# every <a> start tag, quoted either way or unquoted, as HTML spells attributes.
ANCHOR_HREF = re.compile(
    r"""<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)


def collect_manifest(generator):
    """article_generator_finalized: every published post's URL, slug and citations."""
    conf = read(generator.settings)
    site = absolute_url(generator.settings)  # what permalink() makes post addresses from
    posts = [post_entry(article, site, conf) for article in generator.articles]
    _pending[conf["LINKBACKS_MANIFEST"]] = {
        "site": site,
        "sitename": generator.settings.get("SITENAME", ""),
        "posts": sorted(posts, key=lambda post: post["slug"]),
    }


def write_manifest(pelican):
    """finalized: write the manifest the finished build collected."""
    while _pending:
        path, document = _pending.popitem()
        write_json(path, document)


def post_entry(article, site, conf):
    """One post: where it lives, what to say about it in a ping, what it links to."""
    summary = Markup(article.summary or "").striptags()
    return {
        "slug": article.slug,
        "url": permalink(article),
        "title": article.title,
        "excerpt": trim(summary, conf["LINKBACKS_MAX_FIELD"]),
        "links": cited_links(article, site),
    }


def cited_links(article, site):
    """External http(s) links of a post, the repost's own source first, each once."""
    credit = getattr(article, "attribution", None)
    first = [credit.url, credit.site_url] if credit else []
    # _content is the rendered Markdown before Pelican rewrites {filename} links; reading
    # .content here would memoize it before every intra-site link is known.
    found = [
        html.unescape(double or single or bare)
        for double, single, bare in ANCHOR_HREF.findall(article._content or "")
    ]
    own_host = urlsplit(site).hostname
    links = []
    for href in [(href or "").strip() for href in [*first, *found]]:
        if not is_http(href) or urlsplit(href).hostname == own_host:
            continue
        url = urlunsplit(urlsplit(href)._replace(fragment=""))
        if url not in links:
            links.append(url)
    return links


def trim(text, limit):
    """`text` with its whitespace collapsed, cut at `limit` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def write_json(path, document):
    """Replace `path` atomically with `document`, sorted, so its diffs stay small."""
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomically(path, text.encode("utf-8"))


def normalize(url):
    """A URL compared the way two spellings of one address should compare equal."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and (parts.scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = parts.path or "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


class Manifest:
    """The posts the last build wrote, reloaded whenever the file changes."""

    def __init__(self, path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp = None
        self._by_slug = {}
        self._by_url = {}
        self.site = ""
        self.sitename = ""

    def _refresh(self):
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp:
            return
        with self._lock:
            document = {"posts": []}
            if stamp is not None:
                document = json.loads(self.path.read_text(encoding="utf-8"))
            posts = document.get("posts", [])
            self._by_slug = {post["slug"]: post for post in posts}
            self._by_url = {normalize(post["url"]): post for post in posts}
            self.site = document.get("site", "")
            self.sitename = document.get("sitename", "")
            self._stamp = stamp

    def posts(self):
        """Every post, by slug."""
        self._refresh()
        return [self._by_slug[slug] for slug in sorted(self._by_slug)]

    def by_slug(self, slug):
        """The post with this slug, or None."""
        self._refresh()
        return self._by_slug.get(slug)

    def by_url(self, url):
        """The post at this address (any equivalent spelling), or None."""
        self._refresh()
        return self._by_url.get(normalize(url))


def absolute(base, href):
    """`href` resolved against `base`, without its fragment."""
    parts = urlsplit(urljoin(base, href.strip()))
    return urlunsplit(parts._replace(fragment=""))
