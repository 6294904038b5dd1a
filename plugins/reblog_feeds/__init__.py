"""Feeds for small mobile readers: RSS 2.0, Atom 1.0 and JSON Feed 1.1 built with feedgen,
and the list of them the subscribe page shows."""

from pelican import signals

from reblog.feeds.budget import report
from reblog.feeds.content import reset
from reblog.feeds.jsonfeed import write_json_feeds
from reblog.feeds.subscribe import add_site_feeds
from reblog.feeds.writer import get_writer


def register():
    signals.get_writer.connect(get_writer)
    signals.article_writer_finalized.connect(write_json_feeds)
    signals.article_generator_finalized.connect(add_site_feeds)
    signals.finalized.connect(reset)
    signals.finalized.connect(report)
