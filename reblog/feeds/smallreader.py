"""Feed item HTML that every reader renders: the small-reader profile (FEED_SMALL_READER).

Feed readers on phones and in terminals render a few elements and ignore the rest, often
by gluing the text of what they ignore to its neighbours (newsboat shows a definition list
as one run-on line and an `<iframe>` as nothing at all). So each item keeps only
FEED_ELEMENTS, and what it would lose is rewritten into them first:

- a definition list: one paragraph per term and definition, the term in `<strong>`; a term
  that carries its own bold label ("**Myth:** ...") is a paragraph of its own, and so is
  each definition ("**Truth:** ...");
- a figure or a WordPress `wp-caption`: the image, then its caption as an `<em>` paragraph;
- a table of at most FEED_TABLE_MAX_COLUMNS columns: a bare table; a wider one: a paragraph
  per row, "Header: value" lines under a header row, cells joined by " · " otherwise;
- an `<iframe>`, `<video>`, `<audio>`, `<object>` or `<embed>`: a paragraph naming its kind
  and linking its address (a YouTube player's address becomes the video's page);
- an image: its address, alt text and size (the file's, which reblog.images wrote, scaled
  down to FEED_IMAGE_MAX_WIDTH), no `srcset`;
- every other element: renamed to its nearest allowed one (h1 to h2, kbd to code), made a
  paragraph when it is a block of text (div, section), or unwrapped, its text kept.

No `class`, `style`, `id` or `data-*` attribute is kept: only ATTRIBUTES.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from bs4 import NavigableString, Tag

from ..settings import read

ATTRIBUTES = {"a": ("href",), "img": ("src", "alt", "width", "height"), "ol": ("start",)}
RENAMED = {"h1": "h2", "h5": "h4", "h6": "h4", "tt": "code", "kbd": "code", "samp": "code"}
RENAMED |= {"cite": "em", "dfn": "em", "var": "em"}
# Elements that hold a block of text: kept as a paragraph when nothing inside is a block.
BLOCKS = ("div", "section", "article", "header", "footer", "aside", "nav", "main", "address")
BLOCKS += ("center", "details", "summary", "figure", "figcaption", "caption", "hgroup")
BLOCKS += ("dt", "dd", "fieldset", "legend", "noscript")
# Elements a paragraph may not be put in: a block found inside one is unwrapped instead.
PHRASING = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "a", "em", "strong", "b", "i")
PHRASING += ("code", "span", "small", "sup", "sub", "u", "s", "q", "abbr", "label", "font")
FLOW = ("p", "ul", "ol", "blockquote", "pre", "h2", "h3", "h4", "hr", "table", "dl", "div")
EMBEDS = ("iframe", "video", "audio", "object", "embed")
VIDEO_HOSTS = ("youtube.com", "youtube-nocookie.com", "youtu.be", "vimeo.com", "dailymotion.com")
YOUTUBE_HOSTS = ("youtube.com", "youtube-nocookie.com")


@dataclass(frozen=True)
class Profile:
    """What FEED_* settings allow in an item's HTML."""

    elements: frozenset
    table_max_columns: int
    image_max_width: int


def profile(settings):
    """The build's small-reader Profile, or None when FEED_SMALL_READER is off."""
    options = read(settings)
    if not options["FEED_SMALL_READER"]:
        return None
    return Profile(
        elements=frozenset(name.lower() for name in options["FEED_ELEMENTS"]),
        table_max_columns=options["FEED_TABLE_MAX_COLUMNS"],
        image_max_width=options["FEED_IMAGE_MAX_WIDTH"],
    )


def embeds_to_links(soup, absolute):
    """Each embedded player or document as a paragraph linking its address.

    `absolute(address)` is the safe absolute address, or None for an unsafe one (then the
    embed goes, as active content always did). Runs before active content is removed.
    """
    for tag in soup.find_all(EMBEDS):
        if tag.find_parent(EMBEDS):
            continue  # <object><embed></object>: the outer one speaks for both
        address = _embed_address(tag)
        url = absolute(address) if address else None
        if url is None:
            tag.decompose()
            continue
        url = _page_url(url)
        link = soup.new_tag("a", href=url)
        link.string = url
        kind = _embed_kind(tag, url)
        title = " ".join((tag.get("title") or "").split())
        label = f"{kind} “{title}”: " if title else f"{kind}: "
        tag.replace_with(_block(soup, tag, [label, link]))


