"""The console's forms: they read what an official typed; the services judge it.

A form checks only that a value has the right shape (a number, a time of day); whether
it is right for the competition is the service's to say, and ``show_refusal`` puts each
of the service's reasons beside the field it names.
"""

from __future__ import annotations

from django import forms

from shorttrack.rules.ranking import RoundKind
from shorttrack.services.errors import Invalid
from shorttrack.services.officials import ROLE_NAMES

DECISION_CHOICES = [
    ("PEN", "PEN: penalty"),
    ("YC", "YC: yellow card"),
    ("RC", "RC: red card"),
    ("ADV", "ADV: advanced by the referee"),
    ("CLEAR", "CLEAR: lift every decision on this skater"),
]
# Offered where the race's round sends skaters to that final (the semifinals: both).
FINAL_DECISIONS = {
    RoundKind.FINAL_A: ("ADA", "ADA: advanced by the referee to Final A"),
    RoundKind.FINAL_B: ("ADB", "ADB: advanced by the referee to Final B"),
}


def show_refusal(form: forms.Form, invalid: Invalid, aliases: dict[str, str] | None = None):
    """Each (field, reason) of the service beside its field, the rest above the form."""
    aliases = aliases or {}
    for name, reason in invalid.problems:
        name = aliases.get(name, name)
        if name in form.fields:
            form.add_error(name, reason)
        else:
            form.add_error(None, reason)


class SessionForm(forms.Form):
    day = forms.IntegerField(min_value=1, max_value=9)
    name = forms.CharField(max_length=80, help_text="Qualifying, World Cup session")
    starts = forms.TimeField(label="Starts (venue time)", widget=forms.TimeInput(format="%H:%M"))
    ends = forms.TimeField(
        label="Ends (venue time)", required=False, widget=forms.TimeInput(format="%H:%M")
    )


class BroadcasterForm(forms.Form):
    name = forms.CharField(max_length=120)
    country = forms.CharField(max_length=3, required=False, help_text="KOR; blank: worldwide")
    url = forms.CharField(label="Web address", max_length=200, required=False)
    live_stream = forms.BooleanField(required=False)
    covers = forms.CharField(
        max_length=120, required=False, help_text="qualifying and repechage rounds"
    )


class AppointForm(forms.Form):
    username = forms.CharField(label="User name", max_length=150)
    role = forms.ChoiceField(choices=list(ROLE_NAMES.items()))


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="illness, injury, team decision")


class PlanForm(forms.Form):
    # services.draws.setup_version of the page the form came with: a plan made from a page
    # another organiser has changed since is refused, never made over it.
    based_on = forms.CharField(required=False, widget=forms.HiddenInput)
    table = forms.CharField(
        label="Edited progression table (TOML)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80, "spellcheck": "false"}),
        help_text="Blank: the season's table.",
    )


class DrawForm(forms.Form):
    based_on = forms.CharField(required=False, widget=forms.HiddenInput)  # as PlanForm's
    seed = forms.IntegerField(
        min_value=0,
        required=False,
        help_text="Blank: a new seed, recorded with the draw; a seed makes a draw again.",
    )


class DecisionForm(forms.Form):
    """A referee's decision; ``finals``: the finals the race's round sends skaters to,
    for which ADA and ADB are offered beside ADV."""

    helmet = forms.IntegerField(min_value=1, widget=forms.NumberInput(attrs={"size": 4}))
    decision = forms.ChoiceField(choices=DECISION_CHOICES)
    infringement = forms.CharField(
        max_length=40,
        required=False,
        help_text="impeding, off-track, kicking out ... (needed for PEN, YC, RC)",
    )
    reason = forms.CharField(
        max_length=300, required=False, help_text="Needed for a correction after official."
    )

    def __init__(self, *args, finals=(), **kwargs):
        super().__init__(*args, **kwargs)
        extra = [FINAL_DECISIONS[final] for final in FINAL_DECISIONS if final in finals]
        at = [value for value, _ in DECISION_CHOICES].index("ADV") + 1
        self.fields["decision"].choices = DECISION_CHOICES[:at] + extra + DECISION_CHOICES[at:]


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300)


class RelayTeamForm(forms.Form):
    """A relay team: its Member, four skaters in racing order and perhaps a reserve."""

    member = forms.ChoiceField()
    first = forms.ChoiceField(label="1st skater")
    second = forms.ChoiceField(label="2nd skater")
    third = forms.ChoiceField(label="3rd skater")
    fourth = forms.ChoiceField(label="4th skater")
    reserve = forms.ChoiceField(required=False)

    RACERS = ("first", "second", "third", "fourth")

    def __init__(self, *args, members=(), skaters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "---")] + [(m.code, m.code) for m in members]
        choices = [("", "---")] + [(str(s.pk), str(s)) for s in skaters]
        for name in (*self.RACERS, "reserve"):
            self.fields[name].choices = choices
