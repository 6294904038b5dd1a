"""Incremental builds: after one full build, re-read only the sources that changed and
re-write only the output files whose inputs changed; every other file stays as it is.

How a build decides, without rendering, that an output file would come out the same:

- Everything a build reads besides the content is one **fingerprint** (`site_fingerprint`):
  the settings, every file of the theme, the engine's code and plugins, and the versions of
  Pelican, Markdown, Jinja, feedgen and the rest. A change to any of them is a full build.
- A source file is re-read only when its bytes changed (SHA-256, not mtime): `KeptContent`
  keeps the post or page Pelican made of it, and the warnings logged while making it,
  which are logged again. A file whose size, times and inode are as the last build found
  them is not even hashed again (`Incremental.known_key`).
- Each output file is written under a **key**, a hash of everything its template is given
  that can change between builds with the same fingerprint (`output_key`): the post or page
  it shows, the posts a listing page shows and its place in the pagination, the menu. The
  key of every output is kept in the record (RECORD) in the cache; when a later build asks
  to write a file under the key it had, and the previous file is still as that build left
  it (size and mtime), the file is kept: not rendered, not written.

Nothing in the output folder changes until the build has succeeded. The files it writes
wait in a staging folder beside it (`Incremental.staged`); then each takes its place with
one rename, and the files of posts that are gone are removed (`apply`). A failed build
removes the staging folder and any folder Pelican made for a file that never came. (A new
folder costs a quarter of a millisecond here: a build that made a new output folder, as a
full build does, would spend most of an edit's time making the same folders again.)
`reblog-build --full` (make html FULL=1) keeps nothing, builds a new folder and swaps it in.

Python's collector is kept out of what makes no garbage: loading the record and making
posts again are done with it paused, and what they made is frozen out of its later passes
until the build ends (`CollectorPaused`, `spare_the_collector`).
"""

import copy
import copyreg
import gc
import hashlib
import importlib.metadata
import io
import json
import logging
import mmap
import os
import pickle
import secrets
import sys
import time
from bisect import bisect_left
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import ClassVar

from jinja2 import BytecodeCache
from pelican.contents import Content
from pelican.generators import CachingGenerator, StaticGenerator
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

from .atomicfile import same_bytes, write_atomically, writing_atomically
from .pelican_internals import KNOWN_BY, claim_output, copy_static_files_through, output_path_of

logger = logging.getLogger(__name__)

# Bumped whenever what the cache holds, or how a key is made, changes.
FORMAT = 19
STATE = "_reblog_incremental"  # the settings key reblog.build puts an Incremental under
# What else makes a build: a new version of any of these may render differently.
DISTRIBUTIONS = (
    "pelican",
    "markdown",
    "jinja2",
    "markupsafe",
    "feedgen",
    "beautifulsoup4",
    "Pillow",
    "python-dateutil",
    "pelican-sitemap",
)
ENGINE = Path(__file__).resolve().parent
# The record of the last build (Incremental.save), in the cache folder.
RECORD = "record.pickle"
# The posts' pickles, one after the other, in a file of their own (Incremental.save_posts),
# named anew (POSTS_FILE.format(a random token)) each time it is made: no build ever writes
# over a file another build's record may name.
POSTS_FILE = "posts-{}.pickles"
# What earlier versions recorded there instead: removed when the record is saved.
EARLIER_RECORDS = ("manifest.json", "contents.pickle")
# How close to the start of the build that hashed a source its file's time may be for the
# file still to be hashed again (Incremental.known_key).
RACY_NS = 2_000_000_000
# How the posts file is mapped: shared, read only, its pages read at once where the system
# can (every post is made again from them).
MAPPED = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
# Settings that name where this build goes, not what it makes.
NOT_OUTPUT_SETTINGS = {"OUTPUT_PATH", STATE}


