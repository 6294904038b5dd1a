"""docs/writing.md, "Starting a post": `make new TITLE="..."` writes
content/posts/<year>/<slug>.md, dated now in the site's time zone, as a draft that builds;
`REPOST=1` adds the credit's fields to fill in; an existing post is never overwritten."""

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import NETWORKING_CONTENT, SITES, run_make
from pelican.settings import read_settings

from reblog.credit import FIELDS
from reblog.repost import PLACEHOLDER

ZONE = ZoneInfo(read_settings(str(SITES / "pelicanconf.py"))["TIMEZONE"])


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
    done = run_make("new", "TITLE=Hello, World!", f"INPUTDIR={content}")
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
    built = run_make("html", f"INPUTDIR={content}", f"OUTPUTDIR={output}")
    assert built.returncode == 0, built.stderr
    assert "Hello, World!" in (output / "drafts" / "hello-world.html").read_text(encoding="utf-8")
    assert "hello-world" not in (output / "index.html").read_text(encoding="utf-8")

    again = run_make("new", "TITLE=Hello, World!", f"INPUTDIR={content}")
    assert again.returncode != 0
    assert f"{post} already exists; not overwriting it" in again.stderr
    assert "SLUG=…" in again.stderr
    assert post.read_text(encoding="utf-8") == text
    other = run_make("new", "TITLE=Hello, World!", "SLUG=hello-again", f"INPUTDIR={content}")
    assert other.returncode == 0, other.stderr
    assert front_matter((post.parent / "hello-again.md").read_text())["Slug"].strip() == (
        "hello-again"
    )


def test_a_slug_another_post_has_is_refused(content):
    old = content / "posts" / "2007" / "networking-myth-versus-truth.md"
    done = run_make("new", "TITLE=Networking: myth versus truth", f"INPUTDIR={content}")
    assert done.returncode != 0
    assert f"{old} already has the slug 'networking-myth-versus-truth'" in done.stderr
    assert "choose another with SLUG=…" in done.stderr
    written = [path.relative_to(content) for path in content.rglob("*.md")]
    assert sorted(written) == sorted(
        p.relative_to(NETWORKING_CONTENT) for p in NETWORKING_CONTENT.rglob("*.md")
    )


def test_repost_1_writes_the_credit_fields_to_fill_in(content, tmp_path):
    done = run_make("new", "TITLE=Worth a second read", "REPOST=1", f"INPUTDIR={content}")
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
    built = run_make("html", f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'output'}")
    assert built.returncode == 0, built.stderr
    assert "worth-a-second-read.md: original_author: missing" in built.stderr
    post.write_text(text.replace("Status: draft\n", ""), encoding="utf-8")
    published = run_make("html", f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'output'}")
    assert published.returncode != 0
    assert "original_author: missing" in published.stderr


def test_without_a_title_make_new_gives_its_usage():
    done = run_make("new")
    assert done.returncode == 2
    assert done.stderr.startswith('usage: make new TITLE="')
