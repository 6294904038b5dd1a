"""Images in posts and pages: each gets its width and height, and loads lazily.

A browser that knows an image's size before downloading it keeps the space for it, so the
text does not jump as images arrive; `loading="lazy"` leaves images far down a post for
when the reader scrolls there. The sizes are read with Pillow from the site's own image
files, once per build, and written into the post's HTML, so the page, the listings and
every feed carry them.

- An image of the site is one the post links with `{static}` (or `{attach}`), with a
  root-relative address (`/images/x.png`), with a relative one, or with the absolute
  address under SITEURL. Other hosts' images, SVGs and files the site does not have get
  no size (the check of a published build reports missing ones).
- An `<img>` with neither `width` nor `height` gets both. With exactly one (a whole
  number), it gets the other in the image's proportions, which is what a browser would
  show, so the space kept is right; with a size in another unit it is left as written.
  Pillow reads only the file's header (and EXIF orientation), never decodes the image.
- Every `<img>` without a `loading` gets `loading="lazy"`; every other attribute and
  style the author wrote stays as it is.
- An image file Pillow cannot read is an error naming the post and the file: the build
  stops (`--fatal errors`) rather than publish a post with a broken image.

It runs on `all_generators_finalized`, the first moment the static files are known, and
before anything is written; Pelican then renders each post from the HTML changed here.
"""

import hashlib
import html
import logging
import os
import posixpath
import re
from functools import partial
from urllib.parse import unquote, urljoin, urlsplit

from PIL import ExifTags, Image

from .incremental import html_digest, know_html_digest, remembered
from .pelican_internals import replace_source_html, source_html

logger = logging.getLogger(__name__)

