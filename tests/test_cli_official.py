"""`shorttrack official`: the series administrator appoints officials at the server."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from shorttrack.cli import app
from shorttrack.store import models

pytestmark = pytest.mark.django_db


@pytest.fixture
def heerenveen():
    season = models.Season.objects.create(
        key="2024/25", name="ISU Short Track World Tour 2024/25", rules_key="2024/25"
    )
    return models.Competition.objects.create(
        season=season,
        number=1,
        city="Heerenveen",
        country="NED",
        time_zone="Europe/Amsterdam",
        start_date=date(2024, 11, 1),
        end_date=date(2024, 11, 3),
    )


def run(*args: str, env=None):
    return CliRunner().invoke(app, ["official", *args], env=env)


def test_a_new_official_gets_an_account_and_a_role(heerenveen):
    result = run(
        "olga",
        "--season",
        "2024/25",
        "--competition",
        "1",
        "--role",
        "organiser",
        "--password-env",
        "OLGA_PASSWORD",
        env={"OLGA_PASSWORD": "thialf-2024-ice"},
    )

    assert result.exit_code == 0, result.output
    assert "olga (new account) is organiser of ISU Short Track World Tour 1, Heerenveen" in (
        result.output
    )
    olga = get_user_model().objects.get(username="olga")
    assert olga.check_password("thialf-2024-ice")
    assert olga.roles.get().competition == heerenveen


def test_an_unknown_competition_or_role_is_refused(heerenveen):
    unknown = run("olga", "--season", "2024/25", "--competition", "7", "--role", "organiser")
    assert unknown.exit_code == 2
    assert "no competition 7 in season 2024/25" in unknown.output

    wrong = run("olga", "--season", "2024/25", "--competition", "1", "--role", "judge")
    assert wrong.exit_code == 2
    assert "role: unknown role 'judge'" in wrong.output
    assert not get_user_model().objects.filter(username="olga").exists()
