"""What the public may see is decided once, by the store's querysets (store/visibility.py).

Two checks: the public code (queries, site, API) reads no competition's rows except through
``public()`` / ``official_at()`` / ``official_before()`` / ``newest_official()``, read from
its source; and an unpublished competition, unofficial revisions and an event after the
official result show on no public page, JSON twin, feed or API answer, asked with every
parameter the site's URLs and the API take.
"""

from __future__ import annotations

import ast
import csv
import itertools
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.urls import reverse

import shorttrack
from shorttrack.queries.standings import classification_slug
from shorttrack.rules.season import season_rules
from shorttrack.rules.times import format_time, parse_time
from shorttrack.services.imports import import_paths
from shorttrack.site import stream
from shorttrack.site.urls import urlpatterns
from shorttrack.store import models
from tests.support import SMALL_COMPETITION

PACKAGE = Path(shorttrack.__file__).parent
PUBLIC_CODE = ("queries", "site", "api")
VISIBILITY = {"public", "official_at", "official_before", "newest_official"}
# Read without the visibility methods, everywhere: a season is a name on the calendar (its
# page exists before anything of it is published), and a skater or a nation is a name;
# what they raced is read through the methods.
NAMES = {"Season", "Skater", "Member"}
# The one kind of read of a competition's rows public code may make without them: the
# command line names a race or shows its newest ranking revision for the operator of
# the database, published or not (`shorttrack ranking`, `--race`, `--competition`).
ALLOWED = {
    ("queries/races.py", "find_competition"): "the CLI names a competition of the database",
    ("queries/races.py", "find_distance_race"): "the CLI names a distance race of the database",
    ("queries/races.py", "latest_ranking"): "the CLI's `ranking` shows the newest revision",
    # The lines of the ranking revision the caller chose: current_ranking (public) on the
    # pages, the CLI's newest revision in `shorttrack ranking`.
    ("queries/races.py", "ranking_rows"): "the lines of the revision its caller chose",
    # The public pages ask for the numbers of a published competition's races only (its
    # race, round and overview pages); the officials' sheets of any competition.
    ("queries/races.py", "programme_numbers"): "the numbers of one competition's races",
    # The tamper-evident history checks every row a service wrote, official or not: the
    # race page shows only whether its chain is intact, how many rows break it, its head.
    ("queries/history.py", "head"): "the head of a competition's chain",
    ("queries/history.py", "_present"): "every row the chain should name",
    ("queries/history.py", "verify"): "the chain of links itself",
    ("queries/history.py", "_describe"): "naming a row the chain finds changed",
}
QUERYSET_METHODS = {
    "aggregate",
    "all",
    "annotate",
    "count",
    "distinct",
    "exclude",
    "exists",
    "filter",
    "first",
    "get",
    "in_bulk",
    "iterator",
    "last",
    "order_by",
    "prefetch_related",
    "select_related",
    "values",
    "values_list",
}


def store_models() -> dict[str, type]:
    return {m.__name__: m for m in apps.get_app_config("store").get_models()}


def guarded() -> set[str]:
    """Models of the store public code may read only through the visibility methods."""
    return set(store_models()) - NAMES


def related_managers() -> set[str]:
    """Names of the related managers that lead to a guarded model (``race.results``)."""
    wanted = guarded()
    return {
        relation.get_accessor_name()
        for model in apps.get_models()
        for relation in model._meta.related_objects
        if relation.related_model.__name__ in wanted
    }


