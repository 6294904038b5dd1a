"""README: the published site works in a real browser (Chromium, driven by Playwright): on a
phone and a desktop, light and dark, with nothing loaded from another host, and no axe-core
accessibility violation on any page type. Screenshots land in .pytest_cache/screenshots/
(never in the blog's output/)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import APPROVED_PINGS, NETWORKING_POST, ROOT

# Drives a program outside Python: `make test-fast` leaves this file out.
pytestmark = pytest.mark.outside

SCREENSHOTS = ROOT / ".pytest_cache" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
POST = NETWORKING_POST.removesuffix("index.html")
PAGE_TYPES = {
    "index": "",
    "article": POST,
    "page": "about/",
    "category": "category/uncategorized/",
    "tag": "tag/networking/",
    "author": "author/rlw/",
    "archives": "archives/",
    "categories": "categories/",
    "tags": "tags/",
    "authors": "authors/",
    "subscribe": "subscribe/",
    "404": "404.html",
}


class Visit:
    """One page opened in a fresh browser context, with everything that went wrong recorded."""

    def __init__(self, browser, site, viewport, color_scheme="light"):
        self.site = site
        self.context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
        self.console_errors, self.failed, self.foreign, self.bad_status = [], [], [], []
        self.requests = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on("requestfailed", self._failed)
        self.page.on(
            "response", lambda r: r.status >= 400 and self.bad_status.append(f"{r.status} {r.url}")
        )

    def _failed(self, request):
        # A reader who clicks on before the icon has loaded aborts that request: the browser's
        # doing, not the site's (a missing file is a 404 in bad_status, another host's
        # address is in foreign).
        if request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{request.url} {request.failure}")

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.site.url + "/"):
            self.requests.append(url)
            route.continue_()
        else:  # record and block: the test never reaches any other host
            self.foreign.append(url)
            route.abort()

    def open(self, path):
        self.page.goto(f"{self.site.url}/{path}", wait_until="load")
        return self.page

    def assert_clean(self):
        assert self.console_errors == []
        assert self.failed == []
        assert self.bad_status == []
        assert self.foreign == []

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, published_site):
    opened = []

    def open_visit(viewport=DESKTOP, color_scheme="light"):
        opened.append(Visit(browser, published_site, viewport, color_scheme))
        return opened[-1]

    yield open_visit
    for one in opened:
        one.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes().startswith(b"\x89PNG"), path


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360x740", "1280x800"])
@pytest.mark.parametrize("name", ["index", "article"])
def test_index_and_post_load_with_no_error_and_nothing_from_another_host(visit, viewport, name):
    one = visit(viewport)
    page = one.open(PAGE_TYPES[name])
    screenshot(page, f"{name}-{viewport['width']}x{viewport['height']}")
    one.assert_clean()
    assert any(re.search(r"/theme/css/site\.css\?v=\w+$", url) for url in one.requests)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"], "the page scrolls sideways"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360x740", "1280x800"])
def test_post_shows_myth_truth_pairs_credit_and_trackback_uri(visit, viewport, published_site):
    page = visit(viewport).open(POST)
    myths, truths = page.locator(".post-body dl > dt"), page.locator(".post-body dl > dd")
    assert myths.count() == truths.count() == 4
    for number in range(4):
        assert myths.nth(number).is_visible()
        assert truths.nth(number).is_visible()
        assert myths.nth(number).inner_text().startswith("Myth:")
        assert truths.nth(number).inner_text().startswith("Truth:")
        # Each truth sits right under its myth, the pair's width shared: one card.
        myth_box, truth_box = myths.nth(number).bounding_box(), truths.nth(number).bounding_box()
        assert abs(truth_box["y"] - (myth_box["y"] + myth_box["height"])) < 2
        assert truth_box["width"] == myth_box["width"]
    credit = page.locator("aside.credit")
    assert credit.is_visible()
    assert "Cheri Baker" in credit.inner_text()
    trackback = page.locator(".trackback-uri")
    assert trackback.is_visible()
    assert trackback.inner_text() == (
        f"{published_site.url}/trackback/networking-myth-versus-truth"
    )
    pings = page.locator(".linkbacks .linkback")
    assert [pings.nth(n).get_by_role("link").first.inner_text() for n in range(2)] == [
        title for _, _, title, _ in APPROVED_PINGS
    ]
    assert pings.first.is_visible()


def test_reader_follows_index_to_post_to_its_category(visit, published_site):
    one = visit(PHONE)
    page = one.open("")
    page.get_by_role("link", name="Networking: myth versus truth").click()
    page.wait_for_url(f"{published_site.url}/{POST}")
    assert page.locator("h1").inner_text() == "Networking: myth versus truth"
    page.locator(".post-footer").get_by_role("link", name="Uncategorized").click()
    page.wait_for_url(f"{published_site.url}/category/uncategorized/")
    assert "Uncategorized" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Networking: myth versus truth").is_visible()
    one.assert_clean()


def relative_luminance(rgb):
    """WCAG 2 relative luminance of an sRGB colour given as three 0-255 numbers."""
    channels = []
    for value in rgb:
        c = value / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(first, second):
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def computed_rgb(page, selector, prop):
    value = page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")
    return [int(float(n)) for n in re.findall(r"[\d.]+", value)[:3]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["index", "article"])
def test_text_is_readable_in_light_and_dark_mode(visit, scheme, name):
    one = visit(PHONE, color_scheme=scheme)
    page = one.open(PAGE_TYPES[name])
    screenshot(page, f"{name}-360x740-{scheme}")
    background = computed_rgb(page, "body", "backgroundColor")
    text = computed_rgb(page, "body", "color")
    is_dark = relative_luminance(background) < 0.2
    assert is_dark == (scheme == "dark"), f"{scheme} mode shows background {background}"
    assert contrast_ratio(text, background) >= 4.5
    for selector in (".post-meta", "a"):  # muted text and links, on the page background
        assert contrast_ratio(computed_rgb(page, selector, "color"), background) >= 4.5
    one.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_has_no_accessibility_violation(visit, name, scheme):
    one = visit(DESKTOP, color_scheme=scheme)
    page = one.open(PAGE_TYPES[name])
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    one.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360x740", "1280x800"])
def test_subscribe_page_shows_each_address_with_no_warning_and_no_violation(
    visit, viewport, published_site
):
    one = visit(viewport)
    warnings = []
    one.page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    page = one.open(PAGE_TYPES["subscribe"])
    screenshot(page, f"subscribe-{viewport['width']}x{viewport['height']}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    # The first RSS field is the all-posts feed: its whole address, shown read-only.
    field = page.get_by_label("RSS", exact=True).first
    assert field.input_value() == f"{published_site.url}/feeds/all.rss.xml"
    assert field.is_visible()
    assert not field.is_editable()
    assert field.bounding_box()["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert warnings == []
    one.assert_clean()
