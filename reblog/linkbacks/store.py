"""The SQLite store of received pings: one row per (post, source), one transaction per ping.

WAL mode lets the build and the moderator read while the receiver writes; BEGIN IMMEDIATE
takes the write lock before reading, so concurrent pings queue on the busy timeout instead
of failing with "database is locked" when two readers try to upgrade at once.
"""

import math
import sqlite3
import time
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from .canonical import canonical, source_spellings
from .text import clean

STATES = ("pending", "approved", "spam", "rejected")
RATE_WINDOW = 60.0  # seconds: the "per minute" of LINKBACKS_RATE_LIMIT

SCHEMA = """
CREATE TABLE IF NOT EXISTS pings (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('trackback', 'webmention', 'pingback')),
    slug      TEXT NOT NULL,               -- our post
    target    TEXT NOT NULL,               -- our post's URL as the sender named it
    source    TEXT NOT NULL,               -- the page that links to it
    title     TEXT NOT NULL DEFAULT '',
    excerpt   TEXT NOT NULL DEFAULT '',
    blog_name TEXT NOT NULL DEFAULT '',
    address   TEXT NOT NULL DEFAULT '',    -- who sent it, for moderation
    state     TEXT NOT NULL DEFAULT 'pending'
              CHECK (state IN ('pending', 'approved', 'spam', 'rejected')),
    received  TEXT NOT NULL,               -- first arrival, UTC ISO 8601: the date shown
    updated   TEXT NOT NULL,               -- last arrival
    checked   TEXT,                        -- last verification
    note      TEXT NOT NULL DEFAULT '',    -- why the verifier decided what it did
    UNIQUE (slug, source)
);
CREATE INDEX IF NOT EXISTS pings_by_state ON pings (state, received, id);
CREATE TABLE IF NOT EXISTS arrivals (address TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS arrivals_by_address ON arrivals (address, at);
"""

# A store made before Pingback was received allows two kinds only, and SQLite cannot alter
# a CHECK: the table is made again and its rows copied (sqlite.org/lang_altertable.html,
# "Making Other Kinds Of Table Schema Changes"). Run twice at once, the second run copies
# the new table again: harmless.
ALLOW_PINGBACK = f"""
BEGIN IMMEDIATE;
DROP INDEX IF EXISTS pings_by_state;
ALTER TABLE pings RENAME TO pings_before_pingback;
{SCHEMA}
INSERT INTO pings SELECT * FROM pings_before_pingback;
DROP TABLE pings_before_pingback;
COMMIT;
"""

# A ping sent again is news: check it again, unless the moderator rejected that source.
UPSERT = """
INSERT INTO pings (kind, slug, target, source, title, excerpt, blog_name, address,
                   received, updated)
VALUES (:kind, :slug, :target, :source, :title, :excerpt, :blog_name, :address, :now, :now)
ON CONFLICT (slug, source) DO UPDATE SET
    kind = excluded.kind, target = excluded.target, title = excluded.title,
    excerpt = excluded.excerpt, blog_name = excluded.blog_name, address = excluded.address,
    updated = excluded.updated,
    state = CASE pings.state WHEN 'rejected' THEN 'rejected' ELSE 'pending' END
RETURNING id
"""


class RateLimited(Exception):
    """Too many pings: `str()` says whose, `retry_after` when (whole seconds) to try again."""

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


class StoreError(Exception):
    """The store file is unreadable or is not a linkbacks store."""


