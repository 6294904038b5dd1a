"""Build `article.attribution` from a repost's `original_*` and `via*` metadata.

The theme, the feeds and the structured data all read this one object, so the credit
is derived in one place and cannot drift between them.
"""

from dataclasses import dataclass

from bs4 import BeautifulSoup
from pelican.contents import Article

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
        if not any(metadata.get(key) for key in REPOST_FIELDS if key.startswith("original_")):
            return None
        values = {key: _text(metadata.get(key)) for key in REPOST_FIELDS}
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


def _text(value):
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def attach_attribution(content):
    """Give every article an `attribution` (None for own posts) and cite the quoted excerpt."""
    if not isinstance(content, Article):
        return
    content.attribution = Attribution.from_metadata(content.metadata)
    if content.attribution and content.attribution.link and "<blockquote" in content._content:
        content._content = cite_blockquotes(content._content, content.attribution.link)


def cite_blockquotes(html, cite):
    """Point every quotation the author did not cite themselves at the original."""
    soup = BeautifulSoup(html, "html.parser")
    for quote in soup.find_all("blockquote"):
        if not quote.get("cite") and quote.find_parent("blockquote") is None:
            quote["cite"] = cite
    return str(soup)
