"""The few private parts of Pelican (and pelican-sitemap) the engine relies on, in one place.

Each has no public equivalent in the versions pinned in pyproject.toml; this module was
checked against Pelican 4.12.0 and pelican-sitemap 1.2.2. A version bump that breaks one of
them breaks it here, and the tests of the feature named in each docstring say so.
"""

import fnmatch
import functools
import logging
import os
import re
import shutil
from itertools import groupby
from operator import attrgetter

import pelican.generators
from pelican.contents import Content
from pelican.log import LimitFilter
from pelican.utils import posixize_path, sanitised_join
from pelican.writers import FileOverwriteFailedError

logger = logging.getLogger(__name__)


def source_html(content):
    """A post's rendered Markdown before Pelican replaces {filename} links in it.

    `content.content` would render those links and memoize the result before every
    intra-site link is known; the credit, the placeholder check and the linkback manifest
    only need the author's own HTML (`Content._content`).
    """
    return content._content or ""


# What reblog.incremental knows a post by, computed once a build and kept on the post,
# and what it remembers of the post's HTML (Content.get_static_links' answer).
KNOWN_BY = ("_reblog_fingerprint", "_reblog_listing", "_reblog_static_links")


def replace_source_html(content, html):
    """Change a post's rendered Markdown before Pelican finishes it (the credit's cite=, the
    images' sizes); what Pelican memoized of the old one is forgotten."""
    content._content = html
    forget_rendering(content)
    # What reblog.incremental knows the post by was made from the old HTML (the new one
    # may differ by an image's size alone: the post's page must be written again), and
    # so were the static files it links to.
    for name in KNOWN_BY:
        content.__dict__.pop(name, None)


def forget_rendering(content):
    """Make `content.content` and `content.summary` render again from `_content`, with the
    site's links as they are known now.

    `Content.get_content` and `get_summary` are `pelican.utils.memoized`: one cache per
    method, shared by every post and keyed by (post, siteurl); until the pages are written,
    siteurl is the context's `localsiteurl`.
    """
    key = (content, content.get_siteurl())
    for method in (type(content).get_content, type(content).get_summary):
        method.cache.pop(key, None)


def forget_every_rendering():
    """Empty Pelican's memoized renderings (`Content.get_content`, `get_summary`) once a
    build has run (reblog.build).

    Their caches are the process's, keyed by post, and Pelican never empties them: every
    post of every build in one process (make devserver, the tests) would stay in memory
    with its page's HTML. Once a build's pages are written nothing reads them again, and
    freed before the build is recorded (reblog.incremental), they leave the record's
    pickling room: peak memory at 4,000 posts fell by a sixth."""
    for method in (Content.get_content, Content.get_summary):
        method.cache.clear()


def give_readers(readers, mixin):
    """readers_init: put `mixin` in front of every reader class but the static files' one
    (images are copied as they are: no metadata), keeping each class's name, from which
    Pelican derives a post's `reader` metadata ("markdown"). Applied once per class."""
    for extension, reader_class in readers.reader_classes.items():
        if extension == "static" or not reader_class or issubclass(reader_class, mixin):
            continue
        readers.reader_classes[extension] = type(reader_class.__name__, (mixin, reader_class), {})


def claim_output(writer, filename, override):
    """Pelican's `Writer._open_w` bookkeeping without opening the file: the feeds are written
    atomically, and _open_w truncates its target before anything is written.

    Returns the filename to write, or None when Pelican would skip it; raises as Pelican
    does when two outputs claim one file (`Writer._written_files`, `_overridden_files`).
    """
    if filename in writer._overridden_files:
        if override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
            )
        return None
    if filename in writer._written_files and not override:
        raise FileOverwriteFailedError(
            f'Failed to overwrite "{filename}" as Pelican has already '
            "written to it previously (set `override=True` if intended)"
        )
    if override:
        writer._overridden_files.add(filename)
    writer._written_files.add(filename)
    return filename


def _absolute_folder(folder):
    # An absolute folder's is remembered; a relative one's follows the working folder.
    absolute = _absolute(folder) if os.path.isabs(folder) else _absolute.__wrapped__(folder)
    return "" if absolute == "/" else absolute


@functools.lru_cache(maxsize=16)
def _absolute(folder):
    return posixize_path(os.path.abspath(folder))


def output_path_of(folder, name):
    """`pelican.utils.sanitised_join(folder, name)`: the path Pelican's writer files `name`
    under in `folder` (reblog.incremental claims a kept page's path with it).

    Pelican normalises the whole path on every call, twice: at 4,000 posts, a thirtieth of
    an edit build. A relative name with no empty, "." or ".." part (every page's and
    feed's save_as) is as normalising leaves it: the path is the folder's and the name.
    Anything else is Pelican's own to normalise (and refuse when it leaves the folder)."""
    parts = name.split("/")
    if os.sep == "/" and "" not in parts and "." not in parts and ".." not in parts:
        return f"{_absolute_folder(folder)}/{name}"
    return sanitised_join(folder, name)


