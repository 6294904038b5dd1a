"""One Markdown parser for every post of a build, instead of one each.

Pelican's MarkdownReader makes a new `markdown.Markdown` for every file it reads: loading
the extensions and building the parser is a fifth of the time it takes to read a post of
a thousand words. Markdown's own way to convert many documents with one instance is
`reset()` between them (every extension that keeps state between documents, such as
footnotes, abbreviations and the table of contents, clears it there), so the reader keeps
one per build and resets it before each post.

One detail of Pelican's reader is kept: it takes the `meta` preprocessor out while it
converts formatted fields (a Summary that starts with "Word: " is not front matter), which
on a new instance each time never needed putting back; here it is put back, at its place.

The parser also finds links and code spans faster, with the same patterns written so that
Python's regular expression engine can skip ahead (FASTER_INLINE_PATTERNS).
"""

import re

from markdown import Markdown
from pelican.readers import MarkdownReader, pelican_open

from .pelican_internals import registered_priority

META = "meta"

# Markdown's own inline patterns, each with the same pattern written to start with what
# every match starts with. Markdown's start with a lookbehind ("a [ not after a !", "a
# backtick not after a backslash"), which keeps Python's `re` from skipping ahead to the
# next candidate character: it tries the lookbehind at every character of every paragraph,
# once per pattern. Written this way, the link patterns begin with their literal `[` (the
# lookbehind moved after it, looking back over both characters) and the code span pattern
# with a lookahead for the two characters it can start with. They match the same text at
# the same places, with the same groups (tests/test_fast_builds_give_pelicans_answers.py),
# and the build's Markdown takes a quarter less time. Keyed by Markdown's own pattern: one
# that a Markdown release changes is left as it is (and that test says so).
FASTER_INLINE_PATTERNS = {
    # markdown.inlinepatterns.NOIMG + r"\[": the link, reference and short reference
    r"(?<!\!)\[": r"\[(?<!!\[)",
    # markdown.inlinepatterns.BACKTICK_RE
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": r"(?=[\\`])(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)",
}


def find_inline_patterns_faster(parser):
    """Give the parser's inline processors the faster spellings of their patterns."""
    for processor in parser.inlinePatterns:
        compiled = getattr(processor, "compiled_re", None)
        faster = FASTER_INLINE_PATTERNS.get(compiled.pattern) if compiled else None
        if faster is not None:
            processor.compiled_re = re.compile(faster, compiled.flags)


class ReusedMarkdown(MarkdownReader):
    """Pelican's MarkdownReader, with one Markdown instance reset for every file."""

    def read(self, source_path):
        parser = self.__dict__.get("_reblog_markdown")
        if parser is None:
            parser = self._reblog_markdown = Markdown(**self.settings["MARKDOWN"])
            find_inline_patterns_faster(parser)
            self._reblog_meta = (
                parser.preprocessors[META],
                registered_priority(parser.preprocessors, META),
            )
        elif META not in parser.preprocessors:
            preprocessor, priority = self._reblog_meta
            parser.preprocessors.register(preprocessor, META, priority)
        parser.reset()
        # What Pelican's MarkdownReader.read does, with the kept instance.
        self._source_path = source_path
        self._md = parser
        with pelican_open(source_path) as text:
            content = parser.convert(text)
        metadata = self._parse_metadata(parser.Meta) if hasattr(parser, "Meta") else {}
        return content, metadata


def reuse_markdown(readers):
    """readers_init: the Markdown reader keeps one parser for the build.

    ReusedMarkdown goes right above MarkdownReader, under every mixin other plugins gave
    the reader class (their `read` still runs first), whichever plugin came first."""
    for extension, reader_class in readers.reader_classes.items():
        if (
            reader_class
            and issubclass(reader_class, MarkdownReader)
            and not issubclass(reader_class, ReusedMarkdown)
        ):
            readers.reader_classes[extension] = type(
                reader_class.__name__, (reader_class, ReusedMarkdown), {}
            )
