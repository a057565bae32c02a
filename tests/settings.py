"""Settings of the test suite: the production settings with a key for signing that is
labelled as the tests' own (the server refuses to start without one; see asgi.py).
Subprocesses the tests start (servers, the command line) inherit it."""

import os

os.environ.setdefault("SHORTTRACK_SECRET_KEY", "tests-only-not-secret-shorttrack")

from shorttrack.settings import *  # noqa: E402, F403
