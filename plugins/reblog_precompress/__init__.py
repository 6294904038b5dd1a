"""Precompressed `.gz` copies of the built text files, for static hosts that serve them.

Put it last in PLUGINS: `finalized` receivers run in PLUGINS order, and a file written
after it (the sitemap) would get no copy.
"""

from pelican import signals

from reblog.precompress import write_gzip_copies


def register():
    signals.finalized.connect(write_gzip_copies)