class Reads(ast.NodeVisitor):
    """Every chain of a public module that starts at ``Model.objects`` of a guarded model, or
    at a related manager called like a queryset, with the function it is in."""

    def __init__(self, models: set[str], managers: set[str]):
        self.models, self.managers = models, managers
        self.function = "<module>"
        self.found: list[tuple[str, int, list[str]]] = []

    def visit_FunctionDef(self, node):
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    def visit_Attribute(self, node):
        start = None
        owner = node.value
        if node.attr == "objects":
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
            if name in self.models:
                start = node
        elif (
            node.attr in self.managers
            and not (isinstance(owner, ast.Name) and owner.id == "self")
            and isinstance(getattr(node, "parent", None), ast.Attribute)
            and node.parent.attr in QUERYSET_METHODS | VISIBILITY
            and isinstance(getattr(node.parent, "parent", None), ast.Call)
        ):
            start = node
        if start is not None:
            self.found.append((self.function, node.lineno, chain_methods(start)))
        self.generic_visit(node)


def chain_methods(node: ast.AST) -> list[str]:
    """The methods called along a chain from ``node``: ``X.objects.public().filter(...)``."""
    methods = []
    while True:
        parent = getattr(node, "parent", None)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            methods.append(parent.attr)
        elif not (isinstance(parent, ast.Call) and parent.func is node):
            return methods
        node = parent


def raw_reads(source: str, relative: str) -> list[str]:
    """The reads of a module that do not go through the visibility methods."""
    tree = ast.parse(source)
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            child.parent = parent
    reads = Reads(guarded(), related_managers())
    reads.visit(tree)
    return [
        f"{relative}:{line} in {function}(): .{'.'.join(methods) or 'objects'}"
        for function, line, methods in reads.found
        if not VISIBILITY & set(methods) and (relative, function) not in ALLOWED
    ]


def public_modules():
    for package in PUBLIC_CODE:
        for path in sorted((PACKAGE / package).rglob("*.py")):
            yield path.relative_to(PACKAGE).as_posix(), path.read_text()


def test_public_code_reads_competitions_only_through_the_visibility_methods():
    found = [read for relative, source in public_modules() for read in raw_reads(source, relative)]
    assert found == []


def test_a_raw_read_is_found():
    # What the test above catches: a forgotten filter, a related manager, a model imported
    # as an attribute of the models module; and what it lets through.
    source = """
def leaks(season, race):
    Race.objects.filter(round__distance_race__competition__published=True).exists()
    season.competitions.filter(published=True).order_by("number")
    models.RaceResult.objects.get(pk=1)
    race.results.count()

def keeps(season, race):
    Race.objects.public().filter(pk=1).exists()
    season.competitions.public().order_by("number")
    models.RaceResult.objects.official_at(None).get(pk=1)
    race.results.public().count()
    Skater.objects.get(pk=1)
    self.results.get(1)
"""
    assert raw_reads(source, "queries/example.py") == [
        "queries/example.py:3 in leaks(): .filter.exists",
        "queries/example.py:4 in leaks(): .filter.order_by",
        "queries/example.py:5 in leaks(): .get",
        "queries/example.py:6 in leaks(): .count",
    ]


def test_every_allowed_read_is_still_there():
    # An allow-list entry for a read that no longer exists would hide a future one.
    sources = dict(public_modules())
    for relative, function in ALLOWED:
        reads = Reads(guarded(), related_managers())
        tree = ast.parse(sources[relative])
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                child.parent = parent
        reads.visit(tree)
        assert any(f == function for f, _, _ in reads.found), (relative, function)


def test_the_published_rule_is_written_once():
    written = [
        f"{relative}:{number}"
        for relative, source in [
            *public_modules(),
            ("store/visibility.py", (PACKAGE / "store/visibility.py").read_text()),
        ]
        for number, line in enumerate(source.splitlines(), start=1)
        if re.search(r"published\s*=\s*True|published\s*=\s*False|__published", line)
    ]
    # CompetitionQuerySet.public(): every other model's public() leads to it.
    assert len(written) == 1 and written[0].startswith("store/visibility.py:"), written


# --- what the pages show -------------------------------------------------------------------

