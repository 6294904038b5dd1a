"""Write `name.gz` next to every HTML, CSS, XML and JSON file of the finished build.

Hosts such as nginx (`gzip_static on`) or Apache (MultiViews) then send the stored copy
instead of compressing on every request. The standard library's gzip is enough: the
published pelican-precompress adds brotli and zopfli, which need compiled extras.
The copies must be reproducible like every other output file, so the gzip header holds
no file name and mtime 0.
"""

import gzip
import io
import logging
from pathlib import Path

from .settings import read

logger = logging.getLogger(__name__)

GZIP_SUFFIX = ".gz"  # a copy's name: the original's, and this


def gzip_bytes(data):
    """Compress `data` at level 9 with an empty file name and mtime 0, so equal input
    gives equal bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return buffer.getvalue()


def write_gzip_copies(pelican):
    """Write a `.gz` copy beside each matching output file where it is smaller."""
    settings = read(pelican.settings)
    extensions = tuple(settings["PRECOMPRESS_EXTENSIONS"])
    min_size = settings["PRECOMPRESS_MIN_SIZE"]
    written = 0
    for path in sorted(Path(pelican.output_path).rglob("*")):
        if not path.is_file() or path.suffix not in extensions:
            continue
        data = path.read_bytes()
        target = path.with_name(path.name + GZIP_SUFFIX)
        # Small files are not compressed at all: gzip saves them nothing worth the work.
        if len(data) < min_size or len(compressed := gzip_bytes(data)) >= len(data):
            target.unlink(missing_ok=True)  # never leave a stale copy of an older version
            continue
        target.write_bytes(compressed)
        written += 1
    logger.info("precompress: wrote %d .gz copies", written)
