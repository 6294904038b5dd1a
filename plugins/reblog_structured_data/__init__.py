"""JSON-LD for each post (a BlogPosting that credits what it is based on)."""

from pelican import signals

from reblog.structured_data import add_json_ld_filter, attach_structured_data


def register():
    signals.all_generators_finalized.connect(attach_structured_data)
    signals.generator_init.connect(add_json_ld_filter)
