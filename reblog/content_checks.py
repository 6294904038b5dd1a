"""Make Pelican's own reading errors say which file and which field, and catch clashes.

Pelican already rejects a post with an invalid date, no title or an unknown status, and
`--fatal errors` turns that into a failed build. What it lacks:

- a reader exception (a date it cannot parse, a file it cannot decode) is logged as
  "Could not process posts/x.md" with the reason only under --debug, and the reason
  never names the metadata field. `name_failing_fields` gives every reader a mixin that
  names the field and logs "posts/x.md: date: '2020-13-45' is not a valid date".
- a repost drafted by `make repost` and published with its placeholder line still in
  place would show that line as the blogger's words: `check_commentary_written` stops it.
- two posts with the same slug are only a warning, and two posts with the same address
  fail while writing, naming the output file rather than the posts. Here both are an
  error naming both source files, before anything is written. The slug must be unique
  on its own because TRACKBACK_URL builds each post's Trackback URI from it.
"""

import logging
import os
from itertools import chain

from pelican.contents import Article

from .pelican_internals import source_html
from .repost import PLACEHOLDER_START

logger = logging.getLogger(__name__)


class NamesFailingField:
    """Reader mixin: a failure to read a file is logged with its path and field."""

    def read(self, source_path):
        try:
            return super().read(source_path)
        except Exception as error:
            # Logged here because Pelican's own message hides the reason; with
            # `--fatal errors` this line is what stops the build.
            logger.error("%s: %s", os.path.relpath(source_path, self.settings["PATH"]), error)
            raise

    def process_metadata(self, name, value):
        try:
            return super().process_metadata(name, value)
        except Exception as error:
            raise ValueError(f"{name}: {error}") from error


def name_failing_fields(readers):
    """Give every reader class the NamesFailingField mixin (keeping its class name)."""
    for extension, reader_class in readers.reader_classes.items():
        if reader_class and not issubclass(reader_class, NamesFailingField):
            # Same name: Pelican derives the `reader` metadata ("markdown") from it.
            readers.reader_classes[extension] = type(
                reader_class.__name__, (NamesFailingField, reader_class), {}
            )


def check_unique_addresses(generators):
    """Log an error for every post or page whose slug or address another one already has."""
    generated = generators[0].context["generated_content"]
    slugs, addresses = {}, {}
    for source in sorted(generated):
        content = generated[source]
        if content is None:  # failed to read: already reported
            continue
        if isinstance(content, Article):
            key = (content.slug, content.lang)
            if key in slugs:
                logger.error(
                    "%s: slug %r is also used by %s; every post needs its own slug "
                    "(its address and Trackback URI are made from it)",
                    source,
                    content.slug,
                    slugs[key],
                )
                continue
            slugs[key] = source
        if content.save_as in addresses:
            logger.error(
                "%s: its address %s is also claimed by %s; give one of them another slug",
                source,
                content.url,
                addresses[content.save_as],
            )
            continue
        addresses[content.save_as] = source


def check_commentary_written(generators):
    """Log an error for a published post that still holds the repost command's placeholder.

    A draft may keep it; once Status: draft is gone, the line would go out to readers and
    feeds as the blogger's commentary.
    """
    for generator in generators:
        posts = chain(getattr(generator, "articles", []), getattr(generator, "translations", []))
        for post in posts:
            if isinstance(post, Article) and PLACEHOLDER_START in source_html(post):
                logger.error(
                    "%s: commentary: the line starting %r is still there; replace it with "
                    "your own words, or keep Status: draft",
                    post.get_relative_source_path(),
                    PLACEHOLDER_START,
                )
