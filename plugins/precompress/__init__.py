"""Precompressed `.gz` copies of the built text files, for static hosts that serve them."""

from pelican import signals

from .precompress import write_gzip_copies


def register():
    signals.finalized.connect(write_gzip_copies)
