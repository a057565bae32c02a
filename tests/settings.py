"""Settings of the test suite: the production settings with a key for signing that is
labelled as the tests' own (the server refuses to start without one; see asgi.py).
Subprocesses the tests start (servers, the command line) inherit it."""

import os

os.environ.setdefault("SHORTTRACK_SECRET_KEY", "tests-only-not-secret-shorttrack")

from shorttrack.settings import *  # noqa: E402, F403

# A password hash that takes microseconds: the suite signs in hundreds of times. Servers
# the tests start run the production settings, and their hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
