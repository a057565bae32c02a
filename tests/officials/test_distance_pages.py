"""A distance's page: the organiser enters skaters (or relay teams), withdraws them, plans
the rounds, draws, and puts the races into sessions; everyone sees the start lists."""

from __future__ import annotations

import html
from datetime import time
from zoneinfo import ZoneInfo

import pytest

from shorttrack.services.setup import add_session
from shorttrack.store import models
from tests.officials.conftest import snapshot
from tests.services.montreal import distance_race, enter_field, races_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client_of, users):
    return client_of(users["organiser"])


def text(response) -> str:
    return html.unescape(response.content.decode())


def women_of(skaters, code: str) -> list[models.Skater]:
    return [s for s in skaters[code] if s.gender == "women"]


def test_the_organiser_enters_ticked_skaters_with_helmet_and_season_best(
    organiser, montreal, skaters
):
    w1000 = distance_race(montreal, "W1000")
    anna, britt = women_of(skaters, "KOR")[:2]

    response = organiser.post(
        f"/officials/distances/{w1000.pk}/entries/",
        {"skater": [anna.pk, britt.pk], f"helmet-{anna.pk}": "12", f"best-{anna.pk}": "1:28.455"},
    )

    assert response.status_code == 302
    entries = {e.skater: e for e in w1000.entries.all()}
    assert (entries[anna].helmet, entries[anna].season_best_ms) == (12, 88455)
    assert entries[britt].helmet is not None
    page = text(organiser.get(response["Location"]))
    assert "2 entered in the Women's 1000m." in page
    assert "1:28.455" in page


def test_entries_over_the_quota_are_refused_beside_the_skaters(organiser, montreal, skaters):
    w1000 = distance_race(montreal, "W1000")
    kor = women_of(skaters, "KOR")
    men = [s for s in skaters["KOR"] if s.gender == "men"]
    before = snapshot()

    response = organiser.post(
        f"/officials/distances/{w1000.pk}/entries/",
        {"skater": [s.pk for s in kor[:4]] + [men[0].pk], f"best-{kor[0].pk}": "1:2x"},
    )

    assert response.status_code == 422
    page = text(response)
    assert "KOR would have 4 skaters in the Women's 1000m: the 2025/26 quota is 3" in page
    assert f"{men[0]} skates with the men, not in the Women's 1000m" in page
    assert "'1:2x' is not a time" in page
    assert snapshot() == before


def test_a_relay_team_of_the_wrong_composition_is_refused(organiser, montreal, skaters):
    mixed = distance_race(montreal, "X2000R")
    women = women_of(skaters, "NED")
    data = {"member": "NED", "first": women[0].pk, "second": women[1].pk}
    data |= {"third": women[2].pk, "fourth": women[3].pk}
    before = snapshot()

    refused = organiser.post(f"/officials/distances/{mixed.pk}/teams/", data)

    assert refused.status_code == 422
    assert (
        "the Mixed 2000m relay is raced by 2 women and 2 men; 4 women and 0 men were named"
        in text(refused)
    )
    assert snapshot() == before

    men = [s for s in skaters["NED"] if s.gender == "men"]
    taken = organiser.post(
        f"/officials/distances/{mixed.pk}/teams/", data | {"third": men[0].pk, "fourth": men[1].pk}
    )

    assert taken.status_code == 302
    team = models.RelayTeam.objects.get(distance_race=mixed)
    assert team.name == "NED"
    assert [s.skater for s in team.skaters.order_by("order")] == women[:2] + men[:2]


def test_a_withdrawal_needs_a_reason_and_keeps_the_entry(organiser, montreal, users, skaters):
    w1000 = distance_race(montreal, "W1000")
    enter_field(users, w1000, skaters, 6)
    entry = w1000.entries.first()
    url = f"/officials/distances/{w1000.pk}/entries/{entry.pk}/withdraw/"

    assert organiser.post(url, {"reason": ""}).status_code == 422
    assert organiser.post(url, {"reason": "injured in training"}).status_code == 302

    entry.refresh_from_db()
    assert (entry.withdrawn_reason, entry.withdrawn_by) == (
        "injured in training",
        users["organiser"],
    )
    page = text(organiser.get(f"/officials/distances/{w1000.pk}/"))
    assert "withdrawn" in page and "injured in training" in page
    assert "5 entered" in page


def test_plan_then_draw_with_a_seed_gives_the_start_lists(organiser, montreal, users, skaters):
    w1000 = distance_race(montreal, "W1000")
    enter_field(users, w1000, skaters, 12)
    page = text(organiser.get(f"/officials/distances/{w1000.pk}/"))
    assert "With 12 entries the season's progression table plans:" in page
    assert "Quarterfinals: 3 races of 4" in page

    assert (
        organiser.post(f"/officials/distances/{w1000.pk}/plan/", {"table": ""}).status_code == 302
    )
    assert w1000.rounds.count() == 4
    response = organiser.post(f"/officials/distances/{w1000.pk}/draw/", {"seed": "2025"})

    assert response.status_code == 302
    draw = models.Draw.objects.get(round__distance_race=w1000)
    assert draw.seed == 2025
    page = text(organiser.get(response["Location"]))
    assert "drawn with seed 2025: the start lists are out" in page
    assert "Women's 1000m Quarterfinal 3" in page
    assert models.StartListLine.objects.filter(race__round__distance_race=w1000).count() == 12
    # Entries are closed: the entry form is gone and a second draw is refused.
    assert "Enter the ticked skaters" not in page
    again = organiser.post(f"/officials/distances/{w1000.pk}/draw/", {"seed": "1"})
    assert again.status_code == 422
    assert "the first round of the Women's 1000m was drawn on" in text(again)