def forget_sitemap_state(sitemap_generator):
    """Clear what pelican-sitemap kept from an earlier build in this process (its page queue
    and its "main" Pelican), which it resets only when a build reaches `finalized`."""
    sitemap_generator.page_queue = []
    sitemap_generator._main_pelican = None


FROZEN_SAVE_AS = "_reblog_frozen_save_as"
_pelicans_save_as = Content.save_as


def _save_as_or_frozen(content):
    frozen = content.__dict__.get(FROZEN_SAVE_AS)
    return frozen if frozen is not None else _pelicans_save_as.fget(content)


def freeze_save_as(content):
    """Keep a post's or page's `save_as` as it is now (reblog.permalinks).

    Pelican formats it anew on every access; its own override (`override_save_as`) would
    also turn off its check against two posts writing one file. So Content's property is
    replaced, once, by one that answers a frozen value where there is one and is Pelican's
    own everywhere else. A post made again from the build cache comes with its frozen value,
    which is kept (reblog.incremental.keep_with_post).
    """
    if Content.save_as is _pelicans_save_as:
        Content.save_as = property(_save_as_or_frozen)
    if content.__dict__.get(FROZEN_SAVE_AS) is None:
        content.__dict__[FROZEN_SAVE_AS] = _pelicans_save_as.fget(content)


