"""README: a post that cannot be published as written stops `make html` with a line naming
the file and the field, and the previous output/ stays exactly as it was."""

import shutil
import stat

import pytest
from conftest import NETWORKING_CONTENT, make_site

from reblog.repost import PLACEHOLDER

GOOD_POST = """Title: A good post
Date: 2020-01-01
Category: Notes

My own words.
"""
REPOST = """Title: A repost
Date: 2020-01-02
Original_author: Cheri Baker
Original_site: The Enlightened Manager Blog
{field}

> The excerpt.
"""

# (case, bad post, words the error line must hold besides the file name)
BAD_POSTS = [
    ("invalid date", "Title: Bad date\nDate: 2020-13-45\n\nBody.\n", ["date", "2020-13-45"]),
    ("missing title", "Date: 2020-01-03\n\nBody.\n", ["title"]),
    ("misspelt title", "Titel: Typo\nDate: 2020-01-03\n\nBody.\n", ["title: missing", "'titel'"]),
    ("unknown status", "Title: Typo\nDate: 2020-01-03\nStatus: publishd\n\nBody.\n", ["status"]),
    (
        "duplicate slug",
        "Title: Same address\nDate: 2020-01-09\nSlug: a-good-post\n\nBody.\n",
        ["slug", "good.md"],
    ),
    (
        "duplicate slug in another month",
        "Title: Same slug\nDate: 2020-03-09\nSlug: a-good-post\n\nBody.\n",
        ["slug", "good.md"],
    ),
    (
        "repost without author",
        "Title: Unsigned\nDate: 2020-01-02\nOriginal_site: A blog\nOriginal_url: https://x.org/\n",
        ["original_author", "missing"],
    ),
    (
        "repost with its author given twice",
        REPOST.format(field="Original_author: Someone else\nOriginal_url: https://example.org/a"),
        ["original_author", "more than once"],
    ),
    (
        "repost with a javascript: URL",
        REPOST.format(field="Original_url: javascript:alert(1)"),
        ["original_url", "javascript:alert(1)"],
    ),
    (
        "repost with a relative URL",
        REPOST.format(field="Original_site_url: /blog/"),
        ["original_site_url", "relative"],
    ),
    (
        "repost with a scheme-relative URL",
        REPOST.format(
            field="Original_url: https://example.org/a\nOriginal_feed: //example.org/feed"
        ),
        ["original_feed", "relative"],
    ),
    (
        "repost with a URL containing spaces",
        REPOST.format(field="Original_url: https://example.org/a post"),
        ["original_url", "space"],
    ),
    (
        "repost with a quotation mark in its URL",
        REPOST.format(field='Original_url: https://example.org/a"b'),
        ["original_url", "'\"'", "%22"],
    ),
    (
        "repost with angle brackets in its feed URL",
        REPOST.format(
            field="Original_url: https://example.org/a\nOriginal_feed: https://x.org/<f>"
        ),
        ["original_feed", "'<'", "%3C"],
    ),
    (
        "repost with a backslash in its blog URL",
        REPOST.format(field="Original_site_url: https://example.org\\blog"),
        ["original_site_url", "%5C"],
    ),
    (
        "repost with a control character in its via URL",
        REPOST.format(field="Original_url: https://example.org/a\nVia_url: https://v.org/\x07"),
        ["via_url", "control character", "\\x07"],
    ),
    (
        "repost with a javascript: via URL",
        REPOST.format(field="Original_url: https://example.org/a\nVia_url: JavaScript:alert(1)"),
        ["via_url", "JavaScript:alert(1)"],
    ),
    (
        "repost published with the repost command's placeholder still in it",
        REPOST.format(field="Original_url: https://example.org/a").replace(
            "\n> The excerpt.", f"\n{PLACEHOLDER}\n\n> The excerpt."
        ),
        ["commentary", "REPLACE THIS LINE"],
    ),
    (
        "date that is not ISO 8601",
        "Title: Ambiguous\nDate: 03/04/2026\n\nBody.\n",
        ["date", "ambiguous", "2026-03-04", "2026-04-03"],
    ),
    (
        "misspelt key",
        REPOST.format(field="Original_url: https://example.org/a\nOrignal_title: A title"),
        ["'Orignal_title'", "did you mean 'Original_title'"],
    ),
    (
        "misspelt required key",
        REPOST.format(field="Original_url: https://example.org/a").replace(
            "Original_author:", "Orignal_author:"
        ),
        ["original_author: missing", "'orignal_author'"],
    ),
    (
        "image that is not there",
        "Title: Desk\nDate: 2020-01-04\n\n![My desk](/images/desk.jpg)\n",
        ["/images/desk.jpg"],
    ),
    (
        "{static} link to no file",
        "Title: Desk\nDate: 2020-01-04\n\n![My desk]({static}/images/desk.jpg)\n",
        ["/images/desk.jpg", "has no"],
    ),
    (
        "{filename} link to no post",
        "Title: Lost\nDate: 2020-01-04\n\nSee [my old post]({filename}/posts/gone.md).\n",
        ["{filename}/posts/gone.md", "no such file"],
    ),
    (
        "link to a page that is not there",
        "Title: Lost\nDate: 2020-01-04\n\nSee [my old post](/2019/01/gone/).\n",
        ["/2019/01/gone/"],
    ),
    (
        "repost with neither article nor blog address",
        REPOST.format(field="Original_title: An article"),
        ["original_url", "original_site_url"],
    ),
]


