"""What a page says about itself, read with extruct, and the choice of its author and title.

extruct reads the structured data (JSON-LD, microdata, Open Graph, microformats, Dublin
Core); its JSON-LD reader is made tolerant of what real pages carry: `<![CDATA[ … ]]>`
wrappers, comments, trailing commas, two objects in one script. Many pages name their
author only in visible markup (a byline, `rel=author`) or in one of several `<meta>` tags;
every name found is a `Candidate`, and `best_author` prefers a person's name the page
shows its readers over a site's or a user's name, and refuses what is not a name at all.
"""

import json
import re
import unicodedata
from dataclasses import dataclass

import extruct
import jstyleson
import lxml.etree
from extruct.jsonld import JsonLdExtractor
from extruct.utils import parse_html

# The `<meta>` tags that name an article's author, by name or property, lower case.
AUTHOR_META = (
    "author",
    "byl",
    "article:author",
    "og:article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
)
# Visible bylines: where themes and newsrooms put the author's name.
BYLINE_SELECTORS = (
    "[itemprop~=author]",
    "[rel~=author]",
    ".byline",
    ".author",
    ".p-author",
    # Newsroom themes name theirs "article-byline", "sdc-article-author", "author-link"...
    "[class*=byline]",
    "[class*=author-name]",
    "[class*=article-author]",
    "[class*=post-author]",
    "a[class*=author]",
)
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:\w+\s+){0,2}?by|von|par|por)\b\s*:?\s*",  # "By", "Written by", "Analysis by"
    re.IGNORECASE,
)
# "Author: Jane Doe", "Текст: Лида Буслаева": a label before the name.
LABEL = re.compile(r"^[^:]{1,25}:\s+(?=\S)")
# Words of a job title or a link's label, never of a name.
ROLE_WORDS = {
    *("writer", "editor", "correspondent", "reporter", "contributor", "columnist", "view"),
    *("archive", "posts", "articles", "senior", "large", "bureau", "desk", "follow"),
}
# Where a byline goes on to say something else: "Jane Doe | March 3", "Jane Doe, Reporter".
BYLINE_END = re.compile(
    r"\s*(?:[|•·—–]|\s-\s|\bon\s+\w+day\b|\bupdated\b|\bpublished\b|,\s+(?-i:[a-z])).*$", re.I
)
NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)
# Words that stand where a name should and are not one: buttons, placeholders, roles.
NOT_NAMES = {
    *("follow", "unfollow", "fail", "admin", "administrator", "staff", "editor", "editors"),
    *("guest", "anonymous", "unknown", "none", "null", "undefined", "author", "authors", "by"),
    *("user", "webmaster", "contributor", "contributors", "team", "subscribe", "share"),
    *("more", "read more", "view profile", "profile", "about", "contact", "email", "home"),
}
MONTHS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d", re.IGNORECASE
)
NAME_WORDS = 5  # per person: "María José García de la Fuente" is the long end
# The more a source is written for readers rather than machines, the likelier its name is
# the person who wrote the article; ties go to the earlier source in this order.
TRUST = ("JSON-LD", "microdata", "microformats", "byline", "rel=author link", "meta")


@dataclass
class Candidate:
    """A name found for the author, where, and whether it is a person's (not a site's)."""

    name: str
    source: str
    organisation: bool = False


class TolerantJsonLd(JsonLdExtractor):
    """extruct's JSON-LD reader, also for scripts typed `application/ld+json; charset=…`
    and for the slightly broken JSON real pages carry."""

    _xp_jsonld = lxml.etree.XPath(
        "descendant-or-self::script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]"
    )

    def _extract_items(self, node):
        data = loads_leniently(node.xpath("string()"))
        for item in data:
            if isinstance(item, list):
                yield from item
            elif isinstance(item, dict):
                yield item


def loads_leniently(script):
    """The JSON values in `script`, a list; none when it is not JSON even after repair."""
    text = re.sub(r"^\s*(?://|/\*)?\s*<!\[CDATA\[(?:\s*\*/)?", "", script)
    text = re.sub(r"(?://|/\*)?\s*\]\]>(?:\s*\*/)?\s*$", "", text)
    text = re.sub(r"^\s*<!--|-->\s*$", "", text.strip())
    for parse in (_json, _jstyleson, _concatenated):
        try:
            return parse(text)
        except ValueError:
            continue
    return []


