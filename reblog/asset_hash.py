"""Give templates `ASSET_VERSION`: a short content hash of every file in the theme's static folder.

base.html links `css/site.css?v={{ ASSET_VERSION['css/site.css'] }}`, so a host may tell
browsers to cache the stylesheet for a year: an edited stylesheet gets a new URL the same
day. The hash is computed from the theme's file on every build (generator_init fires on
each autoreload too), so `make devserver` never serves a stale version string.
"""

import hashlib
from pathlib import Path

from .settings import read


def asset_versions(theme_static, length):
    """Map each file under theme_static (relative POSIX path) to the first `length` hex
    digits of its SHA-256."""
    root = Path(theme_static)
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:length]
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def add_asset_versions(generator):
    """Expose ASSET_VERSION to this generator's templates."""
    length = read(generator.settings)["ASSET_HASH_LENGTH"]
    generator.env.globals["ASSET_VERSION"] = asset_versions(
        Path(generator.settings["THEME"]) / "static", length
    )