def forget_logged_warnings():
    """Let a build in this process tell every warning again (reblog.build).

    Pelican's loggers drop a warning already logged by the process (`LimitFilter`, whose
    memory is the class's own): a second build in one process (a test, `make devserver`)
    would not say what is still wrong, and an incremental build that tells the warnings of
    the posts it keeps would tell them to nobody."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def registered_priority(registry, name):
    """The priority `name` was registered with in a Markdown registry (reblog.reading puts
    Pelican's reader's `meta` preprocessor back where it was; Markdown 3.11 has no public
    way to ask)."""
    return next(item.priority for item in registry._priority if item.name == name)


_pelicans_relative_source_path = Content.get_relative_source_path
_relative_source_paths = {}  # (PATH, source path) -> Pelican's answer
# A post's own (PATH, source path, Pelican's answer), kept with the post.
RELATIVE_SOURCE_PATH = "_reblog_relative_source_path"


def _remembered_relative_source_path(content, source_path=None):
    path = content.settings["PATH"]
    own = not source_path
    source_path = source_path or content.source_path
    if own:
        known = content.__dict__.get(RELATIVE_SOURCE_PATH)
        if known is not None and known[0] == path and known[1] == source_path:
            return known[2]
    if source_path is None or not os.path.isabs(path):
        return _pelicans_relative_source_path(content, source_path)
    key = (path, source_path)
    found = _relative_source_paths.get(key)
    if found is None:
        found = _relative_source_paths[key] = _pelicans_relative_source_path(content, source_path)
    if own:
        content.__dict__[RELATIVE_SOURCE_PATH] = (path, source_path, found)
    return found


def remember_relative_source_paths():
    """Make Pelican's `Content.get_relative_source_path` remember its answers.

    It normalises two absolute paths and computes a relative one on every call, and a post's
    address, its place in the build and every check ask again: a tenth of an incremental
    build's own time at 1,000 posts. The answer depends only on the content folder (an
    absolute PATH) and the source path, so it is kept by those, and a post's own with the
    post: Pelican asks it while making the post, so the build cache keeps it with what it
    keeps of the post (reblog.incremental), and a post made again from the cache need not
    compute it again (a twentieth of an edit build at 4,000 posts)."""
    Content.get_relative_source_path = _remembered_relative_source_path


class _Posts(list):
    """A list of posts whose `in` answers by identity in constant time."""

    __slots__ = ("_ids",)

    def __contains__(self, post):
        try:
            ids = self._ids
        except AttributeError:
            ids = self._ids = {id(member) for member in self}
        return id(post) in ids


def index_listed_posts(generator):
    """article_generator_finalized: make Pelican's tag, category and author pages find their
    posts without a scan per post.

    `ArticlesGenerator.generate_tags` (and `_categories`, `_authors`) lists each page's
    posts by date as `[post for post in self.dates if post in posts]`: a scan of the list
    for every post of the site, for every tag, which grows with the square of the number
    of posts. Each tag's, category's and author's list of posts is made an equal list whose
    `in` looks the post up (Pelican's own `in` finds posts by identity too: a post has no
    `==` of its own)."""
    for tag, posts in list(generator.tags.items()):
        generator.tags[tag] = _Posts(posts)
    for name in ("categories", "authors"):
        groups = getattr(generator, name)
        groups[:] = [(group, _Posts(posts)) for group, posts in groups]


_pelicans_process_translations = pelican.generators.process_translations


def _translations_group_by_group(content_list, translation_id=None):
    if not translation_id:
        return _pelicans_process_translations(content_list, translation_id)
    key = attrgetter(*({translation_id} if isinstance(translation_id, str) else translation_id))
    try:
        content_list.sort(key=key)
    except (TypeError, AttributeError):
        # Pelican's own says what is wrong with the setting, or with a post.
        return _pelicans_process_translations(content_list, translation_id)
    originals, translations = [], []
    for _, grouped in groupby(content_list, key):
        group = list(grouped)
        if len(group) == 1 and _not_a_translation(group[0]):
            # Pelican's answer for a post alone under its slug, not marked a translation:
            # it is an original, with no translations, and nothing is logged.
            group[0].translations = []
            originals.append(group[0])
            continue
        group_originals, group_translations = _pelicans_process_translations(group, translation_id)
        originals += group_originals
        translations += group_translations
    return originals, translations


def _not_a_translation(post):
    marked = post.metadata.get("translation", "false")
    return isinstance(marked, str) and marked.lower() == "false"


def find_translations_group_by_group():
    """Make the generators' `process_translations` (Pelican's own) look at one group of
    posts (one slug) at a time.

    It ends with `[x for x in content_list if x not in index]`: a scan of every original
    for every post, which grows with the square of the number of posts (7% of an edit
    build at 4,000). Pelican sorts and groups the posts by their translation id and finds
    each group's originals and translations on its own; given one group, it does exactly
    that, and the groups' answers, in the same order, are its answer for the whole list:
    the same lists, the same `translations` on each post, the same warnings. (Most groups
    are one post, not marked a translation: its answer is given without asking.)"""
    pelican.generators.process_translations = _translations_group_by_group


_pelicans_include_path = pelican.generators.Generator._include_path


@functools.lru_cache(maxsize=16)
def _any_of(patterns):
    """One expression that matches a name when fnmatch.fnmatch matches it with any of
    `patterns`, on a system that does not fold case (POSIX); None when they cannot be
    joined into one."""
    try:
        return re.compile("|".join(f"(?:{fnmatch.translate(pattern)})" for pattern in patterns))
    except re.error:  # a Python whose patterns name their groups
        return None


def _include_path_at_once(generator, path, extensions=None):
    ignores = generator.settings["IGNORE_FILES"]
    ignored = _any_of(tuple(ignores)) if ignores and os.path.normcase("A") == "A" else None
    if ignored is None:
        return _pelicans_include_path(generator, path, extensions)
    if extensions is None:
        extensions = tuple(generator.readers.extensions)
    basename = os.path.basename(path)
    if ignored.match(basename):
        return False
    return extensions is False or os.path.splitext(basename)[1][1:] in extensions


def match_ignored_files_at_once():
    """Make Pelican match each file against IGNORE_FILES with one expression.

    `Generator._include_path` asks fnmatch once per pattern for every file of the content
    on every build (a hundredth of an edit build at 4,000 posts); fnmatch translates each
    pattern into an expression, and the expressions joined as alternatives match a name
    when any of them does: the same answer."""
    pelican.generators.Generator._include_path = _include_path_at_once


_pelicans_check_disabled_readers = pelican.generators.Generator._check_disabled_readers


def _check_disabled_readers_if_any(generator, paths, exclude):
    if generator.readers.disabled_extensions:
        _pelicans_check_disabled_readers(generator, paths, exclude)


def check_disabled_readers_only_if_any():
    """Make Pelican look for files of a disabled reader only when a reader is disabled.

    Each generator walks its folders a second time (`Generator._check_disabled_readers`)
    to warn of files only a reader whose library is missing could read, matching every
    file against IGNORE_FILES again: at 4,000 posts, 1.5% of an edit build. With no
    reader disabled, no file can match, and the walk warns of nothing."""
    pelican.generators.Generator._check_disabled_readers = _check_disabled_readers_if_any


def copy_static_files_through(generator, staged):
    """Make a StaticGenerator copy each static file it updates to `staged(target)`, where
    `target` is the file's place in the output folder (reblog.incremental: an in-place build
    puts nothing in the output folder before it has succeeded).

    `StaticGenerator._copy_staticfile` is Pelican's own copy (with `pelican.utils.copy`,
    which is shutil.copy2 for a file, times kept); links (STATIC_CREATE_LINKS) are left to
    Pelican, since they point at the sources themselves."""

    def copy_staticfile(static):
        source = os.path.join(generator.path, static.source_path)
        target = os.path.join(generator.output_path, static.save_as)
        shutil.copy2(source, staged(target))
        logger.info("Copying %s to %s", static.source_path, static.save_as)

    generator._copy_staticfile = copy_staticfile
