"""Incremental builds: a source whose bytes did not change is not read again, and Jinja's
compiled templates are kept (the output files are kept by the site's writer,
reblog.feeds.writer.FeedWriter)."""

from pelican import signals

from reblog.incremental import (
    keep_unchanged_content,
    remember_static_files,
    share_compiled_templates,
)


def register():
    signals.generator_init.connect(keep_unchanged_content)
    signals.generator_init.connect(share_compiled_templates)
    signals.all_generators_finalized.connect(remember_static_files)
