"""docs/writing.md, "Starting a post": `make new TITLE="..."` writes
content/posts/<year>/<slug>.md, dated now in the site's time zone, as a draft that builds;
`REPOST=1` adds the credit's fields to fill in; an existing post is never overwritten."""

import os
import shutil
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import FIXTURE_SETTINGS, NETWORKING_CONTENT, ROOT, SITES
from pelican.settings import read_settings

from reblog.credit import FIELDS
from reblog.repost import PLACEHOLDER

ZONE = ZoneInfo(read_settings(str(SITES / "pelicanconf.py"))["TIMEZONE"])


def make(*arguments):
    """`make -s` in the project with the fixture settings; the finished process."""
    return subprocess.run(
        ["make", "-s", *arguments, *FIXTURE_SETTINGS],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def front_matter(text):
    head = text.split("\n\n", 1)[0]
    return dict(line.partition(":")[::2] for line in head.splitlines())


@pytest.fixture
def content(tmp_path):
    """A copy of the networking fixture site's content, for `make new` to write into."""
    folder = tmp_path / "content"
    shutil.copytree(NETWORKING_CONTENT, folder)
    return folder


def test_a_new_post_is_a_dated_draft_that_builds(content, tmp_path):
    before = datetime.now(ZONE).replace(second=0, microsecond=0)
    done = make("new", "TITLE=Hello, World!", f"INPUTDIR={content}")
    after = datetime.now(ZONE)
    assert done.returncode == 0, done.stderr
    path, next_step = done.stdout.splitlines()
    post = content / "posts" / f"{before:%Y}" / "hello-world.md"
    assert path == str(post)
    assert next_step.startswith("Next: ")
    text = post.read_text(encoding="utf-8")
    meta = front_matter(text)
    assert meta["Title"].strip() == "Hello, World!"
    assert meta["Status"].strip() == "draft"
    date = datetime.strptime(meta["Date"].strip(), "%Y-%m-%d %H:%M").replace(tzinfo=ZONE)
    assert before <= date <= after  # now, in the site's time zone
    assert not any(key.startswith("Original_") for key in meta)

    output = tmp_path / "output"
    built = make("html", f"INPUTDIR={content}", f"OUTPUTDIR={output}")
    assert built.returncode == 0, built.stderr
    assert "Hello, World!" in (output / "drafts" / "hello-world.html").read_text(encoding="utf-8")
    assert "hello-world" not in (output / "index.html").read_text(encoding="utf-8")

    again = make("new", "TITLE=Hello, World!", f"INPUTDIR={content}")
    assert again.returncode != 0
    assert f"{post} already exists; not overwriting it" in again.stderr
    assert "SLUG=…" in again.stderr
    assert post.read_text(encoding="utf-8") == text
    other = make("new", "TITLE=Hello, World!", "SLUG=hello-again", f"INPUTDIR={content}")
    assert other.returncode == 0, other.stderr
    assert front_matter((post.parent / "hello-again.md").read_text())["Slug"].strip() == (
        "hello-again"
    )


def test_a_slug_another_post_has_is_refused(content):
    old = content / "posts" / "2007" / "networking-myth-versus-truth.md"
    done = make("new", "TITLE=Networking: myth versus truth", f"INPUTDIR={content}")
    assert done.returncode != 0
    assert f"{old} already has the slug 'networking-myth-versus-truth'" in done.stderr
    assert "choose another with SLUG=…" in done.stderr
    written = [path.relative_to(content) for path in content.rglob("*.md")]
    assert sorted(written) == sorted(
        p.relative_to(NETWORKING_CONTENT) for p in NETWORKING_CONTENT.rglob("*.md")
    )


def test_repost_1_writes_the_credit_fields_to_fill_in(content, tmp_path):
    done = make("new", "TITLE=Worth a second read", "REPOST=1", f"INPUTDIR={content}")
    assert done.returncode == 0, done.stderr
    post = next(content.rglob("worth-a-second-read.md"))
    text = post.read_text(encoding="utf-8")
    meta = front_matter(text)
    assert [key for key in meta if key not in ("Title", "Date", "Slug", "Status")] == [
        field.label for field in FIELDS
    ]
    assert all(meta[field.label] == "" for field in FIELDS)
    assert PLACEHOLDER in text
    assert "Original_" in done.stdout.splitlines()[1]

    # The draft does not stop the build; published as it is, it does.
    built = make("html", f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'output'}")
    assert built.returncode == 0, built.stderr
    assert "worth-a-second-read.md: original_author: missing" in built.stderr
    post.write_text(text.replace("Status: draft\n", ""), encoding="utf-8")
    published = make("html", f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'output'}")
    assert published.returncode != 0
    assert "original_author: missing" in published.stderr


def test_without_a_title_make_new_gives_its_usage():
    done = make("new")
    assert done.returncode == 2
    assert done.stderr.startswith('usage: make new TITLE="')
