"""The credit of a repost: its metadata fields, their validation, and the sentences it is told in.

One home for each: the field map (`FIELDS`) is read by the build, `make repost`'s draft
and its report; the sentences (`credit_html`, `credit_line`) are shown by the theme (as
Jinja filters) and put into the feeds (`credit_text` where a feed holds plain text). The
page, the listings, the feeds and the JSON-LD therefore cannot tell the credit differently.
"""

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from markupsafe import Markup

from .pelican_internals import replace_source_html, source_html
from .spelling import closest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Field:
    """One metadata key of the credit: as the blogger writes it, and as `Attribution` holds it."""

    label: str  # in a post's front matter ("Original_author"); Pelican lower-cases keys
    attribute: str  # on Attribution, and on what `make repost` found
    required: str  # in a repost, as docs/writing.md's table of keys says it
    meaning: str

    @property
    def key(self):
        return self.label.lower()

    @property
    def is_url(self):
        return self.attribute in ("url", "site_url", "feed", "via_url")


# In the order a draft writes them and the docs list them.
ORIGINAL_FIELDS = (
    Field("Original_author", "author", "in a repost", "who wrote the article you republish"),
    Field("Original_title", "title", "no", "its title, when known"),
    Field(
        "Original_url",
        "url",
        "this or `Original_site_url`, in a repost",
        "the article's own address, when known",
    ),
    Field("Original_site", "site", "in a repost", "the blog it was published on"),
    Field(
        "Original_site_url",
        "site_url",
        "this or `Original_url`, in a repost",
        "that blog's address",
    ),
    Field("Original_feed", "feed", "no", "that blog's feed address"),
)
VIA_FIELDS = (
    Field(
        "Via",
        "via",
        "no",
        "the tool you read or sent the article with, e.g. the feed reader you shared it from",
    ),
    Field("Via_url", "via_url", "no", "that tool's address"),
    Field(
        "Via_note",
        "via_note",
        "no",
        "a few words saying what that tool is, e.g. `RSS feed reader for mobile devices`",
    ),
)
FIELDS = ORIGINAL_FIELDS + VIA_FIELDS
# A repost must say who wrote it and where; the article's address is best, the blog's will do.
REQUIRED = ("original_author", "original_site")
LINKS = ("original_url", "original_site_url")
KEYS = {field.key for field in FIELDS}


class InvalidAttribution(ValueError):
    """A repost's credit is missing a field or holds an address a reader cannot follow."""

    def __init__(self, field, problem, *, missing=False):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
        self.missing = missing  # not filled in yet, rather than wrong: a draft may wait

    def naming_typo(self, metadata):
        """The same error, naming the key the author wrote when it looks like this field
        misspelt ("original_author: missing (is 'orignal_author' meant to be it?)")."""
        if self.field in metadata:
            return self
        for key in metadata:
            if key not in KEYS and closest(key, KEYS) == self.field:
                return InvalidAttribution(
                    self.field,
                    f"{self.problem} (is {key!r} a misspelling of it?)",
                    missing=self.missing,
                )
        return self


@dataclass(frozen=True)
class Attribution:
    """Who wrote what we republish, where it first appeared, and how it reached us."""

    author: str | None = None
    title: str | None = None
    url: str | None = None
    site: str | None = None
    site_url: str | None = None
    feed: str | None = None
    via: str | None = None
    via_url: str | None = None
    via_note: str | None = None

    @property
    def link(self):
        """The best address for the original: the article itself when known, else its blog."""
        return self.url or self.site_url

    @classmethod
    def from_metadata(cls, metadata):
        """The credit in a post's metadata, or None when the post is not a repost."""
        # Present at all, even empty: an empty Original_author is a mistake, not an own post.
        if not any(field.key in metadata for field in ORIGINAL_FIELDS):
            return None
        for field in FIELDS:
            if isinstance(metadata.get(field.key), list):  # the field was written twice
                raise InvalidAttribution(field.key, "given more than once; give it once")
        values = {field.key: _text(metadata.get(field.key)) for field in FIELDS}
        try:
            validate(values)
        except InvalidAttribution as error:
            raise error.naming_typo(metadata) from None
        return cls(**{field.attribute: values[field.key] for field in FIELDS})


def validate(values):
    """Raise InvalidAttribution for the first missing field or unsafe address in a repost.

    `values` maps metadata keys ("original_author", ...) to text or None.
    """
    for key in REQUIRED:
        if not values.get(key):
            raise InvalidAttribution(
                key, "missing; a repost needs original_author and original_site", missing=True
            )
    if not any(values.get(key) for key in LINKS):
        raise InvalidAttribution(
            "original_url",
            "missing; a repost needs original_url or original_site_url",
            missing=True,
        )
    for field in FIELDS:
        value = values.get(field.key)
        if field.is_url and value:
            problem = url_problem(value)
            if problem:
                raise InvalidAttribution(field.key, f"{value!r} {problem}")


# Characters RFC 3986 lets no URI hold, besides whitespace and controls: a feed carrying one
# in an address is invalid (W3C feed validator: InvalidUriChar), and readers cut links there.
NOT_IN_URI = set('"<>\\{}|^`')


