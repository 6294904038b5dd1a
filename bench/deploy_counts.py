"""How many files each deploy sends: `make s3_upload` to moto's S3 server on 127.0.0.1 and
`make rsync_upload` into a local folder, for a first deploy, the same content again, and
after one sentence added to the newest post's first paragraph.

    .venv/bin/python bench/deploy_counts.py --posts 1000   (make bench's synthetic site)
    .venv/bin/python bench/deploy_counts.py --sample       (the blog's own content/)

Needs .venv-aws (`make test` makes it: the AWS CLI and moto's server) and rsync.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import ROOT, make_site

AWS = ROOT / ".venv-aws" / "bin"
SSH = '#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in -*) shift ;; *) break ;; esac; done\n'
SSH += 'shift\nexec sh -c "$*"\n'  # runs rsync's remote half here, as the tests' fake ssh


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def edit_newest_post(content):
    newest = max((content / "posts").rglob("*.md"), key=lambda p: p.read_text().split("Date:")[1])
    head, _, body = newest.read_text(encoding="utf-8").partition("\n\n")
    newest.write_text(f"{head}\n\nOne sentence more. {body}", encoding="utf-8")
    return newest


def make(target, workdir, content, *variables, env):
    started = time.monotonic()
    finished = subprocess.run(
        [
            *("make", "--no-print-directory", "-C", str(ROOT), target),
            *(f"INPUTDIR={content}", f"OUTPUTDIR={workdir / 'output'}", "PING=0", *variables),
        ],
        env={**os.environ, "SITEURL": "https://blog.example.net", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        raise SystemExit(f"make {target} failed:\n{finished.stdout[-3000:]}{finished.stderr}")
    return finished.stdout, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--sample", action="store_true", help="the blog's content/")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="deploy-counts-"))
    port = free_port()
    server = subprocess.Popen(
        [AWS / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if args.sample:
            content = workdir / "content"
            shutil.copytree(ROOT / "content", content)
        else:
            content = make_site(workdir, args.posts)
        env = {
            "PATH": f"{AWS}:{os.environ['PATH']}",
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        for _ in range(100):
            try:
                urllib.request.urlopen(env["AWS_ENDPOINT_URL"] + "/moto-api/").close()
                break
            except OSError:
                time.sleep(0.2)
        subprocess.run(
            [AWS / "aws", "s3api", "create-bucket", "--bucket", "blog"],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
        (workdir / "www").mkdir()
        ssh = workdir / "ssh"
        ssh.write_text(SSH)
        ssh.chmod(0o755)
        rsync = ("SSH_HOST=here", f"SSH_TARGET_DIR={workdir / 'www'}", f"SSH_COMMAND={ssh}")
        print("deploy              s3_upload (uploaded/deleted/unchanged)   rsync_upload (sent)")
        for step in ("first deploy", "unchanged redeploy", "one-post edit"):
            if step == "one-post edit":
                edit_newest_post(content)
            s3_log, s3_time = make("s3_upload", workdir, content, "S3_BUCKET=blog", env=env)
            s3 = re.search(r"s3_upload: (\d+) uploaded, (\d+) deleted, (\d+) unchanged", s3_log)
            rsync_log, rsync_time = make("rsync_upload", workdir, content, *rsync, env=env)
            sent = re.search(r"Number of regular files transferred: ([\d,]+)", rsync_log)
            print(
                f"{step:20}{'/'.join(s3.groups()):>12} ({s3_time:5.1f} s)"
                f"{sent.group(1):>24} ({rsync_time:5.1f} s)",
                flush=True,
            )
        print("uploaded by the edit:", " ".join(re.findall(r"^upload: (.+)$", s3_log, re.M)))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
