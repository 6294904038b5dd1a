"""What the build does for linkbacks: Trackback URIs, approved pings under posts, the manifest.

- Each published post gets its Trackback URI and the RDF block blog engines discover it by.
  One setting builds every URI: TRACKBACK_URL, a template with `{slug}`. Unset, no post
  shows a Trackback URI or RDF, so the site never advertises an address nobody answers;
  nor does a draft or hidden post, which the manifest of published posts leaves out. The
  RDF follows the TrackBack 1.2 autodiscovery block, which WordPress and Movable Type wrap
  in an HTML comment so browsers ignore it.
- Approved pings are read from the receiver's store into `article.linkbacks`, oldest first.
  No store file means no pings yet. Every field is the sender's text: the templates escape
  it, and only http(s) sources become links.
- The manifest (every published post's URL, slug and citations) is what the receiver (which
  posts exist) and the sender (what each post cites) read: a static site has no database
  they could ask. It is written only once the build has finished, so a failed build leaves
  the previous one in place, like the previous output/.

The receiver, the verifier and the sender never import this module.
"""

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import quoteattr

from markupsafe import Markup

from ..incremental import memo
from ..pelican_internals import source_html
from ..permalinks import article_generators, every_post
from ..settings import read
from ..urls import absolute_url, is_http, permalink
from .canonical import canonical
from .manifest import EncodedItems, encoded_item, trim, write_json_a_line_each
from .store import Store

# The article generator of the build in progress whose manifest is to be written, keyed by
# the manifest's path; emptied on `finalized`, so nothing carries over from one
# (auto-)rebuild to the next.
_pending = {}

# Every post is scanned on every build, so this runs over the whole archive: a regular
# expression over the rendered HTML costs a fiftieth of a full parse. It reads the href of
# every <a> start tag, quoted either way or unquoted, as HTML spells attributes.
ANCHOR_HREF = re.compile(
    r"""<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)


def attach_trackback(article):
    """Set `trackback_uri` on an article (None when switched off or not published)."""
    if not hasattr(article, "slug"):
        # No title, so no slug: Pelican rejects the post and names the missing field.
        article.trackback_uri = None
        return
    template = read(article.settings)["TRACKBACK_URL"]
    published = getattr(article, "status", "published") == "published"
    article.trackback_uri = template.format(slug=article.slug) if template and published else None


def trackback_rdf_of(article):
    """The `trackback_rdf` filter: a post's autodiscovery block, made when its page is
    rendered (a page an incremental build keeps needs none); "" without a Trackback URI."""
    if not getattr(article, "trackback_uri", None):
        return ""
    return trackback_rdf(permalink(article), article.title, article.trackback_uri)


def trackback_rdf(about, title, ping_url):
    """The autodiscovery block, safe inside an HTML comment whatever the title holds."""
    rdf = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
        '         xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '         xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/">\n'
        f"  <rdf:Description rdf:about={quoteattr(about)}\n"
        f"    dc:identifier={quoteattr(about)}\n"
        f"    dc:title={quoteattr(str(title))}\n"
        f"    trackback:ping={quoteattr(ping_url)} />\n"
        "</rdf:RDF>"
    )
    # "--" may not appear inside a comment; as a character reference it still parses as XML.
    return Markup("<!--\n" + rdf.replace("--", "-&#45;") + "\n-->")


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
    """Give each article its approved pings (maybe none)."""
    date_format = generator.settings.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d")
    by_slug = {}
    for ping in Store(read(generator.settings)["LINKBACKS_DB"]).pings("approved"):
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


def collect_manifest(generators):
    """Every published post's URL, slug and citations, kept until the build has finished.

    Connected to all_generators_finalized, when the posts are known; each post's entry is
    made at `finalized`, once the pages are written: plugins may still change a post's
    HTML before then (reblog.images sizes its images), and an incremental build keys the
    entry by what the post finally is (reblog.incremental.memo), known once it is written.
    """
    for generator in article_generators(generators):
        conf = read(generator.settings)
        _pending[conf["LINKBACKS_MANIFEST"]] = generator


def write_manifest(_pelican):
    """Write the manifest of the finished build."""
    while _pending:
        path, generator = _pending.popitem()
        write_json_a_line_each(path, _manifest(generator))


def _manifest(generator):
    conf = read(generator.settings)
    site = absolute_url(generator.settings)  # what permalink() makes post addresses from
    posts = [post_entry(article, site, conf) for article in generator.articles]
    posts.sort(key=itemgetter(0))  # by slug
    return {
        "site": site,
        "sitename": generator.settings.get("SITENAME", ""),
        "posts": EncodedItems(entry for _, entry in posts),
    }


def post_entry(article, site, conf):
    """One post's (slug, entry), the entry encoded: where it lives, what to say about it in
    a ping, what it links to (the same as last build's when the post did not change:
    reblog.incremental.memo)."""

    def entry():
        made = _post_entry(article, site, conf)
        return made["slug"], encoded_item(made)

    return memo(article.settings, "linkbacks", article, entry)


def _post_entry(article, site, conf):
    summary = Markup(article.summary or "").striptags()
    return {
        "slug": article.slug,
        "url": permalink(article),
        "title": article.title,
        "excerpt": trim(summary, conf["LINKBACKS_MAX_FIELD"]),
        "links": cited_links(article, site),
    }


def cited_links(article, site):
    """External http(s) links of a post, the repost's own source first, each once."""
    credit = getattr(article, "attribution", None)
    first = [credit.url, credit.site_url] if credit else []
    found = [
        html.unescape(double or single or bare)
        for double, single, bare in ANCHOR_HREF.findall(source_html(article))
    ]
    own_host = host_and_port(site)
    links = []
    for href in [(href or "").strip() for href in [*first, *found]]:
        if not is_http(href) or host_and_port(href) == own_host:
            continue
        url = urlunsplit(urlsplit(href)._replace(fragment=""))
        if url not in links:
            links.append(url)
    return links


def host_and_port(url):
    """Where `url` lives, the port included: another blog may share our host (a test's
    127.0.0.1 does). None for a port that is no number."""
    try:
        return urlsplit(canonical(url)).netloc
    except ValueError:
        return None
