"""`make bench`: build a synthetic site with stock Pelican and with this project; compare.

Generates POSTS posts (about 1,000 words each, one author, 5 categories, links and an
image) into a temporary folder, then runs each scenario RUNS times, in turn, so all see
the same machine load:

- stock:      Pelican's default settings and bundled default theme, its own feeds, no
              plugins: a cold full build;
- ours:       `make html FULL=1`: reblog.build with pelicanconf.py, this project's plugins
              and theme, recording what the next build may keep;
- edit body:  then one sentence added to the newest post, and `make html` (incremental);
- edit title: then that post's title changed (it moves in listings and feeds), `make html`.

Each build runs in a fresh interpreter and is timed from when the build starts (the
imports before it are left out, for stock as for ours: Pelican's own, and our plugins',
whose time is printed beside the figures). It prints the medians (wall and
CPU), each scenario's ratio to stock's cold build with its target, the peak memory, and
the time stock and ours spend writing feeds, which should follow the number of items in
the feeds (FEED_MAX_ITEMS), not the number of posts.
"""

import argparse
import json
import os
import random
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
    start, cpu_start, times = time.perf_counter(), time.process_time(), os.times()
    Pelican(settings).run()
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    system = os.times().system - times.system
    import resource  # noqa: PLC0415

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"total": total, "cpu": cpu, "system": system, "feeds": feed_seconds[0], "rss": rss}
        )
    )


def set_aside(path, workdir):
    """Move the last build's output (or cache) out of the way; it is deleted with the bench's
    folder, after every build is timed.

    Deleting it here would make the next build pay for it: ext4 without a journal (this
    VM's root file system) skips, one by one, every free inode deleted in the last one to
    five minutes when it allocates a new one (recently_deleted() in fs/ext4/ialloc.c). With
    the thousands of files of the last build just deleted, that scan was most of a cold
    build's kernel time (perf: find_inode_bit and recently_deleted), and it grew with the
    product of the files deleted and the files made."""
    if os.path.lexists(path):
        aside = Path(workdir) / "set-aside"
        aside.mkdir(exist_ok=True)
        os.rename(path, aside / f"{Path(path).name}-{time.monotonic_ns()}")


