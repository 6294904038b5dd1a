"""What the engine does faster than Pelican gives Pelican's own answers: the build's
Markdown reader (reblog.reading: one parser for every post, with faster spellings of
Markdown's link and code span patterns), post after post; translations found slug by
slug, files of a disabled reader looked for only when one is, the files IGNORE_FILES leaves
out, and the path a writer files an output under (reblog.pelican_internals)."""

import itertools
import logging
import random
import re

import markdown
import pytest
from conftest import SITES, build_into
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.contents import Article
from pelican.readers import MarkdownReader, RstReader
from pelican.settings import read_settings
from pelican.utils import sanitised_join

from reblog.pelican_internals import (
    _include_path_at_once,
    _pelicans_include_path,
    _pelicans_process_translations,
    _translations_group_by_group,
    forget_logged_warnings,
    output_path_of,
)
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


def posts_in_languages(settings):
    """Posts in English and French, some translated, one with two originals, one whose every
    version says it is a translation (Pelican warns of both), in no particular order."""
    versions = [
        ("welcome", "en", None),
        ("welcome", "fr", None),
        ("networking", "fr", "true"),
        ("networking", "en", None),
        ("twice", "en", None),
        ("twice", "en", None),
        ("only-translations", "fr", "true"),
        ("only-translations", "de", "true"),
        ("alone", "en", None),
        ("seul", "fr", None),
        ("alone-but-a-translation", "de", "true"),
        ("alone-and-said-so", "en", "False"),
    ]
    posts = []
    for number, (slug, lang, translation) in enumerate(versions):
        metadata = {"title": f"{slug} {lang}", "slug": slug, "lang": lang}
        if translation:
            metadata["translation"] = translation
        posts.append(
            Article(
                "<p>text</p>", metadata=metadata, settings=settings, source_path=f"/p{number}.md"
            )
        )
    random.Random(2007).shuffle(posts)
    return posts


@pytest.mark.parametrize("translation_id", ["slug", ("slug", "lang"), None])
def test_translations_are_found_as_pelican_finds_them(translation_id, caplog):
    settings = read_settings(str(SITES / "pelicanconf.py"))
    answers, said = [], []
    for process_translations in (_pelicans_process_translations, _translations_group_by_group):
        posts = posts_in_languages(settings)
        caplog.clear()
        forget_logged_warnings()  # Pelican tells a warning once a process
        with caplog.at_level(logging.WARNING):
            originals, translations = process_translations(posts, translation_id)
        answers.append(
            (
                [post.source_path for post in posts],  # both sort the list they are given
                [post.source_path for post in originals],
                [post.source_path for post in translations],
                [[t.source_path for t in getattr(post, "translations", [])] for post in posts],
            )
        )
        said.append([record.getMessage() for record in caplog.records])
    assert answers[0] == answers[1]
    assert said[0] == said[1]
    if translation_id == "slug":
        assert answers[0][2], "the fixture has translations"
        assert said[0], "and two things to warn of"


def test_a_file_only_a_disabled_reader_could_read_is_still_named(tmp_path, caplog):
    """Pelican warns of a file whose reader is disabled (its library missing); the build looks
    for such files only when a reader is disabled, and then finds them as Pelican does."""
    files = {"posts/notes.rst": b"Notes\n=====\n\n:date: 2026-01-01\n\nA note.\n"}
    said = []
    for disabled in (False, True):
        forget_logged_warnings()
        caplog.clear()
        with pytest.MonkeyPatch.context() as patch, caplog.at_level(logging.WARNING):
            if disabled:
                patch.setattr(RstReader, "enabled", False)
                patch.setattr(RstReader, "disabled_message", lambda self: "docutils is missing")
            build_into(tmp_path, files=files, name=f"disabled-{disabled}")
        said.append([r.getMessage() for r in caplog.records if "docutils" in r.getMessage()])
    assert said[0] == []
    assert said[1] == ["posts/notes.rst: docutils is missing"]


def pelicans_or_refusal(join, folder, name):
    try:
        return join(folder, name)
    except RuntimeError:  # Pelican refuses a path out of the output folder
        return "refused"


@settings(max_examples=2000, deadline=None)
@given(
    folder=st.sampled_from(["/tmp/output", "/tmp/output/", "output", "./a/../output", "/"]),
    name=st.lists(st.sampled_from(["", ".", "..", "a", "index.html", "...", "é"]), max_size=5).map(
        "/".join
    ),
)
def test_a_pages_output_path_is_pelicans(folder, name):
    assert pelicans_or_refusal(output_path_of, folder, name) == pelicans_or_refusal(
        sanitised_join, folder, name
    )


class GeneratorOf:
    """What Pelican's Generator._include_path reads of a generator."""

    def __init__(self, ignores):
        self.settings = {"IGNORE_FILES": ignores}
        self.readers = type("Readers", (), {"extensions": ["md", "html", "rst"]})()


NAME_PIECES = ["", ".", "..", "/", "a", "README", ".md", ".html", "#", "~", "[x]", "*", "é"]


@settings(max_examples=3000, deadline=None)
@given(
    ignores=st.lists(st.sampled_from(["**/.*", ".*", "README.md", "*~", "[!a]*", "*.h?ml", "#*#"])),
    path=st.lists(st.sampled_from(NAME_PIECES), max_size=6).map("".join),
    extensions=st.sampled_from([None, False, ("md",)]),
)
def test_the_files_ignore_files_leaves_out_are_pelicans(ignores, path, extensions):
    generator = GeneratorOf(ignores)
    assert _include_path_at_once(generator, path, extensions) == _pelicans_include_path(
        generator, path, extensions
    )


def test_a_relative_output_folder_follows_the_working_folder(tmp_path, monkeypatch):
    """Two builds in one process, from two working folders, with a relative OUTPUT_PATH."""
    for place in ("one", "two"):
        (tmp_path / place).mkdir()
        monkeypatch.chdir(tmp_path / place)
        assert output_path_of("output", "index.html") == sanitised_join("output", "index.html")
