"""README: two `make ping` runs at once send each ping once: a run holds the ledger's lock
from start to end, the second waits for it and then finds the pings already recorded; the
ledger is written atomically after every ping."""

import json
import subprocess
import sys
from pathlib import Path

from blogs import running_blog, settings_file

from reblog.settings import read

LINKBACKS = str(Path(sys.executable).with_name("reblog-linkbacks"))


def test_two_runs_at_once_send_one_ping_per_endpoint(build_site, tmp_path):
    with running_blog() as blog:
        # Slow to answer, so the two runs overlap while discovering the endpoints.
        for n in range(2):
            page = f'<html><head><link rel="webmention" href="/wm{n}"></head><body></body></html>'
            blog.page(f"/cited{n}", page, delay=1.5)
            blog.page(f"/wm{n}", "", status=202)
        post = (
            "Title: Citing\nDate: 2020-01-01\nSlug: citing\n\n"
            f"See [one]({blog.url('/cited0')}) and [two]({blog.url('/cited1')}).\n"
        )
        site = build_site(posts={"citing.md": post})
        settings = {"PATH": str(site.output.parent / "content"), "LINKBACKS_ALLOW_PRIVATE": True}
        conf = str(settings_file(tmp_path, settings))
        runs = [
            subprocess.Popen(
                [LINKBACKS, "-s", conf, "ping", "citing"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert [len(blog.posts_to(f"/wm{n}")) for n in range(2)] == [1, 1]
    ledger = json.loads(read(settings)["LINKBACKS_LEDGER"].read_text(encoding="utf-8"))
    entries = ledger["sent"]["citing"]
    assert [entries[blog.url(f"/cited{n}")]["attempts"] for n in range(2)] == [1, 1]
    summaries = sorted(out.splitlines()[-1] for out, _err in outputs)
    assert summaries[0].startswith("linkbacks: 0 sent")
    assert summaries[1].startswith("linkbacks: 2 sent")
