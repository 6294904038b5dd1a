"""docs/feeds.md "What readers get": each feed item, rendered as text 40 columns wide by
w3m (as terminal and small readers do), keeps every word, image text, link and credit,
shows no raw markup, and puts each caption on a line of its own."""

import re
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from conftest import NETWORKING_CONTENT, build_into
from feedtools import json_feed

# Drives a program outside Python: `make test-fast` leaves this file out.
pytestmark = pytest.mark.outside

MYTHS = NETWORKING_CONTENT / "posts" / "2007" / "networking-myth-versus-truth.md"
LINK_NUMBER = re.compile(r"\[\d+\]")
MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|&[a-zA-Z]+;|&#\d+;")
CAPTIONS = ["The harbour at Fairhaven, at dawn.", "The lighthouse, from the pier."]


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    posts = {"2007/networking-myth-versus-truth.md": MYTHS.read_text(encoding="utf-8")}
    site = build_into(tmp_path_factory.mktemp("w3m"), posts, fixture="smallreader")
    return {item["title"]: item for item in json_feed(site, "feeds/all.json")["items"]}


def w3m(html):
    """The page w3m shows for `html` at 40 columns, link addresses listed at the end."""
    program = shutil.which("w3m")
    if program is None:
        pytest.fail("w3m is missing: `make test` installs it, or apt-get install w3m")
    result = subprocess.run(
        [program, "-dump", "-T", "text/html", "-cols", "40", "-o", "display_link_number=1"],
        input=html,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent"},
    )
    return result.stdout


def words(text):
    return " ".join(LINK_NUMBER.sub("", text).split())


def squeezed(text):
    """The characters shown, without spaces: w3m also breaks lines after "/" and "-"."""
    return re.sub(r"\s+", "", LINK_NUMBER.sub("", text))


@pytest.mark.parametrize("title", ["Pasted from everywhere", "Networking: myth versus truth"])
def test_every_item_reads_whole_as_text(items, title):
    html = items[title]["content_html"]
    shown = w3m(html)
    page, _, references = shown.partition("References:")
    soup = BeautifulSoup(html, "html.parser")
    assert not MARKUP.search(page), page
    for paragraph in soup.find_all(["p", "li", "td", "th", "h2", "h3", "h4"]):
        assert squeezed(paragraph.get_text()) in squeezed(page), paragraph
    for image in soup.find_all("img"):
        assert image["alt"] in page
    for link in soup.find_all("a"):
        assert link["href"] in references.replace("\n", "")
    assert all(line.startswith("[") or not line for line in references.strip().splitlines())


def test_captions_and_labels_stand_on_lines_of_their_own(items):
    lines = [
        words(line) for line in w3m(items["Pasted from everywhere"]["content_html"]).split("\n")
    ]
    for caption in CAPTIONS:
        assert caption in lines
    assert "The harbour at dawn" in lines  # the image's text, apart from its caption
    myths = w3m(items["Networking: myth versus truth"]["content_html"]).split("\n\n")
    pairs = [words(block) for block in myths if words(block).startswith(("Myth:", "Truth:"))]
    assert [pair.split(":")[0] for pair in pairs] == ["Myth", "Truth"] * 4
    assert any(words(block).startswith("Originally published by Cheri Baker") for block in myths)
