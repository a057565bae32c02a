"""A race in the console: its start list, the result as it stands, its history, and the
buttons its status and the official's roles allow (``rules.race_lifecycle``): start,
enter the finish by keyboard, decisions, under review, official, rerun, correction; and
its start list and result sheet as PDF.

Every form of the page carries the race's version (``race_status.version``) in a hidden
``based_on``, and every write names it: a form opened before someone else's write, a
second tab or a page the Back button shows lands in the conflict (409), which says what
changed, who changed it and when, and shows the race as it is now with its forms
pre-filled, to start again. A form that does not say its version is a conflict too.
After a save (a finish, its laps, a decision, a correction, "Make official") the cursor
waits on the "Next race" link, the next race by the schedule (``board.next_race``), never
on a control that would submit again."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shorttrack.officials import finish
from shorttrack.officials.access import (
    EVERY_ROLE,
    competition_of_race,
    lookup,
    official_page,
)
from shorttrack.officials.board import next_race, waiting_for
from shorttrack.officials.forms import DecisionForm, ReasonForm, show_refusal
from shorttrack.officials.sheets import result_sheet_pdf, start_list_pdf
from shorttrack.queries.history import verify
from shorttrack.rules.race_lifecycle import RaceAction, RaceStatus
from shorttrack.rules.ranking import RoundKind
from shorttrack.services import race_results, race_status
from shorttrack.services.draws import stored_plan
from shorttrack.services.errors import Conflict, Invalid, Removal
from shorttrack.services.officials import REFEREE, RESULTS_OFFICER
from shorttrack.services.result_lines import latest_result, race_name, round_name
from shorttrack.store.models import Race, Round

competition_of_round = lookup(Round, "round_id", "distance_race__competition")


def race_or_404(race_id: int) -> Race:
    return get_object_or_404(
        Race.objects.select_related("round__distance_race__competition__season", "session"),
        pk=race_id,
    )


def public_url(request, race: Race) -> str:
    """The race's public page, where its result shows once official: the address of
    settings.SHORTTRACK_PUBLIC_URL when set (the public site), else this server's."""
    path = reverse("site:race", kwargs={"race_id": race.pk})
    base = settings.SHORTTRACK_PUBLIC_URL
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)


def _next_races(race: Race) -> list[dict]:
    """The races of the rounds this one sends skaters to (the heats: the quarterfinals
    and the Rep. Quarterfinals; a round without a plan: the next), and the finals, with
    their starters once filled."""
    plan = stored_plan(race.round)
    targets = {kind.value for kind in plan.targets} if plan is not None else set()
    later = (
        Race.objects.filter(
            round__distance_race=race.round.distance_race, round__order__gt=race.round.order
        )
        .select_related("round__distance_race")
        .prefetch_related("start_list__skater", "start_list__team", "start_list__member")
        .order_by("round__order", "number")
    )
    return [
        {
            "race": other,
            "name": race_name(other),
            "start_list": starters,
            "waiting": "" if starters else waiting_for(other),
        }
        for other in later
        if other.round.kind in targets
        or (not targets and other.round.order == race.round.order + 1)
        or RoundKind(other.round.kind).final
        for starters in [list(other.start_list.all())]
    ]


def _finals(race: Race) -> tuple[RoundKind, ...]:
    """The finals the race's round sends skaters to: where the referee may give ADA, ADB."""
    plan = stored_plan(race.round)
    return tuple(kind for kind in plan.targets if kind.final) if plan is not None else ()


def based_on(request) -> int:
    """The version the posted form was made from; -1 (never a version) when it does not
    say, so a form without it is refused as a conflict, never taken as current."""
    text = request.POST.get("based_on", "")
    return int(text) if text.isdigit() else -1


