"""Absolute addresses for every page: SITEURL in production, FEED_DOMAIN while writing."""

from pelican import signals

from .permalinks import (
    absolute_url,
    add_canonical_url,
    every_post,
    freeze_addresses,
    permalink,
)

# Other plugins import these three; this plugin comes first in PLUGINS.
__all__ = ["absolute_url", "every_post", "permalink", "register"]


def register():
    signals.generator_init.connect(add_canonical_url)
    signals.article_generator_finalized.connect(freeze_addresses)
    signals.page_generator_finalized.connect(freeze_addresses)
