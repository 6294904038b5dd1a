"""What a page or a feed item says about itself: title, author, blog, addresses, main text.

Each field is taken from the most trustworthy place that has it, in this order: JSON-LD
(`Article`/`BlogPosting`), microformats2 `h-entry` (mf2py, which also reads classic
`hentry`), Open Graph and `<meta>`, then the page's `<title>` and first `<h1>`. Every value
found is recorded with where it came from, so the command can tell the blogger.
"""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import feedparser
import mf2py
from bs4 import BeautifulSoup, Tag

from ..urls import is_http
from .fetch import RepostError

FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml")
# `<title>Post – Blog</title>`: the separators blogs put between a post's and the blog's name.
TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—·»:]|::|-)\s+")

# Never part of the article: page furniture, embeds and anything that runs.
DROP_TAGS = (
    *("head", "title", "script", "style", "noscript", "template", "link", "meta"),
    *("nav", "aside", "header", "footer", "form", "button", "input", "select", "textarea"),
    *("iframe", "svg", "canvas", "object", "embed", "img", "picture", "video", "audio"),
    *("figure", "source", "map"),
)
# Class or id tokens of sidebars, comments, share buttons, ads and bylines (WordPress and co.).
DROP_CLASSES = re.compile(
    r"^(?:comments?|comment-(?:list|respond|form|area)|respond|disqus_thread|sidebar|secondary"
    r"|widgets?|widget[-_]\w+|share|sharing|sharedaddy|share-\w+|social(?:-\w+)?|related(?:-\w+)?"
    r"|jp-relatedposts|ads?|ad-\w+|advert\w*|sponsor\w*|promo\w*|newsletter\w*|subscribe\w*"
    r"|cookie\w*|popup|modal|breadcrumbs?|nav|navigation|menu|site-header|site-footer|entry-meta"
    r"|entry-footer|post-meta|byline|author-bio|skip-link|screen-reader-text|sr-only"
    r"|visually-hidden)$",
    re.IGNORECASE,
)
# Elements that hold the whole article: dropping them by a class token would drop everything.
KEEP_TAGS = {"html", "body", "main", "article"}
CONTENT_SELECTORS = ("[itemprop~=articleBody]", ".e-content", ".entry-content")


@dataclass
class Found:
    """Everything learnt about the original, and where each value was found."""

    title: str | None = None
    author: str | None = None
    site: str | None = None
    site_url: str | None = None
    url: str | None = None
    feed: str | None = None
    published: str | None = None
    body: Tag | None = None  # the article's main text, cleaned of page furniture
    base: str | None = None  # what relative links in `body` are relative to
    fallback_text: str | None = None  # JSON-LD articleBody, for pages built by scripts
    sources: dict = field(default_factory=dict)

    def offer(self, name, value, source):
        """Keep `value` for `name` unless a more trusted source already gave one."""
        value = _clean(value)
        if value and not getattr(self, name):
            setattr(self, name, value)
            self.sources[name] = source

    def offer_url(self, name, value, base, source):
        """Like `offer`, for an address: made absolute, and kept only when it is http(s)."""
        value = _clean(value)
        if value:
            value = urljoin(base or "", value)
            if is_http(value):
                self.offer(name, value, source)


def from_page(doc):
    """Read an HTML `Document` (see fetch.py) into a `Found`."""
    soup = BeautifulSoup(_decode(doc.body, doc.charset), "html.parser")
    found = Found(base=_base(soup, doc.url))
    canonical = soup.find("link", rel="canonical", href=True)
    if canonical:  # the page's own word on its address comes first
        found.offer_url("url", canonical["href"], found.base, "canonical link")
    _from_jsonld(found, soup)
    _from_microformats(found, str(soup))
    _from_meta(found, soup)
    _from_title(found, soup)
    _from_links(found, soup, doc.url)
    found.base = found.base or found.url  # a saved page's links are relative to its address
    found.body = main_text(soup)
    return found


def _decode(body, charset):
    """Text by the server's charset; bytes (Beautiful Soup reads <meta charset>) when none."""
    if not charset:
        return body
    # A charset Python does not know or that does not fit: UTF-8, else the web's default.
    for encoding in (charset, "utf-8"):
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("windows-1252", errors="replace")


def discover_feed(doc):
    """The feed a page advertises with `<link rel="alternate">`, as an absolute address."""
    soup = BeautifulSoup(doc.body, "html.parser")
    found = Found()
    _from_links(found, soup, doc.url, base=_base(soup, doc.url))
    return found.feed


