"""`make bench`: build a synthetic site with stock Pelican and with this project; compare.

Generates POSTS posts (about 1,000 words each, one author, 5 categories, links and an
image) into a temporary folder, then builds it RUNS times each way, alternating so both
see the same machine load:

- stock: Pelican's default settings and bundled default theme, its own feeds, no plugins;
- ours:  pelicanconf.py with this project's plugins and theme.

Each build runs in a fresh interpreter. It prints the median build time (wall and CPU)
of each, the ratio (target: ours at most 1.10 × stock), and the time spent writing
feeds, which should follow the number of items in the feeds (FEED_MAX_ITEMS), not the
number of posts.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["Leadership", "Careers", "Networking", "Management", "Reading"]
WORDS = [
    "network",
    "people",
    "career",
    "manager",
    "team",
    "trust",
    "meeting",
    "contact",
    "help",
    "friend",
    "advice",
    "skill",
    "growth",
    "promise",
    "listen",
    "question",
    "answer",
    "project",
    "client",
    "office",
    "market",
    "value",
    "story",
    "leader",
    "mentor",
    "habit",
    "goal",
    "plan",
    "week",
    "morning",
    "coffee",
    "letter",
    "phone",
    "travel",
    "learn",
    "teach",
    "write",
    "read",
    "share",
    "honest",
    "simple",
    "patient",
    "steady",
    "careful",
    "generous",
    "curious",
    "practical",
]


def tiny_png(width, height):
    """A valid grey PNG of the given size, so image references resolve to a real file."""

    def chunk(kind, data):
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def make_site(folder, posts, seed=2007):
    """Write `posts` Markdown posts and one image under folder/; return the content path."""
    rng = random.Random(seed)
    content = Path(folder) / "content"
    (content / "posts").mkdir(parents=True)
    (content / "images").mkdir()
    (content / "images" / "figure.png").write_bytes(tiny_png(64, 48))
    for n in range(posts):
        category = CATEGORIES[n % len(CATEGORIES)]
        tags = ", ".join(rng.sample(WORDS[:20], 3))
        day = 1 + n % 28
        month = 1 + (n // 28) % 12
        year = 2000 + n // (28 * 12)
        paragraphs = []
        for p in range(10):
            words = [rng.choice(WORDS) for _ in range(100)]
            words[0] = words[0].capitalize()
            if p == 2 and n:
                words.append(f"(see [the previous post]({{filename}}/posts/post-{n - 1:05d}.md))")
            if p == 5:
                words.append(f"and [a reference](https://example.org/reference/{n})")
            paragraphs.append(" ".join(words) + ".")
        paragraphs.insert(3, f"![Figure for post {n}]({{static}}/images/figure.png)")
        text = (
            f"Title: Synthetic post {n}\n"
            f"Date: {year:04d}-{month:02d}-{day:02d} 09:{n % 60:02d}\n"
            f"Author: Bench Writer\nCategory: {category}\nTags: {tags}\nSlug: post-{n:05d}\n\n"
            + "\n\n".join(paragraphs)
        )
        (content / "posts" / f"post-{n:05d}.md").write_text(text + "\n", encoding="utf-8")
    return content


def build_once(kind, content, output, feed_max_items=None, config="pelicanconf.py"):
    """Build in this interpreter; print {"total": s, "feeds": s} as JSON."""
    from pelican import Pelican, signals  # noqa: PLC0415 -- only the child process builds
    from pelican.generators import ArticlesGenerator  # noqa: PLC0415
    from pelican.settings import DEFAULT_CONFIG, read_settings  # noqa: PLC0415

    overrides = {"PATH": content, "OUTPUT_PATH": output, "TIMEZONE": "America/New_York"}
    if feed_max_items is not None:
        overrides["FEED_MAX_ITEMS"] = feed_max_items
    if kind == "stock":
        overrides |= {"SITENAME": "Bench", "SITEURL": "", "THEME": DEFAULT_CONFIG["THEME"]}
        settings = read_settings(None, override=overrides)
    else:
        settings = read_settings(str(ROOT / config), override=overrides)

    feed_seconds = [0.0]

    def timed(function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                feed_seconds[0] += time.perf_counter() - start

        return wrapper

    # RSS/Atom are written in generate_feeds; the JSON feeds when the article writer ends.
    ArticlesGenerator.generate_feeds = timed(ArticlesGenerator.generate_feeds)
    signals.article_writer_finalized.send = timed(signals.article_writer_finalized.send)
    start, cpu_start = time.perf_counter(), time.process_time()
    Pelican(settings).run()
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(json.dumps({"total": total, "cpu": cpu, "feeds": feed_seconds[0]}))


def run_build(kind, content, workdir, feed_max_items=None, config="pelicanconf.py"):
    output = Path(workdir) / f"output-{kind}"
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, __file__, "--build", kind, "--content", str(content)]
    command += ["--output", str(output), "--config", config]
    if feed_max_items is not None:
        command += ["--feed-max-items", str(feed_max_items)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{kind} build failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--feed-max-items", type=int, help="FEED_MAX_ITEMS for both builds (default: each its own)"
    )
    parser.add_argument(
        "--config",
        default="pelicanconf.py",
        help="this project's settings file for the 'ours' build (publishconf.py: production)",
    )
    parser.add_argument("--build", choices=["stock", "ours"], help=argparse.SUPPRESS)
    parser.add_argument("--content", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build_once(args.build, args.content, args.output, args.feed_max_items, args.config)
        return

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        content = make_site(workdir, args.posts)
        results = {"stock": [], "ours": []}
        for run in range(args.runs):
            for kind in ("stock", "ours"):
                result, _output = run_build(
                    kind, content, workdir, args.feed_max_items, args.config
                )
                results[kind].append(result)
                total, cpu, feeds = result["total"], result["cpu"], result["feeds"]
                print(
                    f"run {run + 1} {kind:5}: {total:6.2f} s ({cpu:.2f} s CPU), feeds {feeds:.2f} s"
                )
        sizes = {
            kind: sum(
                f.stat().st_size
                for f in (Path(workdir) / f"output-{kind}").rglob("*")
                if f.is_file() and "feeds" in f.parts
            )
            for kind in results
        }
    stock = statistics.median(r["total"] for r in results["stock"])
    ours = statistics.median(r["total"] for r in results["ours"])
    cpu = {kind: statistics.median(r["cpu"] for r in results[kind]) for kind in results}
    items = args.feed_max_items or "stock 100, ours pelicanconf.py's"
    print(f"posts: {args.posts}, runs: {args.runs}, FEED_MAX_ITEMS: {items}, ours: {args.config}")
    for kind, median in (("stock", stock), ("ours", ours)):
        feeds = statistics.median(r["feeds"] for r in results[kind])
        print(
            f"{kind:5} median: {median:6.2f} s, {cpu[kind]:.2f} s CPU  (feed writing {feeds:.2f} s,"
            f" feeds/ {sizes[kind] / 1024:.0f} KiB)"
        )
    print(f"ratio ours/stock: {ours / stock:.3f}  (target <= 1.10)")
    # On a shared machine wall time follows the neighbours' load; CPU time much less so.
    print(f"CPU-time ratio ours/stock: {cpu['ours'] / cpu['stock']:.3f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
