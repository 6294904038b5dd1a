"""The docs are true: README.md and docs/*.md link only to files and headings that exist,
the README stays short, the settings and metadata tables are the engine's own, and the make
targets the Makefile offers are the ones docs/development.md describes."""

import re
from pathlib import Path

import pytest

from reblog import metadata, settings

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
README_MAX_LINES = 120
# (page, table name, module whose markdown_table() the page shows between the markers)
GENERATED_TABLES = [
    ("settings.md", "settings-table", settings),
    ("writing.md", "metadata-table", metadata),
]

# A fence opens a code block: three or more backticks or tildes, indented at most 3 spaces.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# An inline code span: a run of backticks, its text, and a run of the same length.
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
# [text](target) or ![alt](target), with an optional "title" after the target.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$")
EXTERNAL = ("http://", "https://", "mailto:")


def outside_code_blocks(text):
    """The lines of Markdown `text` that are not inside a fenced code block."""
    lines, fence = [], None
    for line in text.splitlines():
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and opening and opening.group(1).startswith(fence):
            fence = None
        elif fence is None:
            lines.append(line)
    return lines


def prose(page):
    """A page's Markdown without its fenced code blocks and inline code spans."""
    text = "\n".join(outside_code_blocks(page.read_text(encoding="utf-8")))
    return CODE_SPAN.sub("code", text)


def links(page):
    """Every relative link target on `page` (web and mail links left out)."""
    return [
        target for target in LINK.findall(prose(page)) if not target.lower().startswith(EXTERNAL)
    ]


def github_anchor(heading):
    """The #fragment GitHub gives a heading: lower case, punctuation other than hyphens and
    spaces dropped (letters, digits and underscores stay), each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page):
    """The #fragments a Markdown page's headings answer to (a repeated heading gets -1, -2...)."""
    found = set()
    for line in outside_code_blocks(page.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if match:
            anchor = github_anchor(match.group(1))
            number, unique = 0, anchor
            while unique in found:
                number += 1
                unique = f"{anchor}-{number}"
            found.add(unique)
    return found


def broken(page, target):
    """Why the link `target` on `page` leads nowhere, or None when it leads somewhere."""
    path, _, fragment = target.partition("#")
    destination = (page.parent / path).resolve() if path else page
    if not destination.is_relative_to(ROOT):
        return f"{target}: outside the repository"
    if not destination.exists():
        return f"{target}: no file {destination.relative_to(ROOT)}"
    if not fragment:
        return None
    if destination.suffix != ".md":
        return f"{target}: a #fragment on a file that is not Markdown cannot be checked"
    if fragment not in anchors(destination):
        return f"{target}: {destination.relative_to(ROOT)} has no heading #{fragment}"
    return None


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    problems = [problem for target in links(page) if (problem := broken(page, target))]
    assert problems == [], f"{page.relative_to(ROOT)} has broken links:\n" + "\n".join(problems)


def test_the_link_reader_sees_links_but_not_code():
    page = DOCS / "development.md"  # real text, with links, inline code and fenced blocks
    found = links(page)
    assert "writing.md#when-a-build-fails" in found
    assert all("`" not in target for target in found)
    assert github_anchor("What pelicanconf.py sets") == "what-pelicanconfpy-sets"
    assert github_anchor("This site's own settings") == "this-sites-own-settings"
    assert github_anchor("Receiving, in production") == "receiving-in-production"


def test_readme_is_at_most_120_lines():
    lines = len(README.read_text(encoding="utf-8").splitlines())
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines; keep it at {README_MAX_LINES} or fewer and move the "
        "detail into docs/"
    )


@pytest.mark.parametrize(
    ("page", "name", "module"), GENERATED_TABLES, ids=[name for _, name, _ in GENERATED_TABLES]
)
def test_tables_in_the_docs_are_the_engines_own(page, name, module):
    """The settings and the metadata keys are listed once, in code; the docs show that list."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = (DOCS / page).read_text(encoding="utf-8")
    assert text.count(start) == 1
    assert text.count(end) == 1
    shown = text.split(start)[1].split(end)[0].removeprefix("\n")
    assert shown == module.markdown_table(), (
        f"docs/{page}'s table differs from {module.__name__}: run "
        f"`.venv/bin/python -m {module.__name__}` and paste its output between {start} and {end}"
    )


def makefile_help_targets():
    """The targets `make help` lists: its lines "@echo '   make TARGET ...'"."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^\s*@echo '\s+make ([\w-]+)", text, re.MULTILINE))


def makefile_phony_targets():
    """The targets named on the Makefile's .PHONY line."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    (line,) = re.findall(r"^\.PHONY:(.*)$", text, re.MULTILINE)
    return set(line.split())


def documented_targets():
    """The targets in the table under docs/development.md's "## Make targets" heading."""
    text = (DOCS / "development.md").read_text(encoding="utf-8")
    section = text.split("\n## Make targets\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `make ([\w-]+)", section, re.MULTILINE))


def test_every_target_make_help_lists_is_described_in_development_md():
    listed = makefile_help_targets()
    assert "html" in listed  # the help lines were found at all
    missing = sorted(listed - documented_targets())
    assert missing == [], f"make help lists targets docs/development.md leaves out: {missing}"


def test_every_target_development_md_describes_exists_in_the_makefile():
    described = documented_targets()
    assert "html" in described  # the table was found at all
    unknown = sorted(described - makefile_phony_targets())
    assert unknown == [], f"docs/development.md describes targets the Makefile lacks: {unknown}"