def simplify(soup, profile):
    """Rewrite `soup` (already safe, addresses absolute) into `profile`'s elements."""
    for dl in reversed(soup.find_all("dl")):
        dl.replace_with(*_separated(soup, _definition_paragraphs(soup, dl)))
    for figure in reversed(soup.find_all(_captioned)):
        figure.replace_with(*_separated(soup, _caption_paragraphs(soup, figure)))
    for table in reversed(soup.find_all("table")):
        table.replace_with(*_separated(soup, _table_blocks(soup, table, profile)))
    for node in soup.find_all(string=lambda node: type(node) is not NavigableString):
        node.extract()  # comments, CDATA, processing instructions: nothing a reader shows
    for tag in reversed(soup.find_all(True)):  # innermost first: a block sees its children done
        _simplify_element(soup, tag, profile)


def _simplify_element(soup, tag, profile):
    name = RENAMED.get(tag.name, tag.name)
    if name in profile.elements:
        tag.name = name
        kept = ATTRIBUTES.get(name, ())
        tag.attrs = {key: value for key, value in tag.attrs.items() if key in kept}
        if name == "img":
            _fit_image(tag, profile.image_max_width)
        elif name == "a" and "href" not in tag.attrs:
            tag.unwrap()  # a named anchor: nothing to follow
    elif tag.name == "img":
        tag.replace_with(tag.get("alt") or "")
    elif tag.name in BLOCKS and "p" in profile.elements and _is_text_block(tag):
        tag.name, tag.attrs = "p", {}
    else:
        tag.unwrap()


def _fit_image(img, max_width):
    """The written size (reblog.images wrote the file's) scaled to `max_width`, or none."""
    width, height = _whole(img.get("width")), _whole(img.get("height"))
    if not (width and height):
        img.attrs.pop("width", None)
        img.attrs.pop("height", None)
        return
    if width > max_width:
        width, height = max_width, max(1, round(height * max_width / width))
    img["width"], img["height"] = str(width), str(height)


