"""The receiver for a production WSGI server: `reblog.linkbacks.wsgi:application`.

LINKBACKS_SETTINGS names the Pelican settings file (default publishconf.py, read from the
working directory), so the receiver uses the same store and manifest as `make publish`.
"""

import os

from pelican.settings import read_settings

from .receiver import Receiver

application = Receiver(read_settings(os.environ.get("LINKBACKS_SETTINGS", "publishconf.py")))
