"""The verifier's and the sender's requests: webfetch within the LINKBACKS_FETCH_* limits.

Private addresses are refused unless LINKBACKS_ALLOW_PRIVATE (tests only): a ping names
the page we fetch, so without the check anyone could make us request 127.0.0.1 or the
cloud metadata service.
"""

from .. import fetch as webfetch
from ..fetch import FetchError

__all__ = ["USER_AGENT", "FetchError", "fetch"]

USER_AGENT = "linkbacks/1.0 (Pelican; TrackBack, Pingback, Webmention)"
ACCEPT = "text/html, application/xhtml+xml, text/xml;q=0.9, */*;q=0.5"


def fetch(url, conf, *, method="GET", data=None, headers=None, follow=True):
    """Request `url` within the LINKBACKS_FETCH_* limits; FetchError on any refusal or failure."""
    return webfetch.fetch(
        url,
        timeout=float(conf["LINKBACKS_FETCH_TIMEOUT"]),
        max_bytes=int(conf["LINKBACKS_FETCH_MAX_BYTES"]),
        max_redirects=int(conf["LINKBACKS_FETCH_MAX_REDIRECTS"]),
        user_agent=USER_AGENT,
        allow_private=conf["LINKBACKS_ALLOW_PRIVATE"],
        method=method,
        data=data,
        headers=headers,
        follow=follow,
        accept=ACCEPT,
    )
