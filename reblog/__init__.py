"""reblog: the engine of a Pelican blog that republishes articles with credit.

Everything here that is not a Pelican plugin: the credit model, the settings and their
defaults, URL helpers, the bounded fetcher, atomic writes, the feeds writer, the linkback
service (receiver, store, verifier, sender, moderation), the repost command, the atomic
build and the site check. The Pelican plugins in plugins/ connect Pelican's signals to it.
"""
