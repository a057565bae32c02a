"""`make test` runs the suite on PostgreSQL too; CI must not pass without it."""

import pytest

from shorttrack.postgres_check import main

UNREACHABLE = "postgres://postgres@127.0.0.1:1/shorttrack"


def test_an_unreachable_postgres_is_skipped_visibly_on_a_developer_machine(monkeypatch, capsys):
    monkeypatch.delenv("CI", raising=False)
    assert main(UNREACHABLE) == 1
    assert "PostgreSQL tests not run" in capsys.readouterr().err


def test_an_unreachable_postgres_fails_the_run_in_ci(monkeypatch, capsys):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(SystemExit) as exit_:
        main(UNREACHABLE)
    assert exit_.value.code == 2
    assert "CI=true" in capsys.readouterr().err
