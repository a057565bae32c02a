"""The demo's competition for a newcomer: set up, entered and drawn, not raced, with demo
officials who sign in to the console and can run it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from shorttrack.simulation.demo import DEMO_PASSWORD, simulate_demo_season
from shorttrack.store.models import Competition, Race

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """Only the first competition of 2025/26, left to race (simulating races is slow)."""
    report, prepared = simulate_demo_season("2025/26", 7, competitions=1)
    return report, prepared


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post("/officials/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_the_demo_competition_is_drawn_and_scheduled_but_not_raced(demo):
    report, prepared = demo
    competition = Competition.objects.get(pk=prepared.competition_id)

    assert (report.competitions, report.races, report.prepared) == (0, 0, [competition.pk])
    races = Race.objects.filter(round__distance_race__competition=competition)
    assert set(races.values_list("status", flat=True)) == {"scheduled"}
    assert not races.filter(scheduled_at__isnull=True).exists()
    first_rounds = races.filter(start_list__isnull=False).distinct()
    assert first_rounds.count() > 40  # every distance's first round drawn
    assert competition.distance_races.count() == 9
    for distance_race in competition.distance_races.all():
        assert distance_race.entries.exists(), distance_race


def test_the_sign_in_text_names_each_demo_account_and_the_competition(demo):
    _, prepared = demo

    text = prepared.sign_in_text("http://127.0.0.1:8123")

    assert "password 'demo-only'" in text
    assert "Sign in at http://127.0.0.1:8123/officials/login/ as" in text
    for line in ("demo-organiser   organiser", "demo-results     results officer"):
        assert line in text
    assert f"http://127.0.0.1:8123/officials/competitions/{prepared.competition_id}/" in text


def test_each_demo_official_signs_in_and_the_results_officer_starts_the_first_race(demo):
    _, prepared = demo
    board = f"/officials/competitions/{prepared.competition_id}/"
    for username, role in (("demo-organiser", "organiser"), ("demo-referee", "referee")):
        page = sign_in(username).get(board)
        assert page.status_code == 200
        assert f"{username} · {role}" in page.content.decode()

    officer = sign_in("demo-results")
    first = (
        Race.objects.filter(
            round__distance_race__competition_id=prepared.competition_id,
            start_list__isnull=False,
        )
        .order_by("scheduled_at", "pk")
        .first()
    )
    assert f"/officials/races/{first.pk}/" in officer.get(board).content.decode()
    # The page's form carries the race's version, which the start is based on.
    based_on = re.search(
        r'name="based_on" value="(\d+)"',
        officer.get(f"/officials/races/{first.pk}/").content.decode(),
    )[1]
    started = officer.post(f"/officials/races/{first.pk}/start/", {"based_on": based_on})

    assert started.status_code == 302
    first.refresh_from_db()
    assert first.status == "started"
