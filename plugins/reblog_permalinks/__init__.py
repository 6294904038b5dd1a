"""Absolute addresses for every page: SITEURL in production, FEED_DOMAIN while writing."""

from pelican import signals

from reblog.pelican_internals import remember_relative_source_paths
from reblog.permalinks import add_canonical_url, freeze_addresses


def register():
    remember_relative_source_paths()
    signals.generator_init.connect(add_canonical_url)
    signals.article_generator_finalized.connect(freeze_addresses)
    signals.page_generator_finalized.connect(freeze_addresses)
