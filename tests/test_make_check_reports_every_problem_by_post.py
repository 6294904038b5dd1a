"""docs/deploying.md, "make check": it builds whatever posts content/ holds into a temporary
folder, and names every problem under the post it is in; output/ is never touched."""

import shutil
import subprocess

from conftest import FIXTURE_SETTINGS, NETWORKING_CONTENT, ROOT

GOOD_POST = """Title: A plain post of my own
Date: 2026-11-20 09:00
Category: Notes

My own words, with [a link to the networking post][networking].

[networking]: {filename}/posts/2007/networking-myth-versus-truth.md
"""

BROKEN_LINKS = """Title: Links that lead nowhere
Date: 2026-11-21
Category: Notes

See [a missing page](/no/such/page/), ![a missing image](/images/desk.jpg)
and [a missing part](#nowhere).
"""

UNFINISHED_REPOST = """Title: A repost left half done
Date: 2026-11-22
Category: Notes
Original_author: Ada Writer
Original_site: Ada's notebook
Original_url: https://ada.example/post

REPLACE THIS LINE with a few words of your own: why is this article worth a thorough read?

> Quoted words.
"""

INCOMPLETE_CREDIT = """Title: Credit without a blog
Date: 2026-11-23
Category: Notes
Original_author: Somebody

> Quoted words.
"""


def make_check(tmp_path, posts):
    content = tmp_path / "content"
    shutil.copytree(NETWORKING_CONTENT, content)
    for name, text in posts.items():
        (content / "posts" / name).write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    output.mkdir()
    (output / "kept.txt").write_text("the previous build", encoding="utf-8")
    done = subprocess.run(
        [
            "make",
            "-s",
            "-C",
            str(ROOT),
            "check",
            f"INPUTDIR={content}",
            f"OUTPUTDIR={output}",
            *list(FIXTURE_SETTINGS),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert sorted(p.name for p in output.iterdir()) == ["kept.txt"], "make check wrote output/"
    # Nor the linkback manifest under var/: the receiver keeps the last real build's.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]
    return done


def test_a_clean_site_passes(tmp_path):
    done = make_check(tmp_path, {"mine.md": GOOD_POST})
    assert done.returncode == 0, done.stderr
    assert "check: no problems; ready to upload to " in done.stdout


def test_every_broken_post_is_named_with_each_of_its_problems(tmp_path):
    done = make_check(
        tmp_path,
        {
            "mine.md": GOOD_POST,
            "links.md": BROKEN_LINKS,
            "unfinished.md": UNFINISHED_REPOST,
            "credit.md": INCOMPLETE_CREDIT,
        },
    )
    assert done.returncode != 0
    report = done.stderr
    lines = report.splitlines()
    # Each problem is listed once, under the source file of its post, all in one run.
    assert "posts/links.md" in lines
    page = "2026/11/links-that-lead-nowhere/index.html"
    for reference in ("/no/such/page/", "/images/desk.jpg", "#nowhere"):
        assert f"  {page}: links to {reference}, but" in report
    assert "posts/unfinished.md" in lines
    assert "commentary: the line starting 'REPLACE THIS LINE' is still there" in report
    assert "posts/credit.md" in lines
    assert "original_site: missing" in report
    assert "posts/mine.md" not in lines
    # The index shows the broken post's summary, links and all: not a second problem.
    assert "index.html" not in lines
    assert "check: 5 problem(s) in 3 file(s)" in lines
