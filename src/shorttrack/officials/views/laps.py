"""The laps of a race in the console: per lap and skater the position, the elapsed time
and the lap time, typed in a grid laid out as the timing's printout (a row per lap, the
skaters in finish order, Tab following the printout's line) or pasted from it whole
(``officials.lap_sheet``). Both open with the laps stored, and both are saved by
``services.laps.enter_laps`` as a new revision of the result, which the public race page
draws its split sheet and lap chart from.

Laps come after the finish: a race without one says so. While the race is unofficial or
under review they are the results officer's; once official a change is the referee's
correction, with a reason. A save that takes away a skater's stored laps (the column
emptied, or left out of the printout) is held back, naming them, until the official ticks
that it is on purpose and gives a reason, as for the finish. The forms carry the race's version they were opened on: a
second tab or a page opened before another write lands in the conflict (409), which
shows the laps as they are now. After a save the cursor waits on "Next race"."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render

from shorttrack.officials import lap_sheet
from shorttrack.officials.access import competition_of_race, official_page
from shorttrack.officials.views.races import back_to_race, based_on, race_or_404
from shorttrack.rules.laps import timed_laps
from shorttrack.rules.race_lifecycle import RaceAction, RaceStatus
from shorttrack.services import race_status
from shorttrack.services.errors import Conflict, Invalid, Removal
from shorttrack.services.laps import StarterLaps, enter_laps
from shorttrack.services.officials import REFEREE, RESULTS_OFFICER
from shorttrack.services.result_lines import latest_result, race_name
from shorttrack.store.models import Race, RaceResultLine

GRID, SHEET = "grid", "sheet"


def _lines(race: Race) -> list[RaceResultLine]:
    """The current result's lines in the order of the sheet: placed, then the others."""
    result = latest_result(race)
    if result is None:
        return []
    lines = result.lines.select_related("skater", "team", "member")
    return sorted(lines, key=lambda line: (line.place is None, line.place or 0, line.pk))


def _columns(lines: list[RaceResultLine]) -> list[lap_sheet.GridColumn]:
    """A column per starter who may have laps: every line but a DNS."""
    return [
        lap_sheet.GridColumn(
            line.helmet,
            f"{line.helmet} {line.skater.name if line.skater else line.team.name}",
            " ".join(
                part
                for part in (
                    f"{line.place}." if line.place else "",
                    line.time,
                    "" if line.status == "finished" else line.status,
                )
                if part
            ),
        )
        for line in lines
        if line.helmet is not None and line.status != "DNS"
    ]


def _page(request, official, race: Race, status=200, **extra):
    lines = _lines(race)
    columns = _columns(lines)
    laps = timed_laps(race.round.distance_race.rules_distance)
    actions = official.actions(race)
    may = RaceAction.CORRECT if race.status == RaceStatus.OFFICIAL else RaceAction.ENTER_RESULTS
    context = {
        "official": official,
        "competition": official.competition,
        "race": race,
        "name": race_name(race),
        "status_label": RaceStatus(race.status).label,
        "has_finish": bool(lines),
        "may_enter": may in actions,
        "correcting": race.status == RaceStatus.OFFICIAL,
        "laps": laps,
        "grid": extra.get("grid") or lap_sheet.grid(columns, laps, lines),
        "sheet": extra.get("sheet", lap_sheet.write(lines) or _blank_sheet(columns)),
        "sheet_errors": extra.get("sheet_errors", []),
        "errors": extra.get("errors", []),
        "entry": extra.get("entry", GRID),
        "reason": extra.get("reason", ""),
        "version": extra.get("version", race_status.version(race)),
        "conflict": extra.get("conflict"),
        "recorded": sum(1 for line in lines if line.laps_ms),
        "removing": extra.get("removing", []),
    }
    # The cursor starts in the grid, or on its first figure in error; never over a
    # conflict, which is read first.
    context["grid_focus"] = not (
        context["conflict"] or context["sheet_errors"] or context["removing"]
    )
    return render(request, "officials/laps.html", context, status=status)


def _taken_away(lines: list[RaceResultLine], given: list[StarterLaps]) -> list[StarterLaps]:
    """The starters whose stored laps the official confirmed may go: none now, on purpose."""
    kept = {laps.helmet for laps in given if laps.laps_ms}
    return [
        StarterLaps(line.helmet, [], on_purpose=True)
        for line in lines
        if line.laps_ms and line.helmet not in kept
    ]


def _blank_sheet(columns: list[lap_sheet.GridColumn]) -> str:
    """The header line to paste under: the helmets in finish order."""
    return "Lap " + " ".join(str(column.helmet) for column in columns) + "\n" if columns else ""


@official_page(RESULTS_OFFICER, REFEREE, of=competition_of_race, doing="enter laps")
def laps_entry(request, race_id: int, official):
    """GET: the laps to type or paste, filled in with the stored laps; POST: saved or
    refused, each reason beside its cell or line."""
    race = race_or_404(race_id)
    if request.method != "POST":
        return _page(request, official, race)
    entry = SHEET if request.POST.get("entry") == SHEET else GRID
    version = based_on(request)
    reason = request.POST.get("reason", "").strip()
    lines = _lines(race)
    laps = timed_laps(race.round.distance_race.rules_distance)
    typed = {"entry": entry, "version": version, "reason": reason}
    given = None
    if entry == SHEET:
        text = request.POST.get("sheet", "")
        typed["sheet"] = text
        try:
            given = lap_sheet.read(text)
        except lap_sheet.LapSheetError as error:
            typed["sheet_errors"] = error.lines
    else:
        grid = lap_sheet.read_grid(_columns(lines), laps, request.POST)
        typed["grid"] = grid
        if grid.valid:
            given = grid.starter_laps()
        else:
            typed["errors"] = grid.errors
    if given is None:
        return _page(request, official, race, 422, **typed)
    if request.POST.get("confirm_removal") == "yes":
        given = given + _taken_away(lines, given)
    try:
        result = enter_laps(request.user, race, given, reason=reason, based_on=version)
    except Conflict as conflict:
        race.refresh_from_db()
        return _page(request, official, race, 409, conflict=conflict, entry=entry, reason=reason)
    except Removal as removal:
        # The official confirms that the laps may go, with a reason, or puts them back.
        return _page(request, official, race, 422, removing=list(removal.removed), **typed)
    except Invalid as refused:
        reasons = [text for _, text in refused.problems]
        if entry == SHEET:
            typed["sheet_errors"] = reasons
        else:
            typed["errors"] = reasons
            for helmet in (column.helmet for column in typed["grid"].columns):
                if any(
                    f"helmet {helmet}," in text or f"helmet {helmet}:" in text for text in reasons
                ):
                    typed["grid"].refuse_helmet(helmet)
        return _page(request, official, race, 422, **typed)
    counted = max((len(line.laps_ms) for line in result.lines.all()), default=0)
    skaters = sum(1 for laps_given in given if laps_given.laps_ms)
    said = f"Laps of {race_name(race)} saved: {skaters} skaters, {counted} laps"
    messages.success(
        request, said + ("; a correction, official at once." if result.official_at else ".")
    )
    return back_to_race(race_id)
