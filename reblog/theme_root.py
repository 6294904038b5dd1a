"""Copy the theme's `root/` folder to the root of the output: files that browsers and
crawlers ask for at fixed addresses, such as /favicon.ico.

Pelican copies the theme's `static/` folder under THEME_STATIC_DIR (/theme/) and
STATIC_PATHS reads only the content folder, so neither can put a theme's file at the site's
root. A browser asks for /favicon.ico whatever a page links (a feed opened as a page, an
older browser that reads no SVG icon): without this, every such visit logs a 404.
"""

import fnmatch
import shutil
from pathlib import Path


def copy_theme_root(pelican):
    """Copy every file under THEME/root/ to the same relative path in the output folder,
    leaving out names that match Pelican's IGNORE_FILES, as its own theme copy does."""
    root = Path(pelican.settings["THEME"]) / "root"
    ignored = pelican.settings.get("IGNORE_FILES", [])
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(fnmatch.fnmatch(path.name, p) for p in ignored):
            continue
        target = Path(pelican.output_path) / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