def _whole(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def _definition_paragraphs(soup, dl):
    blocks, term = [], None
    for child in _children(dl):
        if child.name == "dt":
            if term is not None:
                blocks.append(_term_paragraph(soup, term))
            term = child
        elif child.name == "dd":
            blocks += _definition(soup, term, child)
            term = None
        else:
            blocks.append(child)
    if term is not None:
        blocks.append(_term_paragraph(soup, term))
    return blocks


def _definition(soup, term, dd):
    """One dt and dd: "<strong>term</strong><br>definition", or two labelled paragraphs."""
    if term is None:
        return _as_blocks(soup, dd)
    if _labelled(term) or not _holds_only_text(dd):
        return [_term_paragraph(soup, term), *_as_blocks(soup, dd)]
    paragraph = _term_paragraph(soup, term)
    paragraph.append(soup.new_tag("br"))
    paragraph.extend(list(dd.contents))
    return [paragraph]


def _term_paragraph(soup, term):
    if _labelled(term):
        return _paragraph(soup, term.contents)
    strong = soup.new_tag("strong")
    strong.extend(list(term.contents))
    return _paragraph(soup, [strong])


def _labelled(term):
    """A term that starts with its own bold label, as "<strong>Myth:</strong> ..." does."""
    first = next((c for c in term.contents if not _blank(c)), None)
    return isinstance(first, Tag) and first.name in ("strong", "b")


def _captioned(tag):
    return tag.name == "figure" or (tag.name == "div" and "wp-caption" in tag.get("class", ()))


def _caption_paragraphs(soup, figure):
    caption = figure.find("figcaption") or figure.find(class_="wp-caption-text")
    if caption is not None:
        caption.extract()
    blocks = _as_blocks(soup, figure)
    if caption is not None and caption.get_text(strip=True):
        for block in caption.find_all(FLOW):
            block.insert_after(soup.new_tag("br"))
            block.unwrap()
        em = soup.new_tag("em")
        em.extend(list(caption.contents))
        blocks.append(_paragraph(soup, [em]))
    return blocks


def _table_blocks(soup, table, profile):
    rows = [row.find_all(("td", "th"), recursive=False) for row in table.find_all("tr")]
    rows = [cells for cells in rows if cells]
    blocks = []
    caption = table.find("caption")
    if caption is not None and caption.get_text(strip=True):
        em = soup.new_tag("em")
        em.extend(list(caption.contents))
        blocks.append(_paragraph(soup, [em]))
    columns = max((sum(_span(cell) for cell in cells) for cells in rows), default=0)
    if "table" in profile.elements and columns <= profile.table_max_columns:
        bare = soup.new_tag("table")
        for cells in rows:
            row = soup.new_tag("tr")
            for cell in cells:
                row.append(_cell(soup, cell.name, cell))
            bare.append(row)
        return [*blocks, bare]
    header = None
    if len(rows) > 1 and all(cell.name == "th" for cell in rows[0]):
        header = [cell.get_text(" ", strip=True) for cell in rows[0] for _ in range(_span(cell))]
        rows = rows[1:]
    for cells in rows:
        paragraph, column = soup.new_tag("p"), 0
        for cell in cells:
            label = header[column] if header and column < len(header) else ""
            column += _span(cell)
            if not (cell.get_text(strip=True) or cell.find("img")):
                continue
            if paragraph.contents:
                paragraph.append(soup.new_tag("br") if header else " · ")
            if label:
                strong = soup.new_tag("strong")
                strong.string = f"{label.rstrip(':')}:"
                paragraph.extend([strong, " "])
            paragraph.extend(_cell(soup, "span", cell).contents[:])
        if paragraph.contents:
            blocks.append(paragraph)
    return blocks


def _cell(soup, name, cell):
    """A new `name` tag holding the cell's content, its paragraphs as lines."""
    new = soup.new_tag(name)
    for block in cell.find_all("p"):
        if block.find_next_sibling():
            block.insert_after(soup.new_tag("br"))
        block.unwrap()
    new.extend(list(cell.contents))
    return new


def _span(cell):
    return _whole(cell.get("colspan")) or 1


def _embed_address(tag):
    for candidate in (tag, *tag.find_all(("source", "embed", "iframe"))):
        address = candidate.get("src") or candidate.get("data")
        if address and address.strip():
            return address
    return None


def _embed_kind(tag, url):
    if tag.name in ("video", "audio"):
        return tag.name.capitalize()
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if host.endswith(VIDEO_HOSTS):
        return "Video"
    return "Embedded page" if tag.name == "iframe" else "Embedded media"


def _page_url(url):
    """A player's own page where it is plain: YouTube's /embed/ID is /watch?v=ID."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host.endswith(YOUTUBE_HOSTS) and len(segments) == 2 and segments[0] == "embed":
        start = parse_qs(parts.query).get("start", [""])[0]
        time = f"&t={start}s" if start.isdigit() else ""
        return f"https://www.youtube.com/watch?v={segments[1]}{time}"
    if host == "player.vimeo.com" and len(segments) == 2 and segments[0] == "video":
        return f"https://vimeo.com/{segments[1]}"
    return url


def _as_blocks(soup, tag):
    """`tag`'s content as blocks: itself a paragraph when it holds only text, else unwrapped."""
    content = [child for child in tag.contents if not _blank(child)]
    if not content:
        return []
    if _holds_only_text(tag):
        return [_paragraph(soup, tag.contents)]
    return list(tag.contents)


def _block(soup, tag, content):
    """`content` as a paragraph, or inline with a line break where no paragraph may go."""
    if tag.find_parent(PHRASING):
        return _fragment(soup, [soup.new_tag("br"), *content])
    return _paragraph(soup, content)


def _fragment(soup, content):
    span = soup.new_tag("span")  # unwrapped by simplify, or by its caller
    span.extend(content)
    return span


def _paragraph(soup, content):
    paragraph = soup.new_tag("p")
    paragraph.extend(list(content))
    return paragraph


def _separated(soup, blocks):
    """Blocks with a line break between them, so the feed's source reads as written."""
    result = []
    for block in blocks:
        result += [block, NavigableString("\n")]
    return result or [NavigableString("")]


def _is_text_block(tag):
    """A block element holding only text, where a paragraph may stand."""
    return _holds_only_text(tag) and tag.find_parent(PHRASING) is None


def _holds_only_text(tag):
    return tag.find(FLOW) is None and tag.find(BLOCKS) is None


def _children(tag):
    return [child for child in list(tag.contents) if isinstance(child, Tag)]


def _blank(node):
    return isinstance(node, NavigableString) and not node.strip()
