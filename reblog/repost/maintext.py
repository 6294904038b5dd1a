"""Which part of a page is the article's own text.

trafilatura decides which words are the article (it scored best of the extractors compared
on real pages: bench/repost_credit.py); we quote the page's own markup of those words, so a
definition list stays one and a code sample stays code. A block of that markup whose words
trafilatura did not keep (a caption, a share bar, a teaser) is never quoted. Pages
trafilatura finds nothing in fall back to our own reading: the element that holds most of
the page's paragraphs.

Hidden text is dropped before anything reads the page: a reader never saw it.
"""

import re
from collections import Counter

import trafilatura
from bs4 import Tag

from .metadata import words

# Never part of the article: page furniture, embeds and anything that runs.
DROP_TAGS = (
    *("head", "title", "script", "style", "noscript", "template", "link", "meta"),
    *("nav", "aside", "header", "footer", "form", "button", "input", "select", "textarea"),
    *("iframe", "svg", "canvas", "object", "embed", "img", "picture", "video", "audio"),
    *("figure", "figcaption", "source", "map", "dialog"),
)
# Never text, whatever they hold.
EMBEDS = {"head", "title", "script", "style", "noscript", "template", "iframe", "svg", "object"}
# Class or id tokens that name page furniture outright (WordPress and co.), matched whole:
# a wrapper called "widget Blog" or "ad-free" holds an article as often as not, so ads and
# widgets are judged by their content, never by their names.
DROP_CLASSES = re.compile(
    r"^(?:comments?|comment-(?:list|respond|form|area)|respond|disqus_thread|sidebar"
    r"|share|sharing|sharedaddy|share-\w+|social-share|related-posts|jp-relatedposts"
    r"|breadcrumbs?|site-header|site-footer|entry-meta|entry-footer|post-meta|byline"
    r"|author-bio|skip-link|screen-reader-text|sr-only|visually-hidden|toc|table-of-contents)$",
    re.IGNORECASE,
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Elements that hold the whole article: dropping them by a class token would drop everything.
KEEP_TAGS = {"html", "body", "main", "article"}
CONTENT_SELECTORS = ("[itemprop~=articleBody]", ".e-content", ".entry-content")
LEAF_BLOCKS = (
    *("p", "li", "dt", "dd", "pre", "blockquote", "td", "th"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),
    *("div", "section", "article", "main", "center", "address", "details"),
)
SHINGLE = 3
# Share of a block's word 3-grams that must be in the article: trafilatura and we space
# inline markup differently, so a whole block seldom matches word for word.
IN_ARTICLE = 0.7
# The container quoted from is the smallest holding this share of the article's words.
HOLDS_ARTICLE = 0.8


class ArticleText:
    """The article's words as trafilatura kept them: judges whether a block is among them."""

    def __init__(self, text):
        self.words = " ".join(words(text))
        self.shingles = shingles(self.words.split())

    def has(self, text):
        """Whether the block of `text` is the article's own (not furniture around it)."""
        own = words(text)
        if not own:
            return False
        if len(own) < SHINGLE:
            return f" {' '.join(own)} " in f" {self.words} "
        grams = shingles(own)
        return len(grams & self.shingles) >= IN_ARTICLE * len(grams)


def shingles(word_list):
    return {tuple(word_list[i : i + SHINGLE]) for i in range(len(word_list) - SHINGLE + 1)}


def drop_hidden(soup):
    """Remove what a reader never sees: `hidden`, `aria-hidden`, display:none,
    visibility:hidden, and everything that is code rather than text."""
    for tag in soup.find_all(("script", "style", "noscript", "template")):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body"):
            continue
        hidden = (
            tag.has_attr("hidden")
            or (tag.get("aria-hidden") or "").strip().lower() == "true"
            or HIDDEN_STYLE.search(tag.get("style") or "")
        )
        if hidden:
            tag.decompose()


def main_text(soup, whole=False):
    """(element holding the article's text, ArticleText or None) for a hidden-free `soup`;
    the element's blocks that the ArticleText does not have are furniture. `whole`: the
    soup is the article (a feed item's content), only cleaned."""
    drop_hidden(soup)
    # Furniture by its tag or name, unless it holds most of the page's paragraphs: some
    # sites wrap the whole page in a <form> (ASP.NET) or the article in a <header>.
    most = _paragraph_text(soup) / 2
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in KEEP_TAGS:
            continue
        tokens = [*tag.get("class", []), tag.get("id") or ""]
        furniture = tag.name in DROP_TAGS or any(DROP_CLASSES.match(t) for t in tokens if t)
        if furniture and (tag.name in EMBEDS or _paragraph_text(tag) <= most):
            tag.decompose()
    if whole:
        return soup.body or soup, None
    text = trafilatura.extract(
        str(soup), include_comments=False, include_tables=True, favor_precision=True
    )
    article = ArticleText(text) if text else None
    # The page's own word on where its text is (itemprop=articleBody, h-entry's e-content)
    # beats trafilatura's guess; trafilatura still tells its furniture from its text,
    # unless it guessed another part of the page altogether.
    marked = next(filter(_has_text, (soup.select_one(s) for s in CONTENT_SELECTORS)), None)
    if marked is not None:
        agrees = article is not None and _share_of(marked, article) >= HOLDS_ARTICLE / 2
        return marked, article if agrees else None
    container = _container(soup, article) if article else None
    if container is not None:
        return container, article
    return _largest_text(soup), None


def _share_of(element, article):
    """How much of `element`'s text, by words, is in blocks the article has."""
    total = kept = 0
    for block in _leaf_blocks(element):
        size = len(block.get_text(" ").split())
        total += size
        kept += size if article.has(block.get_text(" ")) else 0
    return kept / total if total else 0


def _leaf_blocks(element):
    return [block for block in element.find_all(LEAF_BLOCKS) if not block.find(LEAF_BLOCKS)]


def _has_text(element):
    return element is not None and bool(element.get_text(strip=True))


def _container(soup, article):
    """The smallest element holding most of the blocks the article has."""
    weights = Counter()
    heaviest, most = None, 0
    for block in _leaf_blocks(soup):
        size = len(block.get_text(" ").split())
        linked = sum(len(link.get_text(" ").split()) for link in block.find_all("a"))
        # A teaser's linked headline or a list of links weighs nothing towards the article.
        if linked * 2 >= size or not article.has(block.get_text(" ")):
            continue
        for parent in block.parents:
            weights[id(parent)] += size
        if size > most:
            heaviest, most = block, size
    if heaviest is None:
        return None
    total = max(weights.values())
    for parent in heaviest.parents:
        if weights[id(parent)] >= HOLDS_ARTICLE * total:
            return parent
    return soup


def _largest_text(soup):
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
