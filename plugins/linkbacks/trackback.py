"""Give each article its Trackback URI and the RDF block blog engines discover it by.

One setting builds every URI: TRACKBACK_URL, a template with `{slug}`. Unset, no post
shows a Trackback URI or RDF, so the site never advertises an address nobody answers; nor
does a draft or hidden post, which the receiver's manifest of published posts leaves out.
The RDF follows the TrackBack 1.2 spec's autodiscovery block, which WordPress and
Movable Type wrap in an HTML comment so browsers ignore it.
"""

from xml.sax.saxutils import quoteattr

from markupsafe import Markup
from pelican.contents import Article

# The permalinks plugin (loaded before this one in PLUGINS) owns the absolute-URL rule;
# `permalink` stays importable from here for the rest of this plugin.
from permalinks import permalink

__all__ = ["attach_trackback", "permalink", "trackback_rdf"]

DEFAULTS = {"TRACKBACK_URL": None}


def attach_trackback(content):
    """Set `trackback_uri` and `trackback_rdf` on an article (both None when switched off)."""
    if not isinstance(content, Article):
        return
    if not hasattr(content, "slug"):
        # No title, so no slug: Pelican rejects the post and names the missing field.
        content.trackback_uri = content.trackback_rdf = None
        return
    template = content.settings.get("TRACKBACK_URL", DEFAULTS["TRACKBACK_URL"])
    published = getattr(content, "status", "published") == "published"
    content.trackback_uri = template.format(slug=content.slug) if template and published else None
    content.trackback_rdf = (
        trackback_rdf(permalink(content), content.title, content.trackback_uri)
        if content.trackback_uri
        else None
    )


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
