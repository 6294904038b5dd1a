"""Feeds for small mobile readers: RSS 2.0, Atom 1.0 and JSON Feed 1.1 built with feedgen."""

from pelican import signals

from .content import reset
from .jsonfeed import write_json_feeds
from .writer import get_writer


def register():
    signals.get_writer.connect(get_writer)
    signals.article_writer_finalized.connect(write_json_feeds)
    signals.finalized.connect(reset)
