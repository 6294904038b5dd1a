"""Trackback URIs and their autodiscovery RDF on every post."""

from pelican import signals

from .trackback import attach_trackback


def register():
    signals.content_object_init.connect(attach_trackback)
