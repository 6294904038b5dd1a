"""Repost metadata → one credit per post (`article.attribution`), told by the `credit` filters."""

from pelican import signals
from pelican.contents import Article

from reblog.credit import (
    attach_attribution,
    credit_html,
    credit_line,
    leave_out_uncredited_drafts,
)


def attach_to_posts(content):
    """content_object_init fires for pages too; only posts are reposts."""
    if isinstance(content, Article):
        attach_attribution(content)


def add_credit_filters(generator):
    """`{{ article.attribution|credit }}` on a post, `|credit_line` in a listing."""
    generator.env.filters["credit"] = credit_html
    generator.env.filters["credit_line"] = credit_line


def register():
    signals.content_object_init.connect(attach_to_posts)
    signals.generator_init.connect(add_credit_filters)
    signals.article_generator_finalized.connect(leave_out_uncredited_drafts)
