"""The article's opening paragraphs as Markdown, ending at a paragraph boundary.

markdownify does the HTML → Markdown walk; we choose the blocks, make links absolute and
escape text for Python-Markdown, which does not honour `\\<` the way CommonMark does: a
literal `<` or `&` in the original becomes an entity, never live markup in our page.
"""

import re
from urllib.parse import quote, urljoin

from bs4 import BeautifulSoup, NavigableString, Tag
from markdownify import ATX, MarkdownConverter

from ..urls import is_http

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {"p", "ul", "ol", "dl", "blockquote", "pre", "table"}
CONTAINERS = {"div", "section", "article", "main", "center", "address", "details", "figcaption"}
# Characters Python-Markdown reads as syntax anywhere in a line, and at the start of one.
INLINE_SYNTAX = re.compile(r"([\\`*_{}\[\]])")
LINE_START_SYNTAX = re.compile(r"^([ \t]*)(?:([#>+=-])|(\d+)([.)])|(:))", re.MULTILINE)
URL_SAFE = ":/?#@!$&'*+,;=%~"
# An opening paragraph of prose has a few words and ends a sentence somewhere; a byline or a
# dateline is shorter than a sentence and says who or when.
PROSE_WORDS = 8
BYLINE_WORDS = 16
SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*(?:\s|$)")
BYLINE = re.compile(r"^(?:by|von|par|por|written by|posted by|published)\b", re.I)


class _Converter(MarkdownConverter):
    def escape(self, text, parent_tags):
        if not text:
            return ""
        text = INLINE_SYNTAX.sub(r"\\\1", text)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "&#124;")
        return LINE_START_SYNTAX.sub(_escape_line_start, text)

    def convert_code(self, el, text, parent_tags):
        if "pre" not in parent_tags:
            text = " ".join(text.split("\n"))  # outside <pre>, a new line would start new syntax
        return super().convert_code(el, text, parent_tags)

    def convert_pre(self, el, text, parent_tags):
        # One code span per line, joined by line breaks: a span's `<` is escaped wherever it
        # lands, while an indented block after a list would become a paragraph of raw HTML.
        lines = [line.rstrip() for line in text.strip("\n").split("\n")]
        spans = [self.convert_code(el, _keep_indent(line), set()) for line in lines]
        return "\n\n" + "  \n".join(span for span in spans if span) + "\n\n"

    def convert_li(self, el, text, parent_tags):
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        bullet = "-"
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start", "1"))
            number = (int(start) if start.isdigit() else 1) + len(el.find_previous_siblings("li"))
            bullet = f"{number}."
        # Python-Markdown nests what is indented by its tab length, four, not by the bullet's width.
        indented = re.sub(r"^(?=.)", "    ", text, flags=re.MULTILINE)
        return f"{bullet} ".ljust(4) + indented[4:] + "\n"

    def convert_del(self, el, text, parent_tags):
        return text  # Python-Markdown has no strikethrough; keep the words

    convert_s = convert_del


def _keep_indent(line):
    """Leading spaces as no-break spaces, which a code span does not trim."""
    stripped = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(stripped)) + stripped


def _escape_line_start(match):
    space, mark, number, dot, _colon = match.groups()
    if mark:
        return f"{space}\\{mark}" if mark != "=" else f"{space}&#61;"
    if number:
        return f"{space}{number}\\{dot}" if dot == "." else f"{space}{number}&#41;"
    return f"{space}&#58;"


CONVERTER = _Converter(heading_style=ATX, bullets="-", autolinks=False)


