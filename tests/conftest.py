"""One fixture that builds a real site through Pelican, with the real settings and theme."""

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
NETWORKING_POST = "2007/12/networking-myth-versus-truth/index.html"


class BuiltSite:
    """A built output folder, read the way a browser or feed reader would."""

    def __init__(self, output: Path):
        self.output = output

    def path(self, relative):
        return self.output / relative

    def text(self, relative):
        return self.path(relative).read_text(encoding="utf-8")

    def html(self, relative):
        return BeautifulSoup(self.text(relative), "html.parser")

    def html_files(self):
        return sorted(self.output.rglob("*.html"))


@pytest.fixture
def build_site(tmp_path):
    """Build the site's real content, plus extra posts, into tmp_path; return a BuiltSite.

    `posts` maps a file name under content/posts/ to its Markdown text. `settings`
    overrides pelicanconf.py. `config` names the settings file (publishconf.py for production).
    """

    def build(posts=None, settings=None, config="pelicanconf.py", name="site"):
        content = tmp_path / name / "content"
        shutil.copytree(ROOT / "content", content)
        for filename, text in (posts or {}).items():
            target = content / "posts" / filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        output = tmp_path / name / "output"
        overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), **(settings or {})}
        pelican_settings = read_settings(str(ROOT / config), override=overrides)
        Pelican(pelican_settings).run()
        return BuiltSite(output)

    return build


@pytest.fixture
def site(build_site):
    """The site exactly as `make html` builds it from content/."""
    return build_site()


@pytest.fixture
def receiver_settings(tmp_path):
    """Settings for a linkbacks receiver in tmp_path whose manifest names the networking post.

    The manifest is the one `make html` writes for the real content; the limits are loose
    enough for tests to send many pings from 127.0.0.1.
    """
    manifest = tmp_path / "var" / "linkbacks-manifest.json"
    manifest.parent.mkdir()
    post = {
        "slug": "networking-myth-versus-truth",
        "url": "http://localhost:8000/2007/12/networking-myth-versus-truth/",
        "title": "Networking: myth versus truth",
        "excerpt": "",
        "links": [],
    }
    site = {"site": "http://localhost:8000/", "sitename": "Worth a Thorough Read", "posts": [post]}
    manifest.write_text(json.dumps(site), encoding="utf-8")
    return {
        "PATH": str(tmp_path / "content"),
        "LINKBACKS_RATE_LIMIT": 1000,
        "LINKBACKS_MAX_BODY": 2000,
        "LINKBACKS_MAX_FIELDS": 6,
    }
