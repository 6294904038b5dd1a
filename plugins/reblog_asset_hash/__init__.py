"""Cache-busting: a content hash in the stylesheet's URL, so a changed stylesheet is refetched."""

from pelican import signals

from reblog.asset_hash import add_asset_versions


def register():
    signals.generator_init.connect(add_asset_versions)
