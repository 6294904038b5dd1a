"""Build each post's schema.org `BlogPosting` in Python, from the same credit as the page.

The `structured_data` filter makes it, a plain dict, when a post's page is rendered (not
before: a page an incremental build keeps needs none); the `json_ld` filter embeds it in a
script element. Templates never assemble JSON themselves: metadata is text a blogger typed
(or copied from someone else's feed), and only `json_ld` knows how to make it safe there.
"""

import json

from markupsafe import Markup

from .urls import absolute_url, permalink

# Inside <script>, the HTML parser ends the element at "</script" whatever JSON says, and
# "<!--" changes how it looks for the end. As JSON escapes they mean the same characters.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def blog_posting(article):
    """The post as a schema.org BlogPosting; `isBasedOn` names the original of a repost."""
    settings = article.settings
    url = permalink(article)
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "datePublished": article.date.isoformat(),
    }
    summary = Markup(article.summary or "").striptags()
    if summary:
        data["description"] = summary
    if hasattr(article, "modified"):
        data["dateModified"] = article.modified.isoformat()
    data["author"] = [
        _person(author.name, absolute_url(settings, author.url)) for author in article.authors
    ]
    data["publisher"] = {
        "@type": "Organization",
        "name": settings["SITENAME"],
        "url": absolute_url(settings),
    }
    if getattr(article, "category", None):
        data["articleSection"] = article.category.name
    if getattr(article, "tags", None):
        data["keywords"] = [tag.name for tag in article.tags]
    data["inLanguage"] = article.lang
    credit = getattr(article, "attribution", None)
    if credit:
        data["isBasedOn"] = _creative_work(credit)
    return data


def _person(name, url=None):
    person = {"@type": "Person", "name": name}
    if url:
        person["url"] = url
    return person


def _creative_work(credit):
    """The republished original: its author, its title when known, and its address."""
    work = {"@type": "CreativeWork", "author": _person(credit.author)}
    if credit.title:
        work["name"] = credit.title
    work["url"] = credit.link
    blog = {"@type": "Blog", "name": credit.site}
    if credit.site_url:
        blog["url"] = credit.site_url
    work["isPartOf"] = blog
    return work


def json_ld(data):
    """`data` as a JSON-LD script element that no metadata can break out of."""
    if not data:
        return ""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_SAFE)
    return Markup(f'<script type="application/ld+json">{payload}</script>')


def add_json_ld_filters(generator):
    """`{{ article|structured_data|json_ld }}` in templates."""
    generator.env.filters["structured_data"] = blog_posting
    generator.env.filters["json_ld"] = json_ld
