"""README: everything a repost quotes is shown as the original's words: whatever characters the
original's text holds, the excerpt the command writes renders, through the site's own Markdown
settings, to plain quoted text, never to markup of the original's making."""

import html
from datetime import datetime

import markdown
from bs4 import BeautifulSoup
from conftest import SITES
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.settings import read_settings

from reblog.repost.draft import render
from reblog.repost.excerpt import excerpt
from reblog.repost.extract import Found

# What Markdown makes of the excerpt's own syntax; anything else came from the original's text.
ALLOWED = {"blockquote", "p", "h2", "ul", "ol", "li", "dl", "dt", "dd", "code", "em", "strong"}
ALLOWED |= {"a", "br"}
# Letters, every character Markdown reads as syntax, and strings that look like HTML.
SYNTAX = [*"ab <>&*_[]()#`\\-+:!{}|~=.1/\"'\t\n", "&lt;", "&amp;", "-->", "<!--"]
text = st.lists(st.sampled_from(SYNTAX), min_size=1, max_size=30).map("".join)
WRAPPERS = {
    "p": "<p>{}</p>",
    "h2": "<h2>{}</h2>",
    "li": "<ul><li>{}</li></ul>",
    "ol": "<ol><li>{}</li></ol>",
    "pre": "<pre>{}</pre>",
    "code": "<p>a <code>{}</code> b</p>",
    "quote": "<blockquote><p>{}</p></blockquote>",
    "link": '<p><a href="/x">{}</a></p>',
    "em": "<p><em>{}</em> and <strong>{}</strong></p>",
    "dl": "<dl><dt>{}</dt><dd>{}</dd></dl>",
}
blocks = st.lists(st.tuples(st.sampled_from(sorted(WRAPPERS)), text), min_size=1, max_size=6)


def site_markdown():
    config = read_settings(str(SITES / "pelicanconf.py"))["MARKDOWN"]
    return markdown.Markdown(
        extensions=list(config["extension_configs"]),
        extension_configs=config["extension_configs"],
        output_format=config["output_format"],
    )


MARKDOWN = site_markdown()


@settings(max_examples=300, deadline=None)
@given(blocks)
def test_any_text_in_the_original_renders_as_text(parts):
    page = "".join(WRAPPERS[kind].replace("{}", html.escape(words)) for kind, words in parts)
    body = BeautifulSoup(f"<body>{page}</body>", "html.parser").body
    quote, _ = excerpt(body, base="https://blog.example/post/", words=10_000)
    found = Found(url="https://blog.example/post/", site="Blog")
    date = datetime(2026, 11, 26)
    draft = render(found, quote, title="T", date=date, author="A", category="C", slug="t")
    body_text = draft.split("\n\n", 1)[1]  # the post's body, after its front matter
    rendered = BeautifulSoup(MARKDOWN.reset().convert(body_text), "html.parser")
    for element in rendered.find_all(True):
        assert element.name in ALLOWED, (page, draft)
        assert set(element.attrs) <= ({"href"} if element.name == "a" else set()), (page, draft)
        if element.name == "a":
            assert element["href"].startswith("https://blog.example/"), (page, draft)
    assert "<!--" not in str(rendered.find("blockquote") or ""), (page, draft)


@settings(max_examples=300, deadline=None)
@given(st.lists(text, min_size=1, max_size=4))
def test_the_original_s_words_survive_as_written(paragraphs):
    """Markdown syntax characters in the original come out as the same characters. (Smarty's
    curly quotes are typography, not loss: this renders without it.)"""
    plain = markdown.Markdown(extensions=["markdown.extensions.extra"], output_format="html5")
    page = "".join(f"<p>{html.escape(words)}</p>" for words in paragraphs)
    body = BeautifulSoup(f"<body>{page}</body>", "html.parser").body
    quote, _ = excerpt(body, base="https://blog.example/post/", words=10_000)
    shown = BeautifulSoup(plain.convert(quote), "html.parser").get_text(" ")
    for words in paragraphs:
        assert " ".join(words.split()) in " ".join(shown.split()), (words, quote)