class Incremental:
    """One build's view of the previous one: what it may keep, and what it records."""

    def __init__(self, cache_folder, output, *, full=False):
        self.folder = Path(cache_folder)
        self.output = Path(output)
        self.output_folder = str(self.output)  # os.path, for a stat of every kept file
        self.full = full
        # Set by reblog.build when the previous build may be updated in place: the files
        # this build writes wait here until it has succeeded (see `apply`).
        self.staging = None
        self.staged_files = {}  # output file (relative) -> where it waits in `staging`
        self.fingerprint = None
        self.previous = {
            "outputs": {},
            "contents": {},
            "memos": {},
            "signatures": {},
            "listings": {},
        }
        self.outputs = {}  # output file (relative) -> key, for the next build
        # (generator, source) -> (source's key, log records, where its pickle is in the
        # posts file, its length) for a post kept from the last build, or (source's key, log
        # records, the post's (class, state)) for a post read by this one
        self.contents = {}
        self.posts = memoryview(b"")  # the last build's posts file, mapped
        self.posts_identity = None  # that file's (device, inode)
        self.memos = {}  # (kind, post fingerprint) -> what was computed from the post
        # (generator, source) -> (its file's size, mtime, inode, ctime; its key), for the next
        # build, which need not read a source again while its file is as it was.
        self.signatures = {}
        # paginated listing -> (the key of the whole listing, {page: its key}), for the next
        # build (KeepsUnchangedOutput.keeps_every_page)
        self.listings = {}
        self.started = time.time_ns()
        self.statics = []  # where this build's static files go
        self.kept = self.written = 0
        # Compiled templates, shared by every generator's Jinja environment and kept for
        # the next build of the same fingerprint (see CompiledTemplates).
        self.compiled = CompiledTemplates()

    def attach(self, pelican):
        """initialized: put this on the build's settings."""
        pelican.settings[STATE] = self
        if self.staging is not None:
            # Updating in place: a static file the output already has, as new as its source,
            # is not copied again.
            pelican.settings["STATIC_CHECK_IF_MODIFIED"] = True

    @property
    def can_update_in_place(self):
        """Whether the previous build's output is there, recorded, and of the same site."""
        return bool(self.previous["outputs"]) and self.output.is_dir()

    def summary(self):
        """One line for the log: how much was kept."""
        how = "full build" if self.full or not self.previous["outputs"] else "incremental build"
        return f"{how}: {self.written} file(s) written, {self.kept} kept from the last build"

    def start(self, settings):
        """Load the previous build's record, unless the fingerprint or format differ."""
        self.fingerprint = site_fingerprint(settings)
        if self.full:
            return
        try:
            with CollectorPaused():  # loading makes no garbage
                previous = self.recorded()
                spare_the_collector()
        except (OSError, ValueError, KeyError, EOFError, pickle.UnpicklingError):
            logger.debug("no usable incremental cache in %s: a full build", self.folder)
            return
        if previous is not None:
            self.previous = previous
            self.compiled.load(self.folder / "templates.pickle")

    def record_of(self):
        """What a record is of: the record's format, the site (its fingerprint), the output."""
        return {"format": FORMAT, "fingerprint": self.fingerprint, "output": str(self.output)}

    def recorded(self):
        """The previous build's record, or None when it was of another site or format."""
        with open(self.folder / RECORD, "rb") as stored:
            if pickle.load(stored) != self.record_of():
                return None
            record = pickle.load(stored)
            posts = pickle.load(stored)
        # The posts' pickles are not read: each is a view into their file, mapped. The
        # file is only ever added to, or made anew under another name (Incremental.save).
        name = record["posts file"]
        with open(self.folder / name, "rb") as pickles:
            status = os.fstat(pickles.fileno())
            size = status.st_size
            self.posts_identity = (status.st_dev, status.st_ino)
            if size:
                self.posts = memoryview(
                    mmap.mmap(pickles.fileno(), 0, flags=MAPPED, prot=mmap.PROT_READ)
                )
        contents = {}
        for source, key, records, where, length in posts:
            if where + length > size:
                raise ValueError(f"{name} is shorter than its record says")
            contents[source] = (key, records, where, length)
        record["contents"] = contents
        return record

    # Reading -----------------------------------------------------------------------------

    def known_key(self, kind, source, signature):
        """The key the last build computed for this source, if its file is as it was then
        (same size, times and inode), else None: then it is read and hashed again.

        A file whose time is within two seconds of the start of the build that hashed it is
        always hashed again: a file system's clock ticks coarsely, and the file may have
        been written again in the same tick, keeping its times and size (git's "racily
        clean" entries)."""
        recorded = self.previous["signatures"].get((kind, source))
        if recorded is None or recorded[0] != signature:
            return None
        if signature[1] >= self.previous.get("started", 0) - RACY_NS:
            return None
        self.signatures[(kind, source)] = recorded
        return recorded[1]

    def know_key(self, kind, source, signature, key):
        self.signatures[(kind, source)] = (signature, key)

    def kept_content(self, kind, source, key):
        """The previous build's (pickled post, log records) for this source when it was
        made from the same bytes (`key`), else None; kept for the next build too."""
        found = self.previous["contents"].get((kind, source))
        if found is None or found[0] != key:
            return None
        self.contents[(kind, source)] = found
        _, records, where, length = found
        return self.posts[where : where + length], records

    def forget_content(self, kind, source):
        """What `kept_content` gave could not be used: the source is read again."""
        self.contents.pop((kind, source), None)

    def keep_content(self, kind, source, key, kept, records):
        """`kept`: the post's (class, state), pickled by `save`."""
        self.contents[(kind, source)] = (key, records, kept)

    def unchanged(self, kind, content):
        """Whether the last build computed `kind` for this very post (same fingerprint); if
        so, what it computed is kept for the next build too."""
        key = (kind, content_fingerprint(content))
        if key not in self.previous["memos"]:
            return False
        self.memos[key] = self.previous["memos"][key]
        return True

    def no_file_gone(self):
        """Whether every page, feed and static file of the last build is in this one too."""
        previous = self.previous.get("files")
        return previous is not None and set(previous) <= self.site_files()

    def site_files(self):
        """This build's pages, feeds and static files (its output less the theme's)."""
        return set(self.outputs) | set(self.statics)

    def remember_static_files(self, generators):
        """all_generators_finalized: where the static files go (links may point at them)."""
        statics = generators[0].context.get("static_content", {}).values()
        self.statics = [static.save_as for static in statics]

    def memo(self, kind, fingerprint, compute):
        """What `compute()` gave last build for this kind and fingerprint, or compute it."""
        key = (kind, fingerprint)
        if key in self.memos:
            return self.memos[key]
        value = self.previous["memos"].get(key)
        if value is None:
            value = compute()
        self.memos[key] = value
        return value

    # Writing -----------------------------------------------------------------------------

    def page_keys(self, listing, key):
        """The keys of a paginated listing's pages ({page: key}) when the last build made
        it whole under the same `key`, else None; recorded again for the next build."""
        recorded = self.previous["listings"].get(listing)
        if recorded is None or recorded[0] != key:
            return None
        self.listings[listing] = recorded
        return recorded[1]

    def remember_page_keys(self, listing, key, pages):
        self.listings[listing] = (key, pages)

    def keep(self, name, key):
        """Whether the previous build's file `name` may stay: it was written under `key`
        and is untouched since. Either way `name` is recorded under `key`."""
        if self.can_keep(name, key):
            self.keep_as_recorded(name)
            return True
        self.outputs[name] = [key]
        self.written += 1
        return False

    def keep_as_recorded(self, name):
        """Record `name` as kept, `can_keep` having said it may be."""
        self.kept += 1
        self.outputs[name] = self.previous["outputs"][name]  # the same file, as recorded

    def can_keep(self, name, key):
        """`keep`'s answer, without recording anything."""
        recorded = self.previous["outputs"].get(name)
        if not recorded or recorded[0] != key:
            return False
        try:
            status = os.stat(f"{self.output_folder}/{name}")  # name: relative, as recorded
        except OSError:
            return False
        # A file changed by hand since is written again.
        return [status.st_size, status.st_mtime_ns] == recorded[1:]

    def staged(self, path):
        """Where a file this build writes to `path` (in the output folder) goes first: the
        staging folder when updating in place, else `path` itself.

        The staging folder is flat (one numbered file each): a folder is the dearest thing a
        build makes here, and every one made in it would be removed again."""
        if self.staging is None:
            return path
        relative = os.path.relpath(path, self.output)
        staged = self.staged_files.get(relative)
        if staged is None:
            staged = self.staged_files[relative] = str(self.staging / str(len(self.staged_files)))
        return staged

    def gone(self):
        """The pages, feeds and static files of the last build that this one does not make."""
        return set(self.previous.get("files", ())) - self.site_files()

    def apply(self):
        """The build succeeded: put each staged file in place (one rename each), remove the
        files of posts that are gone, and the folders they leave empty."""
        for relative, staged in self.staged_files.items():
            target = self.output / relative
            if same_bytes(staged, target):
                # Written again with the same bytes (its key changed, not what it shows): the
                # file stays, with its time, so a deploy by time (aws s3 sync) skips it.
                os.unlink(staged)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        for relative in sorted(self.gone()):
            target = self.output / relative
            target.unlink(missing_ok=True)
            remove_empty_folders(target.parent, self.output)

    def undo_folders(self):
        """The build failed: remove the empty folders Pelican made in the output folder for
        files that never came (a full build leaves no folder empty)."""
        for parent, folders, files in os.walk(self.output, topdown=False):
            if not folders and not files and Path(parent) != self.output:
                remove_empty_folders(Path(parent), self.output)

    def save(self, output):
        """Record this build for the next one; `output` is the folder it was built into."""
        outputs = {}
        for name, (key, *known) in self.outputs.items():
            if known:  # kept: as recorded
                outputs[name] = [key, *known]
                continue
            try:
                status = (Path(output) / name).stat()
            except OSError:
                continue
            outputs[name] = [key, status.st_size, status.st_mtime_ns]
        record = {
            "outputs": outputs,
            "memos": self.memos,
            "signatures": self.signatures,
            "listings": self.listings,
            "started": self.started,
            "files": sorted(self.site_files()),
        }
        record["posts file"], posts = self.save_posts()
        # RECORD: what it is the record of; everything but the posts; then the list of
        # posts, each with where its pickle is in the posts file.
        with writing_atomically(self.folder / RECORD, buffering=1 << 20) as stored:
            for part in (self.record_of(), record, posts):
                pickle.dump(part, stored, pickle.HIGHEST_PROTOCOL)
        for other in self.folder.glob(POSTS_FILE.format("*")):
            if other.name != record["posts file"]:
                other.unlink(missing_ok=True)
        self.compiled.save(self.folder / "templates.pickle")
        for earlier in EARLIER_RECORDS:
            (self.folder / earlier).unlink(missing_ok=True)

    def save_posts(self):
        """Put the pickle of every post of this build in a posts file; return its name and
        the list of posts, each with where its pickle is there and its length.

        The posts this build read are added to the end of the last build's file, and the
        posts it kept stay where they were: an edit does not write every post's pickle
        again (34 MB at 4,000 posts). A posts file is only ever added to: its name is new
        each time one is made, so the bytes a record points at never change. One is made
        anew, with the pickles of this build's posts alone, when less than half of the last
        one is of posts still there (the rest, posts since changed or gone), and when the
        last one is not the file this build mapped (another build, or a hand, has removed
        it). A post is pickled when it is saved: only one at a time is held in memory."""
        previous = self.previous.get("posts file")
        kept = sum(entry[3] for entry in self.contents.values() if len(entry) == 4)
        adding = None
        if previous is not None and len(self.posts) <= 2 * kept:
            adding = self.open_to_add(previous)
        if adding is None:
            name = POSTS_FILE.format(secrets.token_hex(8))
            pickles = writing_atomically(self.folder / name, buffering=1 << 20)
        else:
            name, pickles = previous, adding
        posts = []
        with pickles as written:
            for source, (key, records, *where) in self.contents.items():
                if len(where) == 2 and adding is not None:
                    posts.append((source, key, records, *where))
                    continue
                if len(where) == 2:
                    pickled = self.posts[where[0] : where[0] + where[1]]
                else:
                    pickled = pickled_post(where[0])
                posts.append((source, key, records, written.tell(), len(pickled)))
                written.write(pickled)
        return name, posts

    def open_to_add(self, name):
        """The posts file `name` opened to add to its end, if it is still the very file
        this build mapped; else None."""
        try:
            descriptor = os.open(self.folder / name, os.O_WRONLY | os.O_APPEND)
        except OSError:
            return None
        status = os.fstat(descriptor)
        if (status.st_dev, status.st_ino) != self.posts_identity:
            os.close(descriptor)
            return None
        return open(descriptor, "ab", buffering=1 << 20)


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, in memory for the build and on disk for the next one.

    Pelican gives each generator a Jinja environment of its own, and each compiled base.html
    and the rest again; compiling is a tenth of an edit build. Jinja checks each entry
    against its template's source and its own version; what else changes compiled code
    (JINJA_ENVIRONMENT's options) is in the site fingerprint, and the file is loaded only
    for a build of the same fingerprint (Incremental.start).
    """

    def __init__(self):
        self.code = {}
        self.changed = False

    def load_bytecode(self, bucket):
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()
        self.changed = True

    def load(self, path):
        try:
            with open(path, "rb") as stored:
                self.code = pickle.load(stored)
        except (OSError, EOFError, pickle.UnpicklingError):
            self.code = {}

    def save(self, path):
        if self.changed:
            write_atomically(path, pickle.dumps(self.code, pickle.HIGHEST_PROTOCOL))


def remove_empty_folders(folder, top):
    """Remove `folder` and its parents up to `top` while they are empty."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def state(settings):
    """The Incremental of this build, or None (plain `pelican`, tests, make publish)."""
    return settings.get(STATE) if settings else None


# The fingerprint ---------------------------------------------------------------------------


def site_fingerprint(settings):
    """A hash of everything but the content that a build's output depends on."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    shown = {
        name: value
        for name, value in settings.items()
        if name not in NOT_OUTPUT_SETTINGS and not name.startswith("_")
    }
    digest.update(json.dumps(shown, sort_keys=True, default=stable_repr).encode("utf-8"))
    for name in DISTRIBUTIONS:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = None
        digest.update(f"{name} {version}\n".encode())
    digest.update(sys.version.encode())
    # Pelican has made THEME and PLUGIN_PATHS absolute.
    folders = [ENGINE, settings["THEME"], *(settings.get("PLUGIN_PATHS") or [])]
    for folder in folders:
        for path in files_under(folder):
            digest.update(f"{path}\n".encode())
            with open(path, "rb") as code:
                digest.update(hashlib.sha256(code.read()).digest())
    return digest.hexdigest()


def files_under(folder):
    """Every file under `folder` (symbolic links to files too, not those to folders), but
    Python's byte-code caches, sorted; none if it is no folder. (A walk that does not
    enter __pycache__: looking at each cached file there was a twentieth of an edit.)"""
    found = []
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name != "__pycache__"]
        found += [os.path.join(parent, name) for name in files]
    return sorted(path for path in found if os.path.isfile(path))


def stable_repr(value):
    """A setting's value as text that is the same in every build (no memory addresses)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
    if isinstance(value, set | frozenset):
        return sorted(map(repr, value))
    return repr(value)


