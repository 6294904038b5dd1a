"""Every metadata key a post or page may have, Pelican's and the engine's: one table.

docs/writing.md shows it (`python -m reblog.metadata` prints it; a test keeps the two the
same). What a post's front matter holds is checked against it when the post is read:

- a key close to a known one (`Orignal_title`, `Via_ur1`, `Tag`) is an error naming the
  key it was probably meant to be: otherwise the credit silently loses its title;
- any other unknown key is a warning, unless the site lists it in METADATA_EXTRA_KEYS
  (keys a blogger's own theme reads);
- a date must be ISO 8601 (`2026-11-20`, `2026-11-20 18:30`, with or without a zone):
  Pelican would read `03/04/2026` as 4 March without a word.
"""

import re
from dataclasses import dataclass

from dateutil import parser as dateutil_parser

from .credit import FIELDS as CREDIT_FIELDS
from .spelling import closest


@dataclass(frozen=True)
class Key:
    label: str  # as a blogger writes it; readers lower-case keys
    kind: str
    required: str
    meaning: str

    @property
    def key(self):
        return self.label.lower()


PELICAN_KEYS = (
    Key("Title", "text", "yes", "the post's title, shown as plain text"),
    Key(
        "Date",
        "date",
        "yes (posts)",
        "ISO 8601: `2026-11-20` or `2026-11-20 18:30`, in the site's `TIMEZONE` unless it "
        "names a zone (`2026-11-20 18:30+01:00`)",
    ),
    Key(
        "Modified",
        "date",
        "no",
        "date of the last real change, written like `Date`; feeds report it as the post's "
        "update time",
    ),
    Key("Author", "text", "no", "defaults to `AUTHOR` in `pelicanconf.py`"),
    Key("Authors", "list", "no", "several authors, comma-separated, instead of `Author`"),
    Key(
        "Category",
        "text",
        "no",
        'one category; the post is "filed under" it. Without one it is filed under '
        "`Uncategorized` (`DEFAULT_CATEGORY`), never under the name of its folder",
    ),
    Key("Tags", "list", "no", "comma-separated"),
    Key("Keywords", "list", "no", "comma-separated words for search engines"),
    Key(
        "Slug", "text", "no", "the last part of the post's address; made from the title when absent"
    ),
    Key(
        "Summary",
        "text",
        "no",
        "shown on the index and in feeds; the post's first paragraph (at most 50 words) when "
        "absent",
    ),
    Key("Status", "choice", "no", "`published` (default), `draft` or `hidden`"),
    Key("Lang", "text", "no", "the post's language, when not the site's `DEFAULT_LANG`"),
    Key("Translation", "choice", "no", "`true` marks the post as a translation of another"),
    Key(
        "Template",
        "text",
        "no",
        "a theme template to render this post with instead of the usual one",
    ),
    Key("Save_as", "text", "no", "the output file, overriding `ARTICLE_SAVE_AS`; rarely needed"),
    Key("Url", "text", "no", "the address, overriding `ARTICLE_URL`; goes with `Save_as`"),
)
REBLOG_KEYS = tuple(
    Key(field.label, "address" if field.is_url else "text", field.required, field.meaning)
    for field in CREDIT_FIELDS
)
KEYS = PELICAN_KEYS + REBLOG_KEYS
BY_KEY = {key.key: key for key in KEYS}
DATE_KEYS = tuple(key.key for key in KEYS if key.kind == "date")

ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|[+-]\d{2}(?::?\d{2})?))?)?"
)


class UnknownKey(ValueError):
    """A metadata key the site does not know."""


def label_of(key):
    """How the docs spell a known key ("original_title" -> "Original_title")."""
    return BY_KEY[key].label if key in BY_KEY else key


def unknown_keys(metadata_keys, extra_keys=()):
    """(typos, others) among a post's keys: typos as (key, known key it is close to)."""
    allowed = set(BY_KEY) | {key.lower() for key in extra_keys}
    typos, others = [], []
    for name in metadata_keys:
        if name.lower() in allowed:
            continue
        meant = closest(name, BY_KEY)
        if meant:
            typos.append((name, meant))
        else:
            others.append(name)
    return typos, others


def written_spelling(text, key):
    """The key as the author typed it in the front matter `text` (readers lower-case it)."""
    match = re.search(rf"^[ \t]*({re.escape(key)})[ \t]*:", text, re.IGNORECASE | re.MULTILINE)
    return match.group(1) if match else key


def check_date(value):
    """Raise ValueError, with the ISO form to write, when a date is not ISO 8601."""
    text = str(value).strip()
    if ISO_DATE.fullmatch(text):
        return
    readings = {}
    # 2026-3-4 or 2026/03/04: the year first, then month and day, as ISO has them; only
    # 03/04/2026 may mean either day or month first.
    year_first = bool(re.match(r"\d{4}\D", text))
    for dayfirst in (False,) if year_first else (False, True):
        try:
            parsed = dateutil_parser.parse(text, dayfirst=dayfirst, yearfirst=year_first)
        except (ValueError, OverflowError):
            continue
        has_time = bool(re.search(r"\d:\d", text))
        iso = parsed.strftime("%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d")
        readings[iso] = parsed.strftime("%-d %B %Y")
    if len(readings) > 1:
        choices = " or ".join(f"{iso} ({day})" for iso, day in readings.items())
        raise ValueError(f"{text!r} is ambiguous; write the date as {choices}")
    if readings:
        (iso,) = readings
        raise ValueError(f"{text!r} is not an ISO 8601 date; write it as {iso}")
    raise ValueError(
        f"{text!r} is not a date; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2026-11-20"
    )


# Pelican's own statuses; "skip" tells it to ignore a file, and is left out of the docs.
STATUSES = ("published", "draft", "hidden", "skip")


def check_status(value):
    """Raise ValueError when a status is none of Pelican's."""
    if str(value).strip().lower() not in STATUSES:
        meant = closest(str(value).strip(), STATUSES[:3])
        hint = f" (did you mean {meant!r}?)" if meant else ""
        raise ValueError(f"{value!r} is not a status; write published, draft or hidden{hint}")


def check_title(metadata, settings):
    """Raise ValueError when a post or page has no title and its file name gives none."""
    if str(metadata.get("title") or "").strip():
        return
    patterns = str(settings.get("FILENAME_METADATA")) + str(settings.get("PATH_METADATA"))
    if "(?P<title>" not in patterns:
        typo = next((key for key in metadata if closest(key, ("title",)) == "title"), None)
        hint = f" (is {typo!r} a misspelling of it?)" if typo else ""
        raise ValueError(f"title: missing; every post and page needs a Title{hint}")


def front_matter_keys(source_path):
    """The keys of a Markdown file's front matter, read from the text itself: for a file the
    reader gave up on. Other formats: none."""
    if not str(source_path).endswith((".md", ".markdown", ".mkd", ".mdown")):
        return []
    with open(source_path, encoding="utf-8", errors="replace") as source:
        header = source.read().split("\n\n", 1)[0]
    return [key.lower() for key in re.findall(r"^([A-Za-z0-9][\w-]*)[ \t]*:", header, re.M)]


def markdown_table():
    """The keys as the Markdown table docs/writing.md shows."""
    rows = ["| key | type | required | meaning |", "| --- | --- | --- | --- |"]
    for key in KEYS:
        rows.append(f"| `{key.label}` | {key.kind} | {key.required} | {key.meaning} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
