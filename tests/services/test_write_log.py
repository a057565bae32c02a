"""Every write of a service is one JSON line on the logger ``shorttrack.writes``: who, what,
which competition and race, how it went (ok, refused with the reason, conflict, error) and
how long it took."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import pytest

from shorttrack.services import (
    draws,
    entries,
    imports,
    officials,
    race_results,
    relays,
    setup,
    simulated,
    write_log,
)
from shorttrack.services.draws import draw_first_round
from shorttrack.services.errors import Invalid, NotPermitted
from shorttrack.services.imports import ImportRejected, import_paths
from shorttrack.services.race_results import Decision, finish_order
from shorttrack.services.race_status import version
from shorttrack.services.write_log import JsonLines, acting
from shorttrack.store import models
from tests.services.montreal import distance_race, enter_field, finish, race_it, races_of
from tests.support import SMALL_COMPETITION

pytestmark = pytest.mark.django_db

MONTREAL = "ISU Short Track World Tour 1, Montreal"
WRITERS = {
    race_results: [
        "start_race",
        "enter_results",
        "decide",
        "open_review",
        "make_official",
        "correct_results",
        "rerun",
    ],
    entries: ["enter_skaters", "withdraw"],
    relays: ["enter_relay_team", "name_relay_skaters"],
    draws: ["plan_rounds", "draw_first_round"],
    setup: [
        "add_session",
        "change_session",
        "remove_session",
        "schedule_races",
        "add_broadcaster",
        "remove_broadcaster",
        "appoint_from_server",
    ],
    officials: ["appoint"],
    imports: ["import_paths"],
    simulated: ["label_simulated"],
}


class Writes:
    """The lines logged since the last ``take``, as the JSON formatter writes them."""

    def __init__(self, caplog):
        self.caplog = caplog
        self.formatter = JsonLines()

    def take(self) -> list[dict]:
        lines = []
        for record in self.caplog.records:
            if record.name != "shorttrack.writes":
                continue
            text = self.formatter.format(record)
            assert "\n" not in text
            lines.append(json.loads(text))
        self.caplog.clear()
        return lines

    def one(self) -> dict:
        lines = self.take()
        assert len(lines) == 1, lines
        return lines[0]


@pytest.fixture
def writes(caplog):
    """The writes logger at INFO, heard by pytest even where settings stop it propagating."""
    writes_logger = logging.getLogger("shorttrack.writes")
    level, propagate = writes_logger.level, writes_logger.propagate
    writes_logger.addHandler(caplog.handler)
    writes_logger.propagate = False  # heard once, by the handler itself
    writes_logger.setLevel(logging.INFO)
    yield Writes(caplog)
    writes_logger.removeHandler(caplog.handler)
    writes_logger.setLevel(level)
    writes_logger.propagate = propagate


@pytest.fixture
def m500(montreal, users, skaters) -> models.DistanceRace:
    """The men's 500m with 16 entries, its first round drawn."""
    race = distance_race(montreal, "M500")
    enter_field(users, race, skaters, 16)
    draw_first_round(users["organiser"], race, seed=500)
    return race


def first_round(race: models.DistanceRace) -> list[models.Race]:
    first = race.rounds.order_by("order").first()
    return list(first.races.order_by("number"))


def test_every_writing_service_is_logged():
    for module, names in WRITERS.items():
        for name in names:
            service = getattr(module, name)
            expected = f"{module.__name__.rsplit('.', 1)[-1]}.{name}"
            assert getattr(service, "logged_action", None) == expected, expected


def test_a_finish_entered_by_the_results_officer_is_one_line(m500, users, writes):
    race = first_round(m500)[0]
    race_results.start_race(users["officer"], race, based_on=version(race))
    writes.take()

    result = race_results.enter_results(
        users["officer"], race, finish(race), based_on=version(race)
    )

    line = writes.one()
    assert line["logger"] == "shorttrack.writes"
    assert line["level"] == "INFO"
    assert line["time"].endswith("Z")
    assert line["who"] == "oscar"
    assert line["action"] == "race_results.enter_results"
    assert line["competition_id"] == m500.competition_id
    assert line["competition"] == MONTREAL
    assert line["race"] == race.pk
    assert line["race_result"] == result.pk
    assert line["status"] == "unofficial"
    assert line["outcome"] == "ok"
    assert "reason" not in line
    assert isinstance(line["ms"], float) and line["ms"] >= 0


