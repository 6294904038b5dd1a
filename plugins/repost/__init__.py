"""Draft a credited repost from an article's address, a saved page or a feed item.

A command, not a Pelican plugin: it hooks no signal, so it has no `register()` and is not in
PLUGINS. Run it as `make repost SOURCE=...` (see cli.py and the README).
"""