# Reading ----------------------------------------------------------------------------------


class KeptContent:
    """A generator's content cache, as Pelican's own generator-level cache is asked for it
    (`get_cached_data` before reading a source, `cache_data` with the post it made), but
    keyed by the source's bytes and kept without the build's settings and context.

    A source whose bytes are those of the last build is not read at all: the post is made
    again from the state Pelican's reader and the plugins' `content_object_init` gave it
    then (every attribute but the settings and the shared context, which are this build's),
    and the warnings logged while making it are logged again, so `FATAL=warnings` fails
    every build of a post that warns, not just the first. Making a post from its state
    costs a twentieth of reading it, even from a cache of the reader's output: Pelican's
    reading (path metadata, dates, slugs, the save_as check) is most of an edit build.

    What else can change a post made from the same bytes is in the site fingerprint (the
    settings, the engine, the plugins), except a file's modification time, which Pelican
    reads for DEFAULT_DATE = "fs": then it is part of the key.
    """

    def __init__(self, generator, incremental):
        self.generator = generator
        self.incremental = incremental
        self.kind = type(generator).__name__
        self.by_mtime = generator.settings.get("DEFAULT_DATE") == "fs"
        self.reading = None  # (source, key, records) of the source being read
        self.classes = KeptClasses(generator.settings)
        # Python's collector is paused while posts are made again from the cache (and
        # runs again when a source is read, or reading ends): `pause_the_collector`.
        self.paused = None

    def connect(self):
        """Take the place of Pelican's content cache on this generator."""
        self.generator.get_cached_data = self.get_cached_data
        self.generator.cache_data = self.cache_data
        self.generator.save_cache = self.save_cache

    def get_cached_data(self, filename, default=None):
        """The post made from `filename` as in the last build, or `default`: then Pelican
        reads it, and hands the post to `cache_data` if it is valid."""
        self.stop_recording()
        path = os.path.join(self.generator.path, filename)
        # Pelican's get_files gives paths relative to the generator's folder.
        source = (
            filename if not os.path.isabs(filename) else os.path.relpath(path, self.generator.path)
        )
        status = os.stat(path)
        signature = (status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns)
        key = self.incremental.known_key(self.kind, source, signature)
        if key is None:
            key = self.key_of(path, status)
            self.incremental.know_key(self.kind, source, signature, key)
        kept = self.incremental.kept_content(self.kind, source, key)
        if kept is not None:
            self.pause_the_collector()
            pickled, records = kept
            try:
                content = self.made_again(pickled)
            except Exception as error:  # a damaged cache, whatever the damage: read it
                logger.info("%s: read again, the build cache could not make it: %s", source, error)
                self.incremental.forget_content(self.kind, source)
            else:
                for level, message in records:
                    logger.log(level, "%s", message)
                return content
        self.resume_the_collector()
        self.reading = (source, key, start_recording())
        return default

    def cache_data(self, filename, content):
        """Pelican read `filename` and found `content` valid: keep its state as it is now."""
        if self.reading is None:
            return
        source, key, recorder = self.reading
        # The state as it is now: plugins change posts later in the build, by setting
        # attributes (kept out of this copy) or by changing a list or the metadata in
        # place (each is copied). It is pickled when the build is saved, so the post's
        # text is not held twice in memory meanwhile.
        state = {
            name: copy.copy(value) if isinstance(value, list | dict) else value
            for name, value in vars(content).items()
            if name not in ("settings", "_context")
        }
        for value in vars(content).values():
            for wrapper in value if isinstance(value, list) else [value]:
                if isinstance(wrapper, URLWrapper):
                    wrapper.slug  # noqa: B018 -- computed while recording: it may warn
        self.stop_recording()
        self.incremental.keep_content(
            self.kind, source, key, (type(content), state), recorder.records
        )
        content.__dict__[KEPT_STATE] = state  # for keep_with_post, this build only

    def save_cache(self):
        """Pelican's end of reading: nothing to save here (Incremental.save does). The posts
        are made: the collector need not look through them again."""
        self.stop_recording()
        spare_the_collector()
        self.resume_the_collector()

    def pause_the_collector(self):
        """Keep Python's collector from running while posts are made again from the cache.

        Everything made then lives on with the posts (their state, and what Pelican adds
        to them and to the site's lists while taking each in): there is no garbage for the
        collector to find, and its passes over the growing heap, one of them a full one,
        cost a ninth of an edit build at 4,000 posts. A source that is read (Markdown makes
        garbage) has it running again. reblog.build runs it again if the build fails
        before reading ends (`collector_given_back`)."""
        if self.paused is None:
            self.paused = CollectorPaused()
            self.paused.__enter__()

    def resume_the_collector(self):
        if self.paused is not None:
            # What was made meanwhile lives on: the collector, running again, need not
            # make a first full pass over it.
            spare_the_collector()
            self.paused.__exit__()
            self.paused = None

    def stop_recording(self):
        if self.reading is not None:
            logging.getLogger().removeHandler(self.reading[2])
            self.reading = None

    def key_of(self, path, status):
        with open(path, "rb") as source:
            key = hashlib.sha256(source.read()).hexdigest()
        if self.by_mtime:
            key += f" {status.st_mtime_ns}"
        return key

    def made_again(self, pickled):
        """A post or page from its kept state, with this build's settings and context."""
        # Python's collector is paused meanwhile (pause_the_collector).
        content_class, state = KeptUnpickler(pickled, self.classes).load()
        content = content_class.__new__(content_class)
        content.__dict__.update(state)
        content.settings = self.generator.settings
        content._context = self.generator.context
        return content


