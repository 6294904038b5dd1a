"""Precompressed `.gz` copies of the built text files, for static hosts that serve them.

Put it after every plugin that writes a file to compress (the sitemap): `finalized`
receivers run in PLUGINS order, and a file written after it would get no copy.
"""

from pelican import signals

from reblog.precompress import write_gzip_copies


def register():
    signals.finalized.connect(write_gzip_copies)
