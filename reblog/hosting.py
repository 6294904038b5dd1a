"""What each built file is served as: its Content-Type and Cache-Control, decided once.

Every way the site reaches readers takes its headers from `SiteHeaders`:

- `make s3_upload` (reblog.s3_upload) sets them on each object it uploads;
- the build writes them into `_headers` (Netlify, Cloudflare Pages) beside the site;
- the nginx server block in docs/deploying.md is printed by `python -m reblog.hosting`.

GitHub Pages reads no configuration: it sends its own types and `max-age=600`.

A file's kind decides both headers: the feeds (named by Pelican's and this project's feed
settings) get their own types, the theme's files (linked as `?v=<content hash>`, see
reblog.asset_hash) may be cached a year and never asked for again, and everything else,
pages and the sitemap first, may be reused for CACHE_MAX_AGE seconds before the browser
or CDN asks again (and gets a 304 when nothing changed).
"""

import argparse
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from .asset_hash import asset_versions
from .precompress import GZIP_SUFFIX
from .settings import read

logger = logging.getLogger(__name__)

# A year, and `immutable`: the address changes whenever the bytes do.
IMMUTABLE = "public, max-age=31536000, immutable"
# By extension, what any host should send. Every text file the build writes is UTF-8.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".ico": "image/vnd.microsoft.icon",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
}
UNKNOWN_TYPE = "application/octet-stream"
# The feeds' own types (RFC 4287; the RSS Advisory Board; jsonfeed.org 1.1), by the last
# word of the setting that names a feed's file (FEED_ALL_ATOM, CATEGORY_FEED_JSON, ...).
FEED_TYPES = {
    "ATOM": "application/atom+xml; charset=utf-8",
    "RSS": "application/rss+xml; charset=utf-8",
    "JSON": "application/feed+json; charset=utf-8",
}
FEED_SETTING = re.compile(r"^(?:[A-Z]+_)?FEED(?:_ALL)?_(ATOM|RSS|JSON)$")
# Files the build leaves for a host to read, not to serve; and the precompressed copies,
# which only a host that picks them by Accept-Encoding (nginx gzip_static) can use.
HOST_FILES = ("_headers",)
# Cloudflare Pages reads at most this many rules from `_headers`.
HEADERS_FILE_MAX_RULES = 100


@dataclass(frozen=True)
class Served:
    """What a file is served as."""

    content_type: str
    cache_control: str


class SiteHeaders:
    """The headers of every file of one site, from its Pelican settings."""

    def __init__(self, settings):
        self.short = f"public, max-age={read(settings)['CACHE_MAX_AGE']}"
        self.feeds = []  # (compiled pattern, type), from the feed settings
        for name, value in sorted(settings.items()):
            match = FEED_SETTING.match(name)
            if match and isinstance(value, str) and value:
                self.feeds.append((path_pattern(value), FEED_TYPES[match.group(1)]))
        theme_dir = settings.get("THEME_STATIC_DIR", "theme")
        versions = asset_versions(Path(settings["THEME"]) / "static", 1)
        self.hashed = {f"{theme_dir}/{relative}" for relative in versions}
        self.theme_dir = theme_dir
        # WordPress finds a page's Pingback server by this header first (docs/linkbacks.md).
        self.pingback = settings.get("WEBMENTION_URL")

    def served(self, relative):
        """How the file at `relative` (a POSIX path in the output folder) is served."""
        for pattern, content_type in self.feeds:
            if pattern.fullmatch(relative):
                return Served(content_type, self.short)
        cache_control = IMMUTABLE if relative in self.hashed else self.short
        return Served(type_by_extension(relative), cache_control)

    def feed_patterns(self):
        """(regular expression, type) of every feed setting, for the nginx block."""
        return [(pattern.pattern, content_type) for pattern, content_type in self.feeds]


def type_by_extension(relative):
    return TYPES.get(PurePosixPath(relative).suffix.lower(), UNKNOWN_TYPE)


def path_pattern(setting):
    """A feed setting's file name (`feeds/category/{slug}.atom.xml`) as a regular expression
    for the output paths it names: each `{field}` is one path segment."""
    parts = re.split(r"\{[^}]*\}", setting.lstrip("/"))
    return re.compile("[^/]+".join(re.escape(part) for part in parts))


def served_files(output):
    """Every file of the output folder a host serves as itself, as POSIX paths: not the
    host's own files, not the `.gz` copies."""
    root = Path(output)
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and path.name not in HOST_FILES and not path.name.endswith(GZIP_SUFFIX)
    )


# Netlify and Cloudflare Pages: `_headers` ------------------------------------------------


