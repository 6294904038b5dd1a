"""README: each post carries its Trackback URI and the TrackBack RDF blog engines look for;
with TRACKBACK_URL unset, no trackback address appears anywhere, feeds included."""

from bs4 import Comment
from conftest import NETWORKING_POST
from lxml import etree

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "trackback": "http://madskills.com/public/xml/rss/module/trackback/",
}
TRICKY_TITLE = 'Quotes " and <tags> & a -- dash -->'
TRICKY_POST = f"""Title: {TRICKY_TITLE}
Date: 2021-06-01
Slug: tricky

Body.
"""


def rdf_description(page):
    """The rdf:Description inside the HTML comment, parsed as XML."""
    comments = [c for c in page.find_all(string=lambda s: isinstance(s, Comment)) if "rdf:RDF" in c]
    assert len(comments) == 1
    rdf = etree.fromstring(comments[0].strip().encode("utf-8"))
    assert rdf.tag == f"{{{NS['rdf']}}}RDF"
    (description,) = rdf.findall("rdf:Description", NS)
    return {
        name: description.get(f"{{{NS[prefix]}}}{local}")
        for name, (prefix, local) in {
            "about": ("rdf", "about"),
            "identifier": ("dc", "identifier"),
            "title": ("dc", "title"),
            "ping": ("trackback", "ping"),
        }.items()
    }


def test_rdf_names_the_permalink_and_the_ping_url(site):
    page = site.html(NETWORKING_POST)
    rdf = rdf_description(page)
    permalink = "http://localhost:8000/2007/12/networking-myth-versus-truth/"
    assert rdf["about"] == rdf["identifier"] == permalink
    assert page.find("link", rel="canonical")["href"] == permalink
    assert rdf["title"] == "Networking: myth versus truth"
    ping = "http://localhost:8001/trackback/networking-myth-versus-truth"
    assert rdf["ping"] == ping
    assert page.select_one(".trackback-uri").get_text() == ping


def test_rdf_survives_any_title(build_site):
    site = build_site(posts={"tricky.md": TRICKY_POST})
    page = site.html("2021/06/tricky/index.html")
    assert rdf_description(page)["title"] == TRICKY_TITLE
    assert page.h1.get_text() == TRICKY_TITLE


def test_production_rdf_uses_the_live_addresses(build_site):
    rdf = rdf_description(build_site(config="publishconf.py").html(NETWORKING_POST))
    live = "https://worth-a-thorough-read.example.org"
    assert rdf["about"] == f"{live}/2007/12/networking-myth-versus-truth/"
    assert rdf["ping"] == f"{live}/trackback/networking-myth-versus-truth"


def _files_mentioning_trackback(output):
    found = []
    for path in sorted(output.rglob("*")):
        if path.suffix in (".html", ".xml", ".txt", ".json"):
            text = path.read_text(encoding="utf-8")
            # Addresses and the RDF, not the word: the About page may still talk about it.
            if any(sign in text for sign in ("/trackback/", "trackback:ping", "trackback-uri")):
                found.append(path.relative_to(output).as_posix())
    return found


def test_unset_trackback_url_leaves_no_trackback_address_anywhere(build_site):
    # The same check finds the address when the setting is on, so it can fail.
    assert NETWORKING_POST in _files_mentioning_trackback(build_site(name="on").output)
    site = build_site(settings={"TRACKBACK_URL": None}, name="off")
    assert list(site.output.glob("feeds/*.xml")), "feeds were not built"
    assert _files_mentioning_trackback(site.output) == []
    assert not site.html(NETWORKING_POST).select(".trackback, .trackback-uri")