MONTREAL = ZoneInfo("America/Toronto")
HIDDEN_CITY, HIDDEN_VENUE = "Hiddenburg", "Secret Arena"
HIDDEN_SKATER = ("Vera", "Verborgen", "STNOR19999")
DRAFT_TIME_MS = 87_777  # a draft revision of the Final A: Ito first in 1:27.777
SECRET_REASONS = ("draft: not official yet", "protest after the official result")


def hidden_copy(folder: Path) -> list[Path]:
    """The small competition again as World Cup 2 of 2023/24, in Hiddenburg three weeks
    later, every time 20 s slower (no laps) and Alice Adams replaced by a skater of its own."""
    given, family, isu_id = HIDDEN_SKATER
    calendar = (SMALL_COMPETITION / "calendar.csv").read_text()
    calendar = calendar.replace(",1,Montreal,", f",2,{HIDDEN_CITY},")
    calendar = calendar.replace("Maurice-Richard Arena", HIDDEN_VENUE)
    calendar = re.sub(r"2023-10-(\d\d)", lambda m: f"2023-11-{int(m[1]) - 9:02d}", calendar)
    skaters = (SMALL_COMPETITION / "skaters.csv").read_text()
    skaters += f"{isu_id},{given},{family},women,2001-05-05,NOR\n"
    with (SMALL_COMPETITION / "race-results.csv").open() as source:
        rows = list(csv.DictReader(source))
    for row in rows:
        row["competition"] = "2"
        row["official_at"] = re.sub(
            r"2023-10-(\d\d)", lambda m: f"2023-11-{int(m[1]) - 9:02d}", row["official_at"]
        )
        if row["time"]:
            row["time"] = format_time(parse_time(row["time"]) + 20_000)
            row["laps"] = ""  # they would not sum to the new time
        if row["isu_id"] == "STCAN10001":
            row.update(name=f"{family.upper()} {given}", isu_id=isu_id, member="NOR")
    (folder / "calendar.csv").write_text(calendar)
    (folder / "skaters.csv").write_text(skaters)
    with (folder / "race-results.csv").open("w", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return [folder / name for name in ("calendar.csv", "skaters.csv", "race-results.csv")]


@pytest.fixture
def hidden(tmp_path, db):
    """The small competition, published; its copy in Hiddenburg, unpublished, with a session
    and a broadcaster; on the published one a draft revision of the Final A, a ranking
    revision not official yet, and a protest event after the official result."""
    small = [SMALL_COMPETITION / n for n in ("calendar.csv", "skaters.csv", "race-results.csv")]
    import_paths(small)
    public_times = {line.time_ms for line in models.RaceResultLine.objects.all()}
    import_paths(hidden_copy(tmp_path))
    hiddenburg = models.Competition.objects.get(city=HIDDEN_CITY)
    hiddenburg.published = False
    hiddenburg.save()
    models.Session.objects.create(
        competition=hiddenburg,
        day=2,
        name="Secret session",
        starts_at=datetime(2023, 11, 12, 12, 0, tzinfo=MONTREAL),
    )
    models.Broadcaster.objects.create(
        season=hiddenburg.season, competition=hiddenburg, name="Hidden TV", country="NOR"
    )
    hidden_times = {
        line.time_ms
        for line in models.RaceResultLine.objects.filter(
            result__race__round__distance_race__competition=hiddenburg
        )
    } - {None}
    assert not hidden_times & public_times

    final_a = models.Race.objects.get(
        round__kind="final_a",
        round__distance_race__distance="W1000",
        round__distance_race__competition__city="Montreal",
    )
    official = final_a.results.get()
    ito = models.Skater.objects.get(family_name="Ito")
    revision = models.Revision.objects.create(
        recorded_at=official.official_at + timedelta(minutes=30),
        source="console",
        reason=SECRET_REASONS[0],
    )
    draft = models.RaceResult.objects.create(
        race=final_a, number=2, revision=revision, official_at=None
    )
    for line in official.lines.all():
        line.pk, line.result = None, draft
        if line.skater_id == ito.pk:
            line.place, line.time_ms = 1, DRAFT_TIME_MS
        line.save()
    models.RaceEvent.objects.create(
        race=final_a,
        kind="decision",
        status="under_review",
        at=revision.recorded_at,
        reason=SECRET_REASONS[1],
        result=draft,
    )
    final_a.status = "under_review"
    final_a.save()
    ranking = models.Ranking.objects.create(
        distance_race=final_a.round.distance_race,
        number=2,
        revision=revision,
        official_at=None,
        basis="races",
    )
    models.RankingLine.objects.create(
        ranking=ranking, rank=1, skater=ito, member=ito.member, time_ms=DRAFT_TIME_MS
    )
    secrets = [HIDDEN_CITY, HIDDEN_VENUE, "Secret session", "Hidden TV", *SECRET_REASONS]
    for time_ms in hidden_times | {DRAFT_TIME_MS}:
        # A time in milliseconds is a JSON value of a key ending in "ms" ("time_ms": 110900,
        # "laps_ms": [..., 110900]): only there, as a number alone; the same digits as an id
        # (/skaters/110900/, as PostgreSQL's sequences can reach) are no time.
        secrets += [
            format_time(time_ms),
            re.compile(rf'"\w*ms"\s*:\s*(\[[^\]]*)?(?<!\d){time_ms}(?!\d)'),
        ]
    return hiddenburg, secrets


def parameters(hiddenburg) -> dict[str, list]:
    """Every value each parameter of a public URL can take in this database."""
    season = hiddenburg.season
    days = [
        c.start_date + timedelta(days=n)
        for c in models.Competition.objects.all()
        for n in range((c.end_date - c.start_date).days + 1)
    ]
    return {
        "season": [season.key.replace("/", "-")],
        "number": sorted(models.Competition.objects.values_list("number", flat=True)),
        "classification": [
            classification_slug(spec.key) for spec in season_rules(season.rules_key).classifications
        ],
        "code": sorted(models.Member.objects.values_list("code", flat=True)),
        "day": [day.isoformat() for day in days],
        "distance_race_id": sorted(models.DistanceRace.objects.values_list("pk", flat=True)),
        "race_id": sorted(models.Race.objects.values_list("pk", flat=True)),
        "round_id": sorted(models.Round.objects.values_list("pk", flat=True)),
        "skater_id": sorted(models.Skater.objects.values_list("pk", flat=True)),
        # The head-to-head's second skater: Ito, whose Final A has a draft revision, and
        # the skater who raced only in the unpublished competition.
        "opponent_id": sorted(
            models.Skater.objects.filter(family_name__in=["Ito", HIDDEN_SKATER[1]]).values_list(
                "pk", flat=True
            )
        ),
    }


def filled(names: list[str], values: dict[str, list]):
    for combination in itertools.product(*(values[name] for name in names)):
        yield dict(zip(names, combination, strict=True))


def every_public_url(hiddenburg) -> list[str]:
    """Every page, JSON twin and feed of the site and every API answer, with every value of
    their parameters; standings and the Globe also after and before each distance race."""
    from shorttrack.api.endpoints import api

    values = parameters(hiddenburg)
    urls = []
    for pattern in urlpatterns:
        names = list(pattern.pattern.converters)
        if names == ["topic"]:
            continue  # the live stream never ends: its topics are checked one by one below
        urls += [reverse(f"site:{pattern.name}", kwargs=kwargs) for kwargs in filled(names, values)]
    for route in api.get_openapi_schema(path_prefix="/api/")["paths"]:
        names = re.findall(r"{(\w+)}", route)
        urls += [route.format(**kwargs) for kwargs in filled(names, values)]
    moments = [
        f"{url}?{when}={pk}"
        for url in urls
        if "/standings/" in url or "/globe/" in url
        for when in ("after", "before")
        for pk in values["distance_race_id"]
    ]
    return urls + moments


def test_nothing_unpublished_or_unofficial_shows_on_any_public_url(client, hidden):
    hiddenburg, secrets = hidden
    given, family, _ = HIDDEN_SKATER
    verborgen = models.Skater.objects.get(family_name=family)
    own_pages = {
        reverse(name, args=[verborgen.pk])
        for name in (
            "site:skater",
            "site:skater-json",
            "site:skater-facts",
            "site:skater-facts-json",
        )
    } | {f"/api/skaters/{verborgen.pk}", f"/api/skaters/{verborgen.pk}/facts"}
    hidden_races = set(
        models.Race.objects.filter(round__distance_race__competition=hiddenburg).values_list(
            "pk", flat=True
        )
    )
    urls = every_public_url(hiddenburg)
    assert len(urls) > 800
    shown = 0
    for url in urls:
        response = client.get(url)
        body = response.content.decode()
        leaked = [
            secret
            for secret in secrets
            if (secret.search(body) if isinstance(secret, re.Pattern) else secret in body)
        ]
        # Her head-to-heads name her too, the page, its JSON twin and the API's.
        theirs = rf"(/api)?/head-to-head/(\d+/{verborgen.pk}|{verborgen.pk}/\d+)(/|\.json)?"
        if url not in own_pages and not re.fullmatch(theirs, url):
            # A skater is a name, public on their own page; nowhere else for a hidden race.
            leaked += [name for name in (family, family.upper()) if name in body]
        assert leaked == [], url
        naming_hidden = re.search(rf"/competitions/{hiddenburg.number}\b", url) or any(
            re.search(rf"/races/{pk}\b", url) for pk in hidden_races
        )
        if naming_hidden:
            assert response.status_code == 404, url
        shown += response.status_code == 200
    assert shown > 500
    # The verborgen skater's own page shows her, with nothing she raced.
    page = client.get(f"/skaters/{verborgen.pk}.json").json()
    assert (page["seasons"], page["personal_bests"], page["medals"]["total"]) == ([], [], 0)
    # Live topics: the unpublished competition and its races have none.
    assert stream.topic_is_public(f"season:{hiddenburg.season_id}")
    assert not stream.topic_is_public(f"competition:{hiddenburg.pk}")
    assert all(not stream.topic_is_public(f"race:{pk}") for pk in hidden_races)
    montreal = models.Competition.objects.get(city="Montreal")
    assert stream.topic_is_public(f"competition:{montreal.pk}")
    assert client.get(f"/live/competition:{hiddenburg.pk}/").status_code == 404


def test_the_public_querysets_say_what_the_pages_show(hidden):
    hiddenburg, _ = hidden
    assert list(models.Competition.objects.public().values_list("city", flat=True)) == ["Montreal"]
    assert models.Season.objects.public().count() == 1
    final_a = models.Race.objects.public().get(
        round__kind="final_a", round__distance_race__distance="W1000"
    )
    # The draft revision is kept for the record, and shows only once it is official.
    assert [r.number for r in final_a.results.all()] == [1, 2]
    assert [r.number for r in final_a.results.public()] == [1]
    official_at = final_a.results.get(number=1).official_at
    assert not final_a.results.official_before(official_at).exists()
    assert final_a.results.official_at(official_at).count() == 1
    newest = models.RaceResult.objects.newest_official(
        at_most=datetime(2023, 12, 31, tzinfo=MONTREAL)
    )
    assert set(newest.values_list("race__round__distance_race__competition__city", flat=True)) == {
        "Montreal"
    }
    assert newest.filter(race=final_a).get().number == 1
    assert not models.RankingLine.objects.public().filter(time_ms=DRAFT_TIME_MS).exists()
    assert (
        list(models.Broadcaster.objects.public().values_list("name", flat=True)) == []
    )  # Hidden TV is Hiddenburg's
