"""Incremental builds: a source whose bytes did not change is not read again (its output
files are kept by the site's writer, reblog.feeds.writer.FeedWriter)."""

from pelican import signals

from reblog.incremental import read_only_what_changed, remember_static_files


def register():
    signals.readers_init.connect(read_only_what_changed)
    signals.all_generators_finalized.connect(remember_static_files)