def _start_list(race: Race, result) -> list[dict]:
    """The start list, each line with the mark the official result gave it (Q, q, QA, QB,
    ADV, ADA, ADB: who goes on); no mark before official."""
    marks = (
        {line.helmet: line.mark for line in result.lines.all()}
        if result is not None and result.official_at is not None
        else {}
    )
    return [
        {"line": line, "qualified": marks.get(line.helmet, "")}
        for line in race.start_list.select_related("skater", "team", "member")
    ]


def _qualified_note(race: Race, result) -> str:
    """What the start list's Qualified column does not show yet, and why."""
    plan = stored_plan(race.round)
    if plan is None or not plan.targets:
        return ""
    if result is None or result.official_at is None:
        return "Qualified: filled in when the race is official."
    if (
        any(rule.by_time for rule in plan.advancement)
        and race.round.races.exclude(status=RaceStatus.OFFICIAL.value).exists()
    ):
        return (
            f"Qualified by time (q) waits until every race of {round_name(race.round.kind)} "
            "is official."
        )
    return ""


def _page(request, official, race: Race, status=200, **extra):
    result = latest_result(race)
    actions = official.actions(race)
    entering = extra.get("finish_form")
    context = {
        "official": official,
        "competition": official.competition,
        "race": race,
        "name": race_name(race),
        "status_label": RaceStatus(race.status).label,
        "start_list": _start_list(race, result),
        "qualified_note": _qualified_note(race, result),
        "waiting": waiting_for(race),
        "result": result,
        "lines": list(result.lines.select_related("skater", "team", "member").order_by("id"))
        if result
        else [],
        "events": race.events.select_related("by", "result").order_by("-at", "-id"),
        "can": {action.value: action in actions for action in RaceAction},
        "decision_form": extra.get("decision_form") or DecisionForm(finals=_finals(race)),
        "rerun_form": extra.get("rerun_form") or ReasonForm(),
        "finish_form": entering,
        "order": extra.get("order", finish.from_result(race, result).order),
        "order_errors": extra.get("order_errors", []),
        "problem": extra.get("problem"),
        "next_races": _next_races(race) if race.status == RaceStatus.OFFICIAL else [],
        "public_url": public_url(request, race),
        "correcting": extra.get("correcting", False),
        "version": extra.get("version", race_status.version(race)),
        "conflict": extra.get("conflict"),
        "times_flag": finish.times_flag(race, result),
        "saved": request.GET.get("saved") == "1" and not extra,
        # Come by "Next race" after a save: a second stray Enter must not start this race.
        "arriving": request.GET.get("from") == "next",
        # The officials see which rows of this race no service wrote, by name.
        "history": verify(race.round.distance_race.competition_id, race_id=race.pk),
    }
    lines = context["lines"]
    context["laps_possible"] = bool(lines) and (
        context["can"][RaceAction.ENTER_RESULTS.value] or context["can"][RaceAction.CORRECT.value]
    )
    context["laps_recorded"] = sum(1 for line in lines if line.laps_ms)
    following = next_race(race) if context["saved"] else None
    context["next_race"] = following
    context["next_race_name"] = race_name(following) if following else ""
    return render(request, "officials/race.html", context, status=status)


@official_page(*EVERY_ROLE, of=competition_of_race, doing="see the races")
def race_page(request, race_id: int, official):
    return _page(request, official, race_or_404(race_id))


def back_to_race(race_id: int):
    """Back to the race page, the cursor on "Next race"."""
    return redirect(reverse("officials:race", kwargs={"race_id": race_id}) + "?saved=1")


def _conflict(request, official, race: Race, conflict: Conflict, **extra):
    """The race as it is now, with what changed since the form was opened."""
    race.refresh_from_db()
    return _page(request, official, race, 409, conflict=conflict, **extra)


def _act(request, race_id: int, official, do, done: str, saved: bool = False):
    """Run a button's service call; back to the race page with what happened."""
    race = race_or_404(race_id)
    try:
        do(race)
    except Conflict as conflict:
        return _conflict(request, official, race, conflict)
    except Invalid as refused:
        return _page(request, official, race, 422, problem=str(refused))
    messages.success(request, done.format(name=race_name(race)))
    return back_to_race(race_id) if saved else redirect("officials:race", race_id=race_id)


