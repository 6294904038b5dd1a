"""The receiver's own verifier: pings are checked a moment after they are acknowledged.

The receiver answers 202 (or <error>0</error>) as soon as a ping is stored, and wakes one
thread of its process, which runs `verify_pending` (its worker pool, one fetch per source
host at a time, its time budget) for as long as runs make progress. Several receiver
processes (gunicorn workers) share the store: the verification lock lets one run at a
time, and each run reads the whole queue, so a ping stored while another process was
verifying is checked by that process's next run or by this one's retry. Nothing of this
is on the publishing path: `make publish` builds with the pings already approved.
"""

import logging
import threading

from .store import Store
from .text import printable
from .verify import verify_pending

log = logging.getLogger(__name__)


class BackgroundVerifier:
    """One thread per process, started by the first ping, woken by every one after it."""

    def __init__(self, conf):
        self.conf = conf
        self._wake = threading.Event()
        self._stopping = False
        self._thread = None
        self._starting = threading.Lock()

    def nudge(self):
        """A ping was stored: verify soon."""
        with self._starting:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="linkbacks-background-verify", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def stop(self, timeout=None):
        """Finish the current run and end the thread (a server shutting down)."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self):
        while True:
            self._wake.wait()
            if self._stopping:
                return
            self._wake.clear()
            try:
                approved, spam, _seconds = verify_pending(self.conf, report=self._report)
                progress = approved + spam > 0
                left = Store(self.conf["LINKBACKS_DB"]).pings("pending")
            except Exception:
                log.exception("linkbacks: background verification failed")
                progress, left = False, []
            if left and not progress:
                # Another process's run held the lock, or every fetch was cut short: try
                # again after one budget's time, or at the next ping.
                self._wake.wait(float(self.conf["LINKBACKS_VERIFY_BUDGET"]))
                self._wake.set()
            elif left:
                self._wake.set()  # the budget ran out with more to do: the next run

    def _report(self, line):
        log.info("%s", printable(line))
