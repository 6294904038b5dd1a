"""README: the two commands keep working whatever posts the blogger keeps. In a copy of the
repository, the sample post is deleted and two posts of one's own are added (a plain one and
a repost): `make html`, `make check` and `make test` still pass."""

import os
import shutil
import subprocess

import pytest
from conftest import ROOT

# Drives make and git, and runs the whole suite again inside the copy.
pytestmark = pytest.mark.outside
INNER = "REBLOG_TESTING_A_COPY"

PLAIN = """Title: Why I keep a reading list
Date: 2026-11-20 08:30
Category: Notes
Tags: reading

A few words of my own, and nothing quoted.
"""

REPOST = """Title: The slow web, reconsidered
Date: 2026-11-21
Category: Reposts
Original_author: Ada Writer
Original_title: The slow web
Original_url: https://ada.example/slow-web/
Original_site: Ada's notebook
Original_site_url: https://ada.example/
Via: NetNewsWire
Via_url: https://netnewswire.com/
Via_note: a feed reader for the Mac and iPhone

Why this is worth a thorough read: it says what I meant to say, better.

> The slow web is the one you read to the end.

([Read the rest of the article over at Ada's notebook](https://ada.example/slow-web/))
"""


def copy_of_the_repository(target):
    """What a fresh clone would hold: tracked files and untracked ones git does not ignore,
    with their times kept (so make sees the shared .venv as up to date)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def make(target, folder):
    # The repository's own .venv serves the copy: installing it again would take minutes.
    return subprocess.run(
        ["make", "--no-print-directory", target, f"VENV={ROOT / '.venv'}"],
        cwd=folder,
        # The copy's tests keep their temporary folders apart: pytest otherwise numbers them
        # in one folder per user and removes the oldest, which may be another run's.
        env={
            **os.environ,
            INNER: "1",
            "PYTEST_ADDOPTS": f"--basetemp={folder.parent / 'inner-pytest'}",
        },
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.mark.skipif(bool(os.environ.get(INNER)), reason="already the copy's own run")
def test_own_posts_instead_of_the_sample_build_check_and_test(tmp_path):
    blog = tmp_path / "blog"
    copy_of_the_repository(blog)
    posts = blog / "content" / "posts"
    for sample in posts.rglob("*.md"):
        sample.unlink()
    (posts / "2026").mkdir(parents=True, exist_ok=True)
    (posts / "2026" / "reading-list.md").write_text(PLAIN, encoding="utf-8")
    (posts / "2026" / "slow-web.md").write_text(REPOST, encoding="utf-8")

    html = make("html", blog)
    assert html.returncode == 0, html.stderr
    assert (blog / "output" / "2026" / "11" / "the-slow-web-reconsidered" / "index.html").is_file()
    assert not (blog / "output" / "2007").exists()

    check = make("check", blog)
    assert check.returncode == 0, check.stderr

    test = make("test", blog)
    assert test.returncode == 0, test.stdout[-3000:] + test.stderr[-3000:]
    assert " passed" in test.stdout
