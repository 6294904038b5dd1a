"""README: verifying pings is off the publishing path. `make publish` builds with the pings
already approved and never waits on another blog; the receiver verifies what it stores in
the background; a verification run keeps to its time budget whatever the queue holds,
fetches one page of a host at a time, and the queue from one source host is capped."""

import selectors
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from blogs import (
    POST_URL,
    SLUG,
    post_form,
    running_blog,
    running_hanging_site,
    running_receiver,
    settings_file,
    stored,
)
from conftest import ROOT, SITES

from reblog.linkbacks.store import RateLimited, Store
from reblog.settings import read

LINKBACKS = str(Path(sys.executable).with_name("reblog-linkbacks"))
PENDING = 50


def queue_pings(settings, sources):
    """Store a pending ping from each source, as the receiver would have."""
    store = Store(read(settings)["LINKBACKS_DB"]).init()
    for source in sources:
        store.add(kind="webmention", slug=SLUG, target=POST_URL, source=source, title="",
                  excerpt="", blog_name="", address="192.0.2.1",
                  limit=len(sources) + 1)  # fmt: skip


def linking_page(title):
    return f'<html><head><title>{title}</title></head><body><p><a href="{POST_URL}">RLW</a>'


def test_make_publish_starts_its_build_at_once_whatever_is_pending(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "networking" / "content", site / "content")
    # The fixture's settings files, but the 127.0.0.1 page may be fetched, as a public one
    # would. Pelican resolves the content, theme and plugins beside the settings: they were
    # beside the fixture's.
    writing = (SITES / "pelicanconf.py").read_text(encoding="utf-8")
    writing = writing.replace('"../../theme"', repr(str(ROOT / "theme")))
    writing = writing.replace('"../../plugins"', repr(str(ROOT / "plugins")))
    writing = writing.replace('"networking/content"', repr(str(site / "content")))
    (tmp_path / "pelicanconf.py").write_text(writing, encoding="utf-8")
    publishconf = tmp_path / "publishconf.py"
    publishing = (SITES / "publishconf.py").read_text(encoding="utf-8")
    publishconf.write_text(publishing + "\nLINKBACKS_ALLOW_PRIVATE = True\n", encoding="utf-8")
    with running_hanging_site() as hanging:
        queue_pings({"PATH": str(site / "content")}, [hanging.url(f"/{n}") for n in range(PENDING)])
        started = time.monotonic()
        make = subprocess.Popen(
            ["make", "-C", str(ROOT), "publish", "PING=0",
             f"CONFFILE={tmp_path / 'pelicanconf.py'}", f"PUBLISHCONF={publishconf}",
             f"INPUTDIR={site / 'content'}",
             f"OUTPUTDIR={site / 'output'}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            # make echoes each command as it starts it: the first is the build's.
            first_command = _first_line_naming(make, "reblog-", seconds=10)
            build_started = time.monotonic() - started
            output = make.stdout.read()
            make.wait(timeout=120)
        finally:
            make.kill()
            make.wait()
        assert make.returncode == 0, output
        assert hanging.connections == 0
    assert "reblog-build" in first_command, first_command
    print(f"\nmake publish with {PENDING} pings to a hanging page: build started after "
          f"{build_started:.2f} s")  # fmt: skip
    assert build_started < 1.0
    assert len(stored({"PATH": str(site / "content")}, "pending")) == PENDING


def _first_line_naming(process, text, seconds):
    """The first line `process` prints that holds `text`; fails after `seconds` without."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if selector.select(left):
            line = process.stdout.readline()
            if text in line:
                return line
            if not line:
                break
    pytest.fail(f"no line with {text!r} within {seconds} s: the build did not start")


def test_a_verify_run_keeps_to_its_budget_and_one_fetch_per_host(receiver_settings, tmp_path):
    settings = {**receiver_settings, "LINKBACKS_ALLOW_PRIVATE": True,
                "LINKBACKS_VERIFY_BUDGET": 3, "LINKBACKS_FETCH_TIMEOUT": 10}  # fmt: skip
    with running_hanging_site() as hanging, running_blog() as blog:
        blog.page("/reply", linking_page("A reply"))
        # The hanging host's pings come first in the queue; the other host's is not held up.
        replying = blog.url("/reply").replace("127.0.0.1", "localhost")
        queue_pings(settings, [*(hanging.url(f"/{n}") for n in range(PENDING)), replying])
        run = subprocess.run(
            [LINKBACKS, "-s", str(settings_file(tmp_path, settings)), "verify"],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert hanging.open_at_once == 1
        assert hanging.connections == 1  # the budget ran out during the first fetch
    summary = run.stdout.splitlines()[-1]
    print(f"\n{summary}")
    assert "1 approved, 0 spam" in summary
    assert summary.endswith(f"{PENDING} left pending")
    [approved] = stored(settings, "approved")
    assert approved["source"] == replying


def test_the_receiver_verifies_in_the_background(receiver_settings):
    settings = {**receiver_settings, "LINKBACKS_ALLOW_PRIVATE": True,
                "LINKBACKS_VERIFY_IN_BACKGROUND": True, "LINKBACKS_FETCH_TIMEOUT": 2}  # fmt: skip
    with running_hanging_site() as hanging, running_blog() as blog:
        blog.page("/reply", linking_page("A reply"))
        replying = blog.url("/reply").replace("127.0.0.1", "localhost")
        with running_receiver(settings) as base:
            for source in [hanging.url("/1"), hanging.url("/2"), replying]:
                fields = urlencode({"source": source, "target": POST_URL}).encode()
                assert post_form(f"{base}/webmention", fields)[0] == 202
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and stored(settings, "pending"):
                time.sleep(0.1)
        states = {ping["source"]: ping["state"] for ping in stored(settings)}
    assert states == {replying: "approved", hanging.url("/1"): "spam", hanging.url("/2"): "spam"}
    assert hanging.open_at_once == 1


def test_the_queue_from_one_source_host_is_capped(receiver_settings):
    settings = {**receiver_settings, "LINKBACKS_PENDING_PER_HOST": 3}
    answers = []
    with running_receiver(settings) as base:
        for source in [*(f"https://flood.example/{n}" for n in range(5)),
                       "https://flood.example/0",  # the same ping again: an update
                       "https://other.example/1"]:  # fmt: skip
            fields = urlencode({"source": source, "target": POST_URL}).encode()
            answers.append(post_form(f"{base}/webmention", fields))
    assert [status for status, _type, _text in answers] == [202, 202, 202, 429, 429, 202, 202]
    assert "3 pings from flood.example are already waiting to be checked" in answers[3][2]
    assert len(stored(settings, "pending")) == 4


@pytest.mark.parametrize("host", ["flood.example", "[2001:db8::1]", "[2001:db8::1]:8080"])
def test_the_cap_counts_any_host_spelling_an_address_can_take(tmp_path, host):
    """The cap per source host holds for an IPv6 address as for a name (its sources are
    stored with the brackets), and with a port."""
    store = Store(tmp_path / "pings.sqlite3").init()

    def ping(n):
        return store.add(
            kind="webmention",
            slug="a-post",
            target="http://localhost:8000/a/",
            source=f"http://{host}/{n}",
            title="",
            excerpt="",
            blog_name="",
            address="192.0.2.1",
            limit=100,
            pending_limit=2,
        )

    ping(1)
    ping(2)
    with pytest.raises(RateLimited, match="already waiting"):
        ping(3)