def url_problem(url):
    """Why `url` cannot be linked from a credit or a feed, or None when it is an absolute web
    address made only of characters a URI may hold."""
    problem = _character_problem(url)
    if problem:
        return problem
    parts = urlsplit(url)
    if not parts.scheme:  # "/blog/", "blog.example.org", "//blog.example.org/"
        return "is a relative address; write the full address, starting with https://"
    # javascript:, data:, mailto:, ftp: ... would run code or leave the web from a credit link.
    if parts.scheme.lower() not in ("http", "https"):
        return "is not an http or https address"
    if not parts.netloc:
        return "has no host name after http(s)://"
    return None


def _character_problem(url):
    for character in url:
        if ord(character) < 0x20 or 0x7F <= ord(character) <= 0x9F:
            return f"contains the control character {character!r}; remove it"
        if character.isspace():
            return "contains a space; write spaces as %20"
        if character in NOT_IN_URI:
            return (
                f"contains {character!r}, which no address can hold; "
                f"write it as %{ord(character):02X}"
            )
    return None


def _text(value):
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _linked(text, url, css_class=None):
    """`text`, linked to `url` when there is one (with `css_class` on the link or a span)."""
    attribute = Markup(' class="{}"').format(css_class) if css_class else Markup("")
    if url:
        return Markup('<a{} href="{}">{}</a>').format(attribute, url, text)
    if css_class:
        return Markup("<span{}>{}</span>").format(attribute, text)
    return Markup("{}").format(text)


def credit_html(attribution):
    """The credit as the post and its feed items tell it (escaped; "" for own posts).

    Microformats2 classes mark the post as a repost of the original (u-repost-of h-cite).
    """
    if not attribution:
        return Markup("")
    line = Markup(
        '<p class="u-repost-of h-cite">Originally published by '
        '<span class="credit-author p-author h-card">{}</span>'
    ).format(attribution.author)
    if attribution.title:
        line += Markup(' as “<cite class="p-name">{}</cite>”').format(attribution.title)
    line += Markup(" on {}.").format(
        _linked(attribution.site, attribution.site_url, "p-publication")
    )
    if attribution.url:
        line += Markup(
            ' <a class="read-original u-url" href="{}">Read the whole article there</a>.'
        ).format(attribution.url)
    else:
        # Only the blog is known: never call its home page "the whole article".
        line += Markup(' <a class="read-original u-url" href="{}">Read more at {}</a>.').format(
            attribution.site_url, attribution.site
        )
    line += Markup("</p>")
    if attribution.via:
        via = _linked(attribution.via, attribution.via_url)
        if attribution.via_note:
            via += Markup(", {}").format(attribution.via_note)
        line += Markup('<p class="via">Sent using {}.</p>').format(via)
    return line


def credit_text(attribution):
    """The credit as plain text, for JSON Feed's `summary` ("" for own posts): the sentences
    of `credit_html`, with the original's address written out instead of linked."""
    if not attribution:
        return ""
    text = f"Originally published by {attribution.author}"
    if attribution.title:
        text += f" as “{attribution.title}”"
    text += f" on {attribution.site}: {attribution.link}"
    if attribution.via:
        text += f" Sent using {attribution.via}"
        text += f", {attribution.via_note}." if attribution.via_note else "."
    return text


def credit_line(attribution):
    """The credit in one short line, for a post in a listing ("" for own posts)."""
    if not attribution:
        return Markup("")
    return Markup('<p class="credit-line">Republished from {}, by {}.</p>').format(
        attribution.site, attribution.author
    )


def attach_attribution(content):
    """Give an article its `attribution` (None for own posts) and cite the quoted excerpt.

    A credit that cannot be published is logged naming the file and the field, then raised:
    Pelican leaves the post out, and make html and make publish fail at the end of the build.
    A draft may wait for a field still to be filled in (`make new REPOST=1` writes them
    empty): it is only warned about, and `leave_out_uncredited_drafts` keeps it out of the
    site, preview included, so no repost is written anywhere without its credit and no
    unfinished draft stops the build of the others.
    """
    try:
        content.attribution = Attribution.from_metadata(content.metadata)
    except InvalidAttribution as error:
        if error.missing and content.status == "draft":
            logger.warning(
                "%s: %s; this draft is left out of the site until its credit is filled in",
                content.get_relative_source_path(),
                error,
            )
            content.attribution = None
            content.credit_missing = True
            return
        # Logged here because Pelican's own "Could not process" hides the reason.
        logger.error("%s: %s", content.get_relative_source_path(), error)
        raise
    html = source_html(content)
    if content.attribution and content.attribution.link and "<blockquote" in html:
        replace_source_html(content, cite_blockquotes(html, content.attribution.link))


def leave_out_uncredited_drafts(generator):
    """Drop the drafts whose credit is not filled in yet (see attach_attribution) from what
    the article generator writes."""
    for name in ("drafts", "drafts_translations"):
        posts = getattr(generator, name)
        # In place: the generator's context holds the same lists.
        posts[:] = [post for post in posts if not getattr(post, "credit_missing", False)]


def cite_blockquotes(html, cite):
    """Point every quotation the author did not cite themselves at the original."""
    soup = BeautifulSoup(html, "html.parser")
    for quote in soup.find_all("blockquote"):
        if not quote.get("cite") and quote.find_parent("blockquote") is None:
            quote["cite"] = cite
    return str(soup)
