"""docs/writing.md "Images": an image of the site, linked as `{static}/images/x.png` or
`/images/x.png`, gets its width and height from the file and loads lazily, on the page, in
the listings and in the feeds; what the author wrote stays; a file that is no image stops
the build naming the post and the file.

The fixture site is tests/sites/images/ (its images/README.md says what each file is).
"""

import logging
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_SETTINGS, ROOT, SITES, build_into
from feedtools import NS, tree

from reblog import images

POST = "2021/03/a-post-with-pictures/index.html"
WIDE = ("640", "480")  # images/wide.png
SITEURL = "https://blog.example.org"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_into(tmp_path_factory.mktemp("images"), fixture="images")


def image(page, alt):
    found = page.find_all("img", alt=alt)
    assert len(found) == 1, alt
    return found[0]


def size(img):
    return img.get("width"), img.get("height")


def test_a_static_image_in_a_post_without_summary_is_linked_everywhere(build_site, caplog):
    # The post's summary is its first paragraph, which shows the image: rendered before
    # Pelican knew the static files, it would keep "{static}" and log "Unable to find".
    with caplog.at_level(logging.WARNING):
        built = build_site(fixture="images")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    for relative in (POST, "index.html"):
        assert image(built.html(relative), "A wide chart")["src"] == "/images/wide.png"
    assert "{static}" not in built.text("feeds/all.rss.xml")
    assert "{static}" not in built.text("feeds/all.atom.xml")


def test_each_way_of_linking_a_site_image_gets_its_size(site):
    post = site.html(POST)
    for alt in ("A wide chart", "The chart by address", "The chart by relative path"):
        assert image(post, alt)["src"] == "/images/wide.png", alt
        assert size(image(post, alt)) == WIDE, alt
    # Stored 300 × 200 on its side (EXIF orientation 6): browsers show it 200 × 300.
    assert size(image(post, "An upright photo")) == ("200", "300")
    assert size(image(site.html("about/index.html"), "A chart on a page")) == WIDE
    assert size(image(site.html("index.html"), "A wide chart")) == WIDE  # the summary


def test_the_sites_absolute_address_counts_as_its_own(build_site):
    built = build_site(fixture="images", settings={"SITEURL": SITEURL})
    post = built.html(POST)
    assert size(image(post, "The chart by absolute address")) == WIDE
    assert image(post, "A wide chart")["src"] == f"{SITEURL}/images/wide.png"
    assert size(image(post, "A wide chart")) == WIDE


def test_every_image_loads_lazily_unless_the_author_said_otherwise(site):
    post = site.html(POST)
    shown = post.select("main img")
    assert len(shown) == 12
    for img in shown:
        assert img["loading"] == ("eager" if img["alt"] == "Loaded at once" else "lazy")
    assert size(image(post, "Loaded at once")) == WIDE


def test_what_the_author_wrote_stays(site):
    post = site.html(POST)
    sized = image(post, "Sized by the author")
    assert sized.attrs == {
        "src": "/images/wide.png",
        "alt": "Sized by the author",
        "width": "320",
        "height": "100",
        "class": ["figure"],
        "style": "border: 1px solid",
        "loading": "lazy",
    }
    # One size given: the other follows the image's proportions (640 × 480).
    assert size(image(post, "Width only")) == ("320", "240")
    assert size(image(post, "Height only")) == ("64", "48")
    # A size in another unit than pixels is the author's to keep as it is.
    assert size(image(post, "Width in percent")) == ("50%", None)
    # Inside a comment or a code block, an <img> is no image.
    assert '<img src="/images/wide.png" alt="Commented out">' in site.text(POST)
    assert '&lt;img src="/images/wide.png" alt="Shown as code"&gt;' in site.text(POST)


def test_other_hosts_missing_files_and_vector_images_get_no_size(site):
    post = site.html(POST)
    remote = image(post, "Another host's image")
    assert remote.attrs == {
        "src": "https://images.example.com/remote.png",
        "alt": "Another host's image",
        "title": "Remote",
        "loading": "lazy",
    }
    # While writing SITEURL is empty: the blog's live address is another host's.
    assert size(image(post, "The chart by absolute address")) == (None, None)
    assert size(image(post, "A diagram")) == (None, None)


def test_a_missing_image_gets_no_size_and_is_reported(build_site, caplog):
    missing = "Title: Missing\nDate: 2021-04-02\n\n![A missing image](/images/not-there.png)\n"
    built = build_site(fixture="images", posts={"missing.md": missing})
    page = built.html("2021/04/missing/index.html")
    assert size(image(page, "A missing image")) == (None, None)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    problem = "links to /images/not-there.png, but the built site has no /images/not-there.png"
    assert errors == [f"posts/missing.md: {problem}"]


def test_the_feeds_carry_the_sizes(site):
    (item,) = tree(site, "feeds/all.rss.xml").findall("channel/item")
    content = BeautifulSoup(item.findtext("content:encoded", namespaces=NS), "html.parser")
    summary = BeautifulSoup(item.findtext("description"), "html.parser")
    for html in (content, summary):
        chart = image(html, "A wide chart")
        assert chart["src"] == "http://localhost:8000/images/wide.png"
        # Scaled to FEED_IMAGE_MAX_WIDTH (600) in proportion; small readers need no `loading`.
        assert (*size(chart), chart.get("loading")) == ("600", "450", None)
    assert size(image(content, "An upright photo")) == ("200", "300")
    atom = tree(site, "feeds/all.atom.xml").find("atom:entry/atom:content", NS).text
    assert size(image(BeautifulSoup(atom, "html.parser"), "Width only")) == ("320", "240")


def test_the_images_folder_publishes_only_images(site):
    published = sorted(path.name for path in site.path("images").iterdir())
    assert published == ["diagram.svg", "portrait.jpg", "wide.png"]


def test_each_image_is_read_once_per_build(build_site, monkeypatch):
    reads = []

    def counted(path):
        reads.append(path)
        return read_size(path)

    read_size = images.read_size
    monkeypatch.setattr(images, "read_size", counted)
    again = "Title: Again\nDate: 2021-04-01\n\n![Once more](/images/wide.png)\n"
    build_site(fixture="images", posts={"again.md": again})
    assert sorted(path.rsplit("/", 1)[1] for path in reads) == ["portrait.jpg", "wide.png"]


BROKEN = "Title: A broken picture\nDate: 2021-05-01\n\n![Broken]({static}/images/broken.png)\n"
NO_IMAGE = b"not a picture, though named like one"


def test_an_unreadable_image_is_an_error_naming_post_and_file(build_site, caplog):
    # Pelican alone (make devserver) goes on: the post is published, the image unsized.
    files = {"images/broken.png": NO_IMAGE}
    built = build_site(fixture="images", posts={"broken.md": BROKEN}, files=files)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].startswith("posts/broken.md: image images/broken.png cannot be read: ")
    broken = image(built.html("2021/05/a-broken-picture/index.html"), "Broken")
    assert size(broken) == (None, None)


def test_an_unreadable_image_stops_make_html(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITES / "images" / "content", content)
    (content / "images" / "broken.png").write_bytes(NO_IMAGE)
    (content / "posts" / "broken.md").write_text(BROKEN, encoding="utf-8")
    folders = [f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'output'}"]
    result = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "html", *folders, *FIXTURE_SETTINGS],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "posts/broken.md: image images/broken.png cannot be read" in log
    assert not (tmp_path / "output").exists()
