"""The theme's files for the site's root (favicon.ico): theme/root/ copied to the output."""

from pelican import signals

from reblog.theme_root import copy_theme_root


def register():
    signals.finalized.connect(copy_theme_root)