def test_a_result_made_official_that_fills_the_next_round_is_one_line(m500, users, writes):
    heats = first_round(m500)
    for heat in heats[:-1]:
        race_it(users, heat)
    last = heats[-1]
    race_results.start_race(users["officer"], last, based_on=version(last))
    race_results.enter_results(users["officer"], last, finish(last), based_on=version(last))
    writes.take()

    race_results.make_official(users["referee"], last, based_on=version(last))

    line = writes.one()  # the marks, the next round's draw: all part of this write
    assert (line["who"], line["action"], line["outcome"]) == (
        "rita",
        "race_results.make_official",
        "ok",
    )
    assert line["status"] == "official"
    assert models.Draw.objects.filter(round__distance_race=m500).count() == 2


def test_a_write_refused_for_the_role_is_logged_with_the_reason(m500, users, writes):
    race = first_round(m500)[0]
    race_results.start_race(users["officer"], race, based_on=version(race))
    race_results.enter_results(users["officer"], race, finish(race), based_on=version(race))
    writes.take()

    with pytest.raises(NotPermitted):
        race_results.make_official(users["officer"], race, based_on=version(race))

    line = writes.one()
    assert line["who"] == "oscar"
    assert line["action"] == "race_results.make_official"
    assert line["competition"] == MONTREAL
    assert line["race"] == race.pk
    assert line["outcome"] == "refused"
    assert line["reason"] == (
        f"only a referee of {MONTREAL} may make results official; oscar is results officer there"
    )
    assert "status" not in line and "race_result" not in line


def test_a_write_refused_for_its_input_is_logged_with_every_reason(m500, users, writes):
    race = first_round(m500)[0]
    race_results.start_race(users["officer"], race, based_on=version(race))
    race_results.enter_results(users["officer"], race, finish(race), based_on=version(race))
    writes.take()

    with pytest.raises(Invalid):
        race_results.decide(users["referee"], race, [], based_on=version(race))
    with pytest.raises(Invalid):
        race_results.rerun(users["referee"], race, reason="", based_on=version(race))

    refused = writes.take()
    assert [(line["action"], line["outcome"]) for line in refused] == [
        ("race_results.decide", "refused"),
        ("race_results.rerun", "refused"),
    ]
    assert refused[0]["reason"] == "decisions: no decision given"
    assert refused[1]["reason"].startswith("reason: ")


def test_an_anonymous_visitor_refused_is_logged_as_anonymous(m500, writes):
    from django.contrib.auth.models import AnonymousUser

    race = first_round(m500)[0]
    with pytest.raises(NotPermitted):
        race_results.start_race(AnonymousUser(), race, based_on=version(race))

    line = writes.one()
    assert (line["who"], line["outcome"]) == ("anonymous", "refused")
    assert line["reason"].startswith("sign in as a referee or a results officer of")


def test_a_referee_decision_names_the_decisions(m500, users, writes):
    race = first_round(m500)[0]
    race_results.start_race(users["officer"], race, based_on=version(race))
    race_results.enter_results(users["officer"], race, finish(race), based_on=version(race))
    helmet = race.start_list.order_by("helmet").first().helmet
    writes.take()

    race_results.decide(
        users["referee"], race, [Decision(helmet, "PEN", "impeding")], based_on=version(race)
    )

    line = writes.one()
    assert line["decisions"] == [f"PEN {helmet}"]
    assert line["status"] == "under_review"


def test_a_correction_in_conflict_with_a_round_under_way_is_logged_as_a_conflict(
    montreal, users, skaters, writes
):
    m1000 = distance_race(montreal, "M1000")
    enter_field(users, m1000, skaters, 35)
    draw_first_round(users["organiser"], m1000, seed=1017)
    for heat in races_of(m1000, "heats"):
        race_it(users, heat)
    race_it(users, races_of(m1000, "quarterfinals")[0])
    heat = races_of(m1000, "heats")[2]
    winner = heat.start_list.order_by("helmet").first().helmet
    helmets = sorted(heat.start_list.values_list("helmet", flat=True))
    writes.take()

    race_results.correct_results(
        users["referee"],
        heat,
        reason="photo finish read again",
        # the times go with the winner's place: on purpose, the photo finish read again
        lines=[replace(line, on_purpose=True) for line in finish_order(helmets[1:], dnf=[winner])],
        based_on=version(heat),
    )

    line = writes.one()
    assert line["level"] == "WARNING"
    assert line["action"] == "race_results.correct_results"
    assert line["race"] == heat.pk
    assert line["outcome"] == "conflict"
    assert line["reason"] == heat.events.get(kind="conflict").reason
    assert "but the quarterfinals have already started" in line["reason"]
    assert line["reason_given"] == "photo finish read again"
    assert line["race_result"] == heat.results.order_by("-number").first().pk


