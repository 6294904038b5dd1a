"""The built site as a set of files addressed by URL: which file a link points at, and
whether it (and its #fragment) exists. Used by the build's link check of every post and by
`make check`'s check of every file."""

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

# Links that name no file: left alone.
SKIPPED_SCHEMES = {"mailto", "tel", "data", "javascript", "urn", "tag"}


class Site:
    """The built output folder, addressed by the URLs the published site will have."""

    def __init__(self, output, siteurl, endpoints=()):
        self.output = Path(output)
        # Addresses a program answers, not a file: the linkback receiver's.
        self.endpoints = tuple(endpoints)
        self.siteurl = siteurl.rstrip("/")
        parts = urlsplit(self.siteurl)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path.rstrip("/") + "/"
        self._ids = {}

    def url_of(self, path):
        """The public URL of an output file (directory index pages end in /)."""
        relative = path.relative_to(self.output).as_posix()
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        return self.siteurl + "/" + relative

    def file_for(self, url):
        """The output file an absolute URL on this site is served from, or None if outside."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None
        path = unquote(parts.path) or "/"
        if not (path + "/").startswith(self.base_path) and path != self.base_path.rstrip("/"):
            return None
        relative = path[len(self.base_path) :] if path.startswith(self.base_path) else ""
        target = self.output / relative
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target

    def ids(self, page):
        """Every id (and a[name]) on an HTML page, read once."""
        if page not in self._ids:
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            self._ids[page] = {t["id"] for t in soup.find_all(id=True)} | {
                t["name"] for t in soup.find_all("a", attrs={"name": True})
            }
        return self._ids[page]


def missing_target(site, base_url, reference):
    """What is wrong with `reference` (made absolute against base_url) when it points at a
    file or #fragment of this site that does not exist; None when it is fine or elsewhere."""
    reference = reference.strip()
    scheme = urlsplit(reference).scheme.lower()
    if scheme in SKIPPED_SCHEMES:
        return None
    url = urljoin(base_url, reference)
    target = site.file_for(url)
    if target is None or url.startswith(site.endpoints):
        return None
    if not target.is_file():
        return f"links to {reference}, but the built site has no {urlsplit(url).path}"
    fragment = unquote(urlsplit(url).fragment)
    if fragment and target.suffix == ".html" and fragment not in site.ids(target):
        return f"links to {reference}, but that page has no id {fragment!r}"
    return None