def _json(text):
    return [json.loads(text, strict=False)]


def _jstyleson(text):  # comments and trailing commas
    return [jstyleson.loads(text, strict=False)]


def _concatenated(text):  # `{…}{…}` or `{…};`: each whole value, up to the first that is not
    decoder, values, at = json.JSONDecoder(strict=False), [], 0
    while True:
        while at < len(text) and text[at] in " \t\r\n;,":
            at += 1
        if at >= len(text):
            break
        try:
            value, at = decoder.raw_decode(text, at)
        except ValueError:
            break
        values.append(value)
    if not values:
        raise ValueError("no JSON value")
    return values


def structured(html, base):
    """extruct's reading of `html` (UTF-8 bytes): {"json-ld": [...], "microdata": [...], ...}."""
    data = extruct.extract(
        html,
        base_url=base,
        encoding="UTF-8",
        syntaxes=["microdata", "opengraph", "microformat", "dublincore"],
        uniform=True,
        errors="ignore",
    )
    try:
        tree = parse_html(html, encoding="UTF-8")
    except (ValueError, lxml.etree.LxmlError):
        return data
    data["json-ld"] = TolerantJsonLd().extract_items(tree)
    return data


def is_name(value, site_names=()):
    """Whether `value` can be a byline: people's or a newsroom's names, not a date, a
    button's word, a placeholder, a user name, an address or the site's own name."""
    value = " ".join((value or "").split())
    if not 2 <= len(value) <= 120 or re.search(r"[\d@/\\<>{}=_#]|://", value):
        return False
    if MONTHS.search(value) or plain(value) in {plain(name) for name in site_names if name}:
        return False
    people = [part for part in NAME_SPLIT.split(value) if part]
    return bool(people) and all(_one_name(person) for person in people)


def _one_name(person):
    parts = person.split()
    if not 1 <= len(parts) <= NAME_WORDS or person.casefold().strip(".") in NOT_NAMES:
        return False
    if ROLE_WORDS & set(words(person)):
        return False
    if not any(char.isalpha() for char in person) or not person[0].isupper():
        return False  # "jdoe", "- ", "the staff"
    if len(parts) == 1:
        word = parts[0]
        # "FAIL", "JohnDoe", "j.doe": a word in capitals or joined up is a handle, not a name.
        if (word.isupper() and len(word) > 3) or re.search(r"[a-z][A-Z]|\.", word):
            return False
    return True


def plain(text):
    """Letters and digits only, lower case: "The Verge" and "theverge" are one name."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"\W+", "", text)


def clean_byline(text):
    """A byline's words without "By", the date or the job title after them."""
    text = " ".join((text or "").split())
    text = LABEL.sub("", BYLINE_PREFIX.sub("", text))
    text = BYLINE_END.sub("", text).strip(" ,;:")
    # "Jane Doe, AP Auto Writer", "Ann Lee, CNN Editor-at-large": the person, not the job.
    parts = [part for part in text.split(", ") if not ROLE_WORDS & set(words(part))]
    return ", ".join(parts) if parts else text


def best_author(candidates, shown_text, site_names):
    """The name to credit: shown on the page beats hidden in its head; a person beats an
    organisation; then the order of TRUST. None when no candidate is a name."""
    shown = f" {' '.join(words(shown_text))} "
    best, best_key = None, None
    for order, candidate in enumerate(candidates):
        name = " ".join(candidate.name.split())
        if not is_name(name, site_names):
            continue
        on_page = f" {' '.join(words(name))} " in shown
        trust = next((n for n, kind in enumerate(TRUST) if candidate.source.startswith(kind)), 9)
        key = (not on_page, candidate.organisation, trust, order)
        if best_key is None or key < best_key:
            best, best_key = Candidate(name, candidate.source, candidate.organisation), key
    return best


def words(text):
    """Lower-case words, so spacing, punctuation and case differences do not count."""
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text or "").casefold())


def strip_site(title, site_names, separators):
    """`title` without a site name at either end ("Post – Blog", "Blog: Post")."""
    names = {plain(name) for name in site_names if name}
    marks = list(separators.finditer(title))
    if marks and plain(title[marks[-1].end() :]) in names:
        return title[: marks[-1].start()]
    if marks and plain(title[: marks[0].start()]) in names:
        return title[marks[0].end() :]
    return title
