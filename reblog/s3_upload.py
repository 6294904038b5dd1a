"""`make s3_upload`: put the built site in an S3 bucket, each object with the headers
reblog.hosting decides, uploading only what changed and deleting what the site no longer has.

    reblog-s3-upload OUTPUT BUCKET [-s publishconf.py] [--all]

It drives the AWS CLI (`aws`, version 1 or 2), as the other deploy targets drive rsync and
git: the CLI brings its own Python and botocore, which cannot share the site's .venv (botocore
wants python-dateutil below 3, the build pins 4), and it reads the usual AWS configuration,
`AWS_PROFILE` and `AWS_ENDPOINT_URL` (S3-compatible stores) among it.

What changed is decided by content, not by time: one listing gives every object's ETag,
which for an object uploaded in one part (all files under the CLI's 8 MB multipart
threshold) is the MD5 of its bytes, and a file is uploaded when its MD5 differs or the
object is missing. `aws s3 sync` compares the file's time with the upload's, to the second,
so it sends again whatever was built in the same second as the last upload, and never sees
a changed file of the same size with an older time.

The changed files are uploaded by kind, one `aws s3 cp --recursive` for each pair of
Content-Type and Cache-Control, from a folder of hard links (copies across file systems).
The `.gz` copies are not uploaded (and are deleted if an older deploy put them there): S3
sends an object's bytes whatever the request's Accept-Encoding, so a gzipped `index.html`
would reach a client that cannot decompress as garbage; CloudFront and most CDNs in front of
a bucket compress on their own. `_headers` is for other hosts and is not uploaded either.
Headers are set when an object is uploaded; after changing CACHE_MAX_AGE, `--all` (make
s3_upload ARGS=--all) uploads every file again so that every object carries the new value.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .hosting import SiteHeaders, served_files
from .report import terminal_safe

# delete-objects takes at most this many keys in one request.
DELETE_BATCH = 1000


class AwsError(RuntimeError):
    """An `aws` command failed; the message holds what it printed."""


def aws(*arguments, capture=False):
    """Run `aws ARGUMENTS`; its standard output when `capture`."""
    try:
        finished = subprocess.run(
            ["aws", *arguments],
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise AwsError("the aws command is not installed (AWS CLI)") from error
    if finished.returncode != 0:
        raise AwsError(f"aws {arguments[0]} {arguments[1]}: {finished.stderr.strip()}")
    return finished.stdout


def md5_of(path):
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bucket_etags(bucket):
    """Every object's key and ETag (quotes removed); the CLI follows the pages itself."""
    listing = aws(
        "s3api",
        "list-objects-v2",
        "--bucket",
        bucket,
        "--query",
        "Contents[].[Key, ETag]",
        "--output",
        "json",
        capture=True,
    )
    return {key: etag.strip('"') for key, etag in json.loads(listing or "null") or []}


def plan(output, etags, *, everything=False):
    """(files to upload, keys to delete, how many files are unchanged): the site's files whose
    bytes the bucket does not hold, and the bucket's keys the site does not have."""
    files = served_files(output)
    upload = [
        relative
        for relative in files
        if everything or etags.get(relative) != md5_of(Path(output) / relative)
    ]
    delete = sorted(set(etags) - set(files))
    return upload, delete, len(files) - len(upload)


def upload_by_kind(output, bucket, upload, site):
    """One `aws s3 cp --recursive` per (Content-Type, Cache-Control) of the files to upload."""
    groups = {}
    for relative in upload:
        served = site.served(relative)
        groups.setdefault((served.content_type, served.cache_control), []).append(relative)
    output = Path(output)
    for (content_type, cache_control), files in sorted(groups.items()):
        with tempfile.TemporaryDirectory(prefix=f"{output.name}.s3-", dir=output.parent) as tmp:
            for relative in files:
                link = Path(tmp) / relative
                link.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(output / relative, link)
                except OSError:
                    shutil.copy2(output / relative, link)
            aws(
                "s3",
                "cp",
                tmp,
                f"s3://{bucket}/",
                "--recursive",
                "--content-type",
                content_type,
                "--cache-control",
                cache_control,
                "--only-show-errors",
            )
        for relative in files:
            print(f"upload: {relative}", flush=True)


def delete_keys(bucket, keys):
    for start in range(0, len(keys), DELETE_BATCH):
        batch = keys[start : start + DELETE_BATCH]
        request = {"Objects": [{"Key": key} for key in batch], "Quiet": True}
        aws("s3api", "delete-objects", "--bucket", bucket, "--delete", json.dumps(request))
        for key in batch:
            print(f"delete: {key}", flush=True)


def main(argv=None):
    """`reblog-s3-upload`: the exit status (2: bad arguments; 1: an aws command failed)."""
    from pelican.settings import read_settings  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="reblog-s3-upload", description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="the built site (make publish's output/)")
    parser.add_argument("bucket", help="the bucket's name (S3_BUCKET)")
    parser.add_argument("-s", "--settings", default="publishconf.py")
    parser.add_argument("--all", action="store_true", help="upload every file, changed or not")
    options = parser.parse_args(argv)
    if not (options.output / "index.html").is_file():
        parser.error(f"{options.output} holds no built site (no index.html): make publish first")
    site = SiteHeaders(read_settings(options.settings))
    try:
        etags = bucket_etags(options.bucket)
        upload, delete, kept = plan(options.output, etags, everything=options.all)
        upload_by_kind(options.output, options.bucket, upload, site)
        delete_keys(options.bucket, delete)
    except AwsError as error:
        print(f"s3_upload: {terminal_safe(str(error))}", file=sys.stderr)
        return 1
    print(
        f"s3_upload: {len(upload)} uploaded, {len(delete)} deleted, {kept} unchanged "
        f"(s3://{options.bucket})",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
