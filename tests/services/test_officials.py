"""Who may do what at a competition: organiser, results officer, referee, each per competition."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from shorttrack.services.errors import Invalid, NotPermitted
from shorttrack.services.officials import (
    ORGANISER,
    REFEREE,
    RESULTS_OFFICER,
    appoint,
    require_role,
    roles_at,
)
from shorttrack.store import models

pytestmark = pytest.mark.django_db


def test_the_officials_of_montreal_hold_one_role_each(montreal, users):
    assert roles_at(users["organiser"], montreal) == {ORGANISER}
    assert roles_at(users["officer"], montreal) == {RESULTS_OFFICER}
    assert roles_at(users["referee"], montreal) == {REFEREE}
    assert roles_at(users["fan"], montreal) == set()
    appointment = models.CompetitionOfficial.objects.get(user=users["referee"])
    assert appointment.appointed_by == users["organiser"]


def test_a_role_is_required_and_the_refusal_says_which(montreal, users):
    require_role(users["referee"], montreal, REFEREE, action="make results official")
    with pytest.raises(NotPermitted) as refused:
        require_role(users["officer"], montreal, REFEREE, action="make results official")
    assert str(refused.value) == (
        "only a referee of ISU Short Track World Tour 1, Montreal may make results official; "
        "oscar is results officer there"
    )


def test_a_user_without_a_role_or_signed_out_is_refused(montreal, users):
    with pytest.raises(NotPermitted, match="fred holds no role at this competition"):
        require_role(users["fan"], montreal, ORGANISER, action="take entries")
    with pytest.raises(NotPermitted, match="^sign in as an organiser of .* to take entries$"):
        require_role(AnonymousUser(), montreal, ORGANISER, action="take entries")
    with pytest.raises(NotPermitted, match="^sign in"):
        require_role(None, montreal, ORGANISER, action="take entries")


def test_an_official_of_another_competition_has_no_role_here(montreal, users):
    calgary = models.Competition.objects.create(
        season=montreal.season,
        number=2,
        city="Calgary",
        country="CAN",
        time_zone="America/Edmonton",
        start_date=date(2025, 10, 24),
        end_date=date(2025, 10, 26),
    )
    with pytest.raises(NotPermitted, match="rita holds no role at this competition"):
        require_role(users["referee"], calgary, REFEREE, action="make results official")


def test_only_the_organiser_or_the_series_administrator_appoints(montreal, users):
    with pytest.raises(NotPermitted, match="only an organiser of .* may appoint officials"):
        appoint(users["referee"], montreal, users["fan"], REFEREE)
    appoint(users["admin"], montreal, users["fan"], REFEREE)
    assert roles_at(users["fan"], montreal) == {REFEREE}


def test_a_role_is_given_once_and_must_exist(montreal, users):
    count = models.CompetitionOfficial.objects.count()
    with pytest.raises(Invalid, match="^role: rita is already referee of"):
        appoint(users["organiser"], montreal, users["referee"], REFEREE)
    with pytest.raises(Invalid, match="unknown role 'judge'"):
        appoint(users["organiser"], montreal, users["fan"], "judge")
    assert models.CompetitionOfficial.objects.count() == count
