"""docs/writing.md, "Reposts": a draft may leave its credit fields empty while it is being
written; the site still builds, with a warning, and writes no page of that draft (not even
its preview) until the credit is filled in. Published, the same post stops the build."""

import logging

import pytest

UNCREDITED = """Title: Half a repost
Date: 2021-07-01
Slug: half-a-repost
Status: draft
Original_author:
Original_title:
Original_url:
Original_site:
Original_site_url:

> Somebody else's words.
"""
CREDITED = (
    UNCREDITED.replace("Original_author:", "Original_author: Mara Lindqvist")
    .replace("Original_site:", "Original_site: Slow Reading")
    .replace("Original_site_url:", "Original_site_url: https://slow.example/")
)


def messages(caplog, level):
    return [record.getMessage() for record in caplog.records if record.levelno == level]


def test_an_uncredited_draft_is_warned_about_and_never_written(build_site, caplog):
    with caplog.at_level(logging.WARNING):
        site = build_site(posts={"2021/half.md": UNCREDITED})
    assert messages(caplog, logging.ERROR) == []
    (warning,) = [line for line in messages(caplog, logging.WARNING) if "half.md" in line]
    assert "original_author: missing" in warning
    assert "left out of the site until its credit is filled in" in warning
    assert site.path("index.html").is_file()  # the rest of the site was built
    assert not site.path("drafts").exists()
    assert "Somebody else" not in "".join(p.read_text() for p in site.html_files())


def test_a_credited_draft_gets_its_preview(build_site):
    site = build_site(posts={"2021/half.md": CREDITED})
    assert "Originally published by" in site.text("drafts/half-a-repost.html")


@pytest.mark.parametrize("status", ["Status: published", "Status: hidden"])
def test_the_same_post_published_stops_the_build(build_site, caplog, status):
    with caplog.at_level(logging.ERROR):
        build_site(posts={"2021/half.md": UNCREDITED.replace("Status: draft", status)})
    assert any("original_author: missing" in line for line in messages(caplog, logging.ERROR))


def test_a_draft_with_an_unsafe_address_still_stops_the_build(build_site, caplog):
    unsafe = CREDITED.replace("Original_url:", "Original_url: javascript:alert(1)")
    with caplog.at_level(logging.ERROR):
        build_site(posts={"2021/half.md": unsafe})
    assert any("javascript:alert(1)" in line for line in messages(caplog, logging.ERROR))