def headers_file(output, site):
    """The text of `_headers` for the built site in `output`.

    Both hosts apply every rule whose path matches a request, and join the values of a
    header two rules set, and neither matches `*` inside a path (`/*.css`): so each header
    gets rules that never overlap. Cache-Control is set by folder (`/theme/*`), down to a
    file only where a folder holds both policies; Content-Type only where the host's own
    guess from the extension is wrong (the feeds), file by file.
    """
    root = Path(output)
    policy = {}  # every file the host serves, .gz copies too: they go with their original
    typed = []  # (file, type) where the host's guess from the extension is wrong
    for path in root.rglob("*"):
        if path.is_file() and path.name not in HOST_FILES:
            relative = path.relative_to(root).as_posix()
            original = relative.removesuffix(GZIP_SUFFIX)
            served = site.served(original)
            policy[relative] = served.cache_control
            if original == relative and served.content_type != type_by_extension(relative):
                typed.append((relative, served.content_type))
    rules = [(url, {"Cache-Control": cache}) for url, cache in cache_rules(policy, "")]
    rules += [(f"/{relative}", {"Content-Type": served}) for relative, served in sorted(typed)]
    if site.pingback:
        rules.append(("/*", {"X-Pingback": site.pingback}))
    lines = [
        "# Written by the build from reblog.hosting: what each file is served as.",
        "# Netlify and Cloudflare Pages read this file; other hosts serve it as a file.",
    ]
    for url, headers in rules:
        lines.append(url)
        lines.extend(f"  {name}: {value}" for name, value in headers.items())
    return "\n".join(lines) + "\n", len(rules)


def cache_rules(policy, folder):
    """Non-overlapping (URL pattern, Cache-Control) rules for `policy` (path: value), the
    files under `folder` ("" for the root)."""
    if len(set(policy.values())) == 1:
        return [(f"/{folder}*", next(iter(policy.values())))]
    rules, subfolders = [], {}
    for relative, value in sorted(policy.items()):
        head, _, rest = relative.partition("/")
        if rest:
            subfolders.setdefault(head, {})[rest] = value
            continue
        rules.append((f"/{folder}{relative}", value))
        if relative == "index.html":  # the folder's own address serves it
            rules.append((f"/{folder}", value))
    for name, files in sorted(subfolders.items()):
        rules.extend(cache_rules(files, f"{folder}{name}/"))
    return rules


def write_headers_file(pelican):
    """finalized: write `_headers` into the output folder, unless it is already so (a kept
    file keeps its modification time, so deploys see it unchanged)."""
    text, count = headers_file(pelican.output_path, SiteHeaders(pelican.settings))
    target = Path(pelican.output_path) / "_headers"
    if count > HEADERS_FILE_MAX_RULES:
        logger.warning(
            "_headers has %d rules; Cloudflare Pages reads only the first %d",
            count,
            HEADERS_FILE_MAX_RULES,
        )
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


# nginx -------------------------------------------------------------------------------------


def nginx_server_block(settings):
    """The nginx server block docs/deploying.md shows, for the site `settings` describe."""
    site = SiteHeaders(settings)
    host = urlsplit(settings.get("SITEURL") or "https://blog.example.net").hostname
    # nginx adds the charset to text/html by itself, and warns when it is listed.
    text_types = sorted(
        {t.split(";")[0] for t in TYPES.values() if "charset" in t}
        | {t.split(";")[0] for _, t in site.feed_patterns()}
    )
    text_types.remove("text/html")
    by_type = {}
    for extension, content_type in TYPES.items():
        by_type.setdefault(content_type.split(";")[0], []).append(extension.lstrip("."))
    lines = [
        "server {",
        f"    server_name {host};",
        "    root /var/www/blog;                   # SSH_TARGET_DIR",
        "    gzip_static on;                       # send the .gz copies",
        "    error_page 404 /404.html;",
        "    # Generated by `python -m reblog.hosting` from the headers table; do not edit.",
        "    types {",
        *(f"        {name} {' '.join(exts)};" for name, exts in sorted(by_type.items())),
        "    }",
        f"    default_type {UNKNOWN_TYPE};",
        "    charset utf-8;",
        f"    charset_types {' '.join(text_types)};",
        f'    location / {{ add_header Cache-Control "{site.short}";{pingback_header(site)} }}',
        (
            f"    location ^~ /{site.theme_dir}/ {{ "
            f'add_header Cache-Control "{IMMUTABLE}"; }}  # linked as ?v=<hash>'
        ),
    ]
    feeds = {}
    for pattern, content_type in site.feed_patterns():
        feeds.setdefault(content_type.split(";")[0], []).append(pattern)
    for name, patterns in sorted(feeds.items()):
        lines.append(
            f"    location ~ ^/({'|'.join(patterns)})$ {{ types {{ }} default_type {name}; "
            f'add_header Cache-Control "{site.short}"; }}'
        )
    lines.extend(linkback_locations(settings))
    lines.append("}")
    return "\n".join(lines) + "\n"


def pingback_header(site):
    """The X-Pingback header, for the pages' own location: nginx gives a location none of
    the server's add_header lines when it has one of its own."""
    return f" add_header X-Pingback {site.pingback};" if site.pingback else ""


def linkback_locations(settings):
    """The receiver's addresses, handed to it (docs/linkbacks.md) on 127.0.0.1:8001."""
    proxy = (
        "proxy_pass http://127.0.0.1:8001; "
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"
    )
    lines = []
    trackback = settings.get("TRACKBACK_URL")
    if trackback:
        prefix = urlsplit(trackback).path.split("{", 1)[0]
        lines.append(f"    location {prefix} {{ {proxy} }}")
    webmention = settings.get("WEBMENTION_URL")
    if webmention:
        lines.append(f"    location = {urlsplit(webmention).path} {{ {proxy} }}")
    return lines


def main(argv=None):
    """`python -m reblog.hosting [-s publishconf.py]`: print the nginx server block."""
    from pelican.settings import read_settings  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("-s", "--settings", default="publishconf.py")
    options = parser.parse_args(argv)
    sys.stdout.write(nginx_server_block(read_settings(options.settings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
