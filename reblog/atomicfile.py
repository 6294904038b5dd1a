"""Replace a file so that no reader ever sees half of it, and no failure leaves half of it.

Used for the feeds, the linkback manifest and the ledger of pings sent. The bytes go to
a temporary file beside the target, then one rename puts it in place: a web server, the
ping receiver or a second build sees the old file or the new one, never a truncated mix,
and an error at any point leaves the old file whole.
"""

import os
import tempfile

# mkstemp creates files 0600; these are served or read by other processes.
MODE = 0o644


def write_atomically(filename, data):
    """Write `data` (bytes) to `filename`, creating its folder, all at once or not at all."""
    directory = os.path.dirname(filename) or "."
    os.makedirs(directory, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, MODE)
        os.replace(temporary, filename)
    except BaseException:
        os.unlink(temporary)
        raise
