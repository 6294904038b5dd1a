"""Trackbacks both ways: the receiver, its store, the verifier, the sender and moderation.

The service side imports nothing of the build: `reblog.linkbacks.wsgi` serves pings beside
the static files. What the build adds for linkbacks (Trackback URIs, approved pings under
posts, the manifest of published posts) is reblog.linkbacks.site, used by the
reblog_linkbacks plugin.
"""
