"""Write the draft: front matter in the README's format, the blogger's placeholder, the quote,
and the "read the rest" link. An existing file is never touched."""

import re
from pathlib import Path

from pelican.utils import slugify

from ..credit import ORIGINAL_FIELDS
from . import PLACEHOLDER
from .excerpt import markdown_text, markdown_url

SLUG_LENGTH = 80


class DraftExists(Exception):
    """The draft's file is already there."""


def metadata_value(value):
    """`value` as one safe front-matter line: no line breaks or control characters, so a
    title such as "a\\nStatus: published" stays a title; a colon is fine after the key's."""
    if value is None:
        return ""
    value = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", str(value))
    return " ".join(value.split())


def make_slug(title, settings, fallback="repost"):
    """The post's slug from its title, as Pelican would make it, kept to a readable length."""
    slug = slugify(title, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0]
    return slug or fallback


def post_with_slug(folder, slug, settings):
    """The Markdown post under `folder` whose slug is `slug`, if any: the site refuses two
    posts with one slug (reblog.content_checks), so the draft must not bring a second."""
    for post in sorted(Path(folder).rglob("*.md")):
        meta = {}
        for line in post.read_text(encoding="utf-8", errors="replace").splitlines():
            key, colon, value = line.partition(":")
            if not line.strip() or not colon:
                break
            meta.setdefault(key.strip().lower(), value.strip())
        own = meta.get("slug") or (
            make_slug(meta["title"], settings) if meta.get("title") else None
        )
        if own == slug:
            return post
    return None


def render(
    found, quote, *, title, date, author, category, slug, via=None, via_url=None, via_note=None
):
    """The whole draft file's text."""
    header = [
        ("Title", title),
        ("Date", date.strftime("%Y-%m-%d %H:%M")),
        ("Author", author),
        ("Category", category),
        ("Slug", slug),
        ("Status", "draft"),
        *((field.label, getattr(found, field.attribute)) for field in ORIGINAL_FIELDS),
        ("Via", via),
        ("Via_url", via_url),
        ("Via_note", via_note),
    ]
    lines = [f"{key}: {metadata_value(value)}" for key, value in header if metadata_value(value)]
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in quote.split("\n"))
    parts = ["\n".join(lines), PLACEHOLDER, quoted]
    link = found.url or found.site_url
    if link:
        where = markdown_text(metadata_value(found.site) or "the original")
        parts.append(f"([Read the rest of the article over at {where}]({markdown_url(link)}))")
    return "\n\n".join(parts) + "\n"


def write(path, text):
    """Create `path` with `text`; raise DraftExists rather than replace anything."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise DraftExists(path) from None
    return path
