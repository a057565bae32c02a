"""The `shorttrack` command line: standings as of any moment, final rankings, imports,
exports, and the operator's jobs. Thin: parse the options, call a query, a service or an
operation, print.

    shorttrack standings --season 2022/23 --classification overall --gender women
    shorttrack standings --season 2022/23 --classification 500m --gender men --after "Salt Lake City, 500m (1)"
    shorttrack ranking --season 2022/23 --race "Montreal, 1000m (2)" --gender men
    shorttrack import results.csv calendar.json
    shorttrack export --season 2022/23 --output out/ --format csv
    shorttrack migrate
    shorttrack backup /var/backups/shorttrack/2025-10-18.backup
    shorttrack restore /var/backups/shorttrack/2025-10-18.backup --force

Failures end in one place, ``Commands.invoke`` (docs/operations.md): a mistake in the
input, a database that is not set up or cannot be reached, a refused service call — one
line on standard error saying what is wrong and what to do, exit code 2. Anything else is
a bug: one line saying so and where its traceback was written, exit code 1; with
SHORTTRACK_DEBUG=1 the exception is raised as it is, traceback and all.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import sys
import tempfile
import time
import traceback
from contextvars import ContextVar
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

try:  # Typer 0.2x carries its own click: its usage errors derive from TyperException
    from typer import TyperException as _ClickError
except ImportError:  # pragma: no cover - older Typer on the click package
    from click import ClickException as _ClickError

console = Console()
errors = Console(stderr=True)

# Commands that bring the database's tables themselves: every other command first makes
# sure the database is reachable and set up (``_django``).
SETS_UP_ITSELF = frozenset({"migrate", "setup-demo", "restore"})
_command: ContextVar[str | None] = ContextVar("shorttrack_command", default=None)


class Commands(TyperGroup):
    """The `shorttrack` group: every command's failure is turned into one line here."""

    def resolve_command(self, ctx, args):
        name, command, rest = super().resolve_command(ctx, args)
        _command.set(name)
        return name, command, rest

    def make_context(self, info_name, args, parent=None, **extra):
        try:  # `shorttrack --no-such-option`: the group's own options
            return super().make_context(info_name, args, parent=parent, **extra)
        except _ClickError as error:
            _usage(error)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except _ClickError as error:  # a command's options, or an unknown command
            _usage(error)
        except Exception as error:
            code = _report(error)
            if code is None:
                raise
            raise typer.Exit(code) from None


app = typer.Typer(
    cls=Commands,
    help="Run and publish a short track World Cup season: standings at any moment, "
    "final rankings with World Cup points, imports and exports of results.",
    no_args_is_help=True,
    add_completion=False,
    # SHORTTRACK_DEBUG=1 shows a bug's traceback as Python prints it, without locals
    # (they may hold passwords).
    pretty_exceptions_enable=False,
)


def _usage(error: Exception) -> None:
    """A mistake on the command line itself: one line, the exit code click gives it (2)."""
    if type(error).__name__ == "NoArgsIsHelpError":
        raise error  # no arguments at all: the help, as Typer shows it
    where = error.ctx.command_path if getattr(error, "ctx", None) else "shorttrack"
    _error_line(f"{error.format_message()} (see `{where} --help`)")
    raise typer.Exit(getattr(error, "exit_code", 2)) from None


