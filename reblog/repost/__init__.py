"""`make repost`: draft a credited repost from an article's address, a saved page or a feed item.

The command is `reblog-repost` (reblog.repost.cli). Only the placeholder lives here, so the
build can check for it without loading the command.
"""

# The line a draft leaves for the blogger's own words; a published post still holding its
# start stops the build (reblog.content_checks).
PLACEHOLDER_START = "REPLACE THIS LINE"
PLACEHOLDER = (
    f"{PLACEHOLDER_START} with a few words of your own: why is this article worth a thorough read?"
)