# A post's kept state, while the build that read it runs (KeptContent.cache_data).
KEPT_STATE = "_reblog_kept_state"


def keep_with_post(content, *names):
    """Keep attributes a plugin gave a post after it was read with what the cache keeps of
    it: for what depends on the post alone (its own text and metadata, and the settings,
    which are in the site fingerprint), not on the rest of the site. A build that makes
    the post again from the cache finds them already there and need not compute them."""
    state = content.__dict__.get(KEPT_STATE)
    if state is not None:
        for name in names:
            state[name] = content.__dict__[name]


_pelicans_static_links = Content.get_static_links


def _remembered_static_links(content):
    found = content.__dict__.get(STATIC_LINKS)
    if found is None:
        found = content.__dict__[STATIC_LINKS] = frozenset(_pelicans_static_links(content))
        keep_with_post(content, STATIC_LINKS)
    return set(found)


def remember_static_links():
    """Make Pelican's `Content.get_static_links` remember its answer with the post.

    Every build asks each post which static files its HTML links to (a regular expression
    over the whole post: a tenth of an edit build at 4,000 posts). The answer depends on
    the post's HTML alone, so it is kept with the post; a plugin that changes the HTML
    (reblog.pelican_internals.replace_source_html) makes it forgotten."""
    Content.get_static_links = _remembered_static_links