def test_an_edited_progression_table_that_is_wrong_is_refused(organiser, montreal, users, skaters):
    w1000 = distance_race(montreal, "W1000")
    enter_field(users, w1000, skaters, 12)

    response = organiser.post(
        f"/officials/distances/{w1000.pk}/plan/", {"table": "[[plan]]\nentries = [1, 2]\n"}
    )

    assert response.status_code == 422
    assert "Edited progression table (TOML):" in text(response)
    assert not w1000.rounds.exists()


def test_races_are_put_into_sessions_with_their_times(organiser, montreal, users, w500):
    qualifying = add_session(
        users["organiser"], montreal, day=2, name="Qualifying", starts=time(10), ends=time(12)
    )
    first, second = races_of(w500, "semifinals")
    url = f"/officials/distances/{w500.pk}/schedule/"

    refused = organiser.post(
        url,
        {
            f"session-{first.pk}": qualifying.pk,
            f"at-{first.pk}": "9:15",
            f"session-{second.pk}": "",
        },
    )
    assert refused.status_code == 422
    assert "Women's 500m Semifinal 1 at 09:15 is outside Qualifying (10:00-12:00)" in text(refused)

    response = organiser.post(
        url,
        {
            f"session-{first.pk}": qualifying.pk,
            f"at-{first.pk}": "10:15",
            f"session-{second.pk}": qualifying.pk,
            f"at-{second.pk}": "10:21",
        },
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.session == qualifying
    board = text(organiser.get(f"/officials/competitions/{montreal.pk}/"))
    qualifying_part = board[board.index("Qualifying") :]
    assert qualifying_part.index("10:15") < qualifying_part.index("Women's 500m Semifinal 1")


def test_every_official_sees_the_start_lists_but_only_the_organiser_acts(client_of, users, w500):
    page = text(client_of(users["referee"]).get(f"/officials/distances/{w500.pk}/"))

    assert "Women's 500m Semifinal 2" in page
    first_starter = races_of(w500, "semifinals")[0].start_list.first().skater.name
    assert first_starter in page
    assert "Withdraw" not in page and "Save the schedule" not in page


def test_a_schedule_saved_from_a_second_tab_lands_in_the_conflict(organiser, montreal, users, w500):
    """Both tabs opened the schedule; the first saves, the second is told beside the race
    that it moved, and its time is not saved over the first's."""
    import re

    qualifying = add_session(
        users["organiser"], montreal, day=2, name="Qualifying", starts=time(10), ends=time(12)
    )
    first = races_of(w500, "semifinals")[0]
    page = organiser.get(f"/officials/distances/{w500.pk}/").content.decode()
    opened = re.search(rf'name="was-{first.pk}" value="([^"]*)"', page)[1]
    url = f"/officials/distances/{w500.pk}/schedule/"
    form = {f"session-{first.pk}": qualifying.pk, f"was-{first.pk}": opened}

    assert organiser.post(url, {**form, f"at-{first.pk}": "10:15"}).status_code == 302
    second_tab = organiser.post(url, {**form, f"at-{first.pk}": "11:40"})

    assert second_tab.status_code == 422
    assert (
        "Women's 500m Semifinal 1 was rescheduled since this form was opened "
        "(now Qualifying at 10:15)" in text(second_tab)
    )
    first.refresh_from_db()
    assert first.scheduled_at.astimezone(ZoneInfo(montreal.time_zone)).time() == time(10, 15)


def test_a_draw_from_a_second_tab_after_a_re_plan_lands_in_the_conflict(
    organiser, montreal, users, skaters
):
    import re

    w1000 = distance_race(montreal, "W1000")
    enter_field(users, w1000, skaters, 12)
    url = f"/officials/distances/{w1000.pk}/"
    stale = re.search(r'name="based_on" value="([^"]+)"', organiser.get(url).content.decode())[1]
    assert organiser.post(f"{url}plan/", {"table": "", "based_on": stale}).status_code == 302

    second_tab = organiser.post(f"{url}draw/", {"seed": "3", "based_on": stale})

    assert second_tab.status_code == 409
    assert "the Women's 1000m changed since this page was opened" in text(second_tab)
    assert not models.Draw.objects.filter(round__distance_race=w1000).exists()
    fresh = re.search(r'name="based_on" value="([^"]+)"', second_tab.content.decode())[1]
    assert fresh != stale
    assert organiser.post(f"{url}draw/", {"seed": "3", "based_on": fresh}).status_code == 302