def run_build(kind, content, workdir, feed_max_items=None, config="pelicanconf.py"):
    output = Path(workdir) / f"output-{kind}"
    set_aside(output, workdir)
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
    parser.add_argument(
        "--workdir",
        default=str(ROOT / "var"),
        help="where to make the synthetic site and its builds (default: the project's var/)",
    )
    parser.add_argument("--build", choices=["stock", "ours", "make"], help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--content", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build == "make":
        build_as_make_html(args.content, args.output, args.cache, args.config)
        return
    if args.build:
        build_once(args.build, args.content, args.output, args.feed_max_items, args.config)
        return

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # In the project's var/, beside where `make html` builds the blog; --workdir to build
    # elsewhere. (What a new file costs the kernel depends on what was deleted near it in
    # the last minutes: see set_aside.)
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-", dir=args.workdir) as workdir:
        content = make_site(workdir, args.posts)
        results = {kind: [] for kind in SCENARIOS}
        for run in range(args.runs):
            for kind in SCENARIOS:
                result = run_scenario(kind, content, workdir, args)
                results[kind].append(result)
                print(
                    f"run {run + 1} {kind:11}: {result['total']:6.2f} s "
                    f"({result['cpu']:.2f} s CPU, {result['system']:.2f} of it system), "
                    f"peak {result['rss'] / 1024:.0f} MiB"
                    + (f", feeds {result['feeds']:.2f} s" if "feeds" in result else "")
                    + (f", plugin imports {result['imports']:.2f} s" if "imports" in result else "")
                )
        sizes = {
            kind: sum(
                f.stat().st_size
                for f in (Path(workdir) / f"output-{kind}").rglob("*")
                if f.is_file() and "feeds" in f.parts
            )
            for kind in ("stock", "ours")
        }
    report(results, sizes, args)


# Each scenario in a fresh interpreter, in this order in every run: stock Pelican's cold full
# build; ours cold (what `make html FULL=1` runs: reblog.build with its cache); then, on that
# output and cache, the newest post's body edited, and its title edited (`make html`).
SCENARIOS = ("stock", "ours", "edit body", "edit title")
# The targets of issue 13, as ratios to stock's cold build: (at 1,000 posts, at 4,000).
TARGETS = {
    "ours": (1.00, 1.10),
    "edit body": (0.10, 0.05),
    "edit title": (0.25, 0.25),
}


def run_scenario(kind, content, workdir, args):
    if kind == "stock":
        return run_build("stock", content, workdir, args.feed_max_items, args.config)[0]
    newest = sorted(Path(content, "posts").glob("*.md"))[-1]
    if kind == "ours":
        set_aside(Path(workdir) / "cache", workdir)
        set_aside(Path(workdir) / "output-ours", workdir)
    elif kind == "edit body":
        text = newest.read_text(encoding="utf-8")
        newest.write_text(text.rstrip("\n") + " One more sentence.\n", encoding="utf-8")
    elif kind == "edit title":
        text = newest.read_text(encoding="utf-8")
        newest.write_text(text.replace("Title: ", "Title: Edited: ", 1), encoding="utf-8")
    command = [sys.executable, __file__, "--build", "make", "--content", str(content)]
    command += ["--output", str(Path(workdir) / "output-ours"), "--config", args.config]
    command += ["--cache", str(Path(workdir) / "cache")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{kind} build failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_as_make_html(content, output, cache, config):
    """`make html`'s build (reblog.build, incremental with `cache`), timed in this
    interpreter once imported, as build_once times stock Pelican; prints JSON."""
    import resource  # noqa: PLC0415
    from contextlib import redirect_stdout  # noqa: PLC0415
    from io import StringIO  # noqa: PLC0415

    from pelican.plugins._utils import load_plugins  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    from reblog.build import build  # noqa: PLC0415 -- only the child process builds

    argv = [content, "-o", output, "-s", str(ROOT / config), "-e", 'TIMEZONE="America/New_York"']
    # The plugins' imports (Beautiful Soup, feedgen, Pillow...) are left out of the time,
    # as stock Pelican's own imports are; they are measured, and printed beside it.
    imports = time.process_time()
    load_plugins(read_settings(str(ROOT / config)))
    imports = time.process_time() - imports
    start, cpu_start, times = time.perf_counter(), time.process_time(), os.times()
    with redirect_stdout(StringIO()):
        status = build(argv, check=False, swap=True, cache=Path(cache))
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if status:
        sys.exit("the build failed")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    system = os.times().system - times.system
    print(
        json.dumps({"total": total, "cpu": cpu, "system": system, "rss": rss, "imports": imports})
    )


def report(results, sizes, args):
    """The medians, and each scenario against stock Pelican's cold build."""
    median = {kind: statistics.median(r["total"] for r in results[kind]) for kind in results}
    cpu = {kind: statistics.median(r["cpu"] for r in results[kind]) for kind in results}
    # The kernel's share (making folders and files) varies several times over from run to
    # run here; the process's own share is steadier.
    user = {
        kind: statistics.median(r["cpu"] - r["system"] for r in results[kind]) for kind in results
    }
    rss = {kind: max(r["rss"] for r in results[kind]) for kind in results}
    items = args.feed_max_items or "stock 100, ours pelicanconf.py's"
    print(f"posts: {args.posts}, runs: {args.runs}, FEED_MAX_ITEMS: {items}, ours: {args.config}")
    for kind in ("stock", "ours"):
        feeds = statistics.median(r.get("feeds", 0) for r in results[kind])
        print(
            f"{kind:5} median: {median[kind]:6.2f} s, {cpu[kind]:.2f} s CPU  (feed writing "
            f"{feeds:.2f} s, feeds/ {sizes[kind] / 1024:.0f} KiB)"
        )
    target_column = 0 if args.posts <= 1000 else 1
    for kind, targets in TARGETS.items():
        target = targets[target_column]
        print(
            f"{kind:10} / stock cold: {median[kind] / median['stock']:.3f} wall, "
            f"{cpu[kind] / cpu['stock']:.3f} CPU, {user[kind] / user['stock']:.3f} user CPU  "
            f"(target <= {target:.2f})"
        )
    imports = statistics.median(r["imports"] for r in results["edit body"])
    print(
        f"ours' plugin imports (left out above, as stock's imports are): {imports:.2f} s CPU; "
        f"edit body with them / stock cold: {(cpu['edit body'] + imports) / cpu['stock']:.3f}"
    )
    peak = max(rss[kind] for kind in SCENARIOS[1:])
    print(f"peak memory ours/stock: {peak / rss['stock']:.2f}  (target <= 1.50)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
