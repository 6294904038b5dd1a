"""Build `article.attribution` from a repost's `original_*` and `via*` metadata.

The theme, the feeds and the structured data all read this one object, so the credit
is derived in one place and cannot drift between them.
"""

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from pelican.contents import Article

logger = logging.getLogger(__name__)

REPOST_FIELDS = (
    "original_author",
    "original_title",
    "original_url",
    "original_site",
    "original_site_url",
    "original_feed",
    "via",
    "via_url",
)
# A repost must say who wrote it and where; the article's address is best, the blog's will do.
REQUIRED_FIELDS = ("original_author", "original_site")
LINK_FIELDS = ("original_url", "original_site_url")
URL_FIELDS = ("original_url", "original_site_url", "original_feed", "via_url")


class InvalidAttribution(ValueError):
    """A repost's credit is missing a field or holds an address a reader cannot follow."""

    def __init__(self, field, problem):
        super().__init__(f"{field}: {problem}")
        self.field = field


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

    @property
    def link(self):
        """The best address for the original: the article itself when known, else its blog."""
        return self.url or self.site_url

    @classmethod
    def from_metadata(cls, metadata):
        """The credit in a post's metadata, or None when the post is not a repost."""
        # Present at all, even empty: an empty Original_author is a mistake, not an own post.
        if not any(key in metadata for key in REPOST_FIELDS if key.startswith("original_")):
            return None
        for key in REPOST_FIELDS:
            if isinstance(metadata.get(key), list):  # the field was written twice
                raise InvalidAttribution(key, "given more than once; give it once")
        values = {key: _text(metadata.get(key)) for key in REPOST_FIELDS}
        validate(values)
        return cls(
            author=values["original_author"],
            title=values["original_title"],
            url=values["original_url"],
            site=values["original_site"],
            site_url=values["original_site_url"],
            feed=values["original_feed"],
            via=values["via"],
            via_url=values["via_url"],
        )


def validate(values):
    """Raise InvalidAttribution for the first missing field or unsafe address in a repost."""
    for field in REQUIRED_FIELDS:
        if not values[field]:
            raise InvalidAttribution(
                field, "missing; a repost needs original_author and original_site"
            )
    if not any(values[field] for field in LINK_FIELDS):
        raise InvalidAttribution(
            "original_url", "missing; a repost needs original_url or original_site_url"
        )
    for field in URL_FIELDS:
        if values[field]:
            problem = url_problem(values[field])
            if problem:
                raise InvalidAttribution(field, f"{values[field]!r} {problem}")


def url_problem(url):
    """Why `url` cannot be linked from a credit, or None when it is an absolute web address."""
    if any(character.isspace() for character in url):
        return "contains a space; write spaces as %20"
    parts = urlsplit(url)
    if not parts.scheme:  # "/blog/", "blog.example.org", "//blog.example.org/"
        return "is a relative address; write the full address, starting with https://"
    # javascript:, data:, mailto:, ftp: ... would run code or leave the web from a credit link.
    if parts.scheme.lower() not in ("http", "https"):
        return "is not an http or https address"
    if not parts.netloc:
        return "has no host name after http(s)://"
    return None


def _text(value):
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def attach_attribution(content):
    """Give every article an `attribution` (None for own posts) and cite the quoted excerpt."""
    if not isinstance(content, Article):
        return
    try:
        content.attribution = Attribution.from_metadata(content.metadata)
    except InvalidAttribution as error:
        # Logged here, named after the file, so the reason is never hidden behind
        # Pelican's "Could not process"; raising makes Pelican leave the post out, and
        # `--fatal errors` (make html, make publish) stops the build on the log line.
        logger.error("%s: %s", content.get_relative_source_path(), error)
        raise
    if content.attribution and content.attribution.link and "<blockquote" in content._content:
        content._content = cite_blockquotes(content._content, content.attribution.link)


def cite_blockquotes(html, cite):
    """Point every quotation the author did not cite themselves at the original."""
    soup = BeautifulSoup(html, "html.parser")
    for quote in soup.find_all("blockquote"):
        if not quote.get("cite") and quote.find_parent("blockquote") is None:
            quote["cite"] = cite
    return str(soup)