def pickled_post(kept):
    """A post's (class, state) as the cache keeps it."""
    pickled = io.BytesIO()
    KeptPickler(pickled, pickle.HIGHEST_PROTOCOL).dump(kept)
    return pickled.getvalue()


def _wrapper_state(wrapper):
    """How a category, tag or author is pickled in the cache: its state without the settings
    Pelican's URLWrapper holds (pickled with every post, they made the cache 12 MB for 7 MB
    of posts), but with its slug, which Pelican computes on first use (slugify is a third of
    the time it takes to make a post again)."""
    wrapper.slug  # noqa: B018 -- computed, to be kept
    return _made_wrapper, (
        type(wrapper),
        {k: v for k, v in vars(wrapper).items() if k != "settings"},
    )


def _made_wrapper(kind, state, settings=None):
    """A category, tag or author again, with this build's settings (KeptUnpickler)."""
    wrapper = kind.__new__(kind)
    wrapper.__dict__.update(state)
    wrapper.settings = settings
    return wrapper


class KeptPickler(pickle.Pickler):
    """Pickles a kept post, its categories, tags and authors without the settings."""

    dispatch_table: ClassVar = {
        **copyreg.dispatch_table,
        **dict.fromkeys((URLWrapper, *URLWrapper.__subclasses__()), _wrapper_state),
    }


