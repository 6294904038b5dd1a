"""README: `make rsync_upload`, `make github` and `make s3_upload` publish, check, then upload;
each refuses to run, naming the setting, until its settings are given."""

import shutil
import subprocess

import pytest
from conftest import NETWORKING_CONTENT, SITEURL, files_under
from conftest import make_deploy as make

# Drives a program outside Python: `make test-fast` leaves this file out.
pytestmark = pytest.mark.outside


@pytest.fixture
def broken_content(tmp_path):
    """content/ plus a post linking to a page that does not exist: `make publish` fails."""
    content = tmp_path / "content"
    shutil.copytree(NETWORKING_CONTENT, content)
    (content / "posts" / "broken.md").write_text(
        "Title: Broken\nDate: 2021-01-01\n\n[Gone](/no/such/page/)\n", encoding="utf-8"
    )
    return content


def test_rsync_upload_mirrors_the_published_site_into_the_target(tmp_path, fake_ssh):
    target = tmp_path / "www"
    target.mkdir()
    (target / "stale.html").write_text("from an older build")
    result = make(
        "rsync_upload",
        tmp_path,
        "SSH_HOST=stand-in",
        "SSH_USER=deploy",
        f"SSH_TARGET_DIR={target}",
        f"SSH_COMMAND={fake_ssh}",
    )
    assert result.returncode == 0, result.stdout
    assert "ready to upload" in result.stdout
    # The cited blogs are pinged after the upload, when the post is live (here the ping
    # step declines: blog.example.net is a placeholder address nobody could fetch).
    log = result.stdout
    assert log.index("ready to upload") < log.index("rsync -e") < log.index("not pinging")
    assert log.count("not pinging") == 1
    assert files_under(target) == files_under(tmp_path / "out")
    assert not (target / "stale.html").exists()  # --delete after a good build
    assert (target / "sitemap.xml").read_text().count(SITEURL) > 1


def test_rsync_upload_uploads_nothing_when_the_publish_check_fails(
    tmp_path, fake_ssh, broken_content
):
    target = tmp_path / "www"
    target.mkdir()
    (target / "index.html").write_text("the live site")
    result = make(
        "rsync_upload",
        tmp_path,
        "SSH_HOST=stand-in",
        f"SSH_TARGET_DIR={target}",
        f"SSH_COMMAND={fake_ssh}",
    )
    assert result.returncode != 0
    assert "links to /no/such/page/" in result.stdout
    assert "rsync -e" not in result.stdout
    assert "not pinging" not in result.stdout
    assert files_under(target) == ["index.html"]
    assert (target / "index.html").read_text() == "the live site"


def test_github_pushes_the_published_site_to_gh_pages(tmp_path):
    remote = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    # A scratch repository stands in for the project's, so the test never adds a
    # gh-pages branch to the real one: ghp-import and git obey GIT_DIR.
    scratch = tmp_path / "scratch"
    subprocess.run(["git", "init", "-q", str(scratch)], check=True)
    identity = {
        "GIT_DIR": str(scratch / ".git"),
        "GIT_COMMITTER_NAME": "Deploy Test",
        "GIT_COMMITTER_EMAIL": "deploy@example.net",
    }
    result = make("github", tmp_path, f"GITHUB_PAGES_REMOTE={remote}", env=identity)
    assert result.returncode == 0, result.stdout
    assert result.stdout.index("ghp-import") < result.stdout.index("not pinging")
    listed = subprocess.run(
        ["git", "--git-dir", str(remote), "ls-tree", "-r", "--name-only", "gh-pages"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert ".nojekyll" in listed
    assert sorted(set(listed) - {".nojekyll"}) == files_under(tmp_path / "out")
    index = subprocess.run(
        ["git", "--git-dir", str(remote), "show", "gh-pages:index.html"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f'href="{SITEURL}/feeds/all.rss.xml"' in index


@pytest.mark.parametrize(
    ("target", "variables", "missing"),
    [
        ("rsync_upload", [], "SSH_HOST is not set"),
        ("rsync_upload", ["SSH_HOST=example.net"], "SSH_TARGET_DIR is not set"),
        ("github", [], "GITHUB_PAGES_REMOTE is not set"),
        ("s3_upload", [], "S3_BUCKET is not set"),
    ],
)
def test_deploy_refuses_without_its_settings_and_builds_nothing(
    tmp_path, target, variables, missing
):
    result = make(target, tmp_path, *variables)
    assert result.returncode == 2
    assert f"{target}: {missing}" in result.stdout
    assert not (tmp_path / "out").exists()


def test_s3_upload_refuses_without_the_aws_command(tmp_path):
    # A PATH with make and sh but without aws.
    if shutil.which("aws", path="/usr/bin:/bin"):
        pytest.fail("this test needs a PATH without the aws command")
    result = make("s3_upload", tmp_path, "S3_BUCKET=my-bucket", env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "s3_upload: the aws command is not installed" in result.stdout
    assert not (tmp_path / "out").exists()
