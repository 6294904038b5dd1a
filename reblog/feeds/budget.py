"""A weight budget per feed file (FEED_MAX_BYTES), for readers on slow links.

A feed is fetched whole, again and again: one long post sent in full makes every poll of
every feed it is in cost its weight. When the newest FEED_MAX_ITEMS posts in full would
make a feed file larger than the budget, the largest items are sent shortened (their
summary, the credit and a link to the whole post), one at a time, until the file fits.
Of two items the same size the older is shortened first, so the newest stay whole. The
choice depends only on the feed's items, so the same content gives the same bytes.

The posts shortened in any feed of a build are named in one warning at its end (`report`,
on `finalized`); an incremental build that keeps a feed unchanged does not name them again.
"""

import logging
from dataclasses import replace

from markupsafe import Markup

logger = logging.getLogger(__name__)

_shortened = set()  # source paths of the posts shortened in this build; emptied by `report`


def shortened(item):
    """The FeedItem with its summary, its credit and a link to the post as its content."""
    link = Markup('<p><a href="{}">Read the whole post</a></p>').format(item.link)
    return replace(item, content=item.summary + item.credit + link)


def fit(items, names, max_bytes, serialize):
    """The items of one feed, shortened largest first until `serialize(items)` is at most
    `max_bytes` long (None: no budget), and their serialization: (items, data).

    `names` are the items' source paths, for the warning.
    """
    data = serialize(items)
    if max_bytes is None or len(data) <= max_bytes:
        return items, data
    items = list(items)
    # Largest first; of equal size, the older (later in the feed) first.
    order = sorted(range(len(items)), key=lambda i: (-len(items[i].content), -i))
    excess = len(data) - max_bytes
    for position, index in enumerate(order):
        whole = items[index]
        items[index] = shortened(whole)
        _shortened.add(names[index])
        # Serialized again only once the items shortened could have made room (the real
        # size then decides): a feed is not made once per item.
        excess -= len(whole.content.encode()) - len(items[index].content.encode())
        if excess <= 0 or position == len(order) - 1:
            data = serialize(items)
            excess = len(data) - max_bytes
            if excess <= 0:
                break
    return items, data


def report(*_args, **_kwargs):
    """Name, in one warning, the posts some feed of this build sent shortened (`finalized`)."""
    if _shortened:
        logger.warning(
            "feeds: sent as summary, credit and link, since whole they would make a feed "
            "larger than FEED_MAX_BYTES: %s",
            ", ".join(sorted(_shortened)),
        )
    _shortened.clear()
