"""Django models of the results store. Only ``shorttrack.services`` writes to them; what the
public may read of them is decided by their managers (``store/visibility.py``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from simple_history import register
from simple_history.models import HistoricalRecords

from shorttrack.interchange.names import sheet_name
from shorttrack.rules.distances import ALL_DISTANCES, distance
from shorttrack.rules.ranking import RoundKind, Status
from shorttrack.rules.times import format_time
from shorttrack.store import visibility
from shorttrack.store.authorship import history_user


class ChangeHistory(HistoricalRecords):
    """django-simple-history writing a row only for a save that may change what it
    records: not for a save of nothing but the fields it leaves out (a race's status, whose
    moves are its ``RaceEvent``s; a user's last sign-in), nor, with ``on_create=False``,
    for the row's creation (a race is drawn unscheduled; its schedule's history starts
    when it is put in a session)."""

    def __init__(self, *args, on_create: bool = True, **kwargs):
        self.on_create = on_create
        super().__init__(*args, **kwargs)

    def post_save(self, instance, created, using=None, **kwargs):
        fields = kwargs.get("update_fields")
        if created and not self.on_create:
            return
        if fields is not None and set(fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


GENDERS = [("women", "Women"), ("men", "Men")]
# Today's nine and the individual 3000 m of earlier seasons (a season's rules say which).
DISTANCE_CHOICES = [(d.key, d.label) for d in ALL_DISTANCES.values()]
ROUND_CHOICES = [(k.value, k.label) for k in RoundKind]
STATUS_CHOICES = [(s.value, s.value) for s in Status]


class Member(models.Model):
    """An ISU Member: the nation a skater or relay team skates for."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Skater(models.Model):
    """A skater. ``key`` is the ISU id where known, else a key built from member and name."""

    key = models.CharField(max_length=80, unique=True)
    isu_id = models.CharField(max_length=20, unique=True, null=True, blank=True)
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    gender = models.CharField(max_length=5, choices=GENDERS)
    birth_date = models.DateField(null=True, blank=True)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="skaters")
    # A skater the simulator made up; shown labelled as such wherever it appears.
    fictional = models.BooleanField(default=False)

    history = HistoricalRecords(get_user=history_user)  # who changed what, and when

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.member.code})"

    @property
    def name(self) -> str:
        """'PARK Ji-won', 'de VRIES Rianne': family name in capitals, as on ISU sheets."""
        return sheet_name(self.family_name, self.given_name)


class Season(models.Model):
    key = models.CharField(max_length=7, unique=True)  # "2022/23"
    name = models.CharField(max_length=120)
    rules_key = models.CharField(max_length=7)  # which rules/seasons/*.toml applies
    simulated = models.BooleanField(default=False)

    objects = visibility.SeasonQuerySet.as_manager()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class Competition(models.Model):
    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="competitions")
    number = models.PositiveSmallIntegerField()  # World Cup 1, 2, ... of the season
    city = models.CharField(max_length=80)
    country = models.CharField(max_length=3)
    venue = models.CharField(max_length=120, blank=True)
    time_zone = models.CharField(max_length=64)
    start_date = models.DateField()
    end_date = models.DateField()
    published = models.BooleanField(default=True)

    objects = visibility.CompetitionQuerySet.as_manager()
    history = HistoricalRecords(get_user=history_user)  # who changed what, and when

    class Meta:
        ordering = ["season__key", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "number"], name="competition_number_in_season"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.season.key} #{self.number} {self.city}"

    @property
    def name(self) -> str:
        return f"{self.season.name.split(' 20')[0]} {self.number}, {self.city}"