def test_an_unexpected_error_is_logged_and_raised(m500, users, writes, monkeypatch):
    race = first_round(m500)[0]
    race_results.start_race(users["officer"], race, based_on=version(race))
    writes.take()

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(race_results, "save_revision", broken)
    with pytest.raises(RuntimeError):
        race_results.enter_results(users["officer"], race, finish(race), based_on=version(race))

    line = writes.one()
    assert line["level"] == "ERROR"
    assert line["outcome"] == "error"
    assert line["reason"] == "RuntimeError: the disk is full"
    assert line["competition"] == MONTREAL


def test_set_up_writes_name_their_competition_and_what_they_made(montreal, users, writes):
    from datetime import time

    session = setup.add_session(
        users["organiser"], montreal, day=1, name="Qualifying", starts=time(9), ends=time(12)
    )
    session_id = session.pk
    setup.remove_session(users["organiser"], session)

    added, removed = writes.take()
    assert (added["action"], added["who"], added["competition"]) == (
        "setup.add_session",
        "olivia",
        MONTREAL,
    )
    assert added["session"] == session_id
    assert removed["action"] == "setup.remove_session"
    assert removed["session"] == added["session"]  # logged though the session is gone
    assert removed["competition_id"] == montreal.pk


def test_entries_and_appointments(montreal, users, skaters, writes):
    race = distance_race(montreal, "W500")
    enter_field(users, race, skaters, 6)
    officials.appoint(users["organiser"], montreal, users["fan"], officials.REFEREE)

    entered, appointed = writes.take()
    assert (entered["action"], entered["distance_race"], entered["entry_count"]) == (
        "entries.enter_skaters",
        race.pk,
        6,
    )
    assert entered["competition"] == MONTREAL
    assert (appointed["action"], appointed["appointee"], appointed["role"]) == (
        "officials.appoint",
        "fred",
        "referee",
    )


def test_officials_appointed_at_the_server_are_logged_as_the_command_line(montreal, writes):
    setup.appoint_from_server(montreal, "sven", officials.ORGANISER)
    with acting("simulator"):
        setup.appoint_from_server(montreal, "simon", officials.REFEREE)

    cli, simulator = writes.take()
    assert (cli["who"], cli["appointee"], cli["role"], cli["outcome"]) == (
        "cli",
        "sven",
        "organiser",
        "ok",
    )
    assert cli["competition"] == MONTREAL
    assert simulator["who"] == "simulator"


def test_an_import_is_logged_as_one_write(writes, tmp_path):
    files = [SMALL_COMPETITION / name for name in ("calendar.csv", "skaters.csv")]
    import_paths(files)
    bad = tmp_path / "race-results.csv"
    bad.write_text("not,a,race,results,file\n")
    with pytest.raises(ImportRejected):
        import_paths([bad])

    imported, refused = writes.take()
    assert (imported["who"], imported["action"], imported["outcome"]) == (
        "import",
        "imports.import_paths",
        "ok",
    )
    assert imported["files"] == [str(f) for f in files]
    assert imported["summary"].startswith("created 1 season")
    assert refused["outcome"] == "refused"
    assert refused["reason"].startswith("import refused, ")


def test_above_info_only_conflicts_and_errors_are_logged(m500, users, writes):
    logging.getLogger("shorttrack.writes").setLevel(logging.WARNING)
    race = first_round(m500)[0]
    race_results.start_race(users["officer"], race, based_on=version(race))
    with pytest.raises(NotPermitted):
        race_results.start_race(users["fan"], race, based_on=version(race))
    assert writes.take() == []


def test_other_records_are_json_lines_too():
    try:
        raise ValueError("broken template")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/x/",),
        exc_info,
    )
    record.status_code = 500

    class Request:
        method = "GET"
        path = "/x/"

    record.request = Request()
    line = json.loads(JsonLines().format(record))
    assert line["logger"] == "django.request"
    assert line["message"] == "Internal Server Error: /x/"
    assert (line["status_code"], line["method"], line["path"]) == (500, "GET", "/x/")
    assert "ValueError: broken template" in line["exception"]


def test_the_module_loads_before_the_apps(tmp_path):
    """settings.LOGGING names the formatter, and logging is configured before Django's
    apps are ready: the module must not import models when it loads."""
    import subprocess
    import sys

    code = (
        "import logging.config, django.conf, sys;"
        "logging.config.dictConfig({'version': 1, 'formatters': {'json': "
        "{'()': 'shorttrack.services.write_log.JsonLines'}}});"
        "print('shorttrack.store.models' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_nested_writes_are_part_of_the_outer_one(montreal, users, writes):
    """A logged service called inside another (as the simulator's set-up might) adds no
    line of its own."""

    @write_log.logged_write
    def outer(user, competition):
        setup.appoint_from_server(competition, "nina", officials.REFEREE)

    outer(users["organiser"], montreal)
    (line,) = writes.take()
    assert line["action"] == "test_write_log.outer"
