"""Trackbacks on the site: Trackback URIs and RDF on posts, approved pings under them, and the
manifest the receiver and the sender read. The receiver and the sender themselves are the
`reblog-linkbacks` command, not part of the build.
"""

from pelican import signals
from pelican.contents import Article

from reblog.linkbacks.site import (
    attach_linkbacks,
    attach_trackback,
    collect_manifest,
    trackback_rdf_of,
    write_manifest,
)


def attach_trackback_to_posts(content):
    """content_object_init fires for pages too; only posts take pings."""
    if isinstance(content, Article):
        attach_trackback(content)


def add_trackback_rdf_filter(generator):
    """`{{ article|trackback_rdf }}` in templates."""
    generator.env.filters["trackback_rdf"] = trackback_rdf_of


def register():
    signals.content_object_init.connect(attach_trackback_to_posts)
    signals.article_generator_finalized.connect(attach_linkbacks)
    signals.all_generators_finalized.connect(collect_manifest)
    signals.finalized.connect(write_manifest)
    signals.generator_init.connect(add_trackback_rdf_filter)
