"""The manifest file the build writes and the receiver reads: the site's published posts.

reblog.linkbacks.site writes it at the end of a build; `Manifest` reads it again whenever
the file changes, so a running receiver learns of new posts without a restart.
"""

import json
import threading
from pathlib import Path
from urllib.parse import urlsplit

from ..atomicfile import write_atomically, writing_atomically
from .canonical import canonical, post_key


def trim(text, limit):
    """`text` with its whitespace collapsed, cut at `limit` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def write_json(path, document):
    """Replace `path` atomically with `document`, sorted, so its diffs stay small."""
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomically(path, text.encode("utf-8"))


class EncodedItems(list):
    """A list of `write_json_a_line_each`'s items each already encoded (`encoded_item`)."""


def encoded_item(item):
    """`item` as `write_json_a_line_each` writes an item of a list, as plain text: an
    incremental build keeps each post's (reblog.incremental.memo) rather than encode
    thousands of unchanged ones again. Put them in EncodedItems to write them."""
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def write_json_a_line_each(path, document):
    """`write_json` for a document of lists of thousands of items (the build's manifest):
    sorted as well, but each item of a list on one line of its own. Diffs stay as small,
    and json's encoder in C does the work: indenting every field goes through its Python
    one, a third of the time it took to write a 4,000-post manifest. The text is written
    as it is made: the whole of it is never held in memory, where its copies were a tenth
    of a 4,000-post build's peak."""
    with writing_atomically(path, buffering=1 << 16) as stored:
        separator = "{\n"
        for name in sorted(document):
            value = document[name]
            stored.write(f"{separator}  {json.dumps(name)}: ".encode())
            separator = ",\n"
            if isinstance(value, list) and value:
                stored.write(b"[\n")
                encoded = value if isinstance(value, EncodedItems) else map(encoded_item, value)
                item_separator = "    "
                for item in encoded:
                    stored.write(f"{item_separator}{item}".encode())
                    item_separator = ",\n    "
                stored.write(b"\n  ]")
            else:
                stored.write(json.dumps(value, sort_keys=True, ensure_ascii=False).encode())
        stored.write(b"{\n\n}\n" if separator == "{\n" else b"\n}\n")


class Manifest:
    """The posts the last build wrote, reloaded whenever the file changes."""

    def __init__(self, path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp = None
        self._by_slug = {}
        self._by_url = {}
        self._site_host = None

    def _refresh(self):
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp:
            return
        with self._lock:
            document = {"posts": []}
            if stamp is not None:
                document = json.loads(self.path.read_text(encoding="utf-8"))
            posts = document.get("posts", [])
            self._by_slug = {post["slug"]: post for post in posts}
            self._by_url = {post_key(post["url"]): post for post in posts}
            self._site_host = urlsplit(canonical(document.get("site") or "http:")).netloc or None
            self._stamp = stamp

    def by_slug(self, slug):
        """The post with this slug, or None."""
        self._refresh()
        return self._by_slug.get(slug)

    def by_url(self, url):
        """The post this address names (any spelling, a query or trailing slash aside), or None."""
        self._refresh()
        return self._by_url.get(post_key(url))

    def on_site(self, url):
        """True when `url` is on the site's host (and port), whether or not a post is there."""
        self._refresh()
        return self._site_host is not None and urlsplit(canonical(url)).netloc == self._site_host
