"""feedgen extensions for what feedgen 1.0 cannot say itself.

feedgen's own `source()` writes an Atom <source> whose link claims the original feed is an
HTML alternate, its feed `link()` accepts no rel="hub", and its entry links drop their rel;
these extensions add exactly the elements we need, where the specifications put them.
"""

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

ATOM_NS = "http://www.w3.org/2005/Atom"


class ChannelExtension(BaseExtension):
    """Feed level: the WebSub hub link."""

    def __init__(self):
        self.hub = None

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self.hub:
            xml_elem(f"{{{ATOM_NS}}}link", channel, href=self.hub, rel="hub")
        return rss_feed

    def extend_atom(self, atom_feed):
        # feedgen's Atom root carries xmlns as a plain attribute: children stay unqualified.
        if self.hub:
            xml_elem("link", atom_feed, href=self.hub, rel="hub")
        return atom_feed


class ItemExtension(BaseEntryExtension):
    """Item level: a repost's origin, as RSS <source> and Atom <link rel="via">."""

    def __init__(self):
        self.source_url = None
        self.source_name = None
        self.via = None

    def extend_rss(self, item):
        # RSS 2.0: <source url="ORIGINAL_FEED">ORIGINAL_SITE</source>.
        if self.source_url:
            source = xml_elem("source", item, url=self.source_url)
            source.text = self.source_name
        return item

    def extend_atom(self, entry):
        # feedgen 1.0's entry links lose their rel (atom_entry reads it from the new
        # element, not the dict), so a via link added with link() would claim "alternate".
        if self.via:
            xml_elem("link", entry, href=self.via, rel="via")
        return entry
