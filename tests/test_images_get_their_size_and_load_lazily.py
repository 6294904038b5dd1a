"""docs/writing.md "Images": an image of the site, linked as `{static}/images/x.png` or
`/images/x.png`, gets its width and height from the file and loads lazily, on the page, in
the listings and in the feeds; what the author wrote stays; a file that is no image stops
the build naming the post and the file.

The fixture site is tests/sites/images/ (its images/README.md says what each file is).
"""

import logging

POST = "2021/03/a-post-with-pictures/index.html"


def image(page, alt):
    found = page.find_all("img", alt=alt)
    assert len(found) == 1, alt
    return found[0]


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
