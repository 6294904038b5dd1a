"""Give pelican-sitemap's index pages a lastmod that comes from the content.

pelican-sitemap dates pages that are not articles or pages (index, archives, tags, ...)
with `datetime.now()`, taken when the plugin is imported, so two builds of the same
content would differ. An index changes when a post or page changes, so its lastmod is
the newest `modified` or `date` of any article or page. Runs before `finalized`, when
the sitemap is written.
"""

from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.plugins.sitemap import sitemap

from .pelican_internals import forget_sitemap_state


def newest_date(generators):
    """The latest modified-or-published date of any published article or page, or None."""
    dates = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            items = generator.articles
        elif isinstance(generator, PagesGenerator):
            items = generator.pages
        else:
            continue
        dates += [getattr(item, "modified", None) or getattr(item, "date", None) for item in items]
    dates = [date for date in dates if date]
    return max(dates) if dates else None


def forget_earlier_builds(pelican):
    """Clear what pelican-sitemap kept from an earlier build in this process.

    It resets its queue and its "main" Pelican only when a build reaches `finalized`; after
    a build that failed (a bad post), the next build in the same process (the tests, a
    tool that builds twice) would write no sitemap at all, or list the failed build's pages.
    """
    forget_sitemap_state(sitemap.generator)


def date_indexes_by_newest_content(generators):
    """Set the sitemap generator's fallback date to the newest content date."""
    newest = newest_date(generators)
    if newest is not None:
        sitemap.generator.now = newest