class KeptUnpickler(pickle.Unpickler):
    """Unpickles a kept post, giving its categories, tags and authors this build's settings
    (the same as the last build's: they are in the site fingerprint). `classes` is shared
    by the posts of one build: each names the same few classes."""

    def __init__(self, data, classes):
        super().__init__(io.BytesIO(data))
        self.classes = classes

    def find_class(self, module, name):
        return self.classes[module, name]


_FINDER = pickle.Unpickler(io.BytesIO(b""))  # pickle's own way to find a class by name


class KeptClasses(dict):
    """The classes kept posts name, found once a build; `_made_wrapper` bound to the
    build's settings."""

    def __init__(self, settings):
        super().__init__()
        self.settings = settings

    def __missing__(self, module_and_name):
        found = _FINDER.find_class(*module_and_name)
        if found is _made_wrapper:
            found = partial(_made_wrapper, settings=self.settings)
        self[module_and_name] = found
        return found


class Recorder(logging.Handler):
    """Keeps the WARNING-and-above messages logged while it is on the root logger."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append((record.levelno, record.getMessage()))


def start_recording():
    recorder = Recorder()
    logging.getLogger().addHandler(recorder)
    return recorder


# Keys ---------------------------------------------------------------------------------------

# Attributes of a post left out of its fingerprint: the build's shared state, and what is
# made from others in it (_summary and the rendered content come from _content, the
# metadata and the link targets).
UNSHOWN = {"_context", "settings", "_content", "_summary", "translations", STATE}
# Pelican's intra-site links ({filename}, {static}, ...): where a post has one, its page
# changes when the address of what it links to does.
INTRASITE_LINK = "{"


FINGERPRINT, LISTING, STATIC_LINKS = KNOWN_BY


def content_fingerprint(content):
    """A hash of everything a template can show of a post or page, computed once a build.

    Made from the post's HTML as the reader and the plugins left it, its metadata and every
    attribute plugins gave it, and, when it links within the site, every address there: not
    from its rendered content, which would cost a rendering per post on every build.
    """
    cached = content.__dict__.get(FINGERPRINT)
    if cached:
        return cached
    digest = hashlib.sha256(html_digest(content))
    digest.update(repr(_shown_parts(content)).encode("utf-8"))
    if INTRASITE_LINK in (content._content or ""):
        digest.update(site_addresses(content._context).encode("ascii"))
    fingerprint = digest.hexdigest()
    content.__dict__[FINGERPRINT] = fingerprint
    return fingerprint


# A post's HTML (its `_content`) and that HTML's SHA-256: see html_digest.
HTML_DIGEST = "_reblog_html_digest"


def html_digest(content):
    """The SHA-256 digest of a post's HTML (`_content`), hashed once.

    The digest is kept with the post beside the very string it is of: a post made again
    from the cache, whose HTML is that same string, is not hashed again (a tenth of an
    edit build at 4,000 posts was hashing the same HTML twice). A plugin that changes the
    HTML gives the post another string (a str cannot change), which is hashed anew."""
    html = content._content or ""
    known = content.__dict__.get(HTML_DIGEST)
    if known is not None and known[0] is html:
        return known[1]
    digest = hashlib.sha256(html.encode("utf-8")).digest()
    know_html_digest(content, html, digest)
    return digest


def know_html_digest(content, html, digest):
    """Record `digest` as the SHA-256 of `html`, the post's HTML; kept with the post when it
    is the HTML the cache keeps (the pickle holds the string once, for both)."""
    content.__dict__[HTML_DIGEST] = (html, digest)
    state = content.__dict__.get(KEPT_STATE)
    if state is not None and state.get("_content") is html:
        keep_with_post(content, HTML_DIGEST)


def listing_fingerprint(post):
    """A hash of what a listing can show of a post: all `content_fingerprint` covers but its
    body, which listings show only as its summary. A sentence added to the end of a post
    rewrites its page and the feeds, not every listing it is in.

    Computed when the post changed (the summary is a rendering of the post); else the last
    build's (reblog.incremental.memo)."""
    cached = post.__dict__.get(LISTING)
    if cached:
        return cached

    def compute():
        parts = _shown_parts(post)
        digest = hashlib.sha256(repr(parts).encode("utf-8"))
        digest.update(post.summary.encode("utf-8"))
        return digest.hexdigest()

    fingerprint = memo(post.settings, "listing", post, compute)
    post.__dict__[LISTING] = fingerprint
    return fingerprint


def listing_fingerprints(posts):
    """Each post's listing_fingerprint. Listings ask for every post's, tens of thousands of
    times a build at 4,000 posts; once computed, it is looked up without a call."""
    return [post.__dict__.get(LISTING) or listing_fingerprint(post) for post in posts]


# What the engine keeps on a post for itself is named with this prefix; every such name
# sorts from the prefix up to OURS_END (the prefix with its last letter the next one).
OURS = "_reblog"
OURS_END = "_rebloh"


