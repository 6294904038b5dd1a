"""README: an article page weighs under 30 KB of HTML plus CSS, runs no JavaScript, loads no
web font and asks no other host for anything."""

from urllib.parse import urljoin, urlsplit

from conftest import NETWORKING_POST

BUDGET = 30_000  # bytes of HTML plus CSS, uncompressed
FONT_SUFFIXES = {".woff", ".woff2", ".ttf", ".otf", ".eot"}


def stylesheets(site, page_path):
    """The output files of the stylesheets a page links."""
    page = site.html(page_path)
    base = f"{site.url}/{page_path}"
    for link in page.select('link[rel~="stylesheet"]'):
        url = urljoin(base, link["href"])
        assert url.startswith(site.url + "/"), f"{page_path} loads {url}"
        yield site.path(urlsplit(url).path.lstrip("/"))


def test_article_html_plus_css_is_under_30_kb(published_site):
    html = published_site.path(NETWORKING_POST).stat().st_size
    css = sum(path.stat().st_size for path in stylesheets(published_site, NETWORKING_POST))
    assert css > 0
    assert html + css < BUDGET, f"article {html} B + CSS {css} B = {html + css} B"


def test_no_page_carries_javascript_or_web_fonts(published_site):
    output = published_site.output
    assert not [p for p in output.rglob("*") if p.suffix in {".js", ".mjs"}]
    assert not [p for p in output.rglob("*") if p.suffix in FONT_SUFFIXES]
    for page_file in published_site.html_files():
        page = published_site.html(page_file.relative_to(output))
        assert not page.find("script", src=True), page_file
        # JSON-LD is data, not a program: any other script element is JavaScript.
        scripts = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
        assert not scripts, page_file
        handlers = [t.name for t in page.find_all(True) if any(a.startswith("on") for a in t.attrs)]
        assert not handlers, page_file
        assert not page.select('link[rel~="preload"][as="font"]'), page_file
    for css in output.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert "@font-face" not in text, css
        assert "@import" not in text, css


def test_article_page_requests_nothing_from_another_host(published_site):
    page = published_site.html(NETWORKING_POST)
    base = f"{published_site.url}/{NETWORKING_POST}"
    loaded = [tag.get("src") for tag in page.find_all(src=True)]
    loaded += [
        link["href"]
        for link in page.find_all("link", href=True)
        if set(link.get("rel", [])) & {"stylesheet", "icon", "preload", "prefetch", "manifest"}
    ]
    for reference in loaded:
        url = urljoin(base, reference)
        assert url.startswith((published_site.url + "/", "data:")), url
