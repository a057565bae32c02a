"""The `shorttrack` command line: standings as of any moment, final rankings, imports,
exports. Thin: parse the options, call a query or a service, print.

    shorttrack standings --season 2022/23 --classification overall --gender women
    shorttrack standings --season 2022/23 --classification 500m --gender men --after "Salt Lake City, 500m (1)"
    shorttrack ranking --season 2022/23 --race "Montreal, 1000m (2)" --gender men
    shorttrack import results.csv calendar.json
    shorttrack export --season 2022/23 --output out/ --format csv
"""

from __future__ import annotations

import csv
import json
import os
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

app = typer.Typer(
    help="Run and publish a short track World Cup season: standings at any moment, "
    "final rankings with World Cup points, imports and exports of results.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)


class Output(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
    import django

    django.setup()


def _fail(message: str) -> None:
    errors.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(2)


def _parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        _fail(
            f"--as-of {text!r} is not a moment: write it as 2022-11-05T20:00 (UTC) or with an offset"
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moment(season, as_of: str | None, after: str | None, gender: str | None) -> datetime | None:
    """The moment --as-of or --after names (None: now)."""
    from shorttrack.queries import races

    if as_of and after:
        _fail("give --as-of or --after, not both")
    if after:
        return races.official_moment(races.find_distance_race(season, after, gender))
    return _parse_moment(as_of) if as_of else None


@app.command()
def standings(
    season: str = typer.Option(..., help="Season key, e.g. 2022/23."),
    classification: str = typer.Option(
        "overall", help="overall, 500m, 1000m, 1500m, relay, mixed-relay or nations."
    ),
    gender: str = typer.Option(None, help="women or men (not needed for mixed-relay and nations)."),
    as_of: str = typer.Option(
        None, "--as-of", help="Standings at this moment (ISO 8601; UTC unless an offset is given)."
    ),
    after: str = typer.Option(
        None,
        help="Standings just after a race became official: 'CITY, DISTANCE', e.g. 'Salt Lake City, 500m (1)'.",
    ),
    details: bool = typer.Option(
        False, help="List the races behind every row, counted and dropped."
    ),
    output: Output = typer.Option(Output.table, "--format", help="table, json or csv."),
) -> None:
    """World Cup standings of one classification, now or as of any moment."""
    _django()
    from shorttrack.queries import standings as q

    try:
        season_row = q.get_season(season)
        key = q.classification_key(classification, gender)
        moment = _moment(season_row, as_of, after, gender)
        table, loaded = q.standings(season_row, key, moment)
    except ValueError as error:
        _fail(str(error))
    document = q.standings_document(table, loaded)
    if output is Output.json:
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return
    if output is Output.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["rank", "name", "nation", "points", "behind_leader", "behind_next"])
        for row in document["rows"]:
            writer.writerow(
                [
                    row[k]
                    for k in ("rank", "name", "nation", "points", "behind_leader", "behind_next")
                ]
            )
        return
    moment_text = f" as of {moment:%Y-%m-%d %H:%M} UTC" if moment else ""
    title = f"{document['title']} — {season}{moment_text}"
    rich_table = Table(title=title, caption=_caption(document))
    for column, justify in (
        ("Rank", "right"),
        ("Name", "left"),
        ("Nation", "left"),
        ("Points", "right"),
        ("Behind", "right"),
    ):
        rich_table.add_column(column, justify=justify)
    if details:
        rich_table.add_column("Races (points; dropped in brackets)")
    for row in document["rows"]:
        cells = [
            str(row["rank"]),
            row["name"],
            row["nation"],
            str(row["points"]),
            str(row["behind_leader"]) if row["behind_leader"] else "",
        ]
        if details:
            cells.append(
                "; ".join(
                    f"{r['race']} {r['points']}"
                    if r["counted"]
                    else f"[dim]({r['race']} {r['points']})[/]"
                    for r in row["results"]
                    if r["points"] or not r["counted"]
                )
            )
        rich_table.add_row(*cells)
    console.print(rich_table)


def _caption(document: dict) -> str:
    caption = document["counting"]
    if document["provisional"]:
        caption += "; computed with provisional rule values (see docs/rules.md)"
    return caption


@app.command()
def ranking(
    season: str = typer.Option(..., help="Season key, e.g. 2022/23."),
    race: str = typer.Option(
        ..., help="'CITY, DISTANCE', e.g. 'Montreal, 1000m (2)' or 'Almaty 4, 500m (1)'."
    ),
    gender: str = typer.Option(None, help="women or men (not needed for the mixed relay)."),
    output: Output = typer.Option(Output.table, "--format", help="table, json or csv."),
) -> None:
    """Final ranking of one distance at one competition, with World Cup points."""
    _django()
    from shorttrack.queries import races
    from shorttrack.queries import standings as q

    try:
        distance_race = races.find_distance_race(q.get_season(season), race, gender)
    except ValueError as error:
        _fail(str(error))
    rows = races.ranking_rows(distance_race)
    fields = ["rank", "name", "nation", "final", "final_place", "time", "status", "points"]
    if output is Output.json:
        print(
            json.dumps(
                {
                    "race": str(distance_race),
                    "rows": [{f: getattr(r, f) for f in fields} for r in rows],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if output is Output.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(fields)
        for r in rows:
            writer.writerow([getattr(r, f) if getattr(r, f) is not None else "" for f in fields])
        return
    competition = distance_race.competition
    table = Table(
        title=f"{distance_race.title} — {competition.city} {competition.start_date:%Y}, "
        f"World Cup {competition.number}"
    )
    for column in ("Rank", "Name", "Nation", "Final", "Time", "", "Points"):
        table.add_column(column)
    for r in rows:
        final = f"{r.final} {r.final_place}" if r.final and r.final_place else r.final
        points = f"{r.points}*" if r.points_provisional else str(r.points)
        table.add_row(str(r.rank or "—"), r.name, r.nation, final, r.time, r.status, points)
    table.caption = "* points from the provisional part of the points table"
    console.print(table)


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(
        ..., help="JSON or CSV files (docs/formats.md), or a folder of them."
    ),
) -> None:
    """Import calendars, skaters, race results and rankings: all of it, or nothing.

    Every file is read and checked before anything is written; an error names the file,
    line, field and reason. Importing the same file again changes nothing."""
    _django()
    _import_with_progress(files)


def _import_with_progress(files: list[Path]) -> None:
    from shorttrack.services.imports import ImportRejected, import_paths

    missing = [str(f) for f in files if not f.exists()]
    if missing:
        _fail(f"no such file: {', '.join(missing)}")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=errors,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)

        try:
            report = import_paths(files, progress=progress)
        except ImportRejected as rejected:
            bar.stop()
            for error in rejected.errors:
                errors.print(f"[red]{error}[/]", highlight=False)
            _fail(f"{len(rejected.errors)} error(s); nothing was imported")
    console.print(report.summary())


@app.command()
def export(
    season: str = typer.Option(..., help="Season key, e.g. 2022/23."),
    output_dir: Path = typer.Option(
        ..., "--output", help="Folder to write into (created if missing)."
    ),
    output: str = typer.Option("json", "--format", help="json or csv."),
) -> None:
    """Write a season in the interchange format; `shorttrack import` reads it back."""
    _django()
    from shorttrack.interchange.export import export_season

    if output not in ("json", "csv"):
        _fail(f"--format {output!r}: expected json or csv")
    try:
        written = export_season(season, output_dir, output)
    except ValueError as error:
        _fail(str(error))
    for path in written:
        console.print(str(path))


@app.command("setup-demo")
def setup_demo(
    data: Path = typer.Option(Path("data/worldcup-2022-23"), help="The real 2022/23 data folder."),
    simulate_season: str = typer.Option(
        "2025/26", "--simulate", help="Also simulate this season ('' for none)."
    ),
    seed: int = typer.Option(7, help="Seed of the simulated season."),
) -> None:
    """Create the database tables, import the real 2022/23 season and simulate another."""
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _import_with_progress([data])
    if simulate_season:
        _simulate_with_progress(simulate_season, seed, None, False)


@app.command()
def simulate(
    season: str = typer.Option("2025/26", help="The season to simulate (it has a calendar)."),
    seed: int = typer.Option(7, help="The same seed gives the same season."),
    competitions: int = typer.Option(None, help="Only the first N competitions."),
    full_fields: bool = typer.Option(
        False, help="Every nation enters its full quota (110+ entries per distance)."
    ),
) -> None:
    """Simulate a season with fictional skaters, through the services the officials use:
    entries, draws, every round of every distance, falls, penalties, ADV, yellow cards,
    lap by lap. Everything it makes is labelled simulated."""
    _django()
    _simulate_with_progress(season, seed, competitions, full_fields)


def _simulate_with_progress(season: str, seed: int, competitions: int | None, full: bool) -> None:
    from shorttrack.services.errors import Invalid
    from shorttrack.simulation.season import simulate_season

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=errors,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(f"racing {label}", total=total)
            bar.update(tasks[label], completed=done, total=total)

        try:
            report = simulate_season(
                season, seed, competitions=competitions, full_fields=full, progress=progress
            )
        except (Invalid, ValueError) as error:
            bar.stop()
            _fail(str(error))
    console.print(report.summary())


@app.command()
def facts(
    season: str = typer.Option(..., help="Season key, e.g. 2022/23."),
    competition: str = typer.Option(
        None, help="City or 'CITY NUMBER', e.g. 'Almaty 3'; with --day, that day's session."
    ),
    day: str = typer.Option(None, help="The local day of a session's finals: 2022-12-10."),
    race: str = typer.Option(None, help="One race: 'CITY, DISTANCE', e.g. 'Almaty 3, 1000m'."),
    gender: str = typer.Option(None, help="women or men, with --race."),
    output: Output = typer.Option(Output.table, "--format", help="table or json."),
) -> None:
    """Facts for the press: a session's summary, or the facts of a race or a competition."""
    _django()
    from datetime import date

    from shorttrack.queries import facts as q
    from shorttrack.queries import races
    from shorttrack.queries.standings import get_season

    try:
        season_row = get_season(season)
        if race:
            document = q.race_facts(races.find_distance_race(season_row, race, gender).pk)
        elif competition and day:
            held = races.find_competition(season_row, competition)
            document = q.session_summary(held.pk, date.fromisoformat(day))
        elif competition:
            document = q.competition_facts(races.find_competition(season_row, competition).pk)
        else:
            _fail("give --race, or --competition (with --day for a session)")
    except ValueError as error:
        _fail(str(error))
    if output is Output.json:
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return
    if output is Output.csv:
        _fail("--format csv is not offered for facts: use table or json")
    if "text" in document:
        console.print(f"[bold]{document['title']}[/]")
        console.print(document["text"], highlight=False)
        if document["footnote"]:
            console.print(f"[dim]{document['footnote']}[/]", highlight=False)
    table = Table(title="Facts, rarest first", caption="rarity: see docs/facts.md")
    for column, justify in (("Rarity", "right"), ("Race", "left"), ("Fact", "left")):
        table.add_column(column, justify=justify)
    for fact in sorted(document["facts"], key=lambda f: -f["rarity"]):
        table.add_row(f"{fact['rarity']:.1f}", fact["race"]["name"], fact["text"])
    console.print(table)


@app.command()
def globe(
    season: str = typer.Option(..., help="Season key, e.g. 2022/23."),
    gender: str = typer.Option(None, help="women or men (not needed for mixed-relay, nations)."),
    classification: str = typer.Option(
        "overall", help="overall, 500m, 1000m, 1500m, relay, mixed-relay or nations."
    ),
    as_of: str = typer.Option(
        None, "--as-of", help="At this moment (ISO 8601; UTC unless an offset is given)."
    ),
    after: str = typer.Option(
        None, help="Just after a race became official: 'CITY, DISTANCE', e.g. 'Dordrecht, 1500m'."
    ),
    output: Output = typer.Option(Output.table, "--format", help="table or json."),
) -> None:
    """The race for the Crystal Globe: points still available, who is out, what clinches it."""
    _django()
    from shorttrack.queries import standings as q
    from shorttrack.queries.globe import race_for_the_globe

    try:
        season_row = q.get_season(season)
        key = q.classification_key(classification, gender)
        moment = _moment(season_row, as_of, after, gender)
        document = race_for_the_globe(season_row, key, moment)
    except ValueError as error:
        _fail(str(error))
    if output is Output.json:
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return
    if output is Output.csv:
        _fail("--format csv is not offered for the globe: use table or json")
    left = ", ".join(r["race"] for r in document["remaining"]) or "none"
    table = Table(
        title=f"{document['title']} — {season}: the race for it",
        caption=f"still to race: {left}; {document['points_available']} points available",
    )
    for column, justify in (
        ("Rank", "right"),
        ("Name", "left"),
        ("Nation", "left"),
        ("Points", "right"),
        ("Can reach", "right"),
        ("", "left"),
    ):
        table.add_column(column, justify=justify)
    for c in document["contenders"]:
        if c["verdict"] == "out" and c["rank"] > 10:
            continue
        table.add_row(
            str(c["rank"]),
            c["name"],
            c["nation"],
            str(c["points"]),
            str(c["max_points"]),
            c["verdict"],
        )
    console.print(table)
    for clinch in document["clinches"]:
        console.print(clinch["text"], highlight=False)


@app.command()
def official(
    username: str = typer.Argument(..., help="The official's user name (created if new)."),
    season: str = typer.Option(..., help="Season key, e.g. 2025/26."),
    competition: int = typer.Option(..., help="The competition's number in the season."),
    role: str = typer.Option(..., help="organiser, results_officer or referee."),
    password_env: str = typer.Option(
        "",
        help="Name of an environment variable holding the password to set "
        "(a new account without one cannot sign in until a password is set).",
    ),
) -> None:
    """Appoint an official of a competition, as the series administrator at the server."""
    _django()
    from shorttrack.services.errors import Invalid
    from shorttrack.services.setup import appoint_from_server
    from shorttrack.store.models import Competition

    found = Competition.objects.filter(season__key=season, number=competition).first()
    if found is None:
        _fail(f"no competition {competition} in season {season}")
    password = None
    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            _fail(f"--password-env {password_env}: that environment variable is not set")
    try:
        appointment, created = appoint_from_server(found, username, role, password=password)
    except Invalid as refused:
        _fail("; ".join(refused.reasons))
    account = "new account" if created else "existing account"
    console.print(
        f"{username} ({account}) is {appointment.get_role_display()} of {found.name}",
        highlight=False,
    )


if __name__ == "__main__":
    app()