def leftovers(site):
    """What the project folder holds, less var/ (the linkbacks list of posts, kept from the
    last good build): no temporary build folder may remain."""
    return sorted(p.name for p in site.iterdir() if p.name != "var")


def snapshot(folder):
    return {
        path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()
    }


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """A site with one good post, built by `make html`: the output a bad build must keep."""
    site = tmp_path_factory.mktemp("previous")
    (site / "content" / "posts").mkdir(parents=True)
    (site / "content" / "posts" / "good.md").write_text(GOOD_POST, encoding="utf-8")
    result = make_site("html", site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture
def previous_site(built_once, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_once, site)
    return site


@pytest.mark.parametrize(
    ("bad_post", "words"), [case[1:] for case in BAD_POSTS], ids=[case[0] for case in BAD_POSTS]
)
def test_bad_post_fails_the_build_naming_file_and_field(previous_site, bad_post, words):
    before = snapshot(previous_site / "output")
    assert any(path.name == "index.html" for path in before)
    (previous_site / "content" / "posts" / "bad.md").write_text(bad_post, encoding="utf-8")

    result = make_site("html", previous_site)

    assert result.returncode != 0
    log = result.stdout + result.stderr
    reasons = [
        line for line in log.splitlines() if "bad.md" in line and all(w in line for w in words)
    ]
    assert reasons, log
    assert snapshot(previous_site / "output") == before
    assert leftovers(previous_site) == ["content", "output"]


def test_unreadable_file_fails_the_build_naming_it(previous_site):
    before = snapshot(previous_site / "output")
    bad = "Title: Saved in Latin-1\nDate: 2020-01-05\n\nCaf\xe9\n".encode("latin-1")
    (previous_site / "content" / "posts" / "bad.md").write_bytes(bad)

    result = make_site("html", previous_site)

    assert result.returncode != 0
    assert "bad.md: 'utf-8' codec can't decode" in result.stdout + result.stderr
    assert snapshot(previous_site / "output") == before


def test_publish_fails_the_same_way(previous_site):
    before = snapshot(previous_site / "output")
    bad = REPOST.format(field="Original_url: javascript:alert(1)")
    (previous_site / "content" / "posts" / "bad.md").write_text(bad, encoding="utf-8")

    result = make_site("publish", previous_site)

    assert result.returncode != 0
    assert "bad.md: original_url:" in result.stdout + result.stderr
    assert snapshot(previous_site / "output") == before
    assert leftovers(previous_site) == ["content", "output"]


def test_a_good_build_replaces_the_whole_output(previous_site):
    output = previous_site / "output"
    (output / "stale.html").write_text("from a post since deleted", encoding="utf-8")
    second = "Title: A second post\nDate: 2020-02-01\n\nMore words.\n"
    (previous_site / "content" / "posts" / "second.md").write_text(second, encoding="utf-8")

    result = make_site("html", previous_site)

    assert result.returncode == 0, result.stdout + result.stderr
    assert not (output / "stale.html").exists()
    assert (output / "2020" / "02" / "a-second-post" / "index.html").is_file()
    assert (output / "2020" / "01" / "a-good-post" / "index.html").is_file()
    # var/ holds the list of posts a finished build leaves for the linkbacks receiver.
    assert sorted(p.name for p in previous_site.iterdir()) == ["content", "output", "var"]
    # The temporary folder starts private (mkdtemp); once swapped in it must have the
    # permissions any folder made here gets, so a web server can read it.
    probe = previous_site / "probe"
    probe.mkdir()
    assert stat.S_IMODE(output.stat().st_mode) == stat.S_IMODE(probe.stat().st_mode)
    probe.rmdir()


def test_the_real_content_builds_cleanly(tmp_path):
    """The site as committed: `make html` exits 0 and says nothing is wrong."""
    shutil.copytree(NETWORKING_CONTENT, tmp_path / "content")
    result = make_site("html", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR" not in result.stdout + result.stderr
    assert (tmp_path / "output" / "index.html").is_file()
