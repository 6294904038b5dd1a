"""Fast builds. Incremental: a source whose bytes did not change is not read again, and
Jinja's compiled templates are kept (the output files are kept by the site's writer,
reblog.feeds.writer.FeedWriter). Every build: one Markdown parser reads every post, and
tag, category and author pages find their posts without a scan per post, and translations
are found slug by slug; what a post links to among the static files is asked once, and
files of a disabled reader are looked for only when a reader is disabled; each file is
matched against IGNORE_FILES at once."""

from pelican import signals

from reblog.incremental import (
    keep_unchanged_content,
    remember_static_files,
    remember_static_links,
    share_compiled_templates,
    stage_static_files,
)
from reblog.pelican_internals import (
    check_disabled_readers_only_if_any,
    find_translations_group_by_group,
    index_listed_posts,
    match_ignored_files_at_once,
)
from reblog.reading import reuse_markdown


def register():
    find_translations_group_by_group()
    check_disabled_readers_only_if_any()
    match_ignored_files_at_once()
    remember_static_links()
    signals.generator_init.connect(keep_unchanged_content)
    signals.readers_init.connect(reuse_markdown)
    signals.article_generator_finalized.connect(index_listed_posts)
    signals.generator_init.connect(share_compiled_templates)
    signals.generator_init.connect(stage_static_files)
    signals.all_generators_finalized.connect(remember_static_files)
