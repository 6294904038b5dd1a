"""JSON-LD for each post (a BlogPosting that credits what it is based on)."""

from pelican import signals
from pelican.generators import ArticlesGenerator

from reblog.structured_data import add_json_ld_filter, attach_structured_data


def attach_once_static_files_are_known(generators):
    """all_generators_finalized: the description is the post's summary, and a summary read
    before the static files are known would keep {static} links unresolved for good."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            attach_structured_data(generator)


def register():
    signals.all_generators_finalized.connect(attach_once_static_files_are_known)
    signals.generator_init.connect(add_json_ld_filter)
