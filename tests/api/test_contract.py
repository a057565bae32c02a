"""One contract: the shapes of queries/shapes.py are what the pages' documents are checked
against, what the API returns them through and what its OpenAPI document is made from; the
OpenAPI document describes every answer the API gives (200, 400, 404, 422 and their
bodies), as schemathesis finds it, in-process, on a database with a competition in it."""

from __future__ import annotations

import collections
import copy
import datetime as dt

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import connections
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from shorttrack.api.endpoints import api
from shorttrack.queries import documents
from shorttrack.store import models

# Bounded: a few examples an operation in each phase, the same ones every run.
CONFIG = """
[generation]
max-examples = 8
deterministic = true
database = "none"

# The standings and the Globe take one moment: as_of, after or before. OpenAPI cannot say
# that of parameters, nor which strings are moments; the API answers 400 with the reason.
[[operations]]
include-path-regex = "/(standings|globe)/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "404"]
"""


def real_parameters() -> dict[str, object]:
    """The path parameters of the Montreal 2023/24 competition (tests/fixtures): each
    endpoint's example names something there, so the examples phase meets 200 answers."""
    competition = models.Competition.objects.get(season__key="2023/24", number=1)
    final = models.Race.objects.get(
        round__kind="final_a",
        round__distance_race__competition=competition,
        round__distance_race__distance="W1000",
    )
    distance_race = final.round.distance_race
    skater = models.Skater.objects.get(family_name="Adams")
    opponent = models.Skater.objects.get(family_name="Fontana")  # met her twice
    return {
        "season": "2023-24",
        "number": competition.number,
        "classification": "overall-women",
        "code": "CAN",
        "race_id": final.pk,
        "round_id": final.round_id,
        "distance_race_id": distance_race.pk,
        "skater_id": skater.pk,
        "opponent_id": opponent.pk,
        "day": dt.date(2023, 10, 21).isoformat(),
    }


def with_examples(openapi: dict, values: dict[str, object]) -> dict:
    """The OpenAPI document with an example for each path parameter (only the examples
    change: every schema, status and body is the API's own)."""
    document = copy.deepcopy(openapi)
    for operation in document["paths"].values():
        for parameter in operation["get"].get("parameters", []):
            if parameter["in"] == "path":
                parameter["example"] = values[parameter["name"]]
    return document


def closing_connections(app):
    """The WSGI application, closing the database connections a request opened in the
    engine's worker thread (PostgreSQL would keep them open past the test)."""

    def answer(environ, start_response):
        try:
            response = app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            connections.close_all()

    return answer


def run_schemathesis(openapi: dict):
    """Every phase schemathesis runs from the command line (examples, coverage, fuzzing),
    positive and negative; returns the failed checks and the statuses met per operation."""
    schema = schemathesis.openapi.from_dict(openapi, config=SchemathesisConfig.from_str(CONFIG))
    schema.app = closing_connections(get_wsgi_application())
    failures, statuses = set(), collections.defaultdict(collections.Counter)
    for event in from_schema(schema).execute():
        if isinstance(event, events.NonFatalError):  # an error schemathesis met, not a check
            failures.add((event.label, "error", str(event.value), ""))
        if isinstance(event, events.FatalError):
            raise event.exception
        if not isinstance(event, events.ScenarioFinished):
            continue
        for interaction in event.recorder.interactions.values():
            if interaction.response is not None:
                statuses[event.recorder.label][interaction.response.status_code] += 1
        for checks in event.recorder.checks.values():
            for check in checks:
                if check.status == Status.FAILURE:
                    failure = check.failure_info.failure
                    failures.add(
                        (
                            event.recorder.label,
                            check.name,
                            f"{failure.title}: {failure.message}",
                            check.failure_info.code_sample,
                        )
                    )
    return failures, statuses


@pytest.mark.django_db(transaction=True)
@pytest.mark.sqlite_only  # the contract is the API's, not the database's: run once
def test_schemathesis_finds_no_answer_the_openapi_document_does_not_describe(
    client, small_competition
):
    openapi = with_examples(client.get("/api/openapi.json").json(), real_parameters())
    failures, statuses = run_schemathesis(openapi)
    assert failures == set()
    operations = {f"GET {path}" for path in openapi["paths"]}
    assert set(statuses) - {"Stateful tests"} == operations
    # Each operation answered its real example (200) and the run met every documented
    # error (a name of nothing: 404, a parameter of the wrong form: 422, two moments:
    # 400), each checked against its documented body.
    for operation, seen in statuses.items():
        assert seen[200] >= 1, (operation, seen)
    met = sum(statuses.values(), collections.Counter())
    assert met[400] and met[404] and met[422], met


def test_each_endpoint_answers_with_the_shape_its_document_is_checked_against(client):
    openapi = client.get("/api/openapi.json").json()
    answered = set()
    for path, operation in openapi["paths"].items():
        responses = operation["get"]["responses"]
        ref = responses["200"]["content"]["application/json"]["schema"]["$ref"]
        answered.add(ref.rsplit("/", 1)[1])
        if "{" in path:
            assert {"200", "400", "404", "422"} <= set(responses), path
    assert answered == {shape.__name__ for shape in documents.SHAPES.values()}
    # A shape admits no field it does not declare, in the OpenAPI document too.
    assert openapi["components"]["schemas"]["SeasonRef"]["additionalProperties"] is False


def test_the_422_body_is_described_as_the_api_gives_it(client):
    answer = client.get("/api/seasons/2023/competitions/x")
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {
            "type": "int_parsing",
            "loc": ["path", "number"],
            "msg": "Input should be a valid integer, unable to parse string as an integer",
        },
        {
            "type": "string_pattern_mismatch",
            "loc": ["path", "season"],
            "msg": "String should match pattern '^[0-9]{4}-[0-9]{2}$'",
            "ctx": {"pattern": "^[0-9]{4}-[0-9]{2}$"},
        },
    ]
    body = api.get_openapi_schema()["components"]["schemas"]["ValidationErrors"]
    assert body["required"] == ["detail"]


@pytest.mark.django_db
def test_a_field_a_query_adds_without_declaring_it_fails_the_page(small_competition):
    seasons = documents.seasons_document()
    assert seasons["seasons"][0]["slug"] == "2023-24"
    grown = copy.deepcopy(seasons)
    grown["seasons"][0]["founded"] = 1981
    with pytest.raises(documents.DocumentShapeError, match=r"seasons\.0\.founded"):
        documents.checked("seasons", grown)
    shrunk = copy.deepcopy(seasons)
    del shrunk["seasons"][0]["simulated"]
    with pytest.raises(documents.DocumentShapeError, match=r"seasons\.0\.simulated"):
        documents.checked("seasons", shrunk)
    retyped = copy.deepcopy(seasons)
    retyped["seasons"][0]["id"] = str(retyped["seasons"][0]["id"])
    with pytest.raises(documents.DocumentShapeError, match=r"seasons\.0\.id"):
        documents.checked("seasons", retyped)


def test_an_address_no_endpoint_has_is_a_json_404(client):
    answer = client.get("/api/seasons/2023/24")
    assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json")
    assert answer.json() == {"detail": "no endpoint /api/seasons/2023/24: /api/docs lists them"}
    # after and before take a distance race id: anything else is a 422 naming it.
    answer = client.get("/api/seasons/2023-24/standings/overall-women?after=Montreal")
    assert answer.status_code == 422
    assert [problem["loc"] for problem in answer.json()["detail"]] == [["query", "after"]]
