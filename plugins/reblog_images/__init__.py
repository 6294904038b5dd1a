"""Every image of the site in a post or page gets its width and height, and loads lazily."""

from pelican import signals

from reblog.images import size_images


def register():
    signals.all_generators_finalized.connect(size_images)
