"""Make Pelican's own reading errors say which file and which field, and catch clashes.

Pelican already rejects a post with an invalid date, no title or an unknown status, and
reblog-build fails on any error it logs. What it lacks:

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
- a misspelt key is dropped without a word, and `03/04/2026` is read as 4 March: the keys
  and dates are checked against reblog.metadata's table as each file is read.
- a link or image in a post that points at nothing is found only by `make check`:
  `check_links_in_content` reads every post's links once the site is written.
"""

import logging
import os
import re
from functools import partial
from html import unescape
from itertools import chain
from pathlib import Path

from pelican.contents import Article

from .incremental import memo, state
from .metadata import (
    DATE_KEYS,
    check_date,
    check_status,
    check_title,
    front_matter_keys,
    label_of,
    unknown_keys,
    written_spelling,
)
from .pelican_internals import give_readers, source_html
from .repost import PLACEHOLDER_START
from .settings import read as read_settings
from .site_files import Site, missing_target

logger = logging.getLogger(__name__)


class NamesFailingField:
    """Reader mixin: a failure to read a file is logged with its path and field; its keys
    and dates are checked against the table of metadata (reblog.metadata)."""

    def read(self, source_path):
        relative = os.path.relpath(source_path, self.settings["PATH"])
        try:
            content, metadata = super().read(source_path)
            check_title(metadata, self.settings)
        except Exception as error:
            # Logged here because Pelican's own message hides the reason; this line is
            # what the build reports and stops on.
            logger.error("%s: %s", relative, error)
            # The keys are still checked: a misspelt key and a bad date, told in one run.
            keys = front_matter_keys(source_path)
            report_unknown_keys(relative, source_path, keys, self.settings)
            raise
        report_unknown_keys(relative, source_path, metadata, self.settings)
        return content, metadata

    def process_metadata(self, name, value):
        try:
            if name in DATE_KEYS and isinstance(value, str):
                check_date(value)
            if name == "status":
                check_status(value)
            return super().process_metadata(name, value)
        except Exception as error:
            raise ValueError(f"{name}: {error}") from error


def report_unknown_keys(relative, source_path, metadata, settings):
    """An error for a key that looks like a known one misspelt, a warning for any other key
    neither Pelican, the engine nor METADATA_EXTRA_KEYS knows."""
    typos, others = unknown_keys(metadata, read_settings(settings)["METADATA_EXTRA_KEYS"])
    if not (typos or others):
        return
    with open(source_path, encoding="utf-8", errors="replace") as source:
        text = source.read()
    for key, meant in typos:
        logger.error(
            "%s: unknown key %r — did you mean %r?",
            relative,
            written_spelling(text, key),
            label_of(meant),
        )
    for key in others:
        logger.warning(
            "%s: unknown key %r is ignored (list it in METADATA_EXTRA_KEYS if your theme reads it)",
            relative,
            written_spelling(text, key),
        )


def name_failing_fields(readers):
    """readers_init: give every reader class the NamesFailingField mixin."""
    give_readers(readers, NamesFailingField)


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


# href, src, srcset and poster values in a post's HTML. A pattern rather than a parser: it
# runs on every post of every build, and Markdown writes plain, quoted attributes.
LINK_ATTRIBUTE = re.compile(
    r"""\s(href|src|srcset|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)
# Stands in for an empty SITEURL (make html's root-relative links) when resolving links.
LOCAL_SITE = "http://site.invalid"
_TO_CHECK = "_reblog_content_to_link_check"
UNRESOLVED = re.compile(r"\{(?:static|filename|attach|index|tag|category|author)\}")


def remember_content_to_link_check(generators):
    """all_generators_finalized: every post and page read, drafts and hidden ones included;
    their links are checked once the whole site is written (`check_links_in_content`)."""
    context = generators[0].context
    contents = [content for content in context["generated_content"].values() if content]
    generators[0].settings[_TO_CHECK] = contents


def check_links_in_content(pelican):
    """finalized: log every link or image in a post that points at no file of the site,
    under the post's source file, at the level BROKEN_LINKS names."""
    contents = pelican.settings.pop(_TO_CHECK, [])
    level = read_settings(pelican.settings)["BROKEN_LINKS"]
    if level == "off":
        return
    log = logger.error if level == "error" else logger.warning
    siteurl = pelican.settings.get("SITEURL") or LOCAL_SITE
    incremental = state(pelican.settings)
    if incremental is not None and incremental.staging is not None:
        site = StagedSite(pelican.output_path, siteurl, incremental)
    else:
        site = Site(pelican.output_path, siteurl)
    # The last build passed this check; when no file has gone since, a post that did not
    # change still links only to what is there (with warnings, each is told every build).
    unchanged_pass = level == "error" and incremental is not None and incremental.no_file_gone()
    for content in sorted(contents, key=lambda content: content.source_path):
        if unchanged_pass and incremental.unchanged("links", content):
            continue
        base_url = site.siteurl + "/" + content.url
        # A post that did not change links to what it linked to last build; whether that
        # is still there is checked again.
        found = memo(content.settings, "links", content, partial(rendered_references, content))
        for problem in sorted(set(broken_links(site, base_url, found))):
            log("%s: %s", content.get_relative_source_path(), problem)


class StagedSite(Site):
    """The site an in-place incremental build is making: its output folder, less the files
    that are gone, plus the files waiting in the staging folder."""

    def __init__(self, output, siteurl, incremental):
        super().__init__(output, siteurl)
        self.incremental = incremental
        self.gone = incremental.gone()

    def file_for(self, url):
        target = super().file_for(url)
        if target is None:
            return None
        relative = target.relative_to(self.output).as_posix()
        if relative in self.gone:
            return self.output / ".gone" / relative  # no such file
        staged = self.incremental.staged_files.get(relative)
        return Path(staged) if staged is not None else target


def rendered_references(content):
    """Every address a link or image of a post's page points at."""
    return references(content.content)


def references(html):
    """Every address a link or image in `html` points at."""
    found = []
    for match in LINK_ATTRIBUTE.finditer(html):
        attribute = match.group(1).lower()
        value = unescape(next(group for group in match.groups()[1:] if group is not None))
        if attribute == "srcset":
            found += [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
        else:
            found.append(value)
    return found


def broken_links(site, base_url, found):
    """What is wrong with each of the addresses `found` that points at nothing."""
    for reference in found:
        if UNRESOLVED.match(reference):
            # Pelican found no file for {static}/... or {filename}/... and left it as is.
            yield f"links to {reference}, but the content folder has no such file"
            continue
        problem = missing_target(site, base_url, reference)
        if problem:
            yield problem
