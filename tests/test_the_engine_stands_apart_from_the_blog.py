"""docs/development.md, "Layout": plugins/ holds only Pelican plugins, each our own; everything
else is the reblog package, imported by name, with no import-path tricks; the receiver
loads nothing of the build."""

import re
import subprocess
import sys

import pytest
from conftest import ROOT, SITES
from pelican.plugins._utils import load_plugins
from pelican.settings import read_settings

# Published on purpose, and loaded from the installed pelican-sitemap package.
PUBLISHED_PLUGINS = {"sitemap"}
SETTINGS_FILES = [
    ROOT / "pelicanconf.py",
    ROOT / "publishconf.py",
    SITES / "pelicanconf.py",
    SITES / "publishconf.py",
]


@pytest.mark.parametrize("settings_file", SETTINGS_FILES, ids=lambda path: path.name)
def test_every_configured_plugin_is_this_repositorys_own(settings_file):
    # Pelican prefers an installed pelican.plugins.<name> to a local plugin of that name:
    # one of ours shadowed by a published package would silently stop running.
    settings = read_settings(str(settings_file))
    ours = [name for name in settings["PLUGINS"] if name not in PUBLISHED_PLUGINS]
    assert ours
    loaded = {module.__name__: module for module in load_plugins(settings)}
    for name in ours:
        assert name in loaded, f"{name} is not loaded from PLUGIN_PATHS"
        origin = loaded[name].__file__
        assert origin.startswith(str(ROOT / "plugins") + "/"), f"{name} comes from {origin}"


def test_plugins_are_thin_packages_with_register():
    for folder in sorted((ROOT / "plugins").iterdir()):
        if folder.name == "__pycache__":
            continue
        assert folder.is_dir(), folder
        assert folder.name.startswith("reblog_"), folder
        modules = sorted(p.name for p in folder.glob("*.py"))
        assert modules == ["__init__.py"], f"{folder.name}: move {modules} into reblog/"
        assert "def register():" in (folder / "__init__.py").read_text(encoding="utf-8")


def test_the_receiver_imports_nothing_of_the_build(tmp_path):
    probe = (
        "import sys, reblog.linkbacks.wsgi\n"
        "build = [m for m in sys.modules if m.startswith(('reblog_', 'reblog.linkbacks.site',"
        " 'reblog.feeds', 'reblog.permalinks', 'reblog.credit', 'reblog.content_checks'))]\n"
        "print(build)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"LINKBACKS_SETTINGS": str(SITES / "publishconf.py"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def code_files():
    for pattern in ("*.py", "*.toml", "Makefile", "*.sh", ".ci/run"):
        for path in ROOT.rglob(pattern):
            relative = path.relative_to(ROOT)
            if relative.parts[0] not in {".venv", ".venv-aws", "output", ".git"} and path.is_file():
                yield path


# Spelt in two halves so that a grep of the tree for the words finds no code at all.
IMPORT_PATH_TRICK = re.compile("|".join([r"sys\.pa" + "th", "PYTHON" + "PATH"]))


def test_nothing_patches_the_import_path():
    # Commands are console scripts of the installed package; plugins import it by name.
    found = []
    for path in code_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if IMPORT_PATH_TRICK.search(code):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
