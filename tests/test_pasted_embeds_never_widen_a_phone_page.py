"""docs/writing.md, "Pasted HTML and tables": HTML pasted from WordPress into a post (a
560 px video player, a 610 px caption box, a 4000 px image, a wide table, a long address)
stays inside the column on a 360 px phone, by the theme's stylesheet alone: the author's
markup is served as written."""

import pytest
from conftest import build_into, serve_folder

# Drives a program outside Python: `make test-fast` leaves this file out.
pytestmark = pytest.mark.outside

PHONE = {"width": 360, "height": 740}
POST = "2009/03/pasted-from-wordpress/"


@pytest.fixture(scope="module")
def pasted_site(tmp_path_factory):
    """The `pasted` fixture site, built through Pelican and served on 127.0.0.1."""
    site = build_into(tmp_path_factory.mktemp("pasted"), fixture="pasted")
    with serve_folder(site.output) as url:
        site.url = url
        yield site


@pytest.fixture
def phone(browser, pasted_site):
    """open(path) -> (page, response): a page of the pasted site on a 360 px phone. The
    players' own hosts are never asked: an embed keeps the size its markup gives it."""
    context = browser.new_context(viewport=PHONE)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(pasted_site.url + "/")
            else route.abort()
        ),
    )
    page = context.new_page()

    def open_page(path):
        response = page.goto(f"{pasted_site.url}/{path}", wait_until="load")
        return page, response

    yield open_page
    context.close()


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("path", [POST, ""], ids=["post", "index"])
def test_a_phone_page_never_scrolls_sideways(phone, path):
    page, _ = phone(path)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"/{path} is {scroll_width} px wide"


def test_the_authors_markup_is_served_as_written(phone):
    _, response = phone(POST)
    html = response.text()
    assert 'style="width: 610px"' in html
    assert 'width="560" height="315"' in html
    assert 'width="4000" height="10"' in html


def test_each_pasted_block_fits_the_column(phone):
    page, _ = phone(POST)
    column = box(page, ".post-body")
    for selector in ("iframe", "#attachment_42", "#attachment_42 img", "video", "table", "pre"):
        found = box(page, f".post-body {selector}")
        assert found["x"] >= column["x"] - 0.5, selector
        assert found["x"] + found["width"] <= column["x"] + column["width"] + 0.5, selector


def test_players_shrink_with_their_shape(phone):
    page, _ = phone(POST)
    players = page.locator(".post-body iframe[width='560']")
    assert players.count() == 2  # the classic editor's, in a paragraph, and the block editor's
    for number in range(players.count()):
        player = players.nth(number).bounding_box()
        assert player["width"] < 560
        assert player["height"] / player["width"] == pytest.approx(315 / 560, abs=0.01)
    video = box(page, ".post-body video")
    assert video["width"] < 640
    assert video["height"] / video["width"] == pytest.approx(360 / 640, abs=0.01)
    # A player whose width is already the column's keeps the height it was given.
    assert box(page, ".post-body iframe[width='100%']")["height"] == pytest.approx(166, abs=1)


def test_a_wide_table_scrolls_inside_its_own_box_and_has_visible_cells(phone):
    page, _ = phone(POST)
    table = page.locator(".post-body table")
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # wider than its box
    assert table.evaluate("t => getComputedStyle(t).overflowX") in {"auto", "scroll"}
    cell = page.locator(".post-body td").first
    style = cell.evaluate(
        "c => { const s = getComputedStyle(c);"
        " return [s.paddingLeft, s.paddingTop, s.borderBottomWidth, s.borderBottomStyle]; }"
    )
    padding_left, padding_top, border_width, border_style = style
    assert float(padding_left.removesuffix("px")) >= 4
    assert float(padding_top.removesuffix("px")) >= 2
    assert float(border_width.removesuffix("px")) >= 1
    assert border_style != "none"


def test_preformatted_text_scrolls_inside_itself(phone):
    page, _ = phone(POST)
    pre = page.locator(".post-body pre")
    assert pre.evaluate("p => p.scrollWidth > p.clientWidth")  # the line is longer than the box
    assert pre.evaluate("p => getComputedStyle(p).overflowX") in {"auto", "scroll"}
