"""Is the PostgreSQL test database reachable? Exit 0 to run the PostgreSQL suite.

Unreachable: a note and exit 1 on a developer machine (the suite is skipped, visibly);
with CI=true, an error and exit 2, which fails `make test`, because CI must prove the
suite on PostgreSQL.
"""

from __future__ import annotations

import os
import sys

import dj_database_url
import psycopg


def main(url: str) -> int:
    config = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        ):
            return 0
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            print(f"PostgreSQL at {url} is unreachable and CI=true: {error}", file=sys.stderr)
            sys.exit(2)
        print(
            f"PostgreSQL at {url} is unreachable: PostgreSQL tests not run ({error})",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
