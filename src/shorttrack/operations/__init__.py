"""The operator's jobs on the whole database, one per module (docs/operations.md).

    database.py   which database is configured, whether it can be reached and is set up;
                  ``shorttrack migrate``
    backup.py     ``shorttrack backup FILE``: a consistent copy with the database's own tool
    restore.py    ``shorttrack restore FILE``: that copy back into the configured database

They sit beside the services: the services change results one validated step at a time,
these copy or replace everything at once, and only at the operator's command. Each
failure is an ``OperationFailed`` whose message is one line saying what is wrong and what
to do; the command line prints it as it is.
"""

from __future__ import annotations


class OperationFailed(Exception):
    """The job could not be done; ``str()`` is one line: what is wrong, what to do."""
