"""Trackbacks both ways: Trackback URIs on posts, received pings shown under them, and the
manifest the receiver and the sender read. The receiver and sender are commands
(`python -m linkbacks`), not part of the build.
"""

from pelican import signals

from .display import attach_linkbacks
from .manifest import collect_manifest, write_manifest
from .trackback import attach_trackback


def register():
    signals.content_object_init.connect(attach_trackback)
    signals.article_generator_finalized.connect(attach_linkbacks)
    signals.article_generator_finalized.connect(collect_manifest)
    signals.finalized.connect(write_manifest)
