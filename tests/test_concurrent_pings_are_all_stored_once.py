"""README: concurrent pings never corrupt the store or get lost (SQLite WAL, one transaction
per ping). Bounded in count and time; the load test prints pings per second on loopback and
asserts only that every ping it sent was stored."""

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from blogs import SLUG, post_form, running_receiver, stored
from linkbacks.settings import read

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
