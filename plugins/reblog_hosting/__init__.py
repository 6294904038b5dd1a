"""`_headers` beside the built site: each file's Content-Type and Cache-Control from
reblog.hosting, for Netlify and Cloudflare Pages.

After reblog_precompress in PLUGINS: the `.gz` copies get their original's Cache-Control.
"""

from pelican import signals

from reblog.hosting import write_headers_file


def register():
    signals.finalized.connect(write_headers_file)