def _report(error: Exception) -> int | None:
    """Say what went wrong in one line; the exit code (None: raise it, a bug while debugging)."""
    from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError

    from shorttrack.operations import OperationFailed
    from shorttrack.operations.database import explain, one_line

    # Only loaded once Django is set up; an error before cannot be one of its refusals.
    imports = sys.modules.get("shorttrack.services.imports")
    if imports is not None and isinstance(error, imports.ImportRejected):
        from shorttrack.interchange.error_groups import grouped_lines

        if len(error.errors) == 1:
            _error_line(f"{error.errors[0]}; nothing was imported")
            return 2
        causes = grouped_lines(error.errors)  # one line per cause, naming file, lines, field
        for problem in causes:
            errors.print(Text(problem, style="red"), soft_wrap=True)
        of = f" of {len(causes)} cause(s)" if len(causes) < len(error.errors) else ""
        _error_line(f"{len(error.errors)} error(s){of}; nothing was imported")
        return 2
    if isinstance(error, OSError) and error.errno == errno.EPIPE:
        return 1  # the reader went away (`shorttrack standings ... | head`): nothing to say
    problem = explain(error)
    redis = sys.modules.get("redis.exceptions")
    if isinstance(error, OperationFailed):
        message = str(error)
    elif redis is not None and isinstance(error, redis.ConnectionError | redis.TimeoutError):
        message = (
            f"cannot reach Redis at REDIS_URL ({one_line(error)}): is it running? "
            "Without REDIS_URL the caches and live updates stay in each process"
        )
    elif problem is not None:
        message = str(problem)
    elif isinstance(error, ValidationError):  # the services' Invalid, or a model's check
        message = "; ".join(getattr(error, "reasons", None) or error.messages)
    elif isinstance(error, PermissionDenied | ValueError):
        message = one_line(error)
    elif isinstance(error, OSError) and error.filename is not None:
        message = f"cannot use {error.filename}: {error.strerror}"
    elif isinstance(error, ImproperlyConfigured):
        message = f"configuration: {one_line(error)}"
    elif _debug():
        return None
    else:
        log = _write_traceback(error)
        where = f"the traceback is in {log}" if log else "no log could be written"
        _error_line(
            f"a bug in shorttrack, not in what you asked: {type(error).__name__}: "
            f"{one_line(error)} ({where}; SHORTTRACK_DEBUG=1 shows it here)"
        )
        if log is None:
            traceback.print_exception(error)
        return 1
    _error_line(message)
    return 2


def _error_line(message: str) -> None:
    """One line on standard error, however long: never wrapped, never read as markup."""
    errors.print(
        Text.assemble(("error: ", "bold red"), " ".join(str(message).split())), soft_wrap=True
    )


def _debug() -> bool:
    return os.environ.get("SHORTTRACK_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")


