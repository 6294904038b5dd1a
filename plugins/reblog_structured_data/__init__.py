"""JSON-LD for each post (a BlogPosting that credits what it is based on)."""

from pelican import signals

from reblog.structured_data import add_json_ld_filters


def register():
    signals.generator_init.connect(add_json_ld_filters)
