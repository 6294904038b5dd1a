"""Posts that cannot be published as written fail with one line naming the file and field."""

from pelican import signals

from reblog.content_checks import (
    check_commentary_written,
    check_links_in_content,
    check_unique_addresses,
    name_failing_fields,
    remember_content_to_link_check,
)


def register():
    signals.readers_init.connect(name_failing_fields)
    signals.all_generators_finalized.connect(check_unique_addresses)
    signals.all_generators_finalized.connect(check_commentary_written)
    signals.all_generators_finalized.connect(remember_content_to_link_check)
    signals.finalized.connect(check_links_in_content)