# Quick test: most posts have no image, and then nothing else here runs.
IMG = re.compile(r"<img[\s/>]", re.IGNORECASE)
# The post's HTML as tags: comments, scripts and styles whole (an <img> written inside one
# is not an image), then any start tag with its attributes, quoted values holding ">".
TAG = re.compile(
    r"""<!--.*?-->
      | <(script|style)\b.*?</\1\s*>
      | <(?P<name>[a-z][^\s/>]*)(?P<attributes>(?:[^>"']|"[^"]*"|'[^']*')*)>""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
WHOLE_NUMBER = re.compile(r"\s*(\d+)\s*")
# Pillow reads no size from vector images: they keep what the author wrote.
VECTOR = (".svg", ".svgz")
# Formats whose EXIF orientation browsers apply (a portrait photo stored on its side),
# and which Pillow reads without decoding the image.
ORIENTED = ("JPEG", "MPO", "WEBP")
SIDEWAYS = (5, 6, 7, 8)  # EXIF orientations that swap width and height


def size_images(generators):
    """all_generators_finalized: give every post's and page's images their size and lazy loading.

    In an incremental build, a post whose HTML, place and site's static files are what they
    were gets the last build's changes again, without its tags being read."""
    context = generators[0].context
    settings = generators[0].settings
    sizes = SiteImages(context, settings)
    generated = context["generated_content"]
    for source in sorted(generated):
        content = generated[source]
        if content is None:  # failed to read: already reported
            continue
        html_text = source_html(content)
        if IMG.search(html_text):
            compute = partial(sizes.changes, content, html_text)
            key = partial(sizes.key, content)
            changes, digest = remembered(settings, "images", key, compute)
            if changes:
                sized = changed(html_text, changes)
                replace_source_html(content, sized)
                # What the sized HTML's digest is follows from the key, as the changes do:
                # remembered with them, it need not be hashed again.
                know_html_digest(content, sized, digest)


def changed(html_text, changes):
    """`html_text` with each (start, end, tag) of `changes` in place of what was there."""
    pieces, done = [], 0
    for start, end, tag in changes:
        pieces += (html_text[done:start], tag)
        done = end
    pieces.append(html_text[done:])
    return "".join(pieces)


class SiteImages:
    """The site's image files by source path and by address, and their sizes, for one build."""

    def __init__(self, context, settings):
        statics = [static for static in context["static_content"].values() if static]
        self.by_source = {static.get_relative_source_path(): static for static in statics}
        self.by_url = {static.url: static for static in statics}
        self.intrasite = re.compile(settings["INTRASITE_LINK_REGEX"] + r"(?P<value>.*)", re.DOTALL)
        site = urlsplit(settings.get("SITEURL") or "")
        self.site_host = site.netloc.lower()
        self.site_path = site.path.rstrip("/")
        self.sizes = {}
        self.statics = statics
        self.files = None  # a hash of the static files as they are (see `key`)

    def key(self, content):
        """A hash of what sizing `content`'s images depends on: its HTML, its place (relative
        addresses), and every static file of the site, as it is now (an image added, changed
        or removed changes every post's key: their images are read again)."""
        if self.files is None:
            files = hashlib.sha256()
            for static in sorted(self.statics, key=lambda static: static.source_path):
                try:
                    status = os.stat(static.source_path)
                    stamp = (status.st_size, status.st_ino, status.st_mtime_ns, status.st_ctime_ns)
                except OSError:  # a {static} link to no file: the link check names it
                    stamp = None
                files.update(f"{static.source_path}\0{static.url}\0{stamp}\n".encode())
            self.files = files.digest()
        digest = hashlib.sha256(self.files)
        # Where its relative addresses resolve from: its folder in the content, which its
        # absolute source path gives (the content folder is in the site's fingerprint)
        # without Pelican's relative_dir, which computes a relative path on each call.
        source = content.source_path or ""
        place = source if os.path.isabs(source) else content.relative_dir
        digest.update(f"{place}\0{content.url}\0".encode())
        digest.update(html_digest(content))
        return digest.hexdigest()

    def changes(self, content, html_text):
        """([(start, end, new tag)], the digest of the HTML they make): the tags of
        `html_text` that `tag` changes."""
        found = []
        for match in TAG.finditer(html_text):
            tag = self.tag(content, match)
            if tag != match.group(0):
                found.append((match.start(), match.end(), tag))
        if not found:
            return found, None
        return found, hashlib.sha256(changed(html_text, found).encode("utf-8")).digest()

    def tag(self, content, match):
        """One tag of `content`'s HTML, with what an <img> lacks added."""
        if not match.group("name") or match.group("name").lower() != "img":
            return match.group(0)
        attributes = {}
        for name, double, single, bare in ATTRIBUTE.findall(match.group("attributes")):
            # As in a browser, the first of two attributes of one name wins.
            attributes.setdefault(name.lower(), html.unescape(double or single or bare))
        added = {}
        width, height = attributes.get("width"), attributes.get("height")
        if (width is None or height is None) and attributes.get("src"):
            size = self.size(content, attributes["src"])
            if size:
                added = missing_dimensions(width, height, size)
        if "loading" not in attributes:
            added["loading"] = "lazy"
        return with_attributes(match.group(0), added)

    def size(self, content, src):
        """(width, height) of the site's image `src` points to, or None."""
        static = self.find(content, src.strip())
        if static is None or static.source_path.lower().endswith(VECTOR):
            return None
        path = static.source_path
        if path not in self.sizes:
            self.sizes[path] = read_size(path)
        size = self.sizes[path]
        if isinstance(size, Exception):
            logger.error(
                "%s: image %s cannot be read: %s",
                content.get_relative_source_path(),
                static.get_relative_source_path(),
                size,
            )
            return None
        return size

    def find(self, content, src):
        """The static file `src` names, as Pelican would resolve it for this post."""
        link = self.intrasite.match(src)
        if link:
            if link.group("what") not in ("static", "attach", "filename"):
                return None
            path = unquote(urlsplit(link.group("value")).path)
            if path.startswith("/"):
                path = path[1:]
            else:  # relative to the post's own folder, as Pelican reads it
                path = posixpath.normpath(posixpath.join(content.relative_dir, path))
            return self.by_source.get(path)
        address = urlsplit(src)
        if address.scheme or address.netloc:
            if address.scheme.lower() not in ("http", "https", ""):
                return None  # data:, ...
            if not self.site_host or address.netloc.lower() != self.site_host:
                return None  # another host's image
        path = urljoin(f"{self.site_path}/{content.url}", address.path)
        if not path.startswith(self.site_path + "/"):
            return None
        return self.by_url.get(unquote(path[len(self.site_path) + 1 :]))


def read_size(path):
    """The size a browser shows the image file at `path` in, or the exception reading it."""
    try:
        with Image.open(path) as image:
            width, height = image.size
            if image.format in ORIENTED:
                orientation = image.getexif().get(ExifTags.Base.Orientation)
                if orientation in SIDEWAYS:
                    width, height = height, width
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError, ... by format
        return error
    return width, height


def missing_dimensions(width, height, size):
    """The `width`/`height` attributes to add, given those the author wrote (None: absent)."""
    image_width, image_height = size
    if width is None and height is None:
        return {"width": str(image_width), "height": str(image_height)}
    given = WHOLE_NUMBER.fullmatch(width if width is not None else height)
    if not given:
        return {}
    if width is not None:
        return {"height": str(max(1, round(int(given[1]) * image_height / image_width)))}
    return {"width": str(max(1, round(int(given[1]) * image_width / image_height)))}


def with_attributes(tag, added):
    """`tag` with `added` written before its end, everything the author wrote kept."""
    if not added:
        return tag
    text = " ".join(f'{name}="{value}"' for name, value in added.items())
    head, end = tag[:-1], ">"
    stripped = head.rstrip()
    # "<img ... />": the slash stays last. A slash ending an unquoted value is the value's.
    if stripped.endswith("/") and stripped[-2:-1] in ("", " ", "\t", "\n", "\r", "\f", '"', "'"):
        head, end = stripped[:-1], " />"
    separator = "" if head[-1:].isspace() else " "
    return f"{head}{separator}{text}{end}"