def from_feed(doc, item=None, match=None):
    """Read one item of a feed `Document`: the `item`-th (from 1) or the first whose title
    contains `match`."""
    headers = {"content-location": doc.url} if doc.url else {}
    parsed = feedparser.parse(doc.body, response_headers=headers)
    entries = parsed.entries
    if not entries:
        problem = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise RepostError(f"{doc.location} has no items to repost{problem}")
    entry = _choose(entries, item, match, doc.location)
    feed = parsed.feed
    found = Found(base=entry.get("link") or feed.get("link") or doc.url)
    found.offer("title", entry.get("title"), "feed item")
    found.offer("author", entry.get("author"), "feed item")
    found.offer("author", feed.get("author"), "feed")
    found.offer("published", entry.get("published") or entry.get("updated"), "feed item")
    found.offer_url("url", entry.get("link"), doc.url, "feed item")
    found.offer("site", feed.get("title"), "feed")
    found.offer_url("site_url", feed.get("link"), doc.url, "feed")
    self_link = next(
        (link.get("href") for link in feed.get("links", []) if link.get("rel") == "self"), None
    )
    found.offer_url("feed", doc.url or self_link, None, "feed address")
    content = entry.get("content") or []
    html = content[0].value if content else entry.get("summary", "")
    # feedparser has already sanitised this HTML: no scripts, no event handlers.
    found.body = main_text(BeautifulSoup(f"<body>{html}</body>", "html.parser"))
    return found


def list_items(doc, limit=10):
    """The first `limit` item titles of a feed, numbered from 1, for the blogger to pick from."""
    entries = feedparser.parse(doc.body).entries
    return [
        f"{n}. {entry.get('title', '(untitled)')}" for n, entry in enumerate(entries[:limit], 1)
    ]


def _choose(entries, item, match, where):
    if match:
        wanted = match.casefold()
        for entry in entries:
            if wanted in entry.get("title", "").casefold():
                return entry
        raise RepostError(f"{where}: no item's title contains {match!r}")
    number = 1 if item is None else item
    if not 1 <= number <= len(entries):
        raise RepostError(f"{where} has {len(entries)} items; there is no item {number}")
    return entries[number - 1]


def _base(soup, url):
    base = soup.find("base", href=True)
    if base and is_http(urljoin(url or "", base["href"])):
        return urljoin(url or "", base["href"])
    if url:
        return url
    # A saved file: its own address is whatever it says it is.
    canonical = soup.find("link", rel="canonical", href=True)
    if canonical and is_http(canonical["href"]):
        return canonical["href"]
    og_url = soup.find("meta", property="og:url", content=True)
    return og_url["content"] if og_url and is_http(og_url["content"]) else None


def _from_jsonld(found, soup):
    nodes = []
    for script in soup.find_all("script", type=re.compile(r"^\s*application/ld\+json", re.I)):
        try:
            data = json.loads(script.get_text())
        except ValueError:
            continue  # broken JSON-LD is common; the other sources still count
        queue = [data]
        while queue:
            node = queue.pop(0)
            if isinstance(node, list):
                queue.extend(node)
            elif isinstance(node, dict):
                nodes.append(node)
                queue.extend(_as_list(node.get("@graph")))
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}

    def resolve(value):
        if isinstance(value, dict) and set(value) == {"@id"}:
            return by_id.get(value["@id"], value)
        return value

    def names(value):
        result = []
        for one in map(resolve, _as_list(value)):
            name = one.get("name") if isinstance(one, dict) else one
            if isinstance(name, str) and name.strip():
                result.append(name.strip())
        return ", ".join(result) or None

    def address(value):
        value = resolve(_as_list(value)[0] if _as_list(value) else None)
        if isinstance(value, dict):
            value = value.get("url") or value.get("@id")
        return value if isinstance(value, str) else None

    article = next((node for node in nodes if _is_article(node)), None)
    if article is None:
        return
    found.offer("title", article.get("headline") or article.get("name"), "JSON-LD")
    found.offer("author", names(article.get("author")), "JSON-LD")
    found.offer("published", article.get("datePublished"), "JSON-LD")
    found.offer_url(
        "url", address(article.get("url") or article.get("mainEntityOfPage")), found.base, "JSON-LD"
    )
    website = resolve(article.get("isPartOf"))
    if not (isinstance(website, dict) and "WebSite" in _types(website)):
        website = next((node for node in nodes if "WebSite" in _types(node)), None)
    for owner in (website, resolve(article.get("publisher"))):
        if isinstance(owner, dict):
            found.offer("site", names(owner), "JSON-LD")
            found.offer_url("site_url", address(owner), found.base, "JSON-LD")
    if isinstance(article.get("articleBody"), str):
        found.fallback_text = article["articleBody"]


def _is_article(node):
    return any(kind.endswith(("Article", "Posting")) for kind in _types(node))


