"""Problems told post by post: what `make html`, `make check` and `make publish` print
when something is wrong, each line under the source file it is about."""

import re
import sys

# How Pelican says it left a file out; the engine has already logged why.
PELICAN_READ_FAILURE = "Could not process "
# C0 and C1 control characters but the line break: a post or a ping may hold any of them,
# and an escape sequence printed as it is would take over the terminal.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def terminal_safe(line):
    """`line` with every control character shown as an escape (\\x1b), never sent as is."""
    return CONTROL.sub(lambda match: repr(match.group())[1:-1], line)


def by_post(problems, sources):
    """Group "file: problem" lines under the source each file was built from.

    `sources` maps output paths (a post's save_as) to source paths. A line about a file
    that no single post made (a feed, a listing) is grouped under that file, unless it
    repeats a problem already listed under a post: a listing shows a post's summary, and
    with it the summary's broken links.
    """
    groups = {}
    for line in problems:
        where, _, problem = line.partition(": ")
        if line.startswith(PELICAN_READ_FAILURE):
            # Pelican's own line about a post the engine has already explained.
            where = line.removeprefix(PELICAN_READ_FAILURE).split("\n", 1)[0].strip()
            problem = None
        groups.setdefault(sources.get(where, where), []).append((line, problem))
    by_source = set(sources.values())
    explained = {
        problem for heading, lines in groups.items() if heading in by_source for _, problem in lines
    }
    report = {}
    for heading, lines in groups.items():
        kept = [
            line
            for line, problem in lines
            if not (problem is None and len(lines) > 1)
            and not (heading not in by_source and problem in explained)
        ]
        if kept:
            report[heading] = kept
    return report


def print_report(groups, command="check"):
    """Print the problems post by post; return True when there were none."""
    count = sum(len(lines) for lines in groups.values())
    for heading in sorted(groups):
        print(terminal_safe(heading), file=sys.stderr)
        for line in groups[heading]:
            print(f"  {terminal_safe(line)}", file=sys.stderr)
    if count:
        print(f"{command}: {count} problem(s) in {len(groups)} file(s)", file=sys.stderr)
    return not count
