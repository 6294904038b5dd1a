"""Reproducible sitemap.xml: index pages dated by the newest post, not the build clock."""

from pelican import signals

from reblog.sitemap_dates import date_indexes_by_newest_content, forget_earlier_builds


def register():
    signals.initialized.connect(forget_earlier_builds)
    signals.all_generators_finalized.connect(date_indexes_by_newest_content)
