"""docs/writing.md, "Incremental builds": after one full build, `make html` re-writes only the
files whose inputs changed and keeps the others as they were (the same file, linked from
the previous output/); a change it cannot follow is a full build; a failed build changes
nothing; FULL=1 writes everything; `make clean` forgets the cache.

A kept file is the previous output's own file (the same inode); a written one is new.
"""

import gc
import io
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import (
    NETWORKING_CONTENT,
    SITES,
    assert_identical_trees,
    disconnect_plugins,
    make_site,
)
from pelican import get_config, parse_arguments
from pelican.contents import Article, Content
from pelican.settings import read_settings
from PIL import Image

from reblog.atomicfile import writing_atomically
from reblog.build import build
from reblog.incremental import Incremental, content_fingerprint
from reblog.linkbacks.store import Store

POSTS = {
    "posts/2026/first.md": (
        "Title: First\nSlug: first\nDate: 2026-01-10\nCategory: Notes\nTags: books\n\n"
        "The first post.\n"
    ),
    "posts/2026/second.md": (
        "Title: Second\nSlug: second\nDate: 2026-02-10\nCategory: Careers\n\nThe second post.\n"
    ),
}
RENDERED = {".html", ".xml", ".json"}
FIRST = "2026/01/first/index.html"
SECOND = "2026/02/second/index.html"


class Site:
    """A fixture site of a test's own, built with reblog.build as `make html` builds it."""

    def __init__(self, folder):
        self.folder = folder
        self.content = folder / "content"
        self.output = folder / "output"
        shutil.copytree(NETWORKING_CONTENT, self.content)
        for name, text in POSTS.items():
            self.write(name, text)

    def write(self, name, text):
        (self.content / name).parent.mkdir(parents=True, exist_ok=True)
        (self.content / name).write_text(text, encoding="utf-8")

    def edit(self, name, old, new):
        path = self.content / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    def build(self, full=False, fatal=None, **overrides):
        disconnect_plugins()
        argv = [str(self.content), "-o", str(self.output), "-s", str(SITES / "pelicanconf.py")]
        argv += ["--fatal", fatal] if fatal else []
        cache = self.folder / "var" / "build-cache"
        return build(argv, check=False, swap=True, overrides=overrides, cache=cache, full=full)

    def files(self):
        """Each page and feed and its inode: which file it is, not only what it holds.
        (Static files, the theme's included, are copied by Pelican on every build.)"""
        return {
            path.relative_to(self.output).as_posix(): path.stat().st_ino
            for path in self.output.rglob("*")
            if path.suffix in RENDERED
        }

    def rebuilt_after(self, change, overrides=None):
        """The output files a build after `change()` wrote anew (the rest it kept); the
        build's settings `overrides` are read after the change."""
        before = self.files()
        change()
        assert self.build(**(overrides or {})) == 0
        after = self.files()
        return {name for name, inode in after.items() if before.get(name) != inode}


@pytest.fixture
def site(tmp_path):
    built = Site(tmp_path)
    assert built.build() == 0
    return built


def test_nothing_changed_keeps_every_file(site):
    assert site.rebuilt_after(lambda: None) == set()


def test_a_body_edit_rewrites_its_post_and_what_shows_it(site):
    rebuilt = site.rebuilt_after(lambda: site.edit("posts/2026/first.md", "first post", "1st"))

    assert FIRST in rebuilt
    # The listings and feeds that show the post, and only those.
    assert {"index.html", "category/notes/index.html", "tag/books/index.html"} <= rebuilt
    assert "feeds/all.rss.xml" in rebuilt
    assert "feeds/category/notes.atom.xml" in rebuilt
    assert not {SECOND, "about/index.html", "category/careers/index.html"} & rebuilt
    assert "feeds/category/careers.rss.xml" not in rebuilt
    # Written again (the post's summary is in its key) with the same bytes (the archives
    # show titles): the file in output/ stays, with its time, for deploys that go by time.
    assert "archives/index.html" not in rebuilt