def _types(node):
    return {kind for kind in _as_list(node.get("@type")) if isinstance(kind, str)}


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _from_microformats(found, html):
    entry = _first_entry(mf2py.parse(doc=html, url=found.base).get("items", []))
    if entry is None:
        return
    props = entry.get("properties", {})

    def first(name):
        values = props.get(name) or [None]
        return values[0]

    author = first("author")
    if isinstance(author, dict):
        author = (author.get("properties", {}).get("name") or [author.get("value")])[0]
    name = first("name")
    content = first("content")
    content_text = content.get("value", "") if isinstance(content, dict) else ""
    # mf2py invents a name from the whole text when none is marked up: not a title.
    if isinstance(name, str) and len(name) < 300 and name.strip() != content_text.strip():
        found.offer("title", name, "microformats")
    found.offer("author", author if isinstance(author, str) else None, "microformats")
    found.offer("published", first("published"), "microformats")
    found.offer_url("url", first("url"), found.base, "microformats")


def _first_entry(items):
    for item in items:
        if "h-entry" in item.get("type", []):
            return item
        child = _first_entry(item.get("children", []))
        if child:
            return child
    return None


def _from_meta(found, soup):
    meta = {}
    for tag in soup.find_all("meta", content=True):
        key = (tag.get("property") or tag.get("name") or "").strip().lower()
        meta.setdefault(key, tag["content"])
    found.offer("title", meta.get("og:title"), "Open Graph")
    found.offer("site", meta.get("og:site_name"), "Open Graph")
    found.offer_url("url", meta.get("og:url"), found.base, "Open Graph")
    found.offer("author", meta.get("author"), "meta author")
    # article:author is often the author's profile address, which is no name.
    if not is_http(meta.get("article:author")):
        found.offer("author", meta.get("article:author"), "Open Graph")
    found.offer("published", meta.get("article:published_time"), "Open Graph")
    found.offer("site", meta.get("application-name"), "meta application-name")


def _from_title(found, soup):
    heading = soup.find("h1")
    h1 = _clean(heading.get_text(" ")) if heading else None
    title = _clean(soup.title.get_text()) if soup.title else None
    separators = list(TITLE_SEPARATORS.finditer(title or ""))
    if separators:
        head, tail = title[: separators[-1].start()], title[separators[-1].end() :]
        if found.site and tail.casefold() == found.site.casefold():
            title = head
        elif h1 and head.casefold() == h1.casefold():
            title = head
            found.offer("site", tail, "page title")
    found.offer("title", title, "page title")
    found.offer("title", h1, "first h1")


def _from_links(found, soup, url, base=None):
    base = base or found.base
    found.offer_url("url", url, None, "address")
    feeds = [
        link
        for link in soup.find_all("link", rel="alternate", href=True)
        if (link.get("type") or "").lower() in FEED_LINK_TYPES
    ]
    # WordPress advertises the comments feeds next to the blog's own.
    feeds.sort(key=lambda link: "comment" in (link.get("title") or "").lower())
    if feeds:
        found.offer_url("feed", feeds[0]["href"], base, "feed autodiscovery")
    home = soup.find(["link", "a"], rel="home", href=True)
    if home:
        found.offer_url("site_url", home["href"], base, "rel=home link")
        if home.name == "a" and len(home.get_text(strip=True)) < 100:
            found.offer("site", home.get_text(" "), "rel=home link")
    byline = soup.find("a", rel="author")
    if byline and len(byline.get_text(strip=True)) < 100:
        found.offer("author", byline.get_text(" "), "rel=author link")
    where = found.url or base
    if where:
        parts = urlsplit(where)
        found.offer_url("site_url", f"{parts.scheme}://{parts.netloc}/", None, "address")
        found.offer("site", parts.hostname, "address")


def main_text(soup):
    """The element holding the article's text, with page furniture removed."""
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in KEEP_TAGS:
            continue
        tokens = [*tag.get("class", []), tag.get("id") or ""]
        hidden = tag.has_attr("hidden") or tag.get("aria-hidden") == "true"
        if hidden or any(DROP_CLASSES.match(token) for token in tokens if token):
            tag.decompose()
    for selector in CONTENT_SELECTORS:
        element = soup.select_one(selector)
        if element and element.get_text(strip=True):
            return element
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=_paragraph_text)
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if main:
        return main
    blocks = soup.find_all(["div", "section", "td", "body"])
    return max(blocks, key=_direct_text, default=soup)


def _paragraph_text(element):
    return sum(len(p.get_text()) for p in element.find_all("p"))


def _direct_text(element):
    """How much text sits in this element's own paragraphs, not in nested containers'."""
    total = 0
    for child in element.children:
        if isinstance(child, Tag) and child.name in ("p", "blockquote", "ul", "ol", "pre"):
            total += len(child.get_text())
        elif not isinstance(child, Tag):
            total += len(child.strip())
    return total


def _clean(value):
    """One line of text: control characters gone, runs of whitespace made one space."""
    if not isinstance(value, str):
        return None
    value = re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", value)
    return " ".join(value.split()) or None
