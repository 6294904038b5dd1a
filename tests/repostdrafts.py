"""Running `make repost`'s command in a test and reading the draft it writes, shared by the
repost tests."""

import itertools

from conftest import ROOT, SITES

from reblog.repost.cli import main

FIXTURES = ROOT / "tests" / "fixtures" / "repost"
TODAY = "2026-11-26"


def repost(tmp_path, source, *options):
    """Run the command as `make repost` does, into tmp_path/content; return (code, drafts)."""
    content = tmp_path / "content"
    defaults = ["--settings", str(SITES / "publishconf.py"), "--content", str(content)]
    code = main([str(source), *defaults, "--date", TODAY, *options])  # options come last: win
    return code, sorted(content.rglob("*.md")) if content.exists() else []


def only_draft(tmp_path, source, *options):
    code, drafts = repost(tmp_path, source, *options)
    assert code == 0
    assert len(drafts) == 1
    return drafts[0]


def front_matter(text):
    """The draft's metadata as Pelican's Markdown reader sees it: `Key: value` lines."""
    head = text.split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def quoted_paragraphs(text):
    """The excerpt: the `>` paragraphs, unquoted."""
    lines = [
        line[2:] if line.startswith("> ") else "" for line in text.splitlines() if line[:1] == ">"
    ]
    return [part for part in "\n".join(lines).split("\n\n") if part.strip()]


def not_found(output):
    """The fields the command's output lists as not found."""
    listed = output.split("Not found", 1)[1].splitlines()[1:]
    return [line.strip() for line in itertools.takewhile(lambda line: line[:2] == "  ", listed)]
