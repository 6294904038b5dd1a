"""The build's Markdown reader (reblog.reading: one parser for every post, with faster
spellings of Markdown's link and code span patterns) gives what Pelican's own reader gives,
post after post."""

import itertools
import re

import markdown
import pytest
from conftest import SITES
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from reblog.reading import FASTER_INLINE_PATTERNS, ReusedMarkdown

# Markdown's inline patterns are compiled with these flags (markdown.inlinepatterns).
FLAGS = re.DOTALL | re.UNICODE
# What the patterns look at: backslashes, backticks, brackets, the image's `!`, and text.
ALPHABET = "\\`[!a"


def matches(pattern, text, start):
    """Every match InlineProcessor can find from `start`: where, and what each group holds."""
    return [(found.span(), found.groups()) for found in pattern.finditer(text, start)]


@pytest.mark.parametrize("markdowns", FASTER_INLINE_PATTERNS)
def test_each_faster_pattern_matches_what_markdowns_own_matches(markdowns):
    own, faster = re.compile(markdowns, FLAGS), re.compile(FASTER_INLINE_PATTERNS[markdowns], FLAGS)
    # Every text of up to 7 of these characters, searched from every place in it.
    for length in range(8):
        for letters in itertools.product(ALPHABET, repeat=length):
            text = "".join(letters)
            for start in range(length + 1):
                assert matches(faster, text, start) == matches(own, text, start), (text, start)


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from([*ALPHABET, "]", "(", ")", " ", "\n", "é"]), max_size=60),
    start=st.integers(min_value=0, max_value=60),
)
def test_faster_patterns_agree_on_longer_texts(text, start):
    for markdowns, spelled_faster in FASTER_INLINE_PATTERNS.items():
        own, faster = re.compile(markdowns, FLAGS), re.compile(spelled_faster, FLAGS)
        assert matches(faster, text, start) == matches(own, text, start)


def test_every_faster_pattern_is_one_the_installed_markdown_uses():
    """A Markdown release that changes a pattern leaves it as Markdown has it; this says so,
    so that its faster spelling is written (and checked) again."""
    parser = markdown.Markdown(extensions=["markdown.extensions.extra"])
    used = {getattr(processor, "compiled_re", None) for processor in parser.inlinePatterns}
    assert set(FASTER_INLINE_PATTERNS) <= {compiled.pattern for compiled in used if compiled}


POSTS = {
    "code.md": (
        "Title: Code\n\n"
        "Use `make html`, or ``a `tick` inside``, not \\`escaped\\` ones; "
        "\\\\`after two backslashes`, \\\\\\`after three`.\n\n"
        "```\nfenced `code` [not a link](x)\n```\n"
    ),
    "links.md": (
        "Title: Links\n"
        "Summary: A [summary link](https://example.org/s) and `code`.\n\n"
        'An [inline link](https://example.org/a "title"), a [reference][ref], a [short] one,'
        " ![an image](/images/a.png), ![a reference image][img], !\\[not an image], "
        "[nested [brackets]](https://example.org/n) and <https://example.org/auto>.\n\n"
        "[ref]: https://example.org/r\n[short]: https://example.org/short\n"
        "[img]: /images/b.png\n"
    ),
    "extras.md": (
        "Title: Extras\n\n"
        "A footnote[^1], an HTML abbreviation, and a term.\n\n"
        "*[HTML]: Hyper Text Markup Language\n\n"
        "Term\n:   Its definition, with a [link](https://example.org/d).\n\n"
        "| a | `b` |\n|---|---|\n| [c](https://example.org/c) | d |\n\n"
        "[^1]: The note, with `code`.\n"
    ),
}


def test_posts_read_as_pelicans_own_reader_reads_them(tmp_path):
    settings = read_settings(str(SITES / "pelicanconf.py"))
    reused = ReusedMarkdown(settings)
    # Twice over, in turn: the parser is reused across posts and across a build's files.
    for name, text in [*POSTS.items(), *POSTS.items()]:
        source = tmp_path / name
        source.write_text(text, encoding="utf-8")
        assert reused.read(str(source)) == MarkdownReader(settings).read(str(source)), name
    faster = set(FASTER_INLINE_PATTERNS.values())
    assert {p.compiled_re.pattern for p in reused._reblog_markdown.inlinePatterns} >= faster
