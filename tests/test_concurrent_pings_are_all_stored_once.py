"""README: concurrent pings never corrupt the store or get lost (SQLite WAL, one transaction
per ping). Bounded in count and time; the load tests print pings per second stored and the
verifier's time per ping on loopback, and assert only correctness."""

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from blogs import POST_URL, SLUG, post_form, running_blog, running_receiver, stored

from reblog.linkbacks.store import Store
from reblog.linkbacks.verify import verify_pending
from reblog.settings import read

CONCURRENT = 500
LOAD_PINGS = 1000
LOAD_WORKERS = 16
LOAD_SECONDS = 20  # stop sending after this long, however many were sent


def ping(base, n):
    fields = {"url": f"http://blog{n}.example/post/{n}", "title": f"Ping {n}", "blog_name": "B"}
    return post_form(f"{base}/trackback/{SLUG}", urlencode(fields).encode())


def test_500_concurrent_pings_are_each_stored_exactly_once(receiver_settings):
    receiver_settings["LINKBACKS_RATE_LIMIT"] = 10 * CONCURRENT
    answers = [None] * CONCURRENT
    start = threading.Barrier(CONCURRENT)

    def send(n):
        start.wait(timeout=60)
        answers[n] = ping(base, n)

    with running_receiver(receiver_settings) as base:
        threads = [threading.Thread(target=send, args=(n,)) for n in range(CONCURRENT)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert all(answer and "<error>0</error>" in answer[2] for answer in answers)
    pings = stored(receiver_settings)
    assert len(pings) == CONCURRENT
    assert sorted(p["source"] for p in pings) == sorted(
        f"http://blog{n}.example/post/{n}" for n in range(CONCURRENT)
    )
    with sqlite3.connect(read(receiver_settings)["LINKBACKS_DB"]) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_load_pings_per_second_on_loopback(receiver_settings):
    receiver_settings["LINKBACKS_RATE_LIMIT"] = 10 * LOAD_PINGS
    deadline = time.monotonic() + LOAD_SECONDS

    def send(n):
        if time.monotonic() > deadline:
            return None
        return ping(base, n)

    with running_receiver(receiver_settings) as base:
        started = time.perf_counter()
        with ThreadPoolExecutor(LOAD_WORKERS) as pool:
            answers = [a for a in pool.map(send, range(LOAD_PINGS)) if a is not None]
        seconds = time.perf_counter() - started
    print(
        f"\nreceiver load: {len(answers)} pings from {LOAD_WORKERS} threads stored in "
        f"{seconds:.2f} s: {len(answers) / seconds:.0f} pings/second"
    )
    assert answers
    assert all("<error>0</error>" in text for _status, _type, text in answers)
    assert len(stored(receiver_settings)) == len(answers)


VERIFY_PINGS = 200


def test_verifier_time_per_ping_on_loopback(receiver_settings):
    """Not a timed test: prints how long verification takes, asserts what it decided."""
    with running_blog() as blog:
        page = f'<html><head><title>Reply</title></head><body><p><a href="{POST_URL}">x</a></p>'
        blog.page("/reply", page)
        store = Store(read(receiver_settings)["LINKBACKS_DB"]).init()
        for n in range(VERIFY_PINGS):
            store.add(
                kind="webmention",
                slug=SLUG,
                target=POST_URL,
                source=blog.url(f"/reply?{n}"),
                title="",
                excerpt="",
                blog_name="",
                address=f"192.0.2.{n % 250}",
                limit=VERIFY_PINGS,
            )
        conf = read({**receiver_settings, "LINKBACKS_ALLOW_PRIVATE": True})
        approved, spam, seconds = verify_pending(conf, report=lambda line: None)
    print(
        f"\nverifier: {approved + spam} pings checked in {seconds:.2f} s: "
        f"{seconds / (approved + spam) * 1000:.1f} ms per ping"
    )
    assert (approved, spam) == (VERIFY_PINGS, 0)
    assert {p["title"] for p in stored(receiver_settings)} == {"Reply"}