def test_an_edit_that_keeps_the_files_size_and_time_is_seen(site):
    """A source whose file is as the last build found it (size, times, inode) is not read
    again; an edit that keeps its size, with its time set back, still is."""
    an_hour_ago = time.time() - 3600
    sources = [path for path in site.content.rglob("*") if path.is_file()]
    for path in sources:  # long before the build: not "racily clean" (git's term)
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert site.build() == 0
    assert site.rebuilt_after(lambda: None) == set()
    first = site.content / "posts/2026/first.md"

    def same_size_same_time():
        site.edit("posts/2026/first.md", "The first post.", "The 1st post!!.")
        os.utime(first, (an_hour_ago, an_hour_ago))

    assert FIRST in site.rebuilt_after(same_size_same_time)
    assert "The 1st post!!." in (site.output / FIRST).read_text(encoding="utf-8")

    def replaced_by_a_copy():  # an editor's save: a new file renamed over the old one
        copy = first.with_suffix(".tmp")
        copy.write_text(first.read_text(encoding="utf-8").replace("1st", "one"), "utf-8")
        os.utime(copy, (an_hour_ago, an_hour_ago))
        os.replace(copy, first)

    assert FIRST in site.rebuilt_after(replaced_by_a_copy)
    assert "The one post!!." in (site.output / FIRST).read_text(encoding="utf-8")


def test_a_build_gives_back_to_the_collector_what_it_spared_it(site):
    """A build keeps what it made from Python's collector until it ends (gc.freeze): make
    devserver's next build, in the same process, must be able to collect it."""
    assert gc.get_freeze_count() == 0
    site.edit("posts/2026/first.md", "first post", "1st")
    assert site.build() == 0
    assert gc.get_freeze_count() == 0


NOTE_PLUGIN = """
from pathlib import Path
from pelican import signals

def add_note(generators):
    note = Path(generators[0].settings["OUTSIDE_NOTE"]).read_text(encoding="utf-8")
    for content in generators[0].context["generated_content"].values():
        if getattr(content, "slug", None) == "first":
            content._content = content._content + "<p>" + note + "</p>"

def register():
    signals.all_generators_finalized.connect(add_note)
"""


def test_a_plugin_that_changes_a_kept_posts_html_is_seen(site):
    """A plugin may change a post's HTML after it was read, from what no build records (here
    a file outside the site): a post made again from the cache, its source unchanged, is
    written again when its HTML differs from the last build's. (The post has an image: its
    HTML is sized before the plugin changes it.)"""
    (site.content / "images").mkdir()
    (site.content / "images/pic.png").write_bytes(png(64, 48))
    site.edit("posts/2026/first.md", "The first post.", "![A picture]({static}/images/pic.png)")
    plugins = site.folder / "plugins"
    (plugins / "outside_note").mkdir(parents=True)
    (plugins / "outside_note" / "__init__.py").write_text(NOTE_PLUGIN, encoding="utf-8")
    note = site.folder / "note.txt"
    note.write_text("A note from outside.", encoding="utf-8")
    settings = read_settings(str(SITES / "pelicanconf.py"))
    overrides = {
        "PLUGIN_PATHS": [*settings["PLUGIN_PATHS"], str(plugins)],
        "PLUGINS": [*settings["PLUGINS"], "outside_note"],
        "OUTSIDE_NOTE": str(note),
    }
    assert site.build(**overrides) == 0
    assert "A note from outside." in (site.output / FIRST).read_text(encoding="utf-8")

    rebuilt = site.rebuilt_after(lambda: note.write_text("Another note.", "utf-8"), overrides)

    assert FIRST in rebuilt
    assert "Another note." in (site.output / FIRST).read_text(encoding="utf-8")
    assert SECOND not in rebuilt


def test_the_cache_keeps_each_post_once_and_no_more_than_twice_its_size(site):
    """An edit build adds the edited post to the cache's posts file, where the posts it
    keeps stay as they were; once the file is half made of posts since changed, it is made
    anew with only the posts still there."""
    cache = site.folder / "var" / "build-cache"
    (full_build,) = cache.glob("posts-*.pickles")
    size = full_build.stat().st_size
    for number in range(12):
        site.edit("posts/2026/first.md", "first post", f"first post {number},")
        assert site.build() == 0
        (posts,) = cache.glob("posts-*.pickles")  # the one the record names: no other
        assert posts.stat().st_size < 2.5 * size
    assert posts != full_build  # made anew at least once
    assert "first post 11, 10, 9," in (site.output / FIRST).read_text(encoding="utf-8")
    assert site.rebuilt_after(lambda: None) == set()


