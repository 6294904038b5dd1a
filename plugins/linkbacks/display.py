"""Show approved pings under their post: `article.linkbacks`, oldest first.

Read at build time from the receiver's store. No store file means no pings yet, and the
site builds as if the feature were not there. Every field is the sender's text: the
templates escape it, and only http(s) sources become links.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from permalinks import every_post
from webfetch import is_http

from .settings import read
from .store import Store


@dataclass(frozen=True)
class Linkback:
    """One approved ping, as the templates show it."""

    id: int
    kind: str
    url: str
    title: str
    blog_name: str
    excerpt: str
    date: datetime
    locale_date: str


def attach_linkbacks(generator):
    """article_generator_finalized: give each article its approved pings (maybe none)."""
    conf = read(generator.settings)
    date_format = generator.settings.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d")
    by_slug = {}
    for ping in Store(conf["LINKBACKS_DB"]).pings("approved"):
        if not is_http(ping["source"]):
            continue
        date = datetime.strptime(ping["received"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        by_slug.setdefault(ping["slug"], []).append(
            Linkback(
                id=ping["id"],
                kind=ping["kind"],
                url=ping["source"],
                title=ping["title"],
                blog_name=ping["blog_name"],
                excerpt=ping["excerpt"],
                date=date,
                locale_date=date.strftime(date_format),
            )
        )
    for article in every_post(generator):
        # Store order is (received, id): the same store always renders the same page.
        article.linkbacks = by_slug.get(article.slug, [])
