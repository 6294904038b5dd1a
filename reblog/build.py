"""Build the site into a folder beside the output folder; swap it in only after success.

    reblog-build [--check] [pelican's own arguments]          (make html, make publish)

Pelican writes into the output folder as it goes, so a build that stops half-way (a post
it cannot read, two posts claiming one address) would leave old and new files mixed, or
a post silently missing. This runs Pelican into `<output>.build-XXXXXX` next to the
output folder, letting it go on past a broken post so that one run names every problem,
and renames that folder into place only when Pelican finished and logged no error (with
`--fatal warnings`, no warning). Otherwise the problems are listed under the file each is
in, the previous output folder is left exactly as it was, the temporary folder is
removed, and the exit status is 1.

With `--check` (make publish) the finished build is also checked (reblog.check) before it
is swapped in: a broken link, a missing image, an invalid feed or a development address
stops it the same way, each problem listed under the post it is in.
"""

import argparse
import logging
import os
import shutil
import signal
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

from pelican import DEFAULT_CONFIG_NAME, LOG_HANDLERS, get_config, get_instance, parse_arguments
from pelican import signals as pelican_signals
from pelican.log import FatalLogger, console
from pelican.log import init as init_logging
from pelican.settings import read_settings

from .atomicfile import same_bytes
from .incremental import Incremental, collector_given_back
from .pelican_internals import forget_every_rendering, forget_logged_warnings
from .report import by_post, print_report

logger = logging.getLogger("reblog.build")


class CollectProblems(logging.Handler):
    """Keeps every record at the fatal level, in case some code catches the error it raised,
    and for the check's report."""

    def __init__(self, level):
        super().__init__(level)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


class HoldBack(logging.Filter):
    """On the console: leaves out what CollectProblems keeps for the report at the end."""

    def __init__(self, level):
        super().__init__()
        self.level = level

    def filter(self, record):
        return not self.level <= record.levelno < logging.CRITICAL


class Sources:
    """Which source file each output file of the build came from, for the check's report."""

    def __init__(self):
        self.by_output = {}

    def record(self, generators):
        """all_generators_finalized: every post's, page's and static file's output path."""
        context = generators[0].context
        for source, content in context.get("generated_content", {}).items():
            if content is not None:
                self.by_output[content.save_as] = source
        for source, static in context.get("static_content", {}).items():
            self.by_output[static.save_as] = source


class KeepStateAside:
    """For a check that replaces nothing: the linkback manifest goes to a scratch folder, so
    the receiver and `make ping` keep the one the last real build wrote."""

    def __init__(self, folder):
        self.folder = folder

    def redirect(self, pelican):
        """initialized: point LINKBACKS_MANIFEST into the scratch folder."""
        pelican.settings["LINKBACKS_MANIFEST"] = str(self.folder / "linkbacks-manifest.json")


def main(argv=None):
    """`reblog-build`: build, check when asked, swap in on success; the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if {"-h", "--help"} & set(argv):
        print(__doc__.split("\n\n", 2)[1] + "\n\nPelican's own arguments:", flush=True)
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--check", action="store_true")
    own.add_argument("--cache", type=Path)
    own.add_argument("--full", action="store_true")
    options, argv = own.parse_known_args(argv)
    return build(argv, check=options.check, swap=True, cache=options.cache, full=options.full)


def build(argv, *, check, swap, overrides=None, cache=None, full=False):
    """Run Pelican (arguments `argv`) into a temporary folder; with `check`, check the result;
    with `swap`, put it in place of the output folder when nothing went wrong. `overrides`
    are settings given as Pelican's `-e` gives them (`make serve`: the port's address).

    With a `cache` folder (make html, make serve, make devserver) the build is incremental
    (reblog.incremental): only what changed since the last build there is read and written;
    `full` writes everything, and leaves the cache for the next build."""
    args = parse_arguments(argv)
    args.overrides.update(overrides or {})
    # make and CI stop a build with SIGTERM; exiting normally lets `finally` clean up.
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    with collecting_problems(args) as problems:
        return build_collecting(args, problems, check=check, swap=swap, cache=cache, full=full)


def build_collecting(args, problems, *, check, swap, cache, full):
    """`build`, with Pelican's logging set up and its problems kept in `problems`."""
    if args.settings is None and os.path.isfile(DEFAULT_CONFIG_NAME):
        args.settings = DEFAULT_CONFIG_NAME
    settings = read_settings(args.settings, override=get_config(args))
    output = Path(settings["OUTPUT_PATH"])
    output.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f"{output.name}.build-", dir=output.parent))
    sources = Sources()
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, building, ignore_errors=True)
        connect(stack, pelican_signals.all_generators_finalized, sources.record)
        if check:
            # The check reads every link of every file itself; one report, not two.
            connect(stack, pelican_signals.initialized, leave_links_to_the_check)
        incremental = None
        if cache is not None and swap and not check:
            incremental = Incremental(cache, output, full=full)
            stack.enter_context(collector_given_back())
            incremental.start(settings)
            connect(stack, pelican_signals.initialized, incremental.attach)
        if not swap:
            scratch = KeepStateAside(Path(tempfile.mkdtemp(prefix=f"{output.name}.check-")))
            stack.callback(shutil.rmtree, scratch.folder, ignore_errors=True)
            connect(stack, pelican_signals.initialized, scratch.redirect)
        set_default_permissions(building)
        # An incremental build updates the output folder in place: Pelican builds into it,
        # but every file it writes waits in `building` until the build has succeeded, then
        # takes its place with one rename. A full build is made in `building` and swapped in
        # as a whole. Either way a failed build leaves the output folder as it was.
        in_place = incremental is not None and incremental.can_update_in_place
        if in_place:
            incremental.staging = building
        args.output = str(output if in_place else building)
        if not run_and_check(args, building, problems, sources, check=check):
            if in_place:
                incremental.undo_folders()
            return fail(output, swap)
        if in_place:
            incremental.apply()
            incremental.save(output)
            print(incremental.summary(), flush=True)
            return 0
        if swap and output.exists():
            # Before the record below: it notes each file's time.
            keep_times_of_unchanged_files(building, output)
        if incremental is not None:
            incremental.save(building)
        if swap:
            swap_in(building, output, settings["OUTPUT_RETENTION"])
        if incremental is not None:
            print(incremental.summary(), flush=True)
    return 0


