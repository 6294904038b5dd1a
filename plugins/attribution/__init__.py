"""Repost metadata → one credit object per article (`article.attribution`)."""

from pelican import signals

from .attribution import attach_attribution


def register():
    signals.content_object_init.connect(attach_attribution)