def now_iso():
    """The current UTC time, to the second, as stored."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """One SQLite file; every method opens its own connection, so any thread may call it."""

    def __init__(self, path):
        self.path = Path(path)

    @contextmanager
    def _connect(self):
        try:
            with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
                db.row_factory = sqlite3.Row
                db.execute("PRAGMA busy_timeout = 30000")
                # FULL: a ping acknowledged with error 0 or 202 survives a power cut too.
                db.execute("PRAGMA synchronous = FULL")
                yield db
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a usable linkbacks store ({error})") from error

    @contextmanager
    def transaction(self):
        """A write transaction holding the lock from its first statement."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def init(self):
        """Create the file, its folder and its tables, and switch to WAL; safe to repeat."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(SCHEMA)
            (table,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'pings'").fetchone()
            if "'pingback'" not in table:
                db.executescript(ALLOW_PINGBACK)
        return self

    def has(self, slug, source):
        """True when a ping from `source` (any spelling of it, as `add` counts them) to the
        post `slug` is stored, in any state."""
        with self._connect() as db:
            return self._stored_source(db, slug, source) is not None

    @staticmethod
    def _stored_source(db, slug, source):
        """The spelling of `source` a ping to `slug` is stored under, or None. One page is one
        ping, whichever way its address is spelled: the canonical spelling, with or without
        a trailing slash (the first one stored is kept)."""
        spellings = source_spellings(source)
        row = db.execute(
            "SELECT source FROM pings WHERE slug = ? AND source IN (?, ?) ORDER BY id",
            (slug, spellings[0], spellings[-1]),
        ).fetchone()
        return row["source"] if row else None

    def add(
        self,
        *,
        kind,
        slug,
        target,
        source,
        title,
        excerpt,
        blog_name,
        address,
        limit,
        pending_limit=None,
    ):
        """Store one ping as pending (or update the same post+source); return its id.

        Raises RateLimited, storing nothing, when `address` already sent `limit` pings
        in the last minute, or when `pending_limit` pings from the source's host already
        wait to be checked. The counts and the insert share one transaction, so a burst
        of parallel pings cannot all slip under a limit.
        """
        clock = time.time()
        with self.transaction() as db:
            db.execute("DELETE FROM arrivals WHERE at < ?", (clock - RATE_WINDOW,))
            (recent, oldest) = db.execute(
                "SELECT count(*), min(at) FROM arrivals WHERE address = ?", (address,)
            ).fetchone()
            if recent >= limit:
                wait = max(1, math.ceil(oldest + RATE_WINDOW - clock))
                raise RateLimited(f"Too many pings from {clean(address)}", wait)
            db.execute("INSERT INTO arrivals (address, at) VALUES (?, ?)", (address, clock))
            known = self._stored_source(db, slug, source)
            canonical_source = source_spellings(source)[0]
            if pending_limit is not None and not known:
                self._check_queue(db, canonical_source, pending_limit)
            row = db.execute(
                UPSERT,
                {
                    "kind": kind,
                    "slug": slug,
                    "target": canonical(target),
                    "source": known or canonical_source,
                    "title": clean(title),
                    "excerpt": clean(excerpt),
                    "blog_name": clean(blog_name),
                    "address": clean(address),
                    "now": now_iso(),
                },
            ).fetchone()
        return row["id"]

    @staticmethod
    def _check_queue(db, source, pending_limit):
        """RateLimited when `pending_limit` pings from `source`'s host are pending."""
        host = urlsplit(source).hostname
        # Canonical sources start "scheme://host/" or "scheme://host:port/", an IPv6 address
        # in brackets.
        spelled = f"[{host}]" if ":" in host else host
        prefixes = [f"{scheme}://{spelled}{end}" for scheme in ("http", "https") for end in "/:"]
        (queued,) = db.execute(
            "SELECT count(*) FROM pings WHERE state = 'pending' AND ("
            + " OR ".join(["substr(source, 1, length(?)) = ?"] * len(prefixes))
            + ")",
            [value for prefix in prefixes for value in (prefix, prefix)],
        ).fetchone()
        if queued >= pending_limit:
            raise RateLimited(
                f"{pending_limit} pings from {clean(host)} are already waiting to be checked",
                int(RATE_WINDOW),
            )

    def pings(self, state=None):
        """Pings in one state (all when None), oldest first: the order they are shown in."""
        if not self.path.exists():
            return []
        query = "SELECT * FROM pings"
        args = ()
        if state:
            query += " WHERE state = ?"
            args = (state,)
        with self._connect() as db:
            return [dict(row) for row in db.execute(query + " ORDER BY received, id", args)]

    def set_state(self, ping_id, state, note=None):
        """Moderate one ping by id; False when there is no such ping."""
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE pings SET state = ?, note = coalesce(?, note) WHERE id = ?",
                (state, note, ping_id),
            )
        return cursor.rowcount == 1

    def record_check(self, ping, state, note, details):
        """Save a verification, unless the ping was sent again while it was being checked.

        `details` fills title, excerpt or blog_name where the ping left them empty.
        """
        with self.transaction() as db:
            cursor = db.execute(
                """UPDATE pings SET state = ?, note = ?, checked = ?,
                       title = CASE title WHEN '' THEN ? ELSE title END,
                       excerpt = CASE excerpt WHEN '' THEN ? ELSE excerpt END,
                       blog_name = CASE blog_name WHEN '' THEN ? ELSE blog_name END
                   WHERE id = ? AND updated = ? AND state = 'pending'""",
                (
                    state,
                    clean(note),
                    now_iso(),
                    clean(details.get("title", "")),
                    clean(details.get("excerpt", "")),
                    clean(details.get("blog_name", "")),
                    ping["id"],
                    ping["updated"],
                ),
            )
        return cursor.rowcount == 1