def excerpt(
    body, base=None, words=150, title=None, fallback_text=None, *, article=None, author=None
):
    """Markdown of `body`'s opening blocks, about `words` words long, and its word count.

    Starts at the article's first paragraph of prose (not its title again, a byline, a
    dateline or a row of links); takes whole blocks only, stopping at the paragraph boundary
    nearest to `words` (the first block is always taken); never ends on a heading. With an
    `article` (maintext.ArticleText), a block it does not have is furniture, never quoted.
    """
    blocks = [
        block
        for block in _blocks_or_fallback(body, fallback_text)
        if block.get_text(" ").split() and (article is None or article.has(block.get_text(" ")))
    ]
    start = next((n for n, block in enumerate(blocks) if _opens(block, title, author)), None)
    if start is None:  # no prose at all: the first block that is not the title will do
        start = next((n for n, b in enumerate(blocks) if not _is_title(b, title)), len(blocks))
    chosen, count = [], 0
    for block in blocks[start:]:
        size = len(block.get_text(" ").split())
        if block.name == "h1" or _is_title(block, title):
            continue
        if chosen and count + size > words and count + size - words >= words - count:
            break
        _absolute_links(block, base)
        # Only newlines are trimmed: an indented code block's first line keeps its indent.
        markdown = CONVERTER.convert_soup(block).strip("\n")
        if markdown:
            chosen.append((block.name, markdown, size))
            count += size
        if count >= words:
            break
    while chosen and chosen[-1][0] in HEADINGS:
        count -= chosen.pop()[2]
    return "\n\n".join(markdown for _, markdown, _ in chosen), count


def _opens(block, title, author):
    """Whether `block` can open the excerpt: a paragraph of prose, not the furniture that
    often comes first (title, byline, dateline, caption, table of contents, share bar)."""
    if block.name not in ("p", "div", "section", "article", "main", "center"):
        return False
    text = " ".join(block.get_text(" ").split())
    size = len(text.split())
    if _is_title(block, title) or size < PROSE_WORDS or not SENTENCE_END.search(text):
        return False
    if size < BYLINE_WORDS and (BYLINE.match(text) or (author and author in text)):
        return False
    linked = sum(len(link.get_text(" ").split()) for link in block.find_all("a"))
    return linked < size / 2  # a row of links (share bar, tags, related) is not prose


def _blocks_or_fallback(body, fallback_text):
    blocks = list(_blocks(body)) if body is not None else []
    if any(block.get_text(strip=True) for block in blocks) or not fallback_text:
        return blocks
    # Pages drawn by scripts carry their text only in JSON-LD's articleBody.
    return [_paragraph([NavigableString(part)]) for part in re.split(r"\n\s*\n|\n", fallback_text)]


def _blocks(element):
    """Block elements in reading order; loose inline content between them becomes a <p>."""
    run = []
    for child in list(element.children):
        if isinstance(child, Tag) and (child.name in BLOCKS | CONTAINERS or child.find(BLOCKS)):
            if run:
                yield _paragraph(run)
                run = []
            if child.name in BLOCKS:
                yield child
            elif child.find(BLOCKS):
                yield from _blocks(child)
            else:
                yield child  # a container of inline text only reads as one paragraph
        elif isinstance(child, Tag) or type(child) is NavigableString:
            run.append(child)  # comments, doctypes and CDATA are not text
    if run:
        yield _paragraph(run)


def _paragraph(nodes):
    paragraph = BeautifulSoup("<p></p>", "html.parser").p
    for node in nodes:
        paragraph.append(node.extract() if node.parent else node)
    return paragraph


def _is_title(block, title):
    """The article's title again, as a heading or as a paragraph of its own."""
    text = " ".join(block.get_text(" ").split()).casefold()
    return bool(title) and text.rstrip(".") == title.casefold().rstrip(".")


def _absolute_links(block, base):
    """Absolute http(s) links stay links; anything else (javascript:, relative without a
    base, mailto:) keeps its words and loses its link."""
    for link in block.find_all("a"):
        href = urljoin(base or "", (link.get("href") or "").strip())
        if is_http(href):
            link.attrs = {"href": markdown_url(href)}
        else:
            link.unwrap()


def markdown_url(url):
    """`url` with spaces, parentheses and angle brackets encoded, safe inside `(...)`."""
    return quote(url, safe=URL_SAFE)


def markdown_text(text):
    """Plain text escaped for use inside Markdown, e.g. as a link's words."""
    return CONVERTER.escape(text, set())