def _write_traceback(error: Exception) -> Path | None:
    """Write the traceback of a bug to var/log (else the temporary folder); its path."""
    from django.conf import settings

    var = getattr(settings, "VAR_DIR", None) if settings.configured else None
    var = Path(var or os.environ.get("SHORTTRACK_VAR") or Path.cwd() / "var")
    moment = datetime.now(UTC)
    name = f"shorttrack-error-{moment:%Y%m%dT%H%M%SZ}-{os.getpid()}.log"
    text = f"shorttrack {' '.join(sys.argv[1:])}\n{moment.isoformat()}\n\n" + "".join(
        traceback.format_exception(error)
    )
    for folder in (var / "log", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
        except OSError:
            continue
        return folder / name
    return None


class Output(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _django() -> None:
    """Set up Django for a command; then, unless the command brings the tables itself,
    make sure the database can be reached and is set up (else: one line, exit 2)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shorttrack.settings")
    os.environ.setdefault("PGCONNECT_TIMEOUT", "10")  # an unreachable host: 10 s, not minutes
    # A command connects once and exits: a pool would only keep connections it never reuses,
    # and would turn an unreachable server's own error into a pool timeout.
    os.environ.setdefault("SHORTTRACK_DB_POOL", "0")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from shorttrack.operations import OperationFailed

    try:
        django.setup()
    except (ImproperlyConfigured, ValueError) as error:
        raise OperationFailed(
            f"the settings ({os.environ['DJANGO_SETTINGS_MODULE']}) cannot be loaded: "
            f"{' '.join(str(error).split())}; check DATABASE_URL and the SHORTTRACK_* variables"
        ) from error
    if "SHORTTRACK_LOG_LEVEL" not in os.environ:
        # A command's writes are its own output; their JSON log lines (settings.LOGGING)
        # go to the terminal only when asked for, e.g. from a service manager's unit.
        import logging

        logging.getLogger("shorttrack.writes").setLevel(logging.WARNING)
    from shorttrack.operations.database import require_tables

    if _command.get() not in SETS_UP_ITSELF:
        require_tables()


def _fail(message: str) -> None:
    _error_line(message)
    raise typer.Exit(2)


def _parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        _fail(
            f"--as-of {text!r} is not a moment: write it as 2022-11-05T20:00 (UTC) or with an offset"
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"--day {text!r} is not a day: write it as 2022-12-10")


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

    season_row = q.get_season(season)
    key = q.classification_key(classification, gender)
    moment = _moment(season_row, as_of, after, gender)
    table, loaded = q.standings(season_row, key, moment)
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

    distance_race = races.find_distance_race(q.get_season(season), race, gender)
    shown = races.current_ranking(distance_race) or races.latest_ranking(distance_race)
    rows = races.ranking_rows(distance_race, ranking=shown) if shown else []
    reason = races.incomplete_reason(shown)
    official = shown is not None and shown.official_at is not None
    if shown is None:
        note = f"no ranking of the {distance_race.title} yet: its results hold no final"
    elif not official:
        note = "not official: the results give no time they became official"
    else:
        note = ""
    fields = ["rank", "name", "nation", "final", "final_place", "time", "status", "points"]
    if output is Output.json:
        print(
            json.dumps(
                {
                    "race": str(distance_race),
                    "complete": shown.complete if shown else False,
                    "incomplete_reason": reason,
                    "official": official,
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
    if shown is None:
        print(note)
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
    table.caption = (
        "* provisional points: the place in the points table, or the rule for relays or for "
        "dead heats, is not yet confirmed"
    )
    console.print(table)
    for said in (f"incomplete: {reason}" if reason else "", note):
        if said:  # said after the table, where a reader looks for what is missing
            console.print(Text(said), soft_wrap=True)


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
    from shorttrack.services.imports import import_paths

    missing = [str(f) for f in files if not f.exists()]
    if missing:
        _fail(f"no such file: {', '.join(missing)}")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=errors,
        transient=True,
        # Not on a terminal, a bar draws nothing worth reading, only an empty line.
        disable=not errors.is_terminal,
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)

        report = import_paths(files, progress=progress)
    console.print(report.summary())
    _pending_announcements()


def _pending_announcements() -> None:
    """After a committed change: say so when live pages could not be told of it yet."""
    from shorttrack import live

    pending = live.pending_count()
    if pending:
        errors.print(
            Text.assemble(
                ("note: ", "bold yellow"),
                f"{pending} live announcement(s) pending: the live bus (Redis at REDIS_URL) "
                "could not be reached; what was imported is committed, and open pages are "
                "told once it is back (`shorttrack announce` sends them now)",
            ),
            soft_wrap=True,
        )


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
    if output_dir.exists() and not output_dir.is_dir():
        _fail(f"--output {output_dir} is a file: give a folder (it is created if missing)")
    written = export_season(season, output_dir, output)
    for path in written:
        console.print(str(path))


@app.command("setup-demo")
def setup_demo(
    data: Path = typer.Option(
        None, help="A folder of real results to import too (shared/data/worldcup-2022-23)."
    ),
    simulate_season: str = typer.Option(
        "2025/26", "--simulate", help="Also simulate this season ('' for none)."
    ),
    seed: int = typer.Option(7, help="Seed of the simulated season."),
    url: str = typer.Option(
        "http://127.0.0.1:8000", help="Where the demo will be served (for the sign-in text)."
    ),
) -> None:
    """Create the database tables, import real results (--data) and simulate a season,
    its last competition drawn but not raced, with demo officials to run it."""
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if data is not None:
        _import_with_progress([data])
    if simulate_season:
        demo = _simulate_with_progress(simulate_season, seed, None, False, demo=True)
        print(demo.sign_in_text(url.rstrip("/")), flush=True)


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


def _simulate_with_progress(
    season: str, seed: int, competitions: int | None, full: bool, *, demo: bool = False
):
    from shorttrack.simulation.demo import simulate_demo_season
    from shorttrack.simulation.season import simulate_season

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(f"racing {label}", total=total)
            bar.update(tasks[label], completed=done, total=total)

        if demo:
            report, prepared = simulate_demo_season(season, seed, progress=progress)
        else:
            prepared = None
            report = simulate_season(
                season, seed, competitions=competitions, full_fields=full, progress=progress
            )
    console.print(report.summary())
    return prepared


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
    from shorttrack.queries import facts as q
    from shorttrack.queries import races
    from shorttrack.queries.standings import get_season

    season_row = get_season(season)
    if race:
        document = q.race_facts(races.find_distance_race(season_row, race, gender).pk)
    elif competition and day:
        held = races.find_competition(season_row, competition)
        document = q.session_summary(held.pk, _parse_day(day))
    elif competition:
        document = q.competition_facts(races.find_competition(season_row, competition).pk)
    else:
        _fail("give --race, or --competition (with --day for a session)")
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

    season_row = q.get_season(season)
    key = q.classification_key(classification, gender)
    moment = _moment(season_row, as_of, after, gender)
    document = race_for_the_globe(season_row, key, moment)
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
    appointment, created = appoint_from_server(found, username, role, password=password)
    account = "new account" if created else "existing account"
    console.print(
        f"{username} ({account}) is {appointment.get_role_display()} of {found.name}",
        highlight=False,
    )


class AuditAction(StrEnum):
    verify = "verify"


@app.command()
def audit(
    action: AuditAction = typer.Argument(
        ..., help="verify: read the history back and name every break."
    ),
    season: str = typer.Option("", help="Only this season, e.g. 2025/26."),
    competition: int = typer.Option(0, help="Only this competition number (with --season)."),
) -> None:
    """Check the results' tamper-evident history: `audit verify` reads every competition's
    history back and names each row changed, added or removed behind the application, and
    each broken link. Exit code 1 if there is one."""
    _django()
    from shorttrack.queries.history import verify
    from shorttrack.store.models import Competition

    if competition and not season:
        _fail("--competition needs --season")
    found = Competition.objects.select_related("season").order_by("season__key", "number")
    if season:
        found = found.filter(season__key=season)
    if competition:
        found = found.filter(number=competition)
    if not found.exists():
        _fail(
            f"no competition {competition} in season {season}"
            if competition
            else f"no competition in season {season}"
        )
    breaks = 0
    for each in found:
        checked = verify(each.pk)
        name = f"{each.season.key} World Cup {each.number}, {each.city}"
        if checked.intact:
            console.print(
                f"{name}: history verified, {checked.links} links, head {checked.head[:16] or '-'}",
                highlight=False,
                soft_wrap=True,
            )
            continue
        breaks += len(checked.breaks)
        console.print(
            f"{name}: {len(checked.breaks)} break(s) in the history",
            highlight=False,
            soft_wrap=True,
        )
        for found_break in checked.breaks:
            console.print(f"  {found_break.line()}", highlight=False, soft_wrap=True)
    if breaks:
        raise typer.Exit(1)


@app.command()
def announce(
    every: float = typer.Option(
        0.0, min=0.0, help="Seconds between two drains, until stopped (a periodic job); 0: once."
    ),
) -> None:
    """Send the live announcements still pending: committed changes that open pages could
    not be told of when they were made (Redis down). Exit code 2 if some still cannot go."""
    _django()
    from shorttrack import live

    while True:
        drained = live.drain()
        if drained.sent or drained.pending or not every:
            console.print(
                f"sent {drained.sent} live announcement(s), {drained.pending} pending",
                highlight=False,
            )
        if not every:
            break
        time.sleep(every)
    if drained.pending:
        _error_line(f"cannot send live announcements: {drained.problem}; they stay pending")
        raise typer.Exit(2)


@app.command()
def migrate() -> None:
    """Create the database's tables, or bring them up to date after an upgrade."""
    _django()
    from shorttrack.operations.database import migrate as migrate_database

    console.print(migrate_database().summary(), highlight=False, soft_wrap=True)


@app.command()
def backup(
    file: Path = typer.Argument(
        ..., help="The backup file to write (it may replace an older backup, nothing else)."
    ),
) -> None:
    """A complete, consistent copy of the database, while the site runs: SQLite's online
    backup, or pg_dump's custom format for PostgreSQL (docs/operations.md)."""
    _django()
    from shorttrack.operations.backup import backup as back_up

    console.print(back_up(file).summary(), highlight=False, soft_wrap=True)


@app.command()
def restore(
    file: Path = typer.Argument(..., help="A backup `shorttrack backup` wrote."),
    force: bool = typer.Option(
        False, "--force", help="Replace a database that holds data (all of it)."
    ),
) -> None:
    """Put a backup back into the configured database, every table as it was. A database
    that holds data is replaced only with --force; an empty or new one needs none."""
    _django()
    from shorttrack.operations.restore import restore as restore_backup

    console.print(restore_backup(file, force=force).summary(), highlight=False, soft_wrap=True)


if __name__ == "__main__":
    app()
