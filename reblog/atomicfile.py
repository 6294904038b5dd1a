"""Replace a file so that no reader ever sees half of it, and no failure leaves half of it.

Used for the feeds, the linkback manifest, the ledger of pings sent and the incremental
build's cache. The bytes go to
a temporary file beside the target, then one rename puts it in place: a web server, the
ping receiver or a second build sees the old file or the new one, never a truncated mix,
and an error at any point leaves the old file whole.
"""

import filecmp
import os
import tempfile
from contextlib import contextmanager

# mkstemp creates files 0600; these are served or read by other processes.
MODE = 0o644


def write_atomically(filename, data):
    """Write `data` (bytes) to `filename`, creating its folder, all at once or not at all."""
    with writing_atomically(filename) as handle:
        handle.write(data)


@contextmanager
def writing_atomically(filename, buffering=-1):
    """A binary file to write `filename` through, bit by bit: it takes the place of
    `filename` when the block ends, and is removed if the block fails. `buffering` as
    `open` takes it (a file written in thousands of pieces gains from a large buffer)."""
    directory = os.path.dirname(filename) or "."
    os.makedirs(directory, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb", buffering) as handle:
            yield handle
        os.chmod(temporary, MODE)
        os.replace(temporary, filename)
    except BaseException:
        os.unlink(temporary)
        raise


def same_bytes(one, other):
    """Whether two files hold the same bytes (False when either is missing)."""
    try:
        return filecmp.cmp(one, other, shallow=False)
    except OSError:
        return False