class DistanceRace(models.Model):
    """One distance at one competition: 'Women's 1500m (2)' at Almaty. Its final ranking
    gives World Cup points; ``instance`` is 1 or 2 when the distance is raced twice."""

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="distance_races"
    )
    distance = models.CharField(max_length=6, choices=DISTANCE_CHOICES)
    instance = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the finals are expected; orders races on a day before they are official.
    finals_at = models.DateTimeField(null=True, blank=True)

    objects = visibility.DistanceRaceQuerySet.as_manager()
    # Without ``instance`` ("1500m (2)"): django-simple-history's rows have an ``instance``
    # of their own (the row as it was); which instance a distance race is never changes.
    history = HistoricalRecords(get_user=history_user, excluded_fields=["instance"])

    class Meta:
        ordering = ["competition", "finals_at", "distance", "instance"]
        constraints = [
            # A distance raced once has no instance; raced twice, instances 1 and 2. Two partial
            # constraints, because SQLite cannot treat NULLs as equal in one.
            models.UniqueConstraint(
                fields=["competition", "distance", "instance"],
                condition=models.Q(instance__isnull=False),
                name="distance_race_instance_once",
            ),
            models.UniqueConstraint(
                fields=["competition", "distance"],
                condition=models.Q(instance__isnull=True),
                name="distance_race_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competition} {self.title}"

    @property
    def rules_distance(self):
        return distance(self.distance)

    @property
    def label(self) -> str:
        """'1500m (2)'"""
        return self.rules_distance.race_label(self.instance)

    @property
    def title(self) -> str:
        """ "Women's 1500m (2)" """
        d = self.rules_distance
        return d.label if not self.instance else f"{d.label} ({self.instance})"


class Round(models.Model):
    distance_race = models.ForeignKey(DistanceRace, on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(max_length=20, choices=ROUND_CHOICES)
    order = models.PositiveSmallIntegerField()  # the order rounds are skated in
    # As the results page prints it under the round: "The first placed skater from each
    # race ... qualify for Semifinals."; and a note such as "this round has been cancelled".
    progression = models.TextField(blank=True)
    note = models.CharField(max_length=200, blank=True)
    # The progression plan of this round as the rules core gave it (races, who advances);
    # empty for rounds imported from result sheets.
    plan = models.JSONField(default=dict, blank=True)

    objects = visibility.RoundQuerySet.as_manager()

    class Meta:
        ordering = ["distance_race", "order"]
        constraints = [
            models.UniqueConstraint(fields=["distance_race", "order"], name="round_order_once"),
        ]

    def __str__(self) -> str:
        return f"{self.distance_race} {RoundKind(self.kind).label}"


RACE_STATUSES = [
    ("scheduled", "scheduled"),
    ("started", "started"),
    ("unofficial", "unofficial"),
    ("under_review", "under review"),
    ("official", "official"),
]


class Race(models.Model):
    """One race of a round. Its status moves scheduled -> started -> unofficial -> under
    review -> official (or back to scheduled for a rerun); each move is a ``RaceEvent``."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="races")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=RACE_STATUSES, default="scheduled")
    session = models.ForeignKey(
        "Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="races"
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)
    # The race's version: the id of its latest RaceEvent, 0 before the first, written with
    # each event (services.race_status.note), so that it is read with the race's lock.
    version = models.PositiveBigIntegerField(default=0)
    # Who put the race in its session and time, and when (its status and version have its
    # RaceEvents).
    history = ChangeHistory(
        get_user=history_user, excluded_fields=["status", "version"], on_create=False
    )

    objects = visibility.RaceQuerySet.as_manager()

    class Meta:
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="race_number_once")]

    def __str__(self) -> str:
        return f"{self.round} race {self.number}"


class RelayTeam(models.Model):
    """A relay team of one Member at one distance race; ``skaters`` names who skated."""

    distance_race = models.ForeignKey(
        DistanceRace, on_delete=models.PROTECT, related_name="relay_teams"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="relay_teams")
    name = models.CharField(max_length=40)  # "KOR", or "KOR 2" for a second team

    objects = visibility.RelayTeamQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["distance_race", "name"], name="relay_team_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class RelayTeamSkater(models.Model):
    team = models.ForeignKey(RelayTeam, on_delete=models.CASCADE, related_name="skaters")
    skater = models.ForeignKey(Skater, on_delete=models.PROTECT, related_name="relay_places")
    order = models.PositiveSmallIntegerField()
    reserve = models.BooleanField(default=False)

    objects = visibility.RelayTeamSkaterQuerySet.as_manager()

    class Meta:
        ordering = ["team", "order"]
        constraints = [
            models.UniqueConstraint(fields=["team", "skater"], name="relay_skater_once"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.order}. {self.skater}"


class Revision(models.Model):
    """Who changed results, when and why. Every RaceResult and Ranking belongs to one."""

    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    source = models.CharField(max_length=300)  # "import results.csv (sha256 ...)", "console"
    reason = models.TextField()
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.recorded_at:%Y-%m-%d %H:%M} {self.source}"


class RaceResult(models.Model):
    """One revision of one race's result. The newest revision official at a moment is
    the result at that moment; older revisions stay for the record."""

    race = models.ForeignKey(Race, on_delete=models.PROTECT, related_name="results")
    number = models.PositiveIntegerField()  # 1, 2, ... per race
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="race_results")
    official_at = models.DateTimeField(null=True, blank=True)  # None: not official

    objects = visibility.RaceResultQuerySet.as_manager()

    class Meta:
        ordering = ["race", "number"]
        constraints = [
            models.UniqueConstraint(fields=["race", "number"], name="race_result_revision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.race} revision {self.number}"


class RaceResultLine(models.Model):
    """A line of an ISU result sheet: place, start position, warnings, helmet, skater or
    team, time, qualification mark, and lap splits where known."""

    result = models.ForeignKey(RaceResult, on_delete=models.CASCADE, related_name="lines")
    place = models.PositiveSmallIntegerField(null=True, blank=True)
    dead_heat = models.BooleanField(default=False)
    # The order the skater crossed the line as the results officer entered it; ``place`` is
    # the place after the referee's decisions (a PEN moves the others up). Blank on imports.
    finish_place = models.PositiveSmallIntegerField(null=True, blank=True)
    start_position = models.PositiveSmallIntegerField(null=True, blank=True)
    helmet = models.PositiveSmallIntegerField(null=True, blank=True)
    skater = models.ForeignKey(Skater, null=True, blank=True, on_delete=models.PROTECT)
    team = models.ForeignKey(RelayTeam, null=True, blank=True, on_delete=models.PROTECT)
    member = models.ForeignKey(Member, on_delete=models.PROTECT)
    time_ms = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=STATUS_CHOICES, default=Status.FINISHED.value)
    mark = models.CharField(max_length=4, blank=True)  # Q, q, QA, QB, qA, qB, ADV, ADA, ADB
    warnings = models.CharField(max_length=40, blank=True)  # infringement noted by the referee
    # Lap data as the timing recorded it, first lap first: lap time and elapsed time in ms,
    # position in the race after the lap (1 = leading). Empty: not recorded.
    laps_ms = models.JSONField(default=list, blank=True)
    lap_elapsed_ms = models.JSONField(default=list, blank=True)
    lap_positions = models.JSONField(default=list, blank=True)

    objects = visibility.RaceResultLineQuerySet.as_manager()

    class Meta:
        ordering = ["result", "place"]

    def __str__(self) -> str:
        return f"{self.place or self.status} {self.skater or self.team or self.member}"

    @property
    def time(self) -> str:
        return format_time(self.time_ms)


class RaceLineSkater(models.Model):
    """A skater who skated this race for a relay line's team: line-ups change from round to
    round, and a reserve may skate only the heat, so the team's roster (``RelayTeamSkater``)
    is not who skated each race."""

    line = models.ForeignKey(RaceResultLine, on_delete=models.CASCADE, related_name="skaters")
    skater = models.ForeignKey(Skater, on_delete=models.PROTECT, related_name="relay_races")
    order = models.PositiveSmallIntegerField()

    objects = visibility.RaceLineSkaterQuerySet.as_manager()

    class Meta:
        ordering = ["line", "order"]
        constraints = [
            models.UniqueConstraint(fields=["line", "skater"], name="race_line_skater_once"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.order}. {self.skater}"


class Ranking(models.Model):
    """One revision of the final ranking of a distance race, computed from its races or
    imported where only ranks are known (history, podiums)."""

    distance_race = models.ForeignKey(
        DistanceRace, on_delete=models.PROTECT, related_name="rankings"
    )
    number = models.PositiveIntegerField()
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="rankings")
    official_at = models.DateTimeField(null=True, blank=True)
    basis = models.CharField(
        max_length=10, choices=[("races", "computed from races"), ("imported", "imported ranks")]
    )
    complete = models.BooleanField(default=True)  # False: only some ranks are known
    # Why a ranking computed from races is incomplete ("no Final A in the results: ...");
    # blank for a complete one and for imported ranks.
    incomplete_reason = models.CharField(max_length=200, blank=True)

    objects = visibility.RankingQuerySet.as_manager()

    class Meta:
        ordering = ["distance_race", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["distance_race", "number"], name="ranking_revision_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.distance_race} ranking revision {self.number}"


class RankingLine(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="lines")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)  # None: not ranked or unknown
    skater = models.ForeignKey(Skater, null=True, blank=True, on_delete=models.PROTECT)
    team = models.ForeignKey(RelayTeam, null=True, blank=True, on_delete=models.PROTECT)
    member = models.ForeignKey(Member, on_delete=models.PROTECT)
    final = models.CharField(max_length=1, blank=True)  # "A", "B", "C" when known
    final_place = models.PositiveSmallIntegerField(null=True, blank=True)
    time_ms = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=STATUS_CHOICES, default=Status.FINISHED.value)
    note = models.CharField(max_length=200, blank=True)

    objects = visibility.RankingLineQuerySet.as_manager()

    class Meta:
        ordering = ["ranking", "rank"]

    def __str__(self) -> str:
        return f"{self.rank or '-'} {self.skater or self.team or self.member}"


class Session(models.Model):
    """A block of racing on one day of a competition, at local times of the venue."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="sessions")
    day = models.PositiveSmallIntegerField()  # 1, 2, 3
    name = models.CharField(max_length=80)  # "Qualifying", "World Cup session"
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)

    objects = visibility.SessionQuerySet.as_manager()
    history = HistoricalRecords(get_user=history_user)  # who changed what, and when

    class Meta:
        ordering = ["competition", "starts_at"]

    def __str__(self) -> str:
        return f"{self.competition} day {self.day} {self.name}"


class Broadcaster(models.Model):
    """Where to watch: a broadcaster in a country, or a live stream (for qualifying and
    repechage rounds, say). ``competition`` blank: for the whole season."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="broadcasters")
    competition = models.ForeignKey(
        Competition, null=True, blank=True, on_delete=models.CASCADE, related_name="broadcasters"
    )
    country = models.CharField(max_length=3, blank=True)  # blank: worldwide
    name = models.CharField(max_length=120)
    url = models.URLField(blank=True)
    live_stream = models.BooleanField(default=False)
    covers = models.CharField(max_length=120, blank=True)  # "qualifying and repechage rounds"
    history = HistoricalRecords(get_user=history_user)  # who added or removed it, and when

    objects = visibility.BroadcasterQuerySet.as_manager()

    class Meta:
        ordering = ["season", "country", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country or 'worldwide'})"


OFFICIAL_ROLES = [
    ("organiser", "organiser"),
    ("results_officer", "results officer"),
    ("referee", "referee"),
]


class CompetitionOfficial(models.Model):
    """A signed-in user's role at one competition: only these may write its results."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="officials")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=16, choices=OFFICIAL_ROLES)
    appointed_at = models.DateTimeField(null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(get_user=history_user)  # who changed what, and when

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "user", "role"], name="official_role_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} at {self.competition}"


class Entry(models.Model):
    """A skater or relay team entered in a distance race. Withdrawn entries stay, marked."""

    distance_race = models.ForeignKey(
        DistanceRace, on_delete=models.PROTECT, related_name="entries"
    )
    skater = models.ForeignKey(Skater, null=True, blank=True, on_delete=models.PROTECT)
    team = models.ForeignKey(RelayTeam, null=True, blank=True, on_delete=models.PROTECT)
    member = models.ForeignKey(Member, on_delete=models.PROTECT)
    helmet = models.PositiveSmallIntegerField(null=True, blank=True)
    season_best_ms = models.PositiveIntegerField(null=True, blank=True)
    entered_at = models.DateTimeField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=200, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = visibility.EntryQuerySet.as_manager()
    history = HistoricalRecords(get_user=history_user)  # who changed what, and when

    class Meta:
        ordering = ["distance_race", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["distance_race", "skater"],
                condition=models.Q(skater__isnull=False),
                name="skater_entered_once",
            ),
            models.UniqueConstraint(
                fields=["distance_race", "team"],
                condition=models.Q(team__isnull=False),
                name="team_entered_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skater or self.team} in {self.distance_race}"


class Draw(models.Model):
    """How the races of a round were filled: the seed that makes the draw reproducible,
    the method, and the order it produced."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="draws")
    seed = models.BigIntegerField()
    method = models.CharField(max_length=200)
    # Why this draw was made: "first round", "qualifiers of the heats", "refill after a
    # correction of Heat 3: ...".
    reason = models.TextField(blank=True)
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["round", "drawn_at"]

    def __str__(self) -> str:
        return f"draw of {self.round} (seed {self.seed})"


class StartListLine(models.Model):
    """Who starts in a race, where, and why they are there (seeded, Q, q, ADV)."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="start_list")
    draw = models.ForeignKey(Draw, null=True, blank=True, on_delete=models.PROTECT)
    skater = models.ForeignKey(Skater, null=True, blank=True, on_delete=models.PROTECT)
    team = models.ForeignKey(RelayTeam, null=True, blank=True, on_delete=models.PROTECT)
    member = models.ForeignKey(Member, on_delete=models.PROTECT)
    start_position = models.PositiveSmallIntegerField()
    helmet = models.PositiveSmallIntegerField(null=True, blank=True)
    qualified_by = models.CharField(max_length=8, blank=True)  # "seed", "Q", "q", "ADV"

    objects = visibility.StartListLineQuerySet.as_manager()

    class Meta:
        ordering = ["race", "start_position"]

    def __str__(self) -> str:
        return f"{self.start_position}. {self.skater or self.team}"


class RaceEvent(models.Model):
    """A change in a race's life: status moves, results entered, referee decisions,
    corrections, and warnings that something depending on it can no longer follow.
    Live pages and caches are driven from these rows."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(
        max_length=24
    )  # "status", "results", "decision", "correction", "conflict"
    status = models.CharField(max_length=12, blank=True)  # the status after the event
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    result = models.ForeignKey(RaceResult, null=True, blank=True, on_delete=models.PROTECT)

    objects = visibility.RaceEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.race} {self.kind} {self.status} at {self.at:%H:%M:%S}"


class Announcement(models.Model):
    """A message for live pages (shorttrack.live), written in the transaction of the change
    it announces and sent once it has committed: an outbox. A row without ``sent`` is
    still to go (the bus was unreachable), so an outage delays an announcement but never
    fails the write. ``claimed`` is when a drain took it to send: a claim older than
    live.CLAIM_LEASE is a drain that died before sending, and the row goes again."""

    topic = models.CharField(max_length=40)  # "season:3", "competition:12", "race:481"
    payload = models.JSONField(default=dict)  # {"kind": "official", "race": 481}
    created = models.DateTimeField()
    claimed = models.DateTimeField(null=True, blank=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(sent__isnull=True), name="announcement_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.payload.get('kind', '')} ({'sent' if self.sent else 'pending'})"


class HistoryLink(models.Model):
    """One link of a competition's tamper-evident history (services/history.py): a result
    revision, a ranking revision or a race event as the services wrote it, by the SHA-256
    of its content, chained to the link before it. A row changed, added or removed behind
    the application no longer matches its link; a link changed no longer chains."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField()  # 1, 2, ... per competition
    subject = models.CharField(max_length=12)  # "race_result", "ranking", "race_event"
    subject_id = models.PositiveBigIntegerField()
    # The race of a result revision or event (None for a ranking): a race's own check
    # finds its removed rows by it. Not a foreign key: a link outlives what it names.
    race_id = models.PositiveBigIntegerField(null=True, blank=True)
    content = models.CharField(max_length=64)  # SHA-256 of the subject's content, hex
    previous = models.CharField(max_length=64)  # the digest of link sequence - 1 ("" for 1)
    digest = models.CharField(max_length=64)  # SHA-256 over previous, subject and content
    at = models.DateTimeField()

    class Meta:
        ordering = ["competition", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "sequence"], name="history_link_sequence_once"
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "subject_id"], name="history_link_subject"),
            models.Index(fields=["race_id"], name="history_link_race"),
        ]

    def __str__(self) -> str:
        return f"{self.competition_id}#{self.sequence} {self.subject} {self.subject_id}"


# The accounts of the officials: who created or changed one, and when (never its password
# hash; a sign-in alone is no change).
register(
    get_user_model(),
    app="shorttrack.store",
    records_class=ChangeHistory,
    get_user=history_user,
    excluded_fields=["password", "last_login"],
)