@require_POST
@official_page(RESULTS_OFFICER, REFEREE, of=competition_of_race, doing="start races")
def start(request, race_id: int, official):
    return _act(
        request,
        race_id,
        official,
        lambda race: race_results.start_race(request.user, race, based_on=based_on(request)),
        "{name} started.",
    )


@require_POST
@official_page(REFEREE, of=competition_of_race, doing="take races under review")
def review(request, race_id: int, official):
    return _act(
        request,
        race_id,
        official,
        lambda race: race_results.open_review(request.user, race, based_on=based_on(request)),
        "{name} is under review.",
    )


@require_POST
@official_page(REFEREE, of=competition_of_race, doing="make results official")
def make_official(request, race_id: int, official):
    return _act(
        request,
        race_id,
        official,
        lambda race: race_results.make_official(request.user, race, based_on=based_on(request)),
        "{name} is official.",
        saved=True,
    )


@require_POST
@official_page(REFEREE, of=competition_of_race, doing="order reruns")
def rerun(request, race_id: int, official):
    race = race_or_404(race_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            race_results.rerun(
                request.user, race, form.cleaned_data["reason"], based_on=based_on(request)
            )
        except Conflict as conflict:
            return _conflict(request, official, race, conflict)
        except Invalid as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{race_name(race)} will be skated again.")
            return redirect("officials:race", race_id=race_id)
    return _page(request, official, race, 422, rerun_form=form)


@require_POST
@official_page(REFEREE, of=competition_of_race, doing="decide on races (PEN, YC, RC, ADV)")
def decide(request, race_id: int, official):
    """A referee's decision (ADA, ADB where the round sends skaters to Final A, Final B); on
    an official race, a correction with its reason."""
    race = race_or_404(race_id)
    form = DecisionForm(request.POST, finals=_finals(race))
    if form.is_valid():
        data = form.cleaned_data
        decision = race_results.Decision(data["helmet"], data["decision"], data["infringement"])
        try:
            if race.status == RaceStatus.OFFICIAL:
                race_results.correct_results(
                    request.user,
                    race,
                    reason=data["reason"],
                    decisions=[decision],
                    based_on=based_on(request),
                )
            else:
                race_results.decide(
                    request.user,
                    race,
                    [decision],
                    reason=data["reason"],
                    based_on=based_on(request),
                )
        except Conflict as conflict:
            return _conflict(request, official, race, conflict)
        except Invalid as refused:
            for field, reason in refused.problems:
                if field.startswith("decisions"):
                    field = "infringement" if "infringement" in reason else "helmet"
                form.add_error(field if field in form.fields else None, reason)
        else:
            messages.success(
                request, f"{race_name(race)}: {race_results.describe([decision])} recorded."
            )
            return back_to_race(race_id)
    return _page(request, official, race, 422, decision_form=form)


def _finish_page(
    request, official, race, form: finish.FinishForm, status=200, correcting=False, version=None
):
    extra = {} if version is None else {"version": version}
    return _page(
        request,
        official,
        race,
        status,
        finish_form=form,
        order=form.order,
        order_errors=form.order_errors,
        correcting=correcting,
        problem=None,
        **extra,
    )


def _current_form(race: Race) -> finish.FinishForm:
    """The finish form filled in with the race's current revision, to start again."""
    return finish.from_result(race, latest_result(race))


def _flag(request, race: Race) -> None:
    flag = finish.times_flag(race, latest_result(race))
    if flag:
        messages.warning(request, f"{race_name(race)}: {flag}. Check the times before official.")


@official_page(RESULTS_OFFICER, of=competition_of_race, doing="enter race results")
def finish_entry(request, race_id: int, official):
    """GET ?order=12 4 7 1: the lines to fill in; POST: the finish, saved or refused."""
    race = race_or_404(race_id)
    if request.method == "POST":
        form = finish.read_rows(race, request.POST)
        lines = finish.finish_lines(form)
        version = based_on(request)
        if form.valid:
            try:
                race_results.enter_results(
                    request.user,
                    race,
                    lines,
                    reason=request.POST.get("reason", "").strip(),
                    based_on=version,
                )
            except Conflict as conflict:
                return _conflict(request, official, race, conflict, finish_form=_current_form(race))
            except Removal as removal:
                finish.ask_to_confirm(form, removal)
            except Invalid as refused:
                finish.refused(form, refused)
            else:
                messages.success(request, f"Finish of {race_name(race)} entered: unofficial.")
                _flag(request, race)
                return back_to_race(race_id)
        return _finish_page(request, official, race, form, 422, version=version)
    if "order" not in request.GET:
        return redirect("officials:race", race_id=race_id)
    form = finish.keep_current(finish.read_order(race, request.GET["order"]), latest_result(race))
    # The times form keeps the version the order was typed on: a finish entered meanwhile
    # by someone else makes its save a conflict.
    typed_on = request.GET.get("based_on", "")
    version = int(typed_on) if typed_on.isdigit() else None
    return _finish_page(
        request, official, race, form, 422 if form.order_errors else 200, version=version
    )


@official_page(REFEREE, of=competition_of_race, doing="correct official results")
def correct(request, race_id: int, official):
    """The official finish to correct, line by line, with the reason for the correction."""
    race = race_or_404(race_id)
    if request.method == "POST":
        form = finish.read_rows(race, request.POST)
        lines = finish.finish_lines(form)
        reason = request.POST.get("reason", "")
        version = based_on(request)
        if form.valid:
            try:
                race_results.correct_results(
                    request.user, race, reason=reason, lines=lines, based_on=version
                )
            except Conflict as conflict:
                return _conflict(
                    request,
                    official,
                    race,
                    conflict,
                    finish_form=_current_form(race),
                    correcting=True,
                )
            except Removal as removal:
                finish.ask_to_confirm(form, removal)
            except Invalid as refused:
                finish.refused(form, refused)
            else:
                messages.success(request, f"{race_name(race)} corrected: {reason}")
                _flag(request, race)
                return back_to_race(race_id)
        return _finish_page(request, official, race, form, 422, correcting=True, version=version)
    if "order" in request.GET:
        form = finish.keep_current(
            finish.read_order(race, request.GET["order"]), latest_result(race)
        )
    else:
        form = _current_form(race)
    return _finish_page(
        request, official, race, form, 422 if form.order_errors else 200, correcting=True
    )


# -- sheets ------------------------------------------------------------------------------


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@official_page(*EVERY_ROLE, of=competition_of_race, doing="print start lists")
def start_list(request, race_id: int, official):
    race = race_or_404(race_id)
    content = start_list_pdf([race], lambda r: public_url(request, r))
    return _pdf(content, f"start-list-race-{race.pk}.pdf")


@official_page(*EVERY_ROLE, of=competition_of_race, doing="print result sheets")
def result_sheet(request, race_id: int, official):
    race = race_or_404(race_id)
    content = result_sheet_pdf(race, public_url(request, race))
    if content is None:
        raise Http404(f"{race_name(race)} has no result entered yet")
    return _pdf(content, f"results-race-{race.pk}.pdf")


@official_page(*EVERY_ROLE, of=competition_of_round, doing="print start lists")
def round_start_list(request, round_id: int, official):
    round_ = get_object_or_404(Round, pk=round_id)
    races = list(
        round_.races.select_related("round__distance_race__competition").order_by("number")
    )
    content = start_list_pdf(races, lambda r: public_url(request, r))
    return _pdf(content, f"start-lists-round-{round_.pk}.pdf")
