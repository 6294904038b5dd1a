"""docs/deploying.md: `make s3_upload` gives every object the Content-Type and Cache-Control of
reblog.hosting's table, never serves a `.gz` copy, deletes what the site no longer has, and
uploads only the files whose bytes changed; `make rsync_upload` sends only those too.

The bucket is moto's S3 server on 127.0.0.1, driven by the pinned AWS CLI (both in
.venv-aws, which `make test` installs), read back as a browser reads it: plain GETs."""

import json
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import (
    NETWORKING_CONTENT,
    ROOT,
    SITES,
    files_under,
    free_port,
    make_deploy,
    wait_until_serving,
)
from pelican.settings import read_settings

from reblog.hosting import SiteHeaders

pytestmark = pytest.mark.outside

AWS_VENV = Path(os.environ.get("AWS_VENV", ROOT / ".venv-aws"))
S3_NS = {"s3": "http://s3.amazonaws.com/doc/2006-03-01/"}
EDITED = "second.md"
# Two posts beside the fixture's, so that an edit to one leaves the other's files alone.
POSTS = {
    EDITED: (
        "Title: A second post\nDate: 2021-03-01\nCategory: Careers\nTags: habits\n\n"
        "The first paragraph, which listings show as the summary.\n\n"
        "The second paragraph.\n"
    ),
    "third.md": (
        "Title: A third post\nDate: 2021-04-01\nCategory: Reading\nTags: books\n\n"
        "Another post, in another category.\n"
    ),
}
# What one edit of the second post's first paragraph changes, and so what a deploy sends:
# its page, the listings that show its summary (the index, its category, tag and author
# pages) and the feeds that carry it (all, and its category's), with their .gz copies
# where there are some. Not the sitemap: it dates a post by its Date or Modified, and
# neither changed (an edit that adds `Modified:` changes the sitemap too).
CHANGED_BY_THE_EDIT = {
    "2021/03/a-second-post/index.html",
    "index.html",
    "category/careers/index.html",
    "tag/habits/index.html",
    "author/rlw/index.html",
    "feeds/all.atom.xml",
    "feeds/all.rss.xml",
    "feeds/all.json",
    "feeds/category/careers.atom.xml",
    "feeds/category/careers.rss.xml",
    "feeds/category/careers.json",
}


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    """moto's S3 server on 127.0.0.1, a free port; yields (endpoint, its request log)."""
    programs = AWS_VENV / "bin"
    if not (programs / "moto_server").is_file() or not (programs / "aws").is_file():
        pytest.fail(f"{programs} has no aws or moto_server: `make test` installs them")
    log = tmp_path_factory.mktemp("moto") / "requests.log"
    port = free_port()
    with open(log, "w") as log_file:
        server = subprocess.Popen(
            [programs / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(endpoint + "/moto-api/", server, "moto_server")
        yield endpoint, log
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, request):
    """A new bucket on the server; the environment `make s3_upload` needs to reach it."""
    endpoint, log = s3_server
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())[:50].strip("-")
    env = {
        "PATH": f"{AWS_VENV / 'bin'}:{os.environ['PATH']}",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    # Readable by anyone, as a bucket that serves a site is.
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{name}/*",
                }
            ],
        }
    )
    for command in (
        ["s3api", "create-bucket", "--bucket", name],
        ["s3api", "put-bucket-policy", "--bucket", name, "--policy", policy],
    ):
        subprocess.run(
            ["aws", *command], env={**os.environ, **env}, check=True, capture_output=True
        )
    return name, endpoint, log, env


@pytest.fixture
def content(tmp_path):
    """The networking site plus two posts, where make_deploy builds from."""
    folder = tmp_path / "content"
    shutil.copytree(NETWORKING_CONTENT, folder)
    for name, text in POSTS.items():
        (folder / "posts" / name).write_text(text, encoding="utf-8")
    return folder


def edit_the_second_post(content):
    post = content / "posts" / EDITED
    post.write_text(
        post.read_text().replace("The first paragraph", "The edited first paragraph"),
        encoding="utf-8",
    )


def snapshot(folder):
    """Each file's bytes under `folder`."""
    return {name: (Path(folder) / name).read_bytes() for name in files_under(folder)}


def changed_between(before, after):
    return {name for name in after if before.get(name) != after[name]}


def uploaded(log):
    return set(re.findall(r"^upload: (.+)$", log, re.MULTILINE))


def objects(endpoint, name):
    """Every key in the bucket, listed as an anonymous client lists it."""
    with urllib.request.urlopen(f"{endpoint}/{name}?list-type=2") as response:
        listing = ElementTree.fromstring(response.read())
    assert listing.findtext("s3:IsTruncated", namespaces=S3_NS) == "false"
    return {key.text for key in listing.findall("s3:Contents/s3:Key", S3_NS)}


def puts_since(log, offset):
    """The object keys the server was sent a PUT for after `offset` bytes of its log."""
    text = log.read_text()[offset:]
    return set(re.findall(r'"PUT /[^/ ]+/(\S+) HTTP', text))


def site_headers(monkeypatch):
    monkeypatch.setenv("SITEURL", "https://blog.example.net")
    return SiteHeaders(read_settings(str(SITES / "publishconf.py")))


def test_s3_upload_sets_each_objects_headers_and_sends_only_what_changed(
    tmp_path, content, bucket, monkeypatch
):
    name, endpoint, server_log, env = bucket
    # An object an older deploy left (a page since removed, and an old .gz copy).
    stale = tmp_path / "stale.html"
    stale.write_text("a page the site no longer has")
    for key in ("old-page/index.html", "index.html.gz"):
        subprocess.run(
            ["aws", "s3", "cp", str(stale), f"s3://{name}/{key}"],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )

    first = make_deploy("s3_upload", tmp_path, f"S3_BUCKET={name}", env=env)
    assert first.returncode == 0, first.stdout
    out = tmp_path / "out"
    site = files_under(out)
    served = {f for f in site if not f.endswith(".gz") and f != "_headers"}
    assert objects(endpoint, name) == served  # the stale page and the .gz are gone
    assert uploaded(first.stdout) == served
    assert f"s3_upload: {len(served)} uploaded, 2 deleted, 0 unchanged" in first.stdout
    # Every object as a browser gets it: the table's headers, the file's bytes as they are.
    table = site_headers(monkeypatch)
    for key in sorted(served):
        request = urllib.request.Request(f"{endpoint}/{name}/{key}")  # no Accept-Encoding
        with urllib.request.urlopen(request) as response:
            expected = table.served(key)
            assert response.headers["Content-Type"] == expected.content_type, key
            assert response.headers["Cache-Control"] == expected.cache_control, key
            assert response.headers["Content-Encoding"] is None, key
            assert response.read() == (out / key).read_bytes(), key
    assert table.served("feeds/all.rss.xml").content_type.startswith("application/rss+xml")
    assert table.served("theme/css/site.css").cache_control.endswith("immutable")

    # The same content again: nothing is sent, as the server's own log shows.
    offset = len(server_log.read_text())
    again = make_deploy("s3_upload", tmp_path, f"S3_BUCKET={name}", env=env)
    assert again.returncode == 0, again.stdout
    assert uploaded(again.stdout) == set()
    assert f"s3_upload: 0 uploaded, 0 deleted, {len(served)} unchanged" in again.stdout
    assert puts_since(server_log, offset) == set()

    # One post's first paragraph edited: its page, listings and feeds, nothing else.
    before = snapshot(out)
    edit_the_second_post(content)
    offset = len(server_log.read_text())
    edited = make_deploy("s3_upload", tmp_path, f"S3_BUCKET={name}", env=env)
    assert edited.returncode == 0, edited.stdout
    changed = changed_between(before, snapshot(out))
    assert {f for f in changed if not f.endswith(".gz")} == CHANGED_BY_THE_EDIT
    assert uploaded(edited.stdout) == CHANGED_BY_THE_EDIT
    assert puts_since(server_log, offset) == CHANGED_BY_THE_EDIT

    # A post taken out of the site: its page leaves the bucket.
    (content / "posts" / "third.md").unlink()
    removed = make_deploy("s3_upload", tmp_path, f"S3_BUCKET={name}", env=env)
    assert removed.returncode == 0, removed.stdout
    assert "delete: 2021/04/a-third-post/index.html" in removed.stdout
    keys = objects(endpoint, name)
    assert "2021/04/a-third-post/index.html" not in keys
    assert keys == {f for f in files_under(out) if not f.endswith(".gz") and f != "_headers"}


def remote_state(folder):
    """Each file's inode and modification time: rsync replaces a file it sends."""
    return {
        name: ((Path(folder) / name).stat().st_ino, (Path(folder) / name).stat().st_mtime_ns)
        for name in files_under(folder)
    }


def test_rsync_upload_sends_only_what_changed(tmp_path, content, fake_ssh):
    target = tmp_path / "www"
    target.mkdir()
    settings = ("SSH_HOST=stand-in", f"SSH_TARGET_DIR={target}", f"SSH_COMMAND={fake_ssh}")
    first = make_deploy("rsync_upload", tmp_path, *settings)
    assert first.returncode == 0, first.stdout
    out = tmp_path / "out"
    assert files_under(target) == files_under(out)
    times = {name: (out / name).stat().st_mtime_ns for name in files_under(out)}

    state = remote_state(target)
    again = make_deploy("rsync_upload", tmp_path, *settings)
    assert again.returncode == 0, again.stdout
    assert "Number of regular files transferred: 0" in again.stdout
    assert remote_state(target) == state
    # The rebuild kept every file's time: its bytes are the same.
    assert {name: (out / name).stat().st_mtime_ns for name in files_under(out)} == times

    before = snapshot(out)
    edit_the_second_post(content)
    edited = make_deploy("rsync_upload", tmp_path, *settings)
    assert edited.returncode == 0, edited.stdout
    changed = changed_between(before, snapshot(out))
    assert {f for f in changed if not f.endswith(".gz")} == CHANGED_BY_THE_EDIT
    after = remote_state(target)
    assert {name for name in after if after[name] != state.get(name)} == changed
    assert {f for f in uploaded(edited.stdout) if not f.endswith("/")} == changed
    assert f"Number of regular files transferred: {len(changed)}" in edited.stdout
    # Only the files whose bytes changed got a new time in the build, too.
    assert {name for name in before if (out / name).stat().st_mtime_ns != times[name]} == changed
