"""What a page or a feed item says about itself: title, author, blog, addresses, main text.

A page's structured data is read with extruct (reblog.repost.metadata): JSON-LD and
microdata (`Article`/`BlogPosting`), microformats2 `h-entry`, Open Graph, Dublin Core;
then its `<meta>` tags, its visible byline and headline, its `<title>`. Each field is
taken from the most trustworthy place that has it; the author is the best-ranked of all the
names found (metadata.best_author). Every value is recorded with where it came from, so the
command can tell the blogger. The main text is chosen by reblog.repost.maintext.
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup, Tag

from ..urls import is_http
from . import maintext, metadata
from .fetch import RepostError
from .metadata import Candidate

FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml")
# `<title>Post – Blog</title>`: the separators blogs put between a post's and the blog's name.
TITLE_SEPARATORS = re.compile(r"(?:\s+(?:[|–—·»/]|::|-)|\s*:)\s+")
# Where a page's own headline sits, as opposed to its logo's or a teaser's heading.
HEADLINE_SELECTORS = (
    "[itemprop~=headline]",
    "article h1",
    "main h1",
    "[role=main] h1",
    "h1.entry-title",
    "h1.post-title",
    "h1.headline",
)
# A JSON-LD `headline` this long is the article's description put in the wrong field.
HEADLINE_CHARS = 200
ORGANISATIONS = ("Organization", "NewsMediaOrganization", "Corporation", "WebSite")


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
    article: maintext.ArticleText | None = None  # which of body's blocks are the article's
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
    data = metadata.structured(_utf8(doc.body, soup), found.base)
    authors, titles = [], []
    _from_structured(found, data, authors, titles)
    _from_microformats(found, data.get("microformat", []), authors, titles)
    meta = _meta_tags(soup)
    _from_meta(found, meta, authors)
    maintext.drop_hidden(soup)  # nothing a reader cannot see is credited or quoted
    _from_bylines(soup, authors)
    _choose_title(found, soup, meta, titles)
    _from_links(found, soup, doc.url)
    found.base = found.base or found.url  # a saved page's links are relative to its address
    shown = soup.body.get_text(" ") if soup.body else soup.get_text(" ")
    sites = [found.site, urlsplit(found.url or found.base or "").hostname]
    author = metadata.best_author(authors, shown, sites)
    if author:
        found.offer("author", author.name, author.source)
    found.body, found.article = maintext.main_text(soup)
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
    found.body, _ = maintext.main_text(
        BeautifulSoup(f"<body>{html}</body>", "html.parser"), whole=True
    )
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


def _utf8(body, soup):
    """The page as UTF-8 bytes for extruct, decoded as Beautiful Soup decoded it."""
    if isinstance(body, str):
        return body.encode("utf-8")
    encoding = soup.original_encoding or "utf-8"
    try:
        return body.decode(encoding, errors="replace").encode("utf-8")
    except LookupError:
        return body.decode("utf-8", errors="replace").encode("utf-8")


def _from_structured(found, data, authors, titles):
    """JSON-LD's and microdata's article: its headline, authors, date, address and site."""
    for syntax, source in (("json-ld", "JSON-LD"), ("microdata", "microdata")):
        nodes = _flatten(data.get(syntax, []))
        by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}

        def resolve(value, by_id=by_id):
            if isinstance(value, dict) and set(value) == {"@id"}:
                return by_id.get(value["@id"], value)
            return value

        article = next((node for node in nodes if _is_article(node)), None)
        if article is None:
            continue
        headline = _clean(article.get("headline") or article.get("name"))
        description = _clean(article.get("description"))
        if headline and len(headline) <= HEADLINE_CHARS and headline != description:
            titles.append((headline, source))
        people = [resolve(one) for one in _as_list(article.get("author"))]
        names = [_name(one) for one in people if _name(one)]
        if names:
            organisation = all(
                isinstance(one, dict) and _types(one) & set(ORGANISATIONS) for one in people
            )
            authors.append(Candidate(", ".join(names), source, organisation))
        found.offer("published", article.get("datePublished"), source)
        found.offer_url(
            "url",
            _address(resolve, article.get("url") or article.get("mainEntityOfPage")),
            found.base,
            source,
        )
        website = resolve(article.get("isPartOf"))
        if not (isinstance(website, dict) and "WebSite" in _types(website)):
            website = next((node for node in nodes if "WebSite" in _types(node)), None)
        for owner in (website, resolve(article.get("publisher"))):
            if isinstance(owner, dict):
                found.offer("site", _name(owner), source)
                found.offer_url("site_url", _address(resolve, owner), found.base, source)
        if isinstance(article.get("articleBody"), str) and not found.fallback_text:
            found.fallback_text = article["articleBody"]


def _flatten(items):
    """Every node of a list of JSON-LD values, @graph members included."""
    nodes, queue = [], list(items)
    while queue:
        node = queue.pop(0)
        if isinstance(node, list):
            queue.extend(node)
        elif isinstance(node, dict):
            nodes.append(node)
            queue.extend(_as_list(node.get("@graph")))
    return nodes


def _name(value):
    name = value.get("name") if isinstance(value, dict) else value
    if isinstance(name, list):
        name = next((one for one in name if isinstance(one, str)), None)
    return name.strip() if isinstance(name, str) and name.strip() else None


def _address(resolve, value):
    value = resolve(_as_list(value)[0] if _as_list(value) else None)
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def _is_article(node):
    return any(kind.endswith(("Article", "Posting")) for kind in _types(node))


def _types(node):
    kinds = {kind for kind in _as_list(node.get("@type")) if isinstance(kind, str)}
    return {kind.rsplit("/", 1)[-1] for kind in kinds}  # microdata's are full addresses


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _from_microformats(found, items, authors, titles):
    entry = _first_entry(items)
    if entry is None:
        return

    def first(name):
        values = entry.get(name) or [None]
        return values[0]

    author = first("author")
    if isinstance(author, dict):
        author = (author.get("name") or [author.get("value")])[0]
    name = first("name")
    content = first("content")
    content_text = content.get("value", "") if isinstance(content, dict) else ""
    # mf2py invents a name from the whole text when none is marked up: not a title.
    if isinstance(name, str) and len(name) < 300 and name.strip() != content_text.strip():
        titles.append((_clean(name), "microformats"))
    if isinstance(author, str):
        authors.append(Candidate(author, "microformats"))
    found.offer("published", first("published"), "microformats")
    found.offer_url("url", first("url"), found.base, "microformats")


def _first_entry(items):
    for item in items:
        if "h-entry" in item.get("@type", item.get("type", [])):
            return item
        child = _first_entry(item.get("children", []))
        if child:
            return child
    return None


def _meta_tags(soup):
    """`<meta>` content by lower-case name or property; the first of each wins."""
    meta = {}
    for tag in soup.find_all("meta", content=True):
        key = (tag.get("property") or tag.get("name") or "").strip().lower()
        meta.setdefault(key, tag["content"])
    return meta


def _from_meta(found, meta, authors):
    found.offer("site", meta.get("og:site_name"), "Open Graph")
    found.offer_url("url", meta.get("og:url"), found.base, "Open Graph")
    for key in metadata.AUTHOR_META:
        value = meta.get(key)
        # article:author is often the author's profile address, which is no name.
        if value and not is_http(value):
            name = metadata.clean_byline(value)
            authors.append(Candidate(name, f"meta {key}"))
    found.offer("published", meta.get("article:published_time"), "Open Graph")
    found.offer("site", meta.get("application-name"), "meta application-name")


def _from_bylines(soup, authors):
    """Names in the page's visible bylines; a headshot link's picture names its person."""
    for selector in metadata.BYLINE_SELECTORS:
        for element in soup.select(selector)[:5]:
            if _in_comments(element):
                continue  # a commenter is not the author
            if element.name == "meta":
                names = [element.get("content")]
            else:
                parts = element.select("[itemprop~=name]") or element.select("a[href]")
                names = [_shown_name(part) for part in parts] or [_shown_name(element)]
            names = [metadata.clean_byline(name) for name in names if name]
            if any(names):
                source = "rel=author link" if selector == "[rel~=author]" else "byline"
                authors.append(Candidate(", ".join(dict.fromkeys(filter(None, names))), source))


def _in_comments(element):
    for parent in [element, *element.parents]:
        names = " ".join([*parent.get("class", []), parent.get("id") or ""]).lower()
        if "comment" in names:
            return True
    return False


def _shown_name(element):
    """An element's words, or its picture's alt text or title when it has none."""
    text = " ".join(element.get_text(" ").split())
    if text:
        return text if len(text) < 100 else None
    picture = element.find("img")
    for value in (picture and picture.get("alt"), picture and picture.get("title")):
        if value and value.strip():
            return value
    return element.get("title") or element.get("content")


def _choose_title(found, soup, meta, titles):
    """The headline: the article's own (structured data, its h1), then og:title, <title>."""
    heading = next(filter(None, (soup.select_one(s) for s in HEADLINE_SELECTORS)), None)
    first_h1 = soup.find("h1")
    texts = {
        "article heading": _clean(heading.get_text(" ")) if heading else None,
        "Open Graph": _clean(meta.get("og:title")),
        "page title": _clean(soup.title.get_text()) if soup.title else None,
        "first h1": _clean(first_h1.get_text(" ")) if first_h1 else None,
    }
    page_title = texts["page title"]
    separators = list(TITLE_SEPARATORS.finditer(page_title or ""))
    if separators and not found.site:  # "Post – Blog": the part that is not the post
        head = page_title[: separators[-1].start()]
        tail = page_title[separators[-1].end() :]
        others = {_fold(value) for value, _ in titles} | {
            _fold(texts[key]) for key in ("article heading", "Open Graph")
        }
        others = (others - {""}) or {_fold(texts["first h1"])}  # on blogs, often the logo
        first = page_title[: separators[0].start()]
        host = metadata.plain(urlsplit(found.url or found.base or "").hostname or "")
        if _fold(head) in others or (host and metadata.plain(tail) in host):
            found.offer("site", tail, "page title")
        elif _fold(tail) in others or (host and metadata.plain(first) in host):
            found.offer("site", first, "page title")
    sites = [found.site, meta.get("og:site_name"), meta.get("application-name")]
    for value, source in [*titles, *((texts[key], key) for key in texts)]:
        if value and _fold(value) not in {_fold(site) for site in sites if site}:
            # Some pages escape their titles twice: "&#8216;" is a quotation mark.
            title = html.unescape(metadata.strip_site(value, sites, TITLE_SEPARATORS))
            found.offer("title", title, source)


def _fold(value):
    return " ".join((value or "").split()).casefold()


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
    where = found.url or base
    if where:
        parts = urlsplit(where)
        found.offer_url("site_url", f"{parts.scheme}://{parts.netloc}/", None, "address")
        found.offer("site", parts.hostname, "address")


def _clean(value):
    """One line of text: control characters gone, runs of whitespace made one space."""
    if not isinstance(value, str):
        return None
    value = re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", value)
    return " ".join(value.split()) or None
