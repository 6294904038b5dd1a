"""What a ping may say, cleaned before it is stored or printed.

Every field of a ping, and everything read from its source page, is a stranger's text. A
control character in it could drive the moderator's terminal (`make linkbacks` prints
titles, blog names and the verifier's notes, which quote redirect targets and refusals);
a bidi control (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) reorders whatever follows it,
in a terminal as on the page. Neither has any use in a title, an excerpt or a blog name.
"""

import re

from ..report import terminal_safe

# C0 (tab, line breaks and the rest), DEL and C1; a lone surrogate (only Python's escape
# codecs make one) is no text at all.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Bidi controls: embeddings, overrides and isolates, and the directional marks.
BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text):
    """`text` without control or bidi characters; line breaks and tabs become spaces."""
    text = re.sub(r"[\t\n\r]", " ", str(text))
    return BIDI.sub("", CONTROL.sub("", text))


def printable(line):
    """A line for the terminal: controls shown as escapes (\\x1b), bidi controls too."""
    shown = BIDI.sub(lambda match: f"\\u{ord(match[0]):04x}", terminal_safe(line))
    return shown.encode("utf-8", "backslashreplace").decode("utf-8")


def say(line):
    """Print `line` as `printable` makes it."""
    print(printable(line))