def run_and_check(args, building, problems, sources, *, check):
    """Run Pelican into `building`, and check the result when asked; False if anything is
    wrong (the problems are printed, post by post)."""
    try:
        pelican, _ = get_instance(args)
        pelican.run()
    except Exception as error:
        print_report(by_post(problems.lines, sources.by_output), "build")
        report(error, args)
        return False
    finally:
        forget_every_rendering()
    if check:
        # Imported here: a plain `make html` does not load the checker.
        from .check import check_built_site  # noqa: PLC0415

        return check_built_site(building, args.settings, sources.by_output, problems.lines)
    if problems.lines:
        print_report(by_post(problems.lines, sources.by_output), "build")
        return False
    return True


def connect(stack, signal, receiver):
    """Connect `receiver` to a Pelican signal until `stack` closes."""
    signal.connect(receiver)
    stack.callback(signal.disconnect, receiver)


@contextmanager
def collecting_problems(args):
    """Pelican's logging, set up so that every problem is reported in one run; yields the
    CollectProblems that holds them.

    Pelican is never told to stop at the first error: it goes on past a broken post. An
    error (with --fatal warnings, a warning too) still fails the build at the end, and
    nothing is swapped in. Each problem is printed once, in the report under its post.
    """
    fatal_level = logging.WARNING if args.fatal == "warnings" else logging.ERROR
    forget_logged_warnings()
    args.fatal = None
    FatalLogger.fatal_lvl = logging.CRITICAL + 1
    init_logging(
        level=args.verbosity,
        name="pelican",
        handler=log_handler(args.log_handler),
        logs_dedup_min_level=getattr(logging, args.logs_dedup_min_level),
    )
    root = logging.getLogger()
    problems = CollectProblems(fatal_level)
    held_back = HoldBack(fatal_level)
    for handler in root.handlers:
        handler.addFilter(held_back)
    root.addHandler(problems)
    try:
        yield problems
    finally:
        root.removeHandler(problems)
        for handler in root.handlers:
            handler.removeFilter(held_back)


def leave_links_to_the_check(pelican):
    """initialized: the build's own check of links in posts is off (reblog.check does it)."""
    pelican.settings["BROKEN_LINKS"] = "off"


def log_handler(name):
    """Pelican's handler, but one plain line per message when not on a terminal.

    Rich wraps long lines (file paths included) at 80 columns in CI logs and pipes.
    """
    if name == "rich" and not console.is_terminal:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        return handler
    return LOG_HANDLERS[name]


def report(error, args):
    """Say why the build stopped, unless Pelican's log already did."""
    if isinstance(error, RuntimeError) and str(error) == "Warning or error encountered":
        return  # raised by Pelican's --fatal right after it logged the reason
    logger.critical(
        "%s: %s", error.__class__.__name__, error, exc_info=args.verbosity == logging.DEBUG
    )


def fail(output, swap):
    """Log the outcome of a failed build; return its exit status."""
    if not swap:
        logger.critical("Check failed: %s was not touched.", output)
    elif output.exists():
        logger.critical("Build failed: %s is unchanged.", output)
    else:
        logger.critical("Build failed: nothing was written to %s.", output)
    return 1


def set_default_permissions(folder):
    """mkdtemp makes a private folder; the output is meant to be served, so use the umask."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)


def swap_in(building, output, retention):
    """Replace `output` with `building`, keeping the names Pelican's OUTPUT_RETENTION lists."""
    for name in retention:
        kept, copy = output / name, building / name
        if kept.exists() and not copy.exists():
            # Copied, not moved: until the rename below the old folder must stay whole.
            if kept.is_dir():
                shutil.copytree(kept, copy, symlinks=True)
            else:
                shutil.copy2(kept, copy)
    if not output.exists():
        os.replace(building, output)
        return
    # Two renames: the old folder is moved aside (never half-deleted) until the new one
    # is in place, and put back if that fails.
    previous = Path(tempfile.mkdtemp(prefix=f"{output.name}.old-", dir=output.parent))
    os.replace(output, previous)
    try:
        os.replace(building, output)
    except OSError:
        os.replace(previous, output)
        raise
    shutil.rmtree(previous)


def keep_times_of_unchanged_files(building, output):
    """Give each file of `building` whose bytes equal the same file in `output` that file's
    times: a full build writes every file anew, and deploy tools that compare times (rsync,
    `aws s3 sync`, rclone) or hosts whose ETag is time and size (nginx) then see only the
    files that really changed."""
    for parent, _folders, files in os.walk(building):
        for name in files:
            new = Path(parent) / name
            old = output / new.relative_to(building)
            if same_bytes(new, old):
                status = old.stat()
                os.utime(new, ns=(status.st_atime_ns, status.st_mtime_ns))


def exit_on_sigterm(signum, frame):
    """Turn SIGTERM into SystemExit so the temporary folder is removed."""
    sys.exit(128 + signum)
