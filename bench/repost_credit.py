"""`make bench-repost`: how well `make repost` credits and quotes real article pages.

Runs each main-text extractor over a corpus of saved pages with known article text — by
default the Zyte/Scrapinghub article-extraction benchmark's 181 pages, kept (MIT licence)
in bench/article-extraction-benchmark/ — and prints, for each:

- excerpt starts in the article: the excerpt's first block is the article's own text;
- every quoted block in the article: no block of the excerpt is page furniture;
- main text F1: the whole main text against the article's, word 4-gram overlap (the
  benchmark's own measure, computed the same way);
- refused: pages that got "no article text to quote"; crashes: exceptions;
- for ours, what the corpus has no answers for, as how often it was found: title, author,
  site name, and drafts whose credit is complete enough to build;
- median and maximum seconds per page (reading the page, metadata, main text, excerpt).

Each page is read as `make repost` reads a fetched page (reblog.repost.extract.from_page),
at the address the corpus gives for it. Nothing is fetched: the bench never reaches the
internet. readability-lxml is compared when installed (docs/development.md says why it is
not installed with the rest).
"""

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import traceback
import unicodedata
from pathlib import Path

import markdown
import trafilatura
from bs4 import BeautifulSoup

from reblog.credit import InvalidAttribution, validate
from reblog.repost import extract
from reblog.repost.excerpt import excerpt
from reblog.repost.fetch import Document

try:  # a dev dependency: compared, not used by the command
    from readability import Document as Readable
except ImportError:
    Readable = None

CORPUS = Path(__file__).resolve().parent / "article-extraction-benchmark"
WORDS = 150  # the command's default excerpt length (REPOST["EXCERPT_WORDS"])
SHINGLE = 4
# A quoted block counts as the article's when this share of its word 4-grams is in it:
# the corpus' text and ours differ in small ways (footnote marks, image alt text, spacing).
IN_ARTICLE = 0.8


def main(argv=None):
    cli = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_argument("--corpus", type=Path, default=CORPUS, help=f"default {CORPUS}")
    cli.add_argument("--limit", type=int, help="only the first N pages")
    cli.add_argument(
        "--extractors",
        default=",".join(EXTRACTORS),
        help="comma-separated, of: " + ", ".join(EXTRACTORS),
    )
    cli.add_argument("--show", action="store_true", help="print each page's result, for study")
    args = cli.parse_args(argv)
    pages = load_corpus(args.corpus, args.limit)
    rows = []
    for name in args.extractors.split(","):
        run = EXTRACTORS[name]
        if run is None:
            print(f"{name}: not installed, left out", file=sys.stderr)
            continue
        rows.append(measure(name, run, pages, args.show))
    print_table(rows, len(pages))


def load_corpus(folder, limit):
    truth = json.loads(gzip.decompress((folder / "ground-truth.json.gz").read_bytes()))
    pages = []
    for key in sorted(truth)[:limit]:
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        pages.append((key, truth[key]["url"], html, truth[key]["articleBody"]))
    return pages


def ours(doc):
    found = extract.from_page(doc)
    return found, found.body, found.article


def with_trafilatura(doc):
    found = extract.from_page(doc)
    html = trafilatura.extract(
        doc.body, url=doc.url, output_format="html", include_comments=False, favor_precision=True
    )
    return found, BeautifulSoup(html or "<div></div>", "html.parser").find(["body", "div"]), None


def with_readability(doc):
    found = extract.from_page(doc)
    html = Readable(doc.body).summary(html_partial=True)
    return found, BeautifulSoup(html, "html.parser").find("div"), None


EXTRACTORS = {
    "ours": ours,
    "trafilatura": with_trafilatura,
    "readability-lxml": with_readability if Readable else None,
}