def _shown_parts(content):
    """Everything a template can show of a post or page but its HTML, in a stable order:
    its attributes by name, less UNSHOWN and the engine's own (named OURS...)."""
    parts = dict(vars(content))
    for name in UNSHOWN:
        parts.pop(name, None)
    parts["translations"] = [(t.lang, t.url) for t in getattr(content, "translations", [])]
    # By name alone: names are unique, so no two pairs compare their values. The engine's
    # own names are next to one another: cut out, not looked for one by one.
    items = sorted(parts.items())
    first = bisect_left(items, (OURS,))
    return items[:first] + items[bisect_left(items, (OURS_END,), first) :]


def site_addresses(context):
    """A hash of every post's, page's and static file's address: what {filename} and
    {static} links resolve to. Computed once a build (kept in the shared context)."""
    cached = context.get("_reblog_addresses")
    if cached is None:
        addresses = [
            (source, content.url if content else None)
            for source, content in sorted(context.get("generated_content", {}).items())
        ]
        statics = sorted(context.get("static_content", {}).items())
        addresses += [(source, static.url) for source, static in statics]
        cached = hash_of(addresses)
        context["_reblog_addresses"] = cached
    return cached


def memo(settings, kind, content, compute):
    """`compute()`, or what it gave for the same post (same fingerprint) in the last build;
    without an incremental build, `compute()`."""
    return remembered(settings, kind, partial(content_fingerprint, content), compute)


def remembered(settings, kind, key, compute):
    """`compute()`, or what it gave in the last build for the same `key()` (a hash of
    everything it depends on, made only for an incremental build); without one, `compute()`."""
    incremental = state(settings)
    if incremental is None:
        return compute()
    return incremental.memo(kind, key(), compute)


def output_key(template_name, name, context):
    """The key an output file is written under: what its template is given that may change."""
    parts = [template_name, name, menu(context)]
    shown = None
    for single in ("article", "page"):
        if context.get(single) is not None and hasattr(context[single], "source_path"):
            parts.append((single, content_fingerprint(context[single])))
            shown = single
    page = context.get("articles_page")
    if page is not None:
        parts.append(
            (
                "listing",
                page.number,
                page.paginator.num_pages,
                listing_fingerprints(page.object_list),
                [repr(context.get(kind)) for kind in ("category", "tag", "author")],
            )
        )
        shown = "listing"
    if shown is None:
        # A page of the whole site (archives, categories, tags, authors, 404): it may list
        # any post, so every post counts, as listings show it.
        parts.append(site_listing(context))
    return hash_of(parts)


def output_key_of(*parts):
    """A key from any parts with a stable repr (feeds)."""
    return hash_of(parts)


def hash_of(value):
    """The SHA-256 (hex) of `value`'s repr: of a key's parts, which have a stable repr."""
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def menu(context):
    """What every page shows besides its own: the pages in the menu, the stylesheet's hash."""
    return (
        [(page.title, page.url) for page in context.get("pages", [])],
        context.get("ASSET_VERSION"),
    )


def site_listing(context):
    """Every post, category, tag and author as listings show them."""
    return (
        listing_fingerprints(context.get("articles", [])),
        [
            (repr(group), len(posts))
            for kind in ("categories", "tags", "authors")
            for group, posts in context.get(kind, [])
        ],
    )


def is_single_page(args, kwargs):
    """Whether Pelican's write_file call writes one post or page (no pagination)."""
    return (
        not args
        and ("article" in kwargs or "page" in kwargs)
        and not {"articles", "dates"} & kwargs.keys()
        and kwargs.get("paginated") is None
    )


class KeptOutput(str):
    """What a template 'renders' when the previous build's file is kept."""


KEPT = KeptOutput("")


class DecidingTemplate:
    """A Jinja template that renders only when its output's key changed."""

    def __init__(self, template, writer, incremental):
        self.template = template
        self.writer = writer
        self.incremental = incremental

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, context):
        name = context["output_file"]
        if not self.incremental.keep(name, output_key(self.template.name, name, context)):
            return self.template.render(context)
        self.writer.kept_files.add(os.path.join(self.writer.output_path, name))
        return KEPT