def full_build_of(site):
    """A full build of the site's content as it is now, in a folder of its own, no cache."""
    disconnect_plugins()
    full = site.folder / "full"
    shutil.rmtree(full, ignore_errors=True)
    argv = [str(site.content), "-o", str(full), "-s", str(SITES / "pelicanconf.py")]
    assert build(argv, check=False, swap=True, cache=None) == 0
    return full


def test_a_damaged_cache_is_read_around(site):
    """Posts the cache cannot make again (its file damaged by a crash or a hand) are read
    from their sources: the build succeeds, and its output is a full build's."""
    (posts,) = (site.folder / "var" / "build-cache").glob("posts-*.pickles")
    data = bytearray(posts.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 64] = b"\xff" * 64
    posts.write_bytes(bytes(data))
    site.edit("posts/2026/second.md", "second post", "2nd post")

    assert site.build() == 0

    assert_identical_trees(site.output, full_build_of(site))


def test_a_record_that_failed_to_save_leaves_the_last_one_whole(site, monkeypatch):
    """A full build writes its posts file, then fails to save its record (a full disk):
    the last build's record and the posts file it names are as they were, and the next
    build is right."""
    site.edit("posts/2026/first.md", "The first post.", "The first post, at length. " * 20)

    def disk_full(path, *args, **kwargs):
        if Path(path).name == "record.pickle":
            raise OSError(28, "No space left on device")
        return writing_atomically(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr("reblog.incremental.writing_atomically", disk_full)
        with pytest.raises(OSError, match="No space"):
            site.build(full=True)

    assert site.build() == 0
    assert_identical_trees(site.output, full_build_of(site))


def test_a_build_adds_only_to_the_posts_file_it_read(site):
    """Another build (make serve's, of other settings, sharing the cache) may make its own
    posts file and record while this one runs: this build never adds its posts to a file
    it did not read, and its record stays right."""
    cache = site.folder / "var" / "build-cache"
    incremental = Incremental(cache, site.output)
    argv = [str(site.content), "-o", str(site.output), "-s", str(SITES / "pelicanconf.py")]
    incremental.start(
        read_settings(str(SITES / "pelicanconf.py"), get_config(parse_arguments(argv)))
    )
    assert incremental.previous["contents"], "the site's record was loaded"
    for (kind, source), (key, *_) in incremental.previous["contents"].items():
        assert incremental.kept_content(kind, source, key) is not None
    (read,) = cache.glob("posts-*.pickles")
    kept = {
        source: bytes(incremental.kept_content(*source, key)[0])
        for source, (key, *_) in incremental.previous["contents"].items()
    }
    replaced = read.with_suffix(".other")
    replaced.write_bytes(b"another build's posts")
    os.replace(replaced, read)  # the same name, another file

    name, posts = incremental.save_posts()

    assert name != read.name
    written = (cache / name).read_bytes()
    for source, _, _, where, length in posts:
        assert written[where : where + length] == kept[source]
    assert read.read_bytes() == b"another build's posts"


def test_a_build_keeps_no_rendered_page_in_memory_after_it(site):
    """make devserver builds again and again in one process: what Pelican memoizes of each
    post's rendering (its content, its summary) must not outlive the build."""
    site.edit("posts/2026/first.md", "first post", "1st")
    assert site.build() == 0
    assert not Content.get_content.cache
    assert not Content.get_summary.cache


def test_an_edit_past_the_summary_rewrites_its_page_and_feeds_not_listings(site):
    long_body = " ".join(["word"] * 400)
    site.edit("posts/2026/first.md", "The first post.", long_body)
    assert site.build() == 0

    rebuilt = site.rebuilt_after(
        lambda: site.edit("posts/2026/first.md", long_body, long_body + " One more sentence.")
    )

    assert FIRST in rebuilt
    assert {"feeds/all.rss.xml", "feeds/category/notes.atom.xml"} <= rebuilt
    # The listings show the summary, which did not change.
    listings = {"index.html", "archives/index.html", "category/notes/index.html"}
    assert not listings & rebuilt
    assert "tag/books/index.html" not in rebuilt


def test_a_title_edit_moves_it_in_every_listing_and_feed(site):
    rebuilt = site.rebuilt_after(lambda: site.edit("posts/2026/second.md", "Second", "Two"))

    assert {SECOND, "index.html", "archives/index.html", "category/careers/index.html"} <= rebuilt
    assert "Two" in (site.output / "category/careers/index.html").read_text(encoding="utf-8")
    assert not {FIRST, "category/notes/index.html"} & rebuilt


def test_a_deleted_post_leaves_no_file_behind(site):
    (site.content / "posts/2026/second.md").unlink()

    assert site.build() == 0

    assert not (site.output / SECOND).exists()
    assert not (site.output / "category/careers/index.html").exists()
    assert "Second" not in (site.output / "index.html").read_text(encoding="utf-8")


def test_an_approved_ping_rewrites_the_post_it_is_for(site):
    def approve():
        store = Store(site.folder / "var" / "linkbacks.sqlite3").init()
        ping = store.add(
            kind="trackback",
            slug="first",
            target="http://localhost:8000/2026/01/first/",
            source="https://other.example.com/reply",
            title="A reply",
            excerpt="Well said.",
            blog_name="Other Blog",
            address="192.0.2.1",
            limit=10,
        )
        store.set_state(ping, "approved")

    rebuilt = site.rebuilt_after(approve)

    assert FIRST in rebuilt
    assert "https://other.example.com/reply" in (site.output / FIRST).read_text("utf-8")
    assert SECOND not in rebuilt


@pytest.mark.parametrize(
    "change",
    ["template", "setting", "stylesheet"],
)
def test_a_change_it_cannot_follow_is_a_full_build(site, change):
    theme = site.folder / "theme"
    shutil.copytree(SITES.parent.parent / "theme", theme)
    assert site.build(THEME=str(theme)) == 0  # the same theme, in another place: full
    overrides = {"THEME": str(theme)}
    changes = {
        "template": lambda: (theme / "templates/base.html").write_text(
            (theme / "templates/base.html").read_text("utf-8").replace("</footer>", "x</footer>")
        ),
        "setting": lambda: overrides.update(SITESUBTITLE="Another subtitle"),
        "stylesheet": lambda: (theme / "static/css/site.css").write_text(
            (theme / "static/css/site.css").read_text("utf-8") + "\nbody{margin:0}\n"
        ),
    }
    before = set(site.files())

    rebuilt = site.rebuilt_after(changes[change], overrides)

    assert rebuilt == before


def test_a_full_build_then_no_change_keeps_every_file(site):
    # A post with an image: its HTML is changed (sized) after reading, as a post's is
    # whenever a plugin edits it; the build after a full one must know it all the same.
    (site.content / "images").mkdir()
    (site.content / "images/pic.png").write_bytes(png(64, 48))
    site.edit("posts/2026/first.md", "The first post.", "![A picture]({static}/images/pic.png)")
    assert site.build(full=True) == 0

    assert site.rebuilt_after(lambda: None) == set()


def test_an_image_replaced_by_one_of_another_size_resizes_its_post(site):
    (site.content / "images").mkdir()
    (site.content / "images/pic.png").write_bytes(png(64, 48))
    site.edit("posts/2026/first.md", "The first post.", "![A picture]({static}/images/pic.png)")
    assert site.build() == 0
    assert 'width="64" height="48"' in (site.output / FIRST).read_text(encoding="utf-8")

    rebuilt = site.rebuilt_after(lambda: (site.content / "images/pic.png").write_bytes(png(90, 30)))

    assert FIRST in rebuilt
    assert 'width="90" height="30"' in (site.output / FIRST).read_text(encoding="utf-8")
    assert SECOND not in rebuilt


def png(width, height):
    """A PNG of the given size (Pillow, which the site reads sizes with)."""
    image = io.BytesIO()
    Image.new("L", (width, height)).save(image, format="PNG")
    return image.getvalue()


def test_a_kept_post_still_says_what_is_wrong_with_it(site, capsys):
    # An unknown key is a warning: the post is built, and kept by the next build, which
    # does not read it again, yet tells the warning again (FATAL=warnings fails on it).
    site.edit("posts/2026/second.md", "Category:", "Colour: blue\nCategory:")
    assert site.build() == 0
    capsys.readouterr()

    assert site.build(fatal="warnings") != 0

    told = capsys.readouterr()
    assert "posts/2026/second.md" in told.out + told.err
    assert "'Colour'" in told.out + told.err


def test_a_failed_incremental_build_changes_nothing(site):
    before = {path: (site.output / path).read_bytes() for path in site.files()}
    site.edit("posts/2026/first.md", "Date: 2026-01-10", "Date: 10/01/2026")

    assert site.build() != 0

    assert {path: (site.output / path).read_bytes() for path in site.files()} == before
    site.edit("posts/2026/first.md", "Date: 10/01/2026", "Date: 2026-01-10")
    assert site.rebuilt_after(lambda: None) == set()


def test_a_failed_build_leaves_a_changed_image_out_of_output(site):
    (site.content / "images").mkdir()
    (site.content / "images/pic.png").write_bytes(png(64, 48))
    assert site.build() == 0
    before = (site.output / "images/pic.png").read_bytes()
    (site.content / "images/pic.png").write_bytes(png(90, 30))
    site.edit("posts/2026/first.md", "Date: 2026-01-10", "Date: 10/01/2026")

    assert site.build() != 0

    assert (site.output / "images/pic.png").read_bytes() == before
    site.edit("posts/2026/first.md", "Date: 10/01/2026", "Date: 2026-01-10")
    assert site.build() == 0
    assert (site.output / "images/pic.png").read_bytes() == png(90, 30)


def test_a_file_changed_by_hand_is_written_again(site):
    (site.output / SECOND).write_text("edited by hand", encoding="utf-8")

    rebuilt = site.rebuilt_after(lambda: None)

    assert rebuilt == {SECOND}
    assert "The second post." in (site.output / SECOND).read_text(encoding="utf-8")


def test_full_writes_every_file(site):
    before = site.files()
    assert site.build(full=True) == 0
    assert not set(before.items()) & set(site.files().items())


def test_make_html_full_and_make_clean(tmp_path):
    site = Site(tmp_path)
    assert make_site("html", tmp_path).returncode == 0
    kept = make_site("html", tmp_path)
    assert "incremental build: 0 file(s) written" in kept.stdout, kept.stdout + kept.stderr
    full = make_site("html", tmp_path, "FULL=1")
    assert "full build" in full.stdout
    assert (tmp_path / "var" / "build-cache").is_dir()

    assert make_site("clean", tmp_path).returncode == 0

    assert not site.output.exists()
    assert not (tmp_path / "var" / "build-cache").exists()


@pytest.mark.parametrize(
    ("name", "seen"),
    [
        ("_reblog_anything", False),  # the engine's own, kept for itself
        ("_reblog", False),
        ("_rebloh", True),
        ("_reblo", True),
        ("reblog_note", True),
        ("_note", True),
        ("zzz", True),
    ],
)
def test_what_a_plugin_gives_a_post_is_in_its_fingerprint(name, seen):
    """Every attribute a plugin gives a post counts for its page's key; only what the engine
    keeps on a post for itself (named _reblog...) does not."""
    settings = read_settings(str(SITES / "pelicanconf.py"))
    metadata = {"title": "First", "slug": "first"}
    posts = [
        Article("<p>text</p>", metadata=metadata, settings=settings, source_path="/first.md")
        for _ in range(2)
    ]
    setattr(posts[1], name, "a value")

    assert (content_fingerprint(posts[0]) != content_fingerprint(posts[1])) == seen
