"""README "Feeds": the same content gives byte-identical feeds; a failed write loses nothing."""

import os
import shutil

import pytest
from conftest import NETWORKING_CONTENT, SITES, disconnect_plugins
from feedgen.feed import FeedGenerator
from pelican import Pelican
from pelican.settings import read_settings

POSTS = {
    "2021/one.md": "Title: One\nDate: 2021-03-04 05:06\nModified: 2021-04-01\nTags: a, b\n\nOne.\n",
    "2021/two.md": "Title: Two & <three>\nDate: 2021-03-05\nCategory: Other\n\nTwo.\n",
}


def _feeds(output):
    return {
        path.relative_to(output): path.read_bytes()
        for path in sorted(output.joinpath("feeds").rglob("*"))
        if path.is_file()
    }


def test_two_builds_give_byte_identical_feeds(build_site):
    first = _feeds(build_site(posts=POSTS, name="first").output)
    second = _feeds(build_site(posts=POSTS, name="second").output)
    # all posts + 2 categories (Uncategorized, Other; a folder is never one), 3 formats
    assert len(first) == 9
    assert first == second


def _build_into(content, output):
    settings = read_settings(
        str(SITES / "pelicanconf.py"), override={"PATH": str(content), "OUTPUT_PATH": str(output)}
    )
    disconnect_plugins()  # no plugin of an earlier publishconf.py build in this process
    Pelican(settings).run()


class HalfWrittenFile:
    """A file that writes half of what it is given, then fails like a full disk."""

    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")


def _fail_serializing(monkeypatch):
    def fail(*_args, **_kwargs):
        raise RuntimeError("serializer failed")

    monkeypatch.setattr(FeedGenerator, "rss_str", fail)
    return RuntimeError


def _fail_mid_write(monkeypatch):
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWrittenFile(real_fdopen(*a, **k)))
    return OSError


@pytest.mark.parametrize("failure", [_fail_serializing, _fail_mid_write])
def test_a_failed_feed_write_leaves_the_previous_feed_whole(tmp_path, monkeypatch, failure):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(NETWORKING_CONTENT, content)
    _build_into(content, output)
    before = _feeds(output)
    error = failure(monkeypatch)
    with pytest.raises(error):
        _build_into(content, output)
    monkeypatch.undo()
    assert _feeds(output) == before
    leftovers = [p.name for p in output.joinpath("feeds").rglob("*") if p.name.startswith(".")]
    assert leftovers == []