def measure(name, run, pages, show):
    counts = dict.fromkeys(
        ("starts", "all_in", "refused", "crashes", "title", "author", "site", "complete"), 0
    )
    f1s, seconds = [], []
    for key, url, html, truth in pages:
        doc = Document(body=html, location=url, kind="html")
        start = time.perf_counter()
        try:
            found, body, article = run(doc)
            main_text = body.get_text(" ") if body is not None else ""
            quote, _ = excerpt(
                body,
                found.base,
                WORDS,
                found.title,
                found.fallback_text,
                article=article,
                author=found.author,
            )
        except Exception:
            counts["crashes"] += 1
            print(f"{name}: {key} crashed:\n{traceback.format_exc()}", file=sys.stderr)
            continue
        finally:
            seconds.append(time.perf_counter() - start)
        article = normal(truth)
        article_shingles = shingles(article)
        blocks = quoted_blocks(quote)
        if not blocks:
            counts["refused"] += 1
        starts = bool(blocks) and in_article(blocks[0], article, article_shingles, opening=True)
        all_in = bool(blocks) and all(in_article(b, article, article_shingles) for b in blocks)
        counts["starts"] += starts
        counts["all_in"] += all_in
        f1s.append(f1(shingles(normal(main_text)), article_shingles))
        counts["title"] += bool(found.title)
        counts["author"] += bool(found.author)
        counts["site"] += bool(found.site) and found.site != doc_host(url)
        counts["complete"] += complete(found)
        if show:
            mark = ("S" if starts else "-") + ("A" if all_in else "-")
            print(f"{mark} {key[:8]} {url}")
            print(f"     title={found.title!r} author={found.author!r} site={found.site!r}")
            print(f"     sources={found.sources}")
            print(f"     opening={(blocks or [''])[0][:160]!r}")
    return name, counts, statistics.mean(f1s) if f1s else 0.0, seconds


def normal(text):
    """Words only: the corpus' text and ours differ in punctuation, case and spacing."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


def shingles(text):
    words = text.split()
    return {tuple(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}


def in_article(block, article, article_shingles, opening=False):
    """Whether the quoted `block` is the article's text; for the opening, its first words."""
    words = normal(block).split()
    if opening:
        words = words[:12]
    if len(words) < SHINGLE:
        return " ".join(words) in article
    own = shingles(" ".join(words))
    return len(own & article_shingles) >= IN_ARTICLE * len(own)


def quoted_blocks(quote):
    """The excerpt's blocks as a reader sees them: the Markdown rendered, one text each."""
    html = markdown.markdown(quote or "", extensions=["def_list"])
    soup = BeautifulSoup(html, "html.parser")
    blocks = [" ".join(tag.get_text(" ").split()) for tag in soup.find_all(recursive=False)]
    return [block for block in blocks if block]


def f1(found, truth):
    common = len(found & truth)
    if not common:
        return 0.0
    precision, recall = common / len(found), common / len(truth)
    return 2 * precision * recall / (precision + recall)


def doc_host(url):
    return re.sub(r"^https?://([^/:]+).*", r"\1", url)


def complete(found):
    values = {
        "original_author": found.author,
        "original_site": found.site,
        "original_url": found.url,
        "original_site_url": found.site_url,
    }
    try:
        validate(values)
    except InvalidAttribution:
        return False
    return True


def print_table(rows, total):
    def share(n):
        return f"{n / total:.0%} ({n})"

    measures = [
        ("excerpt starts in the article", lambda c, f, s: share(c["starts"])),
        ("every quoted block in the article", lambda c, f, s: share(c["all_in"])),
        ("main text F1 (word 4-grams)", lambda c, f, s: f"{f:.3f}"),
        ("refused as 'no article text'", lambda c, f, s: str(c["refused"])),
        ("crashes", lambda c, f, s: str(c["crashes"])),
        ("title found", lambda c, f, s: share(c["title"])),
        ("author found", lambda c, f, s: share(c["author"])),
        ("site name found (not the host name)", lambda c, f, s: share(c["site"])),
        ("credit complete enough to build", lambda c, f, s: share(c["complete"])),
        ("median seconds per page", lambda c, f, s: f"{statistics.median(s):.3f}"),
        ("max seconds per page", lambda c, f, s: f"{max(s):.3f}"),
    ]
    names = [name for name, *_ in rows]
    print(f"{total} pages from {CORPUS.name if total else 'no corpus'}")
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for label, show in measures:
        cells = [show(counts, f, seconds) for _, counts, f, seconds in rows]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