class KeepsUnchangedOutput:
    """Writer mixin: a page whose key is unchanged is neither rendered nor written (the
    previous build's file stays where it is); a page that is written goes to the staging
    folder, to take its place once the build has succeeded."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.kept_files = set()  # rendered as KEPT: opened for Pelican, never written

    def write_file(self, name, template, context, *args, **kwargs):
        incremental = state(self.settings)
        if incremental is None:
            return super().write_file(name, template, context, *args, **kwargs)
        if is_single_page(args, kwargs):
            # One post or page: decided here, before Pelican copies the whole context for it.
            shown = {
                "pages": context.get("pages", []),
                "ASSET_VERSION": context.get("ASSET_VERSION"),
            }
            key = output_key(template.name, name, {**shown, **kwargs})
            if incremental.keep(name, key):
                claim_output(
                    self, output_path_of(self.output_path, name), kwargs.get("override_output")
                )
                return None
            return super().write_file(name, template, context, *args, **kwargs)
        if not args and self.keeps_every_page(name, template, context, kwargs, incremental):
            return None
        template = DecidingTemplate(template, self, incremental)
        return super().write_file(name, template, context, *args, **kwargs)

    def keeps_every_page(self, name, template, context, kwargs, incremental):
        """Whether a paginated listing (the index, a category, tag or author) is kept whole:
        every page's key is unchanged. Then no page is rendered, and Pelican does not make
        each page's context (a copy of the whole site's), which costs more than deciding.

        The pages and keys are Pelican's and DecidingTemplate's own: Pelican's Paginator
        cuts the list, and `output_key` is given what it reads of a page's context; they
        are kept with the key of the whole listing."""
        paginated = kwargs.get("paginated")
        if paginated is None:
            paginated = {key: kwargs[key] for key in ("articles", "dates") if key in kwargs}
        template_name = kwargs.get("template_name")
        if "articles" not in paginated or template_name not in self.settings.get(
            "PAGINATED_TEMPLATES", {}
        ):
            return False
        per_page = (
            self.settings["PAGINATED_TEMPLATES"][template_name]
            or self.settings["DEFAULT_PAGINATION"]
        )
        articles = paginated["articles"]
        shown = {
            kind: kwargs.get(kind, context.get(kind))
            for kind in ("pages", "ASSET_VERSION", "category", "tag", "author")
        }
        # The whole listing's key: what makes every page's (output_key), less the cutting
        # into pages, which follows from the settings (in the site fingerprint). When it is
        # unchanged, so is every page's key: the pages are not cut again.
        whole = output_key_of(
            template.name,
            name,
            kwargs.get("url"),
            per_page,
            menu(shown),
            [repr(shown[kind]) for kind in ("category", "tag", "author")],
            listing_fingerprints(articles),
        )
        keys = incremental.page_keys(name, whole)
        if keys is None:
            keys = {}
            paginator = Paginator(name, kwargs.get("url"), articles, self.settings, per_page)
            for number in range(1, paginator.num_pages + 1):
                page = paginator.page(number)
                shown["articles_page"] = page
                keys[page.save_as] = output_key(template.name, page.save_as, shown)
            incremental.remember_page_keys(name, whole, keys)
        if not all(incremental.can_keep(page, key) for page, key in keys.items()):
            return False
        for page in keys:
            incremental.keep_as_recorded(page)
            claim_output(
                self, output_path_of(self.output_path, page), kwargs.get("override_output")
            )
        return True

    @contextmanager
    def _open_w(self, filename, encoding, override=False):
        incremental = state(self.settings)
        if filename in self.kept_files:
            self.kept_files.discard(filename)
            claim_output(self, filename, override)  # Pelican's bookkeeping; the file stays
            yield _Discard()
        elif incremental is not None and incremental.staging is not None:
            if claim_output(self, filename, override) is None:
                yield _Discard()
                return
            with open(incremental.staged(filename), "w", encoding=encoding) as handle:
                yield handle
        else:
            with super()._open_w(filename, encoding, override) as handle:
                yield handle

    def keep_or_write(self, path, key, write):
        """For output written outside templates (feeds): keep the previous file when `key`
        is unchanged, else call `write(path to write to)`."""
        incremental = state(self.settings)
        if incremental is None:
            write(path)
            return
        if not incremental.keep(os.path.relpath(path, self.output_path), key):
            write(incremental.staged(path))


class _Discard:
    """The file object of a kept output: the template's output (KEPT) goes nowhere."""

    def write(self, text):
        return 0


def keep_unchanged_content(generator):
    """generator_init: a post or page whose source did not change is not read again."""
    incremental = state(generator.settings)
    if incremental is not None and isinstance(generator, CachingGenerator):
        KeptContent(generator, incremental).connect()


def stage_static_files(generator):
    """generator_init: when updating the output folder in place, a changed image (any static
    file) waits in the staging folder with the pages, until the build has succeeded."""
    incremental = state(generator.settings)
    if (
        incremental is not None
        and incremental.staging is not None
        and isinstance(generator, StaticGenerator)
    ):
        copy_static_files_through(generator, incremental.staged)


def share_compiled_templates(generator):
    """generator_init: the generator's Jinja environment uses this build's compiled templates,
    and does not check template files for changes during the build."""
    # A build renders each template as it was when the build began: Jinja need not look at
    # every included template's file again each time it is included (thousands of times).
    generator.env.auto_reload = False
    incremental = state(generator.settings)
    if incremental is not None:
        generator.env.bytecode_cache = incremental.compiled


class CollectorPaused:
    """Python's collector does not run meanwhile: for work that makes no garbage (loading the
    cache, making posts again from it), where its passes over the growing heap find nothing
    and cost more than the work. (A class, not a generator: it is entered for every post.)"""

    __slots__ = ("collecting",)

    def __enter__(self):
        self.collecting = gc.isenabled()
        gc.disable()

    def __exit__(self, *exception):
        if self.collecting:
            gc.enable()


@contextmanager
def collector_given_back():
    """For a build: when it ends, whether it succeeded or not, Python's collector runs
    again if it ran when the build began, and looks again through what the build kept
    from it (spare_the_collector): make devserver's next build collects this one's."""
    collecting = gc.isenabled()
    try:
        yield
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()


def spare_the_collector():
    """What the build has made so far (the last build's record when it is loaded, the posts
    when they are read) lives until the build ends: Python's collector need not look
    through it again. Its full passes over them were a fifth of an edit build at 4,000
    posts. reblog.build gives it all back to the collector (gc.unfreeze) when the build
    ends, for make devserver's next build."""
    gc.freeze()


def remember_static_files(generators):
    """all_generators_finalized: tell this build's Incremental where static files go."""
    incremental = state(generators[0].settings)
    if incremental is not None:
        incremental.remember_static_files(generators)
